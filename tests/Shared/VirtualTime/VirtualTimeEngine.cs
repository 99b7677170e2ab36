using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Dialoog.Core.Engine;
using DurableTask.Core;
using DurableTask.Core.Command;
using DurableTask.Core.History;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Converters;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using CoreFailureDetails = DurableTask.Core.FailureDetails;

namespace Dialoog.Testing.VirtualTime;

/// <summary>
/// Runs the app's orchestrators on DurableTask.Core's own replay executor, in memory, on one thread, with a fake clock:
/// months of timers pass in milliseconds and the test decides when. TaskHubWorker is not used because its dispatcher
/// stamps each episode with the real clock; here every episode starts with an OrchestratorStartedEvent stamped with
/// the fake clock's time, which is what <see cref="TaskOrchestrationContext.CurrentUtcDateTime"/> reads. Each episode
/// replays the whole history of the current generation through a fresh shim and executor, as the real dispatcher
/// does, so a change in what the code schedules fails the instance with the engine's own non-determinism error.
/// Nothing happens on its own: client calls enqueue, and <see cref="RunUntilIdleAsync"/> and
/// <see cref="AdvanceAsync"/> do the work.
/// </summary>
public sealed class VirtualTimeEngine
{
    /// <summary>The clock's default start: a Monday morning, as the old runtime's process tests used.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    private readonly Store _store;
    private readonly IServiceProvider _services;
    private readonly DurableTaskShimFactory _shims;

    /// <param name="catalog">The orchestrators and activities to run; new instances get its CurrentVersion.</param>
    /// <param name="services">Passed to the catalog's factories (activities through a scope per call).</param>
    /// <param name="time">The clock; a new one at <see cref="DefaultStart"/> when null.</param>
    /// <param name="dataConverter">The payload format; JSON with web defaults (camelCase) when null.</param>
    /// <param name="loggerFactory">For the shims' logs; none when null.</param>
    /// <param name="configureWorker">Adjusts the worker options the shims read (e.g. MaximumTimerInterval).</param>
    public VirtualTimeEngine(
        TaskCatalog catalog,
        IServiceProvider? services = null,
        FakeTimeProvider? time = null,
        DataConverter? dataConverter = null,
        ILoggerFactory? loggerFactory = null,
        Action<DurableTaskWorkerOptions>? configureWorker = null)
        : this(new Store(time ?? new FakeTimeProvider(DefaultStart)), catalog, services, dataConverter, loggerFactory, configureWorker)
    {
    }

