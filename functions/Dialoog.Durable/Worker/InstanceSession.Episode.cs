using System.Threading.Channels;
using Dialoog.Durable.Execution;
using Dialoog.Durable.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dialoog.Durable.Worker;

/// <summary>One episode: replay, new events, actions, and the record, chunk and outbox it commits.</summary>
internal sealed partial class InstanceSession
{
    private async Task<bool> RunEpisodeAsync(List<HistoryEvent> newEvents, List<string> consumed, CancellationToken cancellationToken)
    {
        var now = Now;
        var chunkEvents = new List<HistoryEvent> { new OrchestratorStarted { Timestamp = now.UtcDateTime } };
        var outbox = new List<OutboxMessage>();
        var record = _record;
        ContinuedAsNew? continued = null;

        var control = newEvents.FirstOrDefault(e => e is ExecutionTerminated);
        if (control is ExecutionTerminated terminated)
        {
            chunkEvents.Add(terminated);
            var completion = new ExecutionCompleted(OrchestrationRuntimeStatus.Terminated, DurableJson.Serialize(terminated.Reason), null) { Timestamp = now.UtcDateTime };
            chunkEvents.Add(completion);
            foreach (var child in RunningChildren())
            {
                outbox.Add(new OutboxMessage(child.InstanceId, InboxIds.FromEpisode(now, $"{_instanceId}|{record.Generation}|terminate|{child.TaskId}"), new ExecutionTerminated(terminated.Reason), null));
            }

            record = Complete(record, completion, outbox);
        }
        else
        {
            var status = record.Status == OrchestrationRuntimeStatus.Pending ? OrchestrationRuntimeStatus.Running : record.Status;
            var forExecutor = new List<HistoryEvent> { chunkEvents[0] };
            foreach (var e in newEvents)
            {
                chunkEvents.Add(e);
                if (e is ExecutionSuspended)
                {
                    status = OrchestrationRuntimeStatus.Suspended;
                }
                else if (e is ExecutionResumed)
                {
                    status = OrchestrationRuntimeStatus.Running;
                }
                else
                {
                    forExecutor.Add(e);
                }
            }

            record = record with { Status = status };
            if (forExecutor.Count > 1)
            {
                var result = Execute(forExecutor, now);
                chunkEvents.AddRange(result.Actions);
                foreach (var action in result.Actions)
                {
                    switch (action)
                    {
                        case SubOrchestrationCreated sub:
                            outbox.Add(new OutboxMessage(sub.InstanceId, $"{_instanceId}/{record.Generation}/start/{sub.TaskId}", null, NewChild(sub, now)));
                            break;
                        case EventSent sent:
                            var messageId = InboxIds.FromEpisode(now, $"{_instanceId}|{record.Generation}|event|{sent.TaskId}");
                            outbox.Add(new OutboxMessage(sent.InstanceId, messageId, new EventRaised(sent.Name, sent.Input, messageId), null));
                            break;
                    }
                }

                if (result.CustomStatusChanged)
                {
                    record = record with { CustomStatus = result.CustomStatus };
                }

                if (result.Completion is { } completion)
                {
                    chunkEvents.Add(completion);
                    record = Complete(record, completion, outbox);
                }
                else if (result.ContinuedAsNew)
                {
                    continued = new ContinuedAsNew(result.ContinueAsNewInput, result.CarriedOverEvents) { Timestamp = now.UtcDateTime };
                    chunkEvents.Add(continued);
                }
            }
        }

        var seq = record.HistorySeq + 1;
        var chunk = new HistoryChunk(record.Generation, seq, chunkEvents, outbox);
        var projected = _history.Concat(chunkEvents).ToList();
        var newActivities = chunkEvents.OfType<TaskScheduled>().ToList();
        var holdsWork = !record.Status.IsTerminal() && continued is null && (_running.Count > 0 || newActivities.Count > 0);
        record = record with
        {
            HistorySeq = seq,
            DeliveredSeq = _delivered,
            UpdatedAt = now,
            LeaseOwner = holdsWork ? _worker.WorkerId : null,
            LeaseExpiresAt = holdsWork ? now + _worker.Options.LeaseDuration : null,
            WakeAt = record.Status.IsTerminal() ? null : NextWake(projected, holdsWork, now),
            LastError = null,
        };

        if (!await TryCommitAsync(record, chunk, consumed, cancellationToken))
        {
            return false;
        }

        _history = projected;
        _chunks.Add(chunk);
        if (_cleanupBeforeGeneration is { } generation && record.Generation >= generation)
        {
            _cleanupBeforeGeneration = null;
            _worker.QueueCleanup(() => Store.DeleteOldGenerationsAsync(_instanceId, generation, CancellationToken.None));
        }
        var consumedSet = consumed.ToHashSet(StringComparer.Ordinal);
        _inbox.RemoveAll(m => consumedSet.Contains(m.Id));
        _worker.Metrics.EpisodeCommitted();

        await DeliverOutboxAsync(cancellationToken);
        foreach (var timer in chunkEvents.OfType<TimerCreated>())
        {
            await _worker.ArmTimerAsync(_instanceId, timer.FireAt, cancellationToken);
        }

        if (!record.Status.IsTerminal() && continued is null)
        {
            foreach (var scheduled in newActivities)
            {
                StartActivity(scheduled);
            }
        }

        if (continued is not null)
        {
            await StartNextGenerationAsync(continued, cancellationToken);
        }

        return true;
    }

