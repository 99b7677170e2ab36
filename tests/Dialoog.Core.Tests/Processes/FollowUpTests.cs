using System.Text.Json.Nodes;
using Dialoog.Core.Engine;
using Microsoft.DurableTask.Client;
using Dialoog.Core.Actions;
using Dialoog.Core.Email;
using Dialoog.Core.Minutes;
using Dialoog.Core.Processes;
using Dialoog.Core.Processes.Definition;
using Dialoog.Core.Tests.Processes.Support;
using Dialoog.Testing;

namespace Dialoog.Core.Tests.Processes;

/// <summary>
/// After the session: minutes (on time, late, corrected), every agreement followed up the escalation ladder, initiatives,
/// and the end of the process — with time under the test's control.
/// </summary>
[Collection(DevStackCollection.Name)]
public sealed partial class FollowUpTests(DevStackFixture stack) : IAsyncLifetime
{
    private const string Facilitator = "fien@example.org";
    private const string Owner = "eigenaar@example.org";
    private ProcessTestHost host = null!;

    public Task InitializeAsync()
    {
        host = new ProcessTestHost(stack);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task SessionEnds_FacilitatorGetsUploadLink_MinutesOnTime_GoToAttendeesOnly()
    {
        var id = await HeldSessionAsync();
        var request = Assert.Single(host.Mail.OfKind(MailKind.MinutesRequest, Facilitator));
        Assert.Contains("k=upload", request.Html, StringComparison.Ordinal);

        await UploadAsync(id, 1);

        var sent = host.Mail.OfKind(MailKind.MinutesAvailable);
        Assert.Equal(["ambtenaar.a@gemeente.example", "inwoner1@example.org", "inwoner2@example.org"], sent.Select(m => m.To.Address).Order());
        Assert.All(sent, m => Assert.Contains("k=download", m.Html, StringComparison.Ordinal));
        await host.AdvanceAsync(TimeSpan.FromDays(20));
        Assert.Empty(host.Mail.OfKind(MailKind.MinutesReminder));
        Assert.Empty(host.Mail.OfKind(MailKind.MinutesEscalation));
        var status = await host.StatusAsync(id);
        Assert.Equal(1, status.Sessions.Single().MinutesVersion);
    }

    [Fact]
    public async Task MinutesLate_TwoRemindersThenEscalation_EachExactlyOnce()
    {
        var id = await HeldSessionAsync();

        await host.AdvanceAsync(TimeSpan.FromDays(3) + TimeSpan.FromMinutes(1));
        Assert.Single(host.Mail.OfKind(MailKind.MinutesReminder, Facilitator));
        Assert.True((await host.StatusAsync(id)).Sessions.Single().MinutesLate);

        await host.AdvanceAsync(TimeSpan.FromDays(4));
        Assert.Equal(2, host.Mail.OfKind(MailKind.MinutesReminder, Facilitator).Count);
        Assert.Empty(host.Mail.OfKind(MailKind.MinutesEscalation));

        await host.AdvanceAsync(TimeSpan.FromDays(3));
        Assert.Single(host.Mail.OfKind(MailKind.MinutesEscalation, Definitions.Coordinator.Email));

        await host.AdvanceAsync(TimeSpan.FromDays(60));
        Assert.Equal(2, host.Mail.OfKind(MailKind.MinutesReminder).Count);
        Assert.Single(host.Mail.OfKind(MailKind.MinutesEscalation));
        Assert.Equal(Phases.FollowUp, (await host.StatusAsync(id)).Phase);

        await UploadAsync(id, 1);
        Assert.Equal(3, host.Mail.OfKind(MailKind.MinutesAvailable).Count);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await host.InstanceAsync(id)).RuntimeStatus);
    }

    [Fact]
    public async Task CorrectionUpload_IsSentAsCorrection_AndDoesNotRepeatActions()
    {
        var id = await HeldSessionAsync();
        await UploadAsync(id, 1, Action("Speeltuin schetsen", 30));

        await UploadAsync(id, 2, Action("Speeltuin schetsen", 30));

        Assert.Equal(3, host.Mail.OfKind(MailKind.MinutesCorrected).Count);
        Assert.Single(host.Mail.OfKind(MailKind.ActionAssigned, Owner));
        Assert.Equal(2, (await host.StatusAsync(id)).Sessions.Single().MinutesVersion);
    }

    [Fact]
    public async Task ActionDone_ProcessCompletes_CoordinatorGetsSummary()
    {
        var id = await HeldSessionAsync();
        await UploadAsync(id, 1, Action("Speeltuin schetsen", 30));
        Assert.Single(host.Mail.OfKind(MailKind.ActionAssigned, Owner));
        Assert.Equal(1, (await host.StatusAsync(id)).Actions.Open);

        await ReportAsync(id, "a1", FollowUpStatus.InProgress);
        Assert.Equal(1, (await host.StatusAsync(id)).Actions.InProgress);
        await ReportAsync(id, "a1", FollowUpStatus.Done);

        var instance = await host.InstanceAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
        var status = instance.ReadCustomStatusAs<ProcessStatus>()!;
        Assert.Equal(Phases.Completed, status.Phase);
        Assert.Equal(1, status.Actions.Done);
        var summary = Assert.Single(host.Mail.OfKind(MailKind.ProcessSummary, Definitions.Coordinator.Email));
        Assert.Contains("inwoners: 2 van de 3", summary.Text, StringComparison.Ordinal);
        Assert.Contains("Afspraken: 1 klaar", summary.Text, StringComparison.Ordinal);
        var record = await host.FollowUps.FindAsync(id, "a1", CancellationToken.None);
        Assert.Equal((FollowUpStatus.Done, 2), (record!.Status, record.Updates));
    }

    [Fact]
    public async Task ActionOverdue_ReminderBeforeDue_ThenOwnerCoordinatorContact_EachExactlyOnce()
    {
        var id = await HeldSessionAsync();
        await UploadAsync(id, 1, Action("Speeltuin schetsen", 10));
        var due = AmsterdamTime.ToUtc(DateOnly.FromDateTime(AmsterdamTime.FromUtc(host.Now)).AddDays(10).ToDateTime(new TimeOnly(23, 59)));

        await host.AdvanceToAsync(due - TimeSpan.FromDays(2) + TimeSpan.FromMinutes(1));
        Assert.Single(host.Mail.OfKind(MailKind.ActionReminder, Owner));
        Assert.Empty(host.Mail.OfKind(MailKind.ActionStalled));

        await host.AdvanceToAsync(due + TimeSpan.FromMinutes(1));
        var stalled = Assert.Single(host.Mail.OfKind(MailKind.ActionStalled, Owner));
        Assert.Empty(host.Mail.OfKind(MailKind.ActionEscalation));
        Assert.Single((await host.StatusAsync(id)).Stalled);

        await host.AdvanceAsync(TimeSpan.FromDays(3));
        Assert.Single(host.Mail.OfKind(MailKind.ActionEscalation, Definitions.Coordinator.Email));
        Assert.Empty(host.Mail.OfKind(MailKind.ActionEscalation, Definitions.Contact.Email));

        await host.AdvanceAsync(TimeSpan.FromDays(5));
        Assert.Single(host.Mail.OfKind(MailKind.ActionEscalation, Definitions.Contact.Email));

        await host.AdvanceAsync(TimeSpan.FromDays(100));
        Assert.Single(host.Mail.OfKind(MailKind.ActionStalled));
        Assert.Equal(2, host.Mail.OfKind(MailKind.ActionEscalation).Count);
        Assert.Single(host.Mail.OfKind(MailKind.ActionReminder));
        Assert.Equal(3, (await host.StatusAsync(id)).Stalled.Single().Level);
        Assert.Contains("de datum is voorbij", host.Mail.OfKind(MailKind.ActionEscalation)[0].Text, StringComparison.Ordinal);
        Assert.NotNull(stalled);
    }

    [Fact]
    public async Task NoUpdateWithinStallThreshold_RemindsOwner_AndAnUpdateStartsTheLadderAgain()
    {
        var id = await HeldSessionAsync();
        await UploadAsync(id, 1, Action("Buurtfeest regelen", 200));

        await host.AdvanceAsync(TimeSpan.FromDays(14) + TimeSpan.FromMinutes(1));
        Assert.Single(host.Mail.OfKind(MailKind.ActionStalled, Owner));

        await ReportAsync(id, "a1", FollowUpStatus.InProgress, "Offerte aangevraagd");
        await host.AdvanceAsync(TimeSpan.FromDays(10));
        Assert.Empty(host.Mail.OfKind(MailKind.ActionEscalation));
        Assert.Single(host.Mail.OfKind(MailKind.ActionStalled));
        Assert.Empty((await host.StatusAsync(id)).Stalled);

        await host.AdvanceAsync(TimeSpan.FromDays(5));
        Assert.Equal(2, host.Mail.OfKind(MailKind.ActionStalled, Owner).Count);
    }

    [Fact]
    public async Task Stuck_GoesToTheCoordinatorAtOnce_ThenTheContact()
    {
        var id = await HeldSessionAsync();
        await UploadAsync(id, 1, Action("Subsidie aanvragen", 60));

        await ReportAsync(id, "a1", FollowUpStatus.Stuck, "Het budget is op");

        var escalation = Assert.Single(host.Mail.OfKind(MailKind.ActionEscalation, Definitions.Coordinator.Email));
        Assert.Contains("Het budget is op", escalation.Text, StringComparison.Ordinal);
        Assert.Empty(host.Mail.OfKind(MailKind.ActionStalled));
        var status = await host.StatusAsync(id);
        Assert.Equal(1, status.Actions.Stuck);
        Assert.Contains(status.Timeline, t => t.Text.Contains("vastgelopen", StringComparison.Ordinal));

        await host.AdvanceAsync(TimeSpan.FromDays(5) + TimeSpan.FromMinutes(1));
        Assert.Single(host.Mail.OfKind(MailKind.ActionEscalation, Definitions.Contact.Email));
        Assert.Empty(host.Mail.OfKind(MailKind.ActionStalled));
    }

    [Fact]
    public async Task Initiative_GetsAContactPerson_RunsTheLadder_AndCanBeClosed()
    {
        var id = await HeldSessionAsync();

        await host.SignalAsync(id, new InitiativeSubmittedSignal("Moestuin op het plein", "Wij willen samen groente kweken.", new Person("Iris Initiatief", "iris@example.org")));

        var received = Assert.Single(host.Mail.OfKind(MailKind.InitiativeReceived, "iris@example.org"));
        Assert.Contains(Definitions.Coordinator.Name, received.Text, StringComparison.Ordinal);
        Assert.Single(host.Mail.OfKind(MailKind.ActionAssigned, Definitions.Coordinator.Email));
        Assert.Equal(1, (await host.StatusAsync(id)).Initiatives.Open);

        await host.AdvanceAsync(TimeSpan.FromDays(14) + TimeSpan.FromMinutes(1));
        Assert.Single(host.Mail.OfKind(MailKind.ActionStalled, Definitions.Coordinator.Email));
        await host.AdvanceAsync(TimeSpan.FromDays(3));
        Assert.Single(host.Mail.OfKind(MailKind.ActionEscalation, Definitions.Coordinator.Email));

        await host.Client.SignalFollowUpAsync(FollowUpItem.InstanceIdFor(id, "i1"), new FollowUpClosing("coördinator", "Opgepakt door de wijkvereniging"));
        await host.RunUntilIdleAsync();

        Assert.Single(host.Mail.OfKind(MailKind.ActionClosed, Definitions.Coordinator.Email));
        Assert.True((await host.InstanceAsync(id)).IsActive(), "the minutes are still missing");
        await UploadAsync(id, 1);
        var instance = await host.InstanceAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
        Assert.Equal(1, instance.ReadCustomStatusAs<ProcessStatus>()!.Initiatives.Closed);
    }

    [Fact]
    public async Task CoordinatorCloses_OpenActionsAreClosed_AndTheSummaryGoesOut()
    {
        var id = await HeldSessionAsync();
        await UploadAsync(id, 1, Action("Speeltuin schetsen", 30));

        await host.SignalAsync(id, new CloseProcessSignal("Klaar voor nu"));
        await host.RunUntilIdleAsync();

        var instance = await host.InstanceAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
        Assert.Equal(Phases.Closed, instance.ReadCustomStatusAs<ProcessStatus>()!.Phase);
        Assert.Single(host.Mail.OfKind(MailKind.ProcessSummary, Definitions.Coordinator.Email));
        Assert.Single(host.Mail.OfKind(MailKind.ActionClosed, Owner));
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await host.InstanceAsync(FollowUpItem.InstanceIdFor(id, "a1"))).RuntimeStatus);
    }

    [Fact]
    public async Task TenPointPlan_FollowsAgreementsForFourYears_WithProgressChecks_AndHistoryStaysSmall()
    {
        var draft = host.Templates.GetDraft("tienpuntenplan")!;
        var overrides = new JsonObject
        {
            ["topic"] = "Tien punten voor het sociaal domein",
            ["area"] = "Gemeente Voorbeeld",
            ["coordinator"] = new JsonObject { ["name"] = Definitions.Coordinator.Name, ["email"] = Definitions.Coordinator.Email },
            ["escalationContact"] = new JsonObject { ["name"] = Definitions.Contact.Name, ["email"] = Definitions.Contact.Email },
            ["sessionDefaults"] = new JsonObject { ["location"] = "Raadhuis" },
            ["participants"] = LiveDefinitions.MinimumParticipants(draft["groups"]!.AsArray()),
        };
        var definition = host.Definition("tienpuntenplan", overrides);
        var nonce = Links.ProcessNonce.New();
        var id = await host.StartAsync(definition, nonce);
        for (var i = 1; i <= definition.Participants.Count; i++)
        {
            await host.ReplyAsync(id, "p" + i, Answers.Yes);
        }

        var lastEnd = definition.Sessions.Max(s => AmsterdamTime.ToUtc(s.End));
        await host.AdvanceToAsync(lastEnd.AddHours(1));
        foreach (var session in definition.Sessions)
        {
            var actions = session.Id == definition.Sessions[^1].Id
                ? Enumerable.Range(1, 10).Select(n => Action($"Punt {n}", 100 * n)).ToArray()
                : [];
            await UploadAsync(id, 1, session.Id!, actions);
        }

        // Four years: owners report now and then (every other point, twice a year); the rest climbs the ladder.
        for (var month = 0; month < 48; month += 6)
        {
            for (var n = 2; n <= 10; n += 2)
            {
                if ((await host.InstanceAsync(FollowUpItem.InstanceIdFor(id, "a" + n))).IsActive())
                {
                    await ReportAsync(id, "a" + n, month >= 6 * n ? FollowUpStatus.Done : FollowUpStatus.InProgress);
                }
            }

            await host.AdvanceAsync(TimeSpan.FromDays(182));
        }

        await host.AdvanceAsync(TimeSpan.FromDays(60));
        var instance = await host.InstanceAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
        var status = instance.ReadCustomStatusAs<ProcessStatus>()!;
        Assert.Equal(10, status.Actions.Done + status.Actions.Closed);
        Assert.InRange(host.Mail.OfKind(MailKind.ProgressReport).Count, 14, 17);
        Assert.Single(host.Mail.OfKind(MailKind.ProcessSummary));

        // Continue-as-new keeps every generation short, however long the process runs.
        Assert.InRange(host.Engine.HistoryCount(id), 1, 200);
        Assert.InRange(host.Engine.HistoryCount(FollowUpItem.InstanceIdFor(id, "a1")), 1, 60);

        // The link nonce lives as long as the process: every generation keeps it, and every personal link of the
        // process and of its follow-ups (made in every generation) carries it.
        Assert.Equal(nonce, instance.ReadInputAs<DialogueProcessInput>()!.Nonce);
        var tokens = host.Mail.Sent.SelectMany(m => LinkToken().Matches(m.Text)).Select(t => t.Groups[1].Value).Distinct().ToList();
        Assert.Contains(host.Mail.OfKind(MailKind.ActionStalled), m => LinkToken().IsMatch(m.Text)); // made generations later
        Assert.All(tokens, token =>
        {
            // The payload as signed (many links have expired by now, four years on, so TryRead would not say).
            var payload = System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(token.Split('.')[0])).Split('|');
            // Format 3: links carry the recipient's language too, before the nonce.
            Assert.Equal(["3", id, nonce], [payload[0], payload[2], payload[^1]]);
            Assert.Contains(payload[5], new[] { "nl", "en" });
        });
        Assert.True(tokens.Count > 20, $"{tokens.Count} links checked");
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"/l/([A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+)")]
    private static partial System.Text.RegularExpressions.Regex LinkToken();

    /// <summary>Basic process (two groups, minimum 2 residents), everyone but one resident comes; the session has been held.</summary>
    private Task<string> HeldSessionAsync() => host.HeldSessionAsync();

    private Task UploadAsync(string id, int version, params AgreedAction[] actions) => host.UploadMinutesAsync(id, version, "s1", actions);

    private Task UploadAsync(string id, int version, string sessionId, AgreedAction[] actions) => host.UploadMinutesAsync(id, version, sessionId, actions);

    private AgreedAction Action(string title, int dueInDays) =>
        new(title, "Eigenaar", Owner, DateOnly.FromDateTime(AmsterdamTime.FromUtc(host.Now)).AddDays(dueInDays));

    private async Task ReportAsync(string id, string itemId, string status, string? reason = null)
    {
        await host.Client.SignalFollowUpAsync(FollowUpItem.InstanceIdFor(id, itemId), new ProgressReported(status, reason, "eigenaar"));
        await host.RunUntilIdleAsync();
    }
}
