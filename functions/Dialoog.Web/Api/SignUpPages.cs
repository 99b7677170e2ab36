using Dialoog.Core.Email;
using Dialoog.Core.Invitations;
using Dialoog.Core.Links;
using Dialoog.Core.Processes;
using Dialoog.Core.Processes.Definition;
using Dialoog.Web;
using Dialoog.Web.Participant;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.DurableTask.Client;

namespace Dialoog.Web.Api;

/// <summary>An open sign-up as the page and the API take it.</summary>
/// <param name="Answers">Per question id: the ticked choices and, optionally, what they wrote.</param>
/// <param name="Language">The language of their e-mails and pages (nl, en or ar); Dutch when left out.</param>
public sealed record SignUpBody(string? Name, string? Group, string? Email, string? Phone, IReadOnlyList<SignUpAnswer>? Answers, string? Language = null);

/// <param name="Status"><c>awaitingConfirmation</c> (an e-mail was sent) or <c>signedUp</c> (phone only: counted at once).</param>
public sealed record SignUpAccepted(string Status, string Detail);

/// <summary>
/// Open sign-up for a process (<see cref="SignUpLinks.Route"/>), for the groups its coordinator opened. With an e-mail
/// address the person first confirms it (<see cref="SignUpIntake"/>), and nothing else is sent before that; with only
/// a phone number they count at once and land on the coordinator's call list. Public, rate-limited, antiforgery on the form.
/// The pages are Razor pages (Web/Pages/SignUp, Web/Pages/Link/SignUpConfirm); this is the API and what both share.
/// </summary>
internal static class SignUpPages
{
    private const string AwaitingConfirmation =
        "We hebben een e-mail gestuurd naar het adres dat u opgaf. Klik op de knop in die e-mail om uw aanmelding te bevestigen. Pas dan bent u aangemeld. De link werkt 48 uur.";

    private const string SignedUpByPhone =
        "U bent aangemeld. De regisseur belt u nog even om het te bevestigen.";

    public static IEndpointRouteBuilder MapSignUps(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/api").WithTags("Openbaar")
            .MapPost("/processes/{id}/signups", SubmitJsonAsync).RequireRateLimiting(FollowUpEndpoints.PublicRateLimit)
            .WithSummary("Zich aanmelden voor een traject met open aanmelding (met e-mail: eerst bevestigen).")
            .Accepts<SignUpBody>("application/json");
        return routes;
    }

    /// <summary>The running process with open sign-up, or null.</summary>
    internal static async Task<(ProcessStatus Status, ProcessDefinition Definition, string? Nonce)?> OpenProcessAsync(DurableTaskClient client, string processId, CancellationToken cancellationToken) =>
        await FollowUpEndpoints.RunningProcessAsync(client, processId, cancellationToken) is { Definition.SignUp: not null } process ? process : null;

    private static async Task<Results<Accepted<SignUpAccepted>, ValidationProblem, ProblemHttpResult>> SubmitJsonAsync(
        string id, HttpRequest request, DurableTaskClient client, CancellationToken cancellationToken)
    {
        if (await OpenProcessAsync(client, id, cancellationToken) is not { } process)
        {
            return TypedResults.Problem(title: "Aanmelden kan niet", detail: "Bij dit adres hoort geen lopend dialoogtraject met open aanmelding.", statusCode: StatusCodes.Status404NotFound);
        }

        var (body, errors) = await JsonBody.ReadAsync<SignUpBody>(request, DefinitionJson.Options);
        if (body is null)
        {
            return Problems.Invalid(errors);
        }

        var (problems, accepted) = await TakeInAsync(request.HttpContext, process, id, body, cancellationToken);
        if (problems is not null)
        {
            return problems.TryGetValue("", out var refusal)
                ? TypedResults.Problem(title: "Aanmelden lukt nu niet", detail: refusal[0], statusCode: StatusCodes.Status409Conflict)
                : Problems.Invalid(problems);
        }

        return TypedResults.Accepted((string?)null, accepted!);
    }

