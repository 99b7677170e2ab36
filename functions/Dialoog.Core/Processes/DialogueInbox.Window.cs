using Dialoog.Core.Email;
using Dialoog.Core.Processes.Definition;

namespace Dialoog.Core.Processes;

/// <summary>
/// The follow-up window after the last minutes (issue 20, item 7): the process stays open for
/// <see cref="ProcessPolicy.FollowUpWindow"/>, so a corrected version, agreements added a day later and late initiatives
/// still land. Only processes started with <see cref="DialogueProcessInput.OpenAfterMinutes"/> open a window.
/// </summary>
internal sealed partial class DialogueInbox
{
    /// <summary>After every signal: when it brought the last minutes in, the window starts now.</summary>
    private void OpenWindowIfDue()
    {
        if (state.OpenWindowIfDue(Now))
        {
            state.Note(Now, $"Tot en met {WindowEndText(state.WindowEndsUtc!.Value)} kan er nog een nieuwe versie van het verslag of een afspraak bij.");
        }
    }

    /// <summary>The window's timer fired: from now on the process ends as soon as every agreement is done or closed.</summary>
    public void CloseWindow()
    {
        state.WindowClosed = true;
        state.Note(Now, "De tijd om het verslag aan te vullen is voorbij.");
    }

    /// <summary>The moment the window ends as the e-mails write a moment: "dinsdag 17 maart 2026, 10.00 uur".</summary>
    public static string WindowEndText(DateTime utc) => MailDates.Moment(utc, MailWording.Dutch);

    /// <summary>Agreements added after the minutes, without a new version: only the new owners hear of it.</summary>
    private async Task AddActionsAsync(AddActionsSignal add)
    {
        if (state.FindSession(add.SessionId) is not { State: SessionStates.Held } session)
        {
            return;
        }

        var newActions = NewActions(add.Actions);
        if (newActions.Count == 0)
        {
            return;
        }

        await Task.WhenAll(StartActions(newActions, session.Id));
        state.Note(Now, $"{add.AddedBy} heeft bij '{session.Title}' "
            + (newActions.Count == 1 ? $"een afspraak toegevoegd: '{newActions[0].Title}'." : $"{newActions.Count} afspraken toegevoegd."));
    }
}
