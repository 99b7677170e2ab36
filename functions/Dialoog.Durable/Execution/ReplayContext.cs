using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Dialoog.Durable.Execution;

/// <summary>The context orchestrator code sees during one episode: it replays history, then records new actions.</summary>
internal sealed class ReplayContext(
    ITaskOrchestrator orchestrator,
    string instanceId,
    int generation,
    OrchestrationSynchronizationContext sync,
    string? customStatus,
    ILoggerFactory loggerFactory) : TaskOrchestrationContext
{
    private readonly Dictionary<int, OpenTask> _open = [];
    private readonly SortedDictionary<int, HistoryEvent> _unconfirmed = [];
    private readonly List<HistoryEvent> _newActions = [];
    private readonly Dictionary<string, LinkedList<Waiter>> _waiters = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<EventRaised> _buffered = [];
    private Task<object?>? _run;
    private string _name = "";
    private string _version = "";
    private string? _input;
    private DateTime _now;
    private int _nextTaskId;
    private int _guidCounter;
    private bool _customStatusChanged;
    private string? _customStatus = customStatus;
    private string? _continueAsNewInput;
    private bool _continueAsNew;
    private bool _preserveEvents;
    private bool _completedInHistory;

    public bool IsReplayingNow { get; set; }

    public override string InstanceId => instanceId;

    public override string Name => _name;

    public override string Version => _version;

    public override DateTime CurrentUtcDateTime => _now;

    public override bool IsReplaying => IsReplayingNow;

    public override T GetInput<T>() => DurableJson.Deserialize<T>(_input)!;

    public void Apply(HistoryEvent e)
    {
        switch (e)
        {
            case OrchestratorStarted:
                _now = e.Timestamp;
                break;
            case ExecutionStarted started:
                _name = started.Name;
                _version = started.Version;
                _input = started.Input;
                _now = _now == default ? started.Timestamp : _now;
                Start();
                break;
            case TaskScheduled s:
                Confirm(s.TaskId, s, $"activity '{s.Name}'");
                break;
            case TimerCreated t:
                Confirm(t.TaskId, t, "a timer");
                break;
            case SubOrchestrationCreated c:
                Confirm(c.TaskId, c, $"sub-orchestration '{c.Name}'");
                break;
            case EventSent sent:
                Confirm(sent.TaskId, sent, $"an event '{sent.Name}' to '{sent.InstanceId}'");
                break;
            case TaskCompleted done:
                Resolve(done.TaskScheduledId, task => task.Complete(done.Result));
                break;
            case TaskFailed failed:
                Resolve(failed.TaskScheduledId, task => task.Fail(failed.Failure));
                break;
            case SubOrchestrationCompleted done:
                Resolve(done.TaskScheduledId, task => task.Complete(done.Result));
                break;
            case SubOrchestrationFailed failed:
                Resolve(failed.TaskScheduledId, task => task.Fail(failed.Failure));
                break;
            case TimerFired fired:
                Resolve(fired.TimerId, task => task.Complete(null));
                break;
            case EventRaised raised:
                Deliver(raised);
                break;
            case ExecutionCompleted or ContinuedAsNew or ExecutionTerminated:
                _completedInHistory = true;
                break;
        }

        sync.RunUntilIdle();
    }

    public void EndOfReplay()
    {
        // Anything the code scheduled during replay that history does not have yet is new work now.
        if (!_completedInHistory)
        {
            foreach (var pending in _unconfirmed.Values)
            {
                _newActions.Add(pending);
            }

            _unconfirmed.Clear();
        }
    }

    public EpisodeResult Finish()
    {
        // Actions scheduled while processing new events.
        foreach (var pending in _unconfirmed.Values)
        {
            _newActions.Add(pending);
        }

        _unconfirmed.Clear();
        ExecutionCompleted? completion = null;
        string? continueInput = null;
        var carried = new List<EventRaised>();
        if (sync.ForeignContinuationSeen)
        {
            completion = Failed(new InvalidOperationException(
                "The orchestrator awaited a task that is not a durable task (for example Task.Delay, Task.Run or I/O). " +
                "Use the context: CreateTimer, CallActivityAsync, WaitForExternalEvent."));
        }
        else if (_run is { IsCompleted: true } run)
        {
            if (run.IsFaulted)
            {
                var error = run.Exception!.InnerExceptions.Count == 1 ? run.Exception.InnerException! : run.Exception;
                completion = Failed(error);
            }
            else if (run.IsCanceled)
            {
                completion = Failed(new TaskCanceledException("The orchestrator was cancelled."));
            }
            else if (_continueAsNew)
            {
                continueInput = _continueAsNewInput;
                if (_preserveEvents)
                {
                    carried.AddRange(_buffered);
                }

            }
            else
            {
                completion = new ExecutionCompleted(OrchestrationRuntimeStatus.Completed, DurableJson.Serialize(run.Result), null) { Timestamp = _now };
            }
        }
        else if (_run is not null && _open.Count == 0 && _waiters.Count == 0 && _newActions.Count == 0)
        {
            completion = Failed(new InvalidOperationException(
                "The orchestrator is waiting for something that is not a durable task (for example Task.Delay, Task.Run, " +
                "a lock or I/O), so it can never continue. Use the context: CreateTimer, CallActivityAsync, WaitForExternalEvent."));
        }

        return new EpisodeResult(_newActions, completion, completion is null && _continueAsNew && _run is { IsCompletedSuccessfully: true }, continueInput, carried, _customStatusChanged, _customStatus);
    }

    private ExecutionCompleted Failed(Exception error) =>
        new(OrchestrationRuntimeStatus.Failed, null, FailureDetails.FromException(error)) { Timestamp = _now };

    private void Start()
    {
        object? input;
        try
        {
            input = DurableJson.Deserialize(_input, orchestrator.InputType);
        }
        catch (Exception ex)
        {
            _run = Task.FromException<object?>(new ArgumentException($"The input of '{_name}' cannot be read as {orchestrator.InputType.Name}: {ex.Message}", ex));
            return;
        }

        try
        {
            _run = orchestrator.RunAsync(this, input);
        }
        catch (Exception ex)
        {
            _run = Task.FromException<object?>(ex);
        }
    }

    private void Confirm(int taskId, HistoryEvent fromHistory, string what)
    {
        if (!_unconfirmed.Remove(taskId, out var scheduled))
        {
            throw new NonDeterministicOrchestrationException(
                $"Non-deterministic orchestrator '{_name}' (instance '{instanceId}'): its history has {what} as step #{taskId}, " +
                "but the code no longer schedules it at that point. Was the orchestrator changed while this instance was running? " +
                "Register the change as a new version instead.");
        }

        if (!SameAction(scheduled, fromHistory))
        {
            throw new NonDeterministicOrchestrationException(
                $"Non-deterministic orchestrator '{_name}' (instance '{instanceId}'): its history has {what} as step #{taskId}, " +
                $"but the code now schedules {Describe(scheduled)} there. Was the orchestrator changed while this instance was running? " +
                "Register the change as a new version instead.");
        }
    }

    private static bool SameAction(HistoryEvent a, HistoryEvent b) => (a, b) switch
    {
        (TaskScheduled x, TaskScheduled y) => x.Name == y.Name,
        (TimerCreated, TimerCreated) => true,
        (SubOrchestrationCreated x, SubOrchestrationCreated y) => x.Name == y.Name,
        (EventSent x, EventSent y) => x.Name == y.Name && x.InstanceId == y.InstanceId,
        _ => false,
    };

    private static string Describe(HistoryEvent e) => e switch
    {
        TaskScheduled s => $"activity '{s.Name}'",
        TimerCreated => "a timer",
        SubOrchestrationCreated c => $"sub-orchestration '{c.Name}'",
        EventSent s => $"an event '{s.Name}' to '{s.InstanceId}'",
        _ => e.GetType().Name,
    };

    private void Resolve(int taskId, Action<OpenTask> complete)
    {
        if (_open.Remove(taskId, out var task))
        {
            complete(task);
        }
    }

    private void Deliver(EventRaised raised)
    {
        if (_waiters.TryGetValue(raised.Name, out var list) && list.First is { } first)
        {
            list.RemoveFirst();
            if (list.Count == 0)
            {
                _waiters.Remove(raised.Name);
            }

            first.Value.Deliver(raised.Input);
            return;
        }

        _buffered.Add(raised);
    }

    private void EnsureOnOrchestratorThread()
    {
        if (!sync.IsOwnerThread)
        {
            throw new InvalidOperationException(
                "Orchestrator code ran on another thread (ConfigureAwait(false), Task.Run or a non-durable await). " +
                "Orchestrators must only await tasks from the context.");
        }
    }

    private int Schedule(Func<int, HistoryEvent> create)
    {
        EnsureOnOrchestratorThread();
        if (_continueAsNew)
        {
            throw new InvalidOperationException("Nothing can be scheduled after ContinueAsNew.");
        }

        var id = _nextTaskId++;
        _unconfirmed[id] = create(id) with { Timestamp = _now };
        return id;
    }

    public override async Task<TResult> CallActivityAsync<TResult>(string name, object? input = null, TaskOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var serialized = DurableJson.Serialize(input);
        string? key = null;
        for (var attempt = 1; ; attempt++)
        {
            var firstKey = key;
            var id = Schedule(taskId => new TaskScheduled(taskId, name, serialized, attempt, firstKey ?? $"{instanceId}/{generation}/{taskId}"));
            key ??= $"{instanceId}/{generation}/{id}";
            try
            {
                return await Open<TResult>(id, name);
            }
            catch (TaskFailedException) when (options?.Retry is { } retry && attempt < retry.MaxNumberOfAttempts)
            {
                await CreateTimer(new DateTimeOffset(_now, TimeSpan.Zero) + retry.DelayBeforeAttempt(attempt + 1), CancellationToken.None);
            }
        }
    }

    public override async Task<TResult> CallSubOrchestratorAsync<TResult>(string name, object? input = null, SubOrchestrationOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var serialized = DurableJson.Serialize(input);
        for (var attempt = 1; ; attempt++)
        {
            var id = Schedule(taskId => new SubOrchestrationCreated(
                taskId,
                name,
                attempt == 1 && options?.InstanceId is { } given ? given : $"{instanceId}:{generation}:{taskId}",
                serialized));
            try
            {
                return await Open<TResult>(id, name);
            }
            catch (TaskFailedException) when (options?.Retry is { } retry && attempt < retry.MaxNumberOfAttempts)
            {
                await CreateTimer(new DateTimeOffset(_now, TimeSpan.Zero) + retry.DelayBeforeAttempt(attempt + 1), CancellationToken.None);
            }
        }
    }

    private Task<TResult> Open<TResult>(int id, string name)
    {
        var tcs = new TaskCompletionSource<TResult>();
        _open[id] = new OpenTask(
            result =>
            {
                try
                {
                    tcs.TrySetResult(DurableJson.Deserialize<TResult>(result)!);
                }
                catch (Exception ex)
                {
                    // A result the code cannot read fails that task (deterministically), not the worker.
                    tcs.TrySetException(new TaskFailedException(name, id, FailureDetails.FromException(ex)));
                }
            },
            failure => tcs.TrySetException(new TaskFailedException(name, id, failure)));
        return tcs.Task;
    }

    public override Task CreateTimer(DateTimeOffset fireAt, CancellationToken cancellationToken)
    {
        var id = Schedule(taskId => new TimerCreated(taskId, fireAt.UtcDateTime));
        var tcs = new TaskCompletionSource();
        _open[id] = new OpenTask(_ => tcs.TrySetResult(), _ => tcs.TrySetResult());
        if (cancellationToken.CanBeCanceled)
        {
            // Cancellation comes from orchestrator code itself, so it is replayed identically.
            cancellationToken.Register(() =>
            {
                _open.Remove(id);
                tcs.TrySetCanceled(cancellationToken);
            });
        }

        return tcs.Task;
    }

    public override Task<T> WaitForExternalEvent<T>(string eventName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(eventName);
        EnsureOnOrchestratorThread();
        var tcs = new TaskCompletionSource<T>();
        var index = _buffered.FindIndex(e => string.Equals(e.Name, eventName, StringComparison.OrdinalIgnoreCase));
        if (index >= 0)
        {
            var raised = _buffered[index];
            _buffered.RemoveAt(index);
            tcs.SetResult(DurableJson.Deserialize<T>(raised.Input)!);
            return tcs.Task;
        }

        if (!_waiters.TryGetValue(eventName, out var list))
        {
            _waiters[eventName] = list = new LinkedList<Waiter>();
        }

        var node = list.AddLast(new Waiter(input =>
        {
            try
            {
                tcs.TrySetResult(DurableJson.Deserialize<T>(input)!);
            }
            catch (Exception ex)
            {
                tcs.TrySetException(ex);
            }
        }));
        if (cancellationToken.CanBeCanceled)
        {
            cancellationToken.Register(() =>
            {
                if (node.List is not null)
                {
                    list.Remove(node);
                    if (list.Count == 0)
                    {
                        _waiters.Remove(eventName);
                    }
                }

                tcs.TrySetCanceled(cancellationToken);
            });
        }

        return tcs.Task;
    }

    public override void SendEvent(string instanceId, string eventName, object? payload)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceId);
        ArgumentException.ThrowIfNullOrWhiteSpace(eventName);
        Schedule(taskId => new EventSent(taskId, instanceId, eventName, DurableJson.Serialize(payload)));
    }

    public override void SetCustomStatus(object? customStatus)
    {
        EnsureOnOrchestratorThread();
        var json = DurableJson.Serialize(customStatus);
        if (json is { Length: > MaxCustomStatusLength })
        {
            throw new ArgumentException($"Custom status is {json.Length} characters; at most {MaxCustomStatusLength} are allowed.", nameof(customStatus));
        }

        if (json != _customStatus)
        {
            _customStatus = json;
            _customStatusChanged = true;
        }
    }

    public override void ContinueAsNew(object? newInput, bool preserveUnprocessedEvents = true)
    {
        EnsureOnOrchestratorThread();
        _continueAsNew = true;
        _continueAsNewInput = DurableJson.Serialize(newInput);
        _preserveEvents = preserveUnprocessedEvents;
    }

    public override Guid NewGuid()
    {
        EnsureOnOrchestratorThread();
        var name = $"{instanceId}/{generation}/{_now:O}/{_guidCounter++}";
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(name));
        Span<byte> bytes = stackalloc byte[16];
        hash.AsSpan(0, 16).CopyTo(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x50); // version 5 style marker
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }

    public override ILogger CreateReplaySafeLogger(string categoryName) =>
        new ReplaySafeLogger(this, loggerFactory.CreateLogger(categoryName));
}

internal sealed record OpenTask(Action<string?> Complete, Action<FailureDetails> Fail);

internal sealed record Waiter(Action<string?> Deliver);

internal sealed class ReplaySafeLogger(TaskOrchestrationContext context, ILogger inner) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => !context.IsReplaying && inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!context.IsReplaying)
        {
            inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
