using Microsoft.Extensions.Logging;

namespace Dialoog.Durable;

/// <summary>
/// What orchestrator code may use. Every member is deterministic on replay: time, GUIDs and results come from
/// history, never from the machine. Member names follow Durable Functions.
/// </summary>
public abstract class TaskOrchestrationContext
{
    public abstract string InstanceId { get; }

    public abstract string Name { get; }

    /// <summary>The orchestrator version this instance started with; it keeps it for its whole life.</summary>
    public abstract string Version { get; }

    /// <summary>The time of the current episode, the same on every replay.</summary>
    public abstract DateTime CurrentUtcDateTime { get; }

    public abstract bool IsReplaying { get; }

    public abstract T GetInput<T>();

    public abstract Task<TResult> CallActivityAsync<TResult>(string name, object? input = null, TaskOptions? options = null);

    public Task CallActivityAsync(string name, object? input = null, TaskOptions? options = null) =>
        CallActivityAsync<object?>(name, input, options);

    public abstract Task<TResult> CallSubOrchestratorAsync<TResult>(string name, object? input = null, SubOrchestrationOptions? options = null);

    public Task CallSubOrchestratorAsync(string name, object? input = null, SubOrchestrationOptions? options = null) =>
        CallSubOrchestratorAsync<object?>(name, input, options);

    /// <summary>A durable timer. Cancelling the token abandons the wait; the timer's later firing is ignored.</summary>
    public abstract Task CreateTimer(DateTimeOffset fireAt, CancellationToken cancellationToken);

    public Task CreateTimer(TimeSpan delay, CancellationToken cancellationToken) =>
        CreateTimer(new DateTimeOffset(CurrentUtcDateTime, TimeSpan.Zero) + delay, cancellationToken);

    public abstract Task<T> WaitForExternalEvent<T>(string eventName, CancellationToken cancellationToken = default);

    /// <summary>Waits for an event or gives up after <paramref name="timeout"/> with a <see cref="TimeoutException"/>.</summary>
    public async Task<T> WaitForExternalEvent<T>(string eventName, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var eventTask = WaitForExternalEvent<T>(eventName, cts.Token);
        var timerTask = CreateTimer(timeout, cts.Token);
        var winner = await Task.WhenAny(eventTask, timerTask);
#pragma warning disable CA1849 // CancelAsync runs callbacks on the thread pool: orchestrator code must stay on its own thread.
        cts.Cancel();
#pragma warning restore CA1849
        if (winner == eventTask)
        {
            return await eventTask;
        }

        cancellationToken.ThrowIfCancellationRequested();
        throw new TimeoutException($"Event '{eventName}' did not arrive within {timeout}.");
    }

    /// <summary>Sends an event to another instance, once, after this step commits.</summary>
    public abstract void SendEvent(string instanceId, string eventName, object? payload);

    /// <summary>Shown to clients (the dashboard). JSON, at most <see cref="MaxCustomStatusLength"/> characters.</summary>
    public abstract void SetCustomStatus(object? customStatus);

    public const int MaxCustomStatusLength = 16 * 1024;

    /// <summary>Restarts this instance with a fresh, empty history: how a process that runs for years keeps history small.</summary>
    public abstract void ContinueAsNew(object? newInput, bool preserveUnprocessedEvents = true);

    /// <summary>A GUID derived from the instance and a counter, the same on every replay.</summary>
    public abstract Guid NewGuid();

    /// <summary>A logger that stays silent while the orchestrator replays, so each line is written once.</summary>
    public abstract ILogger CreateReplaySafeLogger(string categoryName);
}

/// <summary>Marker for orchestrator classes registered with the runtime.</summary>
public interface ITaskOrchestrator
{
    Type InputType { get; }

    Task<object?> RunAsync(TaskOrchestrationContext context, object? input);
}

/// <summary>
/// Base class for orchestrators. Code in <see cref="RunAsync(TaskOrchestrationContext, TInput)"/> must be
/// deterministic: no clock, no GUIDs, no I/O, no Task.Delay or Task.Run; use the context instead.
/// </summary>
public abstract class TaskOrchestrator<TInput, TOutput> : ITaskOrchestrator
{
    public Type InputType => typeof(TInput);

    public abstract Task<TOutput> RunAsync(TaskOrchestrationContext context, TInput input);

    async Task<object?> ITaskOrchestrator.RunAsync(TaskOrchestrationContext context, object? input) =>
        await RunAsync(context, (TInput)input!);
}

/// <summary>What an activity knows about the call it is serving.</summary>
public sealed record TaskActivityContext(
    string InstanceId,
    string Name,
    int TaskId,
    int Attempt,
    string IdempotencyKey,
    CancellationToken CancellationToken);

public interface ITaskActivity
{
    Type InputType { get; }

    Task<object?> RunAsync(TaskActivityContext context, object? input);
}

/// <summary>
/// Base class for activities: they do the I/O. They run at least once; side effects must use
/// <see cref="TaskActivityContext.IdempotencyKey"/> so a repeat has no second effect.
/// </summary>
public abstract class TaskActivity<TInput, TOutput> : ITaskActivity
{
    public Type InputType => typeof(TInput);

    public abstract Task<TOutput> RunAsync(TaskActivityContext context, TInput input);

    async Task<object?> ITaskActivity.RunAsync(TaskActivityContext context, object? input) =>
        await RunAsync(context, (TInput)input!);
}
