using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Dialoog.Core.Engine;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Dialoog.Core.Email;

internal enum SentMailState
{
    /// <summary>No attempt to send this e-mail is known.</summary>
    None,

    /// <summary>An attempt started; whether the SMTP server accepted the e-mail is unknown.</summary>
    Sending,

    /// <summary>The SMTP server accepted the e-mail.</summary>
    Sent,
}

/// <summary>Where an e-mail's idempotency key leads: its row in the log and its Message-Id.</summary>
internal sealed record SentMailKey(string PartitionKey, string RowKey, string MessageId)
{
    /// <summary>
    /// Hashes the key, so any text is a safe RowKey and no personal data in a key ends up in the log. The first two hex
    /// digits spread the rows over 256 partitions.
    /// </summary>
    public static SentMailKey For(string idempotencyKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(idempotencyKey);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey)));
        return new SentMailKey(hash[..2], hash, $"{hash[..32]}@dialoog");
    }
}

/// <summary>
/// Records, per idempotency key, whether an e-mail left: one row in the table <c>&lt;TaskHub&gt;SentMail</c>. The row holds
/// the hashed key, the Message-Id, process id and kind, and the times; never the recipient's address.
/// </summary>
internal sealed class SentMailLog(TableClient table)
{
    private const string StateColumn = "State";
    private volatile bool tableExists;

    public static string TableName(string taskHub) => taskHub + "SentMail";

    /// <summary>The log of the configured task hub; read raw, like the durable store, so it exists before options are validated.</summary>
    public static SentMailLog For(TableServiceClient tables, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(configuration);
        return new SentMailLog(tables.GetTableClient(TableName(Engine.TaskHubName.From(configuration))));
    }

    /// <summary>
    /// How long a claim ("Sending") holds: longer than any one delivery takes (the SMTP timeout is 30 s). A younger claim
    /// is another attempt at the same e-mail that is still under way, since the engine may run an activity twice at once
    /// (a duplicate message picked up by a second worker); an older one was left by a crash.
    /// </summary>
    public static readonly TimeSpan ClaimTimeout = TimeSpan.FromSeconds(45);

    private static readonly TimeSpan ClaimPoll = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Runs <paramref name="deliver"/> unless the log says this key was sent: <c>Sent</c> means done, nothing is sent.
    /// Otherwise this attempt claims the key (<c>Sending</c>, written only if nobody claimed it in between), delivers the
    /// e-mail and marks it <c>Sent</c>. While another attempt holds a fresh claim, this one waits for its outcome, so
    /// two attempts at once send one e-mail; a claim older than <see cref="ClaimTimeout"/> is taken over and the e-mail is
    /// sent again with the same Message-Id (the crash window the README describes).
    /// </summary>
    /// <returns>False when the key was already sent (by an earlier or a concurrent attempt).</returns>
    public async Task<bool> SendOnceAsync(
        EmailMessage message, TimeProvider time, ILogger logger, Func<SentMailKey, Task> deliver, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(deliver);
        ArgumentNullException.ThrowIfNull(time);
        var key = SentMailKey.For(message.IdempotencyKey);
        var kind = Tag(message, EmailTags.Kind);
        var processId = Tag(message, EmailTags.ProcessId);
        while (true)
        {
            await EnsureTableAsync(cancellationToken);
            var row = await table.GetEntityIfExistsAsync<TableEntity>(key.PartitionKey, key.RowKey, cancellationToken: cancellationToken);
            var state = row.HasValue && Enum.TryParse<SentMailState>(row.Value!.GetString(StateColumn), out var s) ? s : SentMailState.None;
            if (state == SentMailState.Sent)
            {
                logger.LogInformation("E-mail {MessageId} ({Kind}, process {ProcessId}) was already sent; not sending it again.", key.MessageId, kind, processId);
                return false;
            }

            var now = time.GetUtcNow();
            ETag? claimed;
            if (state == SentMailState.None)
            {
                claimed = await TryClaimAsync(key, message.Tags, now, null, cancellationToken);
            }
            else if (now - (row.Value!.GetDateTimeOffset("SendingUtc") ?? DateTimeOffset.MinValue) >= ClaimTimeout)
            {
                logger.LogWarning("E-mail {MessageId} ({Kind}, process {ProcessId}) may have been sent before a crash; sending it again.", key.MessageId, kind, processId);
                claimed = await TryClaimAsync(key, message.Tags, now, row.Value.ETag, cancellationToken);
            }
            else
            {
                // Another attempt is sending it right now: its outcome is ours.
                await Task.Delay(ClaimPoll, time, cancellationToken);
                continue;
            }

            if (claimed is not { } claim)
            {
                continue; // someone claimed it between our read and our write: look again
            }

            try
            {
                await deliver(key);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Not delivered (the server refused or was away): give the claim back, so the retry need not wait it out.
                await ReleaseAsync(key, claim);
                throw;
            }

            await MarkSentAsync(key, time.GetUtcNow(), cancellationToken);
            logger.LogInformation("E-mail {MessageId} ({Kind}, process {ProcessId}) sent.", key.MessageId, kind, processId);
            return true;
        }
    }

