using Dialoog.Core.Processes;
using Dialoog.Core.Processes.Definition;

namespace Dialoog.Core.Invitations;

/// <summary>Why someone is on the call list.</summary>
public static class CallReasons
{
    /// <summary>Invited, not asked by e-mail (they have none), no answer yet.</summary>
    public const string Ask = "ask";

    /// <summary>The reminder cadence says they need a reminder: an e-mail would have gone out now.</summary>
    public const string Reminder = "reminder";

    /// <summary>Signed up on the public page with only a phone number: counted already, a call confirms it.</summary>
    public const string ConfirmSignUp = "confirmSignUp";

    /// <summary>
    /// Something changed that they must hear about (a session moved or cancelled, the process cancelled, the minutes
    /// are there): by phone, or by letter when only a postal address is known. The entry carries a <see cref="CallNotice"/>.
    /// </summary>
    public const string Notice = "notice";

    /// <summary>Dutch, as the call list says it.</summary>
    public static string Dutch(string reason) => reason switch
    {
        Reminder => "Herinnering nodig",
        Notice => "Bericht doorgeven",
        ConfirmSignUp => "Aangemeld via het formulier — even bellen om te bevestigen",
        _ => "Nog vragen of ze komen",
    };
}

/// <summary>Kinds of <see cref="CallNotice"/>: what the person must hear about.</summary>
public static class CallNoticeKinds
{
    public const string SessionMoved = "sessionMoved";
    public const string SessionCancelled = "sessionCancelled";
    public const string ProcessCancelled = "processCancelled";
    public const string Minutes = "minutes";
}

/// <summary>
/// A message for someone without e-mail that the coordinator passes on by phone or letter, instead of the e-mail
/// everyone else gets. It stays on the call list until the coordinator marks it done.
/// </summary>
/// <param name="Id">Stable and readable, from what happened: <c>sessionMoved-s1-2</c> (session s1, its second change).</param>
/// <param name="Kind"><see cref="CallNoticeKinds"/>.</param>
/// <param name="SessionId">The session it is about; null for the whole process.</param>
/// <param name="Text">What to tell them, in Dutch: "De bijeenkomst 'Start' is verplaatst naar …".</param>
public sealed record CallNotice(string Id, string Kind, string? SessionId, string Text, DateTime SinceUtc)
{
    /// <summary>A notice id as the API and the forms accept it: letters, digits and '-', at most 64.</summary>
    public static bool IsValidId(string? id) =>
        id is { Length: > 0 and <= 64 } && id.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');
}

/// <param name="TelLink"><c>tel:+31612345678</c>, or null without a phone number that can be called.</param>
/// <param name="Reason"><see cref="CallReasons"/>.</param>
/// <param name="ReminderNeededSinceUtc">With <see cref="CallReasons.Reminder"/>: since when (the last reminder that came due).</param>
/// <param name="Reminders">How many reminders the cadence has asked for so far.</param>
/// <param name="ReplyOpenUntilUtc">Until when their answer counts; null while the process is starting.</param>
/// <param name="Notice">With <see cref="CallReasons.Notice"/>: the message to pass on.</param>
public sealed record CallListEntry(
    string ParticipantId,
    string Name,
    string Group,
    string? Phone,
    string? TelLink,
    string? Address,
    string Reason,
    DateTime InvitedUtc,
    DateTime? ReminderNeededSinceUtc,
    int Reminders,
    DateTime? ReplyOpenUntilUtc,
    CallNotice? Notice = null)
{
    /// <summary>What the coordinator does, in Dutch: "Bellen: …", or "Brief sturen: …" when there is no phone number.</summary>
    public string Action => Notice is { } notice
        ? (Phone is null ? "Brief sturen: " : "Bellen: ") + notice.Text
        : CallReasons.Dutch(Reason);
}

/// <summary>
/// The coordinator's call list (bellijst): participants without e-mail who still need to be asked, or reminded, by
/// phone or at the door. Made from the participant table and the custom status, so no page or API call reads
/// history. Someone leaves the list with an answer (their own, or one the coordinator noted for them), when their
/// reply period is over, or when the process has ended. Notices (a change they must hear about) stay until the
/// coordinator marks them done, also after the process was cancelled or ended: the process waits for them.
/// </summary>
public static class CallList
{
    public static IReadOnlyList<CallListEntry> From(ProcessStatus? status, IEnumerable<ParticipantRecord> participants, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(participants);
        var people = participants.ToList();
        var notices = people
            .Where(p => string.IsNullOrEmpty(p.Email))
            .SelectMany(p => (p.Notices ?? []).Select(n => new CallListEntry(
                p.Id, p.Name, p.Group, p.Phone, PhoneNumbers.TelLink(p.Phone), p.Address, CallReasons.Notice, p.InvitedUtc, null, p.RemindersSent,
                status is null ? null : ReplyOpenUntil(status, p.InvitedUtc), n)))
            .OrderBy(e => e.Notice!.SinceUtc)
            .ThenBy(e => e.Name, StringComparer.CurrentCultureIgnoreCase)
            .ToList();
        if (status?.Phase is Phases.Completed or Phases.Cancelled or Phases.Closed)
        {
            return notices;
        }

        return notices.Concat(people
            .Where(p => string.IsNullOrEmpty(p.Email) && ((p.Answer is null && p.LateAnswer is null) || (p.SignedUp && p.RecordedBy is null)))
            .Select(p => (Record: p, OpenUntil: status is null ? null : ReplyOpenUntil(status, p.InvitedUtc)))
            .Where(p => p.OpenUntil is null || nowUtc <= p.OpenUntil)
            .Select(p => new CallListEntry(
                p.Record.Id,
                p.Record.Name,
                p.Record.Group,
                p.Record.Phone,
                PhoneNumbers.TelLink(p.Record.Phone),
                p.Record.Address,
                p.Record.SignedUp && p.Record.Answer is not null ? CallReasons.ConfirmSignUp
                    : p.Record.CallReminderSinceUtc is null ? CallReasons.Ask : CallReasons.Reminder,
                p.Record.InvitedUtc,
                p.Record.CallReminderSinceUtc,
                p.Record.RemindersSent,
                p.OpenUntil))
            .OrderBy(e => e.Reason == CallReasons.Reminder ? 0 : 1)
            .ThenBy(e => e.ReminderNeededSinceUtc ?? e.InvitedUtc)
            .ThenBy(e => e.Name, StringComparer.CurrentCultureIgnoreCase))
            .ToList();
    }

    /// <summary>
    /// Until when an answer of someone invited at <paramref name="invitedUtc"/> counts: the reply deadline, or for
    /// someone invited after it, the start of the next session (the orchestrator's rule, read from the status).
    /// </summary>
    public static DateTime? ReplyOpenUntil(ProcessStatus status, DateTime invitedUtc)
    {
        ArgumentNullException.ThrowIfNull(status);
        if (status.ReplyDeadlineUtc is not { } deadline)
        {
            return null;
        }

        return invitedUtc <= deadline
            ? deadline
            : status.Sessions.Where(s => s.State is SessionStates.Planned or SessionStates.Reminded).Select(s => s.StartUtc).DefaultIfEmpty(deadline).Min();
    }
}