    /// <summary>
    /// Checks the sign-up and takes it in: with e-mail stored until confirmed (one e-mail per address per process),
    /// with only a phone number straight to the process. Returns errors (key "" for a refusal that is not about a field), or what happened.
    /// </summary>
    internal static async Task<(IReadOnlyDictionary<string, string[]>? Errors, SignUpAccepted? Accepted)> TakeInAsync(
        HttpContext http, (ProcessStatus Status, ProcessDefinition Definition, string? Nonce) process, string id, SignUpBody body, CancellationToken cancellationToken)
    {
        var services = http.RequestServices;
        var definition = process.Definition;
        var person = ProcessDefinitionNormalizer.Reach(new ParticipantDefinition(
            body.Name?.Trim() ?? "",
            body.Email?.Trim() ?? "",
            (definition.SignUp!.Groups.FirstOrDefault(g => string.Equals(g, body.Group?.Trim(), StringComparison.OrdinalIgnoreCase)) ?? body.Group?.Trim()) ?? "",
            string.IsNullOrWhiteSpace(body.Language) ? Languages.Dutch : body.Language.Trim().ToLowerInvariant(),
            Phone: string.IsNullOrWhiteSpace(body.Phone) ? null : body.Phone.Trim()));

        // Whether an address already takes part is nobody's business: for an address, the check against known people
        // leaves it out (a second confirmation then changes nothing); for a phone number the call list needs no doubles.
        var known = await ProcessesApi.WithKnownParticipantsAsync(definition, id, services.GetRequiredService<ParticipantDirectory>(), cancellationToken);
        if (person.Email.Length > 0)
        {
            known = known with { Participants = [.. known.Participants.Where(p => !string.Equals(p.Email, person.Email, StringComparison.OrdinalIgnoreCase))] };
        }

        var errors = SignUpRules.Validate(known, person, body.Answers);
        if (!ParticipantLanguage.IsSupported(person.Language))
        {
            errors = new Dictionary<string, string[]>(errors, StringComparer.Ordinal)
            {
                ["language"] = [$"Kies de taal van uw e-mails en pagina's: {Languages.Dutch} (Nederlands), {Languages.English} (Engels) of {Languages.Arabic} (Arabisch)."],
            };
        }

        if (errors.Count > 0)
        {
            return (errors, null);
        }

        var answers = SignUpRules.Tidy(definition.SignUp.Questions ?? [], body.Answers);
        var client = services.GetRequiredService<DurableTaskClient>();
        if (person.Email.Length == 0)
        {
            await client.SignalAsync(id, new SignUpSignal(person, answers, services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime), cancellationToken);
            return (null, new SignUpAccepted("signedUp", SignedUpByPhone));
        }

        var intake = services.GetRequiredService<SignUpIntake>();
        var (outcome, pending) = await intake.SubmitAsync(id, person, answers, cancellationToken);
        if (outcome == SignUpIntakeOutcome.Full)
        {
            return (Refusal("Er zijn nu veel aanmeldingen die nog niet bevestigd zijn. Probeer het morgen opnieuw, of bel de gemeente. Er is niets opgeslagen."), null);
        }

        if (outcome == SignUpIntakeOutcome.Stored)
        {
            var request = new SendMailRequest(
                id,
                MailKind.SignUpConfirm,
                new MailRecipient("signup", pending!.Participant.Name, pending.Participant.Email, pending.Participant.Language),
                new MailProcess(definition.Topic, definition.Area, null, definition.Coordinator.Name, definition.Coordinator.Email),
                [],
                AttachCalendar: false,
                ReplyDeadlineUtc: null,
                new MailLinks(LinkPurpose.SignUpConfirmation, pending.Id, ["confirmSignUp"], pending.CreatedUtc + SignUpIntake.ConfirmWithin),
                [])
            {
                IdempotencyKey = MailKeys.For(id, "signup-confirm:" + pending.Id),
                ProcessNonce = process.Nonce,
            };
            try
            {
                await ActivatorUtilities.CreateInstance<SendMailActivity>(services).SendAsync(request, cancellationToken);
            }
            catch (Exception ex) when (ex is EmailSendException or IOException or HttpRequestException)
            {
                await intake.TakeAsync(id, pending.Id, CancellationToken.None);
                return (Refusal("We konden u nu geen e-mail sturen. Probeer het over een paar minuten opnieuw. Er is niets opgeslagen."), null);
            }
        }

        // AlreadyPending answers the same as the first time: the first e-mail still works, and no second one is sent.
        return (null, new SignUpAccepted("awaitingConfirmation", AwaitingConfirmation));
    }

    private static Dictionary<string, string[]> Refusal(string message) => new(StringComparer.Ordinal) { [""] = [message] };
}
