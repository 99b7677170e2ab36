using Dialoog.Core.Engine;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Dialoog.Core.Email;
using Dialoog.Core.Invitations;
using Dialoog.Core.Links;
using Dialoog.Core.Processes.Definition;

namespace Dialoog.Core.Processes;

/// <summary>
/// After the sessions: the minutes (request, reminders, escalation, sending them to attendees), the agreements and
/// initiatives followed by their own orchestrations, progress checks, and the coordinator's summary.
/// </summary>
internal sealed partial class DialogueInbox
{
    /// <summary>A session ended: note who was there and ask the facilitator for the minutes (with the upload link).</summary>
    public async Task SessionEndedAsync(SessionState session)
    {
        session.State = SessionStates.Held;
        session.Attended = state.Attendees.Select(p => p.Id).ToList();
        state.Note(Now, $"Bijeenkomst '{session.Title}' is geweest ({session.Attended.Count} aangemeld).");
        await SendOneAsync(Mail(MailKind.MinutesRequest, MinutesWriter(session), [DialogueState.Snapshot(session)], false, UploadLinks(session),
            session.EndUtc + state.Policy.MinutesDue));
        if (state.Sessions.All(s => s.State is SessionStates.Held or SessionStates.Cancelled))
        {
            var lastEnd = state.Sessions.Where(s => s.State == SessionStates.Held).Select(s => s.EndUtc).DefaultIfEmpty(Now).Max();
            state.Phase = Phases.FollowUp;
            state.FollowUpEndsUtc = state.Policy.FollowUpPeriod is { } period ? lastEnd + period : null;
            state.NextProgressCheckUtc = state.Policy.ProgressCheckCadence is { } cadence ? lastEnd + cadence : null;
        }
    }

    /// <summary>Minutes are late: a reminder to the facilitator, a second one, then the coordinator is told.</summary>
    public async Task MinutesStepAsync(MinutesStep step)
    {
        var session = step.Session;
        if (step.Escalate)
        {
            session.MinutesEscalated = true;
            var facts = new List<string>();
            if (session.FacilitatorName is not null)
            {
                facts.Add($"Gespreksbegeleider: {session.FacilitatorName} ({session.FacilitatorEmail})");
            }

            await SendOneAsync(Mail(MailKind.MinutesEscalation, Coordinator, [DialogueState.Snapshot(session)], false, UploadLinks(session),
                session.EndUtc + state.Policy.MinutesDue, facts));
            state.Note(Now, $"Het verslag van '{session.Title}' is te laat. De coördinator is ingelicht.");
            return;
        }

        session.MinutesReminders++;
        await SendOneAsync(Mail(MailKind.MinutesReminder, MinutesWriter(session), [DialogueState.Snapshot(session)], false, UploadLinks(session),
            session.EndUtc + state.Policy.MinutesDue));
        state.Note(Now, $"Herinnering ({session.MinutesReminders}) gestuurd voor het verslag van '{session.Title}'.");
    }

    /// <summary>Tells the coordinator where the agreements stand; a long follow-up continues as new after each check.</summary>
    public async Task ProgressCheckAsync()
    {
        state.NextProgressCheckUtc = Now + state.Policy.ProgressCheckCadence!.Value;
        await SendOneAsync(Mail(MailKind.ProgressReport, Coordinator, [], false, null, null, state.SummaryFacts()));
        state.Note(Now, "Voortgangscheck van de afspraken gestuurd aan de coördinator.");
    }

    /// <summary>The follow-up period is over (the council period of a 10-point plan): what is still open is closed.</summary>
    public async Task EndFollowUpPeriodAsync()
    {
        state.FollowUpEndsUtc = null;
        state.Note(Now, "De periode om de afspraken te volgen is voorbij.");
        await CloseOpenFollowUpsAsync("De periode om de afspraken te volgen is voorbij.");
    }