    private async Task StartNextGenerationAsync(ContinuedAsNew continued, CancellationToken cancellationToken)
    {
        await DeliverOutboxAsync(cancellationToken);
        await SaveDeliveredAsync(cancellationToken);

        // Activities the old generation left running (not awaited) are abandoned, and their results dropped.
        await _activityCancellation.CancelAsync();
        _activityCancellation.Dispose();
        _activityCancellation = new CancellationTokenSource();
        _results = Channel.CreateUnbounded<(HistoryEvent?, Exception?)>();
        _running.Clear();
        var previousGeneration = _record.Generation;
        _record = _record with
        {
            Generation = previousGeneration + 1,
            HistorySeq = 0,
            DeliveredSeq = 0,
            Input = continued.Input,
            Output = null,
        };
        _delivered = 0;
        _history = [];
        _chunks = [];

        // Carried-over events go back into the inbox so the next generation receives them like any other.
        foreach (var carried in continued.CarriedEvents)
        {
            var message = new InboxMessage(InboxIds.Carried(carried.MessageId), carried);
            if (!_inbox.Any(m => m.Id == message.Id))
            {
                _inbox.Add(message);
            }

            await Store.AppendInboxAsync(_instanceId, message, cancellationToken);
        }

        // Old history goes only once the new generation is committed: until then a crash must find it.
        _cleanupBeforeGeneration = previousGeneration + 1;
    }

    private EpisodeResult Execute(List<HistoryEvent> newEvents, DateTimeOffset now)
    {
        var type = _worker.Registry.FindOrchestrator(_record.Name, _record.Version);
        if (type is null)
        {
            return FailedResult(new InvalidOperationException(
                $"Orchestrator '{_record.Name}' version '{_record.Version}' is not registered in this worker."), now);
        }

        try
        {
            using var scope = _worker.Services.CreateScope();
            var orchestrator = (ITaskOrchestrator)ActivatorUtilities.CreateInstance(scope.ServiceProvider, type);
            return OrchestrationExecutor.Execute(orchestrator, _instanceId, _record.Generation, _history, newEvents, _record.CustomStatus, _worker.LoggerFactory);
        }
        catch (NonDeterministicOrchestrationException ex)
        {
            Log.LogError("Instance {InstanceId}: {Message}", _instanceId, ex.Message);
            return FailedResult(ex, now);
        }
    }

    private static EpisodeResult FailedResult(Exception error, DateTimeOffset now) =>
        new([], new ExecutionCompleted(OrchestrationRuntimeStatus.Failed, null, FailureDetails.FromException(error)) { Timestamp = now.UtcDateTime }, false, null, [], false, null);

    private InstanceRecord Complete(InstanceRecord record, ExecutionCompleted completion, List<OutboxMessage> outbox)
    {
        if (record.ParentInstanceId is { } parent)
        {
            HistoryEvent notice = completion.Status == OrchestrationRuntimeStatus.Completed
                ? new SubOrchestrationCompleted(record.ParentTaskId, completion.Result)
                : new SubOrchestrationFailed(record.ParentTaskId, completion.Failure ?? new FailureDetails("Terminated", $"Sub-orchestration '{_instanceId}' was terminated."));
            outbox.Add(new OutboxMessage(parent, InboxIds.FromEpisode(Now, $"{_instanceId}|{record.Generation}|done"), notice, null));
        }

        return record with
        {
            Status = completion.Status,
            Output = completion.Result,
            Failure = completion.Failure,
        };
    }

    private InstanceRecord NewChild(SubOrchestrationCreated sub, DateTimeOffset now)
    {
        var version = _worker.Registry.NewestVersion(sub.Name) ?? "1";
        return new InstanceRecord
        {
            InstanceId = sub.InstanceId,
            Name = sub.Name,
            Version = version,
            Status = OrchestrationRuntimeStatus.Pending,
            Input = sub.Input,
            CreatedAt = now,
            UpdatedAt = now,
            ParentInstanceId = _instanceId,
            ParentTaskId = sub.TaskId,
            WakeAt = now,
        };
    }

    private DateTimeOffset? NextWake(List<HistoryEvent> history, bool holdsWork, DateTimeOffset now)
    {
        var closed = history.Select(e => e switch
        {
            TimerFired t => t.TimerId,
            _ => -1,
        }).ToHashSet();
        DateTimeOffset? next = history.OfType<TimerCreated>()
            .Where(t => !closed.Contains(t.TaskId))
            .Select(t => (DateTimeOffset?)new DateTimeOffset(t.FireAt, TimeSpan.Zero))
            .Min();
        if (holdsWork)
        {
            var leaseEnd = now + _worker.Options.LeaseDuration;
            next = next is null || leaseEnd < next ? leaseEnd : next;
        }

        return next;
    }
}
