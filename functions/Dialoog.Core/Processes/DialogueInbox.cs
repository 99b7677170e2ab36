using Dialoog.Core.Engine;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Dialoog.Core.Email;
using Dialoog.Core.Invitations;
using Dialoog.Core.Links;
using Dialoog.Core.Processes.Definition;

namespace Dialoog.Core.Processes;

/// <summary>
/// The orchestrator's hands: sends the e-mails, and while the process waits for its next deadline it handles the
/// signals that come in (replies, decisions, changes by the coordinator). Runs inside the orchestration, so it is
/// deterministic: time and ids come from the context, all I/O goes through activities.
/// </summary>
internal sealed partial class DialogueInbox(TaskOrchestrationContext context, DialogueState state) : IDisposable
{
    /// <summary>Mail and calendar retries: SMTP relays, SendGrid and Graph have short outages; the waits are durable timers.</summary>
    private static readonly TaskOptions MailRetry = new(new RetryPolicy(5, TimeSpan.FromSeconds(5), 3, TimeSpan.FromMinutes(10)));

    private readonly SavedStep _saved = new(context);
    private readonly CancellationTokenSource _signalCancellation = new();
    private Task<ProcessSignal>? _signal;
    private Task? _timer;
    private DateTime _timerAt;
    private CancellationTokenSource? _timerCancellation;

    private DateTime Now => context.CurrentUtcDateTime;

    /// <summary>
    /// Waits until <paramref name="due"/> (re-read after every signal, because a signal can move it) or until
    /// <paramref name="done"/> holds. Returns false when the process was stopped meanwhile.
    /// </summary>
    public Task<bool> WaitUntilAsync(Func<DateTime> due, Func<bool>? done = null) => WaitUntilAsync(() => (DateTime?)due(), done);

    /// <summary>As above; a null <paramref name="due"/> waits for signals only.</summary>
    public async Task<bool> WaitUntilAsync(Func<DateTime?> due, Func<bool>? done = null)
    {
        // Bounded by the deadline it waits for: each turn handles one signal (a reply, a decision) or the deadline.
        // The process continues as new at its progress checks, where a long follow-up would otherwise grow.
#pragma warning disable DURABLE0011
        while (true)
#pragma warning restore DURABLE0011
        {
            if (state.Stopped)
            {
                return false;
            }

            if (done?.Invoke() == true)
            {
                return true;
            }

            var at = due();
            if (at <= Now)
            {
                // Signals that are already here go first. A process kept busy (a mail server away, a worker
                // restarting) gets to an overdue reminder or deadline late: a reply waiting since before then must
                // not get that reminder, nor be left out when the deadline counts the groups.
                _signal ??= context.WaitForExternalEvent<ProcessSignal>(ProcessSignal.EventName, _signalCancellation.Token);
                if (_signal.IsCompleted)
                {
                    var arrived = await _signal;
                    _signal = null;
                    await HandleAsync(arrived);
                    continue;
                }

                return true;
            }

            Publish(at);

            // One timer per deadline, kept across signals: a reply must not leave a cancelled timer behind each time.
            if (at is null)
            {
                CancelTimer();
            }
            else if (_timer is null || _timerAt != at)
            {
                CancelTimer();
                _timerCancellation = new CancellationTokenSource();
                _timer = context.CreateTimer(at.Value, _timerCancellation.Token);
                _timerAt = at.Value;
            }

            _signal ??= context.WaitForExternalEvent<ProcessSignal>(ProcessSignal.EventName, _signalCancellation.Token);
            var winner = _timer is null ? await Task.WhenAny(_signal) : await Task.WhenAny(_signal, _timer);
            if (winner == _signal)
            {
                var signal = await _signal;
                _signal = null;
                await HandleAsync(signal);
            }
            else
            {
                _timer = null;
                _timerCancellation?.Dispose();
                _timerCancellation = null;
            }
        }
    }

