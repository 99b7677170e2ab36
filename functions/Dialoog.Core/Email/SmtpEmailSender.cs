using System.Net.Sockets;
using Azure.Data.Tables;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Dialoog.Core.Email;

/// <summary>
/// Sends e-mail over SMTP (MailDev locally, any relay in production), at most once per idempotency key as far as a
/// crash allows. A server on another machine is only spoken to over TLS, and only over TLS does the app authenticate
/// (<see cref="SmtpConnection"/>).
/// </summary>
/// <remarks>
/// <para>
/// Before sending, the key's row in <c>&lt;TaskHub&gt;SentMail</c> is read: <c>Sent</c> means done, nothing is sent. Otherwise
/// the row is set to <c>Sending</c>, the e-mail goes to the SMTP server, and the row is set to <c>Sent</c>.
/// </para>
/// <para>
/// The remaining window: a crash after the server accepted the e-mail and before the row says <c>Sent</c> leaves
/// <c>Sending</c>, and the retried activity sends the e-mail again. SMTP offers no way to ask a server whether it already
/// has a message, so this window cannot be closed here; it is a few milliseconds wide. The repeat carries the same
/// Message-Id (derived from the key), which lets mail servers and clients that de-duplicate drop it.
/// </para>
/// </remarks>
public sealed class SmtpEmailSender : IEmailSender
{
    /// <summary>Test hook, honoured only in Development: stop the process hard right after this many e-mails were marked sent.</summary>
    public const string CrashAfterSentMailsSetting = "Dialoog:Testing:CrashAfterSentMails";

    private static readonly TimeSpan SmtpTimeout = TimeSpan.FromSeconds(30);

    private readonly MailOptions options;
    private readonly SentMailLog log;
    private readonly TimeProvider time;
    private readonly ILogger<SmtpEmailSender> logger;
    private readonly int? crashAfterSentMails;
    private int sentInThisProcess;

    public SmtpEmailSender(
        IOptions<MailOptions> options,
        TableServiceClient tables,
        IConfiguration configuration,
        IHostEnvironment environment,
        TimeProvider time,
        ILogger<SmtpEmailSender> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(configuration);
        this.options = options.Value;
        this.time = time;
        this.logger = logger;
        log = SentMailLog.For(tables, configuration);
        crashAfterSentMails = CrashAfterSentMails(configuration, environment);
    }

    public async Task<bool> SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var sent = await log.SendOnceAsync(message, time, logger, async key =>
        {
            // A repeat after a crash carries the same Message-Id (derived from the key), so de-duplicating servers drop it.
            using var mime = MimeMessageFor(message, new MailboxAddress(options.FromName, options.FromAddress), key.MessageId);
            await DeliverAsync(mime, message, cancellationToken);
        }, cancellationToken);
        if (sent)
        {
            CrashIfTestAsksFor();
        }

