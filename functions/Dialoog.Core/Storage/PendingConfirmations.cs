using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;
using Dialoog.Core.Engine;

namespace Dialoog.Core.Storage;

/// <summary>Something submitted on a public page that waits until its sender confirms their e-mail address.</summary>
public interface IPendingConfirmation
{
    string ProcessId { get; }

    string Id { get; }

    /// <summary>The address the confirmation e-mail goes to.</summary>
    string Email { get; }

    DateTime CreatedUtc { get; }
}

public enum IntakeOutcome
{
    /// <summary>Stored; send the confirmation e-mail.</summary>
    Stored,

    /// <summary>The same address has an unconfirmed submission for this process: its e-mail still works, none is sent again.</summary>
    AlreadyPending,

    /// <summary>The process takes no more now: nothing stored, nothing sent.</summary>
    Full,
}

/// <summary>
/// Public submissions waiting for their e-mail to be confirmed, one table per kind (<c>&lt;TaskHub&gt;PendingInitiatives</c>,
/// <c>&lt;TaskHub&gt;PendingSignUps</c>): partition = process, row = id, the item as <c>Json</c> and <c>CreatedUtc</c>
/// for the purge. One address has at most one per process, a process keeps at most a set number, the confirmation
/// takes an item out exactly once, and after <see cref="ConfirmWithin"/> it is gone.
/// </summary>
public sealed class PendingConfirmations<T>(TableServiceClient tables, IConfiguration configuration, string tableSuffix, TimeProvider time)
    where T : class, IPendingConfirmation
{
    /// <summary>How long the confirmation link works; unconfirmed items are deleted after that.</summary>
    public static readonly TimeSpan ConfirmWithin = TimeSpan.FromHours(48);

    private readonly AppTable _table = new(tables, configuration, tableSuffix);

    /// <summary>
    /// Stores the item <paramref name="create"/> makes (from a new id and the time now), unless the same address has
    /// one waiting for this process (that one is returned, and no second e-mail should go out), the process has
    /// <paramref name="maxUnconfirmed"/> waiting, or <paramref name="processFull"/> says it takes no more.
    /// </summary>
    public async Task<(IntakeOutcome Outcome, T? Pending)> SubmitAsync(
        string processId,
        string email,
        int maxUnconfirmed,
        Func<string, DateTime, T> create,
        Func<CancellationToken, Task<bool>>? processFull,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(create);
        await _table.EnsureAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var pending = await PendingAsync(processId, now, cancellationToken);

        // One unconfirmed item per address: the first e-mail still works, and a second would only fill their inbox.
        if (pending.FirstOrDefault(p => string.Equals(p.Email, email, StringComparison.OrdinalIgnoreCase)) is { } earlier)
        {
            return (IntakeOutcome.AlreadyPending, earlier);
        }

        if (pending.Count >= maxUnconfirmed || (processFull is not null && await processFull(cancellationToken)))
        {
            return (IntakeOutcome.Full, null);
        }

        var stored = create(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), now);
        await _table.Client.AddEntityAsync(
            new TableEntity(processId, stored.Id) { ["Json"] = DurableJson.Serialize(stored), ["CreatedUtc"] = DateTime.SpecifyKind(now, DateTimeKind.Utc) },
            cancellationToken);
        return (IntakeOutcome.Stored, stored);
    }

    /// <summary>The item, or null when it was confirmed already, never existed or has expired.</summary>
    public async Task<T?> FindAsync(string processId, string id, CancellationToken cancellationToken)
    {
        var item = await _table.FindJsonAsync<T>(processId, id, cancellationToken);
        return item is not null && IsFresh(item, time.GetUtcNow().UtcDateTime) ? item : null;
    }

    /// <summary>
    /// Takes the item out, once: of two confirmations at the same moment only one gets it (the delete is conditional
    /// on the row's ETag); the other gets null.
    /// </summary>
    public async Task<T?> TakeAsync(string processId, string id, CancellationToken cancellationToken)
    {
        await _table.EnsureAsync(cancellationToken);
        var row = await _table.Client.GetEntityIfExistsAsync<TableEntity>(processId, id, cancellationToken: cancellationToken);
        if (!row.HasValue)
        {
            return null;
        }

        try
        {
            // The SDK does not throw when the row is gone already: it answers 404, and then the other confirmation won.
            if ((await _table.Client.DeleteEntityAsync(processId, id, row.Value!.ETag, cancellationToken)).Status == 404)
            {
                return null;
            }
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            return null;
        }

        return Unexpired(row.Value, time.GetUtcNow().UtcDateTime);
    }

    /// <summary>Deletes every item older than <see cref="ConfirmWithin"/> (the retention purge calls it). Returns how many.</summary>
    public async Task<int> DeleteExpiredAsync(CancellationToken cancellationToken)
    {
        await _table.EnsureAsync(cancellationToken);
        var cutoff = DateTime.SpecifyKind(time.GetUtcNow().UtcDateTime - ConfirmWithin, DateTimeKind.Utc);
        var deleted = 0;
        await foreach (var entity in _table.Client.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"CreatedUtc lt {cutoff}"), select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            await _table.Client.DeleteEntityAsync(entity.PartitionKey, entity.RowKey, ETag.All, cancellationToken);
            deleted++;
        }

        return deleted;
    }

    private async Task<List<T>> PendingAsync(string processId, DateTime now, CancellationToken cancellationToken)
    {
        var result = new List<T>();
        await foreach (var entity in _table.Client.QueryAsync<TableEntity>(e => e.PartitionKey == processId, cancellationToken: cancellationToken))
        {
            if (Unexpired(entity, now) is { } pending)
            {
                result.Add(pending);
            }
        }

        return result;
    }

    private static T? Unexpired(TableEntity entity, DateTime now) =>
        DurableJson.Deserialize<T>(entity.GetString("Json")) is { } item && IsFresh(item, now) ? item : null;

    private static bool IsFresh(T item, DateTime now) => now - item.CreatedUtc < ConfirmWithin;
}
