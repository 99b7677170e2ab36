using DurableTask.Core;
using DurableTask.Core.History;
using DurableTask.Core.Query;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Core = DurableTask.Core;
using CoreQuery = DurableTask.Core.Query.OrchestrationQuery;
using OrchestrationQuery = Microsoft.DurableTask.Client.OrchestrationQuery;
using PurgeResult = Microsoft.DurableTask.Client.PurgeResult;

namespace Dialoog.Core.Engine;

/// <summary>
/// <see cref="DurableTaskClient"/> over DurableTask.Core's <see cref="IOrchestrationServiceClient"/> (the Azure Storage
/// provider here), for the code that starts and reads instances. Microsoft's shim client package
/// (Microsoft.DurableTask.Client.OrchestrationServiceClientShim) is not available to us, so this is our own.
/// Entities, rewind and restart are not supported.
/// </summary>
public sealed class DurableTaskCoreClient : DurableTaskClient
{
    private static readonly OrchestrationStatus[] NonTerminalStatuses =
        [OrchestrationStatus.Pending, OrchestrationStatus.Running, OrchestrationStatus.Suspended, OrchestrationStatus.ContinuedAsNew];

    private static readonly TimeSpan FirstPollDelay = TimeSpan.FromMilliseconds(50);

    private readonly IOrchestrationServiceClient _client;
    private readonly DataConverter _dataConverter;
    private readonly string _defaultVersion;
    private readonly TimeSpan _maxPollDelay;

