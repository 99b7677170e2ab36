using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Dialoog.Core.Tests.Integrations.Support;

/// <summary>One request as the Graph stand-in saw it, with its JSON body (null when it had none).</summary>
internal sealed record GraphRequest(string Method, string Path, int Status, JsonObject? Body);

/// <summary>
/// Microsoft Graph's calendar endpoints for one organizer mailbox, plus Entra ID's client-credentials token endpoint,
/// on loopback. Every Graph call must carry a bearer token this stand-in issued; the mailbox must be the one the app
/// may use (as an application access policy enforces); bodies are checked the way Graph checks them. Events live in
/// memory: create (idempotent on <c>transactionId</c>), read, update (attendees replaced, their replies kept) and the
/// cancel action. Tests script throttling (429 + Retry-After), play an attendee replying in Outlook, and read the copy
/// of an event that Exchange gives one attendee (<see cref="AttendeeCopy"/>).
/// </summary>
internal sealed class GraphStandIn : IAsyncDisposable
{
    public const string TenantId = "7f0c2a51-tenant";
    public const string ClientId = "3d9b6e24-client";
    public const string ClientSecret = "stand-in-secret-9c1e";
    public const string Scope = "https://graph.microsoft.com/.default";

    private readonly WebApplication app;
    private readonly object gate = new();
    private readonly Dictionary<string, JsonObject> events = [];
    private readonly List<(string EventId, string Comment)> cancellations = [];
    private readonly ConcurrentDictionary<string, bool> tokens = new();
    private readonly ConcurrentQueue<GraphRequest> requests = new();
    private readonly ConcurrentQueue<(int Status, string Code, string Message, int? RetryAfter)> scripted = new();

    private GraphStandIn(WebApplication app, Uri root, string mailbox)
    {
        this.app = app;
        Root = root;
        Mailbox = mailbox;
    }

    public Uri Root { get; }

    /// <summary>The only mailbox the app registration may use.</summary>
    public string Mailbox { get; }

    /// <summary>For <c>Calendar__Graph__BaseUrl</c>.</summary>
    public string BaseUrl => new Uri(Root, "v1.0").AbsoluteUri;

    public Uri TokenEndpoint => new(Root, $"{TenantId}/oauth2/v2.0/token");

    public IReadOnlyList<GraphRequest> Requests => requests.ToList();

    public int TokensIssued => tokens.Count;

    public IReadOnlyList<JsonObject> Events
    {
        get
        {
            lock (gate)
            {
                return events.Values.Select(e => e.DeepClone().AsObject()).ToList();
            }
        }
    }

    public IReadOnlyList<(string EventId, string Comment)> Cancellations
    {
        get
        {
            lock (gate)
            {
                return cancellations.ToList();
            }
        }
    }

    public static async Task<GraphStandIn> StartAsync(string mailbox = "dialoog-agenda@gemeente.example")
    {
        GraphStandIn? standIn = null;
        var (app, root) = await StandInServer.StartAsync(web =>
        {
            web.MapPost("/{tenant}/oauth2/v2.0/token", (string tenant, HttpContext http) => standIn!.TokenAsync(tenant, http));
            web.MapPost("/v1.0/users/{mailbox}/events", (string mailbox, HttpContext http) => standIn!.HandleAsync(http, mailbox, null, standIn.CreateAsync));
            web.MapGet("/v1.0/users/{mailbox}/events/{id}", (string mailbox, string id, HttpContext http) => standIn!.HandleAsync(http, mailbox, id, standIn.GetAsync));
            web.MapMethods("/v1.0/users/{mailbox}/events/{id}", ["PATCH"], (string mailbox, string id, HttpContext http) => standIn!.HandleAsync(http, mailbox, id, standIn.UpdateAsync));
            web.MapPost("/v1.0/users/{mailbox}/events/{id}/cancel", (string mailbox, string id, HttpContext http) => standIn!.HandleAsync(http, mailbox, id, standIn.CancelAsync));
        });
        standIn = new GraphStandIn(app, root, mailbox);
        return standIn;
    }

    /// <summary>The next <paramref name="count"/> Graph calls are throttled.</summary>
    public void ThrottleNext(int count, int retryAfterSeconds)
    {
        for (var i = 0; i < count; i++)
        {
            scripted.Enqueue((StatusCodes.Status429TooManyRequests, "ApplicationThrottled", "Application is over its MailboxConcurrency limit.", retryAfterSeconds));
        }
    }

    public void FailNext(int status, string code, string message) => scripted.Enqueue((status, code, message, null));

