using Dialoog.Durable.Storage;
using Microsoft.Extensions.Logging;

namespace Dialoog.Durable.Worker;

/// <summary>Quarantine, error recording, the sweep safety net, and the test/diagnostic helpers.</summary>
public sealed partial class DurableWorker
{
    private async Task QuarantineAsync(QueueItem item, bool pushMode, string? instanceId, string error, CancellationToken cancellationToken)
    {
        Metrics.MessageQuarantined();
        Logger.LogError("Message {MessageId} for instance {InstanceId} failed {Count} time(s) and is set aside: {Error}", item.MessageId, instanceId, item.DequeueCount, error);
        await Store.SendAsync(WorkQueue.Poison, DurableJson.Serialize(new { item.Queue, item.Body, item.DequeueCount, error })!, TimeSpan.Zero, cancellationToken);
        if (instanceId is not null)
        {
            await FailInstanceAsync(
                instanceId,
                new FailureDetails("PoisonMessage", $"A message for this instance failed {item.DequeueCount} times and was set aside. Last error: {error}"),
                cancellationToken);
        }

        await DeleteAsync(item, pushMode, cancellationToken);
    }

    private async Task FailInstanceAsync(string instanceId, FailureDetails failure, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var state = await Store.GetInstanceAsync(instanceId, cancellationToken);
            if (state is null || state.Value.Record.Status.IsTerminal())
            {
                return;
            }

            var (record, etag) = state.Value;
            var now = Time.GetUtcNow();
            var completion = new ExecutionCompleted(OrchestrationRuntimeStatus.Failed, null, failure) { Timestamp = now.UtcDateTime };
            // A parent waiting for this instance hears that it failed, as it would from a normal failure.
            List<OutboxMessage> outbox = record.ParentInstanceId is { } parent
                ? [new OutboxMessage(parent, InboxIds.FromEpisode(now, $"{instanceId}|{record.Generation}|done"), new SubOrchestrationFailed(record.ParentTaskId, failure), null)]
                : [];
            var chunk = new HistoryChunk(record.Generation, record.HistorySeq + 1, [new OrchestratorStarted { Timestamp = now.UtcDateTime }, completion], outbox);
            try
            {
                await Store.CommitAsync(
                    record with { Status = OrchestrationRuntimeStatus.Failed, Failure = failure, HistorySeq = chunk.Seq, UpdatedAt = now, LeaseOwner = null, LeaseExpiresAt = null, WakeAt = null },
                    etag,
                    chunk,
                    [],
                    cancellationToken);
                foreach (var message in outbox)
                {
                    // If this fails, the terminal-instance path of a later wake-up delivers it (DeliveredSeq is behind).
                    await DeliverAsync(message, cancellationToken);
                }

                return;
            }
            catch (ConcurrencyConflictException)
            {
            }
        }
    }

    private async Task RecordErrorAsync(string instanceId, Exception error, CancellationToken cancellationToken)
    {
        try
        {
            var state = await Store.GetInstanceAsync(instanceId, cancellationToken);
            if (state is { } s && !s.Record.Status.IsTerminal())
            {
                await Store.CommitAsync(s.Record with { LastError = $"{error.GetType().Name}: {error.Message}" }, s.ETag, null, [], cancellationToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Logger.LogDebug(ex, "Could not record the error on instance {InstanceId}.", instanceId);
        }
    }

    private int _cleanupsRunning;

    internal void QueueCleanup(Func<Task> cleanup)
    {
        Interlocked.Increment(ref _cleanupsRunning);
        _ = Task.Run(async () =>
        {
            try
            {
                await cleanup();
            }
            catch (Exception ex)
            {
                Logger.LogDebug(ex, "Background clean-up failed; it is retried at purge.");
            }
            finally
            {
                Interlocked.Decrement(ref _cleanupsRunning);
            }
        });
    }

    /// <summary>
    /// The safety net: wakes instances whose wake-up was lost (a crash between a commit and a queue send).
    /// Run every <see cref="DurableOptions.SweepInterval"/> in pull mode, and by the housekeeping timer when hosted.
    /// </summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var overdue = await Store.FindOverdueAsync(Time.GetUtcNow() - Options.MessageVisibilityTimeout, 500, cancellationToken);
        foreach (var record in overdue)
        {
            await SendWakeAsync(record.InstanceId, TimeSpan.Zero, cancellationToken);
        }

        if (overdue.Count > 0)
        {
            Logger.LogInformation("Sweep woke {Count} overdue instance(s).", overdue.Count);
        }

        return overdue.Count;
    }

    /// <summary>Sessions in progress and what each is doing: shown when a test or shutdown waits too long.</summary>
    public string DescribeActiveSessions() =>
        string.Join("; ", _active.Values.Select(s => $"{s.InstanceId}: {s.Phase}")) + $" (in flight: {Volatile.Read(ref _inFlight)}: "
        + string.Join(", ", _stages.Select(p => $"{p.Key.Body} #{p.Key.DequeueCount} {p.Value}")) + ")";

    /// <summary>
    /// For tests with time under their control: processes every visible message, and what that causes, until the
    /// queues have nothing visible and no session is running.
    /// </summary>
    public async Task RunUntilIdleAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var received = await PollOnceAsync(cancellationToken, allQueues: true);

            // Idle includes the background clean-up of old generations, so a test sees the history as it settles.
            if (received == 0 && Volatile.Read(ref _inFlight) == 0 && Volatile.Read(ref _cleanupsRunning) == 0)
            {
                return;
            }

            if (received == 0)
            {
                // Real time, not the test's clock: this only waits for work already in progress.
                await _signal.WaitAsync(TimeSpan.FromMilliseconds(10), TimeProvider.System, cancellationToken);
            }
        }
    }
}
