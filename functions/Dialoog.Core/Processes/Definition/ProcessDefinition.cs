namespace Dialoog.Core.Processes.Definition;

/// <summary>
/// What a coordinator asks for: one dialogue process (dialoogtraject). Times of sessions are wall-clock times in
/// Europe/Amsterdam; every duration in <see cref="ProcessPolicy"/> is an ISO-8601 duration in JSON.
/// </summary>
public sealed record ProcessDefinition
{
    /// <summary>The template this definition came from, if any (for the dashboard; behaviour comes from the fields).</summary>
    public string? Template { get; init; }

    public string Topic { get; init; } = "";

    public string? Description { get; init; }

    /// <summary>Municipality and area, e.g. "Gemeente Zwolle, wijk Holtenbroek".</summary>
    public string Area { get; init; } = "";

    public Person Coordinator { get; init; } = new("", "");

    /// <summary>
    /// The coordinator's Entra ID account as <c>tenant id/object id</c>, which decides who sees the process in the
    /// web pages (the e-mail address does not). Set from the sign-in when the process starts from the web form.
    /// </summary>
    public string? CoordinatorAccount { get; init; }

    /// <summary>The manager told when the coordinator does not decide in time.</summary>
    public Person EscalationContact { get; init; } = new("", "");

    public IReadOnlyList<StakeholderGroup> Groups { get; init; } = [];

    public IReadOnlyList<ParticipantDefinition> Participants { get; init; } = [];

    public IReadOnlyList<SessionDefinition> Sessions { get; init; } = [];

    public ProcessPolicy Policy { get; init; } = new();

    /// <summary>Open sign-up through the public page <c>/meedoen/{processId}</c>; null (the default) keeps the process closed.</summary>
    public SignUpSettings? SignUp { get; init; }
}

/// <summary>Who may sign up openly, and what they are asked when they do.</summary>
/// <param name="Groups">Names of groups in <see cref="ProcessDefinition.Groups"/> that anyone may join through the page.</param>
/// <param name="Questions">Asked on the sign-up page; the answers are personal data (export, erasure, retention).</param>
public sealed record SignUpSettings(IReadOnlyList<string> Groups, IReadOnlyList<SignUpQuestion>? Questions = null);

/// <param name="Id">Stable id within the process (letters, digits, '-'), the key of the answers.</param>
/// <param name="Text">The question as people read it, e.g. "Heeft u iets nodig om mee te kunnen doen?".</param>
/// <param name="Choices">Tick boxes; empty for a question with only free text.</param>
/// <param name="FreeText">Whether people may also write something in their own words.</param>
public sealed record SignUpQuestion(string Id, string Text, IReadOnlyList<string>? Choices = null, bool FreeText = true);

/// <summary>One person's answer to one <see cref="SignUpQuestion"/>.</summary>
public sealed record SignUpAnswer(string QuestionId, IReadOnlyList<string> Choices, string? Text = null);

/// <param name="Phone">
/// Optional; for the coordinator it is printed on the letter to residents (<c>coordinator.phone</c>), so people
/// without internet can call. Written as typed (06-12345678, 020 123 4567, +31 6 12345678), spaces tidied.
/// </param>
public sealed record Person(string Name, string Email, string? Phone = null);

/// <summary>A belanghebbende groep; the dialogue needs at least <see cref="Minimum"/> of them at the table.</summary>
/// <param name="Manager">For an organisation in an integral team: the manager who confirms the mandate through a link.</param>
/// <param name="MandateRequired">The group only counts as represented once its manager has confirmed the mandate.</param>
public sealed record StakeholderGroup(string Name, int Minimum = 1, Person? Manager = null, bool MandateRequired = false);

/// <param name="Email">Empty for someone without e-mail, who is reached by <paramref name="Phone"/> or <paramref name="Address"/> instead.</param>
/// <param name="Language"><c>nl</c>, <c>en</c> or <c>ar</c>: the language of this participant's e-mails.</param>
/// <param name="Phone">A phone number as typed (06-12345678, 020 123 4567, +31 6 12345678); see <see cref="PhoneNumbers"/>.</param>
/// <param name="Address">A postal address on one line, for someone the coordinator visits or writes to.</param>
/// <remarks>Without an e-mail address a participant gets no e-mail at all: the coordinator's call list asks them instead.</remarks>
public sealed record ParticipantDefinition(string Name, string Email, string Group, string Language = Languages.Dutch, string? Phone = null, string? Address = null);

