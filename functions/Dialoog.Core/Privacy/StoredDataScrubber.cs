using System.IO.Compression;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Dialoog.Core.Engine;
using Dialoog.Core.Minutes;

namespace Dialoog.Core.Privacy;

/// <summary>
/// Erases one person from everything stored for one process (and its follow-ups), in place: the engine's history and
/// instance rows, its large messages, our own tables and the minutes' metadata. Everyone else's data stays as it was.
/// </summary>
/// <remarks>
/// The engine keeps no copy it would write back: a running orchestration only appends new rows, and it has already
/// replaced the person in its own state (see <c>ErasePersonSignal</c>) before this runs. The history's sentinel row,
/// which the engine checks for concurrency, is never touched. On the next replay the orchestration reads the
/// placeholders; every decision it makes depends on ids, not on names or addresses, so the replay is the same.
/// </remarks>
public sealed class StoredDataScrubber(TableServiceClient tables, BlobServiceClient blobs, IConfiguration configuration, ILogger<StoredDataScrubber> logger)
{
    // Columns the engine uses for its own bookkeeping: names of orchestrations and activities, never personal data.
    private static readonly HashSet<string> EngineColumns = new(StringComparer.Ordinal)
    {
        "PartitionKey", "RowKey", "odata.etag", "Timestamp", "EventType", "Name", "ExecutionId", "Version", "RuntimeStatus", "TaskHubName",
    };

    private readonly string hub = TaskHubName.From(configuration);

    /// <summary>Scrubs the process's stored data; returns how many rows and blobs changed.</summary>
    public async Task<int> ScrubAsync(string processId, ErasedPerson person, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(processId);
        ArgumentNullException.ThrowIfNull(person);

        // The process and its follow-ups (their ids start with the process id): one range of partitions.
        var range = TableClient.CreateQueryFilter($"PartitionKey ge {processId} and PartitionKey lt {processId + "~"}");
        var changed = 0;
        foreach (var table in new[] { "History", "Instances", "Participants", "FollowUps", "CalendarEvents", "PendingInitiatives", "PendingSignUps" })
        {
            changed += await ScrubTableAsync(tables.GetTableClient(hub + table), range, person, cancellationToken);
        }

        changed += await ScrubTableAsync(tables.GetTableClient(hub + "SentMail"), TableClient.CreateQueryFilter($"ProcessId eq {processId}"), person, cancellationToken);
        changed += await ScrubBlobsAsync(blobs.GetBlobContainerClient(hub.ToLowerInvariant() + "-largemessages"), processId, person, cancellationToken);
        changed += await ScrubMinutesMetadataAsync(blobs.GetBlobContainerClient(MinutesStore.ContainerName(hub)), processId, person, cancellationToken);
        logger.LogInformation("Erasure scrubbed {Changed} stored row(s) and blob(s) of process {ProcessId}.", changed, processId);
        return changed;
    }

    /// <summary>Whether the person still appears anywhere in the process's stored data (for tests and checks).</summary>
    public async Task<IReadOnlyList<string>> FindAsync(string processId, ErasedPerson person, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(person);
        var found = new List<string>();
        var range = TableClient.CreateQueryFilter($"PartitionKey ge {processId} and PartitionKey lt {processId + "~"}");
        foreach (var table in new[] { "History", "Instances", "Participants", "FollowUps", "CalendarEvents", "PendingInitiatives", "PendingSignUps", "SentMail" })
        {
            var filter = table == "SentMail" ? TableClient.CreateQueryFilter($"ProcessId eq {processId}") : range;
            await foreach (var entity in QueryAsync(tables.GetTableClient(hub + table), filter, cancellationToken))
            {
                foreach (var (column, value) in entity)
                {
                    if (!EngineColumns.Contains(column) && value is string text && PersonScrubber.Mentions(text, person))
                    {
                        found.Add($"{table} {entity.PartitionKey}/{entity.RowKey} {column}");
                    }
                }
            }
        }

        foreach (var container in new[] { hub.ToLowerInvariant() + "-largemessages", MinutesStore.ContainerName(hub) })
        {
            var client = blobs.GetBlobContainerClient(container);
            if (!await client.ExistsAsync(cancellationToken))
            {
                continue;
            }

            await foreach (var item in client.GetBlobsAsync(BlobTraits.Metadata, BlobStates.None, processId, cancellationToken))
            {
                if (item.Metadata.Values.Any(v => PersonScrubber.Mentions(v, person))
                    || (container.EndsWith("-largemessages", StringComparison.Ordinal) && PersonScrubber.Mentions(await ReadTextAsync(client.GetBlobClient(item.Name), cancellationToken), person)))
                {
                    found.Add($"{container}/{item.Name}");
                }
            }
        }

        return found;
    }

