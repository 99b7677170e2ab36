namespace Dialoog.Core.Email;

public sealed record MailAddress(string Name, string Address);

/// <param name="ContentType">For calendar files <c>text/calendar; method=REQUEST</c> or <c>method=CANCEL</c>.</param>
public sealed record EmailAttachment(string FileName, string ContentType, byte[] Content);

/// <summary>One e-mail to one person: addresses are never shared between recipients.</summary>
/// <param name="IdempotencyKey">Stable per intended e-mail (the activity's key): a repeat with the same key sends nothing.</param>
/// <param name="Tags">Process id and message kind, for logs and (with SendGrid) custom args.</param>
/// <param name="ReplyTo">Where a reply goes: the coordinator, for e-mails to participants (the sender address is no inbox).</param>
public sealed record EmailMessage(
    string IdempotencyKey,
    MailAddress To,
    string Subject,
    string Html,
    string Text,
    IReadOnlyList<EmailAttachment> Attachments,
    IReadOnlyDictionary<string, string> Tags,
    MailAddress? ReplyTo = null);

/// <summary>Sends e-mail. Implementations send at most once per <see cref="EmailMessage.IdempotencyKey"/>.</summary>
public interface IEmailSender
{
    /// <returns>False when this key was already sent (nothing sent now).</returns>
    Task<bool> SendAsync(EmailMessage message, CancellationToken cancellationToken);
}

/// <summary>The keys of <see cref="EmailMessage.Tags"/> that senders understand.</summary>
public static class EmailTags
{
    /// <summary>The dialogue process (orchestration instance) the e-mail belongs to; header <c>X-Dialoog-Process</c>.</summary>
    public const string ProcessId = "processId";

    /// <summary>The <see cref="MailKind"/> of the e-mail; header <c>X-Dialoog-Kind</c>.</summary>
    public const string Kind = "kind";
}
