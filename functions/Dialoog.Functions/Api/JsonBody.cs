using System.Text.Json;
using Dialoog.Functions.Processes.Definition;

namespace Dialoog.Functions.Api;

/// <summary>
/// Reads a JSON request body ourselves instead of through parameter binding, so that a malformed body or a value of
/// the wrong type becomes a field-level Dutch error (ProblemDetails) instead of a bare 400.
/// </summary>
internal static class JsonBody
{
    /// <summary>Largest body the API reads: a definition with 500 participants is well under this.</summary>
    public const int MaxBytes = 1024 * 1024;

    public static async Task<(T? Value, Dictionary<string, string[]> Errors)> ReadAsync<T>(HttpRequest request, JsonSerializerOptions options)
        where T : class
    {
        var errors = new Dictionary<string, string[]>();
        if (request.ContentLength is > MaxBytes)
        {
            errors[""] = [$"Het verzoek is te groot (meer dan {MaxBytes / 1024} kB)."];
            return (null, errors);
        }

        if (!(request.ContentType ?? "").StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            errors[""] = ["Stuur de gegevens als JSON (Content-Type: application/json)."];
            return (null, errors);
        }

        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, options, request.HttpContext.RequestAborted);
            if (value is null)
            {
                errors[""] = ["Het verzoek is leeg."];
            }

            return (value, errors);
        }
        catch (JsonException ex)
        {
            var (key, message) = DefinitionJson.Describe(ex, typeof(T));
            errors[key] = [message];
            return (null, errors);
        }
    }
}
