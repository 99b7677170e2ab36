using Dialoog.Core.Email;
using Dialoog.Core.Links;

namespace Dialoog.Core.Invitations;

/// <summary>Who gets an e-mail. <see cref="Id"/> is the participant id, or a role for others (coordinator, contact, group manager).</summary>
public sealed record MailRecipient(string Id, string Name, string Email, string Language);

public sealed record MailProcess(string Topic, string Area, string? Description, string CoordinatorName, string CoordinatorEmail);

/// <summary>A session as an e-mail and a calendar item show it.</summary>
public sealed record MailSessionSnapshot(
    string Id,
    string Title,
    DateTime StartUtc,
    DateTime EndUtc,
    string? Location,
    string? OnlineLink,
    int Sequence,
    bool Cancelled,
    bool Changed);

/// <summary>The personal links an e-mail carries: one signed token, one URL per key (e.g. yes / no / maybe).</summary>
public sealed record MailLinks(LinkPurpose Purpose, string Subject, IReadOnlyList<string> Keys, DateTime ExpiresUtc);

/// <summary>
/// Input of <see cref="SendMailActivity"/>: everything needed to write and send one e-mail, no I/O before it.
/// <see cref="IdempotencyKey"/> is made by the orchestrator (<see cref="MailKeys.For"/>), so it is the same on every
/// replay and every retry of the activity, and the e-mail goes out once however often the activity runs.
/// </summary>
public sealed record SendMailRequest(
    string ProcessId,
    MailKind Kind,
    MailRecipient To,
    MailProcess Process,
    IReadOnlyList<MailSessionSnapshot> Sessions,
    bool AttachCalendar,
    DateTime? ReplyDeadlineUtc,
    MailLinks? Links,
    IReadOnlyList<string> Facts,
    string? Note = null,
    string? CurrentAnswer = null,
    string? ItemKind = null)
{
    public required string IdempotencyKey { get; init; }

    /// <summary>The process's nonce (<see cref="Processes.DialogueProcessInput.Nonce"/>): the links are signed with it.</summary>
    public string? ProcessNonce { get; init; }
}

public static class MailKeys
{
    /// <summary>
    /// The key of the e-mail named <paramref name="name"/> (kind, recipient, occurrence) within <paramref name="scope"/>
    /// (a process, or one generation of a follow-up). Named from what the orchestration knows, never from the context's
    /// NewGuid: that one is seeded with the step's time, and a step the engine runs again (its activities may already be
    /// queued) has another time, so its e-mails would get new keys and go out twice.
    /// </summary>
    public static string For(string scope, string name) => $"{scope}:mail:{name}";
}
