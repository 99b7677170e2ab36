using Azure.Data.Tables;
using Dialoog.Core.Engine;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Dialoog.Core.Storage;

namespace Dialoog.Core.Actions;

/// <summary>
/// Actions and initiatives per process in a table (partition = process), for the API and the pages. The follow-up
/// orchestrations own the truth and write here on every change.
/// </summary>
public sealed class FollowUpDirectory(TableServiceClient tables, IConfiguration configuration, TimeProvider? time = null)
{
    private readonly AppTable _table = new(tables, configuration, "FollowUps");

    public async Task UpsertAsync(FollowUpRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        await _table.EnsureAsync(cancellationToken);
        // The item's changes so far, for the exports: read and appended here, because the orchestration keeps only
        // its latest state (it continues as new on every change). Safe to repeat: the same change is not added twice.
        var history = FollowUpHistory.Append(await HistoryAsync(record.ProcessId, record.Id, cancellationToken), record, (time ?? TimeProvider.System).GetUtcNow().UtcDateTime);
        var entity = new TableEntity(record.ProcessId, record.Id)
        {
            ["Kind"] = record.Kind,
            ["Status"] = record.Status,
            ["Json"] = DurableJson.Serialize(record),
            ["History"] = DurableJson.Serialize(history),
        };
        await _table.Client.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>Every change of one item recorded since history was kept, oldest first; empty for an unknown item.</summary>
    public async Task<IReadOnlyList<FollowUpHistoryEntry>> HistoryAsync(string processId, string itemId, CancellationToken cancellationToken)
    {
        await _table.EnsureAsync(cancellationToken);
        var entity = await _table.Client.GetEntityIfExistsAsync<TableEntity>(processId, itemId, ["History"], cancellationToken);
        return entity.HasValue ? FollowUpHistory.Read(entity.Value!.GetString("History")) : [];
    }

    /// <summary>The history of every item of a process, by item id.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<FollowUpHistoryEntry>>> HistoriesAsync(string processId, CancellationToken cancellationToken)
    {
        await _table.EnsureAsync(cancellationToken);
        var result = new Dictionary<string, IReadOnlyList<FollowUpHistoryEntry>>(StringComparer.Ordinal);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {processId}");
        await foreach (var entity in _table.Client.QueryAsync<TableEntity>(filter, select: ["RowKey", "History"], cancellationToken: cancellationToken))
        {
            result[entity.RowKey] = FollowUpHistory.Read(entity.GetString("History"));
        }

        return result;
    }

    public async Task<IReadOnlyList<FollowUpRecord>> ListAsync(string processId, string? kind, CancellationToken cancellationToken)
    {
        await _table.EnsureAsync(cancellationToken);
        var filter = kind is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {processId}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {processId} and Kind eq {kind}");
        return await QueryAsync(filter, cancellationToken);
    }

    /// <summary>Every initiative of every process, newest first (for the coordinator's overview).</summary>
    public async Task<IReadOnlyList<FollowUpRecord>> ListInitiativesAsync(CancellationToken cancellationToken)
    {
        await _table.EnsureAsync(cancellationToken);
        return await QueryAsync(TableClient.CreateQueryFilter($"Kind eq {FollowUpKinds.Initiative}"), cancellationToken);
    }

    public Task<FollowUpRecord?> FindAsync(string processId, string itemId, CancellationToken cancellationToken) =>
        _table.FindJsonAsync<FollowUpRecord>(processId, itemId, cancellationToken);

    private async Task<IReadOnlyList<FollowUpRecord>> QueryAsync(string filter, CancellationToken cancellationToken)
    {
        var result = new List<FollowUpRecord>();
        await foreach (var entity in _table.Client.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (DurableJson.Deserialize<FollowUpRecord>(entity.GetString("Json")) is { } record)
            {
                result.Add(record);
            }
        }

        return result.OrderBy(r => r.Kind).ThenBy(r => int.TryParse(r.Id.AsSpan(1), out var n) ? n : int.MaxValue).ToList();
    }
}

public sealed class RecordFollowUpActivity(FollowUpDirectory directory) : TaskActivity<FollowUpRecord, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, FollowUpRecord input)
    {
        ArgumentNullException.ThrowIfNull(context);
        await directory.UpsertAsync(input, CancellationToken.None);
        return true;
    }
}

/// <summary>
/// Starts the follow-up orchestration of one item. A process does not call it as a sub-orchestration: a process that
/// follows agreements for years continues as new, and must not hold tasks for children across that. The children
/// report back with events instead. Starting is idempotent on the instance id, so a repeated activity starts nothing.
/// </summary>
public sealed class StartFollowUpActivity(DurableTaskClient client) : TaskActivity<FollowUpInput, string>
{
    public override async Task<string> RunAsync(TaskActivityContext context, FollowUpInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        return await client.StartOnceAsync(nameof(FollowUpOrchestrator), input, input.Item.InstanceId);
    }
}

/// <summary>Sends a signal to a follow-up orchestration (e.g. "close" when its process ends).</summary>
public sealed record FollowUpSignalRequest(string InstanceId, FollowUpClosing Closing);

public sealed class CloseFollowUpActivity(DurableTaskClient client) : TaskActivity<FollowUpSignalRequest, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, FollowUpSignalRequest input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var instance = await client.GetInstanceAsync(input.InstanceId, cancellation: CancellationToken.None);
        if (instance is null || !instance.IsActive())
        {
            return false;
        }

        await client.SignalFollowUpAsync(input.InstanceId, input.Closing, CancellationToken.None);
        return true;
    }
}

public static class FollowUpClientExtensions
{
    /// <summary>Raises <paramref name="signal"/> as <see cref="FollowUpSignal"/>, so the payload carries its type discriminator.</summary>
    public static Task SignalFollowUpAsync(this DurableTaskClient client, string instanceId, FollowUpSignal signal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.RaiseEventAsync(instanceId, FollowUpSignal.EventName, System.Text.Json.JsonSerializer.SerializeToNode(signal, DurableJson.Options), cancellationToken);
    }
}