    /// <summary>
    /// The event as Exchange puts it in one attendee's calendar and meeting request. With <c>hideAttendees</c> true
    /// the attendee list holds only that attendee (Graph: "each attendee only sees themselves in the meeting request
    /// and meeting Tracking list"); otherwise it holds everyone. Replies of others are never in an attendee's copy.
    /// </summary>
    public JsonObject AttendeeCopy(string eventId, string address)
    {
        lock (gate)
        {
            var copy = events[eventId].DeepClone().AsObject();
            var attendees = copy["attendees"]!.AsArray();
            if (!attendees.Any(a => SameAddress(a, address)))
            {
                throw new InvalidOperationException($"{address} is not an attendee of event {eventId}.");
            }

            var hidden = copy["hideAttendees"]?.GetValue<bool>() == true;
            var visible = new JsonArray();
            foreach (var attendee in attendees.Where(a => !hidden || SameAddress(a, address)))
            {
                var seen = attendee!.DeepClone().AsObject();
                seen.Remove("status");
                visible.Add(seen);
            }

            copy["attendees"] = visible;
            return copy;
        }
    }

    /// <summary>What Outlook does when the attendee clicks Accept / Decline / Tentative: the event's attendee status changes.</summary>
    public void Reply(string eventId, string address, string response)
    {
        lock (gate)
        {
            var attendee = events[eventId]["attendees"]!.AsArray()
                .Single(a => string.Equals((string?)a!["emailAddress"]!["address"], address, StringComparison.OrdinalIgnoreCase))!;
            attendee["status"] = new JsonObject { ["response"] = response, ["time"] = DateTime.UtcNow.ToString("o", CultureInfo.InvariantCulture) };
        }
    }

    private async Task<IResult> TokenAsync(string tenant, HttpContext http)
    {
        var form = await http.Request.ReadFormAsync();
        if (tenant != TenantId)
        {
            return Results.Json(new JsonObject { ["error"] = "invalid_request", ["error_description"] = $"AADSTS90002: Tenant '{tenant}' not found." }, statusCode: 400);
        }

        if (form["grant_type"] != "client_credentials" || form["client_id"] != ClientId || form["client_secret"] != ClientSecret)
        {
            return Results.Json(new JsonObject { ["error"] = "invalid_client", ["error_description"] = "AADSTS7000215: Invalid client secret provided." }, statusCode: 401);
        }

        if (form["scope"] != Scope)
        {
            return Results.Json(new JsonObject { ["error"] = "invalid_scope", ["error_description"] = "AADSTS1002012: The provided value for scope is not valid." }, statusCode: 400);
        }

        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
        tokens[token] = true;
        return Results.Json(new JsonObject { ["token_type"] = "Bearer", ["expires_in"] = 3599, ["access_token"] = token });
    }

    private async Task<IResult> HandleAsync(HttpContext http, string mailbox, string? id, Func<HttpContext, string?, Task<IResult>> handler)
    {
        // Read once for the record, then rewound for the handler.
        http.Request.EnableBuffering();
        var sent = await BodyAsync(http);
        http.Request.Body.Position = 0;
        var result = await GateAsync(http, mailbox) ?? await handler(http, id);
        requests.Enqueue(new GraphRequest(http.Request.Method, http.Request.Path.Value ?? "", result is IStatusCodeHttpResult { StatusCode: { } status } ? status : 200, sent));
        return result;
    }

