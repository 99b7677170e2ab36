using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dialoog.Functions.Hosting;

/// <summary>
/// The app as an Azure Functions custom handler. The host starts this executable with
/// <c>FUNCTIONS_CUSTOMHANDLER_PORT</c> set; HTTP requests are forwarded unchanged (host.json
/// <c>enableForwardingHttpRequest</c>), and every other trigger is posted to <c>/&lt;functionName&gt;</c> as
/// <c>{ "Data": {...}, "Metadata": {...} }</c>, answered with <c>{ "Outputs": {}, "Logs": [], "ReturnValue": null }</c>.
/// The function folders are in <c>functions/app/</c>; a test keeps them and <see cref="TriggerFunctions"/> in step.
/// Until the Functions app runs the orchestrations itself (isolated worker), the Durable Task engine runs inside this
/// process under the host too, as it does locally: the host only forwards HTTP and calls housekeeping.
/// </summary>
public static class FunctionsHandler
{
    /// <summary>Set by the Functions host: the loopback port it calls the handler on.</summary>
    public const string PortSetting = "FUNCTIONS_CUSTOMHANDLER_PORT";

    /// <summary>The HTTP catch-all; forwarded as plain HTTP, so it has no handler route.</summary>
    public const string HttpFunction = "Http";

    /// <summary>Timer trigger for housekeeping.</summary>
    public const string HousekeepingFunction = "Housekeeping";

    /// <summary>Every non-HTTP function and so every handler route.</summary>
    public static IReadOnlyList<string> TriggerFunctions { get; } = [HousekeepingFunction];

    /// <summary>Under the Functions host: listen where it calls (loopback only).</summary>
    public static void UseFunctionsCustomHandler(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (!IsCustomHandler(builder.Configuration))
        {
            return;
        }

        builder.WebHost.UseUrls(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{builder.Configuration[PortSetting]}"));
    }

    public static bool IsCustomHandler(IConfiguration configuration) =>
        !string.IsNullOrEmpty(configuration?[PortSetting]);

    /// <summary>Maps <c>POST /&lt;functionName&gt;</c> for each trigger function, only under the Functions host.</summary>
    public static void MapFunctionsHandler(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (!IsCustomHandler(app.Configuration))
        {
            return;
        }

        Map(app, HousekeepingFunction, (_, services, ct) => HousekeepingAsync(services, ct));
    }

    private static void Map(WebApplication app, string function, Func<InvocationRequest, IServiceProvider, CancellationToken, Task<IResult>> handle) =>
        app.MapPost("/" + function, async (InvocationRequest request, HttpContext context) =>
            {
                try
                {
                    return await handle(request, context.RequestServices, context.RequestAborted);
                }
                catch (InvalidInvocationException ex)
                {
                    return Results.Json(InvocationResponse.Failed(ex.Message), statusCode: StatusCodes.Status400BadRequest);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A non-2xx answer is a failed invocation: the host retries the message after its visibility timeout.
                    context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(FunctionsHandler))
                        .LogWarning(ex, "Function {Function} failed.", function);
                    return Results.Json(InvocationResponse.Failed($"{ex.GetType().Name}: {ex.Message}"), statusCode: StatusCodes.Status500InternalServerError);
                }
            })
            .WithMetadata(new FunctionsHandlerRoute(function))
            .ExcludeFromDescription()
            .DisableAntiforgery();

    private static async Task<IResult> HousekeepingAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var logs = new List<string>();
        var failed = new List<string>();
        // Each task runs even when one before it failed: a broken purge must not stop the sweep.
        foreach (var task in services.GetServices<IHousekeepingTask>())
        {
            try
            {
                logs.Add($"{task.Name}: {await task.RunAsync(cancellationToken)}");
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failed.Add(task.Name);
                logs.Add($"{task.Name} failed: {ex.GetType().Name}: {ex.Message}");
            }
        }

        return failed.Count == 0
            ? Results.Json(InvocationResponse.Ok(logs))
            : Results.Json(new InvocationResponse(new Dictionary<string, object?>(), logs, null), statusCode: StatusCodes.Status500InternalServerError);
    }

    private sealed class InvalidInvocationException(string message) : Exception(message);
}

/// <summary>What the Functions host posts for a non-HTTP trigger.</summary>
public sealed record InvocationRequest(
    [property: JsonPropertyName("Data")] Dictionary<string, JsonElement>? Data,
    [property: JsonPropertyName("Metadata")] Dictionary<string, JsonElement>? Metadata);

/// <summary>What the handler answers; the names are the protocol's, in its casing.</summary>
public sealed record InvocationResponse(
    [property: JsonPropertyName("Outputs")] IDictionary<string, object?> Outputs,
    [property: JsonPropertyName("Logs")] IReadOnlyList<string> Logs,
    [property: JsonPropertyName("ReturnValue")] object? ReturnValue)
{
    public static InvocationResponse Ok(IReadOnlyList<string> logs) => new(new Dictionary<string, object?>(), logs, null);

    public static InvocationResponse Failed(string error) => new(new Dictionary<string, object?>(), [error], null);
}

/// <summary>Marks a handler route with the function it serves, so tests can compare routes with function.json folders.</summary>
public sealed record FunctionsHandlerRoute(string FunctionName);

/// <summary>
/// One job of the housekeeping timer. Retention purge and Outlook reply polling register theirs the same way (<c>services.AddSingleton&lt;IHousekeepingTask, ...&gt;()</c>) and run on the same schedule.
/// </summary>
public interface IHousekeepingTask
{
    string Name { get; }

    /// <summary>Does one round of the job; returns one line for the invocation log.</summary>
    Task<string> RunAsync(CancellationToken cancellationToken);
}

