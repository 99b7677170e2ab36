using System.Globalization;
using Dialoog.Core.Actions;
using Dialoog.Web.Api;
using Dialoog.Core.Configuration;
using Dialoog.Web.Hosting;
using Dialoog.Core.Processes.Definition;
using Dialoog.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

using Dialoog.Core.Privacy;

namespace Dialoog.Web.Api;

/// <summary>The address of the person an export or erasure is about; in the body, so it never lands in a URL log.</summary>
public sealed record PersonBody(string? Email);

/// <summary>AVG: access and erasure endpoints, the privacy statement.</summary>
public static class PrivacyEndpoints
{
    public static IEndpointRouteBuilder MapPrivacy(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/privacy").AddEndpointFilter<CoordinatorApiKeyFilter>().WithTags("Privacy (AVG)");
        api.MapPost("/export", ExportAsync).WithSummary("Alle gegevens van één persoon, gezocht op e-mailadres.").Accepts<PersonBody>("application/json");
        api.MapPost("/erase", EraseAsync).WithSummary("Eén persoon wissen uit alle trajecten, ook lopende; de gegevens van anderen blijven.").Accepts<PersonBody>("application/json");
        api.MapGet("/summaries", async (PrivacyService privacy, CancellationToken ct) => TypedResults.Ok(await privacy.SummariesAsync(ct)))
            .WithSummary("De anonieme samenvattingen van opgeschoonde trajecten.");
        routes.MapGet("/privacy", () => Html.Page("Privacy", Statement)).ExcludeFromDescription();
        return routes;
    }

    private static async Task<Results<Ok<PersonalDataExport>, ValidationProblem>> ExportAsync(HttpRequest request, PrivacyService privacy)
    {
        var (email, problem) = await ReadAsync(request);
        return email is null ? problem! : TypedResults.Ok(await privacy.ExportAsync(email, request.HttpContext.RequestAborted));
    }

    private static async Task<Results<Ok<ErasureResult>, Conflict<ErasureResult>, ValidationProblem>> EraseAsync(HttpRequest request, PrivacyService privacy)
    {
        var (email, problem) = await ReadAsync(request);
        if (email is null)
        {
            return problem!;
        }

        var result = await privacy.EraseAsync(email, request.HttpContext.RequestAborted);
        // 409 while a running process still needs the person somewhere: the body says where and why; asking again later finishes it.
        return result.Blocked.Count > 0 ? TypedResults.Conflict(result) : TypedResults.Ok(result);
    }

    private static async Task<(string? Email, ValidationProblem? Problem)> ReadAsync(HttpRequest request)
    {
        var (body, errors) = await JsonBody.ReadAsync<PersonBody>(request, DefinitionJson.Options);
        if (body is null)
        {
            return (null, Problems.Invalid(errors));
        }

        if (!DefinitionRules.IsValidEmail(body.Email?.Trim()))
        {
            return (null, Problems.Invalid(new Dictionary<string, string[]> { ["email"] = ["Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl."] }));
        }

        return (body.Email!.Trim(), null);
    }

    private const string Statement =
        "<p>Dialoog is een hulpmiddel van de gemeente om dialogen te organiseren. Hier leest u welke gegevens wij van u gebruiken en waarom.</p>"
        + "<h2>Welke gegevens</h2><ul><li>Uw naam en e-mailadres.</li><li>De groep waarvoor u bent uitgenodigd.</li>"
        + "<li>Uw antwoord op de uitnodiging en een opmerking als u die geeft.</li>"
        + "<li>Afspraken waarvoor u eigenaar bent, en hoe het ermee staat.</li><li>Het verslag van een bijeenkomst waar u bij was.</li></ul>"
        + "<h2>Waarom</h2><p>Om u uit te nodigen, u te herinneren, het verslag te sturen en de afspraken te volgen. "
        + "Wij gebruiken uw gegevens niet voor iets anders. Wij verkopen ze niet en geven ze niet aan anderen.</p>"
        + "<h2>Hoe lang</h2><p>Na het einde van het dialoogtraject bewaren wij uw gegevens nog een tijd, meestal één jaar. "
        + "Daarna wissen wij ze vanzelf. Wat overblijft zijn alleen getallen, zoals hoeveel mensen er waren. Daarin staat niets over u.</p>"
        + "<h2>Uw rechten</h2><p>U mag vragen welke gegevens wij van u hebben. U mag ook vragen om ze te wissen. "
        + "Stuur daarvoor een e-mail naar de coördinator van uw dialoog (het adres staat in de uitnodiging). "
        + "Wij antwoorden binnen een maand. Wij schrijven op dat u het vroeg, maar niet uw e-mailadres.</p>"
        + "<h2>Uw gegevens in berichten van het systeem</h2><p>In de logboeken van het systeem staan geen namen en geen e-mailadressen, alleen nummers.</p>"
        + "<p>Heeft u een klacht? Neem contact op met de functionaris gegevensbescherming van de gemeente, of met de Autoriteit Persoonsgegevens.</p>";
}
