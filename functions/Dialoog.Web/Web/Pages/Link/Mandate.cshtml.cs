using System.Globalization;
using Dialoog.Core.Engine;
using Dialoog.Core.Links;
using Dialoog.Core.Processes;
using Dialoog.Core.Processes.Definition;
using Dialoog.Web.Participant;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Dialoog.Web.Pages.Link;

/// <summary>
/// An organisation's manager says whether its staff in the team may make agreements for it (the link's subject is the
/// group's index). Opening the page changes nothing; only the POST does.
/// </summary>
public sealed class MandateModel(ParticipantLinks links, DurableTaskClient client) : LinkPageModel(links, client)
{
    protected override LinkPurpose Purpose => LinkPurpose.Mandate;

    public ProcessStatus Status { get; private set; } = null!;

    public string GroupName { get; private set; } = "";

    public int MaxRemarkLength => LinkPages.MaxRemarkLength;

    /// <summary>The team in the lead: the topic in bold, then the area, each isolated for right-to-left pages.</summary>
    public HtmlString TeamText => new($"{Strong(Status.Topic).Value} (<bdi>{PageFrame.Encode(Status.Area)}</bdi>)");

    public async Task<IActionResult> OnGetAsync(string token, CancellationToken cancellationToken)
    {
        if (await OpenRunningAsync(token, cancellationToken) is { } refused)
        {
            return refused;
        }

        var groups = Process!.ReadInputAs<DialogueProcessInput>()?.Definition?.Groups;
        Status = RunningStatus!;
        GroupName = GroupIndex() is { } index && groups is not null && index < groups.Count ? groups[index].Name : T("Mandate_YourOrganisation");
        Title = T("Mandate_Title");
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string token, CancellationToken cancellationToken)
    {
        var (form, remark, refused) = await ReadRunningFormAsync(token, cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        var mandate = form["mandaat"].ToString();
        if (mandate is not ("ja" or "nee") || GroupIndex() is not { } group)
        {
            return Show(StatusCodes.Status400BadRequest, "Mandate_Choose_Title", "Mandate_Choose_Body");
        }

        await Client.SignalAsync(Claims.ProcessId, new MandateSignal(group, mandate == "ja", remark.Length == 0 ? null : remark), cancellationToken);
        return Show(StatusCodes.Status200OK, "Common_Thanks", "Mandate_Thanks");
    }

    private int? GroupIndex() =>
        int.TryParse(Claims.Subject, NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : null;
}