        return sent;
    }

    /// <summary>The value of <see cref="CrashAfterSentMailsSetting"/> when it is a positive number and the host runs in Development; otherwise null.</summary>
    internal static int? CrashAfterSentMails(IConfiguration configuration, IHostEnvironment environment) =>
        environment.IsDevelopment() && int.TryParse(configuration[CrashAfterSentMailsSetting], out var count) && count > 0 ? count : null;

    /// <summary>
    /// One recipient; text and HTML as alternatives. A calendar file goes in twice, the way calendar servers send
    /// invitations: as a <c>text/calendar; method=…</c> alternative (Outlook and Gmail show it as an invitation with
    /// buttons) and as an attachment (for every other client).
    /// </summary>
    internal static MimeMessage MimeMessageFor(EmailMessage message, MailboxAddress from, string messageId)
    {
        var mime = new MimeMessage { Subject = message.Subject, MessageId = messageId };
        mime.From.Add(from);
        mime.To.Add(new MailboxAddress(message.To.Name, message.To.Address));
        if (message.ReplyTo is { } replyTo)
        {
            mime.ReplyTo.Add(new MailboxAddress(replyTo.Name, replyTo.Address));
        }

        AddHeader(mime, "X-Dialoog-Process", message.Tags.GetValueOrDefault(EmailTags.ProcessId));
        AddHeader(mime, "X-Dialoog-Kind", message.Tags.GetValueOrDefault(EmailTags.Kind));

        var alternative = new MultipartAlternative
        {
            new TextPart("plain") { Text = message.Text },
            new TextPart("html") { Text = message.Html },
        };
        var calendars = message.Attachments.Where(IsCalendar).ToList();
        foreach (var calendar in calendars)
        {
            alternative.Add(Part(ContentType.Parse(calendar.ContentType), calendar.Content));
        }

        if (message.Attachments.Count == 0)
        {
            mime.Body = alternative;
            return mime;
        }

        var mixed = new Multipart("mixed") { alternative };
        foreach (var attachment in message.Attachments)
        {
            // The calendar's copy as a file is application/ics, so no client takes it for a second invitation.
            var part = Part(IsCalendar(attachment) ? new ContentType("application", "ics") : ContentType.Parse(attachment.ContentType), attachment.Content);
            part.ContentDisposition = new ContentDisposition(ContentDisposition.Attachment);
            part.FileName = attachment.FileName;
            mixed.Add(part);
        }

        mime.Body = mixed;
        return mime;
    }

    private async Task DeliverAsync(MimeMessage mime, EmailMessage message, CancellationToken cancellationToken)
    {
        var server = $"{options.Smtp.Host}:{options.Smtp.Port}";
        using var client = new SmtpClient { Timeout = (int)SmtpTimeout.TotalMilliseconds };
        try
        {
            await SmtpConnection.OpenAsync(client, options.Smtp, authenticate: true, cancellationToken);
            await client.SendAsync(mime, cancellationToken);
        }
        catch (SmtpCommandException ex)
        {
            var permanent = (int)ex.StatusCode >= 500;
            throw new EmailSendException(
                $"SMTP server {server} refused e-mail {mime.MessageId} ({Tag(message, EmailTags.Kind)}, process {Tag(message, EmailTags.ProcessId)}): "
                + $"{(int)ex.StatusCode} {WithoutAddress(ex.Message, message)} ({(permanent ? "permanent" : "temporary")}).",
                permanent,
                ex);
        }
        // NotSupportedException: the server offers no STARTTLS or no AUTH while the settings need it;
        // ServiceNotAuthenticatedException: it wants a password the settings lack. Not permanent: the recipient is not
        // at fault, and the e-mail goes out once the server or the settings are put right.
        catch (Exception ex) when (ex is SmtpProtocolException or IOException or SocketException or ServiceNotConnectedException
            or SslHandshakeException or System.Security.Authentication.AuthenticationException or MailKit.Security.AuthenticationException
            or TimeoutException or NotSupportedException or ServiceNotAuthenticatedException)
        {
            throw new EmailSendException(
                $"Could not send e-mail {mime.MessageId} ({Tag(message, EmailTags.Kind)}, process {Tag(message, EmailTags.ProcessId)}) "
                + $"through SMTP server {server}: {WithoutAddress(ex.Message, message)}",
                permanent: false,
                ex);
        }

        try
        {
            await client.DisconnectAsync(quit: true, cancellationToken);
        }
        catch (Exception ex) when (ex is SmtpProtocolException or IOException or SocketException or OperationCanceledException)
        {
            // The server has the e-mail; failing now would make the activity retry and send it twice.
            logger.LogDebug(ex, "Closing the SMTP connection to {Server} failed after sending.", server);
        }
    }

    private void CrashIfTestAsksFor()
    {
        if (crashAfterSentMails is { } limit && Interlocked.Increment(ref sentInThisProcess) == limit)
        {
            Environment.FailFast($"{CrashAfterSentMailsSetting}={limit}: crashing on purpose after {limit} sent e-mails (Development test hook).");
        }
    }

    private static MimePart Part(ContentType contentType, byte[] content) => new(contentType)
    {
        Content = new MimeContent(new MemoryStream(content, writable: false)),
        ContentTransferEncoding = ContentEncoding.Base64,
    };

    private static bool IsCalendar(EmailAttachment attachment) =>
        attachment.ContentType.StartsWith("text/calendar", StringComparison.OrdinalIgnoreCase);

    private static void AddHeader(MimeMessage mime, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            mime.Headers.Add(name, value.ReplaceLineEndings(" "));
        }
    }

    private static string Tag(EmailMessage message, string key) => SentMailLog.Tag(message, key);

    /// <summary>
    /// A server's refusal often quotes the recipient ("550 &lt;anna@…&gt; unknown"). The error goes to logs and the
    /// durable history, which must not hold addresses beyond the process's own data: the address becomes a placeholder.
    /// </summary>
    internal static string WithoutAddress(string error, EmailMessage message) =>
        error.Replace(message.To.Address, "[ontvanger]", StringComparison.OrdinalIgnoreCase);
}
