using Dialoog.Core.Actions;
using Dialoog.Core.Invitations;
using Dialoog.Core.Minutes;
using Dialoog.Core.Processes;
using Dialoog.Core.Processes.Definition;

namespace Dialoog.Core.Reports;

/// <summary>
/// Everything an export or the participation report shows of one process, read fresh from storage. Erased people are
/// already left out here, so no format can show them by mistake.
/// </summary>
public sealed record ProcessSnapshot(
    string Id,
    ProcessDefinition Definition,
    ProcessStatus? Status,
    IReadOnlyList<ParticipantRecord> Participants,
    IReadOnlyList<FollowUpRecord> Items,
    IReadOnlyList<MinutesVersion> Minutes)
{
    /// <summary>The recorded changes per action or initiative (by item id); missing for items from before history was kept.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<FollowUpHistoryEntry>> History { get; init; } = new Dictionary<string, IReadOnlyList<FollowUpHistoryEntry>>();

    public IReadOnlyList<FollowUpHistoryEntry> HistoryOf(FollowUpRecord item) =>
        History.TryGetValue(item?.Id ?? "", out var entries) ? entries : [];

    public static ProcessSnapshot Create(
        string id,
        ProcessDefinition definition,
        ProcessStatus? status,
        IEnumerable<ParticipantRecord> participants,
        IEnumerable<FollowUpRecord> items,
        IEnumerable<MinutesVersion> minutes)
    {
        ArgumentNullException.ThrowIfNull(participants);
        return new(id, definition, status, participants.Where(p => !IsErased(p)).ToList(), items.ToList(), minutes.ToList());
    }

    /// <summary>Erased on their own request (AVG): the record stays so counts add up, but it is nobody any more.</summary>
    public static bool IsErased(ParticipantRecord participant)
    {
        ArgumentNullException.ThrowIfNull(participant);
        return participant.Email == DialogueState.ErasedEmail(participant.Id);
    }
}

/// <summary>Reads the stored parts of a process for <see cref="ProcessSnapshot"/>.</summary>
public sealed class ProcessSnapshotReader(ParticipantDirectory participants, FollowUpDirectory followUps, MinutesStore minutes)
{
    public async Task<ProcessSnapshot> ReadAsync(string id, ProcessDefinition definition, ProcessStatus? status, CancellationToken cancellationToken)
    {
        var people = participants.ListAsync(id, cancellationToken);
        var items = followUps.ListAsync(id, null, cancellationToken);
        var versions = minutes.ListAsync(id, null, cancellationToken);
        var history = followUps.HistoriesAsync(id, cancellationToken);
        return ProcessSnapshot.Create(id, definition, status, await people, await items, await versions) with { History = await history };
    }
}
