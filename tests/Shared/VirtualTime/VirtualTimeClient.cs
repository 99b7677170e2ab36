using System.Globalization;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using CoreHistoryEvent = DurableTask.Core.History.HistoryEvent;

namespace Dialoog.Testing.VirtualTime;

/// <summary>
/// The Durable Task client over a <see cref="VirtualTimeEngine"/>, so code written against
/// <see cref="DurableTaskClient"/> runs unchanged in virtual time. Calls only enqueue; the test makes things happen
/// with <see cref="VirtualTimeEngine.RunUntilIdleAsync"/> or <see cref="VirtualTimeEngine.AdvanceAsync"/>, or sets
/// <see cref="AutoRun"/> to run the engine until idle after each call. Waiting never blocks: the wait methods run the
/// engine until idle and throw if the instance is still not there, since only the test can move the clock.
/// </summary>
public sealed class VirtualTimeClient(VirtualTimeEngine engine, bool autoRun = false) : DurableTaskClient("virtual-time")
{
    public VirtualTimeEngine Engine { get; } = engine ?? throw new ArgumentNullException(nameof(engine));

    /// <summary>Runs the engine until idle after each call that changes something.</summary>
    public bool AutoRun { get; set; } = autoRun;

    private DataConverter Converter => Engine.DataConverter;

    public override async Task<string> ScheduleNewOrchestrationInstanceAsync(
        TaskName orchestratorName,
        object? input = null,
        StartOrchestrationOptions? options = null,
        CancellationToken cancellation = default)
    {
        var version = options?.Version is { } v && !string.IsNullOrEmpty(v.Version) ? v.Version : null;
        var id = Engine.StartInstance(
            orchestratorName.Name,
            options?.InstanceId,
            Converter.Serialize(input),
            version,
            options?.StartAt,
            options?.Tags);
        await AfterChangeAsync(cancellation);
        return id;
    }

    public override async Task RaiseEventAsync(
        string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default)
    {
        Engine.RaiseEvent(instanceId, eventName, Converter.Serialize(eventPayload));
        await AfterChangeAsync(cancellation);
    }

    public override async Task<OrchestrationMetadata> WaitForInstanceStartAsync(
        string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
    {
        await RunIfIdleAsync(cancellation);
        var instance = Engine.Require(instanceId).Snapshot();
        if (instance.Status == OrchestrationRuntimeStatus.Pending)
        {
            throw new InvalidOperationException(
                $"Instance '{instanceId}' has not started at {Engine.UtcNow:O}; in virtual time nothing waits. " +
                $"Next due: {Engine.NextDueAt()?.ToString("O", CultureInfo.InvariantCulture) ?? "nothing"}; advance the engine's clock first.");
        }

        return ToMetadata(instance, getInputsAndOutputs);
    }

    public override async Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(
        string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
    {
        await RunIfIdleAsync(cancellation);
        var instance = Engine.Require(instanceId).Snapshot();
        if (!instance.IsTerminal)
        {
            throw new InvalidOperationException(
                $"Instance '{instanceId}' is {instance.Status} at {Engine.UtcNow:O}, not completed; in virtual time nothing waits. " +
                $"Next due: {Engine.NextDueAt()?.ToString("O", CultureInfo.InvariantCulture) ?? "nothing"}; advance the clock or raise its events first.");
        }

        return ToMetadata(instance, getInputsAndOutputs);
    }

    public override async Task TerminateInstanceAsync(
        string instanceId, TerminateInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        Engine.Terminate(instanceId, Converter.Serialize(options?.Output), options?.Recursive ?? false);
        await AfterChangeAsync(cancellation);
    }

    public override async Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default)
    {
        Engine.Suspend(instanceId, reason);
        await AfterChangeAsync(cancellation);
    }

    public override async Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default)
    {
        Engine.Resume(instanceId, reason);
        await AfterChangeAsync(cancellation);
    }

