using Dialoog.Core.Actions;
using Dialoog.Core.Processes;
using Dialoog.Core.Links;
using Dialoog.Web.Participant;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;

namespace Dialoog.Web.Pages.Link;

/// <summary>
/// Someone who submitted an initiative on the public form confirms their address: the initiative as submitted, and
/// one button. Opening it changes nothing; the button starts the initiative, once, however often it is pressed.
/// </summary>
public sealed class InitiativeConfirmModel(ParticipantLinks links, DurableTaskClient client, InitiativeIntake intake) : LinkPageModel(links, client)
{
    protected override LinkPurpose Purpose => LinkPurpose.InitiativeConfirmation;

    public PendingInitiative Pending { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string token, CancellationToken cancellationToken)
    {
        if (await OpenAsync(token, cancellationToken) is { } refused)
        {
            return refused;
        }

        if (await intake.FindAsync(Claims.ProcessId, Claims.Subject, cancellationToken) is not { } pending)
        {
            return NotPending();
        }

        Pending = pending;
        Title = T("InitiativeConfirm_Title");
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string token, CancellationToken cancellationToken)
    {
        if (await OpenForPostAsync(token, cancellationToken) is { } refused)
        {
            return refused;
        }

        if (await FollowUpEndpoints.RunningProcessAsync(Client, Claims.ProcessId, cancellationToken) is null)
        {
            return Show(StatusCodes.Status409Conflict, "Common_ProcessOver_Title", "InitiativeConfirm_Closed_Body");
        }

        if (await intake.TakeAsync(Claims.ProcessId, Claims.Subject, cancellationToken) is not { } pending)
        {
            return NotPending();
        }

        await Client.SignalAsync(Claims.ProcessId, FollowUpEndpoints.Submitted(pending), cancellationToken);
        return Show(StatusCodes.Status200OK, "Common_Thanks", "InitiativeConfirm_Done_Body", "InitiativeConfirm_Done_Next");
    }

    private IActionResult NotPending() => Show(StatusCodes.Status410Gone, "SignUpConfirm_Gone_Title", "InitiativeConfirm_Gone_Body");
}