    /// <summary>The coordinator's summary at the end: attendance per group, actions, escalations.</summary>
    public Task SendSummaryAsync() =>
        SendOneAsync(Mail(MailKind.ProcessSummary, Coordinator, [], false, null, null, state.SummaryFacts(), note: state.Phase switch
        {
            Phases.Cancelled => "geannuleerd",
            Phases.Closed => "gesloten",
            _ => "afgerond",
        }));

    private async Task HandleMinutesAsync(MinutesUploadedSignal minutes)
    {
        if (state.FindSession(minutes.SessionId) is not { State: SessionStates.Held } session || minutes.Version.Version <= session.MinutesVersion)
        {
            return;
        }

        var correction = session.MinutesVersion > 0;
        session.MinutesVersion = minutes.Version.Version;
        var newActions = NewActions(minutes.Actions);
        var actionLines = minutes.Actions
            .Select(a => $"{a.Title} — {a.OwnerName}, klaar vóór {a.DueDate.ToString("d MMMM yyyy", System.Globalization.CultureInfo.GetCultureInfo("nl-NL"))}")
            .ToList();

        var mails = new List<SendMailRequest>();
        foreach (var attendee in session.Attended.Select(state.FindParticipant).OfType<ParticipantState>())
        {
            var download = new MailLinks(LinkPurpose.MinutesDownload, $"{attendee.Id}:{session.Id}:{session.MinutesVersion}", ["download"], Now.AddDays(30));
            mails.Add(Mail(correction ? MailKind.MinutesCorrected : MailKind.MinutesAvailable, DialogueState.Recipient(attendee),
                [DialogueState.Snapshot(session)], false, download, null, actionLines));
        }

        var toCall = state.CallNotices
            ? session.Attended.Select(state.FindParticipant).OfType<ParticipantState>().Where(p => !p.HasEmail && !p.Erased).ToList()
            : [];
        var sends = new List<Task>
        {
            SendAllAsync(mails),
            NoticeAsync(toCall, _ => new CallNotice($"{CallNoticeKinds.Minutes}-{session.Id}-{session.MinutesVersion}", CallNoticeKinds.Minutes, session.Id,
                MinutesText(session, correction), Now)),
        };

        sends.AddRange(StartActions(newActions, session.Id));
        await Task.WhenAll(sends);
        state.Note(Now, (correction ? $"Een verbeterd verslag (versie {session.MinutesVersion})" : "Het verslag")
            + $" van '{session.Title}' is verstuurd aan {session.Attended.Count - toCall.Count} deelnemers; {(newActions.Count == 1 ? "1 nieuwe afspraak wordt" : $"{newActions.Count} nieuwe afspraken worden")} gevolgd."
            + OnCallList(toCall.Count));
    }

    /// <summary>The agreements not followed yet: the same title and owner again (a corrected upload) is the same agreement.</summary>
    private List<Minutes.AgreedAction> NewActions(IEnumerable<Minutes.AgreedAction> actions) =>
        actions
            .Where(a => !state.FollowUps.Any(f => f.Kind == Actions.FollowUpKinds.Action && f.Title == a.Title && f.OwnerName == a.OwnerName))
            .ToList();

    /// <summary>Each agreement gets its own follow-up orchestration, started in parallel.</summary>
    private List<Task> StartActions(IReadOnlyList<Minutes.AgreedAction> actions, string sessionId)
    {
        var starts = new List<Task>();
        foreach (var action in actions)
        {
            state.ActionsCreated++;
            var id = "a" + state.ActionsCreated.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var due = AmsterdamTime.ToUtc(action.DueDate.ToDateTime(new TimeOnly(23, 59)));
            state.FollowUps.Add(new FollowUpSummary(id, Actions.FollowUpKinds.Action, action.Title, action.OwnerName, due, Actions.FollowUpStatus.Open, 0));
            starts.Add(StartFollowUpAsync(id, Actions.FollowUpKinds.Action, action.Title, null, new Person(action.OwnerName, action.OwnerEmail), null, due, sessionId));
        }

        return starts;
    }