    public async Task InviteAsync(IEnumerable<ParticipantDefinition> people)
    {
        var invited = state.Add(people, Now);
        Publish(null); // the dashboard shows the process (and its people) while the invitations go out
        if (invited.Count == 0)
        {
            return;
        }

        var mails = invited.Select(p => Mail(MailKind.Invitation, DialogueState.Recipient(p), state.Snapshots(), attachCalendar: true,
            links: ReplyLinks(p), deadline: ReplyDeadlineFor(p))).ToList();
        await Task.WhenAll(SendAllAsync(mails), RecordAsync(invited), SyncCalendarsAsync());
        var mailed = invited.Where(p => p.HasEmail).ToList();
        var toCall = invited.Where(p => !p.HasEmail).ToList();
        if (mailed.Count > 0)
        {
            state.Note(Now, mailed.Count == 1
                ? $"Uitnodiging verstuurd aan {mailed[0].Name} ({mailed[0].Group})."
                : $"Uitnodigingen verstuurd aan {mailed.Count} deelnemers.");
        }

        if (toCall.Count > 0)
        {
            // No e-mail reaches them: the coordinator asks them, from the call list.
            state.Note(Now, toCall.Count == 1
                ? $"{toCall[0].Name} ({toCall[0].Group}) heeft geen e-mailadres en staat op de bellijst."
                : $"{toCall.Count} deelnemers zonder e-mailadres staan op de bellijst.");
        }
    }

    public async Task RequestMandatesAsync()
    {
        var requests = state.Groups
            .Where(g => g.Definition.MandateRequired && g.Definition.Manager is not null)
            .Select(g => Mail(
                MailKind.MandateRequest,
                new MailRecipient("manager-" + g.Index.ToString(System.Globalization.CultureInfo.InvariantCulture), g.Definition.Manager!.Name, g.Definition.Manager.Email, Languages.Dutch),
                state.Snapshots(),
                attachCalendar: false,
                links: new MailLinks(LinkPurpose.Mandate, g.Index.ToString(System.Globalization.CultureInfo.InvariantCulture), ["mandate"], state.LinksExpireUtc),
                deadline: state.ReplyDeadlineUtc,
                facts: [g.Name]))
            .ToList();
        if (requests.Count > 0)
        {
            await SendAllAsync(requests);
            state.Note(Now, $"Mandaat gevraagd aan de leidinggevenden van {requests.Count} organisaties.");
        }
    }

    /// <summary>Waits for replies until the deadline and reminds those who have not replied, on the cadence.</summary>
    public async Task CollectRepliesAsync()
    {
        state.Phase = Phases.CollectingReplies;
        while (true)
        {
            if (!await WaitUntilAsync(() => state.NextReminderUtc() ?? state.ReplyDeadlineUtc))
            {
                return;
            }

            if (Now >= state.ReplyDeadlineUtc)
            {
                return;
            }

            var due = state.RemindersDue(Now);
            foreach (var participant in due)
            {
                participant.RemindersSent++;
                if (!participant.HasEmail)
                {
                    // The cadence that would send them an e-mail puts them on the call list instead (mail to them is skipped).
                    participant.CallReminderSinceUtc = participant.InvitedUtc + (state.Policy.ReminderCadence * participant.RemindersSent);
                }
            }

            await SendAllAsync(due.Select(p => Mail(MailKind.ReplyReminder, DialogueState.Recipient(p), state.Snapshots(),
                attachCalendar: false, links: ReplyLinks(p), deadline: ReplyDeadlineFor(p))));
            if (due.Count > 0)
            {
                await RecordAsync(due);
                var toCall = due.Count(p => !p.HasEmail);
                if (due.Count > toCall)
                {
                    state.Note(Now, $"Herinnering verstuurd aan {due.Count - toCall} deelnemers die nog niet hebben gereageerd.");
                }

                if (toCall > 0)
                {
                    state.Note(Now, toCall == 1
                        ? "Bellijst: 1 deelnemer zonder e-mailadres heeft een herinnering nodig."
                        : $"Bellijst: {toCall} deelnemers zonder e-mailadres hebben een herinnering nodig.");
                }
            }
        }
    }

