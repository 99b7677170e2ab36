using System.Globalization;
using System.Text;
using System.Threading.RateLimiting;
using Dialoog.Core.Engine;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Dialoog.Web.Api;
using Dialoog.Core.Links;
using Dialoog.Core.Processes;
using Dialoog.Core.Processes.Definition;
using Dialoog.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

using Dialoog.Core.Actions;
using Dialoog.Core.Email;
using Dialoog.Core.Invitations;
using Dialoog.Core.Storage;

namespace Dialoog.Web.Api;

/// <summary>An initiative as residents or partners submit it.</summary>
public sealed record InitiativeBody(string? Title, string? Description, string? Name, string? Email);

public sealed record ProgressBody(string? Status, string? Reason);

public sealed record CloseBody(string? Reason);

/// <summary>An initiative taken in: it waits until its submitter confirms their address through the e-mail.</summary>
public sealed record InitiativeAwaitingConfirmation(string Status, string Detail);

/// <summary>
/// Actions and initiatives: the coordinator's list and close, the owner's progress through a personal link, and the
/// public (rate-limited) way in for initiatives, as JSON and as a plain form.
/// </summary>
public static class FollowUpEndpoints
{
    public const string PublicRateLimit = "public";
    internal const int MaxReasonLength = 1000;

    public static IServiceCollection AddFollowUps(this IServiceCollection services)
    {
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                context.HttpContext.Response.ContentType = "application/problem+json";
                await context.HttpContext.Response.WriteAsJsonAsync(
                    new
                    {
                        title = "Te veel verzoeken",
                        status = 429,
                        detail = "U heeft in korte tijd te vaak iets verstuurd. Wacht een paar minuten en probeer het dan opnieuw. Er is niets opgeslagen.",
                    },
                    cancellationToken);
            };

