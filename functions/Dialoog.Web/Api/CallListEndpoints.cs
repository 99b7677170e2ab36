using Dialoog.Core.Engine;
using Dialoog.Core.Invitations;
using Dialoog.Core.Processes;
using Dialoog.Core.Processes.Definition;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.DurableTask.Client;

namespace Dialoog.Web.Api;

/// <param name="DoneBy">Who passed the message on, for the timeline; default the process's coordinator.</param>
public sealed record CallDoneBody(string? DoneBy);

/// <summary>
/// Marking a call-list notice done: the coordinator told someone without e-mail about a change, by phone or letter.
/// The API and the process page share the checks.
/// </summary>
internal static class CallListEndpoints
{
    public static RouteGroupBuilder MapCallListEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/processes/{id}/participants/{participantId}/calls/{noticeId}/done", DoneAsync)
            .WithSummary("Een bericht op de bellijst is doorgegeven (gebeld of brief gestuurd). Het gaat van de bellijst; de tijdlijn zegt wie het deed.")
            .Accepts<CallDoneBody>("application/json");
        return api;
    }

    /// <summary>
    /// Why this notice cannot be marked done: the process has ended (409), or the notice is not (or no longer) on the
    /// call list (404). Null when it can.
    /// </summary>
    public static (int Status, string Detail)? NoticeProblem(OrchestrationMetadata instance, IReadOnlyList<CallListEntry> callList, string? participantId, string? noticeId)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(callList);
        if (!instance.IsActive())
        {
            return (StatusCodes.Status409Conflict, "Dit traject loopt niet meer; er staat niets meer op de bellijst.");
        }

        return CallNotice.IsValidId(noticeId) && callList.Any(e => e.ParticipantId == participantId && e.Notice?.Id == noticeId)
            ? null
            : (StatusCodes.Status404NotFound, "Dit bericht staat niet (meer) op de bellijst. Misschien is het al afgevinkt, of is er sindsdien iets nieuws dat het vervangt.");
    }

    private static async Task<Results<Accepted, ValidationProblem, ProblemHttpResult>> DoneAsync(
        string id, string participantId, string noticeId, HttpRequest request, DurableTaskClient client, ParticipantDirectory directory, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var instance = await ProcessesApi.FindAsync(client, id, cancellationToken);
        if (instance is null)
        {
            return ProcessesApi.NotFound(id);
        }

        var (body, errors) = await JsonBody.ReadAsync<CallDoneBody>(request, DefinitionJson.Options);
        if (body is null)
        {
            return Problems.Invalid(errors);
        }

        var checks = new ValidationErrors();
        DefinitionRules.OptionalLine(checks, "doneBy", body.DoneBy, DefinitionLimits.NameLength, "de naam van wie het bericht doorgaf");
        if (!checks.IsEmpty)
        {
            return Problems.Invalid(checks.ToDictionary());
        }

        var participants = await directory.ListAsync(id, cancellationToken);
        var callList = ProcessesApi.CallListOf(instance, instance.ReadCustomStatusAs<ProcessStatus>(), participants, time.GetUtcNow().UtcDateTime);
        if (NoticeProblem(instance, callList, participantId, noticeId) is { } problem)
        {
            return TypedResults.Problem(title: "Bericht niet op de bellijst", detail: problem.Detail, statusCode: problem.Status);
        }

        var by = string.IsNullOrWhiteSpace(body.DoneBy) ? instance.ReadInputAs<DialogueProcessInput>()!.Definition.Coordinator.Name : body.DoneBy.Trim();
        await client.SignalAsync(id, new CallDoneSignal(participantId, noticeId, by), cancellationToken);
        return TypedResults.Accepted($"/api/processes/{id}/call-list");
    }
}
