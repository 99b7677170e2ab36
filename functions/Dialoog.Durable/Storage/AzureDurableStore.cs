using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;

namespace Dialoog.Durable.Storage;

/// <summary>
/// The store on Azure Storage (or Azurite). One table partition per instance holds its row, its history chunks and
/// its inbox, so an episode commits in one entity-group transaction. Queues carry only wake-ups. Rows and chunks
/// larger than a table property allows are kept in a blob and referenced.
/// </summary>
/// <remarks>
/// Storage transactions per activity round trip: the activity runs in the worker that holds the instance, and its
/// result is committed together with the next step, so a sequence of activities costs one table transaction each,
/// plus a fixed cost per wake-up (receive, load, delete). See the benchmark in the README for measured figures.
/// </remarks>
public sealed class AzureDurableStore : IDurableStore
{
    private const string InstanceRowKey = "$i";
    private const string DataProperty = "Data";
    private const string BlobProperty = "DataBlob";

    private readonly TableClient _table;
    private readonly QueueClient _work;
    private readonly QueueClient _timers;
    private readonly QueueClient _poison;
    private readonly BlobContainerClient _payloads;
    private readonly int _maxInline;

    // Payload blobs are named by content; each is uploaded once per process.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _uploaded = new(StringComparer.Ordinal);

