using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Dialoog.Core.Engine;
using Microsoft.DurableTask.Client;
using Dialoog.Core.Email;
using Dialoog.Core.Processes;
using Dialoog.Core.Processes.Definition;
using Dialoog.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Dialoog.Benchmarks.Product;

/// <summary>How many standard processes, and for each process size how many submits to time.</summary>
public sealed record ProductSize(int StandardProcesses, IReadOnlyList<(int Participants, int Count)> Latency, int WarmReplies = 20, int IdleReplies = 2)
{
    public static readonly ProductSize Full = new(5, [(20, 20), (200, 10), (500, 5)], WarmReplies: 50, IdleReplies: 4);

    public static readonly ProductSize Quick = new(2, [(20, 5), (200, 3), (500, 2)]);
}

/// <summary>
/// The product benchmark, on the real app (in this process, as one Functions instance) with Azurite and the SMTP sink:
/// <list type="number">
/// <item>A standard process lived end to end with durations in seconds: 20 participants in 4 groups, 1 session, 2
/// reminder rounds (4 people reply only after both), the facilitator uploads minutes with 5 actions through the link,
/// each owner reports twice (bezig, klaar), the process completes. Storage transactions and e-mails per process.</item>
/// <item>Submit → every invitation delivered at the mail server, for 20, 200 and 500 participants (p50/p99).</item>
/// <item>A reply posted through its link → its confirmation at the mail server: one after another (warm), and the
/// first after 60 s without any work (the engine's queue polling has slowed down to its maximum interval).</item>
/// </list>
/// </summary>
public sealed class ProductBenchmark(ProductSize size, Action<string>? log = null)
{
    private readonly Action<string> _log = log ?? Console.WriteLine;
    private readonly Dictionary<string, object> _figures = [];
    private readonly List<string> _failures = [];

    public async Task<RunReport> RunAsync()
    {
        var stack = new DevStackFixture();
        await stack.InitializeAsync();
        await using var sink = new SmtpSink();
        sink.Start();
        try
        {
            var settings = AppSettings.For(stack.StorageConnectionString, "product" + Guid.NewGuid().ToString("N")[..6], sink.Port);
            settings["Logging:LogLevel:Default"] = "Error"; // the app shares this console with the figures
            await using var app = await AppHost.StartAsync(settings);
            using var http = new HttpClient(DialogueDriver.Handler()) { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
            var driver = new DialogueDriver(() => http, settings["Api:CoordinatorApiKey"]!);

            // What the worker does to storage when there is nothing to do: subtracted to show the work itself.
            await Task.Delay(TimeSpan.FromSeconds(3));
            app.ResetCounters();
            await Task.Delay(TimeSpan.FromSeconds(10));
            var idlePerSecond = app.StorageRequests / 10.0;
            _figures["idleStorageRequestsPerSecond"] = Math.Round(idlePerSecond, 1);

            await StandardProcessesAsync(app, driver, sink, idlePerSecond, size.StandardProcesses);
            foreach (var (participants, count) in size.Latency)
            {
                await InvitationLatencyAsync(driver, sink, participants, count);
            }

            if (_figures.TryGetValue("submitToAllInvitations500P99Ms", out var p99))
            {
                _figures["invitations500P99Ms"] = p99; // the name the engine issue's targets use
            }

            await ReplyConfirmationLatencyAsync(driver, sink, size.WarmReplies, size.IdleReplies, TimeSpan.FromSeconds(60));

            _figures["appPeakMemoryMb"] = Math.Round(Process.GetCurrentProcess().PeakWorkingSet64 / 1024.0 / 1024.0, 0);
        }
        finally
        {
            await stack.DisposeAsync();
        }

        return new RunReport(_figures, _failures);
    }

    /// <summary><paramref name="count"/> standard processes at once, from submit to completed.</summary>
    private async Task StandardProcessesAsync(AppHost app, DialogueDriver driver, SmtpSink sink, double idlePerSecond, int count)
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        var mailBefore = sink.Count;
        app.ResetCounters();
        var clock = Stopwatch.StartNew();
        var ids = await Task.WhenAll(Enumerable.Range(0, count).Select(n => LiveOneAsync(driver, sink, $"{run}-{n}")));
        var seconds = clock.Elapsed.TotalSeconds;
        var client = app.Services.GetRequiredService<DurableTaskClient>();
        foreach (var id in ids)
        {
            using var wait = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            var done = await client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, wait.Token);
            if (done.RuntimeStatus != OrchestrationRuntimeStatus.Completed || done.ReadCustomStatusAs<ProcessStatus>()?.Phase != Phases.Completed)
            {
                _failures.Add($"Standard process {id} ended {done.RuntimeStatus} ({done.FailureDetails?.ErrorMessage}).");
            }
        }

