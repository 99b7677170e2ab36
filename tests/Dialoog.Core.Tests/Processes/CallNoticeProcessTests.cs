using Dialoog.Core.Email;
using Dialoog.Core.Invitations;
using Dialoog.Core.Minutes;
using Dialoog.Core.Processes;
using Dialoog.Core.Processes.Definition;
using Dialoog.Core.Tests.Processes.Support;
using Dialoog.Testing;
using Microsoft.DurableTask.Client;

namespace Dialoog.Core.Tests.Processes;

/// <summary>
/// People without e-mail hear about changes through the call list (issue 17): a moved or cancelled session, a cancelled
/// process and new minutes become notices ("Bellen: …", "Brief sturen: …") instead of e-mails, until the coordinator
/// marks them done. In virtual time, so every step also replays.
/// </summary>
[Collection(DevStackCollection.Name)]
public sealed class CallNoticeProcessTests(DevStackFixture stack) : IAsyncLifetime
{
    private ProcessTestHost host = null!;

    public Task InitializeAsync()
    {
        host = new ProcessTestHost(stack);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    /// <summary>Inwoner 1 (e-mail, p1), Ambtenaar A (p2), Official B (p3), Henk (phone only, p4), Ria (address only, p5).</summary>
    private static ProcessDefinition WithHenkAndRia(DateTime nowUtc)
    {
        var basic = Definitions.Basic(nowUtc, residents: 1);
        return basic with
        {
            Participants =
            [
                .. basic.Participants,
                new ParticipantDefinition("Henk Bellen", "", "inwoners", Phone: "06-12345678"),
                new ParticipantDefinition("Ria Brief", "", "inwoners", Address: "Dorpsstraat 5, Voorbeeld"),
            ],
        };
    }

    /// <summary>Everyone says yes; Henk's and Ria's answers are noted by the coordinator.</summary>
    private async Task<string> StartWithEveryoneComingAsync(bool callNotices = true)
    {
        var id = await host.StartAsync(WithHenkAndRia(host.Now), callNotices: callNotices);
        foreach (var p in new[] { "p1", "p2", "p3" })
        {
            await host.ReplyAsync(id, p, Answers.Yes);
        }

        await host.SignalAsync(id, new ReplySignal("p4", Answers.Yes, null, host.Now, "Carla", ReplyChannels.Phone, Confirms: true));
        await host.SignalAsync(id, new ReplySignal("p5", Answers.Maybe, null, host.Now, "Carla", ReplyChannels.Door, Confirms: true));
        Assert.Empty(await CallListAsync(id));
        return id;
    }

    [Fact]
    public async Task SessionMoved_PhoneOnlyAndAddressOnly_GetCallListNotices_NoEmail_DoneClearsItWithWhoOnTheTimeline()
    {
        var id = await StartWithEveryoneComingAsync();
        var startedMails = host.Mail.Sent.Count;

        await host.SignalAsync(id, new RescheduleSessionSignal("s1", new DateTime(2026, 3, 25, 19, 30, 0), new DateTime(2026, 3, 25, 21, 30, 0), null, null, null));

        Assert.Equal(3, host.Mail.OfKind(MailKind.SessionChanged).Count);
        Assert.DoesNotContain(host.Mail.Sent.Skip(startedMails), m => string.IsNullOrEmpty(m.To.Address) || m.To.Name is "Henk Bellen" or "Ria Brief");
        var list = await CallListAsync(id);
        Assert.Equal(2, list.Count);
        var henk = Assert.Single(list, e => e.ParticipantId == "p4");
        Assert.Equal((CallReasons.Notice, "tel:+31612345678", CallNoticeKinds.SessionMoved, "sessionMoved-s1-1"),
            (henk.Reason, henk.TelLink, henk.Notice!.Kind, henk.Notice.Id));
        Assert.Equal("Bellen: De bijeenkomst 'Eerste gesprek' is verplaatst naar woensdag 25 maart 2026, 19.30 uur, Buurthuis De Brug, Kerkstraat 1.", henk.Action);
        var ria = Assert.Single(list, e => e.ParticipantId == "p5");
        Assert.StartsWith("Brief sturen: De bijeenkomst 'Eerste gesprek' is verplaatst naar", ria.Action, StringComparison.Ordinal);
        Assert.Equal("Dorpsstraat 5, Voorbeeld", ria.Address);
        Assert.Contains((await host.StatusAsync(id)).Timeline, t => t.Text.EndsWith("2 deelnemers zonder e-mailadres horen het via de bellijst.", StringComparison.Ordinal));

        // Moved again before Carla called: one notice with the newest time, not two.
        await host.SignalAsync(id, new RescheduleSessionSignal("s1", new DateTime(2026, 3, 26, 19, 30, 0), new DateTime(2026, 3, 26, 21, 30, 0), null, null, null));
        henk = Assert.Single(await CallListAsync(id), e => e.ParticipantId == "p4");
        Assert.Equal("sessionMoved-s1-2", henk.Notice!.Id);
        Assert.Contains("donderdag 26 maart 2026, 19.30 uur", henk.Action, StringComparison.Ordinal);

        await host.SignalAsync(id, new CallDoneSignal("p4", "sessionMoved-s1-2", "Carla"));
        var left = Assert.Single(await CallListAsync(id));
        Assert.Equal("p5", left.ParticipantId);
        Assert.Null((await host.Directory.FindAsync(id, "p4", CancellationToken.None))!.Notices);
        Assert.Contains((await host.StatusAsync(id)).Timeline, t => t.Text.StartsWith("Carla heeft Henk Bellen (inwoners) gebeld: De bijeenkomst 'Eerste gesprek' is verplaatst", StringComparison.Ordinal));

        await host.SignalAsync(id, new CallDoneSignal("p5", "sessionMoved-s1-2", "Dirk"));
        Assert.Empty(await CallListAsync(id));
        Assert.Contains((await host.StatusAsync(id)).Timeline, t => t.Text.StartsWith("Dirk heeft Ria Brief (inwoners) een brief gestuurd:", StringComparison.Ordinal));

        // Marked twice (a form sent twice): nothing changes, nothing fails.
        await host.SignalAsync(id, new CallDoneSignal("p5", "sessionMoved-s1-2", "Dirk"));
        Assert.Empty(await CallListAsync(id));
    }

    [Fact]
    public async Task MinutesAvailable_PhoneOnlyAttendee_GetsACallNotice_NoEmail_ProcessWaitsForTheCallThenEnds()
    {
        var id = await StartWithEveryoneComingAsync();
        await host.AdvanceToAsync(ProcessTestHost.Start.UtcDateTime.AddDays(23));
        Assert.Equal(Phases.FollowUp, (await host.StatusAsync(id)).Phase);

        var minutes = new MinutesVersion(id, "s1", 1, MinutesStore.BlobName(id, "s1", 1), "verslag.pdf", "application/pdf", 100, "00", "Fien", host.Now);
        await host.SignalAsync(id, new MinutesUploadedSignal("s1", minutes, []));

        // The attendees with e-mail get the minutes; Henk (yes) is called; Ria said maybe, so she was not at the table.
        Assert.Equal(["ambtenaar.a@gemeente.example", "inwoner1@example.org", "official.b@gemeente.example"],
            host.Mail.OfKind(MailKind.MinutesAvailable).Select(m => m.To.Address).Order());
        Assert.DoesNotContain(host.Mail.Sent, m => string.IsNullOrEmpty(m.To.Address));
        var entry = Assert.Single(await CallListAsync(id));
        Assert.Equal(("p4", "Bellen: Het verslag van 'Eerste gesprek' is er. Vertel wat erin staat, of stuur het op."), (entry.ParticipantId, entry.Action));

        // Everything is done but the call: the process is completed and still running, so the call can be marked.
        var instance = await host.InstanceAsync(id);
        Assert.Equal((OrchestrationRuntimeStatus.Running, Phases.Completed), (instance.RuntimeStatus, instance.ReadCustomStatusAs<ProcessStatus>()!.Phase));
        Assert.Single(host.Mail.OfKind(MailKind.ProcessSummary));

        await host.SignalAsync(id, new CallDoneSignal("p4", entry.Notice!.Id, "Carla"));
        instance = await host.InstanceAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
        Assert.Contains(instance.ReadCustomStatusAs<ProcessStatus>()!.Timeline, t => t.Text.StartsWith("Carla heeft Henk Bellen (inwoners) gebeld: Het verslag", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SessionCancelled_ThenProcessCancelled_OneNoticeForTheProcess_UnmarkedCallsEndWhenTheLinksExpire()
    {
        var id = await StartWithEveryoneComingAsync();
        await host.SignalAsync(id, new CancelSessionSignal("s1", "De zaal is niet beschikbaar"));

        // The only session is cancelled, so the process is cancelled with it.
        var list = await CallListAsync(id);
        Assert.Equal(2, list.Count);
        Assert.All(list, e => Assert.EndsWith("'Eerste gesprek' van maandag 23 maart 2026, 09.00 uur gaat niet door. Reden: De zaal is niet beschikbaar", e.Action, StringComparison.Ordinal));
        Assert.DoesNotContain(host.Mail.OfKind(MailKind.SessionCancelled), m => string.IsNullOrEmpty(m.To.Address));
        Assert.Equal(3, host.Mail.OfKind(MailKind.SessionCancelled).Count);
        var instance = await host.InstanceAsync(id);
        Assert.Equal((OrchestrationRuntimeStatus.Running, Phases.Cancelled), (instance.RuntimeStatus, instance.ReadCustomStatusAs<ProcessStatus>()!.Phase));

        // A reschedule now changes nothing: the process is cancelled and only waits for the calls.
        await host.SignalAsync(id, new RescheduleSessionSignal("s1", new DateTime(2026, 3, 25, 19, 30, 0), new DateTime(2026, 3, 25, 21, 30, 0), null, null, null));
        Assert.All(await CallListAsync(id), e => Assert.Equal(CallNoticeKinds.SessionCancelled, e.Notice!.Kind));

        await host.SignalAsync(id, new CallDoneSignal("p4", "sessionCancelled-s1", "Carla"));
        Assert.Equal("p5", Assert.Single(await CallListAsync(id)).ParticipantId);

        // Nobody marks Ria's letter: a month after the session the process ends anyway and says so.
        await host.AdvanceToAsync(ProcessTestHost.Start.UtcDateTime.AddDays(21 + 31));
        instance = await host.InstanceAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
        Assert.Contains(instance.ReadCustomStatusAs<ProcessStatus>()!.Timeline, t => t.Text == "De bellijst is niet helemaal afgewerkt; het traject stopt nu toch.");
    }

    [Fact]
    public async Task ProcessCancelled_ReplacesTheSessionNotice_WithOneForTheProcess()
    {
        var definition = WithHenkAndRia(host.Now);
        definition = definition with { Sessions = [.. definition.Sessions, Definitions.Session("s2", "Tweede gesprek", host.Now.AddDays(28))] };
        var id = await host.StartAsync(definition, callNotices: true);
        await host.SignalAsync(id, new ReplySignal("p4", Answers.Yes, null, host.Now, "Carla", ReplyChannels.Phone, Confirms: true));
        await host.SignalAsync(id, new RescheduleSessionSignal("s2", new DateTime(2026, 4, 1, 19, 30, 0), new DateTime(2026, 4, 1, 21, 30, 0), null, null, null));
        Assert.Equal(CallNoticeKinds.SessionMoved, Assert.Single(await CallListAsync(id), e => e.ParticipantId == "p4").Notice!.Kind);

        await host.SignalAsync(id, new CancelProcessSignal("Te weinig belangstelling"));

        var entry = Assert.Single(await CallListAsync(id));
        Assert.Equal("Bellen: Het traject 'Samen zorgen in de wijk' is geannuleerd. De bijeenkomsten gaan niet door. Reden: Te weinig belangstelling", entry.Action);
        Assert.DoesNotContain(host.Mail.Sent, m => string.IsNullOrEmpty(m.To.Address));
        await host.SignalAsync(id, new CallDoneSignal("p4", CallNoticeKinds.ProcessCancelled, "Carla"));
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await host.InstanceAsync(id)).RuntimeStatus);
    }

    [Fact]
    public async Task ProcessStartedBefore_NoCallNotices_RescheduleSchedulesNothingNew()
    {
        var id = await StartWithEveryoneComingAsync(callNotices: false);
        await host.SignalAsync(id, new RescheduleSessionSignal("s1", new DateTime(2026, 3, 25, 19, 30, 0), new DateTime(2026, 3, 25, 21, 30, 0), null, null, null));
        Assert.Empty(await CallListAsync(id));

        await host.SignalAsync(id, new CancelProcessSignal(null));
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await host.InstanceAsync(id)).RuntimeStatus);
    }