    /// <summary>
    /// A group is missing at the deadline: the coordinator chooses; without a choice in time the escalation contact is
    /// told; without a choice from either the policy's default applies.
    /// </summary>
    public async Task<(string Choice, TimeSpan? ExtendBy)> EscalateRepresentationAsync(IReadOnlyList<string> shortfall)
    {
        state.Phase = Phases.AwaitingDecision;
        var escalation = new EscalationState("e" + (state.Escalations.Count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), "representation", Now, shortfall);
        state.Escalations.Add(escalation);
        var decisionLinks = new MailLinks(LinkPurpose.Decision, escalation.Id, DecisionChoices.All, state.LinksExpireUtc);
        var coordinator = new MailRecipient("coordinator", state.Definition.Coordinator.Name, state.Definition.Coordinator.Email, Languages.Dutch);
        var contact = new MailRecipient("contact", state.Definition.EscalationContact.Name, state.Definition.EscalationContact.Email, Languages.Dutch);

        await SendOneAsync(Mail(MailKind.RepresentationEscalation, coordinator, state.Snapshots(), false, decisionLinks, state.ReplyDeadlineUtc, shortfall));
        state.Note(Now, "Niet alle groepen zijn vertegenwoordigd. De coördinator is gevraagd een keuze te maken.");

        var coordinatorDue = escalation.OpenedUtc + state.Policy.DecisionTimeout;
        if (!await WaitUntilAsync(() => coordinatorDue, () => !escalation.IsOpen))
        {
            return (DecisionChoices.Cancel, null);
        }

        if (escalation.IsOpen)
        {
            escalation.Level = "contact";
            await SendOneAsync(Mail(MailKind.EscalationContactNotice, contact, state.Snapshots(), false, decisionLinks, state.ReplyDeadlineUtc, shortfall));
            state.Note(Now, $"De coördinator heeft niet op tijd gekozen. {contact.Name} is ingelicht.");
            var contactDue = coordinatorDue + state.Policy.EscalationContactTimeout;
            if (!await WaitUntilAsync(() => contactDue, () => !escalation.IsOpen))
            {
                return (DecisionChoices.Cancel, null);
            }
        }

        if (escalation.IsOpen)
        {
            escalation.Level = "default";
            escalation.Decision = state.Policy.DefaultDecision;
            escalation.DecidedBy = "standaardkeuze";
            await Task.WhenAll(
                SendOneAsync(Mail(MailKind.DefaultDecisionApplied, coordinator, state.Snapshots(), false, null, null, shortfall, note: escalation.Decision)),
                SendOneAsync(Mail(MailKind.DefaultDecisionApplied, contact, state.Snapshots(), false, null, null, shortfall, note: escalation.Decision)));
            state.Note(Now, $"Niemand heeft gekozen. De standaardkeuze is toegepast: {DecisionText(escalation.Decision)}.");
        }

        return (escalation.Decision!, escalation.ExtendBy);
    }

    /// <summary>More time to reply; everyone who has not replied hears the new date.</summary>
    public async Task ExtendDeadlineAsync(TimeSpan by)
    {
        var latest = state.Sessions.Where(s => s.State == SessionStates.Planned).Select(s => s.StartUtc - state.Policy.SessionReminderBefore).DefaultIfEmpty(Now + by).Min();
        var deadline = Now + by < latest ? Now + by : latest;
        if (deadline <= Now)
        {
            // No room before the first session: going ahead is the only way that does not loop.
            state.Note(Now, "Verlengen kon niet meer: de eerste bijeenkomst is te dichtbij. Het traject gaat door.");
            return;
        }

        state.ReplyDeadlineUtc = deadline;
        state.Phase = Phases.CollectingReplies;
        var waiting = state.NonResponders.ToList();
        var toCall = waiting.Where(p => !p.HasEmail && !p.Erased).ToList();
        foreach (var participant in toCall)
        {
            participant.CallReminderSinceUtc = Now;
        }

        var sends = new List<Task>
        {
            SendAllAsync(waiting.Select(p => Mail(MailKind.ReplyReminder, DialogueState.Recipient(p), state.Snapshots(),
                attachCalendar: false, links: ReplyLinks(p), deadline: deadline))),
        };
        if (toCall.Count > 0)
        {
            // Only for people without e-mail, so a process without them schedules exactly what it did before.
            sends.Add(RecordAsync(toCall));
        }

        await Task.WhenAll(sends);
        state.Note(Now, $"De reactietermijn is verlengd. {waiting.Count - toCall.Count} deelnemers kregen een herinnering."
            + (toCall.Count > 0 ? $" {toCall.Count} deelnemers zonder e-mailadres staan op de bellijst." : ""));
    }