    private VirtualTimeEngine(
        Store store,
        TaskCatalog catalog,
        IServiceProvider? services,
        DataConverter? dataConverter,
        ILoggerFactory? loggerFactory,
        Action<DurableTaskWorkerOptions>? configureWorker)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        _store = store;
        Catalog = catalog;
        _services = services ?? new ServiceCollection().BuildServiceProvider();
        DataConverter = dataConverter ?? new JsonDataConverter(new JsonSerializerOptions(JsonSerializerDefaults.Web));
        LoggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        ConfigureWorker = configureWorker;
        var options = new DurableTaskWorkerOptions
        {
            DataConverter = DataConverter,
            // Sub-orchestrations without an explicit version start on the current one, as client starts do.
            Versioning = new DurableTaskWorkerOptions.VersioningOptions { DefaultVersion = catalog.CurrentVersion },
        };
        configureWorker?.Invoke(options);
        _shims = new DurableTaskShimFactory(options, LoggerFactory);
    }

    public TaskCatalog Catalog { get; }

    public FakeTimeProvider Time => _store.Time;

    public DataConverter DataConverter { get; }

    public ILoggerFactory LoggerFactory { get; }

    public DateTimeOffset UtcNow => _store.Time.GetUtcNow();

    /// <summary>The most episodes and activity calls one <see cref="RunUntilIdleAsync"/> may take (a loop guard).</summary>
    public int MaxSteps { get; set; } = 100_000;

    /// <summary>The most real time one <see cref="RunUntilIdleAsync"/> may take (an activity waiting forever, say).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Episodes (orchestrator executions) run so far, over all instances.</summary>
    public long EpisodeCount => _store.Episodes;

    /// <summary>Whether <see cref="RunUntilIdleAsync"/> is running (client calls then only enqueue).</summary>
    public bool IsRunning => _store.Running;

    private Action<DurableTaskWorkerOptions>? ConfigureWorker { get; }

    /// <summary>
    /// The same instances, queue and clock under another catalog: a new build deployed over running instances
    /// (e.g. one whose CurrentVersion went from "1" to "2").
    /// </summary>
    public VirtualTimeEngine Redeploy(TaskCatalog catalog, IServiceProvider? services = null) =>
        new(_store, catalog, services ?? _services, DataConverter, LoggerFactory, ConfigureWorker);

    /// <summary>A client over this engine; with <paramref name="autoRun"/> every call runs the engine until idle.</summary>
    public VirtualTimeClient CreateClient(bool autoRun = false) => new(this, autoRun);

    public IReadOnlyList<string> InstanceIds => [.. _store.Instances.Keys.Order(StringComparer.Ordinal)];

    public VirtualInstance? GetInstance(string instanceId)
    {
        ArgumentNullException.ThrowIfNull(instanceId);
        return _store.Instances.TryGetValue(instanceId, out var instance) ? instance.Snapshot() : null;
    }

    public IReadOnlyList<VirtualInstance> GetInstances() =>
        [.. _store.Instances.Values.OrderBy(i => i.InstanceId, StringComparer.Ordinal).Select(i => i.Snapshot())];

    /// <summary>Events in the instance's current generation (ContinueAsNew starts a new one).</summary>
    public int HistoryCount(string instanceId) => Require(instanceId).History.Count;

    /// <summary>The history of the instance's current generation.</summary>
    public IReadOnlyList<HistoryEvent> GetHistory(string instanceId) => [.. Require(instanceId).History];

    /// <summary>When the next queued item that is not due yet comes due (a timer, a scheduled start), if any.</summary>
    public DateTimeOffset? NextDueAt()
    {
        var now = UtcNow;
        DateTimeOffset? next = null;
        foreach (var item in _store.Queue)
        {
            if (item.DueAt > now && (next is null || item.DueAt < next))
            {
                next = item.DueAt;
            }
        }

        return next;
    }

    /// <summary>Starts an instance (its first episode runs at <paramref name="startAt"/> or on the next run).</summary>
    /// <exception cref="InvalidOperationException">An instance with that id exists and has not ended.</exception>
    public string StartInstance(
        string name,
        string? instanceId = null,
        string? serializedInput = null,
        string? version = null,
        DateTimeOffset? startAt = null,
        IReadOnlyDictionary<string, string>? tags = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        instanceId ??= Guid.NewGuid().ToString("N");
        if (_store.Instances.TryGetValue(instanceId, out var existing) && !existing.IsTerminal)
        {
            throw new InvalidOperationException(
                $"An orchestration with instance ID '{instanceId}' already exists and is {existing.Status}.");
        }

        StartCore(name, instanceId, serializedInput, string.IsNullOrEmpty(version) ? Catalog.CurrentVersion : version, startAt, tags, parent: null);
        return instanceId;
    }

    /// <summary>Queues an event for the instance; dropped on delivery if the instance does not exist or has ended.</summary>
    public void RaiseEvent(string instanceId, string eventName, string? serializedPayload)
    {
        ArgumentNullException.ThrowIfNull(instanceId);
        ArgumentException.ThrowIfNullOrWhiteSpace(eventName);
        Enqueue(instanceId, executionId: null, Stamp(new EventRaisedEvent(-1, serializedPayload) { Name = eventName }), UtcNow);
    }

    public void Terminate(string instanceId, string? serializedOutput = null, bool recursive = false)
    {
        var instance = Require(instanceId);
        if (recursive)
        {
            foreach (var child in _store.Instances.Values.Where(i => i.ParentInstanceId == instanceId && !i.IsTerminal).ToList())
            {
                Terminate(child.InstanceId, serializedOutput, recursive: true);
            }
        }

        if (instance.IsTerminal)
        {
            return;
        }

        if (instance.Status == OrchestrationRuntimeStatus.Pending)
        {
            // Never ran, so there is no orchestrator to tell; it ends here, as the real engine's pending start does.
            instance.Status = OrchestrationRuntimeStatus.Terminated;
            instance.Output = serializedOutput;
            instance.LastUpdatedAt = UtcNow;
            _store.Queue.RemoveAll(q => q.InstanceId == instanceId);
            return;
        }

        Enqueue(instanceId, instance.ExecutionId, Stamp(new ExecutionTerminatedEvent(-1, serializedOutput)), UtcNow);
    }

    public void Suspend(string instanceId, string? reason = null)
    {
        var instance = Require(instanceId);
        if (!instance.IsTerminal)
        {
            Enqueue(instanceId, null, Stamp(new ExecutionSuspendedEvent(-1, reason)), UtcNow);
        }
    }

    public void Resume(string instanceId, string? reason = null)
    {
        var instance = Require(instanceId);
        if (!instance.IsTerminal)
        {
            Enqueue(instanceId, null, Stamp(new ExecutionResumedEvent(-1, reason)), UtcNow);
        }
    }

    /// <summary>Deletes an ended instance (and with <paramref name="recursive"/> its ended sub-orchestrations).</summary>
    /// <returns>How many instances were deleted.</returns>
    public int Purge(string instanceId, bool recursive = false)
    {
        ArgumentNullException.ThrowIfNull(instanceId);
        if (!_store.Instances.TryGetValue(instanceId, out var instance) || !instance.IsTerminal)
        {
            return 0;
        }

        var count = 0;
        if (recursive)
        {
            foreach (var child in _store.Instances.Values.Where(i => i.ParentInstanceId == instanceId).ToList())
            {
                count += Purge(child.InstanceId, recursive: true);
            }
        }

        _store.Instances.Remove(instanceId);
        _store.Queue.RemoveAll(q => q.InstanceId == instanceId);
        return count + 1;
    }

    /// <summary>
    /// Runs everything due at the current fake time (episodes, activities, and whatever they schedule that is due
    /// too) until nothing is due. Timers in the future wait for <see cref="AdvanceAsync"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">More than <see cref="MaxSteps"/> steps (something loops).</exception>
    /// <exception cref="TimeoutException">Longer than <see cref="IdleTimeout"/> (an activity that never ends).</exception>
    public async Task RunUntilIdleAsync(CancellationToken cancellationToken = default)
    {
        if (_store.Running)
        {
            throw new InvalidOperationException("RunUntilIdleAsync is already running (called from an activity?).");
        }

        _store.Running = true;
        try
        {
            var watch = Stopwatch.StartNew();
            _store.Steps = 0;
            while (TakeNextDue() is { } item)
            {
                cancellationToken.ThrowIfCancellationRequested();
                CountStep();
                var remaining = IdleTimeout - watch.Elapsed;
                if (remaining <= TimeSpan.Zero)
                {
                    throw new TimeoutException($"Not idle after {IdleTimeout} at {UtcNow:O}. {DescribeBusy()}");
                }

                if (item.Activity is not null)
                {
                    await RunActivityAsync(item, remaining, cancellationToken);
                }
                else
                {
                    await RunEpisodeAsync(item.InstanceId);
                }
            }
        }
        finally
        {
            _store.Running = false;
        }
    }

    /// <summary>Moves the clock forward by <paramref name="span"/>, firing everything due on the way in order.</summary>
    public Task AdvanceAsync(TimeSpan span, CancellationToken cancellationToken = default)
    {
        if (span < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(span), span, "The clock only moves forward.");
        }

        return AdvanceToAsync(UtcNow + span, cancellationToken);
    }

    /// <summary>
    /// Moves the clock to <paramref name="end"/>: runs until idle, then jumps to each next due item up to the end and
    /// runs until idle there, so a 30-day timer fires at its own time and before a later one.
    /// </summary>
    public async Task AdvanceToAsync(DateTimeOffset end, CancellationToken cancellationToken = default)
    {
        await RunUntilIdleAsync(cancellationToken);
        while (NextDueAt() is { } next && next <= end)
        {
            Time.SetUtcNow(next);
            await RunUntilIdleAsync(cancellationToken);
        }

        if (end > UtcNow)
        {
            Time.SetUtcNow(end);
        }

        await RunUntilIdleAsync(cancellationToken);
    }

    /// <summary>Lists the instances that have not ended and what is queued for them.</summary>
    public string DescribeBusy()
    {
        var now = UtcNow;
        var text = new StringBuilder("Instances not ended:");
        foreach (var instance in _store.Instances.Values.Where(i => !i.IsTerminal))
        {
            var queued = _store.Queue.Where(q => q.InstanceId == instance.InstanceId).ToList();
            text.Append(CultureInfo.InvariantCulture, $" [{instance.InstanceId} ({instance.Name} v{instance.Version}) {instance.Status}, ")
                .Append(CultureInfo.InvariantCulture, $"{queued.Count(q => q.DueAt <= now)} due, {queued.Count(q => q.DueAt > now)} later")
                .Append(string.Concat(queued.Where(q => q.Activity is not null).Select(q => ", activity " + q.Activity!.Name)))
                .Append(']');
        }

        return text.ToString();
    }

    internal VirtualInstanceState Require(string instanceId)
    {
        ArgumentNullException.ThrowIfNull(instanceId);
        return _store.Instances.TryGetValue(instanceId, out var instance)
            ? instance
            : throw new InvalidOperationException($"No orchestration instance '{instanceId}'.");
    }

    private void StartCore(
        string name,
        string instanceId,
        string? serializedInput,
        string? version,
        DateTimeOffset? startAt,
        IEnumerable<KeyValuePair<string, string>>? tags,
        ParentInstance? parent)
    {
        var now = UtcNow;
        var executionId = Guid.NewGuid().ToString("N");
        var tagCopy = tags is null ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(tags, StringComparer.Ordinal);

        // A restart of an ended id: what the old instance still had queued belongs to it, not to the new one.
        _store.Queue.RemoveAll(q => q.InstanceId == instanceId);
        _store.Instances[instanceId] = new VirtualInstanceState(instanceId, name)
        {
            Version = version,
            Status = OrchestrationRuntimeStatus.Pending,
            Input = serializedInput,
            CreatedAt = now,
            LastUpdatedAt = now,
            ExecutionId = executionId,
            ParentInstanceId = parent?.OrchestrationInstance.InstanceId,
            Tags = tagCopy,
        };

        var started = Stamp(new ExecutionStartedEvent(-1, serializedInput)
        {
            OrchestrationInstance = new OrchestrationInstance { InstanceId = instanceId, ExecutionId = executionId },
            Name = name,
            Version = version,
            Tags = tagCopy,
            ParentInstance = parent,
            ScheduledStartTime = startAt?.UtcDateTime,
        });
        Enqueue(instanceId, executionId, started, startAt is { } at && at > now ? at : now);
    }

    /// <summary>The first due item in queue order, removed from the queue; messages for one instance come as a batch.</summary>
    private QueueItem? TakeNextDue()
    {
        var now = UtcNow;
        for (var i = 0; i < _store.Queue.Count; i++)
        {
            var item = _store.Queue[i];
            if (item.DueAt > now)
            {
                continue;
            }

            if (item.Activity is not null)
            {
                _store.Queue.RemoveAt(i);
                return item;
            }

            if (!_store.Instances.TryGetValue(item.InstanceId, out var instance))
            {
                // Nobody to deliver to (an event for an unknown or purged id): dropped, as the real queues do.
                _store.Queue.RemoveAt(i--);
                continue;
            }

            // Until its scheduled start, an instance keeps what it is sent for its first episode.
            if (instance.Status == OrchestrationRuntimeStatus.Pending && item.Event is not ExecutionStartedEvent)
            {
                continue;
            }

            return item;
        }

        return null;
    }

    private async Task RunEpisodeAsync(string instanceId)
    {
        var instance = _store.Instances[instanceId];
        var now = UtcNow;
        var batch = _store.Queue
            .Where(q => q.Activity is null && q.InstanceId == instanceId && q.DueAt <= now)
            .OrderBy(q => q.Event is ExecutionStartedEvent ? 0 : 1)
            .ThenBy(q => q.Sequence)
            .ToList();
        _store.Queue.RemoveAll(batch.Contains);

        // What the real dispatcher drops: anything for an ended instance, messages for an earlier generation, a second start.
        if (instance.IsTerminal)
        {
            return;
        }

        batch.RemoveAll(q => (q.ExecutionId is not null && q.ExecutionId != instance.ExecutionId)
            || (q.Event is ExecutionStartedEvent && instance.History.Count > 0));
        if (batch.Count == 0)
        {
            return;
        }

        var runtime = new OrchestrationRuntimeState(instance.History.ToList());
        runtime.AddEvent(Stamp(new OrchestratorStartedEvent(-1)));
        foreach (var message in batch)
        {
            runtime.AddEvent(message.Event);
        }

        string? carriedStatus = instance.CustomStatus;
        while (true)
        {
            _store.Episodes++;
            if (runtime.PastEvents.Count == 0 && instance.Generation > 0)
            {
                // A ContinueAsNew that does not wait for anything loops within one work item: count each generation.
                CountStep();
            }

            var result = await ExecuteAsync(runtime);
            runtime.Status = result.CustomStatus ?? carriedStatus;
            instance.CustomStatus = runtime.Status;

            var continuedAs = ApplyActions(instance, runtime, result.Actions);
            if (continuedAs is null)
            {
                break;
            }

            // ContinueAsNew: the next generation runs in the same work item, on a fresh history, as in the dispatcher.
            carriedStatus = runtime.Status;
            runtime = continuedAs;
            instance.ExecutionId = runtime.OrchestrationInstance!.ExecutionId;
            instance.Generation++;
            instance.Input = runtime.Input;
            instance.Version = runtime.Version;
        }

        if (runtime.Events[^1].EventType != EventType.OrchestratorCompleted)
        {
            runtime.AddEvent(Stamp(new OrchestratorCompletedEvent(-1)));
        }

        instance.History = [.. runtime.Events];
        instance.LastUpdatedAt = now;
        instance.Status = runtime.OrchestrationStatus switch
        {
            OrchestrationStatus.Completed => OrchestrationRuntimeStatus.Completed,
            OrchestrationStatus.Failed => OrchestrationRuntimeStatus.Failed,
            OrchestrationStatus.Terminated => OrchestrationRuntimeStatus.Terminated,
            OrchestrationStatus.Suspended => OrchestrationRuntimeStatus.Suspended,
            _ => OrchestrationRuntimeStatus.Running,
        };
    }

    private async Task<OrchestratorExecutionResult> ExecuteAsync(OrchestrationRuntimeState runtime)
    {
        var name = runtime.Name;
        await using var scope = _services.CreateAsyncScope();
        try
        {
            if (!Catalog.Orchestrators.TryGetValue(name, out var factory))
            {
                throw new InvalidOperationException($"No orchestrator named '{name}' in the catalog.");
            }

            var orchestrator = factory(scope.ServiceProvider);
            var parent = runtime.ParentInstance is { } p
                ? new ParentOrchestrationInstance(new TaskName(p.Name), p.OrchestrationInstance.InstanceId)
                : null;
            var shim = _shims.CreateOrchestration(new TaskName(name), orchestrator, parent);
            var executor = new TaskOrchestrationExecutor(runtime, shim, BehaviorOnContinueAsNew.Carryover, ErrorPropagationMode.UseFailureDetails);
            return executor.Execute();
        }
        catch (Exception e)
        {
            // The real dispatcher would retry the work item forever; a test wants the instance failed with the reason.
            return new OrchestratorExecutionResult
            {
                Actions =
                [
                    new OrchestrationCompleteOrchestratorAction
                    {
                        Id = runtime.PastEvents.Count,
                        OrchestrationStatus = OrchestrationStatus.Failed,
                        Result = e.Message,
                        FailureDetails = new CoreFailureDetails(e),
                    },
                ],
            };
        }
    }

    /// <summary>Records the actions in the history and sends their messages, as the dispatcher does.</summary>
    /// <returns>The next generation's runtime state after a ContinueAsNew, else null.</returns>
    private OrchestrationRuntimeState? ApplyActions(VirtualInstanceState instance, OrchestrationRuntimeState runtime, IEnumerable<OrchestratorAction> actions)
    {
        var now = UtcNow;
        OrchestrationRuntimeState? next = null;
        foreach (var action in actions)
        {
            switch (action)
            {
                case ScheduleTaskOrchestratorAction task:
                    var scheduled = Stamp(new TaskScheduledEvent(task.Id, task.Name ?? string.Empty, task.Version, task.Input) { Tags = task.Tags });
                    runtime.AddEvent(scheduled);
                    _store.Queue.Add(new QueueItem(instance.InstanceId, instance.ExecutionId, scheduled, now, _store.NextSequence++) { Activity = scheduled });
                    break;

                case CreateTimerOrchestratorAction timer:
                    runtime.AddEvent(Stamp(new TimerCreatedEvent(timer.Id) { FireAt = timer.FireAt }));
                    var fireAt = new DateTimeOffset(DateTime.SpecifyKind(timer.FireAt, DateTimeKind.Utc));
                    Enqueue(instance.InstanceId, instance.ExecutionId, Stamp(new TimerFiredEvent(-1) { TimerId = timer.Id, FireAt = timer.FireAt }), fireAt);
                    break;

                case CreateSubOrchestrationAction sub:
                    runtime.AddEvent(Stamp(new SubOrchestrationInstanceCreatedEvent(sub.Id)
                    {
                        Name = sub.Name,
                        Version = sub.Version,
                        InstanceId = sub.InstanceId,
                        Input = sub.Input,
                        Tags = sub.Tags,
                    }));
                    StartSubOrchestration(instance, runtime, sub);
                    break;

                case SendEventOrchestratorAction send:
                    runtime.AddEvent(Stamp(new EventSentEvent(send.Id) { InstanceId = send.Instance?.InstanceId, Name = send.EventName, Input = send.EventData }));
                    if (send.Instance?.InstanceId is { } target && _store.Instances.ContainsKey(target))
                    {
                        Enqueue(target, send.Instance.ExecutionId, Stamp(new EventRaisedEvent(-1, send.EventData) { Name = send.EventName }), now);
                    }

                    break;

                case OrchestrationCompleteOrchestratorAction complete when complete.OrchestrationStatus == OrchestrationStatus.ContinuedAsNew:
                    runtime.AddEvent(Stamp(new ContinueAsNewEvent(complete.Id, complete.Result)));
                    next = NextGeneration(runtime, complete);
                    break;

                case OrchestrationCompleteOrchestratorAction complete:
                    runtime.AddEvent(Stamp(new ExecutionCompletedEvent(complete.Id, complete.Result, complete.OrchestrationStatus, complete.FailureDetails)));
                    instance.Output = complete.Result;
                    instance.FailureDetails = complete.FailureDetails;
                    NotifyParent(runtime, complete);
                    break;

                default:
                    throw new NotSupportedException($"The virtual-time engine does not handle {action.OrchestratorActionType} actions.");
            }
        }

        return next;
    }

    private OrchestrationRuntimeState NextGeneration(OrchestrationRuntimeState runtime, OrchestrationCompleteOrchestratorAction complete)
    {
        var started = Stamp(new ExecutionStartedEvent(-1, complete.Result)
        {
            OrchestrationInstance = new OrchestrationInstance
            {
                InstanceId = runtime.OrchestrationInstance!.InstanceId,
                ExecutionId = Guid.NewGuid().ToString("N"),
            },
            Tags = runtime.Tags is null ? null : new Dictionary<string, string>(runtime.Tags, StringComparer.Ordinal),
            ParentInstance = runtime.ParentInstance,
            Name = runtime.Name,
            Version = string.IsNullOrEmpty(complete.NewVersion) ? runtime.Version : complete.NewVersion,
        });

        var next = new OrchestrationRuntimeState();
        next.AddEvent(Stamp(new OrchestratorStartedEvent(-1)));
        next.AddEvent(started);

        // Events that arrived in the same batch after ContinueAsNew was called go to the next generation.
        foreach (var carried in complete.CarryoverEvents)
        {
            next.AddEvent(carried);
        }

        next.AddEvent(Stamp(new OrchestratorCompletedEvent(-1)));
        return next;
    }

    private void StartSubOrchestration(VirtualInstanceState parent, OrchestrationRuntimeState runtime, CreateSubOrchestrationAction sub)
    {
        var childId = string.IsNullOrEmpty(sub.InstanceId) ? Guid.NewGuid().ToString("N") : sub.InstanceId;
        if (_store.Instances.TryGetValue(childId, out var existing) && !existing.IsTerminal)
        {
            var failure = new CoreFailureDetails(
                typeof(InvalidOperationException).FullName!,
                $"An orchestration with instance ID '{childId}' already exists and is {existing.Status}.",
                stackTrace: null,
                innerFailure: null,
                isNonRetriable: true);
            Enqueue(parent.InstanceId, parent.ExecutionId, Stamp(new SubOrchestrationInstanceFailedEvent(-1, sub.Id, failure.ErrorMessage, null, failure)), UtcNow);
            return;
        }

        var parentInstance = new ParentInstance
        {
            OrchestrationInstance = new OrchestrationInstance { InstanceId = parent.InstanceId, ExecutionId = parent.ExecutionId },
            Name = runtime.Name,
            Version = runtime.Version,
            TaskScheduleId = sub.Id,
        };
        StartCore(sub.Name ?? string.Empty, childId, sub.Input, sub.Version, startAt: null, sub.Tags, parentInstance);
    }

    private void NotifyParent(OrchestrationRuntimeState runtime, OrchestrationCompleteOrchestratorAction complete)
    {
        if (runtime.ParentInstance is not { } parent)
        {
            return;
        }

        HistoryEvent? message = complete.OrchestrationStatus switch
        {
            OrchestrationStatus.Completed => new SubOrchestrationInstanceCompletedEvent(-1, parent.TaskScheduleId, complete.Result),
            OrchestrationStatus.Failed or OrchestrationStatus.Terminated =>
                new SubOrchestrationInstanceFailedEvent(-1, parent.TaskScheduleId, complete.Result, complete.Details, complete.FailureDetails),
            _ => null,
        };
        if (message is not null)
        {
            Enqueue(parent.OrchestrationInstance.InstanceId, parent.OrchestrationInstance.ExecutionId, Stamp(message), UtcNow);
        }
    }

    private async Task RunActivityAsync(QueueItem item, TimeSpan remaining, CancellationToken cancellationToken)
    {
        var scheduled = item.Activity!;
        var name = scheduled.Name ?? string.Empty;
        HistoryEvent response;
        await using (var scope = _services.CreateAsyncScope())
        {
            try
            {
                if (!Catalog.Activities.TryGetValue(name, out var factory))
                {
                    throw new InvalidOperationException($"No activity named '{name}' in the catalog.");
                }

                var activity = _shims.CreateActivity(new TaskName(name), factory(scope.ServiceProvider));
                var context = new TaskContext(
                    new OrchestrationInstance { InstanceId = item.InstanceId, ExecutionId = item.ExecutionId },
                    name,
                    scheduled.Version,
                    scheduled.EventId);
                var output = await activity.RunAsync(context, scheduled.Input).WaitAsync(remaining, cancellationToken);
                response = new TaskCompletedEvent(-1, scheduled.EventId, output);
            }
            catch (TimeoutException e)
            {
                throw new TimeoutException(
                    $"Activity '{name}' of instance '{item.InstanceId}' did not finish within {IdleTimeout} " +
                    $"(does it wait on the fake clock? nothing advances it while an activity runs). {DescribeBusy()}", e);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception e)
            {
                response = new TaskFailedEvent(-1, scheduled.EventId, e.Message, details: null, new CoreFailureDetails(e));
            }
        }

        Enqueue(item.InstanceId, item.ExecutionId, Stamp(response), UtcNow);
    }

    private void CountStep()
    {
        if (++_store.Steps > MaxSteps)
        {
            throw new InvalidOperationException($"Not idle after {MaxSteps} steps at {UtcNow:O}; something loops. {DescribeBusy()}");
        }
    }

    private void Enqueue(string instanceId, string? executionId, HistoryEvent message, DateTimeOffset dueAt) =>
        _store.Queue.Add(new QueueItem(instanceId, executionId, message, dueAt, _store.NextSequence++));

    /// <summary>Stamps an event with the fake clock (the executor reads OrchestratorStartedEvent's stamp as "now").</summary>
    private T Stamp<T>(T historyEvent)
        where T : HistoryEvent
    {
        historyEvent.Timestamp = UtcNow.UtcDateTime;
        return historyEvent;
    }

    /// <summary>State shared by an engine and its redeployments.</summary>
    private sealed class Store(FakeTimeProvider time)
    {
        public FakeTimeProvider Time { get; } = time;

        public Dictionary<string, VirtualInstanceState> Instances { get; } = new(StringComparer.Ordinal);

        /// <summary>Messages and activity calls in the order they were sent.</summary>
        public List<QueueItem> Queue { get; } = [];

        public long NextSequence { get; set; }

        public long Episodes { get; set; }

        /// <summary>Steps in the current RunUntilIdleAsync, for the loop guard.</summary>
        public int Steps { get; set; }

        public bool Running { get; set; }
    }

    private sealed record QueueItem(string InstanceId, string? ExecutionId, HistoryEvent Event, DateTimeOffset DueAt, long Sequence)
    {
        /// <summary>Set for an activity call, which runs on its own instead of going to the instance's next episode.</summary>
        public TaskScheduledEvent? Activity { get; init; }
    }
}