    /// <param name="name">The client's name (as in <see cref="DurableTaskClient.Name"/>).</param>
    /// <param name="client">The orchestration service; queries and purges need it to implement
    /// <see cref="IOrchestrationServiceQueryClient"/> and <see cref="IOrchestrationServicePurgeClient"/>.</param>
    /// <param name="dataConverter">Serializes inputs, events and termination output, and reads metadata payloads back.</param>
    /// <param name="defaultVersion">The version of instances started without <see cref="StartOrchestrationOptions.Version"/>:
    /// the catalog's <see cref="TaskCatalog.CurrentVersion"/>.</param>
    /// <param name="maxPollDelay">Longest wait between two reads while waiting for an instance (default 1 s).</param>
    public DurableTaskCoreClient(
        string name, IOrchestrationServiceClient client, DataConverter dataConverter, string defaultVersion, TimeSpan? maxPollDelay = null)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(dataConverter);
        ArgumentException.ThrowIfNullOrWhiteSpace(defaultVersion);
        _client = client;
        _dataConverter = dataConverter;
        _defaultVersion = defaultVersion;
        _maxPollDelay = maxPollDelay ?? TimeSpan.FromSeconds(1);
        if (_maxPollDelay <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(maxPollDelay), maxPollDelay, "The poll delay must be positive.");
        }
    }

    /// <summary>The version new instances get when the caller names none.</summary>
    public string DefaultVersion => _defaultVersion;

    /// <inheritdoc/>
    /// <remarks>
    /// An instance id that is in use by an instance that has not ended (pending, running, suspended) is refused with
    /// DurableTask.Core's <see cref="Core.Exceptions.OrchestrationAlreadyExistsException"/>, as are the statuses in
    /// <see cref="StartOrchestrationOptions.DedupeStatuses"/>. An ended instance with that id is replaced.
    /// </remarks>
    public override async Task<string> ScheduleNewOrchestrationInstanceAsync(
        TaskName orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orchestratorName.Name, nameof(orchestratorName));
        cancellation.ThrowIfCancellationRequested();

        var instance = new OrchestrationInstance
        {
            InstanceId = options?.InstanceId ?? Guid.NewGuid().ToString("N"),
            ExecutionId = Guid.NewGuid().ToString("N"),
        };
        var tags = options?.Tags?.ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal)
            ?? new Dictionary<string, string>(StringComparer.Ordinal);
        var started = new ExecutionStartedEvent(-1, _dataConverter.Serialize(input))
        {
            Name = orchestratorName.Name,
            Version = string.IsNullOrEmpty(options?.Version) ? _defaultVersion : options.Version,
            OrchestrationInstance = instance,
            ScheduledStartTime = options?.StartAt?.UtcDateTime,
            Tags = tags,
        };

        var dedupe = NonTerminalStatuses.Concat(options?.DedupeStatuses?.Select(ParseStatus) ?? []).Distinct().ToArray();
        await _client.CreateTaskOrchestrationAsync(new TaskMessage { OrchestrationInstance = instance, Event = started }, dedupe);
        return instance.InstanceId;
    }

    public override Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(eventName);
        return SendAsync(instanceId, new EventRaisedEvent(-1, _dataConverter.Serialize(eventPayload)) { Name = eventName }, cancellation);
    }

    public override Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        SendAsync(instanceId, new ExecutionSuspendedEvent(-1, reason), cancellation);

    public override Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        SendAsync(instanceId, new ExecutionResumedEvent(-1, reason), cancellation);

    /// <inheritdoc/>
    /// <remarks>The output (serialized) becomes the instance's output; sub-orchestrations are not terminated with it.</remarks>
    public override Task TerminateInstanceAsync(string instanceId, TerminateInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceId);
        cancellation.ThrowIfCancellationRequested();
        if (options?.Recursive == true)
        {
            throw new NotSupportedException("Recursive termination is not supported: terminate each sub-orchestration by its instance id.");
        }

        return _client.ForceTerminateTaskOrchestrationAsync(instanceId, _dataConverter.Serialize(options?.Output));
    }

    public override async Task<OrchestrationMetadata?> GetInstancesAsync(
        string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
    {
        var state = await GetStateAsync(instanceId, cancellation);
        return state is null ? null : ToMetadata(state, getInputsAndOutputs);
    }

    /// <summary>The version the instance started on (not part of <see cref="OrchestrationMetadata"/>); null when no such instance.</summary>
    public async Task<string?> GetInstanceVersionAsync(string instanceId, CancellationToken cancellation = default) =>
        (await GetStateAsync(instanceId, cancellation))?.Version;

    public override async Task<OrchestrationMetadata> WaitForInstanceStartAsync(
        string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        await PollAsync(instanceId, getInputsAndOutputs, m => m.RuntimeStatus != OrchestrationRuntimeStatus.Pending, cancellation);

    public override async Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(
        string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        await PollAsync(instanceId, getInputsAndOutputs, m => m.IsCompleted, cancellation);

    public override AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(OrchestrationQuery? filter = null)
    {
        var queries = Cast<IOrchestrationServiceQueryClient>();
        return Pageable.Create(async (continuation, pageSize, cancellation) =>
        {
            var query = new CoreQuery
            {
                RuntimeStatus = filter?.Statuses?.Select(ToCore).ToList(),
                CreatedTimeFrom = filter?.CreatedFrom?.UtcDateTime,
                CreatedTimeTo = filter?.CreatedTo?.UtcDateTime,
                TaskHubNames = filter?.TaskHubNames?.ToList(),
                PageSize = pageSize ?? filter?.PageSize ?? OrchestrationQuery.DefaultPageSize,
                ContinuationToken = continuation ?? filter?.ContinuationToken,
                InstanceIdPrefix = filter?.InstanceIdPrefix,
                FetchInputsAndOutputs = filter?.FetchInputsAndOutputs ?? false,
            };
            var result = await queries.GetOrchestrationWithQueryAsync(query, cancellation);
            var page = result.OrchestrationState.Select(s => ToMetadata(s, query.FetchInputsAndOutputs)).ToList();
            // The provider answers an empty string for "no more"; AsyncPageable stops only on null.
            return new Page<OrchestrationMetadata>(page, string.IsNullOrEmpty(result.ContinuationToken) ? null : result.ContinuationToken);
        });
    }

    /// <inheritdoc/>
    /// <remarks>Only an ended instance is purged (as Microsoft's clients do); a running one is refused with <see cref="InvalidOperationException"/>.</remarks>
    public override async Task<PurgeResult> PurgeInstanceAsync(string instanceId, PurgeInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        RefuseRecursive(options);
        var purges = Cast<IOrchestrationServicePurgeClient>();
        var state = await GetStateAsync(instanceId, cancellation);
        if (state is null)
        {
            return new PurgeResult(0);
        }

        if (!IsTerminal(state.OrchestrationStatus))
        {
            throw new InvalidOperationException(
                $"Only an ended orchestration can be purged; instance '{instanceId}' is {state.OrchestrationStatus}.");
        }

        var result = await purges.PurgeInstanceStateAsync(instanceId);
        return new PurgeResult(result.DeletedInstanceCount);
    }

    public override async Task<PurgeResult> PurgeAllInstancesAsync(
        PurgeInstancesFilter filter, PurgeInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        RefuseRecursive(options);
        cancellation.ThrowIfCancellationRequested();
        var purges = Cast<IOrchestrationServicePurgeClient>();
        var coreFilter = new PurgeInstanceFilter(
            (filter.CreatedFrom ?? DateTimeOffset.MinValue).UtcDateTime, filter.CreatedTo?.UtcDateTime, filter.Statuses?.Select(ToCore));
        var result = await purges.PurgeInstanceStateAsync(coreFilter);
        return new PurgeResult(result.DeletedInstanceCount);
    }

    public override Task<string> RestartAsync(string instanceId, bool restartWithNewInstanceId = false, CancellationToken cancellation = default) =>
        throw new NotSupportedException("Restart is not supported by this client: start a new instance with the old one's input instead.");

    public override Task RewindInstanceAsync(string instanceId, string reason, CancellationToken cancellation = default) =>
        throw new NotSupportedException("Rewind is not supported by this client (the Azure Storage provider has no rewind through DurableTask.Core's client API).");

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask; // the orchestration service is owned by the container

    /// <summary>
    /// The current generation's history, oldest first. The provider returns it as JSON without type names; each event
    /// names its kind in <c>EventType</c>, and DurableTask.Core's class for kind X is <c>XEvent</c>.
    /// </summary>
    public override async Task<IList<HistoryEvent>> GetOrchestrationHistoryAsync(string instanceId, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceId);
        var state = await GetStateAsync(instanceId, cancellation)
            ?? throw new ArgumentException($"No orchestration instance with id '{instanceId}'.", nameof(instanceId));
        var json = await _client.GetOrchestrationHistoryAsync(instanceId, state.OrchestrationInstance.ExecutionId);
        var events = new List<HistoryEvent>();
        foreach (var item in Newtonsoft.Json.Linq.JArray.Parse(string.IsNullOrEmpty(json) ? "[]" : json))
        {
            var token = item[nameof(HistoryEvent.EventType)];
            var kind = token?.Type == Newtonsoft.Json.Linq.JTokenType.Integer
                ? (EventType)(int)token
                : Enum.Parse<EventType>((string?)token ?? throw new InvalidOperationException("A history event without EventType."));
            var type = typeof(HistoryEvent).Assembly.GetType($"DurableTask.Core.History.{kind}Event")
                ?? throw new InvalidOperationException($"Unknown history event kind '{kind}'.");
            events.Add((HistoryEvent)item.ToObject(type)!);
        }

        return events;
    }

    private async Task<OrchestrationMetadata> PollAsync(
        string instanceId, bool getInputsAndOutputs, Func<OrchestrationMetadata, bool> done, CancellationToken cancellation)
    {
        // Starts quick (a short orchestration ends within a few hundred ms) and backs off to the cap for long waits.
        var delay = FirstPollDelay;
        while (true)
        {
            var metadata = await GetInstancesAsync(instanceId, getInputsAndOutputs, cancellation)
                ?? throw new InvalidOperationException($"No orchestration instance with id '{instanceId}'.");
            if (done(metadata))
            {
                return metadata;
            }

            await Task.Delay(delay, cancellation);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _maxPollDelay.Ticks));
        }
    }

    private async Task<OrchestrationState?> GetStateAsync(string instanceId, CancellationToken cancellation)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceId);
        cancellation.ThrowIfCancellationRequested();
        var states = await _client.GetOrchestrationStateAsync(instanceId, allExecutions: false);
        return states is { Count: > 0 } ? states[0] : null;
    }

    private Task SendAsync(string instanceId, HistoryEvent historyEvent, CancellationToken cancellation)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceId);
        cancellation.ThrowIfCancellationRequested();
        return _client.SendTaskOrchestrationMessageAsync(new TaskMessage
        {
            OrchestrationInstance = new OrchestrationInstance { InstanceId = instanceId },
            Event = historyEvent,
        });
    }

    private OrchestrationMetadata ToMetadata(OrchestrationState state, bool getInputsAndOutputs) =>
        new(state.Name, state.OrchestrationInstance.InstanceId)
        {
            // Payloads are read only when asked for, as Microsoft's clients do; without them there is nothing to convert.
            DataConverter = getInputsAndOutputs ? _dataConverter : null,
            RuntimeStatus = FromCore(state.OrchestrationStatus),
            CreatedAt = AsUtc(state.CreatedTime),
            LastUpdatedAt = AsUtc(state.LastUpdatedTime),
            SerializedInput = getInputsAndOutputs ? state.Input : null,
            SerializedOutput = getInputsAndOutputs ? state.Output : null,
            SerializedCustomStatus = getInputsAndOutputs ? state.Status : null,
            FailureDetails = FromCore(state.FailureDetails),
            Tags = state.Tags is null ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(state.Tags, StringComparer.Ordinal),
        };

    private T Cast<T>()
        where T : class =>
        _client as T ?? throw new NotSupportedException($"The orchestration service ({_client.GetType().Name}) does not implement {typeof(T).Name}.");

    private static void RefuseRecursive(PurgeInstanceOptions? options)
    {
        if (options?.Recursive == true)
        {
            throw new NotSupportedException("Recursive purge is not supported: purge each sub-orchestration by its instance id.");
        }
    }

    private static DateTimeOffset AsUtc(DateTime time) =>
        new(time.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(time, DateTimeKind.Utc) : time.ToUniversalTime());

    private static bool IsTerminal(OrchestrationStatus status) => !NonTerminalStatuses.Contains(status);

    private static OrchestrationStatus ParseStatus(string status) =>
        Enum.TryParse<OrchestrationRuntimeStatus>(status, ignoreCase: true, out var parsed)
            ? ToCore(parsed)
            : throw new ArgumentException($"'{status}' is not an orchestration status, so it cannot be a dedupe status.", nameof(status));

    private static TaskFailureDetails? FromCore(FailureDetails? details) =>
        details is null
            ? null
            : new TaskFailureDetails(details.ErrorType, details.ErrorMessage, details.StackTrace, FromCore(details.InnerFailure), details.Properties);

