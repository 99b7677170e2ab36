using Dialoog.Core.Engine;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Dialoog.Core.Calendar;

namespace Dialoog.Core.Processes;

/// <summary>
/// Calendar events kept by the organizer's mailbox (Microsoft Graph): one sync per session change with everyone
/// invited. With the iCalendar provider the activity does nothing; the .ics travels with each e-mail instead.
/// </summary>
internal sealed partial class DialogueInbox
{
    /// <summary>Every session still to come, e.g. after new participants were invited.</summary>
    private Task SyncCalendarsAsync() =>
        Task.WhenAll(state.Sessions.Where(s => s.State is SessionStates.Planned or SessionStates.Reminded).Select(s => SyncCalendarAsync(s)));

    /// <summary>
    /// Everyone invited is an attendee, also those who said no: taking them off would send them a cancellation that
    /// reads as if the session were called off, and their "no" stays visible to the organizer. Erased participants
    /// are taken off (AVG): the event must not keep their address. People without e-mail are no attendees: Exchange
    /// could not reach them.
    /// </summary>
    private async Task SyncCalendarAsync(SessionState session, string? comment = null)
    {
        var request = new SyncSessionCalendarRequest(
            state.ProcessId, state.MailProcess, DialogueState.Snapshot(session), state.Participants.Where(p => !p.Erased && p.HasEmail).Select(DialogueState.Recipient).ToList(), comment);
        try
        {
            await _saved.CallActivityAsync<string?>(nameof(SyncSessionCalendarActivity), request, MailRetry);
        }
        catch (TaskFailedException ex)
        {
            // Like a bounced e-mail: the process goes on, the coordinator sees what went wrong.
            state.Note(Now, $"De agenda-afspraak voor '{session.Title}' kon niet worden bijgewerkt: {ex.FailureDetails.ErrorMessage}");
        }
    }
}
