using System.Threading.Channels;
using Dialoog.Durable.Execution;
using Dialoog.Durable.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dialoog.Durable.Worker;

internal enum SessionOutcome
{
    /// <summary>Everything there was to do is done and committed; the wake-up can be deleted.</summary>
    Done,

    /// <summary>Another worker owns the instance or changed it meanwhile: look again shortly.</summary>
    Busy,

    /// <summary>No such instance (purged, or never created): the wake-up has nothing to wake.</summary>
    Missing,
}

/// <summary>
/// Runs one instance from "something may have happened" until it waits for the outside world again: episodes of
/// replay + new events, each committed atomically with its history, with activities run here in between.
/// </summary>
/// <remarks>
/// The order within an episode is what makes it crash-safe: (1) commit history, status and outbox in one table
/// transaction; (2) deliver the outbox (idempotent at the receiver); (3) run activities and arm timers. A crash before
/// (1) repeats the episode; after it, recovery redelivers the outbox and re-runs activities whose results were not
/// committed. A result is committed once, so it is used once, however often its activity ran.
/// </remarks>
internal sealed partial class InstanceSession : IDisposable
{
    private const int MaxInboxPerEpisode = 90; // a table transaction holds 100 operations; leave room for row and chunk

    private readonly DurableWorker _worker;
    private readonly string _instanceId;
    private readonly bool _recovery;
    private Channel<(HistoryEvent? Result, Exception? Crash)> _results = Channel.CreateUnbounded<(HistoryEvent?, Exception?)>();
    private readonly Dictionary<int, TaskScheduled> _running = [];
    private CancellationTokenSource _activityCancellation = new();
    private int? _cleanupBeforeGeneration;
    private readonly Lock _adoptLock = new();
    private readonly List<QueueItem> _items = [];
    private readonly SemaphoreSlim _signal = new(0);
    private bool _inboxDirty;
    private bool _closing;

    private InstanceRecord _record = null!;
    private string _etag = "";
    private List<HistoryEvent> _history = [];
    private List<InboxMessage> _inbox = [];
    private List<HistoryChunk> _chunks = [];
    private int _delivered;

    public InstanceSession(DurableWorker worker, string instanceId, bool recovery, QueueItem? item)
    {
        _worker = worker;
        _instanceId = instanceId;
        _recovery = recovery;
        if (item is not null)
        {
            _items.Add(item);
        }
    }

    public string InstanceId => _instanceId;

    /// <summary>What the session is doing now, for diagnostics when something hangs.</summary>
    public string Phase { get; private set; } = "starting";

    private IDurableStore Store => _worker.Store;

    private DateTimeOffset Now => _worker.Time.GetUtcNow();

    private ILogger Log => _worker.Logger;

    /// <summary>Another wake-up for this instance arrived while the session runs: it re-reads the inbox before ending.</summary>
    public bool TryAdopt(QueueItem item)
    {
        lock (_adoptLock)
        {
            if (_closing)
            {
                return false;
            }

            _items.Add(item);
            _inboxDirty = true;
            _signal.Release();
        }

        return true;
    }

    /// <summary>The queue messages this session answers for: deleted by the worker when it is done.</summary>
    public IReadOnlyList<QueueItem> Items
    {
        get
        {
            lock (_adoptLock)
            {
                return [.. _items];
            }
        }
    }

    public async Task<SessionOutcome> RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await RunCoreAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: let go of the lease so another worker can continue at once.
            if (_record?.LeaseOwner == _worker.WorkerId)
            {
                await TryCommitAsync(_record with { LeaseOwner = null, LeaseExpiresAt = null }, null, [], CancellationToken.None);
            }

