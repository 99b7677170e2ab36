using Dialoog.Core.Engine;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Dialoog.Core.Processes;
using Dialoog.Core.Processes.Definition;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Dialoog.Web.Pages;

/// <summary>
/// The start form. Without JavaScript: "add a row" buttons post the form back with one more row; pasted lines and CSV
/// rows become participant rows; a failed check shows every error next to its field and in the summary (which takes
/// focus), and keeps everything typed. Starting goes the same way as <c>POST /api/processes</c>.
/// </summary>
[RequestFormLimits(MultipartBodyLengthLimit = MaxCsvBytes * 2)]
public sealed class IndexModel(ProcessTemplates templates, DurableTaskClient client, TimeProvider time) : PageModel
{
    private const int MaxCsvBytes = 512 * 1024;

    public StartForm Form { get; private set; } = new();

    public IReadOnlyDictionary<string, string[]> Errors { get; private set; } = ValidationErrors.None;

    public IReadOnlyList<TemplateSummary> Templates => templates.List();

    public void OnGet(string? sjabloon)
    {
        var draft = string.IsNullOrEmpty(sjabloon) ? null : templates.GetDraft(sjabloon);
        Form = StartForm.FromTemplate(sjabloon, draft, time.GetUtcNow().UtcDateTime);
    }

    public async Task<IActionResult> OnPostAsync(string? action, IFormFile? csv)
    {
        Form = StartForm.Read(Request.Form);
        var errors = new ValidationErrors();
        string? csvText = null;
        if (csv is { Length: > 0 })
        {
            if (csv.Length > MaxCsvBytes)
            {
                errors.Add("csv", "Het CSV-bestand is te groot (hoogstens 512 kB).");
            }
            else
            {
                using var reader = new StreamReader(csv.OpenReadStream());
                csvText = await reader.ReadToEndAsync(HttpContext.RequestAborted);
            }
        }

        Form.TakeParticipantLines(csvText, errors);
        switch (action)
        {
            case "addGroup":
                Form.Groups.Add(new StartForm.GroupRow());
                break;
            case "addParticipant":
                Form.Participants.Add(new StartForm.ParticipantRow());
                break;
            case "addSession":
                Form.Sessions.Add(new StartForm.SessionRow());
                break;
            case "start" when errors.IsEmpty:
                var overrides = Form.ToDefinition(User.DisplayName(), User.Email() ?? "", errors);
                if (errors.IsEmpty)
                {
                    var (definition, problems) = templates.Resolve(string.IsNullOrEmpty(Form.Template) ? null : Form.Template, overrides, time.GetUtcNow().UtcDateTime);
                    if (definition is not null && problems.Count == 0)
                    {
                        // Owned by the signed-in account itself, not by an address typed or claimed.
                        definition = definition with { CoordinatorAccount = User.EntraAccount() };
                        var id = await ProcessesApi.StartDefinitionAsync(client, definition, HttpContext.RequestAborted);
                        return Redirect($"/trajecten/{id}?gestart=1");
                    }

                    foreach (var (key, messages) in problems)
                    {
                        foreach (var message in messages)
                        {
                            errors.Add(FieldOf(key), message);
                        }
                    }
                }

                break;
        }

        Form.EnsureRows();
        Errors = errors.ToDictionary();
        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        return Page();
    }

    /// <summary>
    /// The form field for an error of the date shape: the date field carries the id of <c>sessions[i].start</c> (the
    /// validator's path), and the end time stands for <c>durationMinutes</c>.
    /// </summary>
    private static string FieldOf(string key) =>
        key.EndsWith("]." + DefinitionDraft.Date, StringComparison.Ordinal) ? key[..^DefinitionDraft.Date.Length] + "start"
        : key.EndsWith("]." + DefinitionDraft.DurationMinutes, StringComparison.Ordinal) ? key[..^DefinitionDraft.DurationMinutes.Length] + "end"
        : key;

    public string? Error(string key) => Errors.TryGetValue(key, out var messages) ? string.Join(" ", messages) : null;
}