/// <summary>The engine's mutable record of one instance.</summary>
internal sealed class VirtualInstanceState(string instanceId, string name)
{
    public string InstanceId { get; } = instanceId;

    public string Name { get; } = name;

    public string? Version { get; set; }

    public OrchestrationRuntimeStatus Status { get; set; }

    public List<HistoryEvent> History { get; set; } = [];

    public string? Input { get; set; }

    public string? Output { get; set; }

    public string? CustomStatus { get; set; }

    public CoreFailureDetails? FailureDetails { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset LastUpdatedAt { get; set; }

    public string? ParentInstanceId { get; init; }

    public string ExecutionId { get; set; } = string.Empty;

    public int Generation { get; set; }

    public IReadOnlyDictionary<string, string> Tags { get; init; } = ImmutableDictionary<string, string>.Empty;

    public bool IsTerminal =>
        Status is OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated;

    public VirtualInstance Snapshot() => new(
        InstanceId,
        Name,
        Version,
        Status,
        Input,
        Output,
        CustomStatus,
        ToTaskFailureDetails(FailureDetails),
        CreatedAt,
        LastUpdatedAt,
        ParentInstanceId,
        ExecutionId,
        Generation,
        History.Count,
        Tags);

    private static TaskFailureDetails? ToTaskFailureDetails(CoreFailureDetails? details) =>
        details is null
            ? null
            : new TaskFailureDetails(details.ErrorType, details.ErrorMessage, details.StackTrace, ToTaskFailureDetails(details.InnerFailure), details.Properties);
}