#pragma warning disable CS0618 // Canceled is obsolete in the SDK but still a status DurableTask.Core can report.
    // Explicit, not a cast: the two enums are separate definitions that merely agree today.
    private static OrchestrationRuntimeStatus FromCore(OrchestrationStatus status) => status switch
    {
        OrchestrationStatus.Running => OrchestrationRuntimeStatus.Running,
        OrchestrationStatus.Completed => OrchestrationRuntimeStatus.Completed,
        OrchestrationStatus.ContinuedAsNew => OrchestrationRuntimeStatus.ContinuedAsNew,
        OrchestrationStatus.Failed => OrchestrationRuntimeStatus.Failed,
        OrchestrationStatus.Canceled => OrchestrationRuntimeStatus.Canceled,
        OrchestrationStatus.Terminated => OrchestrationRuntimeStatus.Terminated,
        OrchestrationStatus.Pending => OrchestrationRuntimeStatus.Pending,
        OrchestrationStatus.Suspended => OrchestrationRuntimeStatus.Suspended,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown orchestration status."),
    };

    private static OrchestrationStatus ToCore(OrchestrationRuntimeStatus status) => status switch
    {
        OrchestrationRuntimeStatus.Running => OrchestrationStatus.Running,
        OrchestrationRuntimeStatus.Completed => OrchestrationStatus.Completed,
        OrchestrationRuntimeStatus.ContinuedAsNew => OrchestrationStatus.ContinuedAsNew,
        OrchestrationRuntimeStatus.Failed => OrchestrationStatus.Failed,
        OrchestrationRuntimeStatus.Canceled => OrchestrationStatus.Canceled,
        OrchestrationRuntimeStatus.Terminated => OrchestrationStatus.Terminated,
        OrchestrationRuntimeStatus.Pending => OrchestrationStatus.Pending,
        OrchestrationRuntimeStatus.Suspended => OrchestrationStatus.Suspended,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown orchestration status."),
    };
#pragma warning restore CS0618
}
