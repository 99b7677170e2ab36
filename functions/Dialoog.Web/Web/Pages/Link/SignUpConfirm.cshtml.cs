using Dialoog.Core.Engine;
using Dialoog.Core.Invitations;
using Dialoog.Core.Links;
using Dialoog.Core.Processes;
using Dialoog.Web.Participant;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;

namespace Dialoog.Web.Pages.Link;

/// <summary>
/// The confirmation page of the sign-up e-mail's link: what they signed up with, and one button. Opening it changes
/// nothing; the button adds them to the process, once, however often it is pressed.
/// </summary>
public sealed class SignUpConfirmModel(ParticipantLinks links, DurableTaskClient client, SignUpIntake intake, TimeProvider time) : LinkPageModel(links, client)
{
    protected override LinkPurpose Purpose => LinkPurpose.SignUpConfirmation;

    public PendingSignUp Pending { get; private set; } = null!;

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

        UseLanguage(Claims.Language, pending.Participant.Language);
        Pending = pending;
        Title = T("SignUpConfirm_Title");
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string token, CancellationToken cancellationToken)
    {
        if (await OpenForPostAsync(token, cancellationToken) is { } refused)
        {
            return refused;
        }

        if (await SignUpPages.OpenProcessAsync(Client, Claims.ProcessId, cancellationToken) is null)
        {
            return Show(StatusCodes.Status409Conflict, "Common_ProcessOver_Title", "SignUpConfirm_Closed_Body");
        }

        if (await intake.TakeAsync(Claims.ProcessId, Claims.Subject, cancellationToken) is not { } pending)
        {
            return NotPending();
        }

        await Client.SignalAsync(Claims.ProcessId, new SignUpSignal(pending.Participant, pending.Answers, time.GetUtcNow().UtcDateTime), cancellationToken);
        return Show(StatusCodes.Status200OK, "SignUp_Phone_Title", "SignUpConfirm_Done_Body", "SignUpConfirm_Done_Next");
    }

    private IActionResult NotPending() => Show(StatusCodes.Status410Gone, "SignUpConfirm_Gone_Title", "SignUpConfirm_Gone_Body");
}
