using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Dialoog.Testing.VirtualTime;

/// <summary>A snapshot of one orchestration instance held by the <see cref="VirtualTimeEngine"/>.</summary>
/// <param name="Generation">0 for the first execution, one more for each ContinueAsNew.</param>
public sealed record VirtualInstance(
    string InstanceId,
    string Name,
    string? Version,
    OrchestrationRuntimeStatus Status,
    string? SerializedInput,
    string? SerializedOutput,
    string? SerializedCustomStatus,
    TaskFailureDetails? FailureDetails,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastUpdatedAt,
    string? ParentInstanceId,
    string ExecutionId,
    int Generation,
    int HistoryCount,
    IReadOnlyDictionary<string, string> Tags)
{
    public bool IsTerminal =>
        Status is OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated;
}
