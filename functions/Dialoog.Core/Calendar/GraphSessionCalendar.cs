using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Dialoog.Core.Email;
using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Graph.Users.Item.Events.Item.Cancel;
using GraphEvent = Microsoft.Graph.Models.Event;

namespace Dialoog.Core.Calendar;

/// <summary>A calendar change that Microsoft Graph refused or could not make. The message names the session and Graph's error.</summary>
public sealed class CalendarSyncException : Exception
{
    public CalendarSyncException()
    {
    }

    public CalendarSyncException(string message)
        : base(message)
    {
    }

    public CalendarSyncException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// Sessions as events in the organizer mailbox's calendar (Microsoft Graph), with the participants as attendees:
/// Exchange sends the invitations, updates and cancellations, and the replies land on the event. E-mails then carry
/// no .ics (no double invitations), only the personal links. The attendee list is hidden (<c>hideAttendees</c>): each
/// attendee sees only themselves and the organizer; the organizer's event keeps every attendee and their reply.
/// </summary>
/// <remarks>
/// Creating is idempotent twice over: the event id is kept per session in <see cref="CalendarEventStore"/>, and the
/// create carries a <c>transactionId</c> derived from process and session, so a repeat after a crash between Graph's
/// answer and our write gets the same event back instead of a second one. An update replaces subject, body, time,
/// place and the attendee list (new participants are added; Exchange keeps the replies of the others).
/// </remarks>
public sealed class GraphSessionCalendar(
    GraphServiceClient graph,
    CalendarEventStore store,
    IOptions<CalendarOptions> options,
    ILogger<GraphSessionCalendar> logger) : ISessionCalendar
{
    public const string TimeZone = "Europe/Amsterdam";

    private string Mailbox => options.Value.Graph.OrganizerMailbox;

    public Task<IReadOnlyList<EmailAttachment>> AttachmentsForAsync(CalendarEvent calendarEvent, MailAddress attendee, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<EmailAttachment>>([]);

    public async Task<string?> SyncAsync(SessionSync session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var known = await store.FindAsync(session.ProcessId, session.SessionId, cancellationToken);
        try
        {
            if (session.Event.Cancelled)
            {
                return known is null ? null : await CancelAsync(session, known, cancellationToken);
            }

            var body = EventFor(session);
            string eventId;
            if (known is null)
            {
                body.TransactionId = TransactionId(session.ProcessId, session.SessionId);
                var created = await graph.Users[Mailbox].Events.PostAsync(body, cancellationToken: cancellationToken);
                eventId = created?.Id ?? throw new CalendarSyncException($"Microsoft Graph created the event for session '{session.SessionId}' of process {session.ProcessId} but returned no id.");
                logger.LogInformation("Calendar event for session {SessionId} of process {ProcessId} created with {Attendees} attendees.", session.SessionId, session.ProcessId, session.Attendees.Count);
            }
            else
            {
                eventId = known.EventId;
                await graph.Users[Mailbox].Events[eventId].PatchAsync(body, cancellationToken: cancellationToken);
                logger.LogInformation("Calendar event for session {SessionId} of process {ProcessId} updated ({Attendees} attendees).", session.SessionId, session.ProcessId, session.Attendees.Count);
            }

            await store.SaveAsync(session.ProcessId, session.SessionId, eventId, session.Event.EndUtc, cancelled: false, cancellationToken);
            return eventId;
        }
        catch (ODataError ex)
        {
            throw new CalendarSyncException(
                $"Microsoft Graph refused the calendar event for session '{session.SessionId}': {ex.ResponseStatusCode} {ex.Error?.Code} {ex.Error?.Message}".TrimEnd(), ex);
        }
    }

    private async Task<string> CancelAsync(SessionSync session, CalendarEventRecord known, CancellationToken cancellationToken)
    {
        if (!known.Cancelled)
        {
            try
            {
                var comment = string.IsNullOrWhiteSpace(session.Comment) ? "Deze bijeenkomst gaat niet door." : $"Deze bijeenkomst gaat niet door. {session.Comment.Trim()}";
                await graph.Users[Mailbox].Events[known.EventId].Cancel.PostAsync(new CancelPostRequestBody { Comment = comment }, cancellationToken: cancellationToken);
            }
            catch (ODataError ex) when (ex.ResponseStatusCode == (int)HttpStatusCode.NotFound)
            {
                // Already cancelled (a repeat of this activity) or removed by hand: either way, gone.
                logger.LogInformation("Calendar event for session {SessionId} of process {ProcessId} was already gone.", session.SessionId, session.ProcessId);
            }

            await store.SaveAsync(session.ProcessId, session.SessionId, known.EventId, known.EndUtc, cancelled: true, cancellationToken);
        }

        return known.EventId;
    }

    /// <summary>Stable per session, so Graph recognises a repeated create. Hashed: ids stay short and opaque.</summary>
    public static string TransactionId(string processId, string sessionId) =>
        "dialoog-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{processId}/{sessionId}")))[..32];

    internal static GraphEvent EventFor(SessionSync session)
    {
        var item = session.Event;
        var online = Uri.TryCreate(item.OnlineLink, UriKind.Absolute, out var link) && (link.Scheme == Uri.UriSchemeHttps || link.Scheme == Uri.UriSchemeHttp) ? link : null;
        return new GraphEvent
        {
            Subject = item.Title,
            Body = new ItemBody { ContentType = BodyType.Html, Content = Body(item.Description, online) },
            Start = Amsterdam(item.StartUtc),
            End = Amsterdam(item.EndUtc),
            Location = new Location
            {
                DisplayName = !string.IsNullOrWhiteSpace(item.Location) ? item.Location : item.OnlineLink ?? "",
                LocationUri = online?.AbsoluteUri,
            },
            Attendees = session.Attendees
                .Select(a => new Attendee { EmailAddress = new EmailAddress { Address = a.Address, Name = a.Name }, Type = AttendeeType.Required })
                .ToList(),
            AllowNewTimeProposals = false,

            // Residents must not learn each other's names and addresses (AVG): each attendee's copy lists only them.
            // Set on every update too, so an event made before this was set gets it at its next change.
            HideAttendees = true,
            ResponseRequested = true,
            IsReminderOn = true,
        };
    }

    /// <summary>One body for every attendee, so no personal links: those are in each person's own e-mail.</summary>
    private static string Body(string description, Uri? online)
    {
        var html = new StringBuilder();
        html.Append("<p>").Append(WebUtility.HtmlEncode(description).ReplaceLineEndings("<br>")).Append("</p>");
        if (online is not null)
        {
            html.Append("<p>Online meedoen: <a href=\"").Append(WebUtility.HtmlEncode(online.AbsoluteUri)).Append("\">")
                .Append(WebUtility.HtmlEncode(online.AbsoluteUri)).Append("</a></p>");
        }

        html.Append("<p>Komt u? Antwoord hier met Ja, Nee of Misschien. U kunt ook de knoppen in uw e-mail van Dialoog gebruiken.</p>");
        return html.ToString();
    }

    private static DateTimeTimeZone Amsterdam(DateTime utc) => new()
    {
        DateTime = MailDates.ToAmsterdam(utc).ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
        TimeZone = TimeZone,
    };
}
