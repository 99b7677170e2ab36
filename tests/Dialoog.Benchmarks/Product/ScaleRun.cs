using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Dialoog.Core.Email;
using Dialoog.Core.Invitations;
using Dialoog.Core.Processes;
using Dialoog.Core.Processes.Definition;
using Dialoog.Core.Tests.Integrations.Support;
using Dialoog.Testing;

namespace Dialoog.Benchmarks.Product;

/// <summary>What a scale or chaos run does; every size and duration is bounded.</summary>
public sealed record ScaleOptions
{
    public int Processes { get; init; } = 1000;

    public int Participants { get; init; } = 20;

    public int Workers { get; init; } = 2;

    /// <summary>Every how-manieth process has two participants who never reply (they must get both reminders, nobody else any).</summary>
    public int SilentEvery { get; init; } = 4;

    public TimeSpan ReminderCadence { get; init; } = TimeSpan.FromMinutes(4);

    public TimeSpan ReplyDeadline { get; init; } = TimeSpan.FromMinutes(9);

    /// <summary>The whole run fails after this, whatever state it is in.</summary>
    public TimeSpan Limit { get; init; } = TimeSpan.FromMinutes(45);

    /// <summary>"smtp" (the sink) or "sendgrid" (the stand-in).</summary>
    public string Mail { get; init; } = "smtp";

    public ChaosOptions? Chaos { get; init; }

    public int Seed { get; init; } = 20261123;
}

/// <summary>Faults injected while the scale run goes on, spread over <see cref="Window"/>.</summary>
public sealed record ChaosOptions
{
    public int Kills { get; init; } = 10;

    public bool RestartAzurite { get; init; } = true;

    /// <summary>The SMTP sink is away this long (SMTP runs only).</summary>
    public TimeSpan SmtpOutage { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>This many requests to the Graph (and SendGrid) stand-ins in a row answer 429 or 503.</summary>
    public int StandInFaults { get; init; } = 60;

    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(6);
}

/// <summary>
/// Many dialogue processes at once on the real app in worker processes, on Azurite, driven over HTTP: submitted
/// through the API, every invitation read from the mail server, every reply posted through the personal link.
/// Afterwards it checks what a coordinator and the participants would: each invitation once, no reply lost,
/// reminders only to those who had not replied, every process at its expected phase, failures visible.
/// </summary>
public sealed class ScaleRun(ScaleOptions options, Action<string>? log = null)
{
    private const string CoordinatorApiKeyName = "Api:CoordinatorApiKey";
    private readonly Action<string> _log = log ?? Console.WriteLine;
    private readonly Dictionary<string, object> _figures = [];
    private readonly List<string> _failures = [];

