using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Dialoog.Durable;
using Dialoog.Durable.Storage;
using Dialoog.Durable.Worker;

namespace Dialoog.Functions.Hosting;

/// <summary>
/// The app as an Azure Functions custom handler. The host starts this executable with
/// <c>FUNCTIONS_CUSTOMHANDLER_PORT</c> set; HTTP requests are forwarded unchanged (host.json
/// <c>enableForwardingHttpRequest</c>), and every other trigger is posted to <c>/&lt;functionName&gt;</c> as
/// <c>{ "Data": {...}, "Metadata": {...} }</c>, answered with <c>{ "Outputs": {}, "Logs": [], "ReturnValue": null }</c>.
/// The function folders are in <c>functions/app/</c>; a test keeps them and <see cref="TriggerFunctions"/> in step.
/// </summary>
public static class FunctionsHandler
{
    /// <summary>Set by the Functions host: the loopback port it calls the handler on.</summary>
    public const string PortSetting = "FUNCTIONS_CUSTOMHANDLER_PORT";

    /// <summary>The HTTP catch-all; forwarded as plain HTTP, so it has no handler route.</summary>
    public const string HttpFunction = "Http";

    /// <summary>Queue trigger on <c>%Durable__TaskHub%-work</c>.</summary>
    public const string WorkFunction = "DurableWork";

    /// <summary>Queue trigger on <c>%Durable__TaskHub%-timers</c>.</summary>
    public const string TimersFunction = "DurableTimers";

    /// <summary>Timer trigger for housekeeping.</summary>
    public const string HousekeepingFunction = "Housekeeping";

    /// <summary>Name of the trigger binding in the queue functions' function.json, the key of the message in <c>Data</c>.</summary>
    public const string QueueBindingName = "message";

    /// <summary>Every non-HTTP function and so every handler route.</summary>
    public static IReadOnlyList<string> TriggerFunctions { get; } = [WorkFunction, TimersFunction, HousekeepingFunction];

    /// <summary>
    /// Under the Functions host: listen where it calls (loopback only) and, unless a setting says otherwise, leave
    /// the queues to the host instead of also polling them.
    /// </summary>
    public static void UseFunctionsCustomHandler(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<IHousekeepingTask, DurableSweepTask>();
        if (!IsCustomHandler(builder.Configuration))
        {
            return;
        }

        builder.WebHost.UseUrls(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{builder.Configuration[PortSetting]}"));
        var pullLoop = $"{DurableOptions.SectionName}:{nameof(DurableOptions.EnablePullLoop)}";
        if (builder.Configuration[pullLoop] is null)
        {
            builder.Configuration.AddInMemoryCollection([new(pullLoop, "false")]);
        }
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

        Map(app, WorkFunction, (request, services, ct) => PushAsync(WorkQueue.Work, request, services, ct));
        Map(app, TimersFunction, (request, services, ct) => PushAsync(WorkQueue.Timers, request, services, ct));
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

    private static async Task<IResult> PushAsync(WorkQueue queue, InvocationRequest request, IServiceProvider services, CancellationToken cancellationToken)
    {
        var body = MessageText(request);
        var dequeueCount = DequeueCount(request);
        await services.GetRequiredService<DurableWorker>().ProcessPushedMessageAsync(queue, body, dequeueCount, cancellationToken);
        return Results.Json(InvocationResponse.Ok([]));
    }

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

    /// <summary>The queue message text: the host sends it as a JSON string, or, for JSON messages, sometimes as the object itself.</summary>
    private static string MessageText(InvocationRequest request)
    {
        if (request.Data is null || !request.Data.TryGetValue(QueueBindingName, out var message))
        {
            throw new InvalidInvocationException($"The invocation has no 'Data.{QueueBindingName}' (the queue message).");
        }

        return message.ValueKind switch
        {
            JsonValueKind.String => message.GetString()!,
            JsonValueKind.Object => message.GetRawText(),
            _ => throw new InvalidInvocationException($"'Data.{QueueBindingName}' must be the queue message text (found {message.ValueKind})."),
        };
    }

    private static long DequeueCount(InvocationRequest request)
    {
        if (request.Metadata is not null && request.Metadata.TryGetValue("DequeueCount", out var count))
        {
            if (count.ValueKind == JsonValueKind.Number && count.TryGetInt64(out var number) && number >= 1)
            {
                return number;
            }

            if (count.ValueKind == JsonValueKind.String && long.TryParse(count.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out number) && number >= 1)
            {
                return number;
            }
        }

        // Without it, poison messages would never be recognised: refuse rather than guess.
        throw new InvalidInvocationException("The invocation has no valid 'Metadata.DequeueCount' (a whole number from 1).");
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
/// One job of the housekeeping timer. The durable sweep is the first; retention purge and stall scans register
/// theirs the same way (<c>services.AddSingleton&lt;IHousekeepingTask, ...&gt;()</c>) and run on the same schedule.
/// </summary>
public interface IHousekeepingTask
{
    string Name { get; }

    /// <summary>Does one round of the job; returns one line for the invocation log.</summary>
    Task<string> RunAsync(CancellationToken cancellationToken);
}

/// <summary>Wakes instances whose wake-up was lost, the safety net the pull loop runs by itself every <c>Durable__SweepInterval</c>.</summary>
internal sealed class DurableSweepTask(DurableWorker worker) : IHousekeepingTask
{
    public string Name => "durable sweep";

    public async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        var woken = await worker.SweepAsync(cancellationToken);
        return string.Create(CultureInfo.InvariantCulture, $"woke {woken} overdue instance(s)");
    }
}
