using System.Text.Json.Serialization;
using Dialoog.Core.Processes;
using Dialoog.Core.Processes.Definition;

namespace Dialoog.Core.Actions;

/// <summary>What is followed: an agreement from a session (action) or a plan raised by residents (initiative).</summary>
public static class FollowUpKinds
{
    public const string Action = "action";
    public const string Initiative = "initiative";
}

/// <summary>Where a followed item stands. Wire values are English; the pages say open, bezig, klaar, vastgelopen, gesloten.</summary>
public static class FollowUpStatus
{
    public const string Open = "open";
    public const string InProgress = "inProgress";
    public const string Done = "done";
    public const string Stuck = "stuck";
    public const string Closed = "closed";

    /// <summary>What an owner can report through the link.</summary>
    public static readonly IReadOnlyList<string> Reportable = [InProgress, Done, Stuck];

    public static bool IsFinal(string status) => status is Done or Closed;

    public static string Dutch(string status) => status switch
    {
        InProgress => "bezig",
        Done => "klaar",
        Stuck => "vastgelopen",
        Closed => "gesloten",
        _ => "open",
    };
}

/// <summary>The escalation ladder: nobody told yet, the owner reminded, the coordinator told, the escalation contact told.</summary>
public static class LadderLevels
{
    public const int None = 0;
    public const int Owner = 1;
    public const int Coordinator = 2;
    public const int Contact = 3;
}

/// <summary>The timings of the ladder, taken from the process policy when the item starts.</summary>
public sealed record FollowUpPolicy(
    TimeSpan ReminderBeforeDue,
    TimeSpan StallThreshold,
    TimeSpan EscalateToCoordinatorAfter,
    TimeSpan EscalateToContactAfter)
{
    public static FollowUpPolicy From(ProcessPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return new(policy.ActionReminderBeforeDue, policy.StallThreshold, policy.EscalateToCoordinatorAfter, policy.EscalateToContactAfter);
    }
}

/// <summary>One followed item. Its orchestration instance id is <see cref="InstanceId"/>.</summary>
/// <param name="Id"><c>a1</c>, <c>a2</c>… for actions, <c>i1</c>… for initiatives; unique within the process.</param>
/// <param name="Owner">The action's owner, or the initiative's contact person at the municipality.</param>
/// <param name="Submitter">Who raised the initiative (null for actions).</param>
/// <param name="DueUtc">Actions: the end of the due day in Amsterdam. Initiatives have none.</param>
/// <param name="ProcessNonce">The process's nonce (<see cref="Processes.DialogueProcessInput.Nonce"/>), for the item's links.</param>
public sealed record FollowUpItem(
    string ProcessId,
    string Id,
    string Kind,
    string Title,
    string? Description,
    Person Owner,
    Person? Submitter,
    DateTime? DueUtc,
    string? SessionId,
    string Topic,
    string Area,
    Person Coordinator,
    Person EscalationContact,
    FollowUpPolicy Policy,
    string? ProcessNonce = null)
{
    public string InstanceId => InstanceIdFor(ProcessId, Id);

    public static string InstanceIdFor(string processId, string itemId) => $"{processId}-{itemId}";
}

/// <summary>Where the ladder stands, carried across ContinueAsNew so history stays small however long it runs.</summary>
public sealed record FollowUpProgress(
    string Status,
    string? Reason,
    DateTime LastUpdateUtc,
    int Level,
    DateTime? LevelSinceUtc,
    bool DueReminderSent,
    int Updates,
    int Escalations,
    string? StallReason = null,
    int Generation = 0);

public sealed record FollowUpInput(FollowUpItem Item, FollowUpProgress? Progress = null);

/// <summary>Signals to a followed item: progress from its owner's link, or closing by the coordinator.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(ProgressReported), "progress")]
[JsonDerivedType(typeof(FollowUpClosing), "close")]
public abstract record FollowUpSignal
{
    public const string EventName = "FollowUpSignal";
}

/// <param name="Status">One of <see cref="FollowUpStatus.Reportable"/>.</param>
public sealed record ProgressReported(string Status, string? Reason, string By) : FollowUpSignal;

public sealed record FollowUpClosing(string By, string? Reason) : FollowUpSignal;

/// <summary>From a followed item to its process: its new state, for the process status and the end of the process.</summary>
public sealed record FollowUpChangedSignal(string ItemId, string Kind, string Title, string OwnerName, DateTime? DueUtc, string Status, int Level) : ProcessSignal;

/// <summary>The coordinator's view of one followed item (table row and API shape).</summary>
public sealed record FollowUpRecord(
    string ProcessId,
    string Id,
    string Kind,
    string Title,
    string? Description,
    Person Owner,
    Person? Submitter,
    DateTime? DueUtc,
    string Status,
    string? Reason,
    int Level,
    DateTime LastUpdateUtc,
    int Updates,
    int Escalations)
{
    public bool Stalled => Level > LadderLevels.None && !FollowUpStatus.IsFinal(Status);
}
