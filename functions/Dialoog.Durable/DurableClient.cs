using Dialoog.Durable.Storage;
using Dialoog.Durable.Worker;

namespace Dialoog.Durable;

/// <summary>Starts, inspects and steers instances. Thread-safe; register as a singleton.</summary>
public sealed class DurableClient(IDurableStore store, DurableRegistry registry, TimeProvider time, LocalWorkSignal signal)
{
    private const int MaxInstanceIdLength = 200;

    /// <summary>
    /// Starts a new instance of the newest registered version. Idempotent on <paramref name="instanceId"/>: when that
    /// instance exists already, nothing changes and its id is returned.
    /// </summary>
    public async Task<string> StartNewAsync(string orchestratorName, object? input = null, string? instanceId = null, DateTimeOffset? startAt = null, CancellationToken cancellationToken = default)
    {
        var version = registry.NewestVersion(orchestratorName)
            ?? throw new ArgumentException($"Orchestrator '{orchestratorName}' is not registered.", nameof(orchestratorName));
        instanceId ??= Guid.NewGuid().ToString("N");
        ValidateInstanceId(instanceId);
        var now = time.GetUtcNow();
        var record = new InstanceRecord
        {
            InstanceId = instanceId,
            Name = orchestratorName,
            Version = version,
            Status = OrchestrationRuntimeStatus.Pending,
            Input = DurableJson.Serialize(input),
            CreatedAt = now,
            UpdatedAt = now,
            ScheduledStartAt = startAt,
            WakeAt = startAt ?? now,
        };
        if (await store.CreateInstanceAsync(record, cancellationToken))
        {
            if (startAt is { } at && at > now)
            {
                // Like a durable timer: the queue holds it at most 7 days, and the worker sends it on from there.
                var delay = at - now > DurableWorker.MaxQueueDelay ? DurableWorker.MaxQueueDelay : at - now;
                await store.SendAsync(WorkQueue.Timers, new WakeMessage(instanceId, at).ToJson(), TimeSpan.FromSeconds(Math.Ceiling(delay.TotalSeconds)), cancellationToken);
            }
            else
            {
                await WakeAsync(instanceId, TimeSpan.Zero, cancellationToken);
            }
        }

        return instanceId;
    }

    /// <summary>Delivers an event to a running instance; it is kept until the orchestrator waits for it.</summary>
    public async Task RaiseEventAsync(string instanceId, string eventName, object? payload = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(eventName);
        var state = await RequireAsync(instanceId, cancellationToken);
        if (state.Status.IsTerminal())
        {
            throw new InvalidOperationException($"Instance '{instanceId}' has ended ({state.Status}); it takes no more events.");
        }

        var id = InboxIds.New(time.GetUtcNow());
        await store.AppendInboxAsync(instanceId, new InboxMessage(id, new EventRaised(eventName, DurableJson.Serialize(payload), id)), cancellationToken);
        await WakeAsync(instanceId, TimeSpan.Zero, cancellationToken);
    }

