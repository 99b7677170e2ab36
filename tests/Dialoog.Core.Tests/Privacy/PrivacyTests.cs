using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Dialoog.Core.Engine;
using Microsoft.DurableTask.Client;
using Dialoog.Core.Links;
using Dialoog.Core.Privacy;
using Dialoog.Core.Processes;
using Dialoog.Core.Processes.Definition;
using Dialoog.Core.Tests.Testing;
using Dialoog.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dialoog.Core.Tests.Privacy;

/// <summary>
/// AVG on the real app: no name or address in any log line of a whole run; export and erasure by address; retention
/// purge of history, tables and minutes with an anonymous summary left.
/// </summary>
[Collection(DevStackCollection.Name)]
public sealed class PrivacyTests(DevStackFixture stack)
{
    [Fact]
    public async Task WholeRun_LogsNeverContainNamesOrAddresses_ExportEraseAndRetentionPurgeWork()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var settings = RunningApp.SettingsFor(stack);
        settings["Durable:TaskHub"] = "priv" + run;
        settings["Logging:LogLevel:Default"] = "Debug";
        settings["Privacy:PurgeInterval"] = "00:00:00";
        var logs = new CapturingLoggerProvider();
        await using var app = await RunningApp.StartWithApiKeyAsync(settings, services => services.AddSingleton<ILoggerProvider>(logs));

        var people = new[] { ($"Zwaantje{run}", $"zwaan-{run}@example.org"), ($"Kwikstaart{run}", $"kwik-{run}@example.org") };
        var ended = await StartAsync(app, run, "Afgelopen", people);
        var stillRunning = await StartAsync(app, run, "Lopend", [($"Merel{run}", $"merel-{run}@example.org")]);
        var inbox = new MailDevInbox(stack.MailDevApi);
        await inbox.WaitForAsync(people[0].Item2, _ => true);
        await inbox.WaitForAsync($"merel-{run}@example.org", _ => true);

        // A reply through the link, then the coordinator cancels: the process ends.
        var token = await TestLinks.TokenAsync(app.Services, LinkPurpose.Reply, ended, "p1");
        using (var reply = await LinkForm.PostAsync(app.Client, $"/l/{token}", new Dictionary<string, string> { ["antwoord"] = "yes", ["opmerking"] = "Ik kom graag" }))
        {
            Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        }

