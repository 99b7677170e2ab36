using System.Text.Json.Nodes;
using Dialoog.Core.Engine;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Dialoog.Web.Api;
using Dialoog.Core.Hosting;
using Dialoog.Core.Invitations;
using Dialoog.Core.Letters;
using Dialoog.Core.Links;
using Dialoog.Core.Processes.Definition;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

using Dialoog.Core.Processes;

namespace Dialoog.Web.Api;

public sealed record StartProcessBody(string? Template, JsonObject? Definition);

public sealed record StartedProcess(string Id, string StatusUrl);

public sealed record ProcessDetails(
    string Id,
    string RuntimeStatus,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastUpdatedAt,
    ProcessStatus? Status,
    string? Failure,
    IReadOnlyList<ParticipantRecord> Participants,
    IReadOnlyList<CallListEntry> CallList);

/// <summary>The call list (bellijst) of a process: who still needs to be asked or reminded by phone or at the door.</summary>
public sealed record ProcessCallList(string Id, IReadOnlyList<CallListEntry> Entries);

public sealed record ProcessSummary(string Id, string RuntimeStatus, DateTimeOffset CreatedAt, ProcessStatus? Status);

public sealed record ProcessList(IReadOnlyList<ProcessSummary> Processes, string? ContinuationToken);

public sealed record DecisionBody(string EscalationId, string Choice, TimeSpan? ExtendBy, string? Note);

public sealed record AddParticipantsBody(IReadOnlyList<ParticipantDefinition> Participants);

public sealed record RescheduleBody(DateTime Start, DateTime End, string? Location, string? OnlineLink, string? Note);

public sealed record ReasonBody(string? Reason);

/// <summary>An answer the coordinator notes for a participant (by phone, at the door, at the counter).</summary>
/// <param name="Answer"><c>yes</c>, <c>no</c> or <c>maybe</c>: for the whole process, like a reply through the link.</param>
/// <param name="Channel">One of <see cref="ReplyChannels"/>: <c>phone</c>, <c>door</c>, <c>counter</c>, <c>post</c>, <c>other</c>.</param>
/// <param name="Note">The participant's remark, or the coordinator's note about the answer.</param>
/// <param name="RecordedBy">Who noted it, for the timeline; default the process's coordinator.</param>
public sealed record RecordReplyBody(string? Answer, string? Channel, string? Note, string? RecordedBy);

/// <summary>The coordinator's JSON API for dialogue processes. Every change is a signal to the running process.</summary>
public static class ProcessesApi
{
    private const int MaxReasonLength = 1000;

