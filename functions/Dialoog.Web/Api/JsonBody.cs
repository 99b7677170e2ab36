using System.Text.Json;
using Dialoog.Core.Processes.Definition;

namespace Dialoog.Web.Api;

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

        // A body sent without Content-Length (chunked) is held to the same limit while it is read.
        if (request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBytes;
        }

        try
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
            var bytes = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
            if (BrokenText(bytes))
            {
                errors[""] = ["Het verzoek bevat een beschadigd teken (een half UTF-16-teken, bijvoorbeeld \\ud800). Typ de tekst opnieuw."];
                return (null, errors);
            }

            var value = JsonSerializer.Deserialize<T>(bytes.Span, options);
            if (value is null)
            {
                errors[""] = ["Het verzoek is leeg."];
            }

            return (value, errors);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            errors[""] = [$"Het verzoek is te groot (meer dan {MaxBytes / 1024} kB)."];
            return (null, errors);
        }
        catch (JsonException ex)
        {
            var (key, message) = DefinitionJson.Describe(ex, typeof(T));
            errors[key] = [message];
            return (null, errors);
        }
    }

    /// <summary>
    /// True when a string in the JSON is an escaped lone surrogate (<c>"\ud800"</c>): valid JSON syntax, but no text, and
    /// reading it later (deep inside a <see cref="System.Text.Json.Nodes.JsonObject"/>) would throw. Malformed JSON is
    /// left to the deserializer, which names the place.
    /// </summary>
    private static bool BrokenText(ReadOnlyMemory<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return !Readable(document.RootElement);
        }
        catch (JsonException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }

    private static bool Readable(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                _ = element.GetString();
                return true;
            case JsonValueKind.Array:
                return element.EnumerateArray().All(Readable);
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    _ = property.Name;
                    if (!Readable(property.Value))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return true;
        }
    }
}
