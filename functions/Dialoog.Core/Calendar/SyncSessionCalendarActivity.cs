using Dialoog.Core.Engine;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Dialoog.Core.Email;
using Dialoog.Core.Invitations;
using Microsoft.Extensions.Options;

namespace Dialoog.Core.Calendar;

/// <summary>Input of <see cref="SyncSessionCalendarActivity"/>: one session as it is now, and everyone invited to it.</summary>
/// <param name="Comment">For a cancellation: the reason the attendees see.</param>
public sealed record SyncSessionCalendarRequest(
    string ProcessId,
    MailProcess Process,
    MailSessionSnapshot Session,
    IReadOnlyList<MailRecipient> Attendees,
    string? Comment);

/// <summary>
/// Brings one session's event in the organizer's calendar up to date: called by the orchestration once per session
/// change (invitations, new participants, reschedule, cancel) with the full attendee list. With the iCalendar provider
/// it does nothing (each e-mail carries its own .ics). Returns the provider's event id, or null.
/// </summary>
public sealed class SyncSessionCalendarActivity(ISessionCalendar calendar, IOptions<MailOptions> mail) : TaskActivity<SyncSessionCalendarRequest, string?>
{
    public override Task<string?> RunAsync(TaskActivityContext context, SyncSessionCalendarRequest input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var session = input.Session;
        var description = string.IsNullOrWhiteSpace(input.Process.Description)
            ? input.Process.Topic
            : $"{input.Process.Topic}\n\n{input.Process.Description.Trim()}";
        var calendarEvent = new CalendarEvent(
            SendMailActivity.SessionUid(input.ProcessId, session.Id),
            session.Sequence,
            $"{input.Process.Topic}: {session.Title}",
            description,
            session.StartUtc,
            session.EndUtc,
            session.Location,
            session.OnlineLink,
            new MailAddress(mail.Value.FromName, mail.Value.FromAddress),
            session.Cancelled);
        var attendees = input.Attendees.Select(a => new MailAddress(a.Name, a.Email)).ToList();
        return calendar.SyncAsync(new SessionSync(input.ProcessId, session.Id, calendarEvent, attendees, input.Comment), CancellationToken.None);
    }
}
