using Microsoft.DurableTask;
using Dialoog.Core.Engine;
using Dialoog.Core.Links;
using Dialoog.Core.Processes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;

namespace Dialoog.Web.Participant;

/// <summary>
/// A page behind a personal link (<c>/l/{token}</c>): the route already holds a valid token for <see cref="Purpose"/>;
/// this reads its claims and the process it belongs to, and refuses a link made for an earlier process with the same id.
/// </summary>
public abstract class LinkPageModel(ParticipantLinks links, DurableTaskClient client) : ParticipantPageModel
{
    protected abstract LinkPurpose Purpose { get; }

    protected DurableTaskClient Client => client;

    protected LinkClaims Claims { get; private set; } = null!;

    /// <summary>The process the link belongs to, or null when it is gone.</summary>
    protected OrchestrationMetadata? Process { get; private set; }

    /// <summary>The running process's status, or null when it has ended or is gone.</summary>
    protected ProcessStatus? RunningStatus => Process is { } process && process.IsActive() ? process.ReadCustomStatusAs<ProcessStatus>() : null;

    /// <summary>Reads the link and checks the POST is this page's form; null when both are fine.</summary>
    protected async Task<IActionResult?> OpenForPostAsync(string token, CancellationToken cancellationToken) =>
        await OpenAsync(token, cancellationToken) ?? await RefuseForeignPostAsync();

    /// <summary>Reads the link; null when it is fine, otherwise the page that says it is not.</summary>
    protected async Task<IActionResult?> OpenAsync(string token, CancellationToken cancellationToken)
    {
        UseLanguage();
        if (links.TryRead(token, Purpose, out var claims) != LinkProblem.None || claims is null)
        {
            return Show(StatusCodes.Status400BadRequest, "Link_Invalid_Title", "Link_Invalid_Body");
        }

        Claims = claims;
        UseLanguage(claims.Language);
        Process = await client.GetInstanceAsync(claims.ProcessId, getInputsAndOutputs: true, cancellationToken);
        return LinkPages.IsFor(claims, Process) ? null : Show(StatusCodes.Status400BadRequest, "Link_Invalid_Title", "Link_Invalid_Body");
    }

    /// <summary>Reads the link and its process for a page with a form; null when the process runs and the form can show.</summary>
    protected async Task<IActionResult?> OpenRunningAsync(string token, CancellationToken cancellationToken)
    {
        if (await OpenAsync(token, cancellationToken) is { } refused)
        {
            return refused;
        }

        if (Process?.ReadCustomStatusAs<ProcessStatus>() is not { } status)
        {
            return Show(StatusCodes.Status404NotFound, "Common_ProcessGone_Title", "Common_ProcessGone_Body");
        }

        return RunningStatus is null ? Show(StatusCodes.Status200OK, status.Topic, Bold("Common_ProcessEnded_Body")) : null;
    }

    /// <summary>
    /// Reads this page's posted form for a running process, with its optional remark (trimmed); Refused is the answer
    /// instead when the link, the form, the process or the remark's length is wrong.
    /// </summary>
    protected async Task<(IFormCollection Form, string Remark, IActionResult? Refused)> ReadRunningFormAsync(string token, CancellationToken cancellationToken)
    {
        if (await OpenForPostAsync(token, cancellationToken) is { } refused)
        {
            return (FormCollection.Empty, "", refused);
        }

        var form = await Request.ReadFormAsync(cancellationToken);
        if (RunningStatus is null)
        {
            return (form, "", Show(StatusCodes.Status409Conflict, "Common_ProcessOver_Title", "Common_ProcessOver_Body"));
        }

        var remark = form["opmerking"].ToString().Trim();
        return remark.Length > LinkPages.MaxRemarkLength
            ? (form, remark, Show(StatusCodes.Status400BadRequest, T("Common_RemarkTooLong_Title"), Plain("Common_RemarkTooLong_Body", LinkPages.MaxRemarkLength)))
            : (form, remark, null);
    }
}