    public AzureDurableStore(TableServiceClient tables, QueueServiceClient queues, BlobServiceClient blobs, string taskHubName, int maxInlinePayloadChars = 30000)
    {
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(queues);
        ArgumentNullException.ThrowIfNull(blobs);
        var lower = taskHubName.ToLowerInvariant();
        _table = tables.GetTableClient($"{taskHubName}Instances");
        _work = queues.GetQueueClient($"{lower}-work");
        _timers = queues.GetQueueClient($"{lower}-timers");
        _poison = queues.GetQueueClient($"{lower}-poison");
        _payloads = blobs.GetBlobContainerClient($"{lower}-payloads");
        _maxInline = maxInlinePayloadChars;
    }

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await _table.CreateIfNotExistsAsync(cancellationToken);
        await _work.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await _timers.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await _poison.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await _payloads.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
    }

    public async Task<bool> CreateInstanceAsync(InstanceRecord record, CancellationToken cancellationToken)
    {
        var entity = await ToEntityAsync(record.InstanceId, InstanceRowKey, record, cancellationToken);
        AddIndexProperties(entity, record);
        try
        {
            await _table.AddEntityAsync(entity, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    public async Task<(InstanceRecord Record, string ETag)?> GetInstanceAsync(string instanceId, CancellationToken cancellationToken)
    {
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(instanceId, InstanceRowKey, cancellationToken: cancellationToken);
        if (!response.HasValue)
        {
            return null;
        }

        var record = await FromEntityAsync<InstanceRecord>(response.Value!, cancellationToken);
        return (record, response.Value!.ETag.ToString());
    }

    public async Task<InstanceState?> LoadAsync(string instanceId, CancellationToken cancellationToken)
    {
        TableEntity? instance = null;
        var chunks = new List<TableEntity>();
        var inbox = new List<TableEntity>();
        await foreach (var entity in _table.QueryAsync<TableEntity>(e => e.PartitionKey == instanceId, cancellationToken: cancellationToken))
        {
            switch (entity.RowKey[0])
            {
                case '$':
                    instance = entity;
                    break;
                case 'h':
                    chunks.Add(entity);
                    break;
                case 'm':
                    inbox.Add(entity);
                    break;
            }
        }

        if (instance is null)
        {
            return null;
        }

        var record = await FromEntityAsync<InstanceRecord>(instance, cancellationToken);
        var prefix = ChunkPrefix(record.Generation);
        var history = new List<HistoryChunk>();
        foreach (var chunk in chunks.Where(c => c.RowKey.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(c => c.RowKey, StringComparer.Ordinal))
        {
            history.Add(await FromEntityAsync<HistoryChunk>(chunk, cancellationToken));
        }

        var messages = new List<InboxMessage>();
        foreach (var message in inbox.OrderBy(m => m.RowKey, StringComparer.Ordinal))
        {
            messages.Add(await FromEntityAsync<InboxMessage>(message, cancellationToken));
        }

        return new InstanceState(record, instance.ETag.ToString(), history, messages);
    }

    public async Task<IReadOnlyList<InboxMessage>> ReadInboxAsync(string instanceId, CancellationToken cancellationToken)
    {
        var messages = new List<InboxMessage>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {instanceId} and RowKey ge 'm' and RowKey lt 'n'");
        await foreach (var entity in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            messages.Add(await FromEntityAsync<InboxMessage>(entity, cancellationToken));
        }

        return messages;
    }

    public async Task<string> CommitAsync(InstanceRecord record, string etag, HistoryChunk? chunk, IReadOnlyCollection<string> consumedInbox, CancellationToken cancellationToken)
    {
        var row = await ToEntityAsync(record.InstanceId, InstanceRowKey, record, cancellationToken);
        AddIndexProperties(row, record);
        var actions = new List<TableTransactionAction> { new(TableTransactionActionType.UpdateReplace, row, new ETag(etag)) };
        if (chunk is not null)
        {
            actions.Add(new(TableTransactionActionType.Add, await ToEntityAsync(record.InstanceId, ChunkRowKey(chunk.Generation, chunk.Seq), chunk, cancellationToken)));
        }

        foreach (var id in consumedInbox)
        {
            actions.Add(new(TableTransactionActionType.Delete, new TableEntity(record.InstanceId, InboxRowKey(id)), ETag.All));
        }

        try
        {
            var response = await _table.SubmitTransactionAsync(actions, cancellationToken);
            return response.Value[0].Headers.ETag?.ToString() ?? throw new InvalidOperationException("The table service returned no ETag.");
        }
        catch (TableTransactionFailedException ex) when (ex.Status is 412 or 409 or 404)
        {
            throw new ConcurrencyConflictException($"Instance '{record.InstanceId}' was changed by another writer ({ex.ErrorCode}).", ex);
        }
    }

    public async Task AppendInboxAsync(string instanceId, InboxMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await _table.AddEntityAsync(await ToEntityAsync(instanceId, InboxRowKey(message.Id), message, cancellationToken), cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // Delivered before: the same message id means the same message.
        }
    }

    public async Task DeleteInboxAsync(string instanceId, IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken)
    {
        foreach (var id in messageIds)
        {
            await _table.DeleteEntityAsync(instanceId, InboxRowKey(id), ETag.All, cancellationToken);
        }
    }

    public async Task DeleteOldGenerationsAsync(string instanceId, int currentGeneration, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {instanceId} and RowKey ge 'h' and RowKey lt {ChunkPrefix(currentGeneration)}");
        await DeleteRowsAsync(instanceId, filter, cancellationToken);
    }

    public async Task<(IReadOnlyList<InstanceRecord> Records, string? ContinuationToken)> QueryInstancesAsync(OrchestrationQuery query, CancellationToken cancellationToken)
    {
        var filter = $"RowKey eq '{InstanceRowKey}'";
        if (query.Statuses is { Count: > 0 } statuses)
        {
            filter += " and (" + string.Join(" or ", statuses.Select(s => TableClient.CreateQueryFilter($"Status eq {s.ToString()}"))) + ")";
        }

        if (query.Name is { } name)
        {
            filter += " and " + TableClient.CreateQueryFilter($"Name eq {name}");
        }

        if (query.CreatedFrom is { } from)
        {
            filter += " and " + TableClient.CreateQueryFilter($"CreatedAt ge {from}");
        }

        if (query.CreatedTo is { } to)
        {
            filter += " and " + TableClient.CreateQueryFilter($"CreatedAt le {to}");
        }

        await foreach (var page in _table.QueryAsync<TableEntity>(filter, maxPerPage: query.PageSize, cancellationToken: cancellationToken).AsPages(query.ContinuationToken, query.PageSize))
        {
            var records = new List<InstanceRecord>();
            foreach (var entity in page.Values)
            {
                records.Add(await FromEntityAsync<InstanceRecord>(entity, cancellationToken));
            }

            return (records, page.ContinuationToken);
        }

        return ([], null);
    }

    public async Task<IReadOnlyList<InstanceRecord>> FindOverdueAsync(DateTimeOffset before, int max, CancellationToken cancellationToken)
    {
        var filter = $"RowKey eq '{InstanceRowKey}' and " + TableClient.CreateQueryFilter($"WakeAt lt {before}");
        var records = new List<InstanceRecord>();
        await foreach (var entity in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            var record = await FromEntityAsync<InstanceRecord>(entity, cancellationToken);
            if (!record.Status.IsTerminal())
            {
                records.Add(record);
            }

            if (records.Count >= max)
            {
                break;
            }
        }

        return records;
    }

    public async Task PurgeAsync(string instanceId, CancellationToken cancellationToken)
    {
        await DeleteRowsAsync(instanceId, TableClient.CreateQueryFilter($"PartitionKey eq {instanceId}"), cancellationToken);
        await foreach (var blob in _payloads.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, BlobPrefix(instanceId), cancellationToken))
        {
            await _payloads.DeleteBlobIfExistsAsync(blob.Name, cancellationToken: cancellationToken);
        }
    }

    public async Task SendAsync(WorkQueue queue, string body, TimeSpan delay, CancellationToken cancellationToken)
    {
        // Time-to-live -1: a message never expires, so a wake-up is never silently dropped.
        await Queue(queue).SendMessageAsync(body, delay <= TimeSpan.Zero ? null : delay, TimeSpan.FromSeconds(-1), cancellationToken);
    }

    public async Task<IReadOnlyList<QueueItem>> ReceiveAsync(WorkQueue queue, int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        QueueMessage[] messages = await Queue(queue).ReceiveMessagesAsync(Math.Clamp(maxMessages, 1, 32), visibilityTimeout, cancellationToken);
        return [.. messages.Select(m => new QueueItem(queue, m.MessageId, m.PopReceipt, m.Body.ToString(), m.DequeueCount, m.InsertedOn))];
    }

    public async Task DeleteAsync(QueueItem item, CancellationToken cancellationToken)
    {
        try
        {
            await Queue(item.Queue).DeleteMessageAsync(item.MessageId, item.PopReceipt, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Someone else received it since (its pop receipt changed) or it is gone: nothing to do.
        }
    }

    public async Task<QueueItem> UpdateVisibilityAsync(QueueItem item, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        var receipt = await Queue(item.Queue).UpdateMessageAsync(item.MessageId, item.PopReceipt, visibilityTimeout: visibilityTimeout, cancellationToken: cancellationToken);
        return item with { PopReceipt = receipt.Value.PopReceipt };
    }

    public async Task<int> CountAsync(WorkQueue queue, CancellationToken cancellationToken) =>
        (await Queue(queue).GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount;

    private QueueClient Queue(WorkQueue queue) => queue switch
    {
        WorkQueue.Work => _work,
        WorkQueue.Timers => _timers,
        _ => _poison,
    };

    private async Task DeleteRowsAsync(string partitionKey, string filter, CancellationToken cancellationToken)
    {
        var batch = new List<TableTransactionAction>();
        await foreach (var entity in _table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            batch.Add(new(TableTransactionActionType.Delete, entity, ETag.All));
            if (batch.Count == 100)
            {
                await _table.SubmitTransactionAsync(batch, cancellationToken);
                batch = [];
            }
        }

        if (batch.Count > 0)
        {
            await _table.SubmitTransactionAsync(batch, cancellationToken);
        }
    }

    private static void AddIndexProperties(TableEntity entity, InstanceRecord record)
    {
        // Copied out of the JSON so queries can filter on them server-side.
        entity["Name"] = record.Name;
        entity["Status"] = record.Status.ToString();
        entity["CreatedAt"] = record.CreatedAt;
        entity["WakeAt"] = record.WakeAt;
    }

    private async Task<TableEntity> ToEntityAsync<T>(string partitionKey, string rowKey, T value, CancellationToken cancellationToken)
    {
        if (value is InstanceRecord record)
        {
            // The instance row is rewritten on every step: keep its large payloads out of it, stored once by content.
            value = (T)(object)(record with
            {
                Input = await OffloadAsync(partitionKey, record.Input, cancellationToken),
                Output = await OffloadAsync(partitionKey, record.Output, cancellationToken),
            });
        }

        var json = JsonSerializer.Serialize(value, DurableJson.Options);
        var entity = new TableEntity(partitionKey, rowKey);
        if (json.Length <= _maxInline)
        {
            entity[DataProperty] = json;
            return entity;
        }

        var blobName = $"{BlobPrefix(partitionKey)}{rowKey.Replace('$', '_')}-{Guid.NewGuid():N}.json";
        await _payloads.UploadBlobAsync(blobName, BinaryData.FromString(json), cancellationToken);
        entity[BlobProperty] = blobName;
        return entity;
    }

    private async Task<T> FromEntityAsync<T>(TableEntity entity, CancellationToken cancellationToken)
    {
        var json = entity.GetString(DataProperty);
        if (json is null)
        {
            var blobName = entity.GetString(BlobProperty) ?? throw new InvalidDataException($"Row {entity.PartitionKey}/{entity.RowKey} has no data.");
            json = (await _payloads.GetBlobClient(blobName).DownloadContentAsync(cancellationToken)).Value.Content.ToString();
        }

        var value = JsonSerializer.Deserialize<T>(json, DurableJson.Options) ?? throw new InvalidDataException($"Row {entity.PartitionKey}/{entity.RowKey} is empty.");
        if (value is InstanceRecord record)
        {
            value = (T)(object)(record with
            {
                Input = await RestoreAsync(record.Input, cancellationToken),
                Output = await RestoreAsync(record.Output, cancellationToken),
            });
        }

        return value;
    }

    private const string BlobReferencePrefix = "\u0001blob:";

    private async Task<string?> OffloadAsync(string instanceId, string? payload, CancellationToken cancellationToken)
    {
        if (payload is null || payload.Length <= _maxInline)
        {
            return payload;
        }

        var hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(payload)))[..32];
        var name = $"{BlobPrefix(instanceId)}payload-{hash}.json";
        if (_uploaded.TryAdd(name, 0))
        {
            await _payloads.GetBlobClient(name).UploadAsync(BinaryData.FromString(payload), overwrite: true, cancellationToken);
        }

        return BlobReferencePrefix + name;
    }

    private async Task<string?> RestoreAsync(string? payload, CancellationToken cancellationToken) =>
        payload is not null && payload.StartsWith(BlobReferencePrefix, StringComparison.Ordinal)
            ? (await _payloads.GetBlobClient(payload[BlobReferencePrefix.Length..]).DownloadContentAsync(cancellationToken)).Value.Content.ToString()
            : payload;

    private static string BlobPrefix(string instanceId) => $"{Uri.EscapeDataString(instanceId)}/";

    private static string ChunkPrefix(int generation) => "h" + generation.ToString("D8", CultureInfo.InvariantCulture);

    private static string ChunkRowKey(int generation, int seq) => ChunkPrefix(generation) + seq.ToString("D8", CultureInfo.InvariantCulture);

    private static string InboxRowKey(string id) => "m" + id;
}
