using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dialoog.Functions.Engine;
using Microsoft.DurableTask.Client;
using Dialoog.Functions.Api;
using Dialoog.Functions.Hosting;
using Dialoog.Functions.Processes;
using Dialoog.Functions.Tests.Testing;
using Dialoog.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Dialoog.Functions.Tests.Hosting;

/// <summary>
/// The app as the Functions host sees it: started with <c>FUNCTIONS_CUSTOMHANDLER_PORT</c>, on Azurite. Each test
/// posts what the host posts for one function.json and checks the answer and the effect.
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
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task UnderTheHost_TheEngineRunsInTheAppProcess_AndAProcessInvitesEveryone()
    {
        var id = await StartProcessAsync();

        await Eventually.HoldsAsync(
            async () => (await Client.GetInstanceAsync(id, getInputsAndOutputs: true))?.ReadCustomStatusAs<ProcessStatus>()?.Phase == Phases.CollectingReplies,
            "the process invited everyone and waits for replies",
            TimeSpan.FromSeconds(60));
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await Client.GetInstanceAsync(id))!.RuntimeStatus);
    }

    [Fact]
    public async Task Housekeeping_RunsEveryTask_AndAnswersInTheHandlerShape()
    {
        using var response = await app.Client.PostAsJsonAsync($"/{FunctionsHandler.HousekeepingFunction}", TimerInvocation());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var logs = (await AssertResponseShapeAsync(response))["Logs"]!.AsArray().Select(l => l!.GetValue<string>()).ToList();
        Assert.Contains("retention purge: purged 0 process(es)", logs);
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

    private DurableTaskClient Client => app.Services.GetRequiredService<DurableTaskClient>();

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
