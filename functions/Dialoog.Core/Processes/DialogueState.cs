using System.Globalization;
using Dialoog.Core.Invitations;
using Dialoog.Core.Processes.Definition;

namespace Dialoog.Core.Processes;

/// <summary>
/// The state of one dialogue process, rebuilt by replay: pure data and rules, no I/O and no clock (every method that
/// needs the time gets it). The orchestrator decides what to send; this class decides who is who.
/// </summary>
internal sealed class DialogueState
{
    private readonly List<TimelineEntry> _timeline = [];
    private readonly List<ParticipantState> _participants = [];
    private int _replySequence;

    public DialogueState(string processId, ProcessDefinition definition)
    {
        ProcessId = processId;
        Definition = definition;
        Groups = definition.Groups.Select((g, i) => new GroupState(i, g)).ToList();
        Sessions = definition.Sessions
            .Select(s => new SessionState(s.Id ?? "", s.Title, AmsterdamTime.ToUtc(s.Start), AmsterdamTime.ToUtc(s.End), s.Location, s.OnlineLink, s.Capacity)
            {
                FacilitatorName = s.Facilitator?.Name,
                FacilitatorEmail = s.Facilitator?.Email,
            })
            .ToList();
    }

    public string ProcessId { get; }

    /// <summary>The process's <see cref="DialogueProcessInput.Nonce"/>: every link it sends carries it.</summary>
    public string? ProcessNonce { get; init; }

    /// <summary><see cref="DialogueProcessInput.CallNotices"/>: people without e-mail get call-list notices of changes.</summary>
    public bool CallNotices { get; init; }

    /// <summary><see cref="DialogueProcessInput.OpenAfterMinutes"/>: the process stays open for the follow-up window.</summary>
    public bool OpenAfterMinutes { get; init; }

    /// <summary>Until when corrections, agreements added later and late initiatives are expected; set when the last minutes are in.</summary>
    public DateTime? WindowEndsUtc { get; set; }

    /// <summary>The follow-up window is over (or there was none to wait for): the process may end when all is done.</summary>
    public bool WindowClosed { get; set; }

    public ProcessDefinition Definition { get; }

    public ProcessPolicy Policy => Definition.Policy;

    public string Phase { get; set; } = Phases.Inviting;

    public DateTime ReplyDeadlineUtc { get; set; }

    public IReadOnlyList<ParticipantState> Participants => _participants;

    public List<GroupState> Groups { get; }

    public List<SessionState> Sessions { get; }

    public List<EscalationState> Escalations { get; } = [];

    public int LateReplies { get; set; }

    /// <summary>Actions and initiatives this process follows, as their orchestrations last reported them.</summary>
    public List<FollowUpSummary> FollowUps { get; } = [];

    public int ActionsCreated { get; set; }

    public int InitiativesCreated { get; set; }

    /// <summary>When the follow-up period ends (10-point plan: a council period); null: when the last item is closed.</summary>
    public DateTime? FollowUpEndsUtc { get; set; }

    public DateTime? NextProgressCheckUtc { get; set; }

    public int Generation { get; set; }

    /// <summary>E-mails scheduled so far, per kind and recipient, over the process's whole life.</summary>
    private readonly Dictionary<string, int> _mailCounts = new(StringComparer.Ordinal);