        await inbox.WaitForAsync(people[0].Item2, _ => true, count: 2);
        using (var cancel = await app.Client.PostAsJsonAsync($"/api/processes/{ended}/cancel", new { reason = "Proef" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        }

        var client = app.Services.GetRequiredService<DurableTaskClient>();
        await client.WaitForCompletionAsync(ended, TimeSpan.FromSeconds(30));

        // Export by address (any case), with the reply.
        using (var export = await app.Client.PostAsJsonAsync("/api/privacy/export", new { email = people[0].Item2.ToUpperInvariant() }))
        {
            Assert.Equal(HttpStatusCode.OK, export.StatusCode);
            var found = (await export.Content.ReadFromJsonAsync<JsonObject>())!;
            var participation = Assert.Single(found["participations"]!.AsArray())!;
            Assert.Equal(ended, participation["processId"]!.GetValue<string>());
            Assert.Equal("yes", participation["participant"]!["answer"]!.GetValue<string>());
        }

        using (var bad = await app.Client.PostAsJsonAsync("/api/privacy/export", new { email = "geen adres" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        }

        using (var anonymous = new HttpClient { BaseAddress = app.Client.BaseAddress })
        using (var refused = await anonymous.PostAsJsonAsync("/api/privacy/export", new { email = people[0].Item2 }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        // Erasure of someone in a running process: they are gone from it, the process runs on.
        using (var erase = await app.Client.PostAsJsonAsync("/api/privacy/erase", new { email = $"merel-{run}@example.org" }))
        {
            Assert.Equal(HttpStatusCode.OK, erase.StatusCode);
            Assert.Contains(stillRunning, await erase.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.True((await client.GetInstanceAsync(stillRunning))!.IsActive());
        var scrubber = app.Services.GetRequiredService<StoredDataScrubber>();
        Assert.Empty(await scrubber.FindAsync(stillRunning, new ErasedPerson($"merel-{run}@example.org", $"Merel{run}", "", "", null), CancellationToken.None));

        // Retention: nothing yet (a year by default, one day here) ...
        var privacy = app.Services.GetRequiredService<PrivacyService>();
        Assert.Equal(0, await privacy.PurgeExpiredAsync(CancellationToken.None));
        Assert.NotNull(await client.GetInstanceAsync(ended));

        // ... and two days later the ended process is purged; the running one stays.
        var later = ActivatorUtilities.CreateInstance<PrivacyService>(app.Services, new ShiftedTime(TimeSpan.FromDays(2)));
        Assert.Equal(1, await later.PurgeExpiredAsync(CancellationToken.None));
        Assert.Null(await client.GetInstanceAsync(ended));
        Assert.Empty(await client.HistoryAsync(ended));
        Assert.NotNull(await client.GetInstanceAsync(stillRunning));
        var tables = app.Services.GetRequiredService<TableServiceClient>();
        foreach (var table in new[] { "Participants", "FollowUps", "CalendarEvents" })
        {
            Assert.Equal(0, await CountAsync(tables.GetTableClient(settings["Durable:TaskHub"] + table), $"PartitionKey eq '{ended}'"));
        }

        Assert.Equal(0, await CountAsync(tables.GetTableClient(settings["Durable:TaskHub"] + "SentMail"), $"ProcessId eq '{ended}'"));
        Assert.True(await CountAsync(tables.GetTableClient(settings["Durable:TaskHub"] + "SentMail"), $"ProcessId eq '{stillRunning}'") > 0);
        var summary = Assert.Single(await privacy.SummariesAsync(CancellationToken.None), s => s.ProcessId == ended);
        Assert.Equal(2, summary.Participants);
        Assert.Equal(Phases.Cancelled, summary.Phase);
        Assert.True(summary.EmailsSent >= 3, $"{summary.EmailsSent} e-mails counted");
        using (var summaries = await app.Client.GetAsync("/api/privacy/summaries"))
        {
            var text = await summaries.Content.ReadAsStringAsync();
            Assert.Contains(ended, text, StringComparison.Ordinal);
            Assert.DoesNotContain(people[0].Item2, text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(people[0].Item1, text, StringComparison.Ordinal);
        }

        using (var export = await app.Client.PostAsJsonAsync("/api/privacy/export", new { email = people[0].Item2 }))
        {
            Assert.Empty((await export.Content.ReadFromJsonAsync<JsonObject>())!["participations"]!.AsArray());
        }

        // The process ends after the erasure (its cancellation mails go to nobody erased), and is not purged by it.
        using (await app.Client.PostAsJsonAsync($"/api/processes/{stillRunning}/cancel", new { reason = "Proef" }))
        {
        }

        await client.WaitForCompletionAsync(stillRunning, TimeSpan.FromSeconds(30));
        using (var erase = await app.Client.PostAsJsonAsync("/api/privacy/erase", new { email = $"merel-{run}@example.org" }))
        {
            Assert.Equal(HttpStatusCode.OK, erase.StatusCode);
        }

        Assert.NotNull(await client.GetInstanceAsync(stillRunning));

        // Not one log line of the whole run names anyone.
        using (var page = await app.Client.GetAsync("/privacy"))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("Hoe lang", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var lines = logs.Lines.ToList();
        Assert.True(lines.Count > 20, $"only {lines.Count} log lines captured");
        var secrets = people.SelectMany(p => new[] { p.Item1, p.Item2 }).Concat([$"Merel{run}", $"merel-{run}@example.org", $"carla-{run}", $"mark-{run}"]).ToList();
        var leaks = lines.Where(l => secrets.Any(s => l.Contains(s, StringComparison.OrdinalIgnoreCase))).ToList();
        Assert.True(leaks.Count == 0, "personal data in logs:\n" + string.Join("\n", leaks.Take(10)));
    }

    internal static async Task<string> StartAsync(RunningApp app, string run, string topic, IReadOnlyList<(string Name, string Email)> people)
    {
        var start = DateTime.UtcNow.AddDays(20);
        var participants = new JsonArray();
        foreach (var (name, email) in people)
        {
            participants.Add(new JsonObject { ["name"] = name, ["email"] = email, ["group"] = "inwoners" });
        }

        var definition = new JsonObject
        {
            ["topic"] = $"{topic} {run}",
            ["area"] = "Gemeente Voorbeeld",
            ["coordinator"] = new JsonObject { ["name"] = "Carla", ["email"] = $"carla-{run}@gemeente.example" },
            ["escalationContact"] = new JsonObject { ["name"] = "Mark", ["email"] = $"mark-{run}@gemeente.example" },
            ["groups"] = new JsonArray(new JsonObject { ["name"] = "inwoners", ["minimum"] = 0 }),
            ["participants"] = participants,
            ["sessions"] = new JsonArray(new JsonObject
            {
                ["id"] = "s1",
                ["title"] = "Gesprek",
                ["start"] = AmsterdamTime.FromUtc(start).ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
                ["end"] = AmsterdamTime.FromUtc(start.AddHours(2)).ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
                ["location"] = "Buurthuis",
            }),
            ["policy"] = new JsonObject { ["retention"] = "P1D" },
        };
        using var started = await app.Client.PostAsJsonAsync("/api/processes", new JsonObject { ["definition"] = definition });
        Assert.True(started.StatusCode == HttpStatusCode.Accepted, await started.Content.ReadAsStringAsync());
        return (await started.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
    }

    internal static async Task<int> CountAsync(TableClient table, string filter)
    {
        var count = 0;
        try
        {
            await foreach (var unused in table.QueryAsync<TableEntity>(filter))
            {
                count++;
            }
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 404)
        {
        }

        return count;
    }

    private sealed class ShiftedTime(TimeSpan shift) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + shift;
    }

    /// <summary>Every log line the app writes, with its exception, at every level.</summary>
    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, Lines);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var structured = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
                lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {structured} {exception}");
            }
        }
    }
}