        var requests = app.StorageRequests;
        var mails = sink.Mail.Skip(mailBefore).Where(m => ids.Contains(m.ProcessId)).ToList();
        _figures["standardProcesses"] = count;
        _figures["standardProcessSeconds"] = Math.Round(seconds, 1);
        _figures["storageTransactionsPerProcess"] = Math.Round(requests / (double)count, 0);
        _figures["storageTransactionsPerProcessWithoutIdlePolling"] = Math.Round((requests - (idlePerSecond * seconds)) / count, 0);
        _figures["emailsPerProcess"] = Math.Round(mails.Select(m => m.MessageId).Distinct().Count() / (double)count, 1);
        foreach (var kind in mails.GroupBy(m => m.Kind ?? "?").OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            _figures[$"emailsPerProcess.{kind.Key}"] = Math.Round(kind.Select(m => m.MessageId).Distinct().Count() / (double)count, 1);
        }

        _log($"standard process x{count}: {seconds:F0} s, {requests / (double)count:F0} storage transactions and {mails.Count / (double)count:F1} e-mails per process");
    }

    /// <summary>One process through its whole life, as the people in it would live it.</summary>
    private async Task<string> LiveOneAsync(DialogueDriver driver, SmtpSink sink, string tag)
    {
        string Address(string who) => $"{who}-{tag}@example.org";
        string[] groups = ["inwoners", "ondernemers", "gemeente", "woningcorporatie"];
        var people = Enumerable.Range(0, 20).Select(i => (Name: $"Deelnemer {i + 1}", Email: Address($"p{i}"), Group: groups[i % 4])).ToList();
        var late = people.Where((_, i) => i % 5 == 1).Select(p => p.Email).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var start = DateTime.UtcNow.AddSeconds(40);
        var definition = new JsonObject
        {
            ["topic"] = $"Standaardtraject {tag}",
            ["area"] = "Gemeente Voorbeeld",
            ["coordinator"] = new JsonObject { ["name"] = "Carla", ["email"] = Address("carla") },
            ["escalationContact"] = new JsonObject { ["name"] = "Mark", ["email"] = Address("mark") },
            ["groups"] = new JsonArray(groups.Select(g => (JsonNode)new JsonObject { ["name"] = g, ["minimum"] = 2 }).ToArray()),
            ["participants"] = new JsonArray(people.Select(p => (JsonNode)new JsonObject { ["name"] = p.Name, ["email"] = p.Email, ["group"] = p.Group }).ToArray()),
            ["sessions"] = new JsonArray(new JsonObject
            {
                ["id"] = "s1",
                ["title"] = "Gesprek",
                ["start"] = AppSettings.Wall(start),
                ["end"] = AppSettings.Wall(start.AddSeconds(4)),
                ["location"] = "Buurthuis De Brug",
                ["facilitator"] = new JsonObject { ["name"] = "Fien", ["email"] = Address("fien") },
            }),
            ["policy"] = new JsonObject
            {
                ["replyDeadline"] = "PT30S",
                ["reminderCadence"] = "PT10S",
                ["maxReminders"] = 2,
                ["sessionReminderBefore"] = "PT5S",
                ["minutesDue"] = "PT5M",
                ["minutesReminder"] = "PT6M",
                ["minutesEscalation"] = "PT7M",
                ["stallThreshold"] = "PT5M",

                // A real process stays open a while after its last minutes; five seconds keep that step in the count.
                ["followUpWindow"] = "PT5S",
            },
        };
        var id = await driver.SubmitAsync(definition, "standard-" + tag);

        // Sixteen reply at once; four only after their second reminder.
        async Task ReplyAsync(string email, int remindersFirst)
        {
            var invitation = await WaitForAsync(sink, email, nameof(MailKind.Invitation), 1);
            if (remindersFirst > 0)
            {
                await WaitForAsync(sink, email, nameof(MailKind.ReplyReminder), remindersFirst);
            }

            await driver.PostLinkAsync(DialogueDriver.Link(invitation.Text, "yes")!, new Dictionary<string, string> { ["antwoord"] = "yes" });
        }

        await Task.WhenAll(people.Select(p => ReplyAsync(p.Email, late.Contains(p.Email) ? 2 : 0)));

        // The session ends; the facilitator uploads the minutes with five agreements.
        var request = await WaitForAsync(sink, Address("fien"), nameof(MailKind.MinutesRequest), 1, TimeSpan.FromMinutes(2));
        var due = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(30).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var owners = people.Take(5).ToList();
        var actions = string.Join('\n', owners.Select((o, i) => $"Afspraak {i + 1}; {o.Name}; {o.Email}; {due}"));
        using (await driver.PostMultipartAsync(DialogueDriver.Link(request.Text, "upload")!, () => new MultipartFormDataContent
        {
            { new ByteArrayContent("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"u8.ToArray()), "file", "verslag.pdf" },
            { new StringContent(actions, Encoding.UTF8), "actions" },
            { new StringContent("Fien"), "uploadedBy" },
        }))
        {
        }

        // Each owner reports twice through the link in their action e-mail.
        await Task.WhenAll(owners.Select(async owner =>
        {
            var assigned = await WaitForAsync(sink, owner.Email, nameof(MailKind.ActionAssigned), 1);
            var link = DialogueDriver.Link(assigned.Text, "progress")!;
            await driver.PostLinkAsync(link, new Dictionary<string, string> { ["status"] = "inProgress" });
            await driver.PostLinkAsync(link, new Dictionary<string, string> { ["status"] = "done" });
        }));
        return id;
    }

    private async Task InvitationLatencyAsync(DialogueDriver driver, SmtpSink sink, int size, int count)
    {
        var latencies = new List<double>();
        for (var n = 0; n < count; n++)
        {
            var tag = Guid.NewGuid().ToString("N")[..6];
            var people = Enumerable.Range(0, size).Select(i => $"p{i}-{tag}@example.org").ToList();
            var definition = OneGroupProcess($"Uitnodigen {size} ({tag})", tag, people);
            var submitted = Stopwatch.GetTimestamp();
            var id = await driver.SubmitAsync(definition, "latency-" + tag);
            var deadline = Stopwatch.StartNew();
            long last = 0;
            while (true)
            {
                var invitations = sink.Mail.Where(m => m.ProcessId == id && m.Kind == nameof(MailKind.Invitation)).ToList();
                if (invitations.Select(m => m.To).Distinct(StringComparer.OrdinalIgnoreCase).Count() == size)
                {
                    last = invitations.Max(m => m.ReceivedTicks);
                    break;
                }

                if (deadline.Elapsed > TimeSpan.FromMinutes(3))
                {
                    _failures.Add($"{size} participants: only {invitations.Count} invitations after 3 minutes.");
                    return;
                }

                await Task.Delay(20);
            }

            latencies.Add(Stopwatch.GetElapsedTime(submitted, last).TotalMilliseconds);
        }

        _figures[$"submitToAllInvitations{size}P50Ms"] = Benchmark.Percentile(latencies, 0.50);
        _figures[$"submitToAllInvitations{size}P99Ms"] = Benchmark.Percentile(latencies, 0.99);
        _log($"submit → all invitations, {size} participants, {count} runs: p50 {Benchmark.Percentile(latencies, 0.5)} ms, p99 {Benchmark.Percentile(latencies, 0.99)} ms");
    }

    /// <summary>
    /// One process with a reply deadline a day away; each reply is posted through its personal link and timed until
    /// its confirmation reaches the mail server. Warm: one after another. After idle: after <paramref name="idle"/>
    /// in which nothing happens.
    /// </summary>
    private async Task ReplyConfirmationLatencyAsync(DialogueDriver driver, SmtpSink sink, int warm, int afterIdle, TimeSpan idle)
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var people = Enumerable.Range(0, warm + afterIdle + 1).Select(i => $"r{i}-{tag}@example.org").ToList();
        var definition = OneGroupProcess($"Reageren ({tag})", tag, people);
        definition["policy"] = new JsonObject { ["replyDeadline"] = "P1D", ["reminderCadence"] = "PT12H" };
        await driver.SubmitAsync(definition, "reply-" + tag);
        var invitations = new Dictionary<string, SunkMail>(StringComparer.OrdinalIgnoreCase);
        foreach (var person in people)
        {
            invitations[person] = await WaitForAsync(sink, person, nameof(MailKind.Invitation), 1);
        }

        async Task<double> ReplyAsync(string person)
        {
            var posted = Stopwatch.GetTimestamp();
            await driver.PostLinkAsync(DialogueDriver.Link(invitations[person].Text, "yes")!, new Dictionary<string, string> { ["antwoord"] = "yes" });
            var confirmation = await WaitForAsync(sink, person, nameof(MailKind.ReplyConfirmation), 1, poll: TimeSpan.FromMilliseconds(5));
            return Stopwatch.GetElapsedTime(posted, confirmation.ReceivedTicks).TotalMilliseconds;
        }

        await ReplyAsync(people[0]); // warms the link pages and the engine's polling
        var warmLatencies = new List<double>();
        foreach (var person in people.Skip(1).Take(warm))
        {
            warmLatencies.Add(await ReplyAsync(person));
        }

        var idleLatencies = new List<double>();
        foreach (var person in people.Skip(1 + warm))
        {
            await Task.Delay(idle);
            idleLatencies.Add(await ReplyAsync(person));
        }

        _figures["replyConfirmationP50WarmMs"] = Benchmark.Percentile(warmLatencies, 0.50);
        _figures["replyConfirmationP99WarmMs"] = Benchmark.Percentile(warmLatencies, 0.99);
        _figures["replyConfirmationP99AfterIdleMs"] = Benchmark.Percentile(idleLatencies, 0.99);
        _figures["replyConfirmationAfterIdleMs"] = string.Join(", ", idleLatencies.Select(v => v.ToString("F0", CultureInfo.InvariantCulture)));
        _log($"reply → confirmation at the mail server: warm p50 {Benchmark.Percentile(warmLatencies, 0.5)} ms, p99 {Benchmark.Percentile(warmLatencies, 0.99)} ms ({warm} replies); after {idle.TotalSeconds:F0} s idle: {_figures["replyConfirmationAfterIdleMs"]} ms");
    }

    /// <summary>A process with one group of <paramref name="people"/> and one session a month away.</summary>
    private static JsonObject OneGroupProcess(string topic, string tag, IReadOnlyList<string> people)
    {
        var session = DateTime.UtcNow.AddDays(30);
        return new JsonObject
        {
            ["topic"] = topic,
            ["area"] = "Gemeente Voorbeeld",
            ["coordinator"] = new JsonObject { ["name"] = "Carla", ["email"] = $"carla-{tag}@example.org" },
            ["escalationContact"] = new JsonObject { ["name"] = "Mark", ["email"] = $"mark-{tag}@example.org" },
            ["groups"] = new JsonArray(new JsonObject { ["name"] = "inwoners", ["minimum"] = 1 }),
            ["participants"] = new JsonArray(people.Select((p, i) => (JsonNode)new JsonObject { ["name"] = $"Deelnemer {i + 1}", ["email"] = p, ["group"] = "inwoners" }).ToArray()),
            ["sessions"] = new JsonArray(new JsonObject { ["id"] = "s1", ["title"] = "Gesprek", ["start"] = AppSettings.Wall(session), ["end"] = AppSettings.Wall(session.AddHours(2)), ["location"] = "Stadhuis" }),
        };
    }

    private static async Task<SunkMail> WaitForAsync(SmtpSink sink, string to, string kind, int count, TimeSpan? timeout = null, TimeSpan? poll = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var found = sink.Mail.Where(m => m.Kind == kind && string.Equals(m.To, to, StringComparison.OrdinalIgnoreCase)).ToList();
            if (found.Count >= count)
            {
                return found[count - 1];
            }

            if (clock.Elapsed > (timeout ?? TimeSpan.FromMinutes(1)))
            {
                throw new TimeoutException($"No {count}x {kind} to {to} after {clock.Elapsed.TotalSeconds:F0} s.");
            }

            await Task.Delay(poll ?? TimeSpan.FromMilliseconds(100));
        }
    }
}