    public static IServiceCollection AddProcessesApi(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            // The framework's own refusals (before our code runs) explain themselves in Dutch too.
            switch (context.ProblemDetails.Status)
            {
                case StatusCodes.Status415UnsupportedMediaType:
                    context.ProblemDetails.Title = "Verkeerd soort gegevens";
                    context.ProblemDetails.Detail = "Stuur de gegevens als JSON (Content-Type: application/json). Er is niets opgeslagen en niets verstuurd.";
                    break;
                case StatusCodes.Status413PayloadTooLarge:
                    context.ProblemDetails.Title = "Te groot";
                    context.ProblemDetails.Detail = "Het verzoek is te groot. Er is niets opgeslagen en niets verstuurd.";
                    break;
            }
        });
        services.AddOpenApi();
        return services;
    }

    /// <summary>The ways a session's time may be written; the form, the templates and the API take the same ones.</summary>
    internal const string SessionShapes =
        "Een bijeenkomst geeft haar tijd op één van deze manieren (alle tijden in Amsterdam, zomer- en wintertijd gaan vanzelf goed):\n"
        + "- Datum en begintijd: \"date\": \"2027-03-15\", \"startTime\": \"19:30\", \"durationMinutes\": 120. Zo doet het startformulier het ook.\n"
        + "- Begin en eind: \"start\": \"2027-03-15T19:30\", \"end\": \"2027-03-15T21:30\" (of met tijdzone, zoals 02:30+02:00).\n"
        + "- Dagen na vandaag (zo staan de sjablonen): \"offsetDays\": 21, \"startTime\": \"19:30\", \"durationMinutes\": 120.\n"
        + "- Voor een demo: \"startsIn\": \"PT10M\", \"durationMinutes\": 30.\n"
        + "Een datum die niet bestaat of al voorbij is, en een tijd die op de nacht van de klokwisseling niet of twee keer bestaat, "
        + "geven een fout bij dat veld (sessions[0].date of sessions[0].startTime). "
        + "Het eind is durationMinutes echte minuten na het begin, ook in de nacht dat de klok verspringt.";

    public static IEndpointRouteBuilder MapProcessesApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api").AddEndpointFilter<CoordinatorApiKeyFilter>().WithTags("Dialoogtrajecten");
        api.MapGet("/templates", (ProcessTemplates templates) => TypedResults.Ok(templates.List()))
            .WithSummary("De sjablonen waarmee een traject kan starten.");
        api.MapPost("/processes", StartAsync)
            .WithSummary("Start een dialoogtraject vanuit een definitie, of een sjabloon met aanvullingen.")
            .WithDescription(SessionShapes)
            .Accepts<StartProcessBody>("application/json");
        api.MapGet("/processes", ListAsync).WithSummary("Alle trajecten, te filteren op fase en zoektekst.");
        api.MapGet("/processes/{id}", GetAsync).WithSummary("Eén traject: status, aantallen per groep, tijdlijn en deelnemers.");
        api.MapGet("/processes/{id}/letter.pdf", LetterAsync)
            .WithSummary("De brief voor bewoners om te printen (PDF): onderwerp, bijeenkomsten, QR-code om aan te melden en contact. ?taal=en geeft de brief in het Engels; zonder taal is hij Nederlands.")
            .Produces<Stream>(StatusCodes.Status200OK, InvitationLetter.ContentType)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/processes/{id}/decisions", DecideAsync).WithSummary("Een keuze van de coördinator bij een escalatie.")
            .Accepts<DecisionBody>("application/json");
        api.MapPost("/processes/{id}/participants", AddParticipantsAsync).WithSummary("Extra deelnemers uitnodigen.")
            .Accepts<AddParticipantsBody>("application/json");
        api.MapGet("/processes/{id}/call-list", CallListAsync)
            .WithSummary("De bellijst: deelnemers zonder e-mail die nog gevraagd of herinnerd moeten worden, met telefoonnummer of postadres.");
        api.MapPost("/processes/{id}/participants/{participantId}/reply", RecordReplyAsync)
            .WithSummary("Een antwoord noteren voor een deelnemer (telefoon, aan de deur, aan de balie). Het telt als een antwoord via de link.")
            .Accepts<RecordReplyBody>("application/json");
        api.MapPost("/processes/{id}/sessions/{sessionId}/reschedule", RescheduleAsync).WithSummary("Een bijeenkomst verplaatsen; iedereen krijgt de nieuwe agenda-uitnodiging.")
            .Accepts<RescheduleBody>("application/json");
        api.MapPost("/processes/{id}/sessions/{sessionId}/cancel", CancelSessionAsync).WithSummary("Een bijeenkomst annuleren.")
            .Accepts<ReasonBody>("application/json");
        api.MapPost("/processes/{id}/cancel", CancelAsync).WithSummary("Het hele traject annuleren.").Accepts<ReasonBody>("application/json");
        api.MapPost("/processes/{id}/close", CloseAsync).WithSummary("Het traject sluiten na de laatste bijeenkomst.").Accepts<ReasonBody>("application/json");
        api.MapCallListEndpoints();
        return routes;
    }

    private static async Task<Results<Accepted<StartedProcess>, ValidationProblem, ProblemHttpResult>> StartAsync(
        HttpRequest request, ProcessTemplates templates, DurableTaskClient client, IdempotencyKeys keys, TimeProvider time)
    {
        var key = request.Headers[IdempotencyKeyHeader].ToString();
        if (key.Length > 0 && !IsIdempotencyKey(key))
        {
            return Problems.Invalid(new Dictionary<string, string[]>
            {
                [IdempotencyKeyHeader] = [$"De {IdempotencyKeyHeader} mag alleen letters, cijfers, '-', '_' en '.' bevatten, en is 1 tot {MaxIdempotencyKeyLength} tekens lang."],
            });
        }

        var (body, errors) = await JsonBody.ReadAsync<StartProcessBody>(request, DefinitionJson.Options);
        if (body is null)
        {
            return Problems.Invalid(errors);
        }

        var (definition, problems) = templates.Resolve(body.Template, body.Definition, time.GetUtcNow().UtcDateTime);
        if (definition is null || problems.Count > 0)
        {
            return Problems.Invalid(problems);
        }

        var aborted = request.HttpContext.RequestAborted;
        string id;
        if (key.Length > 0)
        {
            // The key's process within its window (a retry), else a new one; never the id of a purged one.
            if (await keys.StartOnceAsync(key, (newId, ct) => StartDefinitionAsync(client, definition, ct, newId), aborted) is not { } keyed)
            {
                return TypedResults.Problem(
                    title: "Sleutel al gebruikt",
                    detail: $"Deze {IdempotencyKeyHeader} is al gebruikt voor een traject dat inmiddels is verwijderd; gebruik een nieuwe sleutel. Er is niets gestart en niets verstuurd.",
                    statusCode: StatusCodes.Status410Gone);
            }

            id = keyed;
        }
        else
        {
            id = await StartDefinitionAsync(client, definition, aborted);
        }

        var url = $"/api/processes/{id}";
        return TypedResults.Accepted(url, new StartedProcess(id, url));
    }

    /// <summary>Starts a checked definition as a new process (the API and the web form both end here).</summary>
    /// <param name="id">The id chosen for it (an Idempotency-Key's process); a new random one by default.</param>
    internal static async Task<string> StartDefinitionAsync(DurableTaskClient client, ProcessDefinition definition, CancellationToken cancellationToken, string? id = null)
    {
        // StartOnce: a repeated start of one id (a retry of the same key) never starts a second process.
        id ??= ProcessIds.New();
        await client.StartOnceAsync(nameof(DialogueProcessOrchestrator), new DialogueProcessInput(definition, Nonce: ProcessNonce.New(), CallNotices: true, OpenAfterMinutes: true), id, cancellationToken);
        return id;
    }

    /// <summary>Every process id starts with this (and so do its follow-ups' ids, which add their item id).</summary>
    public const string InstanceIdPrefix = ProcessIds.Prefix;

    /// <summary>
    /// Header on <c>POST /api/processes</c> that makes a repeated submission return the first one's process, for
    /// <see cref="IdempotencyOptions.Window"/> after the key's first use (<see cref="IdempotencyKeys"/>).
    /// </summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    private const int MaxIdempotencyKeyLength = 100;

    private static bool IsIdempotencyKey(string key) =>
        key.Length <= MaxIdempotencyKeyLength && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>Everyone invited so far: the definition's people plus those added since (the directory has them all).</summary>
    internal static async Task<ProcessDefinition> WithKnownParticipantsAsync(ProcessDefinition definition, string id, ParticipantDirectory directory, CancellationToken cancellationToken)
    {
        var known = (await directory.ListAsync(id, cancellationToken))
            .Select(p => new ParticipantDefinition(p.Name, p.Email, p.Group, p.Language, p.Phone, p.Address))
            .UnionBy(definition.Participants, KnownBy)
            .ToList();
        return definition with { Participants = known };
    }

    /// <summary>One person once: by e-mail address, else by phone number, else by name and postal address.</summary>
    private static string KnownBy(ParticipantDefinition p) =>
        !string.IsNullOrEmpty(p.Email) ? "mail:" + p.Email.ToUpperInvariant()
        : !string.IsNullOrWhiteSpace(p.Phone) ? DefinitionRules.PhoneKey(p.Phone)
        : "post:" + p.Name.ToUpperInvariant() + "|" + p.Address?.Trim().ToUpperInvariant();

    /// <summary>The checks of an answer the coordinator notes for someone (the API and the process page both use them).</summary>
    internal static Dictionary<string, string[]> ValidateRecordedReply(RecordReplyBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var errors = new ValidationErrors();
        if (!Answers.IsValid(body.Answer))
        {
            errors.Add("answer", "Kies het antwoord: yes (ja), no (nee) of maybe (misschien). Het geldt voor alle bijeenkomsten van het traject.");
        }

        if (!ReplyChannels.IsValid(body.Channel))
        {
            errors.Add("channel", "Kies hoe u het antwoord kreeg: phone (telefoon), door (aan de deur), counter (aan de balie), post (per post) of other (anders).");
        }

        DefinitionRules.OptionalText(errors, "note", body.Note, MaxReasonLength, "de notitie");
        DefinitionRules.OptionalLine(errors, "recordedBy", body.RecordedBy, DefinitionLimits.NameLength, "de naam van wie het antwoord noteert");
        return new Dictionary<string, string[]>(errors.ToDictionary());
    }

    /// <summary>
    /// The participant an answer is noted for, or why that cannot be now: unknown (404), erased, the process not yet
    /// started or stopped, or their reply period over (409). The last one on purpose: an answer noted after it would
    /// not count, and the coordinator should know that rather than see it quietly set aside.
    /// </summary>
    internal static async Task<(ParticipantRecord? Participant, ProblemHttpResult? Problem)> ReplyTargetAsync(
        OrchestrationMetadata instance, string participantId, ParticipantDirectory directory, DateTime nowUtc, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var participant = IsParticipantId(participantId) ? await directory.FindAsync(instance.InstanceId, participantId, cancellationToken) : null;
        if (participant is null)
        {
            return (null, TypedResults.Problem(title: "Deelnemer niet gevonden", detail: $"Dit traject heeft geen deelnemer '{participantId}'.", statusCode: StatusCodes.Status404NotFound));
        }

        var status = instance.ReadCustomStatusAs<ProcessStatus>();
        string? conflict = null;
        if (participant.Email == DialogueState.ErasedEmail(participant.Id))
        {
            conflict = "Deze deelnemer is op eigen verzoek gewist. Er kan geen antwoord meer bij.";
        }
        else if (status is null)
        {
            conflict = "Het traject wordt nog gestart. Probeer het over een paar seconden opnieuw.";
        }
        else if (status.Phase is Phases.Completed or Phases.Cancelled or Phases.Closed)
        {
            conflict = "Dit traject loopt niet meer; er kan niets meer aan veranderen.";
        }
        else if (CallList.ReplyOpenUntil(status, participant.InvitedUtc) is { } until && nowUtc > until)
        {
            conflict = $"Reageren kon tot {AmsterdamTime.FromUtc(until).ToString("d MMMM yyyy, HH.mm", System.Globalization.CultureInfo.GetCultureInfo("nl-NL"))} uur. "
                + "Een antwoord dat nu binnenkomt, telt niet meer mee. Er is niets opgeslagen.";
        }

        return conflict is null
            ? (participant, null)
            : (participant, TypedResults.Problem(title: "Antwoord kan niet meer", detail: conflict, statusCode: StatusCodes.Status409Conflict));
    }

    private static bool IsParticipantId(string? id) =>
        id is { Length: >= 2 and <= 8 } && id[0] == 'p' && id.AsSpan(1).IndexOfAnyExceptInRange('0', '9') < 0;

    /// <summary>The checks of a reschedule beyond the definition's own rules.</summary>
    internal static Dictionary<string, string[]> ValidateReschedule(ProcessDefinition definition, string sessionId, RescheduleBody body, DateTime nowUtc)
    {
        var problems = new Dictionary<string, string[]>(ProcessDefinitionValidator.ValidateReschedule(definition, sessionId, body.Start, body.End, nowUtc));
        if (body.OnlineLink is { } link && !(Uri.TryCreate(link, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"))
        {
            problems["onlineLink"] = ["De online link moet een volledig webadres zijn dat begint met https://."];
        }

        if (body.Location?.Length > 300)
        {
            problems["location"] = ["De plaats mag maximaal 300 tekens hebben."];
        }

        if (body.Note?.Length > MaxReasonLength)
        {
            problems["note"] = [$"De toelichting mag maximaal {MaxReasonLength} tekens hebben."];
        }

        return problems;
    }

    private static async Task<Ok<ProcessList>> ListAsync(DurableTaskClient client, string? phase, string? search, string? continuationToken, CancellationToken cancellationToken)
    {
        var page = await client.QueryPageAsync(InstanceIdPrefix, continuationToken, cancellationToken: cancellationToken);
        var list = page.Instances
            .Where(i => i.Name == nameof(DialogueProcessOrchestrator))
            .Select(i => new ProcessSummary(i.InstanceId, i.RuntimeStatus.ToString(), i.CreatedAt, i.ReadCustomStatusAs<ProcessStatus>()))
            .Where(p => string.IsNullOrEmpty(phase) || string.Equals(p.Status?.Phase, phase, StringComparison.OrdinalIgnoreCase))
            .Where(p => string.IsNullOrWhiteSpace(search)
                || (p.Status?.Topic.Contains(search, StringComparison.OrdinalIgnoreCase) ?? false)
                || (p.Status?.Area.Contains(search, StringComparison.OrdinalIgnoreCase) ?? false))
            .OrderByDescending(p => p.CreatedAt)
            .ToList();
        return TypedResults.Ok(new ProcessList(list, page.ContinuationToken));
    }

    private static async Task<Results<Ok<ProcessDetails>, ProblemHttpResult>> GetAsync(
        string id, DurableTaskClient client, ParticipantDirectory directory, TimeProvider time, CancellationToken cancellationToken)
    {
        var instance = await FindAsync(client, id, cancellationToken);
        if (instance is null)
        {
            return NotFound(id);
        }

        var participants = await directory.ListAsync(id, cancellationToken);
        var status = instance.ReadCustomStatusAs<ProcessStatus>();
        return TypedResults.Ok(new ProcessDetails(
            instance.InstanceId,
            instance.RuntimeStatus.ToString(),
            instance.CreatedAt,
            instance.LastUpdatedAt,
            status,
            instance.FailureDetails?.ToString(),
            participants,
            CallListOf(instance, status, participants, time.GetUtcNow().UtcDateTime)));
    }

    private static async Task<Results<Ok<ProcessCallList>, ProblemHttpResult>> CallListAsync(
        string id, DurableTaskClient client, ParticipantDirectory directory, TimeProvider time, CancellationToken cancellationToken)
    {
        var instance = await FindAsync(client, id, cancellationToken);
        if (instance is null)
        {
            return NotFound(id);
        }

        var participants = await directory.ListAsync(id, cancellationToken);
        return TypedResults.Ok(new ProcessCallList(id, CallListOf(instance, instance.ReadCustomStatusAs<ProcessStatus>(), participants, time.GetUtcNow().UtcDateTime)));
    }

    /// <summary>The call list of a process; empty once it no longer runs.</summary>
    internal static IReadOnlyList<CallListEntry> CallListOf(OrchestrationMetadata instance, ProcessStatus? status, IReadOnlyList<ParticipantRecord> participants, DateTime nowUtc) =>
        instance.IsActive() ? CallList.From(status, participants, nowUtc) : [];

    private static async Task<Results<Accepted, ValidationProblem, ProblemHttpResult>> RecordReplyAsync(
        string id, string participantId, HttpRequest request, DurableTaskClient client, ParticipantDirectory directory, TimeProvider time, CancellationToken cancellationToken)
    {
        var (instance, problem) = await RunningAsync(client, id, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var (body, errors) = await JsonBody.ReadAsync<RecordReplyBody>(request, DefinitionJson.Options);
        if (body is null)
        {
            return Problems.Invalid(errors);
        }

        var problems = ValidateRecordedReply(body);
        if (problems.Count > 0)
        {
            return Problems.Invalid(problems);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var (_, conflict) = await ReplyTargetAsync(instance!, participantId, directory, now, cancellationToken);
        if (conflict is not null)
        {
            return conflict;
        }

        var by = string.IsNullOrWhiteSpace(body.RecordedBy) ? instance!.ReadInputAs<DialogueProcessInput>()!.Definition.Coordinator.Name : body.RecordedBy.Trim();
        await client.SignalAsync(id, RecordedReply(participantId, body, by, now), cancellationToken);
        return TypedResults.Accepted($"/api/processes/{id}");
    }

    /// <summary>The signal for a checked answer the coordinator noted: the same one a reply through the link gives, with who and how.</summary>
    internal static ReplySignal RecordedReply(string participantId, RecordReplyBody body, string recordedBy, DateTime receivedUtc) =>
        new(participantId, body.Answer!, string.IsNullOrWhiteSpace(body.Note) ? null : body.Note.Trim(), receivedUtc, recordedBy, body.Channel, Confirms: true);

    private static async Task<Results<FileContentHttpResult, ValidationProblem, ProblemHttpResult>> LetterAsync(
        string id, string? taal, DurableTaskClient client, IOptions<DialoogOptions> dialoog, TimeProvider time, CancellationToken cancellationToken)
    {
        var (language, error) = InvitationLetter.LanguageFor(taal);
        if (language is null)
        {
            return Problems.Invalid(new Dictionary<string, string[]> { ["taal"] = [error!] });
        }

        var instance = await FindAsync(client, id, cancellationToken);
        if (instance?.ReadInputAs<DialogueProcessInput>()?.Definition is not { } definition)
        {
            return NotFound(id);
        }

        var current = InvitationLetter.WithCurrentSessions(definition, instance.ReadCustomStatusAs<ProcessStatus>()?.Sessions);
        var pdf = InvitationLetter.Create(id, current, dialoog.Value.PublicBaseUrl, time.GetUtcNow().UtcDateTime, language);
        return TypedResults.File(pdf, InvitationLetter.ContentType, InvitationLetter.FileName(definition.Topic, language));
    }

    private static async Task<Results<Accepted, ValidationProblem, ProblemHttpResult>> DecideAsync(
        string id, HttpRequest request, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var (instance, problem) = await RunningAsync(client, id, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var (body, errors) = await JsonBody.ReadAsync<DecisionBody>(request, DefinitionJson.Options);
        if (body is null)
        {
            return Problems.Invalid(errors);
        }

        var status = instance!.ReadCustomStatusAs<ProcessStatus>();
        if (!DecisionChoices.All.Contains(body.Choice))
        {
            errors["choice"] = [$"Kies een van deze mogelijkheden: {string.Join(", ", DecisionChoices.All)}."];
        }

        if (body.ExtendBy is { } extend && (extend <= TimeSpan.Zero || extend > TimeSpan.FromDays(90)))
        {
            errors["extendBy"] = ["De verlenging moet tussen 1 seconde en 90 dagen liggen, bijvoorbeeld P3D."];
        }

        if (body.Note?.Length > MaxReasonLength)
        {
            errors["note"] = [$"De toelichting mag maximaal {MaxReasonLength} tekens hebben."];
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        if (status?.Escalations.FirstOrDefault(e => e.Id == body.EscalationId) is not { Decision: null })
        {
            return TypedResults.Problem(
                title: "Geen open vraag",
                detail: $"Er staat geen open escalatie '{body.EscalationId}' voor dit traject. Misschien is er al gekozen.",
                statusCode: StatusCodes.Status409Conflict);
        }

        await client.SignalAsync(id, new DecisionSignal(body.EscalationId, body.Choice, body.ExtendBy, "coördinator", body.Note), cancellationToken);
        return TypedResults.Accepted($"/api/processes/{id}");
    }

    private static async Task<Results<Accepted, ValidationProblem, ProblemHttpResult>> AddParticipantsAsync(
        string id, HttpRequest request, DurableTaskClient client, ParticipantDirectory directory, CancellationToken cancellationToken)
    {
        var (instance, problem) = await RunningAsync(client, id, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var (body, errors) = await JsonBody.ReadAsync<AddParticipantsBody>(request, DefinitionJson.Options);
        if (body is null)
        {
            return Problems.Invalid(errors);
        }

        var definition = await WithKnownParticipantsAsync(instance!.ReadInputAs<DialogueProcessInput>()!.Definition, id, directory, cancellationToken);
        // Email may be left out for someone with a phone number or postal address: tidied, it is empty.
        var added = body.Participants?.Select(p => p is null ? p! : ProcessDefinitionNormalizer.Reach(p)).ToList();
        var problems = ProcessDefinitionValidator.ValidateAddedParticipants(definition, added);
        if (problems.Count > 0)
        {
            return Problems.Invalid(problems);
        }

        await client.SignalAsync(id, new AddParticipantsSignal(added!), cancellationToken);
        return TypedResults.Accepted($"/api/processes/{id}");
    }

    private static async Task<Results<Accepted, ValidationProblem, ProblemHttpResult>> RescheduleAsync(
        string id, string sessionId, HttpRequest request, DurableTaskClient client, TimeProvider time, CancellationToken cancellationToken)
    {
        var (instance, problem) = await RunningAsync(client, id, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (SessionProblem(instance!, sessionId) is { } sessionProblem)
        {
            return sessionProblem;
        }

        var (body, errors) = await JsonBody.ReadAsync<RescheduleBody>(request, DefinitionJson.Options);
        if (body is null)
        {
            return Problems.Invalid(errors);
        }

        var definition = instance!.ReadInputAs<DialogueProcessInput>()!.Definition;
        var problems = ValidateReschedule(definition, sessionId, body, time.GetUtcNow().UtcDateTime);
        if (problems.Count > 0)
        {
            return Problems.Invalid(problems);
        }

        await client.SignalAsync(id,
            new RescheduleSessionSignal(sessionId, body.Start, body.End, body.Location, body.OnlineLink, body.Note), cancellationToken);
        return TypedResults.Accepted($"/api/processes/{id}");
    }

    private static Task<Results<Accepted, ValidationProblem, ProblemHttpResult>> CancelSessionAsync(
        string id, string sessionId, HttpRequest request, DurableTaskClient client, CancellationToken cancellationToken) =>
        SignalWithReasonAsync(id, request, client, reason => new CancelSessionSignal(sessionId, reason), sessionId, cancellationToken);

    private static Task<Results<Accepted, ValidationProblem, ProblemHttpResult>> CancelAsync(
        string id, HttpRequest request, DurableTaskClient client, CancellationToken cancellationToken) =>
        SignalWithReasonAsync(id, request, client, reason => new CancelProcessSignal(reason), null, cancellationToken);

    private static async Task<Results<Accepted, ValidationProblem, ProblemHttpResult>> CloseAsync(
        string id, HttpRequest request, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var (instance, problem) = await RunningAsync(client, id, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (CloseProblem(instance!) is { } upcoming)
        {
            return upcoming;
        }

        return await SignalWithReasonAsync(id, request, client, reason => new CloseProcessSignal(reason), null, cancellationToken);
    }

    private static async Task<Results<Accepted, ValidationProblem, ProblemHttpResult>> SignalWithReasonAsync(
        string id, HttpRequest request, DurableTaskClient client, Func<string?, ProcessSignal> signal, string? sessionId, CancellationToken cancellationToken)
    {
        var (instance, problem) = await RunningAsync(client, id, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (sessionId is not null && SessionProblem(instance!, sessionId) is { } sessionProblem)
        {
            return sessionProblem;
        }

        // The reason is optional, and so is the body.
        string? reason = null;
        if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            var (body, errors) = await JsonBody.ReadAsync<ReasonBody>(request, DefinitionJson.Options);
            if (body is null)
            {
                return Problems.Invalid(errors);
            }

            if (body.Reason?.Length > MaxReasonLength)
            {
                return Problems.Invalid(new Dictionary<string, string[]> { ["reason"] = [$"De reden mag maximaal {MaxReasonLength} tekens hebben."] });
            }

            reason = body.Reason;
        }

        await client.SignalAsync(id, signal(reason), cancellationToken);
        return TypedResults.Accepted($"/api/processes/{id}");
    }

    /// <summary>Why the process cannot be closed yet: sessions still planned (the API and the process page both ask).</summary>
    internal static ProblemHttpResult? CloseProblem(OrchestrationMetadata instance)
    {
        var upcoming = instance.ReadCustomStatusAs<ProcessStatus>()?.Sessions.Count(s => s.State is "planned" or "reminded") ?? 0;
        return upcoming == 0
            ? null
            : TypedResults.Problem(
                title: "Er zijn nog bijeenkomsten gepland",
                detail: "Sluiten kan na de laatste bijeenkomst. Wilt u stoppen terwijl er nog bijeenkomsten gepland zijn? Annuleer dan het traject.",
                statusCode: StatusCodes.Status409Conflict);
    }

    internal static ProblemHttpResult? SessionProblem(OrchestrationMetadata instance, string sessionId)
    {
        var session = instance.ReadCustomStatusAs<ProcessStatus>()?.Sessions.FirstOrDefault(s => s.Id == sessionId);
        if (session is null)
        {
            return TypedResults.Problem(title: "Bijeenkomst niet gevonden", detail: $"Dit traject heeft geen bijeenkomst '{sessionId}'.", statusCode: StatusCodes.Status404NotFound);
        }

        return session.State is "held" or "cancelled"
            ? TypedResults.Problem(
                title: "Bijeenkomst kan niet meer veranderen",
                detail: session.State == "held" ? "Deze bijeenkomst is al geweest." : "Deze bijeenkomst is al geannuleerd.",
                statusCode: StatusCodes.Status409Conflict)
            : null;
    }

    private static async Task<(OrchestrationMetadata? Instance, ProblemHttpResult? Problem)> RunningAsync(DurableTaskClient client, string id, CancellationToken cancellationToken)
    {
        var instance = await FindAsync(client, id, cancellationToken);
        if (instance is null)
        {
            return (null, NotFound(id));
        }

        // A cancelled or ended process may still run while the call list has messages to pass on; it takes no changes.
        return instance.IsActive() && instance.ReadCustomStatusAs<ProcessStatus>()?.Phase is not (Phases.Completed or Phases.Cancelled or Phases.Closed)
            ? (instance, null)
            : (instance, TypedResults.Problem(
                title: "Traject is afgelopen",
                detail: "Dit traject loopt niet meer; er kan niets meer aan veranderen.",
                statusCode: StatusCodes.Status409Conflict));
    }

    internal static async Task<OrchestrationMetadata?> FindAsync(DurableTaskClient client, string id, CancellationToken cancellationToken)
    {
        if (id.Length > 64 || !id.StartsWith(InstanceIdPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var instance = await client.GetInstanceAsync(id, getInputsAndOutputs: true, cancellationToken);
        return instance?.Name == nameof(DialogueProcessOrchestrator) ? instance : null;
    }

    internal static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem(title: "Traject niet gevonden", detail: $"Er is geen dialoogtraject met id '{id}'.", statusCode: StatusCodes.Status404NotFound);
}