    [Fact]
    public async Task PhoneSignUp_TheSameYesNotedAgain_ConfirmsItAndTakesItOffTheCallList()
    {
        var id = await host.StartAsync(WithHenkAndRia(host.Now), callNotices: true);
        await host.SignalAsync(id, new SignUpSignal(new ParticipantDefinition("Sanne Zelf", "", "inwoners", Phone: "+31 6 87654321"), null, host.Now));
        var entry = Assert.Single(await CallListAsync(id), e => e.Name == "Sanne Zelf");
        Assert.Equal(CallReasons.ConfirmSignUp, entry.Reason);

        // An older signal without Confirms (a history from before) leaves it as it was.
        await host.SignalAsync(id, new ReplySignal(entry.ParticipantId, Answers.Yes, null, host.Now, "Carla", ReplyChannels.Phone));
        Assert.Contains(await CallListAsync(id), e => e.Name == "Sanne Zelf");

        await host.SignalAsync(id, new ReplySignal(entry.ParticipantId, Answers.Yes, null, host.Now, "Carla", ReplyChannels.Phone, Confirms: true));
        Assert.DoesNotContain(await CallListAsync(id), e => e.Name == "Sanne Zelf");
        var sanne = (await host.Directory.FindAsync(id, entry.ParticipantId, CancellationToken.None))!;
        Assert.Equal((Answers.Yes, "Carla", ReplyChannels.Phone), (sanne.Answer, sanne.RecordedBy, sanne.RecordedChannel));
        Assert.Contains((await host.StatusAsync(id)).Timeline, t => t.Text == "Carla heeft de aanmelding van Sanne Zelf (inwoners) bevestigd (telefoon): ja.");
        Assert.Equal(1, (await host.StatusAsync(id)).Groups.Single(g => g.Name == "inwoners").Yes);
    }

    private async Task<IReadOnlyList<CallListEntry>> CallListAsync(string id) =>
        CallList.From(await host.StatusAsync(id), await host.Directory.ListAsync(id, CancellationToken.None), host.Now)
            .Where(e => e.Reason == CallReasons.Notice || e.Reason == CallReasons.ConfirmSignUp).ToList();
}
