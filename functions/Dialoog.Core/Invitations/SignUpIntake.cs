using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;
using Dialoog.Core.Engine;
using Dialoog.Core.Processes.Definition;
using Dialoog.Core.Storage;

namespace Dialoog.Core.Invitations;

/// <summary>A sign-up on the public page with an e-mail address, waiting until that address is confirmed.</summary>
public sealed record PendingSignUp(string ProcessId, string Id, ParticipantDefinition Participant, IReadOnlyList<SignUpAnswer> Answers, DateTime CreatedUtc);

public enum SignUpIntakeOutcome
{
    /// <summary>Stored; send the confirmation e-mail.</summary>
    Stored,

    /// <summary>The same address has an unconfirmed sign-up for this process: its e-mail still works, none is sent again.</summary>
    AlreadyPending,

    /// <summary>The process has as many unconfirmed sign-ups as it keeps: nothing stored, nothing sent.</summary>
    Full,
}

/// <summary>
/// Open sign-up with an e-mail address, in two steps like <see cref="Actions.InitiativeIntake"/>: the sign-up is only
/// stored (table <c>&lt;TaskHub&gt;PendingSignUps</c>) and the address gets one e-mail to confirm it; only the
/// confirmation adds the person to the process. So nobody can sign a stranger up or make us mail them more than once
/// per process, and a flood is bounded per process.
/// </summary>
public sealed class SignUpIntake(TableServiceClient tables, IConfiguration configuration, TimeProvider time)
{
    /// <summary>How long the confirmation link works; unconfirmed sign-ups are deleted after that.</summary>
    public static readonly TimeSpan ConfirmWithin = TimeSpan.FromHours(48);

    private readonly AppTable _table = new(tables, configuration, "PendingSignUps");

    public async Task<(SignUpIntakeOutcome Outcome, PendingSignUp? Pending)> SubmitAsync(
        string processId, ParticipantDefinition participant, IReadOnlyList<SignUpAnswer> answers, int maxUnconfirmed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(participant);
        await _table.EnsureAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var pending = await PendingAsync(processId, now, cancellationToken);

        // One unconfirmed sign-up per address: the first e-mail still works, and a second would only fill their inbox.
        if (pending.FirstOrDefault(p => string.Equals(p.Participant.Email, participant.Email, StringComparison.OrdinalIgnoreCase)) is { } earlier)
        {
            return (SignUpIntakeOutcome.AlreadyPending, earlier);
        }

        if (pending.Count >= maxUnconfirmed)
        {
            return (SignUpIntakeOutcome.Full, null);
        }

        var stored = new PendingSignUp(processId, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), participant, answers, now);
        await _table.Client.AddEntityAsync(
            new TableEntity(processId, stored.Id) { ["Json"] = DurableJson.Serialize(stored), ["CreatedUtc"] = DateTime.SpecifyKind(now, DateTimeKind.Utc) },
            cancellationToken);
        return (SignUpIntakeOutcome.Stored, stored);
    }

    /// <summary>The pending sign-up, or null when it was confirmed already, never existed or has expired.</summary>
    public async Task<PendingSignUp?> FindAsync(string processId, string id, CancellationToken cancellationToken)
    {
        await _table.EnsureAsync(cancellationToken);
        var row = await _table.Client.GetEntityIfExistsAsync<TableEntity>(processId, id, cancellationToken: cancellationToken);
        var pending = row.HasValue ? DurableJson.Deserialize<PendingSignUp>(row.Value!.GetString("Json")) : null;
        return pending is not null && time.GetUtcNow().UtcDateTime - pending.CreatedUtc < ConfirmWithin ? pending : null;
    }

    /// <summary>Takes the pending sign-up out, once: of two confirmations at the same moment only one gets it.</summary>
    public async Task<PendingSignUp?> TakeAsync(string processId, string id, CancellationToken cancellationToken)
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

        var pending = DurableJson.Deserialize<PendingSignUp>(row.Value.GetString("Json"));
        return pending is not null && time.GetUtcNow().UtcDateTime - pending.CreatedUtc < ConfirmWithin ? pending : null;
    }

    /// <summary>Deletes every unconfirmed sign-up older than <see cref="ConfirmWithin"/> (the retention purge calls it). Returns how many.</summary>
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

    private async Task<List<PendingSignUp>> PendingAsync(string processId, DateTime now, CancellationToken cancellationToken)
    {
        var result = new List<PendingSignUp>();
        await foreach (var entity in _table.Client.QueryAsync<TableEntity>(e => e.PartitionKey == processId, cancellationToken: cancellationToken))
        {
            if (DurableJson.Deserialize<PendingSignUp>(entity.GetString("Json")) is { } pending && now - pending.CreatedUtc < ConfirmWithin)
            {
                result.Add(pending);
            }
        }

        return result;
    }
}
