using System.Text.Json;

namespace Dialoog.Durable;

/// <summary>The life cycle of an orchestration instance, as in Durable Functions.</summary>
public enum OrchestrationRuntimeStatus
{
    Pending,
    Running,
    Completed,
    ContinuedAsNew,
    Failed,
    Terminated,
    Suspended,
}

public static class OrchestrationRuntimeStatusExtensions
{
    public static bool IsTerminal(this OrchestrationRuntimeStatus status) =>
        status is OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated;
}

/// <summary>What went wrong, kept small and serializable so it can live in history and on the instance.</summary>
public sealed record FailureDetails(string ErrorType, string ErrorMessage, string? StackTrace = null, FailureDetails? InnerFailure = null)
{
    public static FailureDetails FromException(Exception exception) => exception switch
    {
        TaskFailedException failed => new FailureDetails(failed.GetType().FullName!, failed.Message, failed.StackTrace, failed.FailureDetails),
        _ => new FailureDetails(
            exception.GetType().FullName ?? exception.GetType().Name,
            exception.Message,
            exception.StackTrace,
            exception.InnerException is null ? null : FromException(exception.InnerException)),
    };

    public override string ToString() => $"{ErrorType}: {ErrorMessage}";
}

/// <summary>Retry behaviour for an activity or sub-orchestration; the waits between attempts are durable timers.</summary>
public sealed record RetryPolicy(
    int MaxNumberOfAttempts,
    TimeSpan FirstRetryInterval,
    double BackoffCoefficient = 2.0,
    TimeSpan? MaxRetryInterval = null)
{
    internal TimeSpan DelayBeforeAttempt(int nextAttempt)
    {
        // nextAttempt is 2 for the first retry.
        var delay = TimeSpan.FromTicks((long)(FirstRetryInterval.Ticks * Math.Pow(BackoffCoefficient, nextAttempt - 2)));
        return MaxRetryInterval is { } max && delay > max ? max : delay;
    }
}

public record TaskOptions(RetryPolicy? Retry = null);

public sealed record SubOrchestrationOptions(string? InstanceId = null, RetryPolicy? Retry = null) : TaskOptions(Retry);

/// <summary>Thrown into orchestrator code when an activity or sub-orchestration it awaited has failed.</summary>
public sealed class TaskFailedException : Exception
{
    public TaskFailedException(string taskName, int taskId, FailureDetails failureDetails)
        : base($"Task '{taskName}' (#{taskId}) failed: {failureDetails.ErrorType}: {failureDetails.ErrorMessage}")
    {
        TaskName = taskName;
        TaskId = taskId;
        FailureDetails = failureDetails;
    }

    public TaskFailedException() : this("unknown", -1, new FailureDetails("unknown", "unknown"))
    {
    }

    public TaskFailedException(string message) : base(message)
    {
        TaskName = "unknown";
        FailureDetails = new FailureDetails("unknown", message);
    }

    public TaskFailedException(string message, Exception innerException) : base(message, innerException)
    {
        TaskName = "unknown";
        FailureDetails = FailureDetails.FromException(innerException);
    }

    public string TaskName { get; } = "unknown";

    public int TaskId { get; }

    public FailureDetails FailureDetails { get; }
}

/// <summary>
/// The orchestrator code no longer matches the history of a running instance (code changed under it, or it used
/// something non-deterministic). The instance is failed with this message; its history is never rewritten.
/// </summary>
public sealed class NonDeterministicOrchestrationException : Exception
{
    public NonDeterministicOrchestrationException(string message) : base(message)
    {
    }

    public NonDeterministicOrchestrationException()
    {
    }

    public NonDeterministicOrchestrationException(string message, Exception innerException) : base(message, innerException)
    {
    }
}

/// <summary>What a client sees of an instance.</summary>
public sealed record OrchestrationMetadata
{
    public required string InstanceId { get; init; }

    public required string Name { get; init; }

    public required string Version { get; init; }

    public required OrchestrationRuntimeStatus RuntimeStatus { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset LastUpdatedAt { get; init; }

    public string? SerializedInput { get; init; }

    public string? SerializedOutput { get; init; }

    public string? SerializedCustomStatus { get; init; }

    public FailureDetails? FailureDetails { get; init; }

    public string? ParentInstanceId { get; init; }

    public T? ReadInputAs<T>() => SerializedInput is null ? default : JsonSerializer.Deserialize<T>(SerializedInput, DurableJson.Options);

    public T? ReadOutputAs<T>() => SerializedOutput is null ? default : JsonSerializer.Deserialize<T>(SerializedOutput, DurableJson.Options);

    public T? ReadCustomStatusAs<T>() => SerializedCustomStatus is null ? default : JsonSerializer.Deserialize<T>(SerializedCustomStatus, DurableJson.Options);

    public bool IsRunning => RuntimeStatus is OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Suspended;
}

/// <summary>Filter for <see cref="DurableClient.QueryInstancesAsync"/>.</summary>
public sealed record OrchestrationQuery
{
    public IReadOnlyCollection<OrchestrationRuntimeStatus>? Statuses { get; init; }

    public DateTimeOffset? CreatedFrom { get; init; }

    public DateTimeOffset? CreatedTo { get; init; }

    public string? Name { get; init; }

    public int PageSize { get; init; } = 100;

    public string? ContinuationToken { get; init; }

    public bool FetchInputsAndOutputs { get; init; }
}

public sealed record OrchestrationQueryResult(IReadOnlyList<OrchestrationMetadata> Instances, string? ContinuationToken);

public static class DurableJson
{
    /// <summary>One serializer setting for every payload, so history written today reads back the same in a year.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);

    public static string? Serialize(object? value) => value is null ? null : JsonSerializer.Serialize(value, value.GetType(), Options);

    public static T? Deserialize<T>(string? json) => json is null ? default : JsonSerializer.Deserialize<T>(json, Options);

    public static object? Deserialize(string? json, Type type) => json is null ? null : JsonSerializer.Deserialize(json, type, Options);
}
