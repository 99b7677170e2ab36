using Dialoog.Functions.Email;

namespace Dialoog.Functions.Calendar;

/// <summary>A session as calendars see it. <see cref="Uid"/> is stable per session; <see cref="Sequence"/> rises on each change.</summary>
public sealed record CalendarEvent(
    string Uid,
    int Sequence,
    string Title,
    string Description,
    DateTime StartUtc,
    DateTime EndUtc,
    string? Location,
    string? OnlineLink,
    MailAddress Organizer,
    bool Cancelled);

/// <summary>
/// Puts sessions in attendees' calendars. The iCalendar implementation returns a file for the e-mail; a provider that
/// invites through the organizer's mailbox (Microsoft Graph) does the work itself and returns nothing to attach.
/// </summary>
public interface ISessionCalendar
{
    Task<IReadOnlyList<EmailAttachment>> AttachmentsForAsync(CalendarEvent calendarEvent, MailAddress attendee, CancellationToken cancellationToken);
}