    public async Task<OrchestrationMetadata?> GetInstanceAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellationToken = default)
    {
        var state = await store.GetInstanceAsync(instanceId, cancellationToken);
        return state is null ? null : ToMetadata(state.Value.Record, getInputsAndOutputs);
    }

    public async Task<OrchestrationQueryResult> QueryInstancesAsync(OrchestrationQuery query, CancellationToken cancellationToken = default)
    {
        var (records, token) = await store.QueryInstancesAsync(query, cancellationToken);
        return new OrchestrationQueryResult([.. records.Select(r => ToMetadata(r, query.FetchInputsAndOutputs))], token);
    }

    /// <summary>Ends the instance and, recursively, the sub-orchestrations it is waiting for.</summary>
    public Task TerminateAsync(string instanceId, string? reason = null, CancellationToken cancellationToken = default) =>
        SendControlAsync(instanceId, new ExecutionTerminated(reason), cancellationToken);

    public Task SuspendAsync(string instanceId, string? reason = null, CancellationToken cancellationToken = default) =>
        SendControlAsync(instanceId, new ExecutionSuspended(reason), cancellationToken);

    public Task ResumeAsync(string instanceId, string? reason = null, CancellationToken cancellationToken = default) =>
        SendControlAsync(instanceId, new ExecutionResumed(reason), cancellationToken);

    /// <summary>Removes an ended instance with its history and payloads. Returns false when it does not exist.</summary>
    public async Task<bool> PurgeInstanceAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        var state = await store.GetInstanceAsync(instanceId, cancellationToken);
        if (state is null)
        {
            return false;
        }

        if (!state.Value.Record.Status.IsTerminal())
        {
            throw new InvalidOperationException($"Instance '{instanceId}' is still {state.Value.Record.Status}; only ended instances can be purged.");
        }

        await store.PurgeAsync(instanceId, cancellationToken);
        return true;
    }

    /// <summary>The history of the current generation, oldest first: for a timeline on a dashboard.</summary>
    public async Task<IReadOnlyList<HistoryEvent>> GetHistoryAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        var state = await store.LoadAsync(instanceId, cancellationToken);
        return state is null ? [] : [.. state.History];
    }

    /// <summary>Polls until the instance has ended (for tests and tools).</summary>
    public async Task<OrchestrationMetadata> WaitForCompletionAsync(string instanceId, TimeSpan timeout, bool getInputsAndOutputs = true, CancellationToken cancellationToken = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        var delay = TimeSpan.FromMilliseconds(10);
        while (true)
        {
            var metadata = await GetInstanceAsync(instanceId, getInputsAndOutputs, cancellationToken);
            if (metadata is not null && metadata.RuntimeStatus.IsTerminal())
            {
                return metadata;
            }

            try
            {
                await Task.Delay(delay, cts.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"Instance '{instanceId}' did not end within {timeout}; it is {metadata?.RuntimeStatus.ToString() ?? "missing"}.");
            }

            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 250));
        }
    }

    private async Task SendControlAsync(string instanceId, HistoryEvent control, CancellationToken cancellationToken)
    {
        var record = await RequireAsync(instanceId, cancellationToken);
        if (record.Status.IsTerminal())
        {
            return;
        }

        await store.AppendInboxAsync(instanceId, new InboxMessage(InboxIds.New(time.GetUtcNow()), control), cancellationToken);
        await WakeAsync(instanceId, TimeSpan.Zero, cancellationToken);
    }

    private async Task<InstanceRecord> RequireAsync(string instanceId, CancellationToken cancellationToken) =>
        (await store.GetInstanceAsync(instanceId, cancellationToken))?.Record
            ?? throw new KeyNotFoundException($"Instance '{instanceId}' does not exist.");

    private async Task WakeAsync(string instanceId, TimeSpan delay, CancellationToken cancellationToken)
    {
        var body = new WakeMessage(instanceId).ToJson();
        await store.SendAsync(WorkQueue.Work, body, delay, cancellationToken);
        signal.Notify();
    }

    private static void ValidateInstanceId(string instanceId)
    {
        // Instance ids are table partition keys: these characters are not allowed there.
        if (instanceId.Length is 0 or > MaxInstanceIdLength || instanceId.Any(c => c is '/' or '\\' or '#' or '?' || char.IsControl(c)))
        {
            throw new ArgumentException($"Instance id '{instanceId}' must be 1–{MaxInstanceIdLength} characters without / \\ # ? or control characters.", nameof(instanceId));
        }
    }

    private static OrchestrationMetadata ToMetadata(InstanceRecord r, bool withPayloads) => new()
    {
        InstanceId = r.InstanceId,
        Name = r.Name,
        Version = r.Version,
        RuntimeStatus = r.Status,
        CreatedAt = r.CreatedAt,
        LastUpdatedAt = r.UpdatedAt,
        SerializedInput = withPayloads ? r.Input : null,
        SerializedOutput = withPayloads ? r.Output : null,
        SerializedCustomStatus = r.CustomStatus,
        FailureDetails = r.Failure ?? (r.LastError is { } e && !r.Status.IsTerminal() ? new FailureDetails("Retrying", e) : null),
        ParentInstanceId = r.ParentInstanceId,
    };
}
