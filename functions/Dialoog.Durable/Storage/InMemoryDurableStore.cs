namespace Dialoog.Durable.Storage;

/// <summary>
/// The whole store in memory, with queue visibility driven by a <see cref="TimeProvider"/>: orchestrations with
/// months-long timers run in milliseconds under a fake clock. Same semantics as the Azure Storage store.
/// </summary>
public sealed class InMemoryDurableStore(TimeProvider time) : IDurableStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Partition> _partitions = new(StringComparer.Ordinal);
    private readonly Dictionary<WorkQueue, List<Message>> _queues = new()
    {
        [WorkQueue.Work] = [],
        [WorkQueue.Timers] = [],
        [WorkQueue.Poison] = [],
    };

    private long _etag;
    private long _messageId;

    public Task InitializeAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<bool> CreateInstanceAsync(InstanceRecord record, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var partition = GetPartition(record.InstanceId);
            if (partition.Record is not null)
            {
                return Task.FromResult(false);
            }

            partition.Record = record;
            partition.ETag = NextETag();
            return Task.FromResult(true);
        }
    }

    public Task<(InstanceRecord Record, string ETag)?> GetInstanceAsync(string instanceId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<(InstanceRecord, string)?>(
                _partitions.TryGetValue(instanceId, out var p) && p.Record is not null ? (p.Record, p.ETag) : null);
        }
    }

    public Task<InstanceState?> LoadAsync(string instanceId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_partitions.TryGetValue(instanceId, out var p) || p.Record is null)
            {
                return Task.FromResult<InstanceState?>(null);
            }

            var chunks = p.Chunks.Where(c => c.Generation == p.Record.Generation).OrderBy(c => c.Seq).ToList();
            return Task.FromResult<InstanceState?>(new InstanceState(p.Record, p.ETag, chunks, [.. p.Inbox.Values]));
        }
    }

    public Task<IReadOnlyList<InboxMessage>> ReadInboxAsync(string instanceId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<InboxMessage>>(_partitions.TryGetValue(instanceId, out var p) ? [.. p.Inbox.Values] : []);
        }
    }

    public Task<string> CommitAsync(InstanceRecord record, string etag, HistoryChunk? chunk, IReadOnlyCollection<string> consumedInbox, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var p = GetPartition(record.InstanceId);
            if (p.Record is null || p.ETag != etag)
            {
                throw new ConcurrencyConflictException($"Instance '{record.InstanceId}' was changed by another writer.");
            }

            if (chunk is not null && p.Chunks.Any(c => c.Generation == chunk.Generation && c.Seq == chunk.Seq))
            {
                throw new ConcurrencyConflictException($"History chunk {chunk.Seq} of '{record.InstanceId}' exists already.");
            }

            p.Record = record;
            p.ETag = NextETag();
            if (chunk is not null)
            {
                p.Chunks.Add(chunk);
            }

            foreach (var id in consumedInbox)
            {
                p.Inbox.Remove(id);
            }

            return Task.FromResult(p.ETag);
        }
    }

    public Task AppendInboxAsync(string instanceId, InboxMessage message, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            GetPartition(instanceId).Inbox.TryAdd(message.Id, message);
            return Task.CompletedTask;
        }
    }

    public Task DeleteInboxAsync(string instanceId, IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_partitions.TryGetValue(instanceId, out var p))
            {
                foreach (var id in messageIds)
                {
                    p.Inbox.Remove(id);
                }
            }

            return Task.CompletedTask;
        }
    }

    public Task DeleteOldGenerationsAsync(string instanceId, int currentGeneration, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_partitions.TryGetValue(instanceId, out var p))
            {
                p.Chunks.RemoveAll(c => c.Generation < currentGeneration);
            }

            return Task.CompletedTask;
        }
    }

    /// <summary>How many history chunks an instance keeps (all generations): shows ContinueAsNew keeps history small.</summary>
    public int ChunkCount(string instanceId)
    {
        lock (_lock)
        {
            return _partitions.TryGetValue(instanceId, out var p) ? p.Chunks.Count : 0;
        }
    }

    public Task<(IReadOnlyList<InstanceRecord> Records, string? ContinuationToken)> QueryInstancesAsync(OrchestrationQuery query, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var all = _partitions.Values
                .Select(p => p.Record)
                .OfType<InstanceRecord>()
                .Where(r => StoreFilters.Matches(r, query))
                .OrderBy(r => r.InstanceId, StringComparer.Ordinal)
                .ToList();
            var skip = int.TryParse(query.ContinuationToken, out var s) ? s : 0;
            var page = all.Skip(skip).Take(query.PageSize).ToList();
            var next = skip + page.Count < all.Count ? (skip + page.Count).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
            return Task.FromResult<(IReadOnlyList<InstanceRecord>, string?)>((page, next));
        }
    }

    public Task<IReadOnlyList<InstanceRecord>> FindOverdueAsync(DateTimeOffset before, int max, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<InstanceRecord>>([
                .. _partitions.Values.Select(p => p.Record).OfType<InstanceRecord>()
                    .Where(r => !r.Status.IsTerminal() && r.WakeAt < before)
                    .Take(max),
            ]);
        }
    }

    public Task PurgeAsync(string instanceId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _partitions.Remove(instanceId);
            return Task.CompletedTask;
        }
    }

    public Task SendAsync(WorkQueue queue, string body, TimeSpan delay, CancellationToken cancellationToken)
    {
        // Same limit as Azure queues, so tests catch code that would fail there.
        ArgumentOutOfRangeException.ThrowIfGreaterThan(delay, TimeSpan.FromDays(7));
        lock (_lock)
        {
            var now = time.GetUtcNow();
            _queues[queue].Add(new Message((++_messageId).ToString(System.Globalization.CultureInfo.InvariantCulture), body, now + (delay < TimeSpan.Zero ? TimeSpan.Zero : delay), now));
            return Task.CompletedTask;
        }
    }

    public Task<IReadOnlyList<QueueItem>> ReceiveAsync(WorkQueue queue, int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            var items = new List<QueueItem>();
            foreach (var m in _queues[queue].Where(m => m.VisibleAt <= now).Take(maxMessages))
            {
                m.VisibleAt = now + visibilityTimeout;
                m.PopReceipt = Guid.NewGuid().ToString("N");
                m.DequeueCount++;
                items.Add(new QueueItem(queue, m.Id, m.PopReceipt, m.Body, m.DequeueCount, m.InsertedAt));
            }

            return Task.FromResult<IReadOnlyList<QueueItem>>(items);
        }
    }

    public Task DeleteAsync(QueueItem item, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            // Like Azure: a stale pop receipt (someone else received it since) does not delete.
            _queues[item.Queue].RemoveAll(m => m.Id == item.MessageId && m.PopReceipt == item.PopReceipt);
            return Task.CompletedTask;
        }
    }

    public Task<QueueItem> UpdateVisibilityAsync(QueueItem item, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var m = _queues[item.Queue].FirstOrDefault(m => m.Id == item.MessageId && m.PopReceipt == item.PopReceipt)
                ?? throw new InvalidOperationException($"Message {item.MessageId} is no longer held.");
            m.VisibleAt = time.GetUtcNow() + visibilityTimeout;
            m.PopReceipt = Guid.NewGuid().ToString("N");
            return Task.FromResult(item with { PopReceipt = m.PopReceipt });
        }
    }

    public Task<int> CountAsync(WorkQueue queue, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_queues[queue].Count);
        }
    }

    /// <summary>When the next hidden message becomes visible, for tests that jump the clock forward.</summary>
    public DateTimeOffset? NextVisibleAt()
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            return _queues[WorkQueue.Work].Concat(_queues[WorkQueue.Timers])
                .Where(m => m.VisibleAt > now)
                .Select(m => (DateTimeOffset?)m.VisibleAt)
                .Min();
        }
    }

    /// <summary>Duplicates every queued message, as a queue may after a lost acknowledgement.</summary>
    public void DuplicateAllMessages()
    {
        lock (_lock)
        {
            foreach (var queue in _queues.Values)
            {
                foreach (var m in queue.ToList())
                {
                    queue.Add(new Message((++_messageId).ToString(System.Globalization.CultureInfo.InvariantCulture), m.Body, m.VisibleAt, m.InsertedAt));
                }
            }
        }
    }

    private Partition GetPartition(string instanceId)
    {
        if (!_partitions.TryGetValue(instanceId, out var p))
        {
            _partitions[instanceId] = p = new Partition();
        }

        return p;
    }

    private string NextETag() => (++_etag).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private sealed class Partition
    {
        public InstanceRecord? Record { get; set; }

        public string ETag { get; set; } = "";

        public List<HistoryChunk> Chunks { get; } = [];

        public SortedDictionary<string, InboxMessage> Inbox { get; } = new(StringComparer.Ordinal);
    }

    private sealed class Message(string id, string body, DateTimeOffset visibleAt, DateTimeOffset insertedAt)
    {
        public string Id { get; } = id;

        public string Body { get; } = body;

        public DateTimeOffset VisibleAt { get; set; } = visibleAt;

        public DateTimeOffset InsertedAt { get; } = insertedAt;

        public string PopReceipt { get; set; } = "";

        public long DequeueCount { get; set; }
    }
}

internal static class StoreFilters
{
    public static bool Matches(InstanceRecord r, OrchestrationQuery q) =>
        (q.Statuses is null || q.Statuses.Count == 0 || q.Statuses.Contains(r.Status))
        && (q.CreatedFrom is null || r.CreatedAt >= q.CreatedFrom)
        && (q.CreatedTo is null || r.CreatedAt <= q.CreatedTo)
        && (q.Name is null || string.Equals(q.Name, r.Name, StringComparison.OrdinalIgnoreCase));
}