/// <param name="Id">Stable id within the process (letters, digits, '-'); assigned as s1, s2, … when left out.</param>
/// <param name="Start">Wall-clock start in Europe/Amsterdam.</param>
/// <param name="Capacity">Seats; null means no limit. Beyond it people go on the waitlist.</param>
public sealed record SessionDefinition(
    string? Id,
    string Title,
    DateTime Start,
    DateTime End,
    string? Location = null,
    string? OnlineLink = null,
    int? Capacity = null,
    Person? Facilitator = null);

public static class Languages
{
    public const string Dutch = "nl";
    public const string English = "en";

    /// <summary>Arabic: e-mails read right to left.</summary>
    public const string Arabic = "ar";
}

/// <summary>Every timing of the process. Defaults suit a real municipality; a demo sets them to seconds or minutes.</summary>
public sealed record ProcessPolicy
{
    /// <summary>How long after the invitation people can reply (and change their reply).</summary>
    public TimeSpan ReplyDeadline { get; init; } = TimeSpan.FromDays(14);

    /// <summary>Time between reminders to people who have not replied.</summary>
    public TimeSpan ReminderCadence { get; init; } = TimeSpan.FromDays(3);

    public int MaxReminders { get; init; } = 2;

    /// <summary>How long before each session attendees get a reminder.</summary>
    public TimeSpan SessionReminderBefore { get; init; } = TimeSpan.FromDays(1);

    /// <summary>How long the coordinator has to decide when a group is missing, before the escalation contact is told.</summary>
    public TimeSpan DecisionTimeout { get; init; } = TimeSpan.FromDays(2);

    /// <summary>How long after telling the escalation contact the <see cref="DefaultDecision"/> applies.</summary>
    public TimeSpan EscalationContactTimeout { get; init; } = TimeSpan.FromDays(2);

    /// <summary>What happens when nobody decides: <c>goAhead</c> or <c>cancel</c>.</summary>
    public string DefaultDecision { get; init; } = DecisionChoices.GoAhead;

    /// <summary>Minutes are due this long after a session ends (first reminder then).</summary>
    public TimeSpan MinutesDue { get; init; } = TimeSpan.FromDays(3);

    /// <summary>Second reminder for the minutes, counted from the end of the session.</summary>
    public TimeSpan MinutesReminder { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Escalation to the coordinator for missing minutes, counted from the end of the session.</summary>
    public TimeSpan MinutesEscalation { get; init; } = TimeSpan.FromDays(10);

    public TimeSpan ActionReminderBeforeDue { get; init; } = TimeSpan.FromDays(2);

    /// <summary>An action or initiative without an update for this long counts as stalled.</summary>
    public TimeSpan StallThreshold { get; init; } = TimeSpan.FromDays(14);

    /// <summary>After the owner's reminder: this long until the coordinator is told.</summary>
    public TimeSpan EscalateToCoordinatorAfter { get; init; } = TimeSpan.FromDays(3);

    /// <summary>After the coordinator was told: this long until the escalation contact is told.</summary>
    public TimeSpan EscalateToContactAfter { get; init; } = TimeSpan.FromDays(5);

    /// <summary>How long agreements are followed after the sessions (10-point plan: a council period).</summary>
    public TimeSpan? FollowUpPeriod { get; init; }

    /// <summary>
    /// How long a process stays open after the minutes of its last session are in, for a corrected version, agreements
    /// added later and late initiatives; the coordinator can close it sooner. Zero: it ends as soon as all is done.
    /// </summary>
    public TimeSpan FollowUpWindow { get; init; } = TimeSpan.FromDays(14);

    /// <summary>Periodic progress check while agreements are followed.</summary>
    public TimeSpan? ProgressCheckCadence { get; init; }

    /// <summary>Personal data is removed this long after the process ends.</summary>
    public TimeSpan Retention { get; init; } = TimeSpan.FromDays(365);
}

public static class DecisionChoices
{
    public const string ExtendDeadline = "extendDeadline";
    public const string InviteMore = "inviteMore";
    public const string GoAhead = "goAhead";
    public const string Cancel = "cancel";

    public static readonly IReadOnlyList<string> All = [ExtendDeadline, InviteMore, GoAhead, Cancel];
}
