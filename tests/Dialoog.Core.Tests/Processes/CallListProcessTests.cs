using System.Collections.Concurrent;
using Dialoog.Core.Calendar;
using Dialoog.Core.Email;
using Dialoog.Core.Invitations;
using Dialoog.Core.Processes;
using Dialoog.Core.Processes.Definition;
using Dialoog.Core.Tests.Processes.Support;
using Dialoog.Testing;

namespace Dialoog.Core.Tests.Processes;

/// <summary>
/// A participant without e-mail (issue 17, items 4 and 5) in virtual time: on the call list instead of invited by
/// e-mail, a reminder entry where the cadence would send a reminder, and an answer the coordinator notes that counts
/// like any reply. No e-mail and no calendar invitation ever reaches them.
/// </summary>
[Collection(DevStackCollection.Name)]
public sealed class CallListProcessTests(DevStackFixture stack) : IAsyncLifetime
{
    private readonly RecordingCalendar calendar = new();
    private ProcessTestHost host = null!;

    public Task InitializeAsync()
    {
        host = new ProcessTestHost(stack, calendar);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    /// <summary>Inwoners need 2: Inwoner 1 (e-mail) and Henk (phone only, p4); gemeente needs 1.</summary>
    private static ProcessDefinition WithHenk(DateTime nowUtc)
    {
        var basic = Definitions.Basic(nowUtc, residents: 1);
        return basic with
        {
            Participants = [.. basic.Participants, new ParticipantDefinition("Henk Bellen", "", "inwoners", Phone: "06-12345678", Address: "Dorpsstraat 3, Voorbeeld")],
        };
    }

    [Fact]
    public async Task PhoneOnly_OnTheCallList_ReminderEntryOnTheCadence_RecordedReplyCountsForTheGroup_NoEmailEver()
    {
        var started = host.Now;
        var id = await host.StartAsync(WithHenk(host.Now));

        // Invited without an e-mail: the coordinator asks Henk, from the call list.
        Assert.Equal(3, host.Mail.OfKind(MailKind.Invitation).Count);
        var entry = Assert.Single(await CallListAsync(id));
        Assert.Equal(("p4", "Henk Bellen", CallReasons.Ask, "tel:+31612345678", "06-12345678", "Dorpsstraat 3, Voorbeeld"),
            (entry.ParticipantId, entry.Name, entry.Reason, entry.TelLink, entry.Phone, entry.Address));
        Assert.Equal(started.AddDays(14), entry.ReplyOpenUntilUtc);
        Assert.Contains((await host.StatusAsync(id)).Timeline, t => t.Text == "Henk Bellen (inwoners) heeft geen e-mailadres en staat op de bellijst.");

        await host.ReplyAsync(id, "p1", Answers.Yes);
        await host.ReplyAsync(id, "p2", Answers.Yes);

        // The cadence that e-mails Official B a reminder puts Henk on the call list as "reminder needed since".
        await host.AdvanceAsync(TimeSpan.FromDays(3) + TimeSpan.FromMinutes(1));
        Assert.Equal(["official.b@gemeente.example"], host.Mail.OfKind(MailKind.ReplyReminder).Select(m => m.To.Address));
        entry = Assert.Single(await CallListAsync(id));
        Assert.Equal((CallReasons.Reminder, started.AddDays(3), 1), (entry.Reason, entry.ReminderNeededSinceUtc, entry.Reminders));
        Assert.Contains((await host.StatusAsync(id)).Timeline, t => t.Text == "Bellijst: 1 deelnemer zonder e-mailadres heeft een herinnering nodig.");

        await host.AdvanceAsync(TimeSpan.FromDays(3));
        entry = Assert.Single(await CallListAsync(id));
        Assert.Equal((started.AddDays(6), 2), (entry.ReminderNeededSinceUtc, entry.Reminders));

        // Carla calls Henk and notes his answer: it counts like a reply through the link.
        await host.SignalAsync(id, new ReplySignal("p4", Answers.Yes, "Komt met de buurman", host.Now, Definitions.Coordinator.Name, ReplyChannels.Phone));

        Assert.Empty(await CallListAsync(id));
        var henk = (await host.Directory.FindAsync(id, "p4", CancellationToken.None))!;
        Assert.Equal((Answers.Yes, "Komt met de buurman", Definitions.Coordinator.Name, ReplyChannels.Phone), (henk.Answer, henk.Remark, henk.RecordedBy, henk.RecordedChannel));
        var status = await host.StatusAsync(id);
        Assert.Equal(2, status.Groups.Single(g => g.Name == "inwoners").Yes);
        Assert.Contains(status.Timeline, t => t.Text == "Carla Coördinator heeft het antwoord van Henk Bellen (inwoners) genoteerd (telefoon): ja.");

        // At the deadline every group has its minimum thanks to Henk: on to the sessions, no escalation.
        await host.AdvanceToAsync(started.AddDays(14) + TimeSpan.FromMinutes(1));
        status = await host.StatusAsync(id);
        Assert.Equal(Phases.Sessions, status.Phase);
        Assert.Empty(status.Escalations);

        // The session reminder goes to the attendees with e-mail; Henk, an attendee, gets nothing by e-mail or calendar.
        await host.AdvanceToAsync(started.AddDays(21) + TimeSpan.FromHours(3));
        Assert.Equal(2, host.Mail.OfKind(MailKind.SessionReminder).Count);
        Assert.DoesNotContain(host.Mail.Sent, m => m.To.Name == "Henk Bellen" || string.IsNullOrEmpty(m.To.Address));
        Assert.NotEmpty(calendar.Syncs);
        Assert.All(calendar.Syncs, sync => Assert.DoesNotContain(sync.Attendees, a => a.Name == "Henk Bellen" || string.IsNullOrEmpty(a.Address)));
        Assert.Equal(0, host.Mail.Repeats);
    }

    [Fact]
    public async Task PhoneOnly_NoAnswerAtTheDeadline_ExtendingPutsThemBackOnTheCallList_ANoteAtTheDoorTakesThemOff()
    {
        var started = host.Now;
        var id = await host.StartAsync(WithHenk(host.Now));
        await host.ReplyAsync(id, "p1", Answers.Yes);
        await host.ReplyAsync(id, "p2", Answers.Yes);

        // Henk's reply period is over: off the list, and inwoners are short, so the coordinator is asked.
        await host.AdvanceToAsync(started.AddDays(14) + TimeSpan.FromMinutes(1));
        Assert.Equal(Phases.AwaitingDecision, (await host.StatusAsync(id)).Phase);
        Assert.Empty(await CallListAsync(id));

        await host.SignalAsync(id, new DecisionSignal("e1", DecisionChoices.ExtendDeadline, TimeSpan.FromDays(3), "Carla", null));
        var entry = Assert.Single(await CallListAsync(id));
        Assert.Equal((CallReasons.Reminder, host.Now, host.Now.AddDays(3)), (entry.Reason, entry.ReminderNeededSinceUtc, entry.ReplyOpenUntilUtc));
        Assert.Contains((await host.StatusAsync(id)).Timeline, t => t.Text.EndsWith("1 deelnemers zonder e-mailadres staan op de bellijst.", StringComparison.Ordinal));

        await host.SignalAsync(id, new ReplySignal("p4", Answers.No, null, host.Now, "Carla", ReplyChannels.Door));
        Assert.Empty(await CallListAsync(id));
        Assert.Contains((await host.StatusAsync(id)).Timeline, t => t.Text == "Carla heeft het antwoord van Henk Bellen (inwoners) genoteerd (aan de deur): nee.");
        Assert.DoesNotContain(host.Mail.Sent, m => string.IsNullOrEmpty(m.To.Address));
    }

    [Fact]
    public async Task RecordedReply_ForSomeoneWithEmail_IsConfirmedByEmail_AndAfterTheDeadlineIsNotedAsLate()
    {
        var id = await host.StartAsync(WithHenk(host.Now));

        await host.SignalAsync(id, new ReplySignal("p1", Answers.Maybe, null, host.Now, "Carla", ReplyChannels.Counter));
        Assert.Single(host.Mail.OfKind(MailKind.ReplyConfirmation, "inwoner1@example.org"));
        Assert.Equal("Carla", (await host.Directory.FindAsync(id, "p1", CancellationToken.None))!.RecordedBy);

        // Their own reply later: no longer "noted by".
        await host.ReplyAsync(id, "p1", Answers.Yes);
        Assert.Null((await host.Directory.FindAsync(id, "p1", CancellationToken.None))!.RecordedBy);

        await host.AdvanceAsync(TimeSpan.FromDays(15));
        await host.SignalAsync(id, new ReplySignal("p4", Answers.Yes, null, host.Now, "Carla", ReplyChannels.Phone));
        var status = await host.StatusAsync(id);
        Assert.Equal(1, status.LateReplies);
        Assert.Contains(status.Timeline, t => t.Text == "Carla heeft het antwoord van Henk Bellen (inwoners) genoteerd (telefoon), na de termijn: ja.");
        Assert.Empty(host.Mail.OfKind(MailKind.ReplyAfterDeadline));
    }

    private async Task<IReadOnlyList<CallListEntry>> CallListAsync(string id) =>
        CallList.From(await host.StatusAsync(id), await host.Directory.ListAsync(id, CancellationToken.None), host.Now);

    /// <summary>Records every sync, as the Graph calendar would receive it; attaches nothing.</summary>
    private sealed class RecordingCalendar : ISessionCalendar
    {
        private readonly ConcurrentQueue<SessionSync> _syncs = new();

        public IReadOnlyList<SessionSync> Syncs => _syncs.ToList();

        public Task<IReadOnlyList<EmailAttachment>> AttachmentsForAsync(CalendarEvent calendarEvent, MailAddress attendee, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<EmailAttachment>>([]);

        public Task<string?> SyncAsync(SessionSync session, CancellationToken cancellationToken)
        {
            _syncs.Enqueue(session);
            return Task.FromResult<string?>(null);
        }
    }
}
