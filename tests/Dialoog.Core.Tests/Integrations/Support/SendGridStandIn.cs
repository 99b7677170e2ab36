using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Dialoog.Core.Tests.Integrations.Support;

/// <summary>
/// SendGrid's v3 mail send endpoint on loopback: checks the API key and the payload the way SendGrid documents it
/// (personalizations, from, subject, content order, attachments, categories, custom args) and answers as SendGrid does:
/// 202 (200 in sandbox mode), or 400/401 with <c>{"errors":[{"message","field"}]}</c>. Tests script 429 (with
/// Retry-After) and 5xx answers for the next requests.
/// </summary>
internal sealed class SendGridStandIn : IAsyncDisposable
{
    public const string ApiKey = "SG.stand-in-key.4f1c0b9e7d2a4c8f";

    private readonly WebApplication app;
    private readonly ConcurrentQueue<(int Status, int? RetryAfterSeconds)> scripted = new();
    private readonly ConcurrentQueue<JsonObject> accepted = new();
    private int requests;

    private SendGridStandIn(WebApplication app, Uri root)
    {
        this.app = app;
        BaseUrl = root;
    }

    /// <summary>For <c>Mail__SendGrid__BaseUrl</c>.</summary>
    public Uri BaseUrl { get; }

    public int Requests => Volatile.Read(ref requests);

    /// <summary>Every request SendGrid accepted, in order.</summary>
    public IReadOnlyList<JsonObject> Accepted => accepted.ToList();

    public static async Task<SendGridStandIn> StartAsync()
    {
        SendGridStandIn? standIn = null;
        var (app, root) = await StandInServer.StartAsync(web => web.MapPost("/v3/mail/send", (Func<HttpContext, Task<IResult>>)(http => standIn!.SendAsync(http))));
        standIn = new SendGridStandIn(app, root);
        return standIn;
    }

    /// <summary>The next request (after the key check) gets this answer instead of being accepted.</summary>
    public void AnswerNext(int status, int? retryAfterSeconds = null) => scripted.Enqueue((status, retryAfterSeconds));

    /// <summary>Accepted e-mails to <paramref name="address"/>.</summary>
    public IReadOnlyList<JsonObject> To(string address) =>
        Accepted.Where(m => m["personalizations"]!.AsArray().Any(p => p!["to"]!.AsArray().Any(t => string.Equals((string?)t!["email"], address, StringComparison.OrdinalIgnoreCase)))).ToList();

    public static string Subject(JsonObject mail) => (string?)mail["subject"] ?? "";

    public static string Content(JsonObject mail, string type) =>
        mail["content"]!.AsArray().Select(c => c!.AsObject()).FirstOrDefault(c => ((string?)c["type"])!.StartsWith(type, StringComparison.Ordinal))?["value"]?.GetValue<string>() ?? "";

    public static string CustomArg(JsonObject mail, string name) =>
        (string?)mail["personalizations"]![0]!["custom_args"]?[name] ?? (string?)mail["custom_args"]?[name] ?? "";

    private async Task<IResult> SendAsync(HttpContext http)
    {
        Interlocked.Increment(ref requests);
        if (http.Request.Headers.Authorization.ToString() != "Bearer " + ApiKey)
        {
            return Errors(StatusCodes.Status401Unauthorized, ("The provided authorization grant is invalid, expired, or revoked", null));
        }

        if (scripted.TryDequeue(out var answer))
        {
            if (answer.RetryAfterSeconds is { } seconds)
            {
                http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return Errors(answer.Status, answer.Status == 429 ? ("too many requests", null) : ("internal server error", null));
        }

        if (http.Request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) != true)
        {
            return Errors(StatusCodes.Status415UnsupportedMediaType, ("Content-Type should be application/json.", null));
        }

        JsonObject mail;
        try
        {
            mail = (await JsonNode.ParseAsync(http.Request.Body))?.AsObject() ?? throw new InvalidOperationException("empty body");
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException)
        {
            return Errors(StatusCodes.Status400BadRequest, ("Bad Request", null));
        }

        var problems = Validate(mail).ToList();
        if (problems.Count > 0)
        {
            return Errors(StatusCodes.Status400BadRequest, [.. problems]);
        }

        accepted.Enqueue(mail);
        http.Response.Headers["X-Message-Id"] = Guid.NewGuid().ToString("N");
        var sandbox = mail["mail_settings"]?["sandbox_mode"]?["enable"]?.GetValue<bool>() == true;
        return Results.StatusCode(sandbox ? StatusCodes.Status200OK : StatusCodes.Status202Accepted);
    }