    public async Task SendSessionReminderAsync(SessionState session)
    {
        session.State = SessionStates.Reminded;
        var attendees = state.Attendees.ToList();
        await SendAllAsync(attendees.Select(p => Mail(MailKind.SessionReminder, DialogueState.Recipient(p), [DialogueState.Snapshot(session)],
            attachCalendar: false, links: ReplyLinks(p), deadline: null)));
        state.Note(Now, $"Herinnering voor '{session.Title}' verstuurd aan {attendees.Count} deelnemers.");
    }

    public async Task CancelProcessAsync(string? reason)
    {
        var cancelled = new List<SessionState>();
        foreach (var session in state.Sessions.Where(s => s.State is SessionStates.Planned or SessionStates.Reminded))
        {
            session.State = SessionStates.Cancelled;
            session.Sequence++;
            cancelled.Add(session);
        }

        state.Phase = Phases.Cancelled;
        var snapshots = cancelled.Select(s => DialogueState.Snapshot(s)).ToList();
        if (snapshots.Count > 0)
        {
            await Task.WhenAll(cancelled.Select(s => SyncCalendarAsync(s, reason))
                .Prepend(SendAllAsync(state.CalendarHolders.Select(p => Mail(MailKind.ProcessCancelled, DialogueState.Recipient(p), snapshots,
                    attachCalendar: true, links: null, deadline: null, note: reason)))));
        }

        var toCall = state.ToCallAbout();
        await NoticeAsync(toCall, _ => new CallNotice(CallNoticeKinds.ProcessCancelled, CallNoticeKinds.ProcessCancelled, null, ProcessCancelledText(reason), Now));
        state.Note(Now, "Het traject is geannuleerd." + (string.IsNullOrWhiteSpace(reason) ? "" : " Reden: " + reason) + OnCallList(toCall.Count));
        await CloseOpenFollowUpsAsync("Het traject is geannuleerd.");
    }

    public ProcessOutcome Finish()
    {
        CancelTimer();
        Publish(null);
        return new ProcessOutcome(
            state.Phase,
            state.Participants.Count,
            state.Attendees.Count(),
            state.Sessions.Count(s => s.State == SessionStates.Held),
            state.Sessions.Count(s => s.State == SessionStates.Cancelled),
            state.Escalations.Count);
    }

    private async Task HandleAsync(ProcessSignal signal)
    {
        switch (signal)
        {
            case ReplySignal reply:
                await HandleReplyAsync(reply);
                break;
            case DecisionSignal decision:
                HandleDecision(decision);
                break;
            case MandateSignal mandate when mandate.GroupIndex >= 0 && mandate.GroupIndex < state.Groups.Count:
                var group = state.Groups[mandate.GroupIndex];
                group.MandateConfirmed = mandate.Confirmed;
                state.Note(Now, mandate.Confirmed
                    ? $"{group.Name}: het mandaat is bevestigd."
                    : $"{group.Name}: het mandaat is niet gegeven." + (string.IsNullOrWhiteSpace(mandate.Remark) ? "" : " Toelichting: " + mandate.Remark));
                break;
            case AddParticipantsSignal add:
                await InviteAsync(add.Participants);
                break;
            case RescheduleSessionSignal reschedule:
                await RescheduleAsync(reschedule);
                break;
            case CancelSessionSignal cancel:
                await CancelSessionAsync(cancel);
                break;
            case CancelProcessSignal cancelProcess:
                await CancelProcessAsync(cancelProcess.Reason);
                break;
            case CloseProcessSignal close:
                state.Phase = Phases.Closed;
                state.Note(Now, "De coördinator heeft het traject gesloten." + (string.IsNullOrWhiteSpace(close.Note) ? "" : " " + close.Note));
                await CloseOpenFollowUpsAsync("Het traject is gesloten.");
                break;
            case MinutesUploadedSignal minutes:
                await HandleMinutesAsync(minutes);
                break;
            case InitiativeSubmittedSignal initiative:
                await StartInitiativeAsync(initiative);
                break;
            case Actions.FollowUpChangedSignal changed:
                HandleFollowUpChanged(changed);
                break;
            case ErasePersonSignal erase:
                await EraseParticipantAsync(erase);
                break;
            case SignUpSignal signUp:
                await SignUpAsync(signUp);
                break;
            case CallDoneSignal callDone:
                await CallDoneAsync(callDone);
                break;
            case AddActionsSignal addActions:
                await AddActionsAsync(addActions);
                break;
            default:
                state.Note(Now, "Een onbekend signaal is genegeerd.");
                break;
        }

        OpenWindowIfDue();
    }