            // Per client address: the public form must not become a way to flood coordinators with initiatives.
            limiter.AddPolicy(PublicRateLimit, context =>
            {
                var options = context.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value;
                return RateLimitPartition.GetFixedWindowLimiter(
                    context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = options.PublicPermitLimit, Window = options.PublicWindow, QueueLimit = 0 });
            });
        });
        return services;
    }

    public static IEndpointRouteBuilder MapFollowUps(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api").AddEndpointFilter<CoordinatorApiKeyFilter>().WithTags("Afspraken en initiatieven");
        api.MapGet("/processes/{id}/actions", ListAsync).WithSummary("De afspraken en initiatieven van een traject, met hun stand.");
        api.MapGet("/processes/{id}/initiatives", (string id, FollowUpDirectory directory, CancellationToken ct) => ListAsync(id, FollowUpKinds.Initiative, directory, ct))
            .WithSummary("De initiatieven van een traject.");
        api.MapGet("/initiatives", async (FollowUpDirectory directory, CancellationToken ct) => TypedResults.Ok(await directory.ListInitiativesAsync(ct)))
            .WithSummary("Alle initiatieven van alle trajecten.");
        api.MapPost("/processes/{id}/actions/{itemId}/close", CloseAsync).WithSummary("Een afspraak of initiatief sluiten.").Accepts<CloseBody>("application/json");
        api.MapPost("/processes/{id}/initiatives/{itemId}/close", CloseAsync).WithSummary("Een initiatief sluiten.").Accepts<CloseBody>("application/json");

        var open = routes.MapGroup("/api").WithTags("Openbaar");
        open.MapPost("/processes/{id}/initiatives", SubmitAsync).RequireRateLimiting(PublicRateLimit)
            .WithSummary("Een initiatief indienen (openbaar, beperkt aantal per tijd).").Accepts<InitiativeBody>("application/json");
        open.MapPost("/progress/{token}", ReportProgressAsync)
            .WithSummary("Voortgang van een afspraak doorgeven met de persoonlijke link van de eigenaar.").Accepts<ProgressBody>("application/json");

        routes.MapGet("/initiatief/{id}", ShowFormAsync).ExcludeFromDescription();
        routes.MapPost("/initiatief/{id}", SubmitFormAsync).ExcludeFromDescription().RequireRateLimiting(PublicRateLimit);
        return routes;
    }

    /// <summary>Checks an initiative; keys are the JSON field names.</summary>
    public static IReadOnlyDictionary<string, string[]> Validate(InitiativeBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var errors = new ValidationErrors();
        DefinitionRules.RequiredLine(errors, "title", body.Title, 200, "Geef het initiatief een korte titel.", "de titel");
        DefinitionRules.OptionalText(errors, "description", body.Description, 4000, "de beschrijving");
        if (string.IsNullOrWhiteSpace(body.Description))
        {
            errors.Add("description", "Beschrijf in een paar zinnen wat u wilt doen en wat u nodig heeft.");
        }

        DefinitionRules.RequiredLine(errors, "name", body.Name, 100, "Vul uw naam in.", "uw naam");
        DefinitionRules.Email(errors, "email", body.Email, "uzelf");
        return errors.ToDictionary();
    }

    /// <summary>Checks a progress report; "vastgelopen" needs a reason so the coordinator knows what to do.</summary>
    public static IReadOnlyDictionary<string, string[]> Validate(ProgressBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var errors = new ValidationErrors();
        if (body.Status is null || !FollowUpStatus.Reportable.Contains(body.Status))
        {
            errors.Add("status", "Kies bezig (inProgress), klaar (done) of vastgelopen (stuck).");
        }
        else if (body.Status == FollowUpStatus.Stuck && string.IsNullOrWhiteSpace(body.Reason))
        {
            errors.Add("reason", "Schrijf kort waarom het is vastgelopen. Dan weet de coördinator hoe hij kan helpen.");
        }

        DefinitionRules.OptionalText(errors, "reason", body.Reason, MaxReasonLength, "de toelichting");
        return errors.ToDictionary();
    }

    private static async Task<Ok<IReadOnlyList<FollowUpRecord>>> ListAsync(string id, string? kind, FollowUpDirectory directory, CancellationToken cancellationToken) =>
        TypedResults.Ok(await directory.ListAsync(id, kind, cancellationToken));

    /// <summary>The running follow-up of an action or initiative, or why it cannot be closed (the API and the process page both ask).</summary>
    internal static async Task<(string? InstanceId, ProblemHttpResult? Problem)> ClosableAsync(
        DurableTaskClient client, FollowUpDirectory directory, string id, string itemId, CancellationToken cancellationToken)
    {
        var record = await directory.FindAsync(id, itemId, cancellationToken);
        var instance = record is null ? null : await client.GetInstanceAsync(FollowUpItem.InstanceIdFor(id, itemId), cancellation: cancellationToken);
        if (record is null || instance is null)
        {
            return (null, TypedResults.Problem(title: "Niet gevonden", detail: $"Dit traject heeft geen afspraak of initiatief '{itemId}'.", statusCode: StatusCodes.Status404NotFound));
        }

        // Final in the directory already counts: the follow-up may take a moment to finish after its last signal.
        return instance.IsActive() && !FollowUpStatus.IsFinal(record.Status)
            ? (instance.InstanceId, null)
            : (null, TypedResults.Problem(title: "Al afgesloten", detail: $"'{record.Title}' is al {FollowUpStatus.Dutch(record.Status)}.", statusCode: StatusCodes.Status409Conflict));
    }

    private static async Task<Results<Accepted, ValidationProblem, ProblemHttpResult>> CloseAsync(
        string id, string itemId, HttpRequest request, DurableTaskClient client, FollowUpDirectory directory, CancellationToken cancellationToken)
    {
        var (instanceId, problem) = await ClosableAsync(client, directory, id, itemId, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        string? reason = null;
        // A body is optional; a chunked one (no Content-Length, as HttpClient sends JSON) counts too.
        if (request.ContentLength is > 0 || (request.ContentLength is null && request.ContentType is not null))
        {
            var (body, errors) = await JsonBody.ReadAsync<CloseBody>(request, DefinitionJson.Options);
            if (body is null)
            {
                return Problems.Invalid(errors);
            }

            if (body.Reason?.Length > MaxReasonLength)
            {
                return Problems.Invalid(new Dictionary<string, string[]> { ["reason"] = [$"De reden mag hoogstens {MaxReasonLength} tekens hebben."] });
            }

            reason = body.Reason;
        }

        await client.SignalFollowUpAsync(instanceId!, new FollowUpClosing("coördinator", reason), cancellationToken);
        return TypedResults.Accepted($"/api/processes/{id}/actions");
    }

    private static async Task<Results<Accepted<InitiativeAwaitingConfirmation>, ValidationProblem, ProblemHttpResult>> SubmitAsync(
        string id, HttpRequest request, DurableTaskClient client, CancellationToken cancellationToken)
    {
        if (await RunningProcessAsync(client, id, cancellationToken) is not { } process)
        {
            return TypedResults.Problem(title: "Traject niet gevonden", detail: "Bij dit adres hoort geen lopend dialoogtraject.", statusCode: StatusCodes.Status404NotFound);
        }

        var (body, errors) = await JsonBody.ReadAsync<InitiativeBody>(request, DefinitionJson.Options);
        if (body is null)
        {
            return Problems.Invalid(errors);
        }

        var problems = Validate(body);
        if (problems.Count > 0)
        {
            return Problems.Invalid(problems);
        }

        return await TakeInAsync(request.HttpContext, process, id, body, cancellationToken) is { } refused
            ? refused
            : TypedResults.Accepted((string?)null, new InitiativeAwaitingConfirmation("awaitingConfirmation", AwaitingConfirmation));
    }

    private const string AwaitingConfirmation =
        "We hebben een e-mail gestuurd naar het adres dat u opgaf. Klik op de knop in die e-mail om uw initiatief te bevestigen. Pas dan gaat het naar de gemeente. De link werkt 48 uur.";

    /// <summary>
    /// Stores the initiative until its submitter confirms, and sends the one e-mail that asks for it. A problem when
    /// the process takes no more initiatives now, or when the e-mail could not be sent (then nothing is kept).
    /// </summary>
    private static async Task<ProblemHttpResult?> TakeInAsync(
        HttpContext http, (ProcessStatus Status, ProcessDefinition Definition, string? Nonce) process, string id, InitiativeBody body, CancellationToken cancellationToken)
    {
        var definition = process.Definition;
        var services = http.RequestServices;
        var intake = services.GetRequiredService<InitiativeIntake>();
        var limits = services.GetRequiredService<IOptions<ApiOptions>>().Value;
        var (outcome, pending) = await intake.SubmitAsync(
            id, body.Title!.Trim(), body.Description!.Trim(), body.Name!.Trim(), body.Email!.Trim(), limits.MaxOpenInitiatives, limits.MaxUnconfirmedInitiatives, cancellationToken);
        if (outcome == IntakeOutcome.Full)
        {
            return TypedResults.Problem(
                title: "Te veel open initiatieven",
                detail: "Bij dit dialoogtraject staan nu veel initiatieven open. Probeer het later opnieuw, of neem contact op met de regisseur. Er is niets opgeslagen.",
                statusCode: StatusCodes.Status429TooManyRequests);
        }

        if (outcome == IntakeOutcome.AlreadyPending)
        {
            // Same answer as the first time, so the answer tells nobody whether an address submitted before.
            return null;
        }

        var request = new SendMailRequest(
            id,
            MailKind.InitiativeConfirm,
            new MailRecipient("submitter", pending!.Name, pending.Email, Languages.Dutch),
            new MailProcess(definition.Topic, definition.Area, null, definition.Coordinator.Name, definition.Coordinator.Email),
            [],
            AttachCalendar: false,
            ReplyDeadlineUtc: null,
            new MailLinks(LinkPurpose.InitiativeConfirmation, pending.Id, ["confirm"], pending.CreatedUtc + InitiativeIntake.ConfirmWithin),
            [pending.Title],
            pending.Description,
            ItemKind: FollowUpKinds.Initiative)
        {
            IdempotencyKey = MailKeys.For(id, "initiative-confirm:" + pending.Id),
            ProcessNonce = process.Nonce,
        };
        try
        {
            await ActivatorUtilities.CreateInstance<SendMailActivity>(services).SendAsync(request, cancellationToken);
        }
        catch (Exception ex) when (ex is EmailSendException or IOException or HttpRequestException)
        {
            await intake.TakeAsync(id, pending.Id, CancellationToken.None);
            return TypedResults.Problem(
                title: "E-mail niet verstuurd",
                detail: "We konden u nu geen e-mail sturen. Probeer het over een paar minuten opnieuw. Er is niets opgeslagen.",
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        return null;
    }

    private static async Task<Results<Accepted, ValidationProblem, ProblemHttpResult>> ReportProgressAsync(
        string token, HttpRequest request, ParticipantLinks links, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var problem = links.TryRead(token, LinkPurpose.FollowUp, out var claims);
        if (problem == LinkProblem.None
            && !LinkPages.IsFor(claims!, await client.GetInstanceAsync(claims!.ProcessId, getInputsAndOutputs: true, cancellationToken)))
        {
            // A link of an earlier process with this id (purged since): as invalid as a forged one.
            problem = LinkProblem.BadSignature;
        }

        if (problem != LinkProblem.None)
        {
            return TypedResults.Problem(
                title: problem == LinkProblem.Expired ? "Link verlopen" : "Link niet geldig",
                detail: "Gebruik de link uit uw e-mail. Er is niets veranderd.",
                statusCode: problem == LinkProblem.Expired ? StatusCodes.Status410Gone : StatusCodes.Status400BadRequest);
        }

        var (body, errors) = await JsonBody.ReadAsync<ProgressBody>(request, DefinitionJson.Options);
        if (body is null)
        {
            return Problems.Invalid(errors);
        }

        var problems = Validate(body);
        if (problems.Count > 0)
        {
            return Problems.Invalid(problems);
        }

        return await SendProgressAsync(client, claims!, body, cancellationToken) ?? (Results<Accepted, ValidationProblem, ProblemHttpResult>)TypedResults.Accepted((string?)null);
    }

    /// <summary>Sends the report to the item's orchestration; a problem when that has ended.</summary>
    internal static async Task<ProblemHttpResult?> SendProgressAsync(DurableTaskClient client, LinkClaims claims, ProgressBody body, CancellationToken cancellationToken)
    {
        var instanceId = FollowUpItem.InstanceIdFor(claims.ProcessId, claims.Subject);
        var instance = await client.GetInstanceAsync(instanceId, cancellation: cancellationToken);
        if (instance is null || !instance.IsActive())
        {
            return TypedResults.Problem(title: "Al afgesloten", detail: "Deze afspraak is al afgesloten. U hoeft niets meer te doen.", statusCode: StatusCodes.Status409Conflict);
        }

        await client.SignalFollowUpAsync(instanceId, new ProgressReported(body.Status!, string.IsNullOrWhiteSpace(body.Reason) ? null : body.Reason.Trim(), "eigenaar"), cancellationToken);
        return null;
    }

    private static async Task<IResult> ShowFormAsync(string id, HttpContext http, DurableTaskClient client, CancellationToken cancellationToken)
    {
        if ((await RunningProcessAsync(client, id, cancellationToken))?.Status is not { } status)
        {
            return Html.Page("Niet gevonden", "<p>Bij dit adres hoort geen lopend dialoogtraject.</p>", StatusCodes.Status404NotFound);
        }

        return Html.Page("Een initiatief indienen", InitiativeForm(http, id, status, new InitiativeBody(null, null, null, null), ValidationErrors.None));
    }

    private static async Task<IResult> SubmitFormAsync(string id, HttpRequest request, DurableTaskClient client, CancellationToken cancellationToken)
    {
        if (await RunningProcessAsync(client, id, cancellationToken) is not { Status: var status } process)
        {
            return Html.Page("Niet gevonden", "<p>Bij dit adres hoort geen lopend dialoogtraject.</p>", StatusCodes.Status404NotFound);
        }

        if (!request.HasFormContentType)
        {
            return Html.Page("Dat ging niet goed", "<p>Gebruik het formulier op deze pagina.</p>", StatusCodes.Status400BadRequest);
        }

        if (!await PageFrame.AntiforgeryValidAsync(request.HttpContext))
        {
            return Html.FormExpired();
        }

        var form = await request.ReadFormAsync(cancellationToken);
        var body = new InitiativeBody(form["title"], form["description"], form["name"], form["email"]);
        var problems = Validate(body);
        if (problems.Count > 0)
        {
            return Html.Page("Een initiatief indienen", InitiativeForm(request.HttpContext, id, status, body, problems), StatusCodes.Status400BadRequest);
        }

        if (await TakeInAsync(request.HttpContext, process, id, body, cancellationToken) is { } refused)
        {
            return Html.Page(refused.ProblemDetails.Title ?? "Dat ging niet goed", $"<p>{Html.Encode(refused.ProblemDetails.Detail ?? "")}</p>", refused.StatusCode);
        }

        return Html.Page("Kijk in uw e-mail", $"<p>{Html.Encode(AwaitingConfirmation)}</p>"
            + PageFrame.NextStep("Na uw bevestiging krijgt u een e-mail met de naam van uw contactpersoon bij de gemeente, en een link waarmee u ziet hoe het met uw initiatief gaat."));
    }

    private static string InitiativeForm(HttpContext http, string id, ProcessStatus status, InitiativeBody body, IReadOnlyDictionary<string, string[]> errors)
    {
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<p class=\"lead\">Heeft u een plan voor <strong>{Html.Encode(status.Topic)}</strong> ({Html.Encode(status.Area)})? Vertel het ons. De gemeente geeft u een contactpersoon.</p>");
        html.Append(FormErrors.Summary(errors, InitiativeFieldIds));
        html.Append(PageFrame.FormStart(http, "/initiatief/" + id));
        html.Append(FormErrors.Field("title", "Titel", body.Title, errors, multiline: false));
        html.Append(FormErrors.Field("description", "Wat wilt u doen, en wat heeft u nodig?", body.Description, errors, multiline: true));
        html.Append(FormErrors.Field("name", "Uw naam", body.Name, errors, multiline: false, autocomplete: "name"));
        html.Append(FormErrors.Field("email", "Uw e-mailadres", body.Email, errors, multiline: false, autocomplete: "email", type: "email"));
        html.Append("<p><button type=\"submit\">Initiatief indienen</button></p></form>");
        html.Append(PageFrame.NextStep("Na het indienen krijgt u een e-mail. Daarin bevestigt u uw initiatief. Dan krijgt u de naam van uw contactpersoon bij de gemeente."));
        return html.ToString();
    }

    private static readonly Dictionary<string, string> InitiativeFieldIds = new(StringComparer.Ordinal) { ["title"] = "title", ["description"] = "description", ["name"] = "name", ["email"] = "email" };

    /// <summary>The signal that starts a confirmed initiative in its process.</summary>
    internal static InitiativeSubmittedSignal Submitted(PendingInitiative pending) =>
        new(pending.Title, pending.Description, new Person(pending.Name, pending.Email));

    internal static async Task<(ProcessStatus Status, ProcessDefinition Definition, string? Nonce)?> RunningProcessAsync(DurableTaskClient client, string id, CancellationToken cancellationToken)
    {
        if (id.Length > 64 || !id.StartsWith("dlg-", StringComparison.Ordinal))
        {
            return null;
        }

        var instance = await client.GetInstanceAsync(id, getInputsAndOutputs: true, cancellationToken);
        return instance is { Name: nameof(DialogueProcessOrchestrator) } && instance.IsActive()
            && instance.ReadCustomStatusAs<ProcessStatus>() is { } status && instance.ReadInputAs<DialogueProcessInput>() is { } input
            ? (status, input.Definition, input.Nonce)
            : null;
    }
}
