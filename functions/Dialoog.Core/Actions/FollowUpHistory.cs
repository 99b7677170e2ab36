using Dialoog.Core.Engine;

namespace Dialoog.Core.Actions;

/// <summary>One recorded change of an action or initiative: its status, the reason given and the ladder level then.</summary>
public sealed record FollowUpHistoryEntry(DateTime AtUtc, string Status, string? Reason, int Level);

/// <summary>The list of changes kept beside an item's latest state (<see cref="FollowUpDirectory"/>).</summary>
public static class FollowUpHistory
{
    /// <summary>Enough for years of monthly updates; the oldest go first so the table cell stays well under its 64 KB.</summary>
    public const int MaxEntries = 40;

    public static IReadOnlyList<FollowUpHistoryEntry> Read(string? json) =>
        string.IsNullOrEmpty(json) ? [] : DurableJson.Deserialize<List<FollowUpHistoryEntry>>(json) ?? [];

    /// <summary>
    /// The history with <paramref name="record"/>'s state added. A new update counts from its own moment; a ladder step
    /// (same update, new level) from <paramref name="nowUtc"/>. Nothing is added when nothing changed since the last
    /// entry, so an activity that runs twice records its change once.
    /// </summary>
    public static IReadOnlyList<FollowUpHistoryEntry> Append(IReadOnlyList<FollowUpHistoryEntry> history, FollowUpRecord record, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(record);
        var last = history.Count > 0 ? history[^1] : null;
        var newUpdate = last is null || record.LastUpdateUtc > last.AtUtc;
        if (!newUpdate && last!.Status == record.Status && last.Reason == record.Reason && last.Level == record.Level)
        {
            return history;
        }

        var entry = new FollowUpHistoryEntry(newUpdate ? record.LastUpdateUtc : nowUtc, record.Status, record.Reason, record.Level);
        return history.Append(entry).TakeLast(MaxEntries).ToList();
    }
}
