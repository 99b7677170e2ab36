using System.Text.Json.Serialization;

namespace Dialoog.Durable;

/// <summary>
/// One fact in an instance's history. Replaying the history through the orchestrator code rebuilds its state,
/// so events are append-only and their shape never changes once written.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "$t")]
[JsonDerivedType(typeof(OrchestratorStarted), "os")]
[JsonDerivedType(typeof(ExecutionStarted), "es")]
[JsonDerivedType(typeof(TaskScheduled), "ts")]
[JsonDerivedType(typeof(TaskCompleted), "tc")]
[JsonDerivedType(typeof(TaskFailed), "tf")]
[JsonDerivedType(typeof(TimerCreated), "tmc")]
[JsonDerivedType(typeof(TimerFired), "tmf")]
[JsonDerivedType(typeof(SubOrchestrationCreated), "sc")]
[JsonDerivedType(typeof(SubOrchestrationCompleted), "sd")]
[JsonDerivedType(typeof(SubOrchestrationFailed), "sf")]
[JsonDerivedType(typeof(EventRaised), "er")]
[JsonDerivedType(typeof(EventSent), "esn")]
[JsonDerivedType(typeof(ExecutionCompleted), "ec")]
[JsonDerivedType(typeof(ExecutionTerminated), "et")]
[JsonDerivedType(typeof(ExecutionSuspended), "su")]
[JsonDerivedType(typeof(ExecutionResumed), "re")]
[JsonDerivedType(typeof(ContinuedAsNew), "can")]
public abstract record HistoryEvent
{
    public DateTime Timestamp { get; init; }
}

public sealed record OrchestratorStarted : HistoryEvent;

public sealed record ExecutionStarted(string Name, string Version, string? Input, string? ParentInstanceId, int ParentTaskId) : HistoryEvent;

/// <summary>An activity call. <see cref="IdempotencyKey"/> is the same for every attempt of one logical call.</summary>
public sealed record TaskScheduled(int TaskId, string Name, string? Input, int Attempt, string IdempotencyKey) : HistoryEvent;

public sealed record TaskCompleted(int TaskScheduledId, string? Result) : HistoryEvent;

public sealed record TaskFailed(int TaskScheduledId, FailureDetails Failure) : HistoryEvent;

public sealed record TimerCreated(int TaskId, DateTime FireAt) : HistoryEvent;

public sealed record TimerFired(int TimerId, DateTime FireAt) : HistoryEvent;

public sealed record SubOrchestrationCreated(int TaskId, string Name, string InstanceId, string? Input) : HistoryEvent;

public sealed record SubOrchestrationCompleted(int TaskScheduledId, string? Result) : HistoryEvent;

public sealed record SubOrchestrationFailed(int TaskScheduledId, FailureDetails Failure) : HistoryEvent;

/// <summary>An external event that reached this instance. <see cref="MessageId"/> lets a redelivered copy be recognised.</summary>
public sealed record EventRaised(string Name, string? Input, string MessageId) : HistoryEvent;

public sealed record EventSent(int TaskId, string InstanceId, string Name, string? Input) : HistoryEvent;

public sealed record ExecutionCompleted(OrchestrationRuntimeStatus Status, string? Result, FailureDetails? Failure) : HistoryEvent;

public sealed record ExecutionTerminated(string? Reason) : HistoryEvent;

public sealed record ExecutionSuspended(string? Reason) : HistoryEvent;

public sealed record ExecutionResumed(string? Reason) : HistoryEvent;

/// <summary>Ends a generation; <see cref="CarriedEvents"/> were received but not yet used and move to the next one.</summary>
public sealed record ContinuedAsNew(string? Input, IReadOnlyList<EventRaised> CarriedEvents) : HistoryEvent;
