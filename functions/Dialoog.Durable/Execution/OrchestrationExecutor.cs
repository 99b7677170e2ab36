using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dialoog.Durable.Execution;

/// <summary>The outcome of running one episode: what to append to history and what it asked for.</summary>
internal sealed record EpisodeResult(
    IReadOnlyList<HistoryEvent> Actions,
    ExecutionCompleted? Completion,
    bool ContinuedAsNew,
    string? ContinueAsNewInput,
    IReadOnlyList<EventRaised> CarriedOverEvents,
    bool CustomStatusChanged,
    string? CustomStatus);

/// <summary>
/// Replays an instance's history through its orchestrator code, then feeds it the new events of this episode.
/// Pure: no I/O, and the same history and events always produce the same actions.
/// </summary>
internal static class OrchestrationExecutor
{
    public static EpisodeResult Execute(
        ITaskOrchestrator orchestrator,
        string instanceId,
        int generation,
        IReadOnlyList<HistoryEvent> past,
        IReadOnlyList<HistoryEvent> newEvents,
        string? customStatus,
        ILoggerFactory? loggerFactory = null)
    {
        var previous = SynchronizationContext.Current;
        var sync = new OrchestrationSynchronizationContext();
        SynchronizationContext.SetSynchronizationContext(sync);
        try
        {
            var context = new ReplayContext(orchestrator, instanceId, generation, sync, customStatus, loggerFactory ?? NullLoggerFactory.Instance);
            context.IsReplayingNow = true;
            foreach (var e in past)
            {
                context.Apply(e);
            }

            context.IsReplayingNow = false;
            context.EndOfReplay();
            foreach (var e in newEvents)
            {
                context.Apply(e);
            }

            return context.Finish();
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }
    }
}
