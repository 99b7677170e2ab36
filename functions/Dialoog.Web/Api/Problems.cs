using Microsoft.AspNetCore.Http.HttpResults;

namespace Dialoog.Web.Api;

/// <summary>The API's one shape for refused input: RFC 7807 with an error per field, and the promise that nothing happened.</summary>
internal static class Problems
{
    public static ValidationProblem Invalid(IReadOnlyDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(
            errors.ToDictionary(),
            detail: "Er is niets opgeslagen en niets verstuurd. Pas de genoemde velden aan en probeer het opnieuw.",
            title: "De invoer klopt niet");
}
