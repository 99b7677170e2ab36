using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using SendGrid;
using SendGrid.Helpers.Mail;

namespace Dialoog.Core.Email;

/// <summary>
/// Sends e-mail through the SendGrid v3 mail send API, at most once per idempotency key as far as a crash allows
/// (the same <see cref="SentMailLog"/> as the SMTP sender: SendGrid has no idempotency key of its own).
/// </summary>
/// <remarks>
/// Throttling (429) and server errors (5xx) are retried here a few times, waiting as long as SendGrid asks; after that
/// the exception lets the durable activity retry take over with its longer, durable waits. Any other 4xx is permanent:
/// the exception carries SendGrid's own error text, which ends up on the process timeline. The API key is sent only in
/// the Authorization header and is scrubbed from every message this class writes.
/// </remarks>
public sealed class SendGridEmailSender : IEmailSender, IDisposable
{
    /// <summary>Attempts inside one call; more would hold an activity slot for minutes.</summary>
    internal const int MaxAttempts = 3;

    /// <summary>A longer wait than this is left to the durable retry, which waits without holding a worker.</summary>
    internal static readonly TimeSpan LongestWait = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);

    private readonly MailOptions options;
    private readonly SentMailLog log;
    private readonly TimeProvider time;
    private readonly ILogger<SendGridEmailSender> logger;
    private readonly HttpClient http;
    private readonly SendGridClient client;

    public SendGridEmailSender(
        IOptions<MailOptions> options,
        TableServiceClient tables,
        IConfiguration configuration,
        TimeProvider time,
        ILogger<SendGridEmailSender> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options.Value;
        this.time = time;
        this.logger = logger;
        log = SentMailLog.For(tables, configuration);

        // Our own HttpClient, so no shared handler logs or reuses the Authorization header.
        http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = TimeSpan.FromSeconds(30) };
        client = new SendGridClient(http, new SendGridClientOptions
        {
            ApiKey = this.options.SendGrid.ApiKey,
            Host = this.options.SendGrid.BaseUrl.TrimEnd('/'),
        });
    }

    public Task<bool> SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var from = new EmailAddress(options.FromAddress, options.FromName);
        return log.SendOnceAsync(
            message,
            time,
            logger,
            key => DeliverAsync(MessageFor(message, from, key.MessageId, options.SendGrid.SandboxMode), message, key.MessageId, cancellationToken),
            cancellationToken);
    }

    /// <summary>
    /// The v3 request: one personalization with the one recipient, text before HTML (SendGrid's order), a calendar
    /// both as <c>text/calendar</c> content (mail clients show it as an invitation) and as an attachment, the kind as
    /// category and the tags plus idempotency key as custom args (they come back in SendGrid's event webhook).
    /// </summary>
    internal static SendGridMessage MessageFor(EmailMessage message, EmailAddress from, string messageId, bool sandbox)
    {
        var mail = new SendGridMessage { From = from, Subject = message.Subject };

        // As content blocks, not PlainTextContent/HtmlContent: with those set the SDK drops every other block.
        mail.AddContent(MimeType.Text, message.Text);
        mail.AddContent(MimeType.Html, message.Html);
        mail.AddTo(new EmailAddress(message.To.Address, message.To.Name));
        if (message.ReplyTo is { } replyTo)
        {
            mail.ReplyTo = new EmailAddress(replyTo.Address, replyTo.Name);
        }
        foreach (var (name, value) in message.Tags.Where(t => !string.IsNullOrEmpty(t.Value)).OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            mail.AddCustomArg(name, value);
        }

        mail.AddCustomArg("idempotencyKey", message.IdempotencyKey);
        mail.AddCustomArg("messageId", messageId);
        if (message.Tags.GetValueOrDefault(EmailTags.Kind) is { Length: > 0 } kind)
        {
            mail.AddCategory(kind);
        }

        foreach (var attachment in message.Attachments)
        {
            var calendar = attachment.ContentType.StartsWith("text/calendar", StringComparison.OrdinalIgnoreCase);
            if (calendar)
            {
                mail.AddContent(CalendarContentType(attachment.ContentType), Encoding.UTF8.GetString(attachment.Content));
            }

            // The file copy is application/ics, so no client takes it for a second invitation (as with SMTP).
            mail.AddAttachment(attachment.FileName, Convert.ToBase64String(attachment.Content), calendar ? "application/ics" : attachment.ContentType, "attachment");
        }

        // Click tracking would rewrite the personal links through SendGrid's domain; they must reach us as signed.
        mail.SetClickTracking(false, false);
        if (sandbox)
        {
            mail.SetSandBoxMode(true);
        }

        return mail;
    }

    private async Task DeliverAsync(SendGridMessage mail, EmailMessage message, string messageId, CancellationToken cancellationToken)
    {
        var what = $"e-mail {messageId} ({SentMailLog.Tag(message, EmailTags.Kind)}, process {SentMailLog.Tag(message, EmailTags.ProcessId)})";
        for (var attempt = 1; ; attempt++)
        {
            Response response;
            try
            {
                response = await client.SendEmailAsync(mail, cancellationToken);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                if (attempt >= MaxAttempts)
                {
                    throw new EmailSendException(Scrub($"Could not reach SendGrid for {what} after {attempt} attempts: {ex.Message}"), permanent: false);
                }

                await WaitAsync(Backoff(attempt), what, "no answer", cancellationToken);
                continue;
            }

            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            var errors = await ErrorTextAsync(response, cancellationToken);
            if (status != (int)HttpStatusCode.TooManyRequests && status < 500)
            {
                throw new EmailSendException(Scrub($"SendGrid refused {what}: {status} {errors}"), permanent: true);
            }

            var wait = RetryAfter(response) ?? Backoff(attempt);
            if (attempt >= MaxAttempts || wait > LongestWait)
            {
                throw new EmailSendException(Scrub($"SendGrid did not accept {what} ({status} {errors}); trying again later."), permanent: false);
            }

            await WaitAsync(wait, what, status.ToString(CultureInfo.InvariantCulture), cancellationToken);
        }
    }

    private async Task WaitAsync(TimeSpan wait, string what, string reason, CancellationToken cancellationToken)
    {
        logger.LogWarning("SendGrid answered {Reason} for {What}; trying again in {Wait}.", reason, what, wait);
        await Task.Delay(wait, time, cancellationToken);
    }

    private static TimeSpan Backoff(int attempt) => FirstBackoff * Math.Pow(2, attempt - 1);

    /// <summary>Retry-After (seconds or a date), else SendGrid's X-RateLimit-Reset (epoch seconds), else null.</summary>
    private TimeSpan? RetryAfter(Response response)
    {
        var now = time.GetUtcNow();
        if (response.Headers?.RetryAfter is { } retryAfter)
        {
            return Positive(retryAfter.Delta ?? (retryAfter.Date - now));
        }

        return response.Headers is { } headers && headers.TryGetValues("X-RateLimit-Reset", out var values)
            && long.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var reset)
            ? Positive(DateTimeOffset.FromUnixTimeSeconds(reset) - now)
            : null;
    }

    private static TimeSpan? Positive(TimeSpan? wait) => wait is { } w ? (w < TimeSpan.Zero ? TimeSpan.Zero : w) : null;

    /// <summary>SendGrid's <c>errors[].message</c> (with the field when given), or the start of the body.</summary>
    private static async Task<string> ErrorTextAsync(Response response, CancellationToken cancellationToken)
    {
        var body = response.Body is null ? "" : await response.Body.ReadAsStringAsync(cancellationToken);
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
            {
                var messages = errors.EnumerateArray()
                    .Select(e => (Message: e.TryGetProperty("message", out var m) ? m.GetString() : null, Field: e.TryGetProperty("field", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null))
                    .Where(e => !string.IsNullOrWhiteSpace(e.Message))
                    .Select(e => e.Field is null ? e.Message! : $"{e.Message} ({e.Field})")
                    .ToList();
                if (messages.Count > 0)
                {
                    return string.Join("; ", messages);
                }
            }
        }
        catch (JsonException)
        {
            // Not SendGrid's JSON (a proxy's page, say): show the start of it.
        }

        return body.Length > 300 ? body[..300] : body;
    }

    /// <summary>Belt and braces: SendGrid never echoes the key, but nothing this class writes may ever contain it.</summary>
    private string Scrub(string text) =>
        string.IsNullOrEmpty(options.SendGrid.ApiKey) ? text : text.Replace(options.SendGrid.ApiKey, "***", StringComparison.Ordinal);

    private static string CalendarContentType(string contentType) =>
        contentType.Contains("method=CANCEL", StringComparison.OrdinalIgnoreCase) ? "text/calendar; method=CANCEL" : "text/calendar; method=REQUEST";

    public void Dispose() => http.Dispose();
}
