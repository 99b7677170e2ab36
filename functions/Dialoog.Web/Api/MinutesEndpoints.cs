using Dialoog.Core.Engine;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Dialoog.Web.Api;
using Dialoog.Core.Processes;
using Microsoft.AspNetCore.Http.HttpResults;

using Dialoog.Core.Minutes;

namespace Dialoog.Web.Api;

/// <param name="Actions">The agreements: a JSON list of <c>{title, ownerName, ownerEmail, dueDate}</c>, as with the minutes.</param>
/// <param name="AddedBy">Who adds them, for the timeline; default "coördinator (API)".</param>
public sealed record AddActionsBody(System.Text.Json.JsonElement? Actions, string? AddedBy);

public sealed record AddedActions(string ProcessId, string SessionId, int Count);

public sealed record StoredMinutes(string ProcessId, string SessionId, int Version, string FileName, string ContentType, long Size, string Sha256)
{
    /// <summary>
    /// After an upload without actions: the agreements found in the file under a heading such as "Afspraken", for the
    /// caller to check, complete and send to <c>.../sessions/{sessionId}/actions</c>. Nothing is added until then.
    /// </summary>
    public IReadOnlyList<ProposedAgreement>? ProposedAgreements { get; init; }
}

/// <summary>
/// Minutes in: the coordinator's API (multipart) and the facilitator's link page share one path: check the session,
/// check the file and the actions, store a new version, tell the process. Nothing is stored when anything is wrong.
/// </summary>
public static class MinutesEndpoints
{
    public static IEndpointRouteBuilder MapMinutes(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api").AddEndpointFilter<CoordinatorApiKeyFilter>().WithTags("Verslagen");
        api.MapPost("/processes/{id}/sessions/{sessionId}/minutes", UploadAsync)
            .WithSummary("Het verslag van een bijeenkomst uploaden (multipart: file, actions als JSON, uploadedBy). Een nieuwe upload is een nieuwe versie.")
            .DisableAntiforgery();
        api.MapPost("/processes/{id}/sessions/{sessionId}/actions", AddActionsAsync)
            .WithSummary("Afspraken van een gehouden bijeenkomst toevoegen zonder nieuwe versie van het verslag (ook na het laatste verslag, tot het traject sluit).")
            .Accepts<AddActionsBody>("application/json");
        api.MapGet("/processes/{id}/minutes", async (string id, MinutesStore store, CancellationToken ct) =>
                TypedResults.Ok((await store.ListAsync(id, null, ct)).Select(Describe).ToList()))
            .WithSummary("Alle versies van de verslagen van een traject.");
        return routes;
    }

    private static async Task<Results<Accepted<StoredMinutes>, ValidationProblem, ProblemHttpResult>> UploadAsync(
        string id, string sessionId, HttpRequest request, DurableTaskClient client, MinutesStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await SessionProblemAsync(client, id, sessionId, time, cancellationToken) is { } problem)
        {
            return problem;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var read = await MinutesUploadReader.ReadAsync(request, now, cancellationToken);
        if (read.Upload is not { } upload)
        {
            return Problems.Invalid(read.Errors);
        }

        var (stored, errors) = await AcceptAsync(client, store, id, sessionId, upload.FileName, upload.Content, upload.Actions, upload.UploadedBy ?? "coördinator (API)", now, cancellationToken);
        if (stored is null)
        {
            return Problems.Invalid(errors);
        }

        var proposed = upload.Actions.Count == 0 ? MinutesAgreements.Propose(upload.FileName, upload.Content) : [];
        return TypedResults.Accepted($"/api/processes/{id}/minutes", Describe(stored) with { ProposedAgreements = proposed });
    }

    private static async Task<Results<Accepted<AddedActions>, ValidationProblem, ProblemHttpResult>> AddActionsAsync(
        string id, string sessionId, HttpRequest request, DurableTaskClient client, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await HeldSessionProblemAsync(client, id, sessionId, cancellationToken) is { } problem)
        {
            return problem;
        }

        var (body, bodyErrors) = await JsonBody.ReadAsync<AddActionsBody>(request, Dialoog.Core.Processes.Definition.DefinitionJson.Options);
        if (body is null)
        {
            return Problems.Invalid(bodyErrors);
        }

