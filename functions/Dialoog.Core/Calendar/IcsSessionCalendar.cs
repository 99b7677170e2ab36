using System.Text;
using Dialoog.Core.Email;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using IcalCalendar = Ical.Net.Calendar;
using IcalEvent = Ical.Net.CalendarComponents.CalendarEvent;

namespace Dialoog.Core.Calendar;

/// <summary>
/// Puts a session in the attendee's calendar with an iCalendar file (RFC 5545/5546) attached to the e-mail: METHOD:REQUEST
/// to add or update it, METHOD:CANCEL to remove it. Calendars match updates by UID and keep the one with the highest
/// SEQUENCE. Times are written in Europe/Amsterdam with the zone's rules included, so they stay right across the
/// switch to and from summer time.
/// </summary>
public sealed class IcsSessionCalendar(TimeProvider time) : ISessionCalendar
{
    public const string TimeZoneId = "Europe/Amsterdam";
    public const string ProductId = "-//Dialoog//Dialoog sessions//NL";
    public const string InvitationFileName = "uitnodiging.ics";
    public const string CancellationFileName = "afzegging.ics";

    public Task<IReadOnlyList<EmailAttachment>> AttachmentsForAsync(CalendarEvent calendarEvent, MailAddress attendee, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(calendarEvent);
        ArgumentNullException.ThrowIfNull(attendee);
        var method = calendarEvent.Cancelled ? "CANCEL" : "REQUEST";
        var ics = Write(calendarEvent, attendee, method, time.GetUtcNow().UtcDateTime);
        IReadOnlyList<EmailAttachment> attachments =
        [
            new EmailAttachment(
                calendarEvent.Cancelled ? CancellationFileName : InvitationFileName,
                $"text/calendar; charset=utf-8; method={method}",
                Encoding.UTF8.GetBytes(ics)),
        ];
        return Task.FromResult(attachments);
    }

    /// <summary>Nothing to do: every e-mail that matters carries its own .ics.</summary>
    public Task<string?> SyncAsync(SessionSync session, CancellationToken cancellationToken) => Task.FromResult<string?>(null);

    private static string Write(CalendarEvent session, MailAddress attendee, string method, DateTime nowUtc)
    {
        var calendar = new IcalCalendar { ProductId = ProductId, Method = method };

        // The zone's rules from the year of the session on, so a calendar can place the local times exactly.
        calendar.AddTimeZone(VTimeZone.FromDateTimeZone(TimeZoneId, new DateTime(session.StartUtc.Year, 1, 1), includeHistoricalData: false));

        var onlineLink = Uri.TryCreate(session.OnlineLink, UriKind.Absolute, out var link) ? link : null;
        var item = new IcalEvent
        {
            Uid = session.Uid,
            Sequence = session.Sequence,
            Summary = session.Title,
            Description = session.Description,
            Location = !string.IsNullOrWhiteSpace(session.Location) ? session.Location : session.OnlineLink,
            Url = onlineLink,
            DtStart = Amsterdam(session.StartUtc),
            DtEnd = Amsterdam(session.EndUtc),
            DtStamp = new CalDateTime(nowUtc, CalDateTime.UtcTzId),
            Status = session.Cancelled ? EventStatus.Cancelled : EventStatus.Confirmed,
            Transparency = TransparencyType.Opaque,
            Organizer = new Organizer(MailTo(session.Organizer.Address)) { CommonName = session.Organizer.Name },
        };

        // Replies go through the personal links in the e-mail, not through the calendar: RSVP=FALSE.
        item.Attendees.Add(new Attendee(MailTo(attendee.Address))
        {
            CommonName = attendee.Name,
            Role = ParticipationRole.RequiredParticipant,
            ParticipationStatus = EventParticipationStatus.NeedsAction,
            Rsvp = false,
        });
        calendar.Events.Add(item);
        return new CalendarSerializer().SerializeToString(calendar)
            ?? throw new InvalidOperationException($"Ical.Net wrote nothing for calendar item {session.Uid}.");
    }

    private static CalDateTime Amsterdam(DateTime utc)
    {
        var local = MailDates.ToAmsterdam(utc);
        return new CalDateTime(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), TimeZoneId);
    }

    private static string MailTo(string address) => "mailto:" + address;
}
