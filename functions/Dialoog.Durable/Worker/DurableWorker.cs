using System.Collections.Concurrent;
using Dialoog.Durable.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dialoog.Durable.Worker;

/// <summary>Where a test may inject a fault (throw, or kill the process) to prove nothing is lost or repeated.</summary>
public enum FaultPoint
{
    BeforeCommit,
    AfterCommit,
    AfterOutboxMessage,
    BeforeActivity,
    AfterActivity,
    BeforeMessageDelete,
}

/// <summary>
/// Takes wake-ups from the queues (pull mode) or from the Azure Functions host (push mode) and runs instance
/// sessions. Any number of workers may share one task hub: the instance row's ETag and lease keep them apart.
/// </summary>
public sealed partial class DurableWorker : BackgroundService
{
    /// <summary>Azure queues hide a message for at most 7 days; longer timers are re-armed when they surface.</summary>
    internal static readonly TimeSpan MaxQueueDelay = TimeSpan.FromDays(6.9);

    private readonly ConcurrentDictionary<string, InstanceSession> _active = new(StringComparer.Ordinal);
    private int _inFlight;
    private readonly IOptions<DurableOptions> _options;
    private SemaphoreSlim? _orchestrationSlotsField;
    private SemaphoreSlim? _activitySlotsField;
    private readonly LocalWorkSignal _signal;
    private readonly CancellationTokenSource _sessionsCancellation = new();
    private DateTimeOffset _nextSweep;
    private DateTimeOffset _lastTimerPoll = DateTimeOffset.MinValue;

    public DurableWorker(
        IDurableStore store,
        DurableRegistry registry,
        IServiceProvider services,
        IOptions<DurableOptions> options,
        TimeProvider time,
        ILoggerFactory loggerFactory,
        LocalWorkSignal signal)
    {
        Store = store;
        Registry = registry;
        Services = services;
        _options = options;
        Time = time;
        LoggerFactory = loggerFactory;
        Logger = loggerFactory.CreateLogger<DurableWorker>();
        _signal = signal;
    }

    // Options are read on first use, not in the constructor, so the host validates settings before anything reads them.
    private SemaphoreSlim OrchestrationSlots => LazyInitializer.EnsureInitialized(ref _orchestrationSlotsField, () => new SemaphoreSlim(Options.MaxConcurrentOrchestrations));

