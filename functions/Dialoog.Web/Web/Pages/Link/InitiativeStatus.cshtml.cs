using Dialoog.Core.Actions;
using Dialoog.Core.Links;
using Dialoog.Core.Processes.Definition;
using Dialoog.Web.Participant;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;

namespace Dialoog.Web.Pages.Link;

/// <summary>How an initiative is going, for whoever submitted it, in plain words; no names other than the contact person's.</summary>
public sealed class InitiativeStatusModel(ParticipantLinks links, DurableTaskClient client, FollowUpDirectory followUps) : LinkPageModel(links, client)
{
    protected override LinkPurpose Purpose => LinkPurpose.InitiativeStatus;

    public FollowUpRecord Item { get; private set; } = null!;

    public DateTime LastUpdate => AmsterdamTime.FromUtc(Item.LastUpdateUtc);

    public async Task<IActionResult> OnGetAsync(string token, CancellationToken cancellationToken)
    {
        if (await OpenAsync(token, cancellationToken) is { } refused)
        {
            return refused;
        }

        if (await followUps.FindAsync(Claims.ProcessId, Claims.Subject, cancellationToken) is not { Kind: FollowUpKinds.Initiative } item)
        {
            return Show(StatusCodes.Status404NotFound, "Common_NotFound_Title", "InitiativeStatus_NotFound_Body");
        }

        Item = item;
        Title = T("InitiativeStatus_Title");
        return Page();
    }

    /// <summary>Nothing to send here; a POST changes nothing and says so.</summary>
    public async Task<IActionResult> OnPostAsync(string token, CancellationToken cancellationToken) =>
        await OpenForPostAsync(token, cancellationToken) ?? Show(StatusCodes.Status405MethodNotAllowed, "Common_WrongRequest_Title", "Common_NothingToSend_Body");
}