    /// <summary>
    /// The idempotency key of the next e-mail of <paramref name="kind"/> to <paramref name="recipientId"/>: its kind,
    /// its recipient and how many of those went before. Named by what it is, not by its place among all e-mails, so a
    /// step the engine runs again (after a crash or a partition move) with its events in another order still gives
    /// every e-mail the key it had the first time.
    /// </summary>
    public string NextMailKey(string kind, string recipientId)
    {
        var name = kind + ":" + recipientId;
        var count = _mailCounts.GetValueOrDefault(name) + 1;
        _mailCounts[name] = count;
        return Invitations.MailKeys.For(ProcessId, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{name}:{count}"));
    }

    /// <summary>Set when the process was cancelled or closed: every wait ends at once.</summary>
    public bool Stopped => Phase is Phases.Cancelled or Phases.Closed;

    /// <summary>The seats: the smallest capacity of the sessions still to come (null: no limit).</summary>
    public int? Capacity => Sessions.Where(s => s.State != SessionStates.Cancelled).Min(s => s.Capacity);

    public MailProcess MailProcess => new(Definition.Topic, Definition.Area, Definition.Description, Definition.Coordinator.Name, Definition.Coordinator.Email);

    /// <summary>Links stay valid a month after the last session, so a late click gets a friendly page instead of an error.</summary>
    public DateTime LinksExpireUtc => Sessions.Max(s => s.EndUtc).AddDays(30);

    public IReadOnlyList<ParticipantState> Add(IEnumerable<ParticipantDefinition> people, DateTime nowUtc)
    {
        var added = new List<ParticipantState>();
        foreach (var person in people)
        {
            // The API checks for duplicates; this guards against a signal raised twice. Someone without e-mail is
            // known by their phone number, or else by name and postal address.
            var email = person.Email ?? "";
            if ((email.Length > 0 && _participants.Any(p => string.Equals(p.Email, email, StringComparison.OrdinalIgnoreCase)))
                || (email.Length == 0 && _participants.Any(p => !p.HasEmail && SamePerson(p, person)))
                || Groups.All(g => !string.Equals(g.Name, person.Group, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            var participant = new ParticipantState(
                "p" + (_participants.Count + 1).ToString(CultureInfo.InvariantCulture),
                person.Name,
                email,
                Groups.First(g => string.Equals(g.Name, person.Group, StringComparison.OrdinalIgnoreCase)).Name,
                person.Language,
                nowUtc)
            {
                Phone = string.IsNullOrWhiteSpace(person.Phone) ? null : person.Phone.Trim(),
                Address = string.IsNullOrWhiteSpace(person.Address) ? null : person.Address.Trim(),
            };
            _participants.Add(participant);
            added.Add(participant);
        }

        return added;
    }

    private static bool SamePerson(ParticipantState known, ParticipantDefinition person) =>
        !string.IsNullOrWhiteSpace(person.Phone)
            ? known.Phone is not null && DefinitionRules.PhoneKey(known.Phone) == DefinitionRules.PhoneKey(person.Phone)
            : known.Phone is null && string.Equals(known.Name, person.Name, StringComparison.OrdinalIgnoreCase)
                && string.Equals(known.Address, person.Address?.Trim(), StringComparison.OrdinalIgnoreCase);

    /// <summary>Everything this class knows, as JSON: the input of the next generation after ContinueAsNew.</summary>
    public string ToCarry() =>
        System.Text.Json.JsonSerializer.Serialize(
            new DialogueCarry(Phase, ReplyDeadlineUtc, LateReplies, _replySequence, _participants, Groups.Select(g => g.MandateConfirmed).ToList(), Sessions,
                Escalations, _timeline, FollowUps, ActionsCreated, InitiativesCreated, FollowUpEndsUtc, NextProgressCheckUtc, Generation, _mailCounts,
                WindowEndsUtc, WindowClosed),
            Dialoog.Core.Engine.DurableJson.Options);

    public static DialogueState FromCarry(string processId, ProcessDefinition definition, string carry, string? processNonce = null, bool callNotices = false,
        bool openAfterMinutes = false)
    {
        var saved = System.Text.Json.JsonSerializer.Deserialize<DialogueCarry>(carry, Dialoog.Core.Engine.DurableJson.Options)
            ?? throw new InvalidOperationException("The carried state of the process is empty.");
        var state = new DialogueState(processId, definition)
        {
            ProcessNonce = processNonce,
            CallNotices = callNotices,
            OpenAfterMinutes = openAfterMinutes,
            WindowEndsUtc = saved.WindowEndsUtc,
            WindowClosed = saved.WindowClosed,
            Phase = saved.Phase,
            ReplyDeadlineUtc = saved.ReplyDeadlineUtc,
            LateReplies = saved.LateReplies,
            ActionsCreated = saved.ActionsCreated,
            InitiativesCreated = saved.InitiativesCreated,
            FollowUpEndsUtc = saved.FollowUpEndsUtc,
            NextProgressCheckUtc = saved.NextProgressCheckUtc,
            Generation = saved.Generation,
        };
        foreach (var (name, count) in saved.MailCounts ?? [])
        {
            state._mailCounts[name] = count;
        }

        state._replySequence = saved.ReplySequence;
        state._participants.AddRange(saved.Participants);
        state._timeline.AddRange(saved.Timeline);
        for (var i = 0; i < state.Groups.Count && i < saved.Mandates.Count; i++)
        {
            state.Groups[i].MandateConfirmed = saved.Mandates[i];
        }

        state.Sessions.Clear();
        state.Sessions.AddRange(saved.Sessions);
        state.Escalations.AddRange(saved.Escalations);
        state.FollowUps.AddRange(saved.FollowUps);
        return state;
    }

    public ParticipantState? FindParticipant(string id) => _participants.Find(p => p.Id == id);

    public SessionState? FindSession(string id) => Sessions.Find(s => s.Id == id);

    public IEnumerable<ParticipantState> NonResponders => _participants.Where(p => p.Answer is null);

    /// <summary>Everyone who has the sessions in their calendar: all invited except those who said no.</summary>
    public IEnumerable<ParticipantState> CalendarHolders => _participants.Where(p => p.Answer != Answers.No);

    public IEnumerable<ParticipantState> Attendees => _participants.Where(p => p.Answer == Answers.Yes && !p.Waitlisted);

    /// <summary>Who hears about a change to the sessions by phone or letter: said yes or maybe, and have no e-mail.</summary>
    public IReadOnlyList<ParticipantState> ToCallAbout() =>
        CallNotices ? _participants.Where(p => !p.HasEmail && !p.Erased && p.Answer is Answers.Yes or Answers.Maybe).ToList() : [];

    /// <summary>Whether a notice on the call list is still to be passed on.</summary>
    public bool HasOpenCalls => _participants.Any(p => p.Notices.Count > 0);

    /// <summary>
    /// Puts a notice on someone's call-list entry. A newer change to a session replaces what was still to be told
    /// about it (moved, then cancelled: only "cancelled" is left), a cancelled process replaces every session change,
    /// and corrected minutes replace the earlier minutes notice.
    /// </summary>
    public static void AddNotice(ParticipantState participant, CallNotice notice)
    {
        ArgumentNullException.ThrowIfNull(participant);
        ArgumentNullException.ThrowIfNull(notice);
        participant.Notices.RemoveAll(n => n.Id == notice.Id
            || (notice.Kind is CallNoticeKinds.SessionMoved or CallNoticeKinds.SessionCancelled
                && n.Kind is CallNoticeKinds.SessionMoved or CallNoticeKinds.SessionCancelled && n.SessionId == notice.SessionId)
            || (notice.Kind == CallNoticeKinds.ProcessCancelled && n.Kind is CallNoticeKinds.SessionMoved or CallNoticeKinds.SessionCancelled)
            || (notice.Kind == CallNoticeKinds.Minutes && n.Kind == CallNoticeKinds.Minutes && n.SessionId == notice.SessionId));
        participant.Notices.Add(notice);
    }

    /// <summary>Records a reply and returns who moved from the waitlist to a seat because of it.</summary>
    public IReadOnlyList<ParticipantState> ApplyReply(ParticipantState participant, string answer, string? remark, DateTime nowUtc)
    {
        participant.Answer = answer;
        participant.Remark = remark;
        participant.RepliedUtc = nowUtc;
        if (answer == Answers.Yes)
        {
            if (!participant.Seated && !participant.Waitlisted)
            {
                participant.ReplyOrder = ++_replySequence;
                participant.Waitlisted = Capacity is { } seats && Attendees.Count(p => p != participant) >= seats;
                participant.Seated = !participant.Waitlisted;
            }
        }
        else
        {
            participant.Seated = false;
            participant.Waitlisted = false;
        }

        return FillSeats();
    }

    /// <summary>Gives free seats to the waitlist, first come first served.</summary>
    public IReadOnlyList<ParticipantState> FillSeats()
    {
        var promoted = new List<ParticipantState>();
        var seats = Capacity;
        foreach (var waiting in _participants.Where(p => p.Waitlisted).OrderBy(p => p.ReplyOrder).ToList())
        {
            if (seats is { } limit && Attendees.Count() >= limit)
            {
                break;
            }

            waiting.Waitlisted = false;
            waiting.Seated = true;
            promoted.Add(waiting);
        }

        return promoted;
    }

    /// <summary>The groups below their minimum (or without mandate), as lines the coordinator can read.</summary>
    public IReadOnlyList<string> Shortfall()
    {
        var lines = new List<string>();
        foreach (var group in Groups)
        {
            var present = Attendees.Count(p => p.Group == group.Name);
            if (present < group.Definition.Minimum)
            {
                lines.Add($"{group.Name}: {present} van de minimaal {group.Definition.Minimum} aangemeld");
            }

            if (group.Definition.MandateRequired && group.MandateConfirmed != true)
            {
                lines.Add(group.MandateConfirmed == false
                    ? $"{group.Name}: de leidinggevende heeft het mandaat niet gegeven"
                    : $"{group.Name}: het mandaat is nog niet bevestigd");
            }
        }

        return lines;
    }

    /// <summary>When the next reminder to non-responders is due, if any is still allowed before the deadline.</summary>
    public DateTime? NextReminderUtc()
    {
        DateTime? next = null;
        foreach (var participant in NonResponders)
        {
            if (participant.RemindersSent >= Policy.MaxReminders)
            {
                continue;
            }

            var due = participant.InvitedUtc + (Policy.ReminderCadence * (participant.RemindersSent + 1));
            if (due < ReplyDeadlineUtc && (next is null || due < next))
            {
                next = due;
            }
        }

        return next;
    }

    public IReadOnlyList<ParticipantState> RemindersDue(DateTime nowUtc) =>
        NonResponders
            .Where(p => p.RemindersSent < Policy.MaxReminders
                && p.InvitedUtc + (Policy.ReminderCadence * (p.RemindersSent + 1)) <= nowUtc)
            .ToList();

    /// <summary>The next thing to do for the sessions: a reminder before one, or noting one as held after it ended.</summary>
    public SessionStep? NextSessionStep()
    {
        SessionStep? next = null;
        foreach (var session in Sessions)
        {
            SessionStep? step = session.State switch
            {
                SessionStates.Planned => new SessionStep(session, SessionStepKind.Reminder, session.StartUtc - Policy.SessionReminderBefore),
                SessionStates.Reminded => new SessionStep(session, SessionStepKind.Ended, session.EndUtc),
                _ => null,
            };
            if (step is not null && (next is null || step.DueUtc < next.DueUtc))
            {
                next = step;
            }
        }

        return next;
    }

    /// <summary>The next minutes step of a held session without minutes: a reminder, a second one, then escalation.</summary>
    public MinutesStep? NextMinutesStep()
    {
        MinutesStep? next = null;
        foreach (var session in Sessions.Where(s => s.State == SessionStates.Held && s.MinutesVersion == 0 && !s.MinutesEscalated))
        {
            var due = session.MinutesReminders switch
            {
                0 => session.EndUtc + Policy.MinutesDue,
                1 => session.EndUtc + Policy.MinutesReminder,
                _ => session.EndUtc + Policy.MinutesEscalation,
            };
            if (next is null || due < next.DueUtc)
            {
                next = new MinutesStep(session, session.MinutesReminders >= 2, due);
            }
        }

        return next;
    }

    /// <summary>
    /// Done when every session is held or cancelled, every held session has its minutes, and every action and
    /// initiative is done or closed.
    /// </summary>
    public bool AllFollowedUp =>
        MinutesComplete
        && FollowUps.All(f => Actions.FollowUpStatus.IsFinal(f.Status))
        && (!OpenAfterMinutes || WindowClosed);

    /// <summary>Every session is held or cancelled and every held one has its minutes.</summary>
    private bool MinutesComplete =>
        Sessions.All(s => s.State is SessionStates.Held or SessionStates.Cancelled)
        && Sessions.Where(s => s.State == SessionStates.Held).All(s => s.MinutesVersion > 0);

    /// <summary>
    /// Starts the follow-up window once the last minutes are in (once per process). Returns true when it started now,
    /// so the caller can put it on the timeline. Without a held session there is nothing to add to: no window.
    /// </summary>
    public bool OpenWindowIfDue(DateTime nowUtc)
    {
        if (!OpenAfterMinutes || Stopped || WindowEndsUtc is not null || WindowClosed || !MinutesComplete)
        {
            return false;
        }

        if (Sessions.All(s => s.State == SessionStates.Cancelled))
        {
            WindowClosed = true;
            return false;
        }

        WindowEndsUtc = nowUtc + Policy.FollowUpWindow;
        return true;
    }

    /// <summary>The earliest moment the clock has something to do after the reply phase.</summary>
    public DateTime? NextAfterRepliesUtc()
    {
        DateTime? next = null;
        void Consider(DateTime? at)
        {
            if (at is { } value && (next is null || value < next))
            {
                next = value;
            }
        }

        Consider(NextSessionStep()?.DueUtc);
        Consider(NextMinutesStep()?.DueUtc);
        if (Sessions.All(s => s.State is SessionStates.Held or SessionStates.Cancelled))
        {
            Consider(NextProgressCheckUtc);
            Consider(FollowUpEndsUtc);
            Consider(WindowClosed ? null : WindowEndsUtc);
        }

        return next;
    }

    public void UpdateFollowUp(Actions.FollowUpChangedSignal changed)
    {
        var existing = FollowUps.Find(f => f.ItemId == changed.ItemId);
        if (existing is null)
        {
            FollowUps.Add(new FollowUpSummary(changed.ItemId, changed.Kind, changed.Title, changed.OwnerName, changed.DueUtc, changed.Status, changed.Level));
            return;
        }

        existing.Status = changed.Status;
        existing.Level = changed.Level;
    }

    /// <summary>At most this many agreements are named one by one in the summary; the counts above cover the rest.</summary>
    private const int SummaryActionLines = 30;

    /// <summary>Lines for the coordinator's summary and progress check: attendance, actions, initiatives, escalations.</summary>
    public IReadOnlyList<string> SummaryFacts()
    {
        var facts = new List<string>();
        foreach (var group in Groups)
        {
            var invited = _participants.Count(p => p.Group == group.Name);
            var came = _participants.Count(p => p.Group == group.Name && p.Answer == Answers.Yes && !p.Waitlisted);
            facts.Add($"{group.Name}: {came} van de {invited} uitgenodigden aangemeld (minimaal {group.Definition.Minimum})");
        }

        facts.Add($"Bijeenkomsten: {Sessions.Count(s => s.State == SessionStates.Held)} gehouden, {Sessions.Count(s => s.State == SessionStates.Cancelled)} geannuleerd");
        foreach (var kind in new[] { Actions.FollowUpKinds.Action, Actions.FollowUpKinds.Initiative })
        {
            var items = FollowUps.Where(f => f.Kind == kind).ToList();
            if (items.Count == 0)
            {
                continue;
            }

            var label = kind == Actions.FollowUpKinds.Action ? "Afspraken" : "Initiatieven";
            facts.Add($"{label}: {items.Count(f => f.Status == Actions.FollowUpStatus.Done)} klaar, {items.Count(f => f.Status == Actions.FollowUpStatus.Closed)} gesloten, "
                + $"{items.Count(f => !Actions.FollowUpStatus.IsFinal(f.Status))} nog open, waarvan {items.Count(f => f.Stalled)} vastgelopen of te laat");
        }

        facts.Add($"Escalaties: {Escalations.Count} over de vertegenwoordiging, {Sessions.Count(s => s.MinutesEscalated)} over een verslag");
        if (OpenAfterMinutes)
        {
            // Agreements can come in up to weeks after the session: the coordinator sees each one by name.
            facts.AddRange(FollowUps.Where(f => f.Kind == Actions.FollowUpKinds.Action).Take(SummaryActionLines)
                .Select(f => $"Afspraak '{f.Title}' ({f.OwnerName}): {Actions.FollowUpStatus.Dutch(f.Status)}"));
        }

        return facts;
    }

    public static MailSessionSnapshot Snapshot(SessionState session, bool changed = false) =>
        new(session.Id, session.Title, session.StartUtc, session.EndUtc, session.Location, session.OnlineLink, session.Sequence,
            session.State == SessionStates.Cancelled, changed);

    /// <summary>The sessions a participant's e-mail shows: all of them, cancelled ones marked.</summary>
    public IReadOnlyList<MailSessionSnapshot> Snapshots() => Sessions.Select(s => Snapshot(s)).ToList();

    public static MailRecipient Recipient(ParticipantState participant) =>
        new(participant.Id, participant.Name, participant.Email, participant.Language);

    /// <summary>What an erased participant is called everywhere: on the timeline, the process page and in exports.</summary>
    public const string ErasedName = "Gewiste deelnemer";

    /// <summary>An erased participant's address: unique per participant (so nobody is mistaken for another), never deliverable.</summary>
    public static string ErasedEmail(string participantId) => $"gewist-{participantId}@dialoog.invalid";

    /// <summary>Replaces the participant's name, address and remark by placeholders, also in the timeline so far.</summary>
    public void Erase(ParticipantState participant)
    {
        ArgumentNullException.ThrowIfNull(participant);
        var name = participant.Name;
        participant.Name = ErasedName;
        participant.Email = ErasedEmail(participant.Id);
        participant.Phone = null;
        participant.Address = null;
        participant.Remark = null;
        participant.SignUpAnswers = null;
        participant.Notices.Clear();
        participant.Erased = true;
        for (var i = 0; i < _timeline.Count; i++)
        {
            _timeline[i] = _timeline[i] with { Text = Privacy.PersonScrubber.ReplaceName(_timeline[i].Text, name, ErasedName) };
        }
    }

    public void Note(DateTime nowUtc, string text)
    {
        _timeline.Add(new TimelineEntry(nowUtc, text));
        if (_timeline.Count > ProcessStatus.TimelineLength)
        {
            _timeline.RemoveAt(0);
        }
    }

    public ProcessStatus ToStatus(DateTime? nextDeadlineUtc) =>
        new(
            Phase,
            Definition.Topic,
            Definition.Area,
            Definition.Template,
            Definition.Coordinator.Email,
            ReplyDeadlineUtc == default ? null : ReplyDeadlineUtc,
            nextDeadlineUtc,
            Groups.Select(g =>
            {
                var members = _participants.Where(p => p.Group == g.Name).ToList();
                return new GroupStatus(
                    g.Name,
                    g.Definition.Minimum,
                    members.Count(p => p.Answer == Answers.Yes && !p.Waitlisted),
                    members.Count(p => p.Answer == Answers.No),
                    members.Count(p => p.Answer == Answers.Maybe),
                    members.Count(p => p.Answer is null),
                    members.Count(p => p.Waitlisted),
                    g.Definition.MandateRequired,
                    g.MandateConfirmed);
            }).ToList(),
            Sessions.Select(s => new SessionStatus(s.Id, s.Title, s.StartUtc, s.EndUtc, s.Location, s.OnlineLink, s.Capacity, s.Sequence, s.State,
                s.MinutesVersion, s.State == SessionStates.Held && s.MinutesVersion == 0 && s.MinutesReminders > 0)).ToList(),
            Escalations.Select(e => new EscalationStatus(e.Id, e.Kind, e.OpenedUtc, e.Facts, e.Level, e.Decision, e.DecidedBy)).ToList(),
            _participants.Count,
            LateReplies,
            _timeline.ToList())
        {
            Actions = Counts(Actions.FollowUpKinds.Action),
            Initiatives = Counts(Actions.FollowUpKinds.Initiative),
            Stalled = FollowUps.Where(f => f.Stalled).Take(ProcessStatus.StalledListLength)
                .Select(f => new StalledItem(f.ItemId, f.Kind, f.Title.Length > 80 ? f.Title[..80] + "…" : f.Title, f.OwnerName, f.Level)).ToList(),
            FollowUpEndsUtc = FollowUpEndsUtc,
            WindowEndsUtc = WindowClosed || Stopped ? null : WindowEndsUtc,
            CoordinatorAccount = Definition.CoordinatorAccount,
        };

    private FollowUpCounts Counts(string kind)
    {
        var items = FollowUps.Where(f => f.Kind == kind).ToList();
        return new FollowUpCounts(
            items.Count(f => f.Status == Actions.FollowUpStatus.Open),
            items.Count(f => f.Status == Actions.FollowUpStatus.InProgress),
            items.Count(f => f.Status == Actions.FollowUpStatus.Done),
            items.Count(f => f.Status == Actions.FollowUpStatus.Stuck),
            items.Count(f => f.Status == Actions.FollowUpStatus.Closed),
            items.Count(f => f.Stalled));
    }

    public static ParticipantRecord ToRecord(ParticipantState p) =>
        new(p.Id, p.Name, p.Email, p.Group, p.Language, p.Answer, p.Remark, p.Waitlisted, p.RemindersSent, p.InvitedUtc, p.RepliedUtc, p.LateAnswer)
        {
            Phone = p.Phone,
            Address = p.Address,
            CallReminderSinceUtc = p.CallReminderSinceUtc,
            RecordedBy = p.RecordedBy,
            RecordedChannel = p.RecordedChannel,
            SignedUp = p.SignedUp,
            SignUpAnswers = p.SignUpAnswers,
            Notices = p.Notices.Count == 0 ? null : p.Notices.ToList(),
        };
}

internal sealed record DialogueCarry(
    string Phase,
    DateTime ReplyDeadlineUtc,
    int LateReplies,
    int ReplySequence,
    List<ParticipantState> Participants,
    List<bool?> Mandates,
    List<SessionState> Sessions,
    List<EscalationState> Escalations,
    List<TimelineEntry> Timeline,
    List<FollowUpSummary> FollowUps,
    int ActionsCreated,
    int InitiativesCreated,
    DateTime? FollowUpEndsUtc,
    DateTime? NextProgressCheckUtc,
    int Generation,
    Dictionary<string, int>? MailCounts = null,
    DateTime? WindowEndsUtc = null,
    bool WindowClosed = false);

internal sealed class ParticipantState(string id, string name, string email, string group, string language, DateTime invitedUtc)
{
    public string Id { get; } = id;

    public string Name { get; set; } = name;

    /// <summary>Empty for someone without e-mail: they get no e-mail and are on the coordinator's call list instead.</summary>
    public string Email { get; set; } = email;

    [System.Text.Json.Serialization.JsonIgnore]
    public bool HasEmail => !string.IsNullOrEmpty(Email);

    public string? Phone { get; set; }

    /// <summary>Postal address, one line.</summary>
    public string? Address { get; set; }

    /// <summary>
    /// Without e-mail: when the reminder cadence last said this non-responder needs a reminder, which the coordinator
    /// gives by phone or at the door (the call list). Null until the first reminder is due.
    /// </summary>
    public DateTime? CallReminderSinceUtc { get; set; }

    /// <summary>Who noted the current answer for them (the coordinator's name), or null when they replied themselves.</summary>
    public string? RecordedBy { get; set; }

    /// <summary>How that answer was given (<see cref="ReplyChannels"/>), with <see cref="RecordedBy"/>.</summary>
    public string? RecordedChannel { get; set; }

    /// <summary>Erased on their own request (AVG): a placeholder name and address; nothing is sent to them any more.</summary>
    public bool Erased { get; set; }

    /// <summary>Joined through the public sign-up page rather than an invitation.</summary>
    public bool SignedUp { get; set; }

    /// <summary>Their answers to the sign-up questions (personal data; erasure clears them).</summary>
    public IReadOnlyList<Definition.SignUpAnswer>? SignUpAnswers { get; set; }

    /// <summary>Without e-mail: changes still to pass on by phone or letter, until the coordinator marks them done.</summary>
    public List<CallNotice> Notices { get; set; } = [];

    public string Group { get; } = group;

    public string Language { get; } = language;

    public DateTime InvitedUtc { get; set; } = invitedUtc;

    public string? Answer { get; set; }

    public string? Remark { get; set; }

    public DateTime? RepliedUtc { get; set; }

    public bool Seated { get; set; }

    public bool Waitlisted { get; set; }

    public int ReplyOrder { get; set; }

    public int RemindersSent { get; set; }

    /// <summary>An answer that came after the deadline: recorded for the coordinator, not applied.</summary>
    public string? LateAnswer { get; set; }
}

internal sealed class GroupState(int index, StakeholderGroup definition)
{
    public int Index { get; } = index;

    public StakeholderGroup Definition { get; } = definition;

    public string Name => Definition.Name;

    public bool? MandateConfirmed { get; set; }
}

internal static class SessionStates
{
    public const string Planned = "planned";
    public const string Reminded = "reminded";
    public const string Held = "held";
    public const string Cancelled = "cancelled";
}

internal sealed class SessionState(string id, string title, DateTime startUtc, DateTime endUtc, string? location, string? onlineLink, int? capacity)
{
    public string Id { get; } = id;

    public string Title { get; } = title;

    public DateTime StartUtc { get; set; } = startUtc;

    public DateTime EndUtc { get; set; } = endUtc;

    public string? Location { get; set; } = location;

    public string? OnlineLink { get; set; } = onlineLink;

    public int? Capacity { get; } = capacity;

    /// <summary>iCalendar SEQUENCE: raised on every change so calendars replace the old item.</summary>
    public int Sequence { get; set; }

    public string State { get; set; } = SessionStates.Planned;

    /// <summary>The newest stored version of the minutes (0: none yet).</summary>
    public int MinutesVersion { get; set; }

    public int MinutesReminders { get; set; }

    public bool MinutesEscalated { get; set; }

    public string? FacilitatorName { get; set; }

    public string? FacilitatorEmail { get; set; }

    /// <summary>Who was at the table (for the minutes e-mail and the summary), fixed when the session ended.</summary>
    public List<string> Attended { get; set; } = [];
}

internal enum SessionStepKind
{
    Reminder,
    Ended,
}

internal sealed record SessionStep(SessionState Session, SessionStepKind Kind, DateTime DueUtc);

/// <param name="Escalate">True for the last step: the coordinator is told; before that the facilitator is reminded.</param>
internal sealed record MinutesStep(SessionState Session, bool Escalate, DateTime DueUtc);

internal sealed class FollowUpSummary(string itemId, string kind, string title, string ownerName, DateTime? dueUtc, string status, int level)
{
    public string ItemId { get; } = itemId;

    public string Kind { get; } = kind;

    public string Title { get; } = title;

    public string OwnerName { get; } = ownerName;

    public DateTime? DueUtc { get; } = dueUtc;

    public string Status { get; set; } = status;

    public int Level { get; set; } = level;

    public bool Stalled => Level > Actions.LadderLevels.None && !Actions.FollowUpStatus.IsFinal(Status);
}

internal sealed class EscalationState(string id, string kind, DateTime openedUtc, IReadOnlyList<string> facts)
{
    public string Id { get; } = id;

    public string Kind { get; } = kind;

    public DateTime OpenedUtc { get; } = openedUtc;

    public IReadOnlyList<string> Facts { get; } = facts;

    /// <summary><c>coordinator</c>, then <c>contact</c>, then <c>default</c>.</summary>
    public string Level { get; set; } = "coordinator";

    public string? Decision { get; set; }

    public string? DecidedBy { get; set; }

    public TimeSpan? ExtendBy { get; set; }

    public bool IsOpen => Decision is null;
}
