using System.Diagnostics;
using System.Globalization;
using Microsoft.DurableTask.Client;

namespace Dialoog.Benchmarks;

/// <summary>What a waiting run does; every size and duration is bounded.</summary>
public sealed record WaitingOptions
{
    public int Count { get; init; } = 10_000;

    /// <summary>
    /// From the first start until the first reminder is due; by default 60 s plus room to start them all at 25/s (what
    /// Azurite manages with 10,000 waiting), so lateness is measured on waiting processes, not on a start backlog.
    /// </summary>
    public TimeSpan? FirstDue { get; init; }

    /// <summary>The reminders are due evenly over this window.</summary>
    public TimeSpan Spread { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Every how-manieth process gets its reply before its reminder is due.</summary>
    public int ReplyEvery { get; init; } = 10;

    /// <summary>The whole run, from the first start until the last process has ended.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(20);

    public TimeSpan FirstDueOrDefault => FirstDue ?? TimeSpan.FromSeconds(60) + TimeSpan.FromMilliseconds(40 * Count);

    public static WaitingOptions Parse(string[] args)
    {
        string? Value(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        double? Number(string name) => Value(name) is { } text ? double.Parse(text, CultureInfo.InvariantCulture) : null;
        var defaults = new WaitingOptions();
        return defaults with
        {
            Count = (int)(Number("--count") ?? defaults.Count),
            FirstDue = Number("--first-due") is { } firstDue ? TimeSpan.FromSeconds(firstDue) : null,
            Spread = Number("--spread") is { } spread ? TimeSpan.FromSeconds(spread) : defaults.Spread,
            Timeout = Number("--timeout-minutes") is { } minutes ? TimeSpan.FromMinutes(minutes) : defaults.Timeout,
        };
    }
}

/// <summary>The figures, the verdict, and what happened to each process (for a test to check).</summary>
public sealed record WaitingResult(Report Report, bool Passed, WakeLog Wakes, IReadOnlySet<string> RepliedTo, IReadOnlyDictionary<string, string?> Outcomes);

/// <summary>
/// Many dialogue processes waiting at once, each for a reply or its reminder (a durable timer), in one worker on
/// one task hub: how fast they start, what the worker holds while they wait, and how late the reminders fire.
/// A tenth get their reply first, so the event path is exercised among many waiting timers.
/// </summary>
public sealed class WaitingRun(WaitingOptions options, Action<string>? log = null)
{
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    // A status query reads every row of the task hub's table on Azurite: not often, it competes with the worker.
    private static readonly TimeSpan QueryPoll = TimeSpan.FromSeconds(2);
    private readonly Action<string> _log = log ?? Console.WriteLine;
    private readonly Dictionary<string, object> _figures = Report.Describe();

    public async Task<WaitingResult> RunAsync(string connection)
    {
        var count = options.Count;
        var hub = "wait" + Guid.NewGuid().ToString("N")[..8];
        await using var host = new BenchmarkHost(connection, hub, runWorker: true);
        await host.StartAsync();
        _figures["count"] = count;
        _figures["firstDueSeconds"] = options.FirstDueOrDefault.TotalSeconds;
        _figures["spreadSeconds"] = options.Spread.TotalSeconds;
        _log($"waiting run on hub {hub}: {count} processes, first reminder due {options.FirstDueOrDefault.TotalSeconds:F0} s after the first start, spread over {options.Spread.TotalSeconds:F0} s");

        var clock = Stopwatch.StartNew();
        var origin = DateTimeOffset.UtcNow;
        var deadline = origin + options.Timeout;
        var firstDue = origin + options.FirstDueOrDefault;
        DateTimeOffset DueAt(int n) => firstDue + options.Spread * n / count;
        string Id(int n) => $"w{n:D6}";

        // 1. Start them all, a bounded number at a time, as requests to an app would.
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (n, token) =>
            await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(WaitingProcess), new WaitingInput(DueAt(n)), new Microsoft.DurableTask.StartOrchestrationOptions(Id(n)), token));
        var startSeconds = clock.Elapsed.TotalSeconds;
        _figures["startSeconds"] = Round(startSeconds);
        _figures["startsPerSecond"] = Round(count / startSeconds);
        _log($"  {count} started in {startSeconds:F1} s ({count / startSeconds:F0}/s)");

        // 2. All waiting: each process has run its first step (it is Running once that step, with its timer, is saved).
        var allWaiting = await UntilAsync(async () => await CountAsync(host.Client, OrchestrationRuntimeStatus.Running) >= count, Min(firstDue, deadline), QueryPoll);
        _figures["secondsUntilAllWaiting"] = allWaiting ? Round(clock.Elapsed.TotalSeconds) : "not before the first reminder was due";
        _figures["managedHeapWhileWaitingMb"] = Round(GC.GetTotalMemory(forceFullCollection: true) / 1024.0 / 1024.0);
        _log(allWaiting
            ? $"  all waiting after {clock.Elapsed.TotalSeconds:F1} s"
            : $"  only {await CountAsync(host.Client, OrchestrationRuntimeStatus.Running)} waiting when the first reminder was due");

        // 3. Replies to every ReplyEvery-th process whose reminder is not about to fire (else the race has no fixed winner).
        var repliedTo = new HashSet<string>(StringComparer.Ordinal);
        var replyTo = Enumerable.Range(0, count).Where(n => n % options.ReplyEvery == 0 && DueAt(n) > DateTimeOffset.UtcNow + TimeSpan.FromSeconds(5)).ToList();
        await Parallel.ForEachAsync(replyTo, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (n, token) =>
        {
            await host.Client.RaiseEventAsync(Id(n), WaitingProcess.ReplyEvent, "yes", token);
            lock (repliedTo)
            {
                repliedTo.Add(Id(n));
            }
        });
        _figures["repliesSent"] = repliedTo.Count;

        // 4. Every process wakes once: by its reminder or by its reply.
        var nextProgress = clock.Elapsed + ProgressEvery;
        var allWoke = await UntilAsync(() =>
        {
            if (clock.Elapsed >= nextProgress)
            {
                nextProgress += ProgressEvery;
                _log($"  {clock.Elapsed.TotalSeconds:F0} s: {host.Wakes.Reminders.Count} reminders fired, {host.Wakes.Replies.Count} replies handled, of {count}");
            }

            return Task.FromResult(Woken(host.Wakes).Count >= count);
        }, deadline, Poll);

        // 5. ...and then ends; its outcome tells which path woke it.
        var allEnded = allWoke && await UntilAsync(async () => await CountAsync(host.Client, OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Suspended) == 0, deadline, QueryPoll);
        var outcomes = allEnded ? await OutcomesAsync(host.Client) : new Dictionary<string, string?>();
        var failures = Check(count, host.Wakes, repliedTo, outcomes, Id);

        var lateness = host.Wakes.Reminders.Select(r => r.Lateness.TotalMilliseconds).ToList();
        _figures["workerPeakWorkingSetMb"] = Round(Process.GetCurrentProcess().PeakWorkingSet64 / 1024.0 / 1024.0); // VmHWM on Linux
        _figures["timerLatenessP50Ms"] = Benchmark.Percentile(lateness, 0.50);
        _figures["timerLatenessP99Ms"] = Benchmark.Percentile(lateness, 0.99);
        _figures["timerLatenessMaxMs"] = Benchmark.Percentile(lateness, 1.0);
        _figures["remindersFired"] = host.Wakes.Reminders.Count;
        _figures["repliesHandled"] = host.Wakes.Replies.Count;
        _figures["stillWaiting"] = count - Woken(host.Wakes).Count;
        _figures["allEndedWithinTimeout"] = allEnded;
        _figures["totalSeconds"] = Round(clock.Elapsed.TotalSeconds);
        if (!allEnded)
        {
            _log($"  {count - Woken(host.Wakes).Count:N0} still waiting after {options.Timeout.TotalMinutes:F0} min");
        }

        foreach (var failure in failures)
        {
            _log($"  FAILED: {failure}");
        }

        return new WaitingResult(new Report(_figures), allEnded && failures.Count == 0, host.Wakes, repliedTo, outcomes);
    }