    private static IEnumerable<(string Message, string? Field)> Validate(JsonObject mail)
    {
        if (mail["personalizations"] is not JsonArray personalizations || personalizations.Count is < 1 or > 1000)
        {
            yield return ("The personalizations field is required and must have at least one personalization.", "personalizations");
            yield break;
        }

        for (var i = 0; i < personalizations.Count; i++)
        {
            if (personalizations[i]?["to"] is not JsonArray to || to.Count == 0)
            {
                yield return ("The to array is required for all personalization objects, and must have at least one email object with a valid email address.", $"personalizations.{i}.to");
                continue;
            }

            for (var j = 0; j < to.Count; j++)
            {
                if (!StandInServer.IsEmail((string?)to[j]?["email"]))
                {
                    yield return ("Does not contain a valid address.", $"personalizations.{i}.to.{j}.email");
                }
            }

            if (to.Select(t => ((string?)t?["email"])?.ToUpperInvariant()).Distinct().Count() != to.Count)
            {
                yield return ("Each email address in the personalization block should be unique between to, cc, and bcc.", $"personalizations.{i}.to");
            }

            if (string.IsNullOrEmpty((string?)mail["subject"]) && string.IsNullOrEmpty((string?)personalizations[i]?["subject"]))
            {
                yield return ("The subject is required. You can get around this requirement if you use a template with a subject defined or if every personalization has a subject defined.", "subject");
            }

            foreach (var problem in CustomArgs(personalizations[i]?["custom_args"], $"personalizations.{i}.custom_args"))
            {
                yield return problem;
            }
        }

        if (!StandInServer.IsEmail((string?)mail["from"]?["email"]))
        {
            yield return ("The from object must be provided for every email send. It is an object that requires the email parameter, but may also contain a name parameter.", "from.email");
        }

        foreach (var problem in Contents(mail["content"] as JsonArray))
        {
            yield return problem;
        }

        if (mail["attachments"] is JsonArray attachments)
        {
            for (var i = 0; i < attachments.Count; i++)
            {
                var content = (string?)attachments[i]?["content"];
                var buffer = new byte[(content?.Length ?? 0) + 4];
                if (string.IsNullOrEmpty(content) || !Convert.TryFromBase64String(content, buffer, out _))
                {
                    yield return ("The attachment content must be base64 encoded.", $"attachments.{i}.content");
                }

                if (string.IsNullOrEmpty((string?)attachments[i]?["filename"]))
                {
                    yield return ("The attachment filename parameter is required.", $"attachments.{i}.filename");
                }

                if ((string?)attachments[i]?["disposition"] is { } disposition && disposition is not ("attachment" or "inline"))
                {
                    yield return ("The disposition of your attachment can be either \"inline\" or \"attachment\".", $"attachments.{i}.disposition");
                }
            }
        }

        if (mail["categories"] is JsonArray categories
            && (categories.Count > 10 || categories.Any(c => ((string?)c)?.Length is null or 0 or > 255) || categories.Select(c => (string?)c).Distinct().Count() != categories.Count))
        {
            yield return ("Categories must be unique, at most 10, each at most 255 characters.", "categories");
        }

        foreach (var problem in CustomArgs(mail["custom_args"], "custom_args"))
        {
            yield return problem;
        }
    }

    /// <summary>text/plain first, then text/html, then anything else; no empty values.</summary>
    private static IEnumerable<(string Message, string? Field)> Contents(JsonArray? content)
    {
        if (content is null || content.Count == 0)
        {
            yield return ("Unless a valid template_id is provided, the content parameter is required. There must be at least one defined content block.", "content");
            yield break;
        }

        var types = content.Select(c => ((string?)c?["type"])?.Split(';')[0].Trim().ToLowerInvariant() ?? "").ToList();
        var plain = types.IndexOf("text/plain");
        var html = types.IndexOf("text/html");
        if ((plain > 0) || (html >= 0 && types.Take(html).Any(t => t is not "text/plain")))
        {
            yield return ("If present, text/plain and text/html may only be provided in order, and text/plain must be first.", "content");
        }

        for (var i = 0; i < content.Count; i++)
        {
            if (string.IsNullOrEmpty(types[i]) || string.IsNullOrEmpty((string?)content[i]?["value"]))
            {
                yield return ("The content value must be a string at least one character in length.", $"content.{i}.value");
            }
        }
    }

    private static IEnumerable<(string Message, string? Field)> CustomArgs(JsonNode? args, string field)
    {
        if (args is null)
        {
            yield break;
        }

        if (args is not JsonObject values || values.Any(v => v.Value is not JsonValue value || value.GetValueKind() != System.Text.Json.JsonValueKind.String))
        {
            yield return ("Custom args must be an object whose values are strings.", field);
        }
        else if (args.ToJsonString().Length > 10_000)
        {
            yield return ("Custom args may not exceed 10,000 bytes.", field);
        }
    }

    private static IResult Errors(int status, params (string Message, string? Field)[] errors) =>
        Results.Json(new JsonObject
        {
            ["errors"] = new JsonArray(errors.Select(e => (JsonNode)new JsonObject { ["message"] = e.Message, ["field"] = e.Field, ["help"] = null }).ToArray()),
        }, statusCode: status);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
