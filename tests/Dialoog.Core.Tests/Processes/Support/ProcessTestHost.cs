using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Dialoog.Core.Actions;
using Dialoog.Core.Engine;
using Microsoft.DurableTask.Client;
using Dialoog.Testing.VirtualTime;
using Dialoog.Core.Calendar;
using Dialoog.Core.Email;
using Dialoog.Core.Hosting;
using Dialoog.Core.Invitations;
using Dialoog.Core.Links;
using Dialoog.Core.Minutes;
using Dialoog.Core.Processes;
using Dialoog.Core.Processes.Definition;
using Dialoog.Core.Tests.Testing;
using Dialoog.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Dialoog.Core.Tests.Processes.Support;

/// <summary>
/// The app's dialogue orchestrations in virtual time: DurableTask.Core's replay executor with the app's catalog, on a
/// fake clock, so weeks of a process run in milliseconds. E-mails are recorded in memory; calendar files, links and the participant table are the real ones
/// (the table on the test collection's Azurite).
/// </summary>
internal sealed class ProcessTestHost : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider _services;

    /// <param name="calendar">A calendar to use instead of the iCalendar one, e.g. one that records every sync.</param>
    public ProcessTestHost(DevStackFixture stack, ISessionCalendar? calendar = null)
    {
        ArgumentNullException.ThrowIfNull(stack);
        Time = new FakeTimeProvider(Start);
        var settings = RunningApp.SettingsFor(stack);
        settings["Durable:TaskHub"] = "t" + Guid.NewGuid().ToString("N")[..12];
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddSingleton<TimeProvider>(Time);
        services.AddSingleton<IConfiguration>(configuration);
        // Activities that start or signal other instances (follow-ups) reach this engine through the client.
        services.AddSingleton<DurableTaskClient>(sp => sp.GetRequiredService<VirtualTimeClient>());
        services.AddSingleton(sp => new VirtualTimeEngine(ProcessRuntimeRegistration.Catalog(), sp, Time, DialoogDataConverter.Instance).CreateClient());
        services.AddSingleton(Options.Create(new LinksOptions { SigningKey = settings["Links:SigningKey"]! }));
        services.AddSingleton(Options.Create(new DialoogOptions { PublicBaseUrl = "http://localhost:7071" }));
        services.AddSingleton(Options.Create(new MailOptions { FromAddress = "dialoog@gemeente.example", FromName = "Dialoog" }));
        services.AddSingleton<ParticipantLinks>();
        if (calendar is null)
        {
            services.AddSingleton<ISessionCalendar, IcsSessionCalendar>();
        }
        else
        {
            services.AddSingleton(calendar);
        }

        services.AddSingleton<IEmailSender>(Mail);
        services.AddSingleton(new TableServiceClient(stack.StorageConnectionString));
        services.AddSingleton<ParticipantDirectory>();
        services.AddSingleton<FollowUpDirectory>();
        services.AddProcessTemplates();
        _services = services.BuildServiceProvider();
        Client = _services.GetRequiredService<VirtualTimeClient>();
    }

    public FakeTimeProvider Time { get; }

    public VirtualTimeClient Client { get; }

    public VirtualTimeEngine Engine => Client.Engine;

    public RecordingEmailSender Mail { get; } = new();

    public ParticipantLinks Links => _services.GetRequiredService<ParticipantLinks>();

    public ParticipantDirectory Directory => _services.GetRequiredService<ParticipantDirectory>();

    public FollowUpDirectory FollowUps => _services.GetRequiredService<FollowUpDirectory>();

    public ProcessTemplates Templates => _services.GetRequiredService<ProcessTemplates>();

    public DateTime Now => Time.GetUtcNow().UtcDateTime;

    /// <summary>Builds a definition from a template plus overrides, failing the test on validation errors.</summary>
    public ProcessDefinition Definition(string? template, JsonObject overrides)
    {
        var (definition, errors) = Templates.Resolve(template, overrides, Now);
        Assert.True(errors.Count == 0, "Definition errors: " + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
        return definition!;
    }

    /// <param name="nonce">The process's link nonce, as the app gives every new process; none by default (an older process).</param>
    /// <param name="callNotices">As the app starts every new process: changes reach people without e-mail through the call list.</param>
    /// <param name="openAfterMinutes">As the app starts every new process: it stays open for the follow-up window after the last minutes.</param>
    public async Task<string> StartAsync(ProcessDefinition definition, string? nonce = null, bool callNotices = false, bool openAfterMinutes = false)
    {
        var id = "dlg-" + Guid.NewGuid().ToString("N")[..16];
        await Client.ScheduleNewOrchestrationInstanceAsync(nameof(DialogueProcessOrchestrator),
            new DialogueProcessInput(definition, Nonce: nonce, CallNotices: callNotices, OpenAfterMinutes: openAfterMinutes),
            new Microsoft.DurableTask.StartOrchestrationOptions(id));
        await RunUntilIdleAsync();
        return id;
    }

    /// <summary>
    /// <see cref="Definitions.Basic"/> (or <paramref name="definition"/>): p1, p2 and p4 say yes, p3 and p5 no, and the
    /// clock moves past the session, so it has been held and the facilitator has the upload link.
    /// </summary>
    public async Task<string> HeldSessionAsync(ProcessDefinition? definition = null, bool openAfterMinutes = false)
    {
        var id = await StartAsync(definition ?? Definitions.Basic(Now), openAfterMinutes: openAfterMinutes);
        foreach (var participant in new[] { "p1", "p2", "p4" })
        {
            await ReplyAsync(id, participant, Answers.Yes);
        }

        await ReplyAsync(id, "p3", Answers.No);
        await ReplyAsync(id, "p5", Answers.No);
        await AdvanceAsync(TimeSpan.FromDays(21) + TimeSpan.FromHours(2) + TimeSpan.FromMinutes(1));
        Assert.Equal(Phases.FollowUp, (await StatusAsync(id)).Phase);
        return id;
    }

    /// <summary>What the minutes endpoint signals after storing <paramref name="version"/> (a PDF by Fien).</summary>
    public Task UploadMinutesAsync(string id, int version, string sessionId, params AgreedAction[] actions)
    {
        var stored = new MinutesVersion(id, sessionId, version, MinutesStore.BlobName(id, sessionId, version) + ".pdf", "verslag.pdf", "application/pdf",
            2048, "00", "Fien", Now);
        return SignalAsync(id, new MinutesUploadedSignal(sessionId, stored, actions));
    }

    public async Task SignalAsync(string id, ProcessSignal signal)
    {
        await Client.SignalAsync(id, signal);
        await RunUntilIdleAsync();
        var instance = await InstanceAsync(id);
        Assert.True(instance.FailureDetails is null, $"Process failed after {signal}: {instance.FailureDetails?.ErrorMessage}\n{instance.FailureDetails?.StackTrace}");
    }

    public Task ReplyAsync(string id, string participantId, string answer, string? remark = null) =>
        SignalAsync(id, new ReplySignal(participantId, answer, remark));

    public async Task<ProcessStatus> StatusAsync(string id)
    {
        var instance = await Client.GetInstanceAsync(id, getInputsAndOutputs: true) ?? throw new InvalidOperationException("no instance " + id);
        Assert.True(instance.FailureDetails is null, "Process failed: " + instance.FailureDetails);
        return instance.ReadCustomStatusAs<ProcessStatus>()!;
    }

    public async Task<OrchestrationMetadata> InstanceAsync(string id) =>
        await Client.GetInstanceAsync(id, getInputsAndOutputs: true) ?? throw new InvalidOperationException("no instance " + id);

    public Task RunUntilIdleAsync() => Engine.RunUntilIdleAsync();

    /// <summary>Moves the clock forward by <paramref name="span"/>, firing everything due on the way in order.</summary>
    public Task AdvanceAsync(TimeSpan span) => Engine.AdvanceAsync(span);

    public Task AdvanceToAsync(DateTime utc) => AdvanceAsync(utc - Now);

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();
}
