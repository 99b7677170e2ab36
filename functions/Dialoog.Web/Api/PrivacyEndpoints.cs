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

/// <summary>
/// The person an export or erasure is about: their e-mail address, or for someone reached without e-mail their phone
/// number (06-12345678 and +31 6 12345678 are the same). In the body, so it never lands in a URL log.
/// </summary>
public sealed record PersonBody(string? Email, string? Phone = null);

/// <summary>AVG: access and erasure endpoints, the privacy statement.</summary>
public static class PrivacyEndpoints
{
    public static IEndpointRouteBuilder MapPrivacy(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/privacy").AddEndpointFilter<CoordinatorApiKeyFilter>().WithTags("Privacy (AVG)");
        api.MapPost("/export", ExportAsync).WithSummary("Alle gegevens van één persoon, gezocht op e-mailadres of telefoonnummer.").Accepts<PersonBody>("application/json");
        api.MapPost("/erase", EraseAsync).WithSummary("Eén persoon wissen uit alle trajecten, ook lopende; de gegevens van anderen blijven.").Accepts<PersonBody>("application/json");
        api.MapGet("/summaries", async (PrivacyService privacy, CancellationToken ct) => TypedResults.Ok(await privacy.SummariesAsync(ct)))
            .WithSummary("De anonieme samenvattingen van opgeschoonde trajecten.");
        routes.MapGet("/privacy", () => Html.Page("Privacy", Statement)).ExcludeFromDescription();
        return routes;
    }

    private static async Task<Results<Ok<PersonalDataExport>, ValidationProblem>> ExportAsync(HttpRequest request, PrivacyService privacy)
    {
        var (who, problem) = await ReadAsync(request);
        return who is null ? problem! : TypedResults.Ok(await privacy.ExportAsync(who, request.HttpContext.RequestAborted));
    }

    private static async Task<Results<Ok<ErasureResult>, Conflict<ErasureResult>, ValidationProblem>> EraseAsync(HttpRequest request, PrivacyService privacy)
    {
        var (who, problem) = await ReadAsync(request);
        if (who is null)
        {
            return problem!;
        }

        var result = await privacy.EraseAsync(who, request.HttpContext.RequestAborted);
        // 409 while a running process still needs the person somewhere: the body says where and why; asking again later finishes it.
        return result.Blocked.Count > 0 ? TypedResults.Conflict(result) : TypedResults.Ok(result);
    }

    private static async Task<(PersonLookup? Who, ValidationProblem? Problem)> ReadAsync(HttpRequest request)
    {
        var (body, errors) = await JsonBody.ReadAsync<PersonBody>(request, DefinitionJson.Options);
        if (body is null)
        {
            return (null, Problems.Invalid(errors));
        }

        static (PersonLookup?, ValidationProblem?) Refuse(string field, string message) =>
            (null, Problems.Invalid(new Dictionary<string, string[]> { [field] = [message] }));

        var hasEmail = !string.IsNullOrWhiteSpace(body.Email);
        var hasPhone = !string.IsNullOrWhiteSpace(body.Phone);
        if (hasEmail && hasPhone)
        {
            // One person per request: two keys could name two different people.
            return Refuse("phone", "Vul een e-mailadres óf een telefoonnummer in, niet allebei.");
        }

        if (hasPhone)
        {
            return PersonLookup.ByPhone(body.Phone) is { } byPhone
                ? (byPhone, null)
                : Refuse("phone", "Vul een geldig telefoonnummer in, zoals 06-12345678 of +31 6 12345678.");
        }

        return DefinitionRules.IsValidEmail(body.Email?.Trim())
            ? (PersonLookup.ByEmail(body.Email!), null)
            : Refuse("email", "Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl. Heeft de persoon geen e-mailadres? Vul dan het telefoonnummer in (phone).");
    }

    private const string Statement =
        "<p>Dialoog is een hulpmiddel van de gemeente om dialogen te organiseren. Hier leest u welke gegevens wij van u gebruiken en waarom.</p>"
        + "<h2>Welke gegevens</h2><ul><li>Uw naam en e-mailadres. Heeft u geen e-mail? Dan uw telefoonnummer of uw adres.</li><li>De groep waarvoor u bent uitgenodigd.</li>"
        + "<li>Uw antwoord op de uitnodiging en een opmerking als u die geeft.</li>"
        + "<li>Afspraken waarvoor u eigenaar bent, en hoe het ermee staat.</li><li>Het verslag van een bijeenkomst waar u bij was.</li></ul>"
        + "<h2>Waarom</h2><p>Om u uit te nodigen, u te herinneren, het verslag te sturen en de afspraken te volgen. "
        + "Wij gebruiken uw gegevens niet voor iets anders. Wij verkopen ze niet en geven ze niet aan anderen.</p>"
        + "<h2>Hoe lang</h2><p>Na het einde van het dialoogtraject bewaren wij uw gegevens nog een tijd, meestal één jaar. "
        + "Daarna wissen wij ze vanzelf. Wat overblijft zijn alleen getallen, zoals hoeveel mensen er waren. Daarin staat niets over u.</p>"
        + "<h2>Uw rechten</h2><p>U mag vragen welke gegevens wij van u hebben. U mag ook vragen om ze te wissen. "
        + "Stuur daarvoor een e-mail naar de coördinator van uw dialoog (het adres staat in de uitnodiging), of bel de gemeente. "
        + "Wij antwoorden binnen een maand. Wij schrijven op dat u het vroeg, maar niet uw e-mailadres of telefoonnummer.</p>"
        + "<h2>Uw gegevens in berichten van het systeem</h2><p>In de logboeken van het systeem staan geen namen en geen e-mailadressen, alleen nummers.</p>"
        + "<p>Heeft u een klacht? Neem contact op met de functionaris gegevensbescherming van de gemeente, of met de Autoriteit Persoonsgegevens.</p>";
}
