using Dialoog.Core.Engine;
using Dialoog.Core.Links;
using Dialoog.Core.Processes;
using Dialoog.Core.Processes.Definition;
using Dialoog.Web.Participant;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;

namespace Dialoog.Web.Pages.Link;

/// <summary>
/// The coordinator or escalation contact decides on an escalation: extend, invite more, go ahead or stop. The choice
/// from the e-mail's button (<c>?k=goAhead</c>) is ticked already; opening the page changes nothing, only the POST does.
/// </summary>
public sealed class DecisionModel(ParticipantLinks links, DurableTaskClient client) : LinkPageModel(links, client)
{
    protected override LinkPurpose Purpose => LinkPurpose.Decision;

    public ProcessStatus Status { get; private set; } = null!;

    public EscalationStatus Escalation { get; private set; } = null!;

    public string? Selected { get; private set; }

    public int MaxRemarkLength => LinkPages.MaxRemarkLength;

    public async Task<IActionResult> OnGetAsync(string token, string? k, CancellationToken cancellationToken)
    {
        if (await OpenRunningAsync(token, cancellationToken) is { } refused)
        {
            return refused;
        }

        var status = RunningStatus!;
        if (status.Escalations.FirstOrDefault(e => e.Id == Claims.Subject) is not { } escalation)
        {
            return Show(StatusCodes.Status404NotFound, "Decision_NoQuestion_Title", "Decision_NoQuestion_Body");
        }

        if (escalation.Decision is { } decision)
        {
            return Show(StatusCodes.Status200OK, "Decision_AlreadyChosen_Title", "Decision_AlreadyChosenBy_Body", null,
                ChoiceText(decision), escalation.DecidedBy ?? T("Decision_Unknown"));
        }

        Status = status;
        Escalation = escalation;
        Selected = DecisionChoices.All.Contains(k) ? k : null;
        Title = T("Decision_Title");
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string token, CancellationToken cancellationToken)
    {
        var (form, remark, refused) = await ReadRunningFormAsync(token, cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        var choice = form["keuze"].ToString();
        if (!DecisionChoices.All.Contains(choice))
        {
            return Show(StatusCodes.Status400BadRequest, "Decision_Choose_Title", "Decision_Choose_Body");
        }

        if (RunningStatus!.Escalations.FirstOrDefault(e => e.Id == Claims.Subject) is not { Decision: null })
        {
            return Show(StatusCodes.Status409Conflict, "Decision_AlreadyChosen_Title", "Decision_AlreadyChosen_Body");
        }

        await Client.SignalAsync(Claims.ProcessId,
            new DecisionSignal(Claims.Subject, choice, null, "link in e-mail", remark.Length == 0 ? null : remark), cancellationToken);
        return Show(StatusCodes.Status200OK, "Common_Thanks", "Decision_Thanks", "Decision_ThanksNext", ChoiceText(choice));
    }

    /// <summary>A choice in words: "Toch doorgaan".</summary>
    public string ChoiceText(string choice) =>
        DecisionChoices.All.Contains(choice) ? T("Decision_Choice_" + choice) : choice;
}
