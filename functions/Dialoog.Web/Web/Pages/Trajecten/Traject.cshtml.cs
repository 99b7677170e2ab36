using System.Globalization;
using Dialoog.Core.Engine;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Dialoog.Core.Actions;
using Dialoog.Core.Hosting;
using Dialoog.Core.Invitations;
using Dialoog.Core.Letters;
using Dialoog.Core.Minutes;
using Dialoog.Core.Processes;
using Dialoog.Core.Processes.Definition;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Dialoog.Web.Pages.Trajecten;

/// <summary>
/// One process: timeline, replies per group, open decisions, participants, sessions, minutes, actions and initiatives.
/// Every button is a form posting here; the checks are the JSON API's. Someone else's process is a 404: it does not
/// even say that it exists.
/// </summary>
[RequestFormLimits(MultipartBodyLengthLimit = MinutesUploadReader.MaxRequestBytes)]
[RequestSizeLimit(MinutesUploadReader.MaxRequestBytes)]
public sealed class TrajectModel(
    DurableTaskClient client,
    ParticipantDirectory directory,
    FollowUpDirectory followUps,
    MinutesStore minutes,
    TimeProvider time,
    IOptions<AuthOptions> auth,
    IOptions<DialoogOptions> dialoog) : PageModel
{
    public string Id { get; private set; } = "";

    public OrchestrationMetadata Instance { get; private set; } = null!;

    public ProcessDefinition Definition { get; private set; } = null!;

    public ProcessStatus? Status { get; private set; }

    public IReadOnlyList<ParticipantRecord> Participants { get; private set; } = [];

    public IReadOnlyList<FollowUpRecord> Items { get; private set; } = [];

    /// <summary>Participants without e-mail who still need to be asked or reminded (the bellijst).</summary>
    public IReadOnlyList<CallListEntry> CallList { get; private set; } = [];

    /// <summary>
    /// Running and not yet cancelled, closed or completed: only then can anything change. A stopped process may still
    /// run while its call list has messages to pass on.
    /// </summary>
    public bool Open => Instance.IsActive() && Status?.Phase is not (Phases.Completed or Phases.Cancelled or Phases.Closed);

    /// <summary>The participant the "note an answer" form is opened for (from the call list's link).</summary>
    public string? RecordFor { get; private set; }

    public Dictionary<string, string[]> Errors { get; } = new(StringComparer.Ordinal);

    /// <summary>Which form the errors belong to, so only that one shows them.</summary>
    public string? ErrorForm { get; private set; }

    public string? Message { get; private set; }

    /// <summary>After an upload: the session whose minutes list agreements, to confirm in its "Afspraken toevoegen" form.</summary>
    public string? ProposedSession { get; private set; }

    /// <summary>Those agreements in the form's line format; nothing is added until the form is sent.</summary>
    public string? ProposedLines { get; private set; }

    public static readonly CultureInfo Dutch = CultureInfo.GetCultureInfo("nl-NL");

    public async Task<IActionResult> OnGetAsync(string id, string? bericht, int gestart = 0, string? noteer = null)
    {
        if (!await LoadAsync(id))
        {
            return NotFound();
        }

        RecordFor = Participants.Any(p => p.Id == noteer) ? noteer : null;

        Message = gestart == 1 ? "Het traject is gestart. De uitnodigingen gaan nu de deur uit." : bericht is null ? null : Messages.GetValueOrDefault(bericht);
        return Page();
    }

    /// <summary>
    /// The letter for residents as a PDF download (<c>?handler=Brief</c>, <c>&amp;taal=en</c> for English), with the
    /// sessions as they are now.
    /// </summary>
    public async Task<IActionResult> OnGetBriefAsync(string id, string? taal)
    {
        var (language, error) = InvitationLetter.LanguageFor(taal);
        if (language is null)
        {
            return BadRequest(error!);
        }

        if (!await LoadAsync(id))
        {
            return NotFound();
        }

        var definition = InvitationLetter.WithCurrentSessions(Definition, Status?.Sessions);
        var pdf = InvitationLetter.Create(id, definition, dialoog.Value.PublicBaseUrl, time.GetUtcNow().UtcDateTime, language);
        return File(pdf, InvitationLetter.ContentType, InvitationLetter.FileName(Definition.Topic, language));
    }

    public async Task<IActionResult> OnPostDecisionAsync(string id, string? escalationId, string? choice, string? note)
    {
        if (!await LoadAsync(id))
        {
            return NotFound();
        }

        if (!Open || Status?.Escalations.FirstOrDefault(e => e.Id == escalationId) is not { Decision: null })
        {
            return Fail("decision", "choice", "Voor deze vraag is al gekozen, of het traject loopt niet meer. Er is niets veranderd.");
        }

        if (choice is null || !DecisionChoices.All.Contains(choice))
        {
            return Fail("decision", "choice", "Kies wat er moet gebeuren.");
        }

        await client.SignalAsync(id, new DecisionSignal(escalationId!, choice, null, User.DisplayName(), string.IsNullOrWhiteSpace(note) ? null : note.Trim()), HttpContext.RequestAborted);
        return Done(id, "keuze");
    }

    public async Task<IActionResult> OnPostParticipantAsync(string id, string? name, string? email, string? group, string? phone, string? address)
    {
        if (!await LoadAsync(id))
        {
            return NotFound();
        }

        if (!Open)
        {
            return Fail("participant", "name", "Dit traject loopt niet meer.");
        }

        var added = ProcessDefinitionNormalizer.Reach(new ParticipantDefinition(name?.Trim() ?? "", email ?? "", group?.Trim() ?? "", Phone: phone, Address: address));
        var known = await ProcessesApi.WithKnownParticipantsAsync(Definition, id, directory, HttpContext.RequestAborted);
        var problems = ProcessDefinitionValidator.ValidateAddedParticipants(known, [added]);
        if (problems.Count > 0)
        {
            ErrorForm = "participant";
            foreach (var (key, messages) in problems)
            {
                Errors[key.Replace("participants[0].", "", StringComparison.Ordinal)] = messages;
            }

            return Invalid();
        }

        await client.SignalAsync(id, new AddParticipantsSignal([added]), HttpContext.RequestAborted);
        return Done(id, "deelnemer");
    }

    /// <summary>
    /// An answer the coordinator got by phone, at the door or at the counter: the API's checks, then the same signal a
    /// reply through the link gives, with the coordinator's name and the channel.
    /// </summary>
    public async Task<IActionResult> OnPostReplyAsync(string id, string? participantId, string? answer, string? channel, string? note)
    {
        if (!await LoadAsync(id))
        {
            return NotFound();
        }

        RecordFor = participantId;
        if (!Open)
        {
            return Fail("reply", "participantId", "Dit traject loopt niet meer. Er is niets opgeslagen.");
        }

        var body = new RecordReplyBody(answer, channel, note, null);
        var problems = ProcessesApi.ValidateRecordedReply(body);
        if (problems.Count > 0)
        {
            ErrorForm = "reply";
            foreach (var (key, messages) in problems)
            {
                Errors[key] = messages;
            }

            return Invalid();
        }

        var now = time.GetUtcNow().UtcDateTime;
        var (_, problem) = await ProcessesApi.ReplyTargetAsync(Instance, participantId ?? "", directory, now, HttpContext.RequestAborted);
        if (problem is not null)
        {
            return Fail("reply", "participantId", problem.ProblemDetails.Detail ?? "Dat kan niet.");
        }

        await client.SignalAsync(id, ProcessesApi.RecordedReply(participantId!, body, User.DisplayName(), now), HttpContext.RequestAborted);
        return Done(id, "antwoord");
    }

    /// <summary>A message on the call list was passed on (by phone or letter): it leaves the list, the timeline says who.</summary>
    public async Task<IActionResult> OnPostCallDoneAsync(string id, string? participantId, string? noticeId)
    {
        if (!await LoadAsync(id))
        {
            return NotFound();
        }

        if (CallListEndpoints.NoticeProblem(Instance, CallList, participantId, noticeId) is { } problem)
        {
            return Fail("call-done", "noticeId", problem.Detail);
        }

        await client.SignalAsync(id, new CallDoneSignal(participantId!, noticeId!, User.DisplayName()), HttpContext.RequestAborted);
        return Done(id, "doorgegeven");
    }

    public async Task<IActionResult> OnPostRescheduleAsync(string id, string? sessionId, string? date, string? start, string? end, string? location)
    {
        if (!await LoadAsync(id))
        {
            return NotFound();
        }

        if (SessionProblem(sessionId) is { } problem)
        {
            return Fail("reschedule-" + sessionId, "date", problem);
        }

        if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            || !TimeOnly.TryParse(start, CultureInfo.InvariantCulture, out var from) || !TimeOnly.TryParse(end, CultureInfo.InvariantCulture, out var until))
        {
            return Fail("reschedule-" + sessionId, "date", "Vul een datum, begintijd en eindtijd in.");
        }

        var body = new RescheduleBody(day.ToDateTime(from), day.ToDateTime(until), string.IsNullOrWhiteSpace(location) ? null : location.Trim(), null, null);
        var problems = ProcessesApi.ValidateReschedule(Definition, sessionId!, body, time.GetUtcNow().UtcDateTime);
        if (problems.Count > 0)
        {
            return Fail("reschedule-" + sessionId, "date", string.Join(" ", problems.SelectMany(p => p.Value)));
        }

        await client.SignalAsync(id, new RescheduleSessionSignal(sessionId!, body.Start, body.End, body.Location, null, null), HttpContext.RequestAborted);
        return Done(id, "verplaatst");
    }

    public async Task<IActionResult> OnPostCancelSessionAsync(string id, string? sessionId, string? reason)
    {
        if (!await LoadAsync(id))
        {
            return NotFound();
        }

        if (SessionProblem(sessionId) is { } problem)
        {
            return Fail("cancel-" + sessionId, "reason", problem);
        }

        await client.SignalAsync(id, new CancelSessionSignal(sessionId!, string.IsNullOrWhiteSpace(reason) ? null : reason.Trim()), HttpContext.RequestAborted);
        return Done(id, "geannuleerd");
    }

    public async Task<IActionResult> OnPostMinutesAsync(string id, string? sessionId, IFormFile? file, string? actions, string? uploadedBy)
    {
        if (!await LoadAsync(id))
        {
            return NotFound();
        }

        var form = "minutes-" + sessionId;
        if (await MinutesEndpoints.SessionProblemAsync(client, id, sessionId ?? "", time, HttpContext.RequestAborted) is { } problem)
        {
            return Fail(form, "file", problem.ProblemDetails.Detail ?? "Dat kan niet.");
        }

        var now = time.GetUtcNow().UtcDateTime;
        var (items, errors) = MinutesUploadReader.ReadActions(MinutesUploadReader.ActionLinesToJson(actions), now);
        if (errors.Count > 0 || file is not { Length: > 0 })
        {
            return Fail(form, "file", file is not { Length: > 0 } ? "Kies het bestand met het verslag." : string.Join(" ", errors.SelectMany(e => e.Value)));
        }

        // The link page's rule for the name, so a long or multi-line name is explained here too, not stored or a 500.
        var (name, nameErrors) = MinutesUploadReader.CheckUploadedBy(uploadedBy);
        if (nameErrors.Count > 0)
        {
            return Fail(form, "file", string.Join(" ", nameErrors));
        }

        await using var content = file.OpenReadStream();
        if (await BoundedRead.ReadAsync(content, MinutesContent.MaxBytes, HttpContext.RequestAborted) is not { } bytes)
        {
            return Fail(form, "file", MinutesContent.TooLarge);
        }

        var by = name ?? User.DisplayName();
        var (stored, saveErrors) = await MinutesEndpoints.AcceptAsync(client, minutes, id, sessionId!, file.FileName, bytes, items, by, now, HttpContext.RequestAborted);
        if (stored is null)
        {
            return Fail(form, "file", string.Join(" ", saveErrors.SelectMany(e => e.Value)));
        }

        // Agreements written in the file itself are proposed, not added: the coordinator confirms them in the form below.
        var proposed = items.Count == 0 ? MinutesAgreements.Propose(file.FileName, bytes) : [];
        if (proposed.Count == 0)
        {
            return Done(id, "verslag");
        }

        Message = Messages["verslag"];
        ProposedSession = sessionId;
        ProposedLines = string.Join("\n", proposed.Select(p => p.ToLine()));
        return Page();
    }

    public async Task<IActionResult> OnPostAddActionsAsync(string id, string? sessionId, string? actions)
    {
        if (!await LoadAsync(id))
        {
            return NotFound();
        }

        var form = "add-actions-" + sessionId;
        if (await MinutesEndpoints.HeldSessionProblemAsync(client, id, sessionId ?? "", HttpContext.RequestAborted) is { } problem)
        {
            return Fail(form, "actions", problem.ProblemDetails.Detail ?? "Dat kan niet.");
        }

        // The API's rules, so the page and the API refuse the same things with the same words.
        var (added, errors) = MinutesEndpoints.AddedActionsFrom(MinutesUploadReader.ActionLinesToJson(actions), User.DisplayName(), time.GetUtcNow().UtcDateTime);
        if (errors.Count > 0)
        {
            return Fail(form, "actions", string.Join(" ", errors.SelectMany(e => e.Value)));
        }

        await client.SignalAsync(id, new AddActionsSignal(sessionId!, added.Actions, added.AddedBy), HttpContext.RequestAborted);
        return Done(id, "afspraken");
    }

    public async Task<IActionResult> OnPostCloseItemAsync(string id, string? itemId, string? reason)
    {
        if (!await LoadAsync(id))
        {
            return NotFound();
        }

        var form = "close-" + itemId;
        if (ReasonProblem(reason) is { } tooLong)
        {
            return Fail(form, "reason", tooLong);
        }

        var (instanceId, problem) = await FollowUpEndpoints.ClosableAsync(client, followUps, id, itemId ?? "", HttpContext.RequestAborted);
        if (problem is not null)
        {
            return Fail(form, "reason", problem.ProblemDetails.Detail ?? "Dat kan niet.");
        }

        await client.SignalFollowUpAsync(instanceId!, new FollowUpClosing(User.DisplayName(), Trimmed(reason)), HttpContext.RequestAborted);
        return Done(id, "gesloten");
    }

    public async Task<IActionResult> OnPostCancelProcessAsync(string id, string? reason)
    {
        if (!await LoadAsync(id))
        {
            return NotFound();
        }

        if (ProcessProblem(reason, null) is { } problem)
        {
            return Fail("cancel-process", "reason", problem);
        }

        await client.SignalAsync(id, new CancelProcessSignal(Trimmed(reason)), HttpContext.RequestAborted);
        return Done(id, "traject-geannuleerd");
    }

    public async Task<IActionResult> OnPostCloseProcessAsync(string id, string? reason)
    {
        if (!await LoadAsync(id))
        {
            return NotFound();
        }

        if (ProcessProblem(reason, ProcessesApi.CloseProblem(Instance)?.ProblemDetails.Detail) is { } problem)
        {
            return Fail("close-process", "reason", problem);
        }

        await client.SignalAsync(id, new CloseProcessSignal(Trimmed(reason)), HttpContext.RequestAborted);
        return Done(id, "traject-gesloten");
    }

    public IEnumerable<string> ErrorsFor(string form, string field) =>
        ErrorForm == form && Errors.TryGetValue(field, out var messages) ? messages : [];

    private static readonly Dictionary<string, string> Messages = new(StringComparer.Ordinal)
    {
        ["keuze"] = "Uw keuze is doorgegeven. Het traject gaat verder.",
        ["deelnemer"] = "De deelnemer is toegevoegd en krijgt een uitnodiging. Zonder e-mailadres komt de deelnemer op de bellijst.",
        ["antwoord"] = "Het antwoord is genoteerd. Het telt mee zoals een antwoord via de link.",
        ["doorgegeven"] = "Het bericht is doorgegeven. Het gaat van de bellijst.",
        ["verplaatst"] = "De bijeenkomst is verplaatst. Iedereen krijgt de nieuwe agenda-uitnodiging.",
        ["geannuleerd"] = "De bijeenkomst is geannuleerd. Iedereen krijgt een afzegging.",
        ["verslag"] = "Het verslag is opgeslagen en gaat naar de deelnemers die er waren.",
        ["afspraken"] = "De afspraken zijn toegevoegd. Wie een afspraak doet, krijgt een e-mail met een link om door te geven hoe het gaat.",
        ["gesloten"] = "Gesloten. De eigenaar krijgt er geen herinneringen meer over.",
        ["traject-geannuleerd"] = "Het traject is geannuleerd. Iedereen met een uitnodiging krijgt bericht.",
        ["traject-gesloten"] = "Het traject is gesloten. Open afspraken zijn ook gesloten.",
    };

    private async Task<bool> LoadAsync(string id)
    {
        Id = id;
        var instance = await ProcessesApi.FindAsync(client, id, HttpContext.RequestAborted);
        var definition = instance?.ReadInputAs<DialogueProcessInput>()?.Definition;
        if (instance is null || definition is null || !User.CanSee(auth.Value, definition.CoordinatorAccount, definition.Coordinator.Email))
        {
            return false;
        }

        Instance = instance;
        Definition = definition;
        Status = instance.ReadCustomStatusAs<ProcessStatus>();
        Participants = await directory.ListAsync(id, HttpContext.RequestAborted);
        CallList = ProcessesApi.CallListOf(instance, Status, Participants, time.GetUtcNow().UtcDateTime);
        Items = await followUps.ListAsync(id, null, HttpContext.RequestAborted);
        return true;
    }

    private string? SessionProblem(string? sessionId)
    {
        if (!Open)
        {
            return "Dit traject loopt niet meer.";
        }

        return ProcessesApi.SessionProblem(Instance, sessionId ?? "") is { } problem ? problem.ProblemDetails.Detail : null;
    }

    /// <summary>Why the whole process cannot be cancelled or closed now: it has stopped, the reason is too long, or (closing) sessions are still planned.</summary>
    private string? ProcessProblem(string? reason, string? closeProblem) =>
        !Open ? "Dit traject loopt niet meer. Er is niets veranderd." : ReasonProblem(reason) ?? closeProblem;

    private static string? ReasonProblem(string? reason) =>
        reason?.Trim().Length > FollowUpEndpoints.MaxReasonLength ? $"De reden mag hoogstens {FollowUpEndpoints.MaxReasonLength} tekens hebben." : null;

    private static string? Trimmed(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private PageResult Fail(string form, string field, string message)
    {
        ErrorForm = form;
        Errors[field] = [message];
        return Invalid();
    }

    private PageResult Invalid()
    {
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    /// <summary>Post, redirect, get: a reload does not send the form twice.</summary>
    private RedirectResult Done(string id, string message) => Redirect($"/trajecten/{id}?bericht={message}");
}
