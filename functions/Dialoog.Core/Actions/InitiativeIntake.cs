using Azure.Data.Tables;
using Dialoog.Core.Storage;

namespace Dialoog.Core.Actions;

/// <summary>An initiative submitted on the public form, waiting until the submitter confirms their address.</summary>
public sealed record PendingInitiative(string ProcessId, string Id, string Title, string Description, string Name, string Email, DateTime CreatedUtc)
    : IPendingConfirmation;

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
    public static readonly TimeSpan ConfirmWithin = PendingConfirmations<PendingInitiative>.ConfirmWithin;

    private readonly PendingConfirmations<PendingInitiative> _pending = new(tables, configuration, "PendingInitiatives", time);

    /// <param name="maxOpen">Open (confirmed) initiatives the process takes at most: what its coordinator can follow.</param>
    /// <param name="maxUnconfirmed">
    /// Unconfirmed submissions the process keeps at most: bounds the e-mails a flood can make us send. Set well above
    /// what a real neighbourhood submits in two days, so residents are not shut out by it.
    /// </param>
    public Task<(IntakeOutcome Outcome, PendingInitiative? Pending)> SubmitAsync(
        string processId, string title, string description, string name, string email, int maxOpen, int maxUnconfirmed, CancellationToken cancellationToken) =>
        _pending.SubmitAsync(
            processId,
            email,
            maxUnconfirmed,
            (id, now) => new PendingInitiative(processId, id, title, description, name, email, now),
            async ct => (await followUps.ListAsync(processId, FollowUpKinds.Initiative, ct)).Count(i => !FollowUpStatus.IsFinal(i.Status)) >= maxOpen,
            cancellationToken);

    /// <inheritdoc cref="PendingConfirmations{T}.FindAsync"/>
    public Task<PendingInitiative?> FindAsync(string processId, string id, CancellationToken cancellationToken) =>
        _pending.FindAsync(processId, id, cancellationToken);

    /// <summary>
    /// Takes the pending initiative out, once: of two confirmations at the same moment, only one gets it (and starts
    /// the initiative); the other gets null.
    /// </summary>
    public Task<PendingInitiative?> TakeAsync(string processId, string id, CancellationToken cancellationToken) =>
        _pending.TakeAsync(processId, id, cancellationToken);

    /// <inheritdoc cref="PendingConfirmations{T}.DeleteExpiredAsync"/>
    public Task<int> DeleteExpiredAsync(CancellationToken cancellationToken) => _pending.DeleteExpiredAsync(cancellationToken);
}