    private static async Task<int> ScrubTableAsync(TableClient table, string filter, ErasedPerson person, CancellationToken cancellationToken)
    {
        var changed = 0;
        await foreach (var entity in QueryAsync(table, filter, cancellationToken))
        {
            // The sentinel is the engine's concurrency check: changing it would fail the running orchestration's next save.
            if (entity.RowKey == "sentinel")
            {
                continue;
            }

            var update = new TableEntity(entity.PartitionKey, entity.RowKey);
            foreach (var (column, value) in entity)
            {
                if (!EngineColumns.Contains(column) && value is string text && PersonScrubber.Scrub(text, person) is var scrubbed && !ReferenceEquals(scrubbed, text))
                {
                    update[column] = scrubbed;
                }
            }

            if (update.Count > 2)
            {
                try
                {
                    await table.UpdateEntityAsync(update, entity.ETag, TableUpdateMode.Merge, cancellationToken);
                }
                catch (RequestFailedException ex) when (ex.Status == 412)
                {
                    // Written meanwhile (the orchestration's status row): once more from the fresh row.
                    var fresh = await table.GetEntityAsync<TableEntity>(entity.PartitionKey, entity.RowKey, cancellationToken: cancellationToken);
                    await ScrubTableAsync(table, TableClient.CreateQueryFilter($"PartitionKey eq {fresh.Value.PartitionKey} and RowKey eq {fresh.Value.RowKey}"), person, cancellationToken);
                }

                changed++;
            }
        }

        return changed;
    }

    private static async IAsyncEnumerable<TableEntity> QueryAsync(TableClient table, string filter, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var rows = table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                try
                {
                    if (!await rows.MoveNextAsync())
                    {
                        yield break;
                    }
                }
                catch (RequestFailedException ex) when (ex.Status == 404)
                {
                    // A table that was never created holds nothing to scrub.
                    yield break;
                }

                yield return rows.Current;
            }
        }
        finally
        {
            await rows.DisposeAsync();
        }
    }

    /// <summary>Messages too large for a table row or queue message: JSON, gzip-compressed when the name says so.</summary>
    private static async Task<int> ScrubBlobsAsync(BlobContainerClient container, string processId, ErasedPerson person, CancellationToken cancellationToken)
    {
        if (!await container.ExistsAsync(cancellationToken))
        {
            return 0;
        }

        var changed = 0;
        await foreach (var item in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, processId, cancellationToken))
        {
            var blob = container.GetBlobClient(item.Name);
            var text = await ReadTextAsync(blob, cancellationToken);
            var scrubbed = PersonScrubber.Scrub(text, person);
            if (ReferenceEquals(scrubbed, text))
            {
                continue;
            }

            var bytes = Encoding.UTF8.GetBytes(scrubbed);
            if (IsCompressed(item.Name))
            {
                using var compressed = new MemoryStream();
                await using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
                {
                    await gzip.WriteAsync(bytes, cancellationToken);
                }

                bytes = compressed.ToArray();
            }

            await blob.UploadAsync(new BinaryData(bytes), overwrite: true, cancellationToken);
            changed++;
        }

        return changed;
    }

    private static async Task<string> ReadTextAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        var content = await blob.DownloadContentAsync(cancellationToken);
        if (!IsCompressed(blob.Name))
        {
            return content.Value.Content.ToString();
        }

        await using var gzip = new GZipStream(content.Value.Content.ToStream(), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        return await reader.ReadToEndAsync(cancellationToken);
    }

    private static bool IsCompressed(string name) => name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);

    /// <summary>Who uploaded a version of the minutes is in its metadata; the file itself is the minutes and stays.</summary>
    private static async Task<int> ScrubMinutesMetadataAsync(BlobContainerClient container, string processId, ErasedPerson person, CancellationToken cancellationToken)
    {
        if (!await container.ExistsAsync(cancellationToken))
        {
            return 0;
        }

        var changed = 0;
        await foreach (var item in container.GetBlobsAsync(BlobTraits.Metadata, BlobStates.None, processId + "/", cancellationToken))
        {
            var metadata = item.Metadata.ToDictionary(m => m.Key, m => PersonScrubber.Scrub(m.Value, person), StringComparer.Ordinal);
            if (metadata.Any(m => !ReferenceEquals(m.Value, item.Metadata[m.Key])))
            {
                await container.GetBlobClient(item.Name).SetMetadataAsync(metadata, cancellationToken: cancellationToken);
                changed++;
            }
        }

        return changed;
    }
}