        var json = body.Actions is { ValueKind: not System.Text.Json.JsonValueKind.Null } element ? element.GetRawText() : null;
        var (actions, errors) = AddedActionsFrom(json, body.AddedBy, time.GetUtcNow().UtcDateTime);
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        await client.SignalAsync(id, new AddActionsSignal(sessionId, actions.Actions, actions.AddedBy), cancellationToken);
        return TypedResults.Accepted($"/api/processes/{id}/actions", new AddedActions(id, sessionId, actions.Actions.Count));
    }

    /// <summary>The body's agreements (at least one) and who adds them, by the upload form's rules.</summary>
    internal static ((IReadOnlyList<AgreedAction> Actions, string AddedBy) Value, IReadOnlyDictionary<string, string[]> Errors) AddedActionsFrom(
        string? actionsJson, string? addedBy, DateTime nowUtc)
    {
        var (actions, errors) = MinutesUploadReader.ReadActions(actionsJson, nowUtc);
        var all = errors.ToDictionary(e => e.Key, e => e.Value);
        if (errors.Count == 0 && actions.Count == 0)
        {
            all["actions"] = ["Vul minstens één afspraak in: een titel, wie het doet (naam en e-mailadres) en de datum waarop het klaar is."];
        }

        var (name, nameErrors) = MinutesUploadReader.CheckUploadedBy(addedBy);
        if (nameErrors.Count > 0)
        {
            all["addedBy"] = [.. nameErrors];
        }

        return ((actions, name ?? "coördinator (API)"), all);
    }

    /// <summary>Agreements belong to a session the process has noted as held, in a process that still takes changes.</summary>
    internal static async Task<ProblemHttpResult?> HeldSessionProblemAsync(DurableTaskClient client, string processId, string sessionId, CancellationToken cancellationToken)
    {
        var instance = await ProcessesApi.FindAsync(client, processId, cancellationToken);
        if (instance is null)
        {
            return TypedResults.Problem(title: "Traject niet gevonden", detail: $"Er is geen dialoogtraject met id '{processId}'.", statusCode: StatusCodes.Status404NotFound);
        }

        var status = instance.ReadCustomStatusAs<ProcessStatus>();
        if (!instance.IsActive() || status is null || status.Phase is Phases.Completed or Phases.Cancelled or Phases.Closed)
        {
            return TypedResults.Problem(title: "Traject is afgelopen", detail: "Dit traject loopt niet meer; er kan geen afspraak meer bij.", statusCode: StatusCodes.Status409Conflict);
        }

        return status.Sessions.FirstOrDefault(s => s.Id == sessionId) switch
        {
            null => TypedResults.Problem(title: "Bijeenkomst niet gevonden", detail: $"Dit traject heeft geen bijeenkomst '{sessionId}'.", statusCode: StatusCodes.Status404NotFound),
            { State: "held" } => null,
            _ => TypedResults.Problem(title: "Bijeenkomst is nog niet geweest", detail: "Afspraken kunnen erbij als de bijeenkomst is geweest.", statusCode: StatusCodes.Status409Conflict),
        };
    }

    /// <summary>Stores the checked file as the next version and signals the process. Errors keyed <c>file</c>.</summary>
    internal static async Task<(MinutesVersion? Version, IReadOnlyDictionary<string, string[]> Errors)> AcceptAsync(
        DurableTaskClient client,
        MinutesStore store,
        string processId,
        string sessionId,
        string fileName,
        ReadOnlyMemory<byte> content,
        IReadOnlyList<AgreedAction> actions,
        string uploadedBy,
        DateTime nowUtc,
        CancellationToken cancellationToken)
    {
        var saved = await store.SaveAsync(processId, sessionId, fileName, content, uploadedBy, nowUtc, cancellationToken);
        if (saved.Version is not { } version)
        {
            return (null, saved.Errors);
        }

        await client.SignalAsync(processId, new MinutesUploadedSignal(sessionId, version, actions), cancellationToken);
        return (version, saved.Errors);
    }

    /// <summary>Minutes belong to a session that has been held, in a process that still runs.</summary>
    internal static async Task<ProblemHttpResult?> SessionProblemAsync(DurableTaskClient client, string processId, string sessionId, TimeProvider time, CancellationToken cancellationToken)
    {
        var instance = processId.StartsWith("dlg-", StringComparison.Ordinal) && processId.Length <= 64
            ? await client.GetInstanceAsync(processId, getInputsAndOutputs: true, cancellationToken)
            : null;
        if (instance is null || instance.Name != nameof(DialogueProcessOrchestrator))
        {
            return TypedResults.Problem(title: "Traject niet gevonden", detail: $"Er is geen dialoogtraject met id '{processId}'.", statusCode: StatusCodes.Status404NotFound);
        }

        if (!instance.IsActive())
        {
            return TypedResults.Problem(title: "Traject is afgelopen", detail: "Dit traject loopt niet meer; er kan geen verslag meer bij.", statusCode: StatusCodes.Status409Conflict);
        }

        if (instance.ReadCustomStatusAs<ProcessStatus>() is not { } status)
        {
            return TypedResults.Problem(title: "Traject start nog", detail: "Het traject is net gestart. Een verslag kan pas na de bijeenkomst.", statusCode: StatusCodes.Status409Conflict);
        }

        var session = status.Sessions.FirstOrDefault(s => s.Id == sessionId);
        if (session is null)
        {
            return TypedResults.Problem(title: "Bijeenkomst niet gevonden", detail: $"Dit traject heeft geen bijeenkomst '{sessionId}'.", statusCode: StatusCodes.Status404NotFound);
        }

        // Over once its end time has passed, also when the process has not saved that yet: the engine saves a step's
        // status after it has sent the step's messages, so the upload link can reach the facilitator first.
        var over = session.State == "held" || (session.State is "planned" or "reminded" && session.EndUtc <= time.GetUtcNow().UtcDateTime);
        return over
            ? null
            : TypedResults.Problem(title: "Bijeenkomst is nog niet geweest", detail: "Een verslag kan pas na de bijeenkomst.", statusCode: StatusCodes.Status409Conflict);
    }

    private static StoredMinutes Describe(MinutesVersion v) => new(v.ProcessId, v.SessionId, v.Version, v.FileName, v.ContentType, v.Size, v.Sha256);
}
