using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Dialoog.Core.Tests.Testing;
using Dialoog.Core.Tests.Web;
using Dialoog.Testing;
using Dialoog.Web.Api;
using Dialoog.Web.Health;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Dialoog.Core.Tests.Health;

[Collection(DevStackCollection.Name)]
public sealed class ReadinessTests(DevStackFixture stack)
{
    [Fact]
    public async Task Ready_WithApiKey_Returns200AndEveryCheckHealthy()
    {
        var settings = RunningApp.SettingsFor(stack);
        await using var app = await RunningApp.StartAsync(settings);
        using var operatorClient = HealthJson.WithKey(app, settings);

        var (status, body) = await HealthJson.GetAsync(operatorClient, "/health/ready");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        foreach (var check in new[] { "blob", "queue", "table", "smtp" })
        {
            Assert.Equal("Healthy", body.GetProperty("checks").GetProperty(check).GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task Ready_Anonymous_SaysOnlyReadyOrNot()
    {
        await using var app = await RunningApp.StartAsync(RunningApp.SettingsFor(stack));

        var (status, body) = await HealthJson.GetAsync(app.Client, "/health/ready");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("""{"status":"Healthy"}""", body.GetRawText());
    }

    [Fact]
    public async Task Ready_WrongApiKeyOrCoordinatorWhoIsNotAdmin_SaysOnlyReadyOrNot_AdminSeesChecks()
    {
        await using var app = await CoordinatorBrowser.StartAppAsync(stack, "dialoogtest", ("carla@gemeente.example", "Carla", false), ("admin@gemeente.example", "Beheer", true));
        using var wrongKey = new HttpClient { BaseAddress = app.Client.BaseAddress };
        wrongKey.DefaultRequestHeaders.Add(CoordinatorApiKeyFilter.HeaderName, RunningApp.NewKey());
        using var coordinator = await CoordinatorBrowser.SignedInAsync(app, "carla@gemeente.example");
        using var admin = await CoordinatorBrowser.SignedInAsync(app, "admin@gemeente.example");

        Assert.Equal("""{"status":"Healthy"}""", (await HealthJson.GetAsync(wrongKey, "/health/ready")).Body.GetRawText());
        Assert.Equal("""{"status":"Healthy"}""", (await HealthJson.GetAsync(coordinator, "/health/ready")).Body.GetRawText());
        var (status, body) = await HealthJson.GetAsync(admin, "/health/ready");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("blob").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Ready_AnonymousFlood_RunsTheChecksOncePerWindow_OperatorRunsThemFresh()
    {
        var probe = new CountingCheck();
        var settings = RunningApp.SettingsFor(stack);
        await using var app = await RunningApp.StartAsync(settings, services =>
            services.AddHealthChecks().AddCheck("counted", probe, tags: [HealthRegistration.ReadyTag]));
        using var operatorClient = HealthJson.WithKey(app, settings);

        // Ten at once and two after: one run serves them all, and none of them names a check.
        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => HealthJson.GetAsync(app.Client, "/health/ready")));
        answers = [.. answers, await HealthJson.GetAsync(app.Client, "/health/ready"), await HealthJson.GetAsync(app.Client, "/health/ready")];

        Assert.All(answers, a => Assert.Equal("""{"status":"Healthy"}""", a.Body.GetRawText()));
        Assert.Equal(1, probe.Runs);

        var (_, details) = await HealthJson.GetAsync(operatorClient, "/health/ready");
        Assert.Equal("Healthy", details.GetProperty("checks").GetProperty("counted").GetProperty("status").GetString());
        Assert.Equal(2, probe.Runs);

        // Once the window has passed, the next anonymous call runs the checks again.
        await Task.Delay(HealthRegistration.AnonymousCacheFor + TimeSpan.FromMilliseconds(300));
        await HealthJson.GetAsync(app.Client, "/health/ready");
        Assert.Equal(3, probe.Runs);
    }

    [Fact]
    public async Task Liveness_AppRunning_Returns200Healthy()
    {
        await using var app = await RunningApp.StartAsync(RunningApp.SettingsFor(stack));

        var (status, body) = await HealthJson.GetAsync(app.Client, "/health");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("""{"status":"Healthy"}""", body.GetRawText());
    }

    /// <summary>A readiness check that counts its runs and takes a moment, so requests at once overlap it.</summary>
    private sealed class CountingCheck : IHealthCheck
    {
        private int runs;

        public int Runs => Volatile.Read(ref runs);

        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref runs);
            await Task.Delay(TimeSpan.FromMilliseconds(300), cancellationToken);
            return HealthCheckResult.Healthy();
        }
    }
}

