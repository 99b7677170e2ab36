namespace Dialoog.Core.Email;

/// <summary>Every kind of e-mail the product sends. Texts live in MailText.resx (Dutch, B1), MailText.en.resx and MailText.ar.resx.</summary>
public enum MailKind
{
    /// <summary>To a participant: the sessions, reply links, calendar invitation.</summary>
    Invitation,

    /// <summary>To a participant who has not replied yet.</summary>
    ReplyReminder,

    /// <summary>To a participant: we got your reply (with what happens next).</summary>
    ReplyConfirmation,

    /// <summary>To a participant who replied after the deadline: friendly, the coordinator sees it.</summary>
    ReplyAfterDeadline,

    /// <summary>To a participant who said yes while the session is full.</summary>
    Waitlisted,

    /// <summary>To a participant moved from the waitlist to a seat.</summary>
    PromotedFromWaitlist,

    /// <summary>To attendees shortly before a session.</summary>
    SessionReminder,

    /// <summary>To everyone invited: a session moved or changed place (updated calendar item).</summary>
    SessionChanged,

    /// <summary>To everyone invited: a session is cancelled (calendar cancellation).</summary>
    SessionCancelled,

    /// <summary>To everyone invited: the whole process is cancelled.</summary>
    ProcessCancelled,

    /// <summary>To the coordinator: a group is missing at the deadline, with decision links.</summary>
    RepresentationEscalation,

    /// <summary>To the escalation contact: the coordinator did not decide in time.</summary>
    EscalationContactNotice,

    /// <summary>To the coordinator: nobody decided, the default decision was applied.</summary>
    DefaultDecisionApplied,

    /// <summary>To an organisation's manager: confirm the mandate of your people in the team.</summary>
    MandateRequest,

    /// <summary>To the facilitator: the minutes of the session are not in yet, with an upload link.</summary>
    MinutesReminder,

    /// <summary>To the coordinator: the minutes of the session are late; they can upload them too.</summary>
    MinutesEscalation,

    /// <summary>To attendees: the minutes are ready, with a personal download link and the agreed actions.</summary>
    MinutesAvailable,

    /// <summary>To attendees: a corrected version of the minutes replaces the earlier one.</summary>
    MinutesCorrected,

    /// <summary>To the owner of an action or the municipal contact person of an initiative: it is now yours.</summary>
    ActionAssigned,

    /// <summary>To the owner of an action: the due date comes close.</summary>
    ActionReminder,

    /// <summary>To the owner or contact person: the due date has passed or no progress was reported for a while.</summary>
    ActionStalled,

    /// <summary>To the coordinator or the escalation contact: an action or initiative is stuck or late.</summary>
    ActionEscalation,

    /// <summary>To the resident or partner who submitted an initiative: we got it, and what happens next.</summary>
    InitiativeReceived,

    /// <summary>To whoever submitted an initiative on the public form: confirm your address, then it starts.</summary>
    InitiativeConfirm,

    /// <summary>To the resident or partner who submitted an initiative: it is done or closed.</summary>
    InitiativeClosed,

    /// <summary>To the coordinator: a periodic overview of how the agreements are going.</summary>
    ProgressReport,

    /// <summary>To the coordinator when the process ends: attendance, actions and escalations.</summary>
    ProcessSummary,

    /// <summary>To the owner or contact person: the coordinator closed the action or initiative.</summary>
    ActionClosed,

    /// <summary>To the facilitator, when a session has ended: please upload the minutes (and the agreements), with the link.</summary>
    MinutesRequest,

    /// <summary>To someone who signed up on the public page (after confirming their address): you are in, with reply links to change it.</summary>
    SignedUp,

    /// <summary>To whoever signed up on the public page with an e-mail address: confirm it, then you are in.</summary>
    SignUpConfirm,
}

/// <param name="Changed">True when this session changed since the last e-mail (shown as "gewijzigd").</param>
public sealed record MailSession(
    string Title,
    DateTime StartUtc,
    DateTime EndUtc,
    string? Location,
    string? OnlineLink,
    bool Cancelled = false,
    bool Changed = false);

/// <summary>A labelled link in an e-mail, e.g. reply "yes" or a decision choice.</summary>
/// <param name="Key">
/// What the link does: <c>yes</c>, <c>no</c>, <c>maybe</c>, <c>reply</c>, a decision choice, <c>mandate</c>, <c>dashboard</c>,
/// <c>upload</c> or <c>download</c> (minutes), <c>progress</c> (report progress on an action or initiative).
/// </param>
public sealed record MailLink(string Key, string Url);

/// <summary>Everything MailComposer needs to write one e-mail. No I/O happens while composing.</summary>
/// <param name="Language"><c>nl</c>, <c>en</c> or <c>ar</c> (Arabic: the HTML reads right to left).</param>
/// <param name="Facts">Extra lines the kind needs, e.g. the groups that are short at the deadline ("inwoners: 1 van 3").</param>
/// <param name="Note">Free text from the coordinator or the system, e.g. the reason of a cancellation.</param>
/// <param name="ItemKind">
/// For the action and initiative kinds: <c>action</c> (an agreement someone made, "uw afspraak") or <c>initiative</c>
/// (a plan a resident or partner submitted, "het initiatief"). Null reads as <c>action</c>.
/// </param>
/// <param name="CalendarSeparately">True when the calendar invitation comes on its own from the organizer's mailbox
/// (Microsoft Graph) instead of inside this e-mail.</param>
public sealed record MailContent(
    MailKind Kind,
    string Language,
    string RecipientName,
    string Topic,
    string Area,
    string? Description,
    string CoordinatorName,
    string CoordinatorEmail,
    IReadOnlyList<MailSession> Sessions,
    DateTime? ReplyDeadlineUtc,
    IReadOnlyList<MailLink> Links,
    IReadOnlyList<string> Facts,
    string? Note = null,
    string? CurrentAnswer = null,
    string? ItemKind = null,
    bool CalendarSeparately = false,
    string? PrivacyUrl = null);

/// <summary>The written e-mail.</summary>
public sealed record ComposedMail(string Subject, string Html, string Text);