    private async Task StartInitiativeAsync(InitiativeSubmittedSignal initiative)
    {
        state.InitiativesCreated++;
        var id = "i" + state.InitiativesCreated.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var contact = state.Definition.Coordinator;
        state.FollowUps.Add(new FollowUpSummary(id, Actions.FollowUpKinds.Initiative, initiative.Title, contact.Name, null, Actions.FollowUpStatus.Open, 0));
        await StartFollowUpAsync(id, Actions.FollowUpKinds.Initiative, initiative.Title, initiative.Description, contact, initiative.Submitter, null, null);
        state.Note(Now, $"Nieuw initiatief '{initiative.Title}' van {initiative.Submitter.Name}; contactpersoon is {contact.Name}.");
    }

    private void HandleFollowUpChanged(Actions.FollowUpChangedSignal changed)
    {
        var before = state.FollowUps.Find(f => f.ItemId == changed.ItemId);
        var (oldStatus, oldLevel) = (before?.Status, before?.Level ?? 0);
        state.UpdateFollowUp(changed);
        var what = changed.Kind == Actions.FollowUpKinds.Initiative ? "Initiatief" : "Afspraak";
        if (changed.Status != oldStatus && changed.Status is Actions.FollowUpStatus.Done or Actions.FollowUpStatus.Stuck or Actions.FollowUpStatus.Closed)
        {
            state.Note(Now, $"{what} '{changed.Title}': {Actions.FollowUpStatus.Dutch(changed.Status)}.");
        }
        else if (changed.Level > oldLevel && changed.Level >= Actions.LadderLevels.Coordinator)
        {
            state.Note(Now, $"{what} '{changed.Title}' loopt vast; {(changed.Level == Actions.LadderLevels.Coordinator ? "de coördinator" : "de escalatiecontactpersoon")} is ingelicht.");
        }
    }

    private Task StartFollowUpAsync(string id, string kind, string title, string? description, Person owner, Person? submitter, DateTime? dueUtc, string? sessionId)
    {
        var definition = state.Definition;
        var item = new Actions.FollowUpItem(state.ProcessId, id, kind, title, description, owner, submitter, dueUtc, sessionId, definition.Topic, definition.Area,
            definition.Coordinator, definition.EscalationContact, Actions.FollowUpPolicy.From(state.Policy), state.ProcessNonce);
        return _saved.CallActivityAsync(nameof(Actions.StartFollowUpActivity), new Actions.FollowUpInput(item));
    }

    private async Task CloseOpenFollowUpsAsync(string reason)
    {
        var open = state.FollowUps.Where(f => !Actions.FollowUpStatus.IsFinal(f.Status)).ToList();
        await Task.WhenAll(open.Select(f => _saved.CallActivityAsync(nameof(Actions.CloseFollowUpActivity),
            new Actions.FollowUpSignalRequest(Actions.FollowUpItem.InstanceIdFor(state.ProcessId, f.ItemId), new Actions.FollowUpClosing("systeem", reason)))));
        foreach (var item in open)
        {
            // The children confirm by event too; the process does not wait for that to count them as closed.
            item.Status = Actions.FollowUpStatus.Closed;
        }
    }

    private MailRecipient Coordinator => new("coordinator", state.Definition.Coordinator.Name, state.Definition.Coordinator.Email, Languages.Dutch);

    /// <summary>The facilitator writes the minutes; without one, the coordinator does.</summary>
    private MailRecipient MinutesWriter(SessionState session) =>
        session.FacilitatorEmail is { } email ? new MailRecipient("facilitator", session.FacilitatorName ?? "", email, Languages.Dutch) : Coordinator;

    private MailLinks UploadLinks(SessionState session) => new(LinkPurpose.MinutesUpload, session.Id, ["upload"], Now.AddDays(60));
}
