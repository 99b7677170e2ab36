using Dialoog.Core.Invitations;
using Dialoog.Core.Processes.Definition;
using Dialoog.Web.Participant;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.DurableTask.Client;

namespace Dialoog.Web.Pages.SignUp;

/// <summary>
/// The public sign-up page of a process (<c>/meedoen/{processId}</c>): name, group, e-mail address or phone number,
/// the language they want, and the process's sign-up questions. Bad input shows every error next to its field and
/// keeps what was typed; nothing is stored then.
/// </summary>
[EnableRateLimiting(FollowUpEndpoints.PublicRateLimit)]
public sealed class IndexModel(DurableTaskClient client) : ParticipantPageModel, IFormPage
{
    public ProcessDefinition Definition { get; private set; } = null!;

    public SignUpBody Body { get; private set; } = new(null, null, null, null, null);

    public IReadOnlyDictionary<string, string[]> Errors { get; private set; } = new Dictionary<string, string[]>();

    public async Task<IActionResult> OnGetAsync(string processId, CancellationToken cancellationToken)
    {
        UseLanguage();
        if (await SignUpPages.OpenProcessAsync(client, processId, cancellationToken) is not { } process)
        {
            return NotOpen();
        }

        return Form(process.Definition, Body with { Language = Language }, Errors);
    }

    public async Task<IActionResult> OnPostAsync(string processId, CancellationToken cancellationToken)
    {
        UseLanguage();
        if (await SignUpPages.OpenProcessAsync(client, processId, cancellationToken) is not { } process)
        {
            return NotOpen();
        }

        if (await RefuseForeignPostAsync() is { } foreign)
        {
            return foreign;
        }

        var form = await Request.ReadFormAsync(cancellationToken);
        UseLanguage(form[ParticipantLanguage.QueryKey].ToString());
        var answers = (process.Definition.SignUp!.Questions ?? [])
            .Select(q => new SignUpAnswer(q.Id, [.. form["answers." + q.Id].Where(v => v is not null).Select(v => v!)], form["answers." + q.Id + ".text"].ToString()))
            .ToList();
        var body = new SignUpBody(form["name"], form["group"], form["email"], form["phone"], answers, form[ParticipantLanguage.QueryKey]);
        var (problems, accepted) = await SignUpPages.TakeInAsync(HttpContext, process, processId, body, cancellationToken);
        if (problems is not null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Form(process.Definition, body, problems);
        }

        return accepted!.Status == "signedUp"
            ? Show(StatusCodes.Status200OK, "SignUp_Phone_Title", "SignUp_Phone_Body", "SignUp_Phone_Next")
            : Show(StatusCodes.Status200OK, "SignUp_MailSent_Title", "SignUp_MailSent_Body", "SignUp_MailSent_Next");
    }

    /// <summary>The answer given to a question so far, if any.</summary>
    public SignUpAnswer? AnswerTo(SignUpQuestion question) => Body.Answers?.FirstOrDefault(a => a.QuestionId == question.Id);

    public string? Error(string key) => Errors.TryGetValue(key, out var messages) ? string.Join(" ", messages) : null;

    private PageResult Form(ProcessDefinition definition, SignUpBody body, IReadOnlyDictionary<string, string[]> errors)
    {
        Definition = definition;
        Body = body;
        Errors = errors;
        Title = T("SignUp_Title");
        return Page();
    }

    private IActionResult NotOpen() => Show(StatusCodes.Status404NotFound, "SignUp_NotOpen_Title", "SignUp_NotOpen_Body");
}