    private SemaphoreSlim ActivitySlots => LazyInitializer.EnsureInitialized(ref _activitySlotsField, () => new SemaphoreSlim(Options.MaxConcurrentActivities));

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        EnsureDeterministicCode();
        return base.StartAsync(cancellationToken);
    }

    /// <summary>Refuses orchestrator code that calls the clock, makes GUIDs, sleeps, starts threads or does I/O.</summary>
    public void EnsureDeterministicCode()
    {
        if (!Options.ValidateOrchestratorCode)
        {
            return;
        }

        var violations = Registry.OrchestratorTypes.SelectMany(Execution.OrchestratorCodeCheck.FindViolations).ToList();
        if (violations.Count > 0)
        {
            throw new InvalidOperationException(
                "Orchestrator code must be deterministic, and this is not:" + Environment.NewLine + string.Join(Environment.NewLine, violations));
        }
    }

    public string WorkerId { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    /// <summary>Test hook: called at each <see cref="FaultPoint"/>; it may throw to simulate a crash there.</summary>
    public Action<FaultPoint, string>? Faults { get; set; }

    internal IDurableStore Store { get; }

    internal DurableRegistry Registry { get; }

    internal IServiceProvider Services { get; }

    internal DurableOptions Options => _options.Value;

    internal TimeProvider Time { get; }

    internal ILoggerFactory LoggerFactory { get; }

    internal ILogger Logger { get; }

    internal DurableMetrics Metrics { get; } = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Options.EnablePullLoop)
        {
            // The host only delivers from queues that exist, and the first client call needs the table.
            await InitializeStoreAsync(stoppingToken);
            Logger.LogInformation("Durable worker in push mode: the host delivers messages.");
            return;
        }

        await InitializeStoreAsync(stoppingToken);
        Logger.LogInformation("Durable worker {WorkerId} polls task hub '{TaskHub}'.", WorkerId, Options.TaskHub);
        var idleSince = Time.GetUtcNow();
        _nextSweep = Time.GetUtcNow() + Options.SweepInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var received = await PollOnceAsync(stoppingToken);
                var now = Time.GetUtcNow();
                if (received > 0)
                {
                    idleSince = now;
                    continue;
                }

                if (now >= _nextSweep)
                {
                    _nextSweep = now + Options.SweepInterval;
                    await SweepAsync(stoppingToken);
                }

                // Adaptive but bounded: poll fast while work comes and goes, slow down to MaxPollingInterval after
                // a quiet spell (a tenth of its length), and wake at once when this process queues work itself.
                await _signal.WaitAsync(PollingDelay(now - idleSince), Time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                Logger.LogError(ex, "Polling task hub '{TaskHub}' failed; retrying.", Options.TaskHub);
                await Task.Delay(Options.MaxPollingInterval, Time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    internal TimeSpan PollingDelay(TimeSpan idleFor)
    {
        var delay = idleFor / 10;
        return delay < Options.MinPollingInterval ? Options.MinPollingInterval : delay > Options.MaxPollingInterval ? Options.MaxPollingInterval : delay;
    }

    /// <summary>Creates tables, queues and containers; keeps trying while storage is unreachable rather than stopping the app.</summary>
    private async Task InitializeStoreAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (true)
        {
            try
            {
                await Store.InitializeAsync(stoppingToken);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Logger.LogWarning("Storage for task hub '{TaskHub}' is not reachable yet ({Error}); retrying in {Delay}.", Options.TaskHub, ex.Message, delay);
                await Task.Delay(delay, Time, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (!await DrainAsync(Options.ShutdownTimeout))
        {
            Logger.LogWarning("Shutdown: {Count} session(s) still busy; releasing them to other workers.", Volatile.Read(ref _inFlight));
            await _sessionsCancellation.CancelAsync();
            await DrainAsync(TimeSpan.FromSeconds(5));
        }
    }

    private async Task<bool> DrainAsync(TimeSpan timeout)
    {
        var deadline = TimeProvider.System.GetUtcNow() + timeout;
        while (Volatile.Read(ref _inFlight) > 0)
        {
            if (TimeProvider.System.GetUtcNow() > deadline)
            {
                return false;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System);
        }

        return true;
    }

    public override void Dispose()
    {
        _sessionsCancellation.Dispose();
        _orchestrationSlotsField?.Dispose();
        _activitySlotsField?.Dispose();
        base.Dispose();
    }

    /// <summary>Receives what is visible now and starts processing it; returns how many messages were taken.</summary>
    internal async Task<int> PollOnceAsync(CancellationToken cancellationToken, bool allQueues = false)
    {
        var total = 0;
        // While work flows, the timer queue is looked at every 100 ms rather than on every poll: receives are the
        // expensive storage operations, and a timer that is due can wait that long.
        var now = TimeProvider.System.GetUtcNow(); // real time: this is about load, not about when timers are due
        var pollTimers = allQueues || now - _lastTimerPoll >= TimeSpan.FromMilliseconds(100);
        if (pollTimers)
        {
            _lastTimerPoll = now;
        }

        foreach (var queue in pollTimers ? new[] { WorkQueue.Work, WorkQueue.Timers } : [WorkQueue.Work])
        {
            var free = OrchestrationSlots.CurrentCount;
            if (free == 0)
            {
                await OrchestrationSlots.WaitAsync(cancellationToken);
                OrchestrationSlots.Release();
                free = OrchestrationSlots.CurrentCount;
            }

            var items = await Store.ReceiveAsync(queue, Math.Clamp(free, 1, 32), Options.MessageVisibilityTimeout, cancellationToken);
            foreach (var item in items)
            {
                await OrchestrationSlots.WaitAsync(cancellationToken);
                // On the thread pool, never on the caller's synchronization context (a UI or test runner context).
                Interlocked.Increment(ref _inFlight);
                _ = Task.Run(() => ProcessTrackedAsync(item), CancellationToken.None);
            }

            total += items.Count;
        }

        return total;
    }

    private async Task ProcessTrackedAsync(QueueItem item)
    {
        try
        {
            await ProcessAsync(item, pushMode: false, _sessionsCancellation.Token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogError(ex, "Processing message {MessageId} failed.", item.MessageId);
        }
        finally
        {
            OrchestrationSlots.Release();
            Interlocked.Decrement(ref _inFlight);
        }
    }

    /// <summary>
    /// Push mode for the Azure Functions custom handler: the host has dequeued <paramref name="body"/> from
    /// <paramref name="queue"/> and deletes it when this returns; an exception makes the host retry it.
    /// </summary>
    public async Task ProcessPushedMessageAsync(WorkQueue queue, string body, long dequeueCount, CancellationToken cancellationToken)
    {
        var item = new QueueItem(queue, "", "", body, dequeueCount, Time.GetUtcNow());
        await ProcessAsync(item, pushMode: true, cancellationToken);
    }

    private readonly ConcurrentDictionary<QueueItem, string> _stages = new();

    private async Task ProcessAsync(QueueItem item, bool pushMode, CancellationToken cancellationToken)
    {
        try
        {
            await ProcessCoreAsync(item, pushMode, cancellationToken);
        }
        finally
        {
            _stages.TryRemove(item, out _);
        }
    }

    private void Stage(QueueItem item, string stage) => _stages[item] = stage;

    private async Task ProcessCoreAsync(QueueItem item, bool pushMode, CancellationToken cancellationToken)
    {
        Stage(item, "received");
        Metrics.MessageReceived();
        var wake = WakeMessage.TryParse(item.Body);
        if (wake is null)
        {
            await QuarantineAsync(item, pushMode, null, "The message is not a wake-up this runtime understands.", cancellationToken);
            return;
        }

        if (item.DequeueCount > Options.MaxDequeueCount)
        {
            var state = await Store.GetInstanceAsync(wake.InstanceId, cancellationToken);
            await QuarantineAsync(item, pushMode, wake.InstanceId, state?.Record.LastError ?? "unknown error", cancellationToken);
            return;
        }

        var now = Time.GetUtcNow();
        if (wake.FireAt is { } fireAt && fireAt > now)
        {
            // Early (a timer further away than a queue can hold a message, or visibility rounded by the
            // service): send it on for the rest of the wait.
            await ArmTimerAsync(wake.InstanceId, fireAt, cancellationToken);
            await DeleteAsync(item, pushMode, cancellationToken);
            return;
        }

        if (_active.TryGetValue(wake.InstanceId, out var running) && !pushMode && running.TryAdopt(item))
        {
            return;
        }

        using var session = new InstanceSession(this, wake.InstanceId, item.DequeueCount > 1, pushMode ? null : item);
        while (!_active.TryAdd(wake.InstanceId, session))
        {
            if (_active.TryGetValue(wake.InstanceId, out running) && !pushMode && running.TryAdopt(item))
            {
                return;
            }

            // The other session is just finishing; a real (not test-controlled) clock is right for this short wait.
            await Task.Delay(TimeSpan.FromMilliseconds(5), TimeProvider.System, cancellationToken);
        }

        SessionOutcome outcome;
        try
        {
            Stage(item, "session");
            outcome = await session.RunAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Stage(item, "recording error");
            Logger.LogWarning(ex, "Instance {InstanceId}: attempt {Attempt} failed; it will be retried.", wake.InstanceId, item.DequeueCount);
            await RecordErrorAsync(wake.InstanceId, ex, CancellationToken.None);
            if (pushMode)
            {
                throw;
            }

            // Leave the messages: they reappear after their visibility timeout and count towards quarantine.
            return;
        }
        finally
        {
            _active.TryRemove(new KeyValuePair<string, InstanceSession>(wake.InstanceId, session));
        }

        Stage(item, "finishing " + outcome);
        var items = pushMode ? [item] : session.Items;
        if (outcome == SessionOutcome.Busy)
        {
            // Owned or changed by another worker. Send a fresh wake-up rather than hiding this one again, so
            // waiting never counts as a failed attempt towards quarantine.
            await SendWakeAsync(wake.InstanceId, TimeSpan.FromSeconds(1), cancellationToken);
        }
        else if (outcome == SessionOutcome.Missing)
        {
            Logger.LogInformation("Wake-up for unknown instance {InstanceId} dropped (purged, or never created).", wake.InstanceId);
        }

        Faults?.Invoke(FaultPoint.BeforeMessageDelete, wake.InstanceId);
        foreach (var held in items)
        {
            await DeleteAsync(held, pushMode, cancellationToken);
        }
    }

    private async Task DeleteAsync(QueueItem item, bool pushMode, CancellationToken cancellationToken)
    {
        if (!pushMode)
        {
            await Store.DeleteAsync(item, cancellationToken);
        }
    }

    internal async Task<QueueItem?> TryExtendAsync(QueueItem item, CancellationToken cancellationToken)
    {
        if (item.PopReceipt.Length == 0)
        {
            return null;
        }

        try
        {
            return await Store.UpdateVisibilityAsync(item, Options.MessageVisibilityTimeout, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogDebug(ex, "Could not extend message {MessageId}.", item.MessageId);
            return null;
        }
    }

    internal async Task SendWakeAsync(string instanceId, TimeSpan delay, CancellationToken cancellationToken)
    {
        await Store.SendAsync(WorkQueue.Work, new WakeMessage(instanceId).ToJson(), delay, cancellationToken);
        if (delay <= TimeSpan.Zero)
        {
            _signal.Notify();
        }
    }

    internal async Task ArmTimerAsync(string instanceId, DateTimeOffset fireAt, CancellationToken cancellationToken)
    {
        var delay = fireAt - Time.GetUtcNow();
        delay = delay < TimeSpan.Zero ? TimeSpan.Zero : delay > MaxQueueDelay ? MaxQueueDelay : delay;
        // Queues count visibility in whole seconds and drop the rest: round up so a timer never surfaces early.
        delay = TimeSpan.FromSeconds(Math.Ceiling(delay.TotalSeconds));
        await Store.SendAsync(WorkQueue.Timers, new WakeMessage(instanceId, fireAt).ToJson(), delay, cancellationToken);
    }

    internal Task ArmTimerAsync(string instanceId, DateTime fireAtUtc, CancellationToken cancellationToken) =>
        ArmTimerAsync(instanceId, new DateTimeOffset(DateTime.SpecifyKind(fireAtUtc, DateTimeKind.Utc)), cancellationToken);

    /// <summary>Delivers one outbox message; safe to repeat (the receiver recognises the message id).</summary>
    internal async Task DeliverAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        if (message.CreateInstance is { } child)
        {
            await Store.CreateInstanceAsync(child, cancellationToken);
        }
        else if (message.Event is { } e)
        {
            await Store.AppendInboxAsync(message.TargetInstanceId, new InboxMessage(message.MessageId, e), cancellationToken);
        }

        await SendWakeAsync(message.TargetInstanceId, TimeSpan.Zero, cancellationToken);
    }

    internal async Task<HistoryEvent> RunActivityAsync(string instanceId, TaskScheduled scheduled, CancellationToken cancellationToken)
    {
        Faults?.Invoke(FaultPoint.BeforeActivity, instanceId);
        await ActivitySlots.WaitAsync(cancellationToken);
        HistoryEvent outcome;
        try
        {
            var type = Registry.FindActivity(scheduled.Name)
                ?? throw new InvalidOperationException($"Activity '{scheduled.Name}' is not registered in this worker.");
            await using var scope = Services.CreateAsyncScope();
            var activity = (ITaskActivity)ActivatorUtilities.CreateInstance(scope.ServiceProvider, type);
            var input = DurableJson.Deserialize(scheduled.Input, activity.InputType);
            var context = new TaskActivityContext(instanceId, scheduled.Name, scheduled.TaskId, scheduled.Attempt, scheduled.IdempotencyKey, cancellationToken);
            var result = await activity.RunAsync(context, input);
            outcome = new TaskCompleted(scheduled.TaskId, DurableJson.Serialize(result));
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            outcome = new TaskFailed(scheduled.TaskId, FailureDetails.FromException(ex));
        }
        finally
        {
            ActivitySlots.Release();
        }

        Metrics.ActivityExecuted();
        Faults?.Invoke(FaultPoint.AfterActivity, instanceId);
        return outcome;
    }
}
