namespace Dialoog.Durable.Storage;

/// <summary>The row that describes one instance: status, payloads, lease and bookkeeping for recovery.</summary>
public sealed record InstanceRecord
{
    public required string InstanceId { get; init; }

    public required string Name { get; init; }

    public required string Version { get; init; }

    public OrchestrationRuntimeStatus Status { get; init; }

    /// <summary>Raised by ContinueAsNew; history rows of older generations are garbage.</summary>
    public int Generation { get; init; }

    public string? Input { get; init; }

    public string? Output { get; init; }

    public string? CustomStatus { get; init; }

    public FailureDetails? Failure { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public string? ParentInstanceId { get; init; }

    public int ParentTaskId { get; init; }

    /// <summary>Sequence number of the last history chunk in this generation (0 = none yet).</summary>
    public int HistorySeq { get; init; }

    /// <summary>Chunks up to this one have had their outbox delivered.</summary>
    public int DeliveredSeq { get; init; }

    public string? LeaseOwner { get; init; }

    public DateTimeOffset? LeaseExpiresAt { get; init; }

    /// <summary>When the instance must be looked at even if no message arrives (next timer, start time, lease end).</summary>
    public DateTimeOffset? WakeAt { get; init; }

    public DateTimeOffset? ScheduledStartAt { get; init; }

    /// <summary>The last infrastructure error, shown to operators while it is being retried.</summary>
    public string? LastError { get; init; }
}

/// <summary>A slice of history written by one episode, with the messages that episode sends to other instances.</summary>
public sealed record HistoryChunk(int Generation, int Seq, IReadOnlyList<HistoryEvent> Events, IReadOnlyList<OutboxMessage> Outbox);

/// <summary>A message waiting in an instance's inbox (its own table partition), identified so a redelivery is harmless.</summary>
public sealed record InboxMessage(string Id, HistoryEvent Event);

/// <summary>A message from one instance to another, delivered after the episode that made it has committed.</summary>
public sealed record OutboxMessage(string TargetInstanceId, string MessageId, HistoryEvent? Event, InstanceRecord? CreateInstance);

public sealed record InstanceState(InstanceRecord Record, string ETag, IReadOnlyList<HistoryChunk> Chunks, IReadOnlyList<InboxMessage> Inbox)
{
    public IEnumerable<HistoryEvent> History => Chunks.SelectMany(c => c.Events);
}

public enum WorkQueue
{
    /// <summary>"Look at instance X now": starts, events, recoveries.</summary>
    Work,

    /// <summary>Delayed wake-ups for durable timers, kept apart so invisible messages do not slow the work queue.</summary>
    Timers,

    /// <summary>Messages that failed too often; kept for an operator, never processed again.</summary>
    Poison,
}

public sealed record QueueItem(WorkQueue Queue, string MessageId, string PopReceipt, string Body, long DequeueCount, DateTimeOffset? InsertedAt);

public sealed class ConcurrencyConflictException : Exception
{
    public ConcurrencyConflictException(string message) : base(message)
    {
    }

    public ConcurrencyConflictException()
    {
    }

    public ConcurrencyConflictException(string message, Exception innerException) : base(message, innerException)
    {
    }
}

/// <summary>
/// Where instances, history and work live. Two implementations: Azure Storage (tables, queues, blobs) for real use
/// and in memory for fast orchestrator tests with time under the test's control.
/// </summary>
public interface IDurableStore
{
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Creates the instance row; false when an instance with this id already exists (start is idempotent).</summary>
    Task<bool> CreateInstanceAsync(InstanceRecord record, CancellationToken cancellationToken);

    Task<(InstanceRecord Record, string ETag)?> GetInstanceAsync(string instanceId, CancellationToken cancellationToken);

    /// <summary>The instance row, the history of its current generation and its unconsumed inbox, in one read.</summary>
    Task<InstanceState?> LoadAsync(string instanceId, CancellationToken cancellationToken);

    /// <summary>
    /// Atomically: replace the instance row if its ETag still matches, append the chunk and remove consumed inbox
    /// messages. Throws <see cref="ConcurrencyConflictException"/> when another writer got there first.
    /// </summary>
    Task<string> CommitAsync(InstanceRecord record, string etag, HistoryChunk? chunk, IReadOnlyCollection<string> consumedInbox, CancellationToken cancellationToken);

    /// <summary>Only the unconsumed inbox of an instance (cheaper than a full load).</summary>
    Task<IReadOnlyList<InboxMessage>> ReadInboxAsync(string instanceId, CancellationToken cancellationToken);

    /// <summary>Adds a message to an instance's inbox; adding the same message id twice has no effect.</summary>
    Task AppendInboxAsync(string instanceId, InboxMessage message, CancellationToken cancellationToken);

    Task DeleteInboxAsync(string instanceId, IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken);

    /// <summary>Removes history rows of generations before <paramref name="currentGeneration"/> (after ContinueAsNew).</summary>
    Task DeleteOldGenerationsAsync(string instanceId, int currentGeneration, CancellationToken cancellationToken);

    Task<(IReadOnlyList<InstanceRecord> Records, string? ContinuationToken)> QueryInstancesAsync(OrchestrationQuery query, CancellationToken cancellationToken);

    /// <summary>Non-terminal instances that should have been looked at before <paramref name="before"/>.</summary>
    Task<IReadOnlyList<InstanceRecord>> FindOverdueAsync(DateTimeOffset before, int max, CancellationToken cancellationToken);

    /// <summary>Removes everything of the instance: rows and payload blobs.</summary>
    Task PurgeAsync(string instanceId, CancellationToken cancellationToken);

    Task SendAsync(WorkQueue queue, string body, TimeSpan delay, CancellationToken cancellationToken);

    Task<IReadOnlyList<QueueItem>> ReceiveAsync(WorkQueue queue, int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken);

    Task DeleteAsync(QueueItem item, CancellationToken cancellationToken);

    /// <summary>Hides the message again for <paramref name="visibilityTimeout"/>; returns the item with its new pop receipt.</summary>
    Task<QueueItem> UpdateVisibilityAsync(QueueItem item, TimeSpan visibilityTimeout, CancellationToken cancellationToken);

    Task<int> CountAsync(WorkQueue queue, CancellationToken cancellationToken);
}
