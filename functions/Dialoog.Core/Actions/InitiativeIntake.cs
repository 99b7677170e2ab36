using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;
using Dialoog.Core.Engine;
using Dialoog.Core.Storage;

namespace Dialoog.Core.Actions;

/// <summary>An initiative submitted on the public form, waiting until the submitter confirms their address.</summary>
public sealed record PendingInitiative(string ProcessId, string Id, string Title, string Description, string Name, string Email, DateTime CreatedUtc);

public enum IntakeOutcome
{
    /// <summary>Stored; send the confirmation e-mail.</summary>
    Stored,

    /// <summary>The same address has an unconfirmed submission for this process: its e-mail still works, none is sent again.</summary>
    AlreadyPending,

    /// <summary>The process has as many open initiatives as it takes now: nothing stored, nothing sent.</summary>
    Full,
}

/// <summary>
/// The public way in for initiatives, in two steps: a submission is only stored (table <c>&lt;TaskHub&gt;PendingInitiatives</c>)
/// and the submitter gets one e-mail to confirm their address; only the confirmation starts anything or mails anyone
/// else. So one anonymous request cannot make the municipality write to a stranger or start a follow-up, one address
/// gets at most one such e-mail per process, and a flood is bounded per process: open initiatives and unconfirmed
/// submissions each stay under their own cap.
/// </summary>
public sealed class InitiativeIntake(TableServiceClient tables, IConfiguration configuration, FollowUpDirectory followUps, TimeProvider time)
{
    /// <summary>How long the confirmation link works; unconfirmed submissions are deleted after that.</summary>
    public static readonly TimeSpan ConfirmWithin = TimeSpan.FromHours(48);


    private readonly AppTable _table = new(tables, configuration, "PendingInitiatives");

    /// <param name="maxOpen">Open (confirmed) initiatives the process takes at most: what its coordinator can follow.</param>
    /// <param name="maxUnconfirmed">
    /// Unconfirmed submissions the process keeps at most: bounds the e-mails a flood can make us send. Set well above
    /// what a real neighbourhood submits in two days, so residents are not shut out by it.
    /// </param>
    public async Task<(IntakeOutcome Outcome, PendingInitiative? Pending)> SubmitAsync(
        string processId, string title, string description, string name, string email, int maxOpen, int maxUnconfirmed, CancellationToken cancellationToken)
    {
        await _table.EnsureAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var pending = await PendingAsync(processId, now, cancellationToken);

        // One unconfirmed submission per address: the first e-mail still works, and a second would only fill their inbox.
        if (pending.FirstOrDefault(p => string.Equals(p.Email, email, StringComparison.OrdinalIgnoreCase)) is { } earlier)
        {
            return (IntakeOutcome.AlreadyPending, earlier);
        }

        var open = (await followUps.ListAsync(processId, FollowUpKinds.Initiative, cancellationToken)).Count(i => !FollowUpStatus.IsFinal(i.Status));
        if (open >= maxOpen || pending.Count >= maxUnconfirmed)
        {
            return (IntakeOutcome.Full, null);
        }

        var stored = new PendingInitiative(processId, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), title, description, name, email, now);
        await _table.Client.AddEntityAsync(
            new TableEntity(processId, stored.Id) { ["Json"] = DurableJson.Serialize(stored), ["CreatedUtc"] = DateTime.SpecifyKind(now, DateTimeKind.Utc) },
            cancellationToken);
        return (IntakeOutcome.Stored, stored);
    }

    /// <summary>The pending initiative, or null when it was confirmed already, never existed or has expired.</summary>
    public async Task<PendingInitiative?> FindAsync(string processId, string id, CancellationToken cancellationToken)
    {
        await _table.EnsureAsync(cancellationToken);
        var row = await _table.Client.GetEntityIfExistsAsync<TableEntity>(processId, id, cancellationToken: cancellationToken);
        var pending = row.HasValue ? DurableJson.Deserialize<PendingInitiative>(row.Value!.GetString("Json")) : null;
        return pending is not null && time.GetUtcNow().UtcDateTime - pending.CreatedUtc < ConfirmWithin ? pending : null;
    }

    /// <summary>
    /// Takes the pending initiative out, once: of two confirmations at the same moment, only one gets it (and starts
    /// the initiative); the other gets null.
    /// </summary>
    public async Task<PendingInitiative?> TakeAsync(string processId, string id, CancellationToken cancellationToken)
    {
        await _table.EnsureAsync(cancellationToken);
        var row = await _table.Client.GetEntityIfExistsAsync<TableEntity>(processId, id, cancellationToken: cancellationToken);
        if (!row.HasValue)
        {
            return null;
        }

        try
        {
            await _table.Client.DeleteEntityAsync(processId, id, row.Value!.ETag, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            return null;
        }

        var pending = DurableJson.Deserialize<PendingInitiative>(row.Value.GetString("Json"));
        return pending is not null && time.GetUtcNow().UtcDateTime - pending.CreatedUtc < ConfirmWithin ? pending : null;
    }

    /// <summary>Deletes every unconfirmed submission older than <see cref="ConfirmWithin"/> (the retention purge calls it). Returns how many.</summary>
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

    private async Task<List<PendingInitiative>> PendingAsync(string processId, DateTime now, CancellationToken cancellationToken)
    {
        var result = new List<PendingInitiative>();
        await foreach (var entity in _table.Client.QueryAsync<TableEntity>(e => e.PartitionKey == processId, cancellationToken: cancellationToken))
        {
            if (DurableJson.Deserialize<PendingInitiative>(entity.GetString("Json")) is { } pending && now - pending.CreatedUtc < ConfirmWithin)
            {
                result.Add(pending);
            }
        }

        return result;
    }
}
