namespace Dialoog.Core.Processes;

/// <summary>Phases a process goes through, as shown on the dashboard.</summary>
public static class Phases
{
    public const string Inviting = "inviting";
    public const string CollectingReplies = "collectingReplies";
    public const string AwaitingDecision = "awaitingDecision";
    public const string Sessions = "sessions";

    /// <summary>The sessions are over; minutes, actions and initiatives are being followed.</summary>
    public const string FollowUp = "followUp";
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

    public const int StalledListLength = 20;

    public FollowUpCounts Actions { get; init; } = FollowUpCounts.None;

    public FollowUpCounts Initiatives { get; init; } = FollowUpCounts.None;

    /// <summary>Actions and initiatives on the escalation ladder (at most <see cref="StalledListLength"/>).</summary>
    public IReadOnlyList<StalledItem> Stalled { get; init; } = [];

    public DateTime? FollowUpEndsUtc { get; init; }

    /// <summary>
    /// While the follow-up window after the last minutes runs: until when a corrected version, agreements and
    /// initiatives can still be added. Null before the last minutes, after the window and for older processes.
    /// </summary>
    public DateTime? WindowEndsUtc { get; init; }

    /// <summary>Who owns the process in Entra ID (<c>tenant id/object id</c>), for the dashboard's filter.</summary>
    public string? CoordinatorAccount { get; init; }
}

public sealed record FollowUpCounts(int Open, int InProgress, int Done, int Stuck, int Closed, int Stalled)
{
    public static readonly FollowUpCounts None = new(0, 0, 0, 0, 0, 0);
}

/// <param name="Level">1: owner reminded, 2: coordinator told, 3: escalation contact told.</param>
public sealed record StalledItem(string Id, string Kind, string Title, string OwnerName, int Level);

public sealed record GroupStatus(string Name, int Minimum, int Yes, int No, int Maybe, int NoReply, int Waitlisted, bool MandateRequired, bool? MandateConfirmed);

/// <param name="State"><c>planned</c>, <c>reminded</c>, <c>held</c> or <c>cancelled</c>.</param>
/// <param name="MinutesVersion">0 while there are no minutes.</param>
/// <param name="MinutesLate">Held, no minutes, and the due moment has passed.</param>
public sealed record SessionStatus(string Id, string Title, DateTime StartUtc, DateTime EndUtc, string? Location, string? OnlineLink, int? Capacity, int Sequence, string State,
    int MinutesVersion = 0, bool MinutesLate = false);

/// <param name="Decision">Null while open.</param>
public sealed record EscalationStatus(string Id, string Kind, DateTime OpenedUtc, IReadOnlyList<string> Facts, string Level, string? Decision, string? DecidedBy);

public sealed record TimelineEntry(DateTime AtUtc, string Text);