    /// <summary>Token, mailbox and scripted failures, in the order Graph applies them.</summary>
    private Task<IResult?> GateAsync(HttpContext http, string mailbox)
    {
        var authorization = http.Request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Bearer ", StringComparison.Ordinal) || !tokens.ContainsKey(authorization["Bearer ".Length..]))
        {
            return Task.FromResult<IResult?>(Error(StatusCodes.Status401Unauthorized, "InvalidAuthenticationToken", "Access token is empty or invalid."));
        }

        if (!string.Equals(mailbox, Mailbox, StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult<IResult?>(Error(StatusCodes.Status403Forbidden, "ErrorAccessDenied", "Access to OData is disabled: the application access policy does not allow this mailbox."));
        }

        if (scripted.TryDequeue(out var failure))
        {
            if (failure.RetryAfter is { } seconds)
            {
                http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            }

            return Task.FromResult<IResult?>(Error(failure.Status, failure.Code, failure.Message));
        }

        return Task.FromResult<IResult?>(null);
    }

    private async Task<IResult> CreateAsync(HttpContext http, string? unused)
    {
        if (await BodyAsync(http) is not { } body)
        {
            return Error(400, "BadRequest", "Empty Payload. JSON content expected.");
        }

        if (Problem(body, creating: true) is { } problem)
        {
            return Error(400, "ErrorInvalidRequest", problem);
        }

        lock (gate)
        {
            var transactionId = (string?)body["transactionId"];
            var existing = transactionId is null ? null : events.Values.FirstOrDefault(e => (string?)e["transactionId"] == transactionId);
            if (existing is not null)
            {
                // Graph's promise for transactionId: a repeated create gives back the event made the first time.
                return Results.Json(existing.DeepClone(), statusCode: 201);
            }

            var id = "AAMk" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
            body["id"] = id;
            body["isCancelled"] = false;
            body["organizer"] = new JsonObject { ["emailAddress"] = new JsonObject { ["address"] = Mailbox } };
            body["attendees"] = WithStatuses(body["attendees"]!.AsArray(), []);
            events[id] = body;
            return Results.Json(body.DeepClone(), statusCode: 201);
        }
    }

    private Task<IResult> GetAsync(HttpContext http, string? id)
    {
        lock (gate)
        {
            return Task.FromResult(events.TryGetValue(id!, out var item) ? Results.Json(item.DeepClone()) : NotFound());
        }
    }

    private async Task<IResult> UpdateAsync(HttpContext http, string? id)
    {
        if (await BodyAsync(http) is not { } body)
        {
            return Error(400, "BadRequest", "Empty Payload. JSON content expected.");
        }

        if (Problem(body, creating: false) is { } problem)
        {
            return Error(400, "ErrorInvalidRequest", problem);
        }

        lock (gate)
        {
            if (!events.TryGetValue(id!, out var item))
            {
                return NotFound();
            }

            foreach (var (name, value) in body.ToList())
            {
                item[name] = name == "attendees" ? WithStatuses(value!.AsArray(), item["attendees"]!.AsArray()) : value?.DeepClone();
            }

            return Results.Json(item.DeepClone());
        }
    }

    private async Task<IResult> CancelAsync(HttpContext http, string? id)
    {
        var body = await BodyAsync(http);
        lock (gate)
        {
            if (!events.Remove(id!))
            {
                return NotFound();
            }

            // Graph documents the action's parameter as "Comment" and reads parameter names case-insensitively.
            var comment = body?.FirstOrDefault(p => string.Equals(p.Key, "comment", StringComparison.OrdinalIgnoreCase)).Value;
            cancellations.Add((id!, (string?)comment ?? ""));
            return Results.StatusCode(StatusCodes.Status202Accepted);
        }
    }

    /// <summary>What Graph refuses in an event body (the rules the app relies on).</summary>
    private static string? Problem(JsonObject body, bool creating)
    {
        if (creating && string.IsNullOrWhiteSpace((string?)body["subject"]))
        {
            return "Subject is required.";
        }

        if (body["body"] is JsonObject content && (string?)content["contentType"] is not ("html" or "text"))
        {
            return "body.contentType must be 'text' or 'html'.";
        }

        DateTime? start = null, end = null;
        foreach (var (name, set) in new[] { ("start", (Action<DateTime>)(v => start = v)), ("end", v => end = v) })
        {
            if (body[name] is null && !creating)
            {
                continue;
            }

            if (body[name] is not JsonObject moment
                || !DateTime.TryParse((string?)moment["dateTime"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var value)
                || string.IsNullOrEmpty((string?)moment["timeZone"]))
            {
                return $"{name} must have a dateTime and a timeZone.";
            }

            if ((string?)moment["timeZone"] is not ("Europe/Amsterdam" or "W. Europe Standard Time" or "UTC"))
            {
                return $"A valid TimeZone value must be specified. The following TimeZone value is not supported: '{moment["timeZone"]}'.";
            }

            set(value);
        }

        if (start is { } s && end is { } e && e <= s)
        {
            return "The end of the event must be after its start.";
        }

        if (body["attendees"] is JsonArray attendees)
        {
            foreach (var attendee in attendees)
            {
                if (!StandInServer.IsEmail((string?)attendee?["emailAddress"]?["address"]) || (string?)attendee?["type"] is not ("required" or "optional" or "resource"))
                {
                    return "Each attendee needs a valid emailAddress.address and a type.";
                }
            }
        }
        else if (creating)
        {
            return "An event sent to attendees needs attendees.";
        }

        return null;
    }

    /// <summary>New attendees start with "none"; those already on the event keep their reply.</summary>
    private static JsonArray WithStatuses(JsonArray attendees, JsonArray before)
    {
        var result = new JsonArray();
        foreach (var attendee in attendees)
        {
            var copy = attendee!.DeepClone().AsObject();
            var address = (string?)copy["emailAddress"]!["address"];
            var previous = before.FirstOrDefault(b => string.Equals((string?)b!["emailAddress"]!["address"], address, StringComparison.OrdinalIgnoreCase));
            copy["status"] = previous?["status"]?.DeepClone() ?? new JsonObject { ["response"] = "none", ["time"] = "0001-01-01T00:00:00Z" };
            result.Add(copy);
        }

        return result;
    }

    private static bool SameAddress(JsonNode? attendee, string address) =>
        string.Equals((string?)attendee?["emailAddress"]?["address"], address, StringComparison.OrdinalIgnoreCase);

    private static async Task<JsonObject?> BodyAsync(HttpContext http)
    {
        try
        {
            return (await JsonNode.ParseAsync(http.Request.Body)) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static IResult NotFound() => Error(404, "ErrorItemNotFound", "The specified object was not found in the store.");

    private static IResult Error(int status, string code, string message) =>
        Results.Json(new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } }, statusCode: status);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
