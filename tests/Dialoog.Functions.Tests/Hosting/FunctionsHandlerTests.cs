using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Dialoog.Durable;
using Dialoog.Functions.Api;
using Dialoog.Functions.Hosting;
using Dialoog.Functions.Processes;
using Dialoog.Functions.Tests.Testing;
using Dialoog.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Dialoog.Functions.Tests.Hosting;

/// <summary>
/// The app as the Functions host sees it: started with <c>FUNCTIONS_CUSTOMHANDLER_PORT</c> (so in push mode, no pull
/// loop), on Azurite. Each test posts what the host posts for one function.json and checks the answer and the effect.
/// </summary>
[Collection(DevStackCollection.Name)]
public sealed class FunctionsHandlerTests(DevStackFixture stack) : IAsyncLifetime
{
    private readonly string hub = "fh" + Guid.NewGuid().ToString("N")[..10];
    private RunningApp app = null!;

    public async Task InitializeAsync()
    {
        var settings = RunningApp.SettingsFor(stack);
        settings["Durable:TaskHub"] = hub;
        settings[FunctionsHandler.PortSetting] = "0"; // any free port; the test calls the address Kestrel reports
        app = await RunningApp.StartAsync(settings);
        app.Client.DefaultRequestHeaders.Add(CoordinatorApiKeyFilter.HeaderName, settings["Api:CoordinatorApiKey"]);
        // Push mode creates the task hub's queues in the background, as the host only polls queues that exist.
        await Eventually.HoldsAsync(async () => (await Queue("work").ExistsAsync()).Value, "the work queue exists");
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task DurableWork_StartedProcess_ProgressesOnlyWhenItsMessageIsPushed()
    {
        var id = await StartProcessAsync();
        Assert.Equal(OrchestrationRuntimeStatus.Pending, (await Client.GetInstanceAsync(id))!.RuntimeStatus);

        // What the host does: take the message, post it, delete it after a 2xx answer.
        var message = await ReceiveAsync("work");
        using var response = await app.Client.PostAsJsonAsync($"/{FunctionsHandler.WorkFunction}", QueueInvocation(message.MessageText, message.DequeueCount));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await AssertResponseShapeAsync(response);
        await Queue("work").DeleteMessageAsync(message.MessageId, message.PopReceipt);
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await Client.GetInstanceAsync(id))!.RuntimeStatus);
    }

    [Fact]
    public async Task DurableWork_MessageAsJsonObject_IsAcceptedToo()
    {
        var id = await StartProcessAsync();
        var message = await ReceiveAsync("work");
        var invocation = QueueInvocation(message.MessageText, message.DequeueCount);
        invocation["Data"]![FunctionsHandler.QueueBindingName] = JsonNode.Parse(message.MessageText);

        using var response = await app.Client.PostAsJsonAsync($"/{FunctionsHandler.WorkFunction}", invocation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await Client.GetInstanceAsync(id))!.RuntimeStatus);
    }

    [Fact]
    public async Task DurableWork_DeliveredOnceMoreThanMaxDequeueCount_QuarantinesAndFailsTheInstance()
    {
        var id = await StartProcessAsync();
        var message = await ReceiveAsync("work");
        var lastTry = new DurableOptions().MaxDequeueCount + 1; // host.json maxDequeueCount: the runtime quarantines first

        using var response = await app.Client.PostAsJsonAsync($"/{FunctionsHandler.WorkFunction}", QueueInvocation(message.MessageText, lastTry));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, (await Client.GetInstanceAsync(id))!.RuntimeStatus);
        Assert.Equal(1, (await Queue("poison").GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task DurableWork_WithoutDequeueCount_Is400AndChangesNothing()
    {
        var id = await StartProcessAsync();
        var message = await ReceiveAsync("work");
        var invocation = QueueInvocation(message.MessageText, 1);
        invocation["Metadata"]!.AsObject().Remove("DequeueCount");

        using var response = await app.Client.PostAsJsonAsync($"/{FunctionsHandler.WorkFunction}", invocation);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var logs = (await AssertResponseShapeAsync(response))["Logs"]!.AsArray();
        Assert.Contains("DequeueCount", logs[0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(OrchestrationRuntimeStatus.Pending, (await Client.GetInstanceAsync(id))!.RuntimeStatus);
    }

    [Fact]
    public async Task DurableTimers_TimerNotYetDue_IsArmedAgainAndTheInstanceWaits()
    {
        var id = await StartProcessAsync();
        var fireAt = DateTimeOffset.UtcNow.AddHours(1).ToString("O", CultureInfo.InvariantCulture);
        var body = $$"""{"i":"{{id}}","at":"{{fireAt}}"}""";

        using var response = await app.Client.PostAsJsonAsync($"/{FunctionsHandler.TimersFunction}", QueueInvocation(body, 1));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await AssertResponseShapeAsync(response);
        Assert.Equal(1, (await Queue("timers").GetPropertiesAsync()).Value.ApproximateMessagesCount);
        Assert.Equal(OrchestrationRuntimeStatus.Pending, (await Client.GetInstanceAsync(id))!.RuntimeStatus);
    }

    [Fact]
    public async Task Housekeeping_InstanceWhoseWakeUpWasLost_IsWokenBySweep()
    {
        // An instance due an hour ago whose wake-up message is gone, as after a crash between commit and send.
        var id = await Client.StartNewAsync(nameof(DialogueProcessOrchestrator), null, startAt: DateTimeOffset.UtcNow.AddHours(-1));
        await Queue("work").ClearMessagesAsync();
        await Queue("timers").ClearMessagesAsync();

        using var response = await app.Client.PostAsJsonAsync($"/{FunctionsHandler.HousekeepingFunction}", TimerInvocation());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var logs = (await AssertResponseShapeAsync(response))["Logs"]!.AsArray().Select(l => l!.GetValue<string>()).ToList();
        Assert.Contains("durable sweep: woke 1 overdue instance(s)", logs);
        var woken = await ReceiveAsync("work");
        Assert.Contains(id, woken.MessageText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PullModeApp_HasNoHandlerRoutes()
    {
        var settings = RunningApp.SettingsFor(stack);
        settings["Durable:TaskHub"] = hub;
        await using var local = await RunningApp.StartAsync(settings);

        foreach (var function in FunctionsHandler.TriggerFunctions)
        {
            using var response = await local.Client.PostAsJsonAsync($"/{function}", TimerInvocation());
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    private DurableClient Client => app.Services.GetRequiredService<DurableClient>();

    private QueueClient Queue(string suffix) => app.Services.GetRequiredService<QueueServiceClient>().GetQueueClient($"{hub}-{suffix}");

    private async Task<QueueMessage> ReceiveAsync(string suffix)
    {
        QueueMessage? message = null;
        await Eventually.HoldsAsync(async () => (message = (await Queue(suffix).ReceiveMessageAsync()).Value) is not null, $"a message in {hub}-{suffix}");
        return message!;
    }

    /// <summary>What the host posts for a queue trigger (see the custom handler docs' request payload).</summary>
    private static JsonObject QueueInvocation(string messageText, long dequeueCount) => new()
    {
        ["Data"] = new JsonObject { [FunctionsHandler.QueueBindingName] = messageText },
        ["Metadata"] = new JsonObject
        {
            ["DequeueCount"] = dequeueCount,
            ["Id"] = Guid.NewGuid().ToString(),
            ["InsertionTime"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            ["PopReceipt"] = "AgAAAAMAAAAAAAAA",
            ["sys"] = new JsonObject { ["MethodName"] = "QueueTrigger", ["UtcNow"] = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture), ["RandGuid"] = Guid.NewGuid().ToString() },
        },
    };

    /// <summary>What the host posts for a timer trigger: the TimerInfo under the binding name.</summary>
    private static JsonObject TimerInvocation() => new()
    {
        ["Data"] = new JsonObject
        {
            ["timer"] = new JsonObject
            {
                ["Schedule"] = new JsonObject { ["AdjustForDST"] = true },
                ["ScheduleStatus"] = new JsonObject { ["Last"] = "2026-11-23T10:00:00+00:00", ["Next"] = "2026-11-23T10:05:00+00:00", ["LastUpdated"] = "2026-11-23T10:00:00+00:00" },
                ["IsPastDue"] = false,
            },
        },
        ["Metadata"] = new JsonObject { ["sys"] = new JsonObject { ["MethodName"] = FunctionsHandler.HousekeepingFunction } },
    };

    private static async Task<JsonObject> AssertResponseShapeAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(["Outputs", "Logs", "ReturnValue"], body.Select(p => p.Key));
        Assert.Empty(body["Outputs"]!.AsObject());
        Assert.NotNull(body["Logs"]!.AsArray());
        Assert.Null(body["ReturnValue"]);
        return body;
    }

    private async Task<string> StartProcessAsync()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var start = DateTime.UtcNow.AddDays(30);
        string Wall(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(utc, TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam")).ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture);
        var definition = new JsonObject
        {
            ["topic"] = "Proef met de Functions-host",
            ["area"] = "Gemeente Voorbeeld",
            ["coordinator"] = new JsonObject { ["name"] = "Carla", ["email"] = $"carla-{run}@example.org" },
            ["escalationContact"] = new JsonObject { ["name"] = "Mark", ["email"] = $"mark-{run}@example.org" },
            ["groups"] = new JsonArray(new JsonObject { ["name"] = "inwoners", ["minimum"] = 1 }, new JsonObject { ["name"] = "gemeente", ["minimum"] = 1 }),
            ["participants"] = new JsonArray(
                new JsonObject { ["name"] = "Anna", ["email"] = $"anna-{run}@example.org", ["group"] = "inwoners" },
                new JsonObject { ["name"] = "Greet", ["email"] = $"greet-{run}@example.org", ["group"] = "gemeente" }),
            ["sessions"] = new JsonArray(new JsonObject
            {
                ["id"] = "s1",
                ["title"] = "Gesprek",
                ["start"] = Wall(start),
                ["end"] = Wall(start.AddHours(1)),
                ["location"] = "Buurthuis De Brug",
            }),
        };
        using var response = await app.Client.PostAsJsonAsync("/api/processes", new JsonObject { ["definition"] = definition });
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
    }
}