            throw;
        }
        finally
        {
            lock (_adoptLock)
            {
                _closing = true;
            }

            await _activityCancellation.CancelAsync();
        }
    }

    public void Dispose()
    {
        _activityCancellation.Dispose();
        _signal.Dispose();
    }

    private async Task<SessionOutcome> RunCoreAsync(CancellationToken cancellationToken)
    {
        var state = await Store.LoadAsync(_instanceId, cancellationToken);
        if (state is null)
        {
            // Instances are created before their first wake-up is sent, so this one is gone (purged) or never was.
            return SessionOutcome.Missing;
        }

        Adopt(state);
        if (_history.Count > 0 && _history[^1] is ContinuedAsNew unfinished && !_record.Status.IsTerminal())
        {
            // A crash between ending a generation and starting the next one: start it now.
            await StartNextGenerationAsync(unfinished, cancellationToken);
        }

        if (_record.Status.IsTerminal())
        {
            await DeliverOutboxAsync(cancellationToken);
            await SaveDeliveredAsync(cancellationToken);
            if (_inbox.Count > 0)
            {
                Log.LogInformation("Instance {InstanceId} has ended; {Count} late message(s) are discarded.", _instanceId, _inbox.Count);
                await Store.DeleteInboxAsync(_instanceId, [.. _inbox.Select(m => m.Id)], cancellationToken);
            }

            return SessionOutcome.Done;
        }

        if (_record.LeaseOwner is { } owner && owner != _worker.WorkerId && _record.LeaseExpiresAt > Now)
        {
            return SessionOutcome.Busy;
        }

        if (_record.Status == OrchestrationRuntimeStatus.Pending && _record.ScheduledStartAt > Now)
        {
            await _worker.ArmTimerAsync(_instanceId, _record.ScheduledStartAt.Value, cancellationToken);
            return SessionOutcome.Done;
        }

        // Recovery: whatever a crashed session left half done. Everything here is idempotent.
        await DeliverOutboxAsync(cancellationToken);
        var orphaned = PendingActivities().ToList();
        if (_recovery || orphaned.Count > 0)
        {
            foreach (var timer in PendingTimers())
            {
                await _worker.ArmTimerAsync(_instanceId, timer.FireAt, cancellationToken);
            }
        }

        if (orphaned.Count > 0)
        {
            if (!await TryCommitAsync(_record with { LeaseOwner = _worker.WorkerId, LeaseExpiresAt = Now + _worker.Options.LeaseDuration }, null, [], cancellationToken))
            {
                return SessionOutcome.Busy;
            }

            foreach (var scheduled in orphaned)
            {
                StartActivity(scheduled);
            }
        }

        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (TakeInboxDirty())
            {
                _inbox = [.. await Store.ReadInboxAsync(_instanceId, cancellationToken)];
            }

            var (newEvents, consumed) = CollectNewEvents();
            if (newEvents.Count == 0 && consumed.Count > 0)
            {
                // Only redelivered copies of messages already in history: remove them, nothing to run.
                await Store.DeleteInboxAsync(_instanceId, consumed, cancellationToken);
                var removed = consumed.ToHashSet(StringComparer.Ordinal);
                _inbox.RemoveAll(m => removed.Contains(m.Id));
            }

            if (newEvents.Count == 0)
            {
                if (_running.Count == 0)
                {
                    if (TakeInboxDirtyAndClose())
                    {
                        continue;
                    }

                    break;
                }

                Phase = $"waiting for {_running.Count} activit(ies): {string.Join(",", _running.Values.Select(r => r.Name + "#" + r.TaskId))}";
                await WaitForProgressAsync(cancellationToken);
                continue;
            }

            Phase = $"episode with {newEvents.Count} event(s)";
            if (!await RunEpisodeAsync(newEvents, consumed, cancellationToken))
            {
                // Another writer got there first. What this session consumed is still in the inbox; look again.
                return SessionOutcome.Busy;
            }

            if (_record.Status.IsTerminal())
            {
                break;
            }
        }

        await SaveDeliveredAsync(cancellationToken);
        return SessionOutcome.Done;
    }

    private void Adopt(InstanceState state)
    {
        _record = state.Record;
        _etag = state.ETag;
        _chunks = [.. state.Chunks];
        _history = [.. state.History];
        _inbox = [.. state.Inbox];
        _delivered = state.Record.DeliveredSeq;
    }

    private bool TakeInboxDirty()
    {
        lock (_adoptLock)
        {
            var dirty = _inboxDirty;
            _inboxDirty = false;
            return dirty;
        }
    }

    private bool TakeInboxDirtyAndClose()
    {
        lock (_adoptLock)
        {
            if (_inboxDirty)
            {
                return true;
            }

            _closing = true;
            return false;
        }
    }

    private (List<HistoryEvent> Events, List<string> Consumed) CollectNewEvents()
    {
        var now = Now.UtcDateTime;
        var events = new List<HistoryEvent>();
        var consumed = new List<string>();
        var suspended = _record.Status == OrchestrationRuntimeStatus.Suspended;

        if (_history.Count == 0)
        {
            events.Add(new ExecutionStarted(_record.Name, _record.Version, _record.Input, _record.ParentInstanceId, _record.ParentTaskId) { Timestamp = now });
        }

        var seenMessages = _history.OfType<EventRaised>().Select(e => e.MessageId).ToHashSet(StringComparer.Ordinal);
        var closedTasks = ClosedTaskIds();
        foreach (var message in _inbox.DistinctBy(m => m.Id).OrderBy(m => m.Id, StringComparer.Ordinal))
        {
            if (consumed.Count >= MaxInboxPerEpisode)
            {
                break;
            }

            var isControl = message.Event is ExecutionTerminated or ExecutionResumed or ExecutionSuspended;
            if (suspended && !isControl)
            {
                continue;
            }

            var duplicate = message.Event switch
            {
                EventRaised raised => seenMessages.Contains(raised.MessageId),
                SubOrchestrationCompleted done => closedTasks.Contains(done.TaskScheduledId),
                SubOrchestrationFailed failed => closedTasks.Contains(failed.TaskScheduledId),
                _ => false,
            };
            consumed.Add(message.Id);
            if (!duplicate)
            {
                if (message.Event is EventRaised accepted)
                {
                    seenMessages.Add(accepted.MessageId);
                }

                events.Add(message.Event with { Timestamp = now });
                if (message.Event is ExecutionSuspended)
                {
                    suspended = true;
                }
                else if (message.Event is ExecutionResumed)
                {
                    suspended = false;
                }
            }
        }

        if (!suspended)
        {
            foreach (var timer in PendingTimers().Where(t => t.FireAt <= now).OrderBy(t => t.FireAt))
            {
                events.Add(new TimerFired(timer.TaskId, timer.FireAt) { Timestamp = now });
            }
        }

        while (_results.Reader.TryRead(out var item))
        {
            // A fault outside the activity's own code (the worker dying under it) ends the session like a crash.
            var result = item.Result ?? throw new InvalidOperationException("The worker failed while running an activity.", item.Crash);
            var taskId = result is TaskCompleted c ? c.TaskScheduledId : ((TaskFailed)result).TaskScheduledId;
            _running.Remove(taskId);
            events.Add(result with { Timestamp = now });
        }

        return (events, consumed);
    }

    private HashSet<int> ClosedTaskIds() =>
    [
        .. _history.Select(e => e switch
        {
            TaskCompleted c => c.TaskScheduledId,
            TaskFailed f => f.TaskScheduledId,
            SubOrchestrationCompleted c => c.TaskScheduledId,
            SubOrchestrationFailed f => f.TaskScheduledId,
            TimerFired t => t.TimerId,
            _ => -1,
        }).Where(id => id >= 0),
    ];

    private IEnumerable<TaskScheduled> PendingActivities()
    {
        var closed = ClosedTaskIds();
        return _history.OfType<TaskScheduled>().Where(s => !closed.Contains(s.TaskId) && !_running.ContainsKey(s.TaskId));
    }

    private IEnumerable<TimerCreated> PendingTimers()
    {
        var closed = ClosedTaskIds();
        return _history.OfType<TimerCreated>().Where(t => !closed.Contains(t.TaskId));
    }

    private IEnumerable<SubOrchestrationCreated> RunningChildren()
    {
        var closed = ClosedTaskIds();
        return _history.OfType<SubOrchestrationCreated>().Where(s => !closed.Contains(s.TaskId));
    }

    private async Task<bool> TryCommitAsync(InstanceRecord record, HistoryChunk? chunk, IReadOnlyCollection<string> consumed, CancellationToken cancellationToken)
    {
        try
        {
            _worker.Faults?.Invoke(FaultPoint.BeforeCommit, _instanceId);
            _etag = await Store.CommitAsync(record, _etag, chunk, consumed, cancellationToken);
            _record = record;
            _worker.Faults?.Invoke(FaultPoint.AfterCommit, _instanceId);
            return true;
        }
        catch (ConcurrencyConflictException)
        {
            Log.LogWarning("Instance {InstanceId} was changed by another worker; this worker lets go of it.", _instanceId);
            return false;
        }
    }

    private async Task DeliverOutboxAsync(CancellationToken cancellationToken)
    {
        foreach (var chunk in _chunks.Where(c => c.Seq > _delivered).OrderBy(c => c.Seq))
        {
            foreach (var message in chunk.Outbox)
            {
                await _worker.DeliverAsync(message, cancellationToken);
                _worker.Faults?.Invoke(FaultPoint.AfterOutboxMessage, _instanceId);
            }

            _delivered = chunk.Seq;
        }
    }

    /// <summary>Records how far the outbox was delivered and lets go of the lease, if there is anything to record.</summary>
    private async Task SaveDeliveredAsync(CancellationToken cancellationToken)
    {
        var ownLease = _record.LeaseOwner == _worker.WorkerId;
        if (_record.DeliveredSeq == _delivered && !ownLease)
        {
            return;
        }

        var released = _record with { DeliveredSeq = _delivered, LeaseOwner = null, LeaseExpiresAt = null };
        if (released.WakeAt is { } wake && _record.LeaseExpiresAt == wake)
        {
            released = released with { WakeAt = NextWake(_history, false, Now) };
        }

        await TryCommitAsync(released, null, [], cancellationToken);
    }

    private void StartActivity(TaskScheduled scheduled)
    {
        _running[scheduled.TaskId] = scheduled;
        var token = _activityCancellation.Token;
        var results = _results.Writer; // of this generation: results of an earlier generation must not reach the next
        _ = Task.Run(
            async () =>
            {
                try
                {
                    var result = await _worker.RunActivityAsync(_instanceId, scheduled, token);
                    await results.WriteAsync((result, null), CancellationToken.None);
                }
                catch (Exception ex)
                {
                    await results.WriteAsync((null, ex), CancellationToken.None);
                }
            },
            CancellationToken.None);
    }

    private async Task WaitForProgressAsync(CancellationToken cancellationToken)
    {
        var renewAt = (_record.LeaseExpiresAt ?? Now) - (_worker.Options.LeaseDuration / 2);
        var delay = renewAt - Now;
        if (delay <= TimeSpan.Zero)
        {
            await RenewLeaseAsync(cancellationToken);
            return;
        }

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var resultReady = _results.Reader.WaitToReadAsync(wait.Token).AsTask();
        var inboxSignal = _signal.WaitAsync(wait.Token);
        var renewal = Task.Delay(delay, _worker.Time, wait.Token);
        await Task.WhenAny(resultReady, inboxSignal, renewal);
        await wait.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
        if (renewal.IsCompletedSuccessfully)
        {
            await RenewLeaseAsync(cancellationToken);
        }
    }

    private async Task RenewLeaseAsync(CancellationToken cancellationToken)
    {
        var now = Now;
        var renewed = _record with { LeaseOwner = _worker.WorkerId, LeaseExpiresAt = now + _worker.Options.LeaseDuration, WakeAt = now + _worker.Options.LeaseDuration };
        if (!await TryCommitAsync(renewed, null, [], cancellationToken))
        {
            throw new ConcurrencyConflictException($"Lost the lease on instance '{_instanceId}' while its activities ran.");
        }

        // Keep the messages this session holds hidden, so no other worker picks them up while it works.
        List<QueueItem> items;
        lock (_adoptLock)
        {
            items = [.. _items];
        }

        for (var i = 0; i < items.Count; i++)
        {
            var extended = await _worker.TryExtendAsync(items[i], cancellationToken);
            lock (_adoptLock)
            {
                var index = _items.IndexOf(items[i]);
                if (index >= 0 && extended is not null)
                {
                    _items[index] = extended;
                }
            }
        }
    }
}
