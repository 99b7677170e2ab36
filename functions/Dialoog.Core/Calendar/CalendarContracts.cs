using Dialoog.Core.Email;

namespace Dialoog.Core.Calendar;

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

/// <summary>One session as the organizer's calendar must show it now, with everyone invited to it.</summary>
/// <param name="Comment">For a cancellation: the reason, sent to the attendees with it.</param>
public sealed record SessionSync(string ProcessId, string SessionId, CalendarEvent Event, IReadOnlyList<MailAddress> Attendees, string? Comment);

/// <summary>
/// Puts sessions in attendees' calendars. The iCalendar implementation returns a file for each e-mail and has nothing
/// to sync; a provider that invites through the organizer's mailbox (Microsoft Graph) does the work in
/// <see cref="SyncAsync"/>, once per session change, and returns nothing to attach (no double invitations).
/// </summary>
public interface ISessionCalendar
{
    Task<IReadOnlyList<EmailAttachment>> AttachmentsForAsync(CalendarEvent calendarEvent, MailAddress attendee, CancellationToken cancellationToken);

    /// <summary>Creates, updates or cancels the session's event; safe to repeat with the same input.</summary>
    /// <returns>The provider's event id, or null when the provider keeps no event of its own.</returns>
    Task<string?> SyncAsync(SessionSync session, CancellationToken cancellationToken);
}
