using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dialoog.Web.Api;
using Dialoog.Web.Hosting;
using Dialoog.Core.Processes;
using Dialoog.Core.Processes.Definition;
using Dialoog.Core.Tests.Testing;
using Dialoog.Testing;

namespace Dialoog.Core.Tests.Processes;

/// <summary>
/// The app as a real process dies in the middle of sending invitations (FailFast: no cleanup, like kill -9) and is
/// started again on the same storage: every participant ends up with exactly one invitation.
/// </summary>
[Collection(DevStackCollection.Name)]
public sealed class CrashDuringInvitationsTests(DevStackFixture stack)
{
    private const int Participants = 12;

    [Fact]
    public async Task WorkerKilledWhileInviting_AfterRestart_EveryParticipantHasExactlyOneInvitation()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var settings = RunningApp.SettingsFor(stack);
        settings["Durable:TaskHub"] = "crash" + run;
        settings["Durable:MaxConcurrentActivities"] = "1"; // one send in flight when the process dies
        settings["Durable:LeaseDuration"] = "00:00:05"; // the dead worker's lease and messages free up quickly
        settings["Durable:MessageVisibilityTimeout"] = "00:00:05";
        var inbox = new MailDevInbox(stack.MailDevApi);

        string id;
        using (var first = AppProcess.Start(settings, crashAfterMails: 4))
        {
            using var client = await first.ClientAsync(settings);
            using var started = await client.PostAsJsonAsync("/api/processes", new JsonObject { ["definition"] = Definition(run) });
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
            id = (await started.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
            Assert.True(await first.WaitForExitAsync(TimeSpan.FromSeconds(60)), "the app should have crashed after 4 e-mails");
        }

        var beforeRestart = await CountInvitationsAsync(inbox, run);
        Assert.InRange(beforeRestart.Values.Sum(), 4, Participants - 1);

        using (var second = AppProcess.Start(settings, crashAfterMails: null))
        {
            using var client = await second.ClientAsync(settings);
            await Eventually.HoldsAsync(
                async () => (await client.GetFromJsonAsync<ProcessDetails>($"/api/processes/{id}", JsonSerializerOptions.Web))?.Status?.Phase == Phases.CollectingReplies,
                "all invitations sent after the restart",
                TimeSpan.FromSeconds(90));
        }

        var counts = await CountInvitationsAsync(inbox, run);
        Assert.Equal(Participants, counts.Count);
        Assert.All(counts, c => Assert.True(c.Value == 1, $"{c.Key} received {c.Value} invitations"));
    }

    private static async Task<Dictionary<string, int>> CountInvitationsAsync(MailDevInbox inbox, string run)
    {
        var counts = new Dictionary<string, int>();
        for (var i = 1; i <= Participants; i++)
        {
            var address = $"p{i}-{run}@example.org";
            var messages = await inbox.ToAsync(address);
            if (messages.Count > 0)
            {
                counts[address] = messages.Count;
            }
        }

        return counts;
    }

    private static JsonObject Definition(string run)
    {
        var start = DateTime.UtcNow.AddDays(30);
        var participants = new JsonArray();
        for (var i = 1; i <= Participants; i++)
        {
            participants.Add(new JsonObject { ["name"] = $"Deelnemer {i}", ["email"] = $"p{i}-{run}@example.org", ["group"] = "inwoners" });
        }

        return new JsonObject
        {
            ["topic"] = "Crashproef",
            ["area"] = "Gemeente Voorbeeld",
            ["coordinator"] = new JsonObject { ["name"] = "Carla", ["email"] = $"carla-{run}@example.org" },
            ["escalationContact"] = new JsonObject { ["name"] = "Mark", ["email"] = $"mark-{run}@example.org" },
            ["groups"] = new JsonArray(new JsonObject { ["name"] = "inwoners", ["minimum"] = 1 }),
            ["participants"] = participants,
            ["sessions"] = new JsonArray(new JsonObject
            {
                ["title"] = "Gesprek",
                ["start"] = AmsterdamTime.FromUtc(start).ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
                ["end"] = AmsterdamTime.FromUtc(start.AddHours(2)).ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
                ["location"] = "Buurthuis",
            }),
        };
    }

    /// <summary>The published app started with <c>dotnet</c>, settings as environment variables like on Azure.</summary>
    private sealed class AppProcess : IDisposable
    {
        private readonly Process _process;

        private AppProcess(Process process, int port)
        {
            _process = process;
            Port = port;
        }

        public int Port { get; }

        public static AppProcess Start(Dictionary<string, string?> settings, int? crashAfterMails)
        {
            var port = FreePort();
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(typeof(DialoogApp).Assembly.Location);
            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
            foreach (var (key, value) in settings.Where(s => s.Key != "urls"))
            {
                start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value ?? "";
            }

            start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
            if (crashAfterMails is { } n)
            {
                start.Environment["Dialoog__Testing__CrashAfterSentMails"] = n.ToString(CultureInfo.InvariantCulture);
            }

            var process = Process.Start(start)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return new AppProcess(process, port);
        }

        public async Task<HttpClient> ClientAsync(Dictionary<string, string?> settings)
        {
            var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Port}"), Timeout = TimeSpan.FromSeconds(10) };
            client.DefaultRequestHeaders.Add(CoordinatorApiKeyFilter.HeaderName, settings["Api:CoordinatorApiKey"]);
            await Eventually.HoldsAsync(
                async () =>
                {
                    try
                    {
                        using var health = await client.GetAsync("/health");
                        return health.IsSuccessStatusCode;
                    }
                    catch (HttpRequestException)
                    {
                        return false;
                    }
                },
                "the app answers",
                TimeSpan.FromSeconds(60));
            return client;
        }

        public async Task<bool> WaitForExitAsync(TimeSpan timeout)
        {
            try
            {
                await _process.WaitForExitAsync().WaitAsync(timeout);
                return true;
            }
            catch (TimeoutException)
            {
                return false;
            }
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }

            _process.Dispose();
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