    /// <summary>
    /// Writes the claim only if the row is still as read: absent (<paramref name="etag"/> null) or unchanged. Returns
    /// the claim's ETag, or null when another attempt was first.
    /// </summary>
    private async Task<ETag?> TryClaimAsync(SentMailKey key, IReadOnlyDictionary<string, string> tags, DateTimeOffset now, ETag? etag, CancellationToken cancellationToken)
    {
        var row = SendingRow(key, tags, now);
        try
        {
            var response = etag is { } match
                ? await table.UpdateEntityAsync(row, match, TableUpdateMode.Merge, cancellationToken)
                : await table.AddEntityAsync(row, cancellationToken);
            return response.Headers.ETag;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return null;
        }
    }

    /// <summary>Removes our claim if it is still ours; best effort, as an expired claim is taken over anyway.</summary>
    private async Task ReleaseAsync(SentMailKey key, ETag claim)
    {
        try
        {
            await table.DeleteEntityAsync(key.PartitionKey, key.RowKey, claim, CancellationToken.None);
        }
        catch (RequestFailedException)
        {
            // Taken over, or storage is away too: the claim then simply expires.
        }
    }

    private static TableEntity SendingRow(SentMailKey key, IReadOnlyDictionary<string, string> tags, DateTimeOffset now) =>
        new(key.PartitionKey, key.RowKey)
        {
            [StateColumn] = nameof(SentMailState.Sending),
            ["MessageId"] = key.MessageId,
            ["ProcessId"] = tags.GetValueOrDefault(EmailTags.ProcessId),
            ["Kind"] = tags.GetValueOrDefault(EmailTags.Kind),
            ["SendingUtc"] = now,
        };

    /// <summary>A tag of the message for logs and errors, "-" when absent.</summary>
    public static string Tag(EmailMessage message, string key) => message.Tags.GetValueOrDefault(key) ?? "-";

    public async Task<SentMailState> GetStateAsync(SentMailKey key, CancellationToken cancellationToken)
    {
        await EnsureTableAsync(cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(key.PartitionKey, key.RowKey, [StateColumn], cancellationToken);
        return row.HasValue && Enum.TryParse<SentMailState>(row.Value!.GetString(StateColumn), out var state) ? state : SentMailState.None;
    }

    public async Task MarkSendingAsync(SentMailKey key, IReadOnlyDictionary<string, string> tags, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await EnsureTableAsync(cancellationToken);
        await table.UpsertEntityAsync(SendingRow(key, tags, now), TableUpdateMode.Merge, cancellationToken);
    }

    public async Task MarkSentAsync(SentMailKey key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var row = new TableEntity(key.PartitionKey, key.RowKey)
        {
            [StateColumn] = nameof(SentMailState.Sent),
            ["SentUtc"] = now,
        };
        await table.UpsertEntityAsync(row, TableUpdateMode.Merge, cancellationToken);
    }

    private async Task EnsureTableAsync(CancellationToken cancellationToken)
    {
        if (tableExists)
        {
            return;
        }

        try
        {
            await table.CreateIfNotExistsAsync(cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // Created by another worker at the same moment.
        }

        tableExists = true;
    }
}