    public async Task<RunReport> RunAsync()
    {
        var run = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
        var random = new Random(options.Seed);
        var azuriteFolder = options.Chaos?.RestartAzurite == true ? Directory.CreateTempSubdirectory("dialoog-azurite-").FullName : null;
        var stack = new DevStackFixture { AzuriteLocation = azuriteFolder };
        await stack.InitializeAsync();
        await using var sink = new SmtpSink();
        sink.Start();
        await using var graph = options.Chaos is null ? null : await GraphStandIn.StartAsync();
        await using var sendGrid = options.Mail == "sendgrid" ? await SendGridStandIn.StartAsync() : null;
        var overall = Stopwatch.StartNew();
        try
        {
            var settings = AppSettings.For(stack.StorageConnectionString, "scale" + run, sink.Port);
            if (sendGrid is not null)
            {
                AppSettings.UseSendGrid(settings, sendGrid);
            }

            if (graph is not null)
            {
                AppSettings.UseGraph(settings, graph);
            }

            IReadOnlyList<SunkMail> Mail() => sendGrid is null ? sink.Mail.ToList() : AppSettings.Received(sendGrid);

            _log($"scale run {run}: {options.Processes} processes x {options.Participants} participants, {options.Workers} worker processes, mail via {options.Mail}"
                + (options.Chaos is null ? "" : $", chaos: {options.Chaos.Kills} kills, Azurite restart {options.Chaos.RestartAzurite}, SMTP outage {options.Chaos.SmtpOutage.TotalSeconds:F0} s, {options.Chaos.StandInFaults} stand-in faults"));
            await using var cluster = await WorkerCluster.StartAsync(settings, options.Workers);
            var driver = new DialogueDriver(cluster.Client, settings[CoordinatorApiKeyName]!);
            using var stop = new CancellationTokenSource(options.Limit);

            // 1. Submit every process through the API, remembering who will answer what.
            var plans = Enumerable.Range(0, options.Processes).Select(n => Plan(run, n)).ToList();
            var byAddress = plans.SelectMany(p => p.People).ToDictionary(p => p.Email, StringComparer.OrdinalIgnoreCase);
            var clock = Stopwatch.StartNew();
            var chaos = options.Chaos is null ? Task.CompletedTask : ChaosAsync(options.Chaos, cluster, stack, sink, graph, sendGrid, random, stop.Token);
            await Parallel.ForEachAsync(plans, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = stop.Token }, async (plan, _) =>
            {
                plan.SubmittedTicks = Stopwatch.GetTimestamp();
                plan.Id = await driver.SubmitAsync(plan.Definition, $"scale-{run}-{plan.Number}");
            });
            var submitSeconds = clock.Elapsed.TotalSeconds;
            _log($"  {plans.Count} submitted in {submitSeconds:F0} s");

            // 2. Answer every invitation through its link as it arrives, except the silent ones.
            var answered = new ConcurrentDictionary<string, (DateTime Start, DateTime End)>(StringComparer.OrdinalIgnoreCase); // address → when the post ran
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var queue = new ConcurrentQueue<(Person Person, string Link)>();
            var expectedAnswers = byAddress.Values.Count(p => p.Answer is not null);
            var replying = Task.WhenAll(Enumerable.Range(0, 12).Select(async _ =>
            {
                while (answered.Count < expectedAnswers && !stop.IsCancellationRequested)
                {
                    if (!queue.TryDequeue(out var next))
                    {
                        await Task.Delay(50, CancellationToken.None);
                        continue;
                    }

                    try
                    {
                        var started = DateTime.UtcNow;
                        await driver.PostLinkAsync(next.Link, new Dictionary<string, string> { ["antwoord"] = next.Person.Answer! });
                        answered[next.Person.Email] = (started, DateTime.UtcNow);
                    }
                    catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or TaskCanceledException)
                    {
                        Fail($"Reply of {next.Person.Email} not accepted: {ex.Message}");
                        await stop.CancelAsync(); // one refused reply fails the run; no point in waiting for the rest
                    }
                }
            }));
            while (answered.Count < expectedAnswers && !stop.IsCancellationRequested && !replying.IsCompleted)
            {
                foreach (var mail in Mail())
                {
                    if (mail.Kind == nameof(MailKind.Invitation) && seen.Add(mail.MessageId)
                        && byAddress.TryGetValue(mail.To, out var person) && person.Answer is not null && !answered.ContainsKey(person.Email))
                    {
                        queue.Enqueue((person, DialogueDriver.Link(mail.Text, person.Answer) ?? throw new InvalidOperationException($"No '{person.Answer}' link in the invitation to {mail.To}.")));
                    }
                }

                await Task.Delay(200, CancellationToken.None);
            }

            await replying;
            var repliesSeconds = clock.Elapsed.TotalSeconds;
            _log($"  {answered.Count} replies posted through the links by {repliesSeconds:F0} s");

            // 3. Wait for the reply deadlines (and the chaos) to pass and every process to reach its phase.
            await chaos;
            await WaitForEndStateAsync(driver, plans, stop.Token);
            var elapsed = clock.Elapsed.TotalSeconds;
            var details = await SettledAsync(driver, plans, stop.Token);

