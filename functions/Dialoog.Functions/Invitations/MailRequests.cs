using Dialoog.Functions.Email;
using Dialoog.Functions.Links;

namespace Dialoog.Functions.Invitations;

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

/// <summary>Input of <see cref="SendMailActivity"/>: everything needed to write and send one e-mail, no I/O before it.</summary>
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
    string? ItemKind = null);