    /// <summary>
    /// Adds someone who signed up on the public page, without an invitation, and counts their yes like a reply. With
    /// an address they get one e-mail ("U bent aangemeld") with their reply links; without one they are on the call list.
    /// </summary>
    private async Task SignUpAsync(SignUpSignal signUp)
    {
        if (state.Add([signUp.Participant], Now) is not [var participant])
        {
            // Already in the process (a signal raised twice, or the page raced itself): the first one stands.
            return;
        }

        participant.SignedUp = true;
        participant.SignUpAnswers = signUp.Answers is { Count: > 0 } answers ? answers : null;
        if (!IsReplyOpen(participant, Now))
        {
            participant.LateAnswer = Answers.Yes;
            state.LateReplies++;
            state.Note(Now, $"{participant.Name} ({participant.Group}) meldde zich aan via het formulier, na de termijn.");
            await RecordAsync([participant]);
            return;
        }

        state.ApplyReply(participant, Answers.Yes, null, Now);
        var mails = participant.HasEmail
            ? [Mail(participant.Waitlisted ? MailKind.Waitlisted : MailKind.SignedUp, DialogueState.Recipient(participant), state.Snapshots(), false,
                ReplyLinks(participant), ReplyDeadlineFor(participant), currentAnswer: Answers.Yes)]
            : new List<SendMailRequest>();
        await Task.WhenAll(SendAllAsync(mails), RecordAsync([participant]), SyncCalendarsAsync());
        var waitlist = participant.Waitlisted ? " (wachtlijst)." : ".";
        state.Note(Now, participant.HasEmail
            ? $"{participant.Name} ({participant.Group}) heeft zich aangemeld via het formulier: {AnswerText(Answers.Yes)}{waitlist}"
            : $"{participant.Name} ({participant.Group}) heeft zich aangemeld via het formulier, zonder e-mailadres: {AnswerText(Answers.Yes)}{waitlist} Staat op de bellijst om te bevestigen.");
        Publish(null);
    }

    private async Task EraseParticipantAsync(ErasePersonSignal erase)
    {
        if (state.FindParticipant(erase.ParticipantId) is not { Erased: false } participant)
        {
            return;
        }

        state.Erase(participant);
        state.Note(Now, "Een deelnemer is op eigen verzoek gewist (AVG). Het antwoord telt nog mee, zonder naam.");

        // The stored record gets the placeholder; the calendar events lose the attendee.
        await Task.WhenAll(RecordAsync([participant]), SyncCalendarsAsync());
    }

    private bool IsErased(MailRecipient to) => state.FindParticipant(to.Id) is { Erased: true };

    /// <summary>
    /// Whether an e-mail can go to this recipient: not erased, and with an address (participants without e-mail are
    /// on the call list instead). Every e-mail of a process before this existed had an address, so they replay alike.
    /// </summary>
    private bool CanMail(MailRecipient to) => !string.IsNullOrEmpty(to.Email) && !IsErased(to);

