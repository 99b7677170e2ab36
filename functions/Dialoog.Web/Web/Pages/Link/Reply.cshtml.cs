using Dialoog.Core.Engine;
using Dialoog.Core.Invitations;
using Dialoog.Core.Links;
using Dialoog.Core.Processes;
using Dialoog.Core.Processes.Definition;
using Dialoog.Web.Participant;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;

namespace Dialoog.Web.Pages.Link;

/// <summary>
/// A participant's reply: yes, no or maybe, with a remark; the answer from the e-mail's button (<c>?k=yes</c>) is
/// ticked already. Opening it changes nothing (mail scanners open links too); only the form's POST does.
/// </summary>
public sealed class ReplyModel(ParticipantLinks links, DurableTaskClient client, ParticipantDirectory directory, TimeProvider time) : LinkPageModel(links, client)
{
    protected override LinkPurpose Purpose => LinkPurpose.Reply;

    public string Token { get; private set; } = "";

    public ProcessStatus Status { get; private set; } = null!;

    public ParticipantRecord? Participant { get; private set; }

    /// <summary>The ticked answer: the e-mail button's, otherwise the one given before.</summary>
    public string? Selected { get; private set; }

    public int MaxRemarkLength => LinkPages.MaxRemarkLength;

    public async Task<IActionResult> OnGetAsync(string token, string? k, CancellationToken cancellationToken)
    {
        Token = token;
        if (await OpenAsync(token, cancellationToken) is { } refused)
        {
            return refused;
        }

        Participant = await directory.FindAsync(Claims.ProcessId, Claims.Subject, cancellationToken);
        UseLanguage(Claims.Language, Participant?.Language);
        if (Process?.ReadCustomStatusAs<ProcessStatus>() is not { } status)
        {
            return Show(StatusCodes.Status404NotFound, "Common_ProcessGone_Title", "Common_ProcessGone_Body");
        }

        if (RunningStatus is null)
        {
            return Show(StatusCodes.Status200OK, status.Topic, Bold("Common_ProcessEnded_Body"));
        }

        Status = status;
        Selected = Answers.IsValid(k) ? k : Participant?.Answer;
        Title = T("Reply_Title");
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string token, CancellationToken cancellationToken)
    {
        Token = token;
        if (await OpenForPostAsync(token, cancellationToken) is { } refused)
        {
            return refused;
        }

        var form = await Request.ReadFormAsync(cancellationToken);
        if (RunningStatus is not { } status)
        {
            return Show(StatusCodes.Status409Conflict, "Common_ProcessOver_Title", "Common_ProcessOver_Body");
        }

        var remark = form["opmerking"].ToString().Trim();
        if (remark.Length > MaxRemarkLength)
        {
            return Show(StatusCodes.Status400BadRequest, T("Common_RemarkTooLong_Title"), Plain("Common_RemarkTooLong_Body", MaxRemarkLength));
        }

        var answer = form["antwoord"].ToString();
        if (!Answers.IsValid(answer))
        {
            return Show(StatusCodes.Status400BadRequest, "Reply_ChooseAnswer_Title", "Reply_ChooseAnswer_Body");
        }

        var now = time.GetUtcNow().UtcDateTime;
        await Client.SignalAsync(Claims.ProcessId, new ReplySignal(Claims.Subject, answer, remark.Length == 0 ? null : remark, now), cancellationToken);
        var late = status.ReplyDeadlineUtc is { } deadline && now > deadline && status.Phase != Phases.CollectingReplies;
        return late
            ? Show(StatusCodes.Status200OK, T("Common_Thanks"), Plain("Reply_ThanksLate"))
            : Show(StatusCodes.Status200OK, T("Common_Thanks"), Bold("Reply_Thanks", AnswerText(answer)), T("Reply_ThanksNext"));
    }

    /// <summary>The answer as a sentence part: "ja, ik kom".</summary>
    public string AnswerText(string answer) => T(answer switch
    {
        Answers.Yes => "Answer_Yes",
        Answers.No => "Answer_No",
        _ => "Answer_Maybe",
    });

    /// <summary>The answer as a choice: "Ja, ik kom".</summary>
    public string AnswerLabel(string answer) => T(answer switch
    {
        Answers.Yes => "Answer_Yes_Label",
        Answers.No => "Answer_No_Label",
        _ => "Answer_Maybe_Label",
    });

    /// <summary>Until when the answer can change, in Amsterdam time, when the process has a reply deadline.</summary>
    public string NextStep => Status.ReplyDeadlineUtc is { } due ? T("Reply_NextDeadline", AmsterdamTime.FromUtc(due)) : T("Reply_Next");
}
