using Dialoog.Core.Actions;
using Dialoog.Core.Email;
using Dialoog.Core.Minutes;
using Dialoog.Core.Processes;
using Dialoog.Core.Processes.Definition;
using Dialoog.Core.Tests.Processes.Support;
using Dialoog.Testing;
using Microsoft.DurableTask.Client;

namespace Dialoog.Core.Tests.Processes;

/// <summary>
/// Room after the last minutes (issue 20, item 7): a new process stays open for the policy's follow-up window after
/// the minutes of its last session, so a corrected version, agreements added days later and late initiatives still
/// land; the summary goes when the window ends, or when the coordinator closes it sooner. A process started before
/// (no gate in its input) ends at its last minutes exactly as it did. In virtual time, so every step also replays.
/// </summary>
[Collection(DevStackCollection.Name)]
public sealed class FollowUpWindowTests(DevStackFixture stack) : IAsyncLifetime
{
    private const string Owner = "anna@example.org";
    private ProcessTestHost host = null!;

    public Task InitializeAsync()
    {
        host = new ProcessTestHost(stack);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task LastMinutesWithoutAgreements_StaysOpen_CorrectionAndLateAgreementWork_SummaryAtWindowEndNamesIt()
    {
        var id = await HeldSessionAsync(openAfterMinutes: true);
        await UploadAsync(id, 1);
        var windowEnd = host.Now + TimeSpan.FromDays(14);

        var instance = await host.InstanceAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Running, instance.RuntimeStatus);
        var status = instance.ReadCustomStatusAs<ProcessStatus>()!;
        Assert.Equal((Phases.FollowUp, windowEnd), (status.Phase, status.WindowEndsUtc));
        Assert.Contains(status.Timeline, t => t.Text.StartsWith("Tot en met ", StringComparison.Ordinal)
            && t.Text.EndsWith("kan er nog een nieuwe versie van het verslag of een afspraak bij.", StringComparison.Ordinal));
        Assert.Empty(host.Mail.OfKind(MailKind.ProcessSummary));

        // Day 1: a corrected version goes out as a correction.
        await host.AdvanceAsync(TimeSpan.FromDays(1));
        await UploadAsync(id, 2);
        Assert.Equal(3, host.Mail.OfKind(MailKind.MinutesCorrected).Count);
        Assert.Equal(2, (await host.StatusAsync(id)).Sessions.Single().MinutesVersion);

        // Day 3: an agreement added without a new version; only its owner hears of it.
        await host.AdvanceAsync(TimeSpan.FromDays(2));
        var mailsBefore = host.Mail.Sent.Count;
        await host.SignalAsync(id, new AddActionsSignal("s1", [Agreement("Speelplek schetsen")], "Fien"));
        Assert.Single(host.Mail.OfKind(MailKind.ActionAssigned, Owner));
        Assert.Equal(mailsBefore + 1, host.Mail.Sent.Count);
        status = await host.StatusAsync(id);
        Assert.Equal(1, status.Actions.Open);
        Assert.Contains(status.Timeline, t => t.Text == "Fien heeft bij 'Eerste gesprek' een afspraak toegevoegd: 'Speelplek schetsen'.");

        // The same agreement again (a form sent twice) is not a second one.
        await host.SignalAsync(id, new AddActionsSignal("s1", [Agreement("Speelplek schetsen")], "Fien"));
        Assert.Single(host.Mail.OfKind(MailKind.ActionAssigned, Owner));

        // Anna is done on day 5; the window still runs, so the process waits.
        await host.AdvanceAsync(TimeSpan.FromDays(2));
        await host.Client.SignalFollowUpAsync(FollowUpItem.InstanceIdFor(id, "a1"), new ProgressReported(FollowUpStatus.Done, null, "eigenaar"));
        await host.RunUntilIdleAsync();
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await host.InstanceAsync(id)).RuntimeStatus);

        await host.AdvanceToAsync(windowEnd - TimeSpan.FromMinutes(1));
        Assert.Empty(host.Mail.OfKind(MailKind.ProcessSummary));

        await host.AdvanceAsync(TimeSpan.FromMinutes(2));
        instance = await host.InstanceAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
        status = instance.ReadCustomStatusAs<ProcessStatus>()!;
        Assert.Equal(Phases.Completed, status.Phase);
        Assert.Null(status.WindowEndsUtc);
        Assert.Contains(status.Timeline, t => t.Text == "De tijd om het verslag aan te vullen is voorbij.");
        var summary = Assert.Single(host.Mail.OfKind(MailKind.ProcessSummary, Definitions.Coordinator.Email));
        Assert.Contains("Afspraak 'Speelplek schetsen' (Anna Jansen): klaar", summary.Text, StringComparison.Ordinal);
        Assert.Contains("Afspraken: 1 klaar", summary.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WindowEnds_AgreementStillOpen_ProcessFollowsItUntilDone_ThenSummary()
    {
        var id = await HeldSessionAsync(openAfterMinutes: true);
        await UploadAsync(id, 1);
        await host.AdvanceAsync(TimeSpan.FromDays(3));
        await host.SignalAsync(id, new AddActionsSignal("s1", [Agreement("Speelplek schetsen")], "Fien"));

        await host.AdvanceAsync(TimeSpan.FromDays(12));
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await host.InstanceAsync(id)).RuntimeStatus);
        Assert.Empty(host.Mail.OfKind(MailKind.ProcessSummary));
        Assert.Null((await host.StatusAsync(id)).WindowEndsUtc);

        await host.Client.SignalFollowUpAsync(FollowUpItem.InstanceIdFor(id, "a1"), new ProgressReported(FollowUpStatus.Done, null, "eigenaar"));
        await host.RunUntilIdleAsync();
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await host.InstanceAsync(id)).RuntimeStatus);
        Assert.Contains("Afspraak 'Speelplek schetsen' (Anna Jansen): klaar",
            Assert.Single(host.Mail.OfKind(MailKind.ProcessSummary)).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LateInitiative_InsideTheWindow_IsFollowed()
    {
        var id = await HeldSessionAsync(openAfterMinutes: true);
        await UploadAsync(id, 1);
        await host.AdvanceAsync(TimeSpan.FromDays(4));

        await host.SignalAsync(id, new InitiativeSubmittedSignal("Moestuin op het plein", "Samen groente kweken.", new Person("Iris Initiatief", "iris@example.org")));

        var status = await host.StatusAsync(id);
        Assert.Equal(1, status.Initiatives.Open);
        Assert.Equal(Phases.FollowUp, status.Phase);
    }

    [Fact]
    public async Task CoordinatorClosesInsideTheWindow_EndsAtOnce_OneSummary()
    {
        var id = await HeldSessionAsync(openAfterMinutes: true);
        await UploadAsync(id, 1);
        await host.AdvanceAsync(TimeSpan.FromDays(2));

        await host.SignalAsync(id, new CloseProcessSignal(null));

        var instance = await host.InstanceAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
        Assert.Equal(Phases.Closed, instance.ReadCustomStatusAs<ProcessStatus>()!.Phase);
        Assert.Null(instance.ReadCustomStatusAs<ProcessStatus>()!.WindowEndsUtc);
        Assert.Contains("gesloten", Assert.Single(host.Mail.OfKind(MailKind.ProcessSummary, Definitions.Coordinator.Email)).Text, StringComparison.Ordinal);
        await host.AdvanceAsync(TimeSpan.FromDays(20));
        Assert.Single(host.Mail.OfKind(MailKind.ProcessSummary));
    }

    [Fact]
    public async Task ShorterWindowInThePolicy_SummaryAtItsEnd()
    {
        var definition = Definitions.Basic(host.Now) with { Policy = new ProcessPolicy { FollowUpWindow = TimeSpan.FromDays(2) } };
        var id = await HeldSessionAsync(openAfterMinutes: true, definition);
        await UploadAsync(id, 1);

        await host.AdvanceAsync(TimeSpan.FromDays(2) - TimeSpan.FromMinutes(1));
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await host.InstanceAsync(id)).RuntimeStatus);
        await host.AdvanceAsync(TimeSpan.FromMinutes(2));
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await host.InstanceAsync(id)).RuntimeStatus);
        Assert.Single(host.Mail.OfKind(MailKind.ProcessSummary));
    }

    [Fact]
    public async Task ProcessStartedBefore_NoGate_EndsAtItsLastMinutesAsBefore()
    {
        var id = await HeldSessionAsync(openAfterMinutes: false);

        await UploadAsync(id, 1);

        var instance = await host.InstanceAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
        var status = instance.ReadCustomStatusAs<ProcessStatus>()!;
        Assert.Equal(Phases.Completed, status.Phase);
        Assert.Null(status.WindowEndsUtc);
        Assert.DoesNotContain(status.Timeline, t => t.Text.StartsWith("Tot en met", StringComparison.Ordinal));
        var summary = Assert.Single(host.Mail.OfKind(MailKind.ProcessSummary));
        Assert.DoesNotContain("Afspraak '", summary.Text, StringComparison.Ordinal);
    }

    private Task<string> HeldSessionAsync(bool openAfterMinutes, ProcessDefinition? definition = null) =>
        host.HeldSessionAsync(definition, openAfterMinutes);

    /// <summary>A version of the minutes without agreements, as a facilitator who leaves that field empty uploads it.</summary>
    private Task UploadAsync(string id, int version) => host.UploadMinutesAsync(id, version, "s1");

    private AgreedAction Agreement(string title) =>
        new(title, "Anna Jansen", Owner, DateOnly.FromDateTime(AmsterdamTime.FromUtc(host.Now)).AddDays(30));
}
