namespace Dialoog.Functions.Processes;

/// <summary>Phases a process goes through, as shown on the dashboard.</summary>
public static class Phases
{
    public const string Inviting = "inviting";
    public const string CollectingReplies = "collectingReplies";
    public const string AwaitingDecision = "awaitingDecision";
    public const string Sessions = "sessions";
    public const string Completed = "completed";
    public const string Cancelled = "cancelled";
    public const string Closed = "closed";
}

/// <summary>
/// The orchestration's custom status: what the dashboard and API show without reading history. Kept small (the
/// runtime caps it at 16 KB): counts, not people; the last <see cref="ProcessStatus.TimelineLength"/> timeline entries.
/// </summary>
public sealed record ProcessStatus(
    string Phase,
    string Topic,
    string Area,
    string? Template,
    string CoordinatorEmail,
    DateTime? ReplyDeadlineUtc,
    DateTime? NextDeadlineUtc,
    IReadOnlyList<GroupStatus> Groups,
    IReadOnlyList<SessionStatus> Sessions,
    IReadOnlyList<EscalationStatus> Escalations,
    int ParticipantCount,
    int LateReplies,
    IReadOnlyList<TimelineEntry> Timeline)
{
    public const int TimelineLength = 40;
}

public sealed record GroupStatus(string Name, int Minimum, int Yes, int No, int Maybe, int NoReply, int Waitlisted, bool MandateRequired, bool? MandateConfirmed);

/// <param name="State"><c>planned</c>, <c>reminded</c>, <c>held</c> or <c>cancelled</c>.</param>
public sealed record SessionStatus(string Id, string Title, DateTime StartUtc, DateTime EndUtc, string? Location, string? OnlineLink, int? Capacity, int Sequence, string State);

/// <param name="Decision">Null while open.</param>
public sealed record EscalationStatus(string Id, string Kind, DateTime OpenedUtc, IReadOnlyList<string> Facts, string Level, string? Decision, string? DecidedBy);

public sealed record TimelineEntry(DateTime AtUtc, string Text);