    public override Task<OrchestrationMetadata?> GetInstancesAsync(
        string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        Task.FromResult(Engine.GetInstance(instanceId) is { } instance ? ToMetadata(instance, getInputsAndOutputs) : null);

    /// <summary>Instances in instance-id order; the continuation token is the last id of the previous page.</summary>
    public override AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(OrchestrationQuery? filter = null)
    {
        var query = filter ?? new OrchestrationQuery();
        return Pageable.Create<OrchestrationMetadata>((continuation, pageSize, _) =>
        {
            var statuses = query.Statuses?.ToHashSet();
            var size = Math.Max(1, pageSize ?? query.PageSize);
            var after = continuation ?? query.ContinuationToken;
            var matches = Engine.GetInstances()
                .Where(i => query.CreatedFrom is null || i.CreatedAt >= query.CreatedFrom)
                .Where(i => query.CreatedTo is null || i.CreatedAt <= query.CreatedTo)
                .Where(i => statuses is null || statuses.Count == 0 || statuses.Contains(i.Status))
                .Where(i => string.IsNullOrEmpty(query.InstanceIdPrefix) || i.InstanceId.StartsWith(query.InstanceIdPrefix, StringComparison.Ordinal))
                .Where(i => after is null || string.CompareOrdinal(i.InstanceId, after) > 0)
                .Take(size + 1)
                .ToList();
            var page = matches.Take(size).Select(i => ToMetadata(i, query.FetchInputsAndOutputs)).ToList();
            var next = matches.Count > size ? page[^1].InstanceId : null;
            return Task.FromResult(new Page<OrchestrationMetadata>(page, next));
        });
    }

    public override Task<PurgeResult> PurgeInstanceAsync(
        string instanceId, PurgeInstanceOptions? options = null, CancellationToken cancellation = default) =>
        Task.FromResult(new PurgeResult(Engine.Purge(instanceId, options?.Recursive ?? false)));

    public override Task<PurgeResult> PurgeAllInstancesAsync(
        PurgeInstancesFilter filter, PurgeInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var statuses = filter.Statuses?.ToHashSet();
        var count = Engine.GetInstances()
            .Where(i => i.IsTerminal)
            .Where(i => filter.CreatedFrom is null || i.CreatedAt >= filter.CreatedFrom)
            .Where(i => filter.CreatedTo is null || i.CreatedAt <= filter.CreatedTo)
            .Where(i => statuses is null || statuses.Count == 0 || statuses.Contains(i.Status))
            .ToList()
            .Sum(i => Engine.Purge(i.InstanceId, options?.Recursive ?? false));
        return Task.FromResult(new PurgeResult(count));
    }

    public override Task<IList<CoreHistoryEvent>> GetOrchestrationHistoryAsync(string instanceId, CancellationToken cancellation = default) =>
        Task.FromResult<IList<CoreHistoryEvent>>([.. Engine.GetHistory(instanceId)]);

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private OrchestrationMetadata ToMetadata(VirtualInstance instance, bool getInputsAndOutputs) =>
        new(instance.Name, instance.InstanceId)
        {
            RuntimeStatus = instance.Status,
            CreatedAt = instance.CreatedAt,
            LastUpdatedAt = instance.LastUpdatedAt,
            SerializedInput = getInputsAndOutputs ? instance.SerializedInput : null,
            SerializedOutput = getInputsAndOutputs ? instance.SerializedOutput : null,
            SerializedCustomStatus = getInputsAndOutputs ? instance.SerializedCustomStatus : null,
            FailureDetails = instance.FailureDetails,
            Tags = instance.Tags,
            // The Read*As methods need a converter, and only work when inputs and outputs were asked for.
            DataConverter = getInputsAndOutputs ? Converter : null,
        };

    private Task AfterChangeAsync(CancellationToken cancellation) =>
        AutoRun && !Engine.IsRunning ? Engine.RunUntilIdleAsync(cancellation) : Task.CompletedTask;

    private Task RunIfIdleAsync(CancellationToken cancellation) =>
        Engine.IsRunning ? Task.CompletedTask : Engine.RunUntilIdleAsync(cancellation);
}
