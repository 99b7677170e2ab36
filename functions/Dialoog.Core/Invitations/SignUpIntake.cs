using System.ComponentModel.DataAnnotations;
using Azure.Data.Tables;
using Dialoog.Core.Processes.Definition;
using Dialoog.Core.Storage;
using Microsoft.Extensions.Options;

namespace Dialoog.Core.Invitations;

/// <summary>A sign-up on the public page with an e-mail address, waiting until that address is confirmed.</summary>
public sealed record PendingSignUp(string ProcessId, string Id, ParticipantDefinition Participant, IReadOnlyList<SignUpAnswer> Answers, DateTime CreatedUtc)
    : IPendingConfirmation
{
    // Explicit, so it is not written to the stored row: the address is in Participant already.
    string IPendingConfirmation.Email => Participant.Email;
}

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
/// The sign-up setting under <c>Api__</c>. The domain reads it (in <see cref="SignUpIntake"/>), so it is bound here
/// rather than in the web app's <c>ApiOptions</c>, which the domain does not know.
/// </summary>
public sealed class SignUpIntakeOptions
{
    public const string Section = "Api";

    /// <summary>Per process: unconfirmed sign-ups (each one e-mail to its address) kept at most.</summary>
    [Range(1, 100000, ErrorMessage = "Setting 'Api__MaxUnconfirmedSignUps' must be a whole number from 1 to 100000.")]
    public int MaxUnconfirmedSignUps { get; set; } = 200;
}

/// <summary>
/// Open sign-up with an e-mail address, in two steps like <see cref="Actions.InitiativeIntake"/>: the sign-up is only
/// stored (table <c>&lt;TaskHub&gt;PendingSignUps</c>) and the address gets one e-mail to confirm it; only the
/// confirmation adds the person to the process. So nobody can sign a stranger up or make us mail them more than once
/// per process, and a flood is bounded per process (<see cref="SignUpIntakeOptions.MaxUnconfirmedSignUps"/>).
/// </summary>
public sealed class SignUpIntake(TableServiceClient tables, IConfiguration configuration, TimeProvider time, IOptions<SignUpIntakeOptions> options)
{
    /// <summary>How long the confirmation link works; unconfirmed sign-ups are deleted after that.</summary>
    public static readonly TimeSpan ConfirmWithin = PendingConfirmations<PendingSignUp>.ConfirmWithin;

    private readonly PendingConfirmations<PendingSignUp> _pending = new(tables, configuration, "PendingSignUps", time);

    public async Task<(SignUpIntakeOutcome Outcome, PendingSignUp? Pending)> SubmitAsync(
        string processId, ParticipantDefinition participant, IReadOnlyList<SignUpAnswer> answers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(participant);
        var (outcome, pending) = await _pending.SubmitAsync(
            processId,
            participant.Email,
            options.Value.MaxUnconfirmedSignUps,
            (id, now) => new PendingSignUp(processId, id, participant, answers, now),
            processFull: null,
            cancellationToken);
        return (outcome switch
        {
            IntakeOutcome.Stored => SignUpIntakeOutcome.Stored,
            IntakeOutcome.AlreadyPending => SignUpIntakeOutcome.AlreadyPending,
            _ => SignUpIntakeOutcome.Full,
        }, pending);
    }

    /// <inheritdoc cref="PendingConfirmations{T}.FindAsync"/>
    public Task<PendingSignUp?> FindAsync(string processId, string id, CancellationToken cancellationToken) =>
        _pending.FindAsync(processId, id, cancellationToken);

    /// <inheritdoc cref="PendingConfirmations{T}.TakeAsync"/>
    public Task<PendingSignUp?> TakeAsync(string processId, string id, CancellationToken cancellationToken) =>
        _pending.TakeAsync(processId, id, cancellationToken);

    /// <inheritdoc cref="PendingConfirmations{T}.DeleteExpiredAsync"/>
    public Task<int> DeleteExpiredAsync(CancellationToken cancellationToken) => _pending.DeleteExpiredAsync(cancellationToken);
}
