using Microsoft.DurableTask;
using Dialoog.Core.Calendar;
using Dialoog.Core.Email;
using Dialoog.Core.Links;
using Microsoft.Extensions.Options;

namespace Dialoog.Core.Invitations;

/// <summary>
/// Writes and sends one e-mail: personal links signed here (the key never enters history), calendar items from the
/// configured calendar, text from <see cref="MailComposer"/>. The request's idempotency key becomes the e-mail's, so
/// a repeat after a crash sends nothing twice.
/// </summary>
public sealed class SendMailActivity(IEmailSender sender, ISessionCalendar calendar, ParticipantLinks links, IOptions<MailOptions> mail)
    : TaskActivity<SendMailRequest, bool>
{
    public override Task<bool> RunAsync(TaskActivityContext context, SendMailRequest input)
    {
        ArgumentNullException.ThrowIfNull(context);
        return SendAsync(input, CancellationToken.None);
    }

    /// <summary>Writes and sends <paramref name="input"/>; false when its key was sent before (nothing sent now).</summary>
    public async Task<bool> SendAsync(SendMailRequest input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var to = new MailAddress(input.To.Name, input.To.Email);

        var mailLinks = new List<MailLink>();
        if (input.Links is { } spec)
        {
            var claims = new LinkClaims(spec.Purpose, input.ProcessId, spec.Subject, new DateTimeOffset(spec.ExpiresUtc, TimeSpan.Zero), input.ProcessNonce,
                input.To.Language);
            mailLinks.AddRange(spec.Keys.Select(key => new MailLink(key, links.CreateUrl(claims, key).AbsoluteUri)));
        }

        var attachments = new List<EmailAttachment>();
        if (input.AttachCalendar)
        {
            var organizer = new MailAddress(mail.Value.FromName, mail.Value.FromAddress);
            foreach (var session in input.Sessions)
            {
                var calendarEvent = new CalendarEvent(
                    SessionUid(input.ProcessId, session.Id),
                    session.Sequence,
                    $"{input.Process.Topic}: {session.Title}",
                    CalendarDescription(input, mailLinks),
                    session.StartUtc,
                    session.EndUtc,
                    session.Location,
                    session.OnlineLink,
                    organizer,
                    session.Cancelled);
                attachments.AddRange(await calendar.AttachmentsForAsync(calendarEvent, to, cancellationToken));
            }
        }

        var content = new MailContent(
            input.Kind,
            input.To.Language,
            input.To.Name,
            input.Process.Topic,
            input.Process.Area,
            input.Process.Description,
            input.Process.CoordinatorName,
            input.Process.CoordinatorEmail,
            input.Sessions.Select(s => new MailSession(s.Title, s.StartUtc, s.EndUtc, s.Location, s.OnlineLink, s.Cancelled, s.Changed)).ToList(),
            input.ReplyDeadlineUtc,
            mailLinks,
            input.Facts,
            input.Note,
            input.CurrentAnswer,
            input.ItemKind,
            CalendarSeparately: input.AttachCalendar && attachments.Count == 0,
            PrivacyUrl: links.PrivacyUrl.AbsoluteUri);
        var composed = MailComposer.Compose(content);
        var message = new EmailMessage(
            input.IdempotencyKey,
            to,
            composed.Subject,
            composed.Html,
            composed.Text,
            attachments,
            new Dictionary<string, string> { ["processId"] = input.ProcessId, ["kind"] = input.Kind.ToString(), ["recipient"] = input.To.Id },
            // The pages promise that a reply to an e-mail reaches the coordinator.
            ReplyTo: string.Equals(input.To.Email, input.Process.CoordinatorEmail, StringComparison.OrdinalIgnoreCase)
                ? null
                : new MailAddress(input.Process.CoordinatorName, input.Process.CoordinatorEmail));
        return await sender.SendAsync(message, cancellationToken);
    }

    /// <summary>Stable per session for the life of the process, so every update replaces the same calendar item.</summary>
    public static string SessionUid(string processId, string sessionId) => $"{processId}-{sessionId}@dialoog";

    private static string CalendarDescription(SendMailRequest input, List<MailLink> links)
    {
        var reply = links.Find(l => l.Key == "yes");
        return reply is null
            ? input.Process.Topic
            : $"{input.Process.Topic}\n\nUw reactie doorgeven of wijzigen: {reply.Url}";
    }
}
