using System.Globalization;
using System.Text;
using Dialoog.Core.Email;
using Dialoog.Core.Invitations;
using Dialoog.Core.Links;
using Dialoog.Core.Processes;
using Dialoog.Core.Processes.Definition;
using Dialoog.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.DurableTask.Client;

namespace Dialoog.Web.Api;

/// <summary>An open sign-up as the page and the API take it.</summary>
/// <param name="Answers">Per question id: the ticked choices and, optionally, what they wrote.</param>
public sealed record SignUpBody(string? Name, string? Group, string? Email, string? Phone, IReadOnlyList<SignUpAnswer>? Answers);

/// <param name="Status"><c>awaitingConfirmation</c> (an e-mail was sent) or <c>signedUp</c> (phone only: counted at once).</param>
public sealed record SignUpAccepted(string Status, string Detail);

/// <summary>
/// Open sign-up for a process (<see cref="SignUpLinks.Route"/>), for the groups its coordinator opened. With an e-mail
/// address the person first confirms it (<see cref="SignUpIntake"/>), and nothing else is sent before that; with only
/// a phone number they count at once and land on the coordinator's call list. Public, rate-limited, antiforgery on the form.
/// </summary>
internal static class SignUpPages
{
    /// <summary>Unconfirmed sign-ups a process keeps at most: bounds the e-mails a flood makes us send, far above a real neighbourhood's two days.</summary>
    internal const int MaxUnconfirmed = 200;

    private const string AwaitingConfirmation =
        "We hebben een e-mail gestuurd naar het adres dat u opgaf. Klik op de knop in die e-mail om uw aanmelding te bevestigen. Pas dan bent u aangemeld. De link werkt 48 uur.";

    private const string SignedUpByPhone =
        "U bent aangemeld. De regisseur belt u nog even om het te bevestigen.";

    public static IEndpointRouteBuilder MapSignUps(this IEndpointRouteBuilder routes)
    {
        routes.MapGet(SignUpLinks.Route, ShowAsync).ExcludeFromDescription().RequireRateLimiting(FollowUpEndpoints.PublicRateLimit);
        routes.MapPost(SignUpLinks.Route, SubmitFormAsync).ExcludeFromDescription().RequireRateLimiting(FollowUpEndpoints.PublicRateLimit);
        routes.MapGroup("/api").WithTags("Openbaar")
            .MapPost("/processes/{id}/signups", SubmitJsonAsync).RequireRateLimiting(FollowUpEndpoints.PublicRateLimit)
            .WithSummary("Zich aanmelden voor een traject met open aanmelding (met e-mail: eerst bevestigen).")
            .Accepts<SignUpBody>("application/json");
        return routes;
    }

    private static IResult NotOpen() =>
        Html.Page("Niet gevonden", "<p>Bij dit adres hoort geen dialoogtraject waarvoor u zich nu kunt aanmelden. Misschien is het al afgelopen. Heeft u een brief gekregen? Bel dan de gemeente.</p>", StatusCodes.Status404NotFound);

    /// <summary>The running process with open sign-up, or null.</summary>
    private static async Task<(ProcessStatus Status, ProcessDefinition Definition, string? Nonce)?> OpenProcessAsync(DurableTaskClient client, string processId, CancellationToken cancellationToken) =>
        await FollowUpEndpoints.RunningProcessAsync(client, processId, cancellationToken) is { Definition.SignUp: not null } process ? process : null;

    private static async Task<IResult> ShowAsync(string processId, HttpContext http, DurableTaskClient client, CancellationToken cancellationToken) =>
        await OpenProcessAsync(client, processId, cancellationToken) is { } process
            ? Html.Page("Meedoen", Form(http, processId, process.Definition, new SignUpBody(null, null, null, null, null), new Dictionary<string, string[]>()))
            : NotOpen();