            Check(plans, details, Mail(), answered);
            if (_failures.Count > 0)
            {
                await DumpHistoriesAsync(stack.StorageConnectionString, settings["Durable:TaskHub"]!, plans.Where(p => _failures.Any(f => f.Contains(p.Id!, StringComparison.Ordinal))).Take(3));
            }
            Figures(plans, Mail(), submitSeconds, repliesSeconds, elapsed, answered.Count, driver.Retries);
            if (options.Chaos is null)
            {
                var stats = await cluster.StatsAsync();
                _figures["storageTransactionsPerProcess"] = Math.Round(stats.Sum(s => s.StorageRequests) / (double)plans.Count, 1);
            }

            _figures["workerPeakMemoryMb"] = Math.Round(cluster.PeakWorkingSetMb, 0);
            if (options.Chaos is not null)
            {
                _figures["chaosKills"] = cluster.Kills;
                _figures["smtpConnectionsBroken"] = sink.BrokenConnections;
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped by a failure already recorded, or by the time limit.
            if (_failures.Count == 0)
            {
                Fail($"The run did not finish within {options.Limit.TotalMinutes:F0} minutes.");
            }
        }
        finally
        {
            await stack.DisposeAsync();
            if (azuriteFolder is not null)
            {
                Directory.Delete(azuriteFolder, recursive: true);
            }
        }

        _figures["totalSeconds"] = Math.Round(overall.Elapsed.TotalSeconds, 0);
        return new RunReport(_figures, _failures);
    }

    private ProcessPlan Plan(string run, int number)
    {
        string[] groups = ["inwoners", "ondernemers", "gemeente", "woningcorporatie"];
        var silent = options.SilentEvery > 0 && number % options.SilentEvery == 0;
        var people = new List<Person>();
        for (var i = 0; i < options.Participants; i++)
        {
            // Two silent people (in two groups); from 12 participants on, the last one of each group says no or maybe.
            // Every group keeps at least its minimum of yes.
            var answer = silent && i is 0 or 1 ? null
                : options.Participants >= 12 && i >= options.Participants - groups.Length ? ((i + number) % 2 == 0 ? Answers.No : Answers.Maybe)
                : Answers.Yes;
            people.Add(new Person($"Deelnemer {i + 1}", $"p{i}-{number}-{run}@example.org", groups[i % groups.Length], answer));
        }

        var session = DateTime.UtcNow.AddDays(3);
        var definition = new JsonObject
        {
            ["topic"] = $"Schaaltest {run} nr. {number}",
            ["area"] = "Gemeente Voorbeeld",
            ["coordinator"] = new JsonObject { ["name"] = "Carla", ["email"] = $"carla-{number}-{run}@example.org" },
            ["escalationContact"] = new JsonObject { ["name"] = "Mark", ["email"] = $"mark-{number}-{run}@example.org" },
            ["groups"] = new JsonArray(groups.Select(g => (JsonNode)new JsonObject { ["name"] = g, ["minimum"] = options.Participants >= 12 ? 2 : 1 }).ToArray()),
            ["participants"] = new JsonArray(people.Select(p => (JsonNode)new JsonObject { ["name"] = p.Name, ["email"] = p.Email, ["group"] = p.Group }).ToArray()),
            ["sessions"] = new JsonArray(new JsonObject
            {
                ["id"] = "s1",
                ["title"] = "Gesprek",
                ["start"] = AppSettings.Wall(session),
                ["end"] = AppSettings.Wall(session.AddHours(2)),
                ["location"] = "Buurthuis De Brug",
            }),
            ["policy"] = new JsonObject
            {
                ["replyDeadline"] = IsoDuration.Format(options.ReplyDeadline),
                ["reminderCadence"] = IsoDuration.Format(options.ReminderCadence),
                ["maxReminders"] = 2,
                ["sessionReminderBefore"] = "PT1H",
            },
        };
        return new ProcessPlan(number, definition, people);
    }

