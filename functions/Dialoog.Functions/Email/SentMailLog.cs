using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Dialoog.Durable;

namespace Dialoog.Functions.Email;

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
        var taskHub = configuration.GetSection(DurableOptions.SectionName)[nameof(DurableOptions.TaskHub)];
        return new SentMailLog(tables.GetTableClient(TableName(string.IsNullOrEmpty(taskHub) ? new DurableOptions().TaskHub : taskHub)));
    }

    /// <summary>
    /// Runs <paramref name="deliver"/> unless the log says this key was sent: <c>Sent</c> means done, nothing is sent.
    /// Otherwise the row is set to <c>Sending</c>, the e-mail is delivered, and the row is set to <c>Sent</c>.
    /// </summary>
    /// <returns>False when the key was already sent.</returns>
    public async Task<bool> SendOnceAsync(
        EmailMessage message, TimeProvider time, ILogger logger, Func<SentMailKey, Task> deliver, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(deliver);
        var key = SentMailKey.For(message.IdempotencyKey);
        var kind = Tag(message, EmailTags.Kind);
        var processId = Tag(message, EmailTags.ProcessId);
        switch (await GetStateAsync(key, cancellationToken))
        {
            case SentMailState.Sent:
                logger.LogInformation("E-mail {MessageId} ({Kind}, process {ProcessId}) was already sent; not sending it again.", key.MessageId, kind, processId);
                return false;
            case SentMailState.Sending:
                logger.LogWarning("E-mail {MessageId} ({Kind}, process {ProcessId}) may have been sent before a crash; sending it again.", key.MessageId, kind, processId);
                break;
        }

        await MarkSendingAsync(key, message.Tags, time.GetUtcNow(), cancellationToken);
        await deliver(key);
        await MarkSentAsync(key, time.GetUtcNow(), cancellationToken);
        logger.LogInformation("E-mail {MessageId} ({Kind}, process {ProcessId}) sent.", key.MessageId, kind, processId);
        return true;
    }

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
        var row = new TableEntity(key.PartitionKey, key.RowKey)
        {
            [StateColumn] = nameof(SentMailState.Sending),
            ["MessageId"] = key.MessageId,
            ["ProcessId"] = tags.GetValueOrDefault(EmailTags.ProcessId),
            ["Kind"] = tags.GetValueOrDefault(EmailTags.Kind),
            ["SendingUtc"] = now,
        };
        await table.UpsertEntityAsync(row, TableUpdateMode.Merge, cancellationToken);
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
