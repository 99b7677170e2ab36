using Dialoog.Core.Actions;
using Dialoog.Core.Links;
using Dialoog.Core.Processes.Definition;
using Dialoog.Web.Participant;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;

namespace Dialoog.Web.Pages.Link;

/// <summary>
/// An action's owner or an initiative's contact person reports progress: busy, done or stuck (stuck needs a reason).
/// The action is followed on its own, so this page outlives the session it came from.
/// </summary>
public sealed class ProgressModel(ParticipantLinks links, DurableTaskClient client, FollowUpDirectory followUps) : LinkPageModel(links, client)
{
    protected override LinkPurpose Purpose => LinkPurpose.FollowUp;

    public FollowUpRecord Item { get; private set; } = null!;

    public bool IsFinal => FollowUpStatus.IsFinal(Item.Status);

    public int MaxRemarkLength => LinkPages.MaxRemarkLength;

    public async Task<IActionResult> OnGetAsync(string token, CancellationToken cancellationToken)
    {
        if (await OpenAsync(token, cancellationToken) is { } refused)
        {
            return refused;
        }

        if (await followUps.FindAsync(Claims.ProcessId, Claims.Subject, cancellationToken) is not { } item)
        {
            return Show(StatusCodes.Status404NotFound, "Common_NotFound_Title", "Progress_NotFound_Body");
        }

        Item = item;
        Title = T(IsFinal ? "Progress_TitleDone" : "Progress_Title");
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string token, CancellationToken cancellationToken)
    {
        if (await OpenForPostAsync(token, cancellationToken) is { } refused)
        {
            return refused;
        }

        var form = await Request.ReadFormAsync(cancellationToken);
        var body = new ProgressBody(form["status"], form["opmerking"]);
        var errors = FollowUpEndpoints.Validate(body);
        if (errors.Count > 0)
        {
            return ShowList(StatusCodes.Status400BadRequest, "Progress_NotSent_Title", errors.SelectMany(e => e.Value), "Progress_NotSent_Body");
        }

        if (await FollowUpEndpoints.SendProgressAsync(Client, Claims, body, cancellationToken) is not null)
        {
            return Show(StatusCodes.Status409Conflict, "Progress_Closed_Title", "Progress_Closed_Body");
        }

        return Show(StatusCodes.Status200OK, "Common_Thanks", "Progress_Thanks", "Progress_ThanksNext", StatusText(body.Status!));
    }

    public string StatusLabel(string status) => T("Progress_Label_" + status);

    public string DueDate(DateTime utc) => T("Progress_DueDate", AmsterdamTime.FromUtc(utc));
}
