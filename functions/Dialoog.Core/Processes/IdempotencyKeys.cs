using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Dialoog.Core.Configuration;
using Dialoog.Core.Storage;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace Dialoog.Core.Processes;

/// <summary>Settings under <c>Idempotency__</c>.</summary>
public sealed class IdempotencyOptions
{
    public const string Section = "Idempotency";

    /// <summary>
    /// How long a used <c>Idempotency-Key</c> is remembered, counted from its first use. Within it the key answers with
    /// its process (or 410 once that process was purged); after it the key starts a new process with a new id.
    /// </summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromDays(30);
}

internal sealed class IdempotencyOptionsValidator : IValidateOptions<IdempotencyOptions>
{
    public ValidateOptionsResult Validate(string? name, IdempotencyOptions options) =>
        options.Window > TimeSpan.Zero && options.Window <= TimeSpan.FromDays(3650)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail("Setting 'Idempotency__Window' must be a positive time of at most ten years, e.g. 30.00:00:00 (30 days).");
}

public static class IdempotencyRegistration
{
    public static IServiceCollection AddIdempotencyKeys(this IServiceCollection services)
    {
        services.AddValidatedOptions<IdempotencyOptions, IdempotencyOptionsValidator>(IdempotencyOptions.Section);
        services.AddSingleton<IdempotencyKeys>();
        return services;
    }
}

/// <summary>
/// The <c>Idempotency-Key</c>s of <c>POST /api/processes</c>, remembered in <c>&lt;hub&gt;IdempotencyKeys</c> for
/// <see cref="IdempotencyOptions.Window"/>: per key (its SHA-256, never the key itself) the process id it gave and when
/// it was first used; per purged process a row saying so. The process id is random, not derived from the key, so a key
/// can never bring back a purged process's id: within the window it gets 410, after it a new process with a new id.
/// </summary>
public sealed class IdempotencyKeys(
    TableServiceClient tables, IConfiguration configuration, DurableTaskClient client, IOptions<IdempotencyOptions> options, TimeProvider time,
    ILogger<IdempotencyKeys> logger)
{
    private const string KeyPartition = "key";
    private const string PurgedPartition = "purged";

    /// <summary>How long a parallel request with the same key waits for the first one to start the process.</summary>
    private static readonly TimeSpan StartGrace = TimeSpan.FromSeconds(15);

    private readonly AppTable _table = new(tables, configuration, "IdempotencyKeys");

    public TimeSpan Window => options.Value.Window;

    /// <summary>
    /// The process of <paramref name="key"/>: the one a submission with this key started within the window, or else a
    /// new one with a new random id, started by <paramref name="start"/>. Null when the key's process has been purged:
    /// its id is never used again. Parallel requests with one key give one process: the first to write the key's row
    /// starts it, the others wait for it.
    /// </summary>
    public async Task<string?> StartOnceAsync(string key, Func<string, CancellationToken, Task> start, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(start);
        await _table.EnsureAsync(cancellationToken);
        var hash = Hash(key);
        for (var attempt = 1; ; attempt++)
        {
            var now = time.GetUtcNow();
            var row = await FindAsync(KeyPartition, hash, cancellationToken);
            if (row?.GetDateTimeOffset("FirstUsedUtc") is { } firstUsed && firstUsed + Window > now && row.GetString("ProcessId") is { } known)
            {
                return await ProcessOfAsync(known, firstUsed, start, cancellationToken);
            }

            // First use, or its window is over: a new process. The row is written first, so of two requests only one wins.
            var (id, since) = row is null && await LegacyProcessAsync(key, now, cancellationToken) is { } legacy ? legacy : (ProcessIds.New(), now);
            var entity = new TableEntity(KeyPartition, hash) { ["ProcessId"] = id, ["FirstUsedUtc"] = since };
            try
            {
                if (row is null)
                {
                    await _table.Client.AddEntityAsync(entity, cancellationToken);
                }
                else
                {
                    await _table.Client.UpdateEntityAsync(entity, row.ETag, TableUpdateMode.Replace, cancellationToken);
                }
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412 && attempt < 3)
            {
                // Another request with this key wrote it first: its process is this one's too.
                continue;
            }

            await start(id, cancellationToken);
            return id;
        }
    }

    /// <summary>Remembers that <paramref name="processId"/> was purged; called before its instance is deleted.</summary>
    public async Task RememberPurgedAsync(string processId, CancellationToken cancellationToken)
    {
        await _table.EnsureAsync(cancellationToken);
        await _table.Client.UpsertEntityAsync(
            new TableEntity(PurgedPartition, processId) { ["PurgedUtc"] = time.GetUtcNow() }, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>
    /// Forgets keys whose window is over, and purges older than the window (a key that named such a process is over
    /// its window too: it was used before the process was purged). Returns how many rows went.
    /// </summary>
    public async Task<int> ForgetExpiredAsync(CancellationToken cancellationToken)
    {
        await _table.EnsureAsync(cancellationToken);
        var before = time.GetUtcNow() - Window;
        var filter = TableClient.CreateQueryFilter(
            $"(PartitionKey eq {KeyPartition} and FirstUsedUtc le {before}) or (PartitionKey eq {PurgedPartition} and PurgedUtc le {before})");
        var forgotten = 0;
        await foreach (var row in _table.Client.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            try
            {
                await _table.Client.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken);
                forgotten++;
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                // Another worker's round got there first.
            }
        }

        return forgotten;
    }

    private async Task<string?> ProcessOfAsync(string id, DateTimeOffset firstUsed, Func<string, CancellationToken, Task> start, CancellationToken cancellationToken)
    {
        if (await client.GetInstanceAsync(id, getInputsAndOutputs: false, cancellationToken) is not null)
        {
            return id;
        }

        // Written before a purge deletes the instance, so a missing instance without it was never started.
        if (await FindAsync(PurgedPartition, id, cancellationToken) is not null)
        {
            logger.LogInformation("An Idempotency-Key of process {ProcessId}, which was purged, was used again; refused.", id);
            return null;
        }

        // The request that wrote the key is still starting it (or failed to): wait for it a moment, then start it here.
        // Late, two starts of one id are still one process (the engine refuses an id that exists).
        while (time.GetUtcNow() < firstUsed + StartGrace)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), time, cancellationToken);
            if (await client.GetInstanceAsync(id, getInputsAndOutputs: false, cancellationToken) is not null)
            {
                return id;
            }
        }

        await start(id, cancellationToken);
        return id;
    }

    /// <summary>
    /// Before keys were stored, a key's process id was derived from the key. Such a process, still within the window,
    /// keeps answering for its key (a retry across the deployment). Remove once every such key is past its window.
    /// </summary>
    private async Task<(string Id, DateTimeOffset Since)?> LegacyProcessAsync(string key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var id = ProcessIds.Prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("process:" + key)))[..16];
        return await client.GetInstanceAsync(id, getInputsAndOutputs: false, cancellationToken) is { } instance && instance.CreatedAt + Window > now
            ? (id, instance.CreatedAt)
            : null;
    }

    private async Task<TableEntity?> FindAsync(string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        var found = await _table.Client.GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, cancellationToken: cancellationToken);
        return found.HasValue ? found.Value : null;
    }

    private static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("idempotency-key:" + key)));
}
