using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Dialoog.Core.Tests.Testing;
using Dialoog.Testing;

namespace Dialoog.Core.Tests.Health;

[Collection(DevStackCollection.Name)]
public sealed class ReadinessTests(DevStackFixture stack)
{
    [Fact]
    public async Task Ready_AllDependenciesUp_Returns200AndEveryCheckHealthy()
    {
        await using var app = await RunningApp.StartAsync(RunningApp.SettingsFor(stack));

        var (status, body) = await HealthJson.GetAsync(app.Client, "/health/ready");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        foreach (var check in new[] { "blob", "queue", "table", "smtp" })
        {
            Assert.Equal("Healthy", body.GetProperty("checks").GetProperty(check).GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task Liveness_AppRunning_Returns200Healthy()
    {
        await using var app = await RunningApp.StartAsync(RunningApp.SettingsFor(stack));

        var (status, body) = await HealthJson.GetAsync(app.Client, "/health");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("""{"status":"Healthy"}""", body.GetRawText());
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
        await using var app = await RunningApp.StartAsync(RunningApp.SettingsFor(stack));
        await stack.StopAzuriteAsync();
        try
        {
            var watch = Stopwatch.StartNew();
            var (status, body) = await HealthJson.GetAsync(app.Client, "/health/ready");

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
        await using var app = await RunningApp.StartAsync(RunningApp.SettingsFor(stack));
        await stack.StopMailDevAsync();
        try
        {
            var (status, body) = await HealthJson.GetAsync(app.Client, "/health/ready");

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
    public static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, json.RootElement.Clone());
    }
}