    private async Task HandleReplyAsync(ReplySignal reply)
    {
        if (state.FindParticipant(reply.ParticipantId) is not { } participant || !Answers.IsValid(reply.Answer))
        {
            return;
        }

        if (participant.Answer == reply.Answer && participant.Remark == reply.Remark)
        {
            // The same reply again (a form sent twice, a retry after a lost connection): nothing changes, so no
            // second confirmation, and no "too late" for a copy that arrives after the deadline. Only a phone sign-up
            // the coordinator called and heard the same answer from is now confirmed: it leaves the call list.
            if (reply is { Confirms: true, RecordedBy: { } confirmedBy } && participant is { SignedUp: true, HasEmail: false, RecordedBy: null })
            {
                participant.RecordedBy = confirmedBy;
                participant.RecordedChannel = reply.Channel;
                state.Note(Now, $"{confirmedBy} heeft de aanmelding van {participant.Name} ({participant.Group}) bevestigd ({ReplyChannels.Dutch(reply.Channel)}): {AnswerText(reply.Answer)}.");
                await RecordAsync([participant]);
            }

            return;
        }

        // Never later than now (a clock ahead must not open a closed deadline), never earlier than the invitation.
        var received = reply.ReceivedUtc is { } at && at < Now ? (at > participant.InvitedUtc ? at : participant.InvitedUtc) : Now;
        if (!IsReplyOpen(participant, received))
        {
            // Recorded for the coordinator, not applied: the deadline is the moment the table is set.
            participant.LateAnswer = reply.Answer;
            state.LateReplies++;
            state.Note(Now, reply.RecordedBy is { } noter
                ? $"{noter} heeft het antwoord van {participant.Name} ({participant.Group}) genoteerd ({ReplyChannels.Dutch(reply.Channel)}), na de termijn: {AnswerText(reply.Answer)}."
                : $"{participant.Name} ({participant.Group}) reageerde na de termijn: {AnswerText(reply.Answer)}.");
            await Task.WhenAll(
                SendOneAsync(Mail(MailKind.ReplyAfterDeadline, DialogueState.Recipient(participant), state.Snapshots(), false, null, null, currentAnswer: reply.Answer)),
                RecordAsync([participant]));
            return;
        }

        var promoted = state.ApplyReply(participant, reply.Answer, reply.Remark, received);
        participant.RecordedBy = reply.RecordedBy;
        participant.RecordedChannel = reply.RecordedBy is null ? null : reply.Channel;
        var kind = participant.Waitlisted ? MailKind.Waitlisted : MailKind.ReplyConfirmation;
        var mails = promoted.Select(p => Mail(MailKind.PromotedFromWaitlist, DialogueState.Recipient(p), state.Snapshots(), false,
            ReplyLinks(p), ReplyDeadlineFor(p), currentAnswer: Answers.Yes))
            .Prepend(Mail(kind, DialogueState.Recipient(participant), state.Snapshots(), false, ReplyLinks(participant), ReplyDeadlineFor(participant), currentAnswer: reply.Answer))
            .ToList();
        await Task.WhenAll(SendAllAsync(mails), RecordAsync([participant, .. promoted]));
        var waitlist = participant.Waitlisted ? " (wachtlijst)." : ".";
        state.Note(Now, reply.RecordedBy is { } by
            ? $"{by} heeft het antwoord van {participant.Name} ({participant.Group}) genoteerd ({ReplyChannels.Dutch(reply.Channel)}): {AnswerText(reply.Answer)}{waitlist}"
            : $"{participant.Name} ({participant.Group}): {AnswerText(reply.Answer)}{waitlist}");
        foreach (var p in promoted)
        {
            state.Note(Now, $"{p.Name} heeft een plaats gekregen (van de wachtlijst).");
        }
    }

    private void HandleDecision(DecisionSignal decision)
    {
        var escalation = state.Escalations.Find(e => e.Id == decision.EscalationId);
        if (escalation is null || !escalation.IsOpen || !DecisionChoices.All.Contains(decision.Choice))
        {
            state.Note(Now, "Een keuze kwam binnen voor een vraag die al beantwoord was; die is genegeerd.");
            return;
        }

        escalation.Decision = decision.Choice;
        escalation.DecidedBy = decision.DecidedBy;
        escalation.ExtendBy = decision.ExtendBy;
        state.Note(Now, $"Keuze van {decision.DecidedBy}: {DecisionText(decision.Choice)}." + (string.IsNullOrWhiteSpace(decision.Note) ? "" : " " + decision.Note));
    }