    private static HashSet<string> Woken(WakeLog wakes) =>
        [.. wakes.Reminders.Select(r => r.InstanceId).Concat(wakes.Replies)];

    /// <summary>Each process woke once, by the path it was meant to, and ended saying so.</summary>
    private static List<string> Check(int count, WakeLog wakes, HashSet<string> repliedTo, Dictionary<string, string?> outcomes, Func<int, string> id)
    {
        var failures = new List<string>();
        var repeats = wakes.Reminders.Select(r => r.InstanceId).Concat(wakes.Replies).GroupBy(i => i).Count(g => g.Count() > 1);
        if (repeats > 0)
        {
            failures.Add($"{repeats} process(es) woke more than once");
        }

        var wrongPath = outcomes.Count(o => o.Value != (repliedTo.Contains(o.Key) ? "reply" : "reminder"));
        if (wrongPath > 0)
        {
            failures.Add($"{wrongPath} process(es) woke by the other path than expected");
        }

        var missing = outcomes.Count == 0 ? 0 : Enumerable.Range(0, count).Count(n => !outcomes.ContainsKey(id(n)));
        if (missing > 0)
        {
            failures.Add($"{missing} process(es) did not complete");
        }

        return failures;
    }

    private static async Task<int> CountAsync(DurableTaskClient client, params OrchestrationRuntimeStatus[] statuses)
    {
        var count = 0;
        await foreach (var page in client.GetAllInstancesAsync(new OrchestrationQuery { Statuses = statuses, PageSize = 1000 }).AsPages())
        {
            count += page.Values.Count;
        }

        return count;
    }

    /// <summary>The output of every completed process ("reply" or "reminder"), by instance id.</summary>
    private static async Task<Dictionary<string, string?>> OutcomesAsync(DurableTaskClient client)
    {
        var outcomes = new Dictionary<string, string?>(StringComparer.Ordinal);
        var query = new OrchestrationQuery { Statuses = [OrchestrationRuntimeStatus.Completed], PageSize = 1000, FetchInputsAndOutputs = true };
        await foreach (var instance in client.GetAllInstancesAsync(query))
        {
            outcomes[instance.InstanceId] = instance.ReadOutputAs<string>();
        }

        return outcomes;
    }

    private static async Task<bool> UntilAsync(Func<Task<bool>> condition, DateTimeOffset deadline, TimeSpan interval)
    {
        while (!await condition())
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(interval);
        }

        return true;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static double Round(double value) => Math.Round(value, 2);
}