/// <summary>Stops dependencies, so it gets its own dev stack and cannot disturb tests that share one.</summary>
public sealed class ReadinessOutageTests(DevStackFixture stack) : IClassFixture<DevStackFixture>
{
    /// <summary>Well above the 2 s probe timeout, well below what a hanging probe would take.</summary>
    private static readonly TimeSpan FastAnswer = TimeSpan.FromSeconds(8);

    [Fact]
    public async Task Ready_AzuriteStopped_Returns503NamingEachStorageCheckWithReason()
    {
        var settings = RunningApp.SettingsFor(stack);
        await using var app = await RunningApp.StartAsync(settings);
        using var operatorClient = HealthJson.WithKey(app, settings);
        await stack.StopAzuriteAsync();
        try
        {
            var watch = Stopwatch.StartNew();
            var (status, body) = await HealthJson.GetAsync(operatorClient, "/health/ready");

            Assert.True(watch.Elapsed < FastAnswer, $"Readiness took {watch.Elapsed} with Azurite down.");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal("Unhealthy", body.GetProperty("status").GetString());
            var checks = body.GetProperty("checks");
            foreach (var check in new[] { "blob", "queue", "table" })
            {
                Assert.Equal("Unhealthy", checks.GetProperty(check).GetProperty("status").GetString());
                Assert.False(string.IsNullOrWhiteSpace(checks.GetProperty(check).GetProperty("description").GetString()));
            }

            Assert.Equal("Healthy", checks.GetProperty("smtp").GetProperty("status").GetString());

            // Anonymous callers learn that it is down, not why: no check names, no exception text.
            var (anonymousStatus, anonymous) = await HealthJson.GetAsync(app.Client, "/health/ready");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, anonymousStatus);
            Assert.Equal("""{"status":"Unhealthy"}""", anonymous.GetRawText());
        }
        finally
        {
            await stack.StartAzuriteAsync();
        }

        await Eventually.HoldsAsync(
            async () => (await HealthJson.GetAsync(app.Client, "/health/ready")).Status == HttpStatusCode.OK,
            "readiness healthy again after Azurite restarted");
    }

    [Fact]
    public async Task Ready_MailDevStopped_Returns503WithSmtpUnhealthy()
    {
        var settings = RunningApp.SettingsFor(stack);
        await using var app = await RunningApp.StartAsync(settings);
        using var operatorClient = HealthJson.WithKey(app, settings);
        await stack.StopMailDevAsync();
        try
        {
            var (status, body) = await HealthJson.GetAsync(operatorClient, "/health/ready");

            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            var smtp = body.GetProperty("checks").GetProperty("smtp");
            Assert.Equal("Unhealthy", smtp.GetProperty("status").GetString());
            Assert.Contains("SMTP", smtp.GetProperty("description").GetString(), StringComparison.Ordinal);
            Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("blob").GetProperty("status").GetString());
        }
        finally
        {
            await stack.StartMailDevAsync();
        }
    }
}

internal static class HealthJson
{
    /// <summary>A client of its own with the API key: what an operator's tool has.</summary>
    public static HttpClient WithKey(RunningApp app, IDictionary<string, string?> settings)
    {
        var client = new HttpClient { BaseAddress = app.Client.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add(CoordinatorApiKeyFilter.HeaderName, settings["Api:CoordinatorApiKey"]);
        return client;
    }

    public static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, json.RootElement.Clone());
    }
}