    private async Task RescheduleAsync(RescheduleSessionSignal change)
    {
        if (state.FindSession(change.SessionId) is not { } session || session.State is SessionStates.Cancelled or SessionStates.Held)
        {
            return;
        }

        session.StartUtc = AmsterdamTime.ToUtc(change.Start);
        session.EndUtc = AmsterdamTime.ToUtc(change.End);
        session.Location = change.Location ?? session.Location;
        session.OnlineLink = change.OnlineLink ?? session.OnlineLink;
        session.Sequence++;

        // A reminder sent for the old date says nothing about the new one.
        if (session.State == SessionStates.Reminded && session.StartUtc - state.Policy.SessionReminderBefore > Now)
        {
            session.State = SessionStates.Planned;
        }

        var holders = state.CalendarHolders.ToList();
        var toCall = state.ToCallAbout();
        await Task.WhenAll(
            SendAllAsync(holders.Select(p => Mail(MailKind.SessionChanged, DialogueState.Recipient(p), [DialogueState.Snapshot(session, changed: true)],
                attachCalendar: true, links: ReplyLinks(p), deadline: null, note: change.Note))),
            SyncCalendarAsync(session),
            NoticeAsync(toCall, _ => new CallNotice($"{CallNoticeKinds.SessionMoved}-{session.Id}-{session.Sequence}", CallNoticeKinds.SessionMoved, session.Id,
                SessionMovedText(session), Now)));
        state.Note(Now, $"Bijeenkomst '{session.Title}' is verplaatst. {holders.Count - toCall.Count} deelnemers kregen de nieuwe gegevens." + OnCallList(toCall.Count));
    }

    private async Task CancelSessionAsync(CancelSessionSignal cancel)
    {
        if (state.FindSession(cancel.SessionId) is not { } session || session.State is SessionStates.Cancelled or SessionStates.Held)
        {
            return;
        }

        session.State = SessionStates.Cancelled;
        session.Sequence++;
        var holders = state.CalendarHolders.ToList();
        var promoted = state.FillSeats();
        var mails = holders.Select(p => Mail(MailKind.SessionCancelled, DialogueState.Recipient(p), [DialogueState.Snapshot(session)],
            attachCalendar: true, links: null, deadline: null, note: cancel.Reason)).ToList();
        mails.AddRange(promoted.Select(p => Mail(MailKind.PromotedFromWaitlist, DialogueState.Recipient(p), state.Snapshots(), false,
            ReplyLinks(p), ReplyDeadlineFor(p), currentAnswer: Answers.Yes)));
        var sends = new List<Task> { SendAllAsync(mails) };
        if (promoted.Count > 0)
        {
            sends.Add(RecordAsync(promoted));
        }

        sends.Add(SyncCalendarAsync(session, cancel.Reason));
        var toCall = state.ToCallAbout();
        sends.Add(NoticeAsync(toCall, _ => new CallNotice($"{CallNoticeKinds.SessionCancelled}-{session.Id}", CallNoticeKinds.SessionCancelled, session.Id,
            SessionCancelledText(session, cancel.Reason), Now)));
        await Task.WhenAll(sends);
        state.Note(Now, $"Bijeenkomst '{session.Title}' is geannuleerd." + (string.IsNullOrWhiteSpace(cancel.Reason) ? "" : " Reden: " + cancel.Reason) + OnCallList(toCall.Count));
        if (state.Sessions.All(s => s.State == SessionStates.Cancelled))
        {
            state.Phase = Phases.Cancelled;
            state.Note(Now, "Alle bijeenkomsten zijn geannuleerd: het traject stopt.");
        }
    }

    /// <summary>
    /// Replies count until the deadline. Someone invited after it may still reply until the next session starts:
    /// otherwise "invite more people" could never help.
    /// </summary>
    private bool IsReplyOpen(ParticipantState participant, DateTime receivedUtc) =>
        receivedUtc <= state.ReplyDeadlineUtc
        || (participant.InvitedUtc > state.ReplyDeadlineUtc && receivedUtc < ReplyDeadlineFor(participant));

    private DateTime ReplyDeadlineFor(ParticipantState participant) =>
        participant.InvitedUtc <= state.ReplyDeadlineUtc
            ? state.ReplyDeadlineUtc
            : state.Sessions.Where(s => s.State is SessionStates.Planned or SessionStates.Reminded).Select(s => s.StartUtc).DefaultIfEmpty(state.ReplyDeadlineUtc).Min();

    private MailLinks ReplyLinks(ParticipantState participant) =>
        new(LinkPurpose.Reply, participant.Id, Answers.All, state.LinksExpireUtc);