    private static async Task<IResult> SubmitFormAsync(string processId, HttpRequest request, DurableTaskClient client, CancellationToken cancellationToken)
    {
        if (await OpenProcessAsync(client, processId, cancellationToken) is not { } process)
        {
            return NotOpen();
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
        var answers = (process.Definition.SignUp!.Questions ?? [])
            .Select(q => new SignUpAnswer(q.Id, [.. form["answers." + q.Id].Where(v => v is not null).Select(v => v!)], form["answers." + q.Id + ".text"].ToString()))
            .ToList();
        var body = new SignUpBody(form["name"], form["group"], form["email"], form["phone"], answers);
        var (problems, accepted) = await TakeInAsync(request.HttpContext, process, processId, body, cancellationToken);
        if (problems is not null)
        {
            return Html.Page("Meedoen", Form(request.HttpContext, processId, process.Definition, body, problems), StatusCodes.Status400BadRequest);
        }

        return accepted!.Status == "signedUp"
            ? Html.Page("U bent aangemeld", $"<p>{Html.Encode(SignedUpByPhone)}</p>" + PageFrame.NextStep("Kort voor de bijeenkomst hoort u nog van ons."))
            : Html.Page("Kijk in uw e-mail", $"<p>{Html.Encode(AwaitingConfirmation)}</p>"
                + PageFrame.NextStep("Na uw bevestiging krijgt u een e-mail dat u bent aangemeld, met een link om uw antwoord later te veranderen."));
    }

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
    private static async Task<(IReadOnlyDictionary<string, string[]>? Errors, SignUpAccepted? Accepted)> TakeInAsync(
        HttpContext http, (ProcessStatus Status, ProcessDefinition Definition, string? Nonce) process, string id, SignUpBody body, CancellationToken cancellationToken)
    {
        var services = http.RequestServices;
        var definition = process.Definition;
        var person = ProcessDefinitionNormalizer.Reach(new ParticipantDefinition(
            body.Name?.Trim() ?? "",
            body.Email?.Trim() ?? "",
            (definition.SignUp!.Groups.FirstOrDefault(g => string.Equals(g, body.Group?.Trim(), StringComparison.OrdinalIgnoreCase)) ?? body.Group?.Trim()) ?? "",
            Phone: string.IsNullOrWhiteSpace(body.Phone) ? null : body.Phone.Trim()));

        // Whether an address already takes part is nobody's business: for an address, the check against known people
        // leaves it out (a second confirmation then changes nothing); for a phone number the call list needs no doubles.
        var known = await ProcessesApi.WithKnownParticipantsAsync(definition, id, services.GetRequiredService<ParticipantDirectory>(), cancellationToken);
        if (person.Email.Length > 0)
        {
            known = known with { Participants = [.. known.Participants.Where(p => !string.Equals(p.Email, person.Email, StringComparison.OrdinalIgnoreCase))] };
        }

        var errors = SignUpRules.Validate(known, person, body.Answers);
        if (errors.Count > 0)
        {
            return (errors, null);
        }

        var answers = SignUpRules.Tidy(definition.SignUp.Questions ?? [], body.Answers);
        var client = services.GetRequiredService<DurableTaskClient>();
        if (person.Email.Length == 0)
        {
            await client.SignalAsync(id, new SignUpSignal(person, answers, DateTime.UtcNow), cancellationToken);
            return (null, new SignUpAccepted("signedUp", SignedUpByPhone));
        }

        var intake = services.GetRequiredService<SignUpIntake>();
        var (outcome, pending) = await intake.SubmitAsync(id, person, answers, MaxUnconfirmed, cancellationToken);
        if (outcome == SignUpIntakeOutcome.Full)
        {
            return (Refusal("Er zijn nu veel aanmeldingen die nog niet bevestigd zijn. Probeer het morgen opnieuw, of bel de gemeente. Er is niets opgeslagen."), null);
        }

        if (outcome == SignUpIntakeOutcome.Stored)
        {
            var request = new SendMailRequest(
                id,
                MailKind.SignUpConfirm,
                new MailRecipient("signup", pending!.Participant.Name, pending.Participant.Email, Languages.Dutch),
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

    private static string Form(HttpContext http, string processId, ProcessDefinition definition, SignUpBody body, IReadOnlyDictionary<string, string[]> errors)
    {
        var signUp = definition.SignUp!;
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<p class=\"lead\">Doe mee aan het gesprek over <strong>{Html.Encode(definition.Topic)}</strong> ({Html.Encode(definition.Area)}).</p>");
        html.Append("<p>Met dit formulier zegt u: ja, ik kom. Dat geldt voor alle bijeenkomsten van dit gesprek. Later kunt u uw antwoord nog veranderen.</p>");
        if (errors.TryGetValue("", out var refusal))
        {
            html.Append(CultureInfo.InvariantCulture, $"<div class=\"error-summary\" role=\"alert\"><p>{Html.Encode(refusal[0])}</p></div>");
        }
        else
        {
            html.Append(FormErrors.Summary(errors));
        }

        html.Append(PageFrame.FormStart(http, SignUpLinks.PathFor(processId)));
        html.Append(FormErrors.Field("name", "Uw naam", body.Name, errors, multiline: false, autocomplete: "name"));
        html.Append(Choices("group", "Ik doe mee als", signUp.Groups, body.Group is null ? [] : [body.Group], errors, radio: true));
        html.Append("<p>Vul uw e-mailadres of uw telefoonnummer in (of allebei).</p>");
        html.Append(FormErrors.Field("email", "Uw e-mailadres", body.Email, errors, multiline: false, autocomplete: "email", type: "email"));
        html.Append(FormErrors.Field("phone", "Uw telefoonnummer", body.Phone, errors, multiline: false, autocomplete: "tel", type: "tel"));
        foreach (var question in signUp.Questions ?? [])
        {
            var answer = body.Answers?.FirstOrDefault(a => a.QuestionId == question.Id);
            var key = "answers." + question.Id;
            html.Append(Choices(key, question.Text, question.Choices ?? [], answer?.Choices ?? [], errors, radio: false));
            if (question.FreeText)
            {
                html.Append(FormErrors.Field(key + ".text", "Iets anders of een toelichting (niet verplicht)", answer?.Text, errors, multiline: true));
            }
        }

        html.Append("<p><button type=\"submit\">Ja, ik kom</button></p></form>");
        html.Append(PageFrame.NextStep("Met een e-mailadres krijgt u eerst een e-mail om uw aanmelding te bevestigen. Met alleen een telefoonnummer bent u meteen aangemeld; de regisseur belt u nog even."));
        return html.ToString();
    }

    /// <summary>Radio buttons or tick boxes in a fieldset, with the error for <paramref name="name"/> above them.</summary>
    private static string Choices(string name, string legend, IReadOnlyList<string> options, IReadOnlyList<string> selected, IReadOnlyDictionary<string, string[]> errors, bool radio)
    {
        var id = FormErrors.IdFor(name);
        var error = errors.TryGetValue(name, out var messages) ? string.Join(" ", messages) : null;
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<fieldset id=\"{id}\" class=\"field{(error is null ? "" : " has-error")}\"{(error is null ? "" : $" aria-describedby=\"{id}-error\"")}><legend>{Html.Encode(legend)}</legend>");
        if (error is not null)
        {
            html.Append(CultureInfo.InvariantCulture, $"<span class=\"field-error\" id=\"{id}-error\"><span class=\"visually-hidden\">Fout: </span>{Html.Encode(error)}</span>");
        }

        for (var i = 0; i < options.Count; i++)
        {
            var optionId = $"{id}-{i}";
            var isChecked = selected.Contains(options[i], StringComparer.OrdinalIgnoreCase) || (radio && options.Count == 1) ? " checked" : "";
            html.Append(CultureInfo.InvariantCulture,
                $"<div class=\"choice\"><input type=\"{(radio ? "radio" : "checkbox")}\" id=\"{optionId}\" name=\"{Html.Encode(name)}\" value=\"{Html.Encode(options[i])}\"{isChecked}><label for=\"{optionId}\">{Html.Encode(options[i])}</label></div>");
        }

        return html.Append("</fieldset>").ToString();
    }

    /// <summary>The confirmation page of the e-mail link: what they signed up with, and one button. A GET changes nothing.</summary>
    public static async Task<IResult> ConfirmFormAsync(HttpContext http, string token, LinkClaims claims, SignUpIntake intake, CancellationToken cancellationToken)
    {
        if (await intake.FindAsync(claims.ProcessId, claims.Subject, cancellationToken) is not { } pending)
        {
            return NotPending();
        }

        var html = "<p class=\"lead\">U heeft zich aangemeld. Klopt dat? Druk dan op de knop. Pas dan bent u aangemeld.</p>"
            + $"<dl class=\"facts\"><dt>Uw naam</dt><dd>{Html.Encode(pending.Participant.Name)}</dd><dt>U doet mee als</dt><dd>{Html.Encode(pending.Participant.Group)}</dd></dl>"
            + PageFrame.FormStart(http, "/l/" + token)
            + "<p><button type=\"submit\">Ja, meld mij aan</button></p></form>"
            + PageFrame.NextStep("Daarna krijgt u een e-mail dat u bent aangemeld, met een link om uw antwoord later te veranderen.");
        return Html.Page("Bevestig uw aanmelding", html);
    }

    /// <summary>Adds them to the process, once, however often the button is pressed.</summary>
    public static async Task<IResult> ConfirmAsync(LinkClaims claims, SignUpIntake intake, DurableTaskClient client, CancellationToken cancellationToken)
    {
        if (await OpenProcessAsync(client, claims.ProcessId, cancellationToken) is null)
        {
            return Html.Page("Traject is afgelopen", "<p>Voor dit dialoogtraject kunt u zich niet meer aanmelden. Er is niets veranderd.</p>", StatusCodes.Status409Conflict);
        }

        if (await intake.TakeAsync(claims.ProcessId, claims.Subject, cancellationToken) is not { } pending)
        {
            return NotPending();
        }

        await client.SignalAsync(claims.ProcessId, new SignUpSignal(pending.Participant, pending.Answers, DateTime.UtcNow), cancellationToken);
        return Html.Page("U bent aangemeld", "<p>Dank u wel. Uw aanmelding is bevestigd.</p>"
            + PageFrame.NextStep("U krijgt een e-mail dat u bent aangemeld. Daarin staat ook een link om uw antwoord later te veranderen."));
    }

    private static IResult NotPending() =>
        Html.Page("Al bevestigd of verlopen", "<p>Deze aanmelding is al bevestigd, of de link is verlopen (na 48 uur). Heeft u nog niet bevestigd? Meld u dan opnieuw aan.</p>", StatusCodes.Status410Gone);
}
