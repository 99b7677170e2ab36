using Dialoog.Core.Email;
using Dialoog.Core.Invitations;
using Microsoft.DurableTask;

namespace Dialoog.Core.Processes;

/// <summary>
/// People without e-mail hear about changes through the coordinator: a moved or cancelled session, a cancelled process
/// or new minutes become a notice on the call list ("Bellen: …", or a letter without a phone number) instead of an
/// e-mail. Only processes started with <see cref="DialogueProcessInput.CallNotices"/> schedule any of this.
/// </summary>
internal sealed partial class DialogueInbox
{
    /// <summary>Puts one notice per person on the call list and records it; schedules nothing for nobody.</summary>
    private Task NoticeAsync(IReadOnlyList<ParticipantState> people, Func<ParticipantState, CallNotice> notice)
    {
        if (people.Count == 0)
        {
            return Task.CompletedTask;
        }

        foreach (var participant in people)
        {
            DialogueState.AddNotice(participant, notice(participant));
        }

        return RecordAsync(people);
    }

    private static string OnCallList(int count) => count switch
    {
        0 => "",
        1 => " 1 deelnemer zonder e-mailadres hoort het via de bellijst.",
        _ => $" {count} deelnemers zonder e-mailadres horen het via de bellijst.",
    };

    private static string SessionMovedText(SessionState session)
    {
        var place = session.Location is { Length: > 0 } location ? $", {location}" : "";
        return $"De bijeenkomst '{session.Title}' is verplaatst naar {MailDates.Moment(session.StartUtc, MailWording.Dutch)}{place}.";
    }

    private static string SessionCancelledText(SessionState session, string? reason) =>
        $"De bijeenkomst '{session.Title}' van {MailDates.Moment(session.StartUtc, MailWording.Dutch)} gaat niet door."
        + (string.IsNullOrWhiteSpace(reason) ? "" : " Reden: " + reason);

    private string ProcessCancelledText(string? reason) =>
        $"Het traject '{state.Definition.Topic}' is geannuleerd. De bijeenkomsten gaan niet door."
        + (string.IsNullOrWhiteSpace(reason) ? "" : " Reden: " + reason);

    private static string MinutesText(SessionState session, bool correction) =>
        (correction ? $"Er is een verbeterd verslag van '{session.Title}'." : $"Het verslag van '{session.Title}' is er.")
        + " Vertel wat erin staat, of stuur het op.";

    /// <summary>
    /// The coordinator passed a notice on: it leaves the call list and the timeline says who did it and how.
    /// </summary>
    private async Task CallDoneAsync(CallDoneSignal done)
    {
        if (state.FindParticipant(done.ParticipantId) is not { } participant || participant.Notices.Find(n => n.Id == done.NoticeId) is not { } notice)
        {
            // Marked twice (a form sent twice), or replaced by a newer change meanwhile: nothing left to do.
            return;
        }

        participant.Notices.Remove(notice);
        var how = participant.Phone is null ? "een brief gestuurd" : "gebeld";
        state.Note(Now, $"{done.DoneBy} heeft {participant.Name} ({participant.Group}) {how}: {notice.Text}");
        await RecordAsync([participant]);
    }

    /// <summary>
    /// After the process stopped or ended: while notices are still to be passed on, it keeps running so the coordinator
    /// can mark them done (and an erasure still reaches it), at most until its links expire. Other signals change
    /// nothing any more: the API refuses them for a stopped process.
    /// </summary>
    public async Task AwaitOpenCallsAsync()
    {
        if (!state.CallNotices || !state.HasOpenCalls || state.LinksExpireUtc <= Now)
        {
            return;
        }

        CancelTimer();
        _timerCancellation = new CancellationTokenSource();
        _timer = context.CreateTimer(state.LinksExpireUtc, _timerCancellation.Token);
        while (state.HasOpenCalls)
        {
            Publish(state.LinksExpireUtc);
            _signal ??= context.WaitForExternalEvent<ProcessSignal>(ProcessSignal.EventName, _signalCancellation.Token);
            if (await Task.WhenAny(_signal, _timer) != _signal)
            {
                state.Note(Now, "De bellijst is niet helemaal afgewerkt; het traject stopt nu toch.");
                break;
            }

            var signal = await _signal;
            _signal = null;
            if (signal is CallDoneSignal or ErasePersonSignal)
            {
                await HandleAsync(signal);
            }
        }

        CancelTimer();
    }
}