    /// <summary>One e-mail, with the key that makes it go out once however often its activity runs.</summary>
    private SendMailRequest Mail(
        MailKind kind,
        MailRecipient to,
        IReadOnlyList<MailSessionSnapshot> sessions,
        bool attachCalendar,
        MailLinks? links,
        DateTime? deadline,
        IReadOnlyList<string>? facts = null,
        string? note = null,
        string? currentAnswer = null) =>
        new(state.ProcessId, kind, to, state.MailProcess, sessions, attachCalendar, deadline, links, facts ?? [], note, currentAnswer)
        {
            IdempotencyKey = state.NextMailKey(kind.ToString(), to.Id),
            ProcessNonce = state.ProcessNonce,
        };

    private async Task SendOneAsync(SendMailRequest request)
    {
        if (!CanMail(request.To))
        {
            return;
        }

        try
        {
            await _saved.CallActivityAsync(nameof(SendMailActivity), request, MailRetry);
        }
        catch (TaskFailedException ex)
        {
            // One address that bounces must not stop the process for everyone else: visible on the timeline instead.
            state.Note(Now, $"E-mail aan {request.To.Name} kon niet worden verstuurd: {ex.FailureDetails.ErrorMessage}");
        }
    }

    /// <summary>
    /// A wave of e-mails in batches, one activity per batch (each step of the engine costs storage round trips, so
    /// one per recipient would make a big wave slow). A batch that keeps failing is sent again one by one, so the
    /// timeline says exactly whose e-mail did not go out.
    /// </summary>
    private Task SendAllAsync(IEnumerable<SendMailRequest> mails)
    {
        var list = mails.Where(m => CanMail(m.To)).ToList();
        return list.Count == 1 ? SendOneAsync(list[0]) : Task.WhenAll(list.Chunk(SendMailBatchActivity.MaxBatchSize).Select(SendBatchAsync));
    }

    private async Task SendBatchAsync(SendMailRequest[] batch)
    {
        IReadOnlyList<MailRefused> refused;
        try
        {
            refused = await _saved.CallActivityAsync<IReadOnlyList<MailRefused>>(nameof(SendMailBatchActivity), new SendMailBatch(batch), MailRetry);
        }
        catch (TaskFailedException)
        {
            await Task.WhenAll(batch.Select(SendOneAsync));
            return;
        }

        foreach (var r in refused)
        {
            state.Note(Now, $"E-mail aan {r.Name} kon niet worden verstuurd: {r.Reason}");
        }
    }

    private Task RecordAsync(IEnumerable<ParticipantState> participants) =>
        _saved.CallActivityAsync(nameof(RecordParticipantsActivity), new RecordParticipantsRequest(state.ProcessId, participants.Distinct().Select(DialogueState.ToRecord).ToList()));

    private void Publish(DateTime? next) => context.SetCustomStatus(state.ToStatus(next));

    public void Dispose()
    {
        CancelTimer();
        _signalCancellation.Dispose();
    }

    /// <summary>
    /// Before ContinueAsNew: handles a signal that already arrived, then stops waiting, so every later signal stays in
    /// the inbox for the next generation instead of being lost with this one.
    /// </summary>
    public async Task DrainAsync()
    {
        while (_signal is { IsCompleted: true } arrived)
        {
            _signal = null;
            await HandleAsync(await arrived);
        }

        CancelTimer();
#pragma warning disable CA1849 // CancelAsync runs callbacks on the thread pool: orchestrator code must stay on its own thread.
        _signalCancellation.Cancel();
#pragma warning restore CA1849
        _signal = null;
    }

    private void CancelTimer()
    {
        if (_timerCancellation is not null)
        {
#pragma warning disable CA1849 // CancelAsync runs callbacks on the thread pool: orchestrator code must stay on its own thread.
            _timerCancellation.Cancel();
#pragma warning restore CA1849
            _timerCancellation.Dispose();
            _timerCancellation = null;
        }

        _timer = null;
    }

    private static string AnswerText(string answer) => answer switch
    {
        Answers.Yes => "ja",
        Answers.No => "nee",
        _ => "misschien",
    };

    internal static string DecisionText(string? choice) => choice switch
    {
        DecisionChoices.ExtendDeadline => "termijn verlengen",
        DecisionChoices.InviteMore => "meer mensen uitnodigen",
        DecisionChoices.GoAhead => "toch doorgaan",
        DecisionChoices.Cancel => "traject stoppen",
        _ => "onbekend",
    };
}