    private async Task ChaosAsync(ChaosOptions chaos, WorkerCluster cluster, DevStackFixture stack, SmtpSink sink, GraphStandIn? graph, SendGridStandIn? sendGrid, Random random, CancellationToken stop)
    {
        // Every fault at a random moment in the window; they may overlap, as real trouble does.
        var window = chaos.Window.TotalMilliseconds;
        var plan = Enumerable.Range(0, chaos.Kills).Select(_ => (At: random.NextDouble() * window, What: "kill")).ToList();
        if (chaos.RestartAzurite)
        {
            plan.Add((window * (0.3 + (random.NextDouble() * 0.4)), "azurite"));
        }

        if (options.Mail == "smtp" && chaos.SmtpOutage > TimeSpan.Zero)
        {
            plan.Add((window * random.NextDouble() * 0.5, "smtp"));
        }

        if (chaos.StandInFaults > 0)
        {
            plan.Add((window * random.NextDouble() * 0.5, "standins"));
        }

        var clock = Stopwatch.StartNew();
        var running = new List<Task>();
        foreach (var (at, what) in plan.OrderBy(p => p.At))
        {
            var wait = TimeSpan.FromMilliseconds(at) - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, stop);
            }

            _log($"  chaos at {clock.Elapsed.TotalSeconds:F0} s: {what}");
            switch (what)
            {
                case "kill":
                    await cluster.KillOneAndReplaceAsync(random);
                    break;
                case "azurite":
                    await stack.RestartAzuriteAsync();
                    _figures["chaosAzuriteRestarts"] = 1;
                    break;
                case "smtp":
                    await sink.StopAsync();
                    _figures["chaosSmtpOutageSeconds"] = chaos.SmtpOutage.TotalSeconds;
                    running.Add(Task.Delay(chaos.SmtpOutage, stop).ContinueWith(_ => sink.Start(), TaskScheduler.Default));
                    break;
                case "standins":
                    for (var i = 0; i < chaos.StandInFaults; i++)
                    {
                        if (i % 2 == 0)
                        {
                            graph?.ThrottleNext(1, 1);
                            sendGrid?.AnswerNext(429, 1);
                        }
                        else
                        {
                            graph?.FailNext(503, "serviceNotAvailable", "The service is temporarily unavailable.");
                            sendGrid?.AnswerNext(503);
                        }
                    }

                    _figures["chaosStandInFaults"] = chaos.StandInFaults;

                    break;
            }
        }

        await Task.WhenAll(running);
    }

    private async Task WaitForEndStateAsync(DialogueDriver driver, List<ProcessPlan> plans, CancellationToken stop)
    {
        var details = new ConcurrentDictionary<string, ProcessDetails>();
        while (true)
        {
            var pending = plans.Where(p => !details.TryGetValue(p.Id!, out var d) || !IsEndState(d)).ToList();
            if (pending.Count == 0)
            {
                return;
            }

            stop.ThrowIfCancellationRequested();
            await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (plan, _) => details[plan.Id!] = await driver.DetailsAsync(plan.Id!));
            var waiting = pending.Count(p => !IsEndState(details[p.Id!]));
            if (waiting > 0)
            {
                _log($"  {plans.Count - waiting} of {plans.Count} processes at rest");
                await Task.Delay(TimeSpan.FromSeconds(5), stop);
            }
        }
    }

    /// <summary>
    /// Reads every process until none changed in 3 s: one that came to rest early (asking for a decision) may still be
    /// handling replies, and late duplicates of e-mails would arrive in that time too.
    /// </summary>
    private static async Task<ConcurrentDictionary<string, ProcessDetails>> SettledAsync(DialogueDriver driver, List<ProcessPlan> plans, CancellationToken stop)
    {
        ConcurrentDictionary<string, ProcessDetails>? previous = null;
        while (true)
        {
            await Task.Delay(TimeSpan.FromSeconds(3), stop);
            var details = new ConcurrentDictionary<string, ProcessDetails>();
            await Parallel.ForEachAsync(plans, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (plan, _) => details[plan.Id!] = await driver.DetailsAsync(plan.Id!));
            if (previous is not null && plans.All(p => previous[p.Id!].LastUpdatedAt == details[p.Id!].LastUpdatedAt))
            {
                return details;
            }

            previous = details;
        }
    }

    /// <summary>
    /// Past the reply deadline, every group complete, waiting for the session. A process that failed, or stopped for
    /// a decision, has also come to rest: <see cref="Check"/> reports it.
    /// </summary>
    private static bool IsEndState(ProcessDetails details) =>
        details.RuntimeStatus is "Failed" or "Terminated" or "Completed"
        || (details.Status?.Phase is Phases.Sessions or Phases.AwaitingDecision && details.Participants.Count > 0);

    private void Check(List<ProcessPlan> plans, ConcurrentDictionary<string, ProcessDetails> details, IReadOnlyList<SunkMail> mail, ConcurrentDictionary<string, (DateTime Start, DateTime End)> answered)
    {
        var byRecipientKind = mail.GroupBy(m => (To: m.To.ToLowerInvariant(), m.Kind)).ToDictionary(g => g.Key, g => g.Select(m => m.MessageId).Distinct().Count());
        int Count(string to, MailKind kind) => byRecipientKind.GetValueOrDefault((to.ToLowerInvariant(), kind.ToString()));

        // A mail outage can hold invitations and reminders back past a compressed reply deadline. The product then
        // records a reply as late (and says so in a mail) and sends no reminder after the deadline: by design, so
        // under such faults those outcomes are counted, not failed. Everything else is checked the same way.
        var mailFaults = options.Chaos is { } c && (c.SmtpOutage > TimeSpan.Zero || (options.Mail == "sendgrid" && c.StandInFaults > 0));
        int missing = 0, duplicated = 0, lost = 0, late = 0, wrongReminders = 0, missingReminders = 0, skippedReminders = 0, confirmations = 0, notAtEnd = 0, failedMail = 0;
        foreach (var plan in plans)
        {
            var detail = details[plan.Id!];
            var deadline = detail.Status?.ReplyDeadlineUtc;
            var records = detail.Participants.ToDictionary(r => r.Email, StringComparer.OrdinalIgnoreCase);
            var lateHere = 0;
            failedMail += detail.Status?.Timeline.Count(t => t.Text.Contains("kon niet worden verstuurd", StringComparison.Ordinal)) ?? 0;
            foreach (var person in plan.People)
            {
                var invitations = Count(person.Email, MailKind.Invitation);
                missing += invitations == 0 ? 1 : 0;
                duplicated += Math.Max(0, invitations - 1);
                if (!records.TryGetValue(person.Email, out var record))
                {
                    Fail($"{person.Email} is not in the participant list of {plan.Id}.");
                    continue;
                }

                var confirmed = Count(person.Email, MailKind.ReplyConfirmation);
                var toldLate = Count(person.Email, MailKind.ReplyAfterDeadline);
                confirmations += confirmed;
                if (person.Answer is not null)
                {
                    // The server stamps a reply somewhere between the start and the end of the post: in time needs the
                    // start before the deadline, late needs the end after it.
                    var posted = answered.TryGetValue(person.Email, out var at) ? at : ((DateTime Start, DateTime End)?)null;
                    if (record.Answer == person.Answer && posted?.Start <= deadline && confirmed == 1 && toldLate == 0)
                    {
                        // In time, applied, confirmed once.
                    }
                    else if (record.LateAnswer == person.Answer && posted?.End > deadline && toldLate == 1 && confirmed == 0)
                    {
                        late++;
                        lateHere++;
                    }
                    else
                    {
                        lost++;
                        Fail($"{person.Email} answered '{person.Answer}' at {posted?.Start:HH:mm:ss.fff}-{posted?.End:HH:mm:ss.fff} (deadline {deadline:HH:mm:ss.fff}); {plan.Id} has '{record.Answer}' (late: '{record.LateAnswer}'), "
                            + $"{confirmed} confirmation(s), {toldLate} after-deadline mail(s).");
                    }
                }

                // Reminders are due at invitation + k x cadence, before the deadline. Only those due before the
                // process had the reply may be sent; each one decided on arrives once; someone who never replied
                // gets every one of them, unless a mail fault held them back past the deadline.
                var end = deadline ?? record.InvitedUtc + options.ReplyDeadline;
                var due = Enumerable.Range(1, 2).Select(k => record.InvitedUtc + (options.ReminderCadence * k)).Where(d => d < end).ToList();
                var allowed = due.Count(d => record.RepliedUtc is null || d < record.RepliedUtc);
                var reminders = Count(person.Email, MailKind.ReplyReminder);
                if (reminders > allowed || reminders != record.RemindersSent)
                {
                    wrongReminders += Math.Max(1, reminders - allowed);
                    Fail($"{person.Email} got {reminders} reminder(s) ({record.RemindersSent} sent by the process, {allowed} allowed), replied at {record.RepliedUtc:O}, invited at {record.InvitedUtc:O}.");
                }

                if (person.Answer is null && reminders < due.Count)
                {
                    if (mailFaults)
                    {
                        skippedReminders += due.Count - reminders;
                    }
                    else
                    {
                        missingReminders += due.Count - reminders;
                        Fail($"{person.Email} never replied and got {reminders} of {due.Count} reminders.");
                    }
                }
            }

            // Late replies can leave a group short at the deadline; then the process rightly asks for a decision.
            var expected = lateHere > 0 ? new[] { Phases.Sessions, Phases.AwaitingDecision } : [Phases.Sessions];
            if (detail.RuntimeStatus != "Running" || !expected.Contains(detail.Status?.Phase))
            {
                notAtEnd++;
                Fail($"{plan.Id} ended {detail.RuntimeStatus} in phase {detail.Status?.Phase}: {detail.Failure}");
            }
        }

        if (late > 0 && !mailFaults)
        {
            // Without a mail outage a late reply means the driver could not answer in time at this size: the run
            // then measures the wrong thing, so it fails and says how to fix it.
            Fail($"{late} replies were posted after their deadline: {options.ReplyDeadline.TotalMinutes:F1} minutes is too short to answer "
                + $"{options.Processes} x {options.Participants} invitations here; give more --deadline-minutes.");
        }

        _figures["invitationsMissing"] = missing;
        _figures["invitationsDuplicated"] = duplicated;
        _figures["sameMessageRedelivered"] = mail.Count - mail.Select(m => m.MessageId).Distinct().Count();
        _figures["repliesLost"] = lost;
        _figures["repliesAfterDeadline"] = late;
        _figures["remindersToRespondents"] = wrongReminders;
        _figures["remindersMissing"] = missingReminders;
        _figures["remindersHeldPastDeadline"] = skippedReminders;
        _figures["processesNotAtEndState"] = notAtEnd;
        _figures["mailFailuresOnTimelines"] = failedMail;
        _figures["replyConfirmations"] = confirmations;
    }

    /// <summary>The history of a few failed processes, for whoever has to find out why: written next to the run's log.</summary>
    private async Task DumpHistoriesAsync(string connection, string taskHub, IEnumerable<ProcessPlan> failed)
    {
        // DurableTask.AzureStorage keeps each instance's history as rows of <hub>History, partitioned by instance id.
        var history = new TableClient(connection, taskHub + "History");
        foreach (var plan in failed)
        {
            var rows = new List<string>();
            await foreach (var row in history.QueryAsync<TableEntity>(e => e.PartitionKey == plan.Id))
            {
                rows.Add(JsonSerializer.Serialize(row.ToDictionary(p => p.Key, p => p.Value?.ToString())));
            }

            var path = Path.Combine(Path.GetTempPath(), $"dialoog-{taskHub}-{plan.Id}.history.jsonl");
            await File.WriteAllLinesAsync(path, rows.Count == 0 ? ["(no instance)"] : rows);
            _log($"  history of {plan.Id}: {path}");
        }
    }

    private void Figures(List<ProcessPlan> plans, IReadOnlyList<SunkMail> mail, double submitSeconds, double repliesSeconds, double elapsed, int replies, int retries)
    {
        var lastInvitation = mail.Where(m => m.Kind == nameof(MailKind.Invitation) && m.ReceivedTicks > 0)
            .GroupBy(m => m.ProcessId ?? "").ToDictionary(g => g.Key, g => g.Max(m => m.ReceivedTicks));
        var latencies = plans.Where(p => lastInvitation.ContainsKey(p.Id!))
            .Select(p => Stopwatch.GetElapsedTime(p.SubmittedTicks, lastInvitation[p.Id!]).TotalSeconds).ToList();
        _figures["processes"] = plans.Count;
        _figures["participantsPerProcess"] = options.Participants;
        _figures["workers"] = options.Workers;
        _figures["submitSeconds"] = Math.Round(submitSeconds, 1);
        _figures["processesSubmittedPerSecond"] = Math.Round(plans.Count / submitSeconds, 1);
        _figures["invitations"] = mail.Count(m => m.Kind == nameof(MailKind.Invitation));
        if (latencies.Count > 0)
        {
            _figures["submitToLastInvitationP50Seconds"] = Benchmark.Percentile(latencies, 0.50);
            _figures["submitToLastInvitationP99Seconds"] = Benchmark.Percentile(latencies, 0.99);
            var firstSubmit = plans.Min(p => p.SubmittedTicks);
            var allInvited = Stopwatch.GetElapsedTime(firstSubmit, lastInvitation.Values.Max()).TotalSeconds;
            _figures["invitationsPerSecond"] = Math.Round(mail.Count(m => m.Kind == nameof(MailKind.Invitation)) / allInvited, 1);
        }

        _figures["repliesThroughLinks"] = replies;
        _figures["repliesPerSecond"] = Math.Round(replies / Math.Max(1, repliesSeconds - submitSeconds), 1);
        _figures["emailsTotal"] = mail.Select(m => m.MessageId).Distinct().Count();
        _figures["emailsPerProcess"] = Math.Round(mail.Select(m => m.MessageId).Distinct().Count() / (double)plans.Count, 1);
        _figures["httpRetries"] = retries;
        _figures["runSeconds"] = Math.Round(elapsed, 0);
    }

    private void Fail(string failure)
    {
        lock (_failures)
        {
            if (_failures.Count < 50)
            {
                _failures.Add(failure);
            }
            else if (_failures.Count == 50)
            {
                _failures.Add("... more failures left out.");
            }
        }
    }

    private sealed record Person(string Name, string Email, string Group, string? Answer);

    private sealed class ProcessPlan(int number, JsonObject definition, List<Person> people)
    {
        public int Number { get; } = number;

        public JsonObject Definition { get; } = definition;

        public List<Person> People { get; } = people;

        public string? Id { get; set; }

        public long SubmittedTicks { get; set; }
    }
}

/// <summary>Figures and what went wrong; <see cref="Passed"/> when nothing did.</summary>
public sealed record RunReport(Dictionary<string, object> Figures, IReadOnlyList<string> Failures)
{
    public bool Passed => Failures.Count == 0;

    public void Print(Action<string> log)
    {
        new Report(Figures).Print(log);
        log(Passed ? "verdict: passed" : $"verdict: FAILED ({Failures.Count})");
        foreach (var failure in Failures)
        {
            log("  - " + failure);
        }
    }
}
