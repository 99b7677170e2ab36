using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Dialoog.Benchmarks;
using Dialoog.Benchmarks.Product;
using Dialoog.Core.Engine;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Dialoog.Testing;

// Usage:
//   dotnet run -c Release --project tests/Dialoog.Benchmarks -- [--quick] [--json <path>] [--connection <storage connection string>]
//       [--partitions N] [--extended-sessions] [--max-polling-ms M]   (the engine's settings; defaults are the app's)
//   Dialoog.Benchmarks waiting [--count N] [--first-due <s>] [--spread <s>] [--timeout-minutes M] [--json <path>] [--connection <cs>]
//       (N processes waiting for a reply or a reminder: see WaitingRun; exits 1 unless every one woke once and ended)
//   Dialoog.Benchmarks worker --connection <cs> --hub <name> [--trace]   (a worker process; exits when stdin closes)
//   Dialoog.Benchmarks product|scale|chaos [options]   (the product runs on the real app: see ProductCommands)
//   Dialoog.Benchmarks app --settings <file>           (an app worker process for scale and chaos runs)
if (args.Length > 0 && ProductCommands.Names.Contains(args[0]))
{
    return await ProductCommands.RunAsync(args);
}

var options = Args.Parse(args);
if (options.Mode == "worker")
{
    return await WorkerMode.RunAsync(options);
}

DevStackFixture? stack = null;
var connection = options.Connection ?? Environment.GetEnvironmentVariable("DIALOOG_BENCH_STORAGE");
if (connection is null)
{
    Console.WriteLine("Starting Azurite (in memory) for the benchmark...");
    stack = new DevStackFixture();
    await stack.InitializeAsync();
    connection = stack.StorageConnectionString;
}

try
{
    Report report;
    var passed = true;
    if (options.Mode == "waiting")
    {
        var waiting = await new WaitingRun(WaitingOptions.Parse(args)).RunAsync(connection);
        (report, passed) = (waiting.Report, waiting.Passed);
    }
    else
    {
        report = await new Benchmark(connection, options.Quick, EngineTuning.Parse(args)).RunAsync();
    }

    report.Print();
    if (options.JsonPath is { } path)
    {
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(report.Values, new JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine($"Figures written to {path}");
    }

    return passed ? 0 : 1;
}
finally
{
    if (stack is not null)
    {
        await stack.DisposeAsync();
    }
}

internal sealed record Args(string Mode, bool Quick, string? JsonPath, string? Connection, string? Hub, bool Trace)
{
    public static Args Parse(string[] args)
    {
        string? Value(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        return new Args(
            args.Length > 0 && args[0] is "worker" or "waiting" ? args[0] : "benchmark",
            args.Contains("--quick"),
            Value("--json"),
            Value("--connection"),
            Value("--hub"),
            args.Contains("--trace"));
    }
}

internal static class WorkerMode
{
    /// <summary>A worker process for multi-process runs: prints "ready", works until its stdin closes.</summary>
    public static async Task<int> RunAsync(Args options)
    {
        if (options.Connection is null || options.Hub is null)
        {
            await Console.Error.WriteLineAsync("worker needs --connection and --hub");
            return 2;
        }

        await using var host = new BenchmarkHost(options.Connection, options.Hub, runWorker: true, trace: options.Trace, tuning: EngineTuning.Parse(Environment.GetCommandLineArgs()));
        await host.StartAsync();
        Console.WriteLine("ready");
        // The parent holds our stdin: when it exits (or dies), the pipe closes and so do we. No orphans.
        await Console.In.ReadToEndAsync();
        return 0;
    }
}

internal sealed class Benchmark(string connection, bool quick, EngineTuning tuning)
{
    private readonly Dictionary<string, object> _values = Report.Describe();

    public async Task<Report> RunAsync()
    {
        _values["mode"] = quick ? "quick" : "full";
        _values["engine"] = "DurableTask.AzureStorage";
        _values["engineSettings"] = tuning.Describe();
        Console.WriteLine($"engine: DurableTask.AzureStorage 2.11.3 through Microsoft.DurableTask 1.28 shims; {tuning.Describe()}");

        var count = quick ? 200 : 1000;
        var floor = await MeasureFloorAsync(count);
        _values["floorEventsPerSecond"] = Round(floor);

        var (orchPerSec, perOrch) = await HelloSequenceAsync(count, workers: 1);
        _values["orchestrationsPerSecond"] = Round(orchPerSec);
        _values["eventsPerSecond"] = Round(orchPerSec * 5);
        _values["storageTransactionsPerOrchestration"] = Round(perOrch);
        _values["storageTransactionsPerActivity"] = Round(perOrch / 5);
        _values["fractionOfFloor"] = Round(orchPerSec * 5 / floor);

        if (Environment.GetEnvironmentVariable("DIALOOG_BENCH_THROUGHPUT_ONLY") == "1")
        {
            return new Report(_values);
        }

        var (orchPerSec2, _) = await HelloSequenceAsync(count, workers: 2);
        _values["orchestrationsPerSecondTwoWorkers"] = Round(orchPerSec2);
        _values["eventsPerSecondTwoWorkers"] = Round(orchPerSec2 * 5);

        _values["fanOut100Seconds"] = Round(await FanOutAsync(100));

        var (warm, idle) = await LatencyAsync(warmSamples: quick ? 100 : 300, idlePeriods: quick ? 2 : 4, idle: TimeSpan.FromSeconds(60));
        _values["latencyP50WarmMs"] = Percentile(warm, 0.50);
        _values["latencyP95WarmMs"] = Percentile(warm, 0.95);
        _values["latencyP99WarmMs"] = Percentile(warm, 0.99);
        _values["latencyP50AfterIdleMs"] = Percentile(idle, 0.50);
        _values["latencyP99AfterIdleMs"] = Percentile(idle, 0.99);
        _values["workerPeakMemoryMb"] = Round(Process.GetCurrentProcess().PeakWorkingSet64 / 1024.0 / 1024.0);
        return new Report(_values);
    }

    /// <summary>
    /// The floor: Azurite doing, without the runtime, exactly the storage work of <paramref name="count"/>
    /// HelloSequence5 orchestrations started at once: create each instance row and send its wake-up (so the queue is
    /// as deep as in the real run), then with 32 callers receive a wake-up, read the partition, commit six steps and
    /// delete the message. Expressed as activities (5 per orchestration) per second.
    /// </summary>
    private async Task<double> MeasureFloorAsync(int count)
    {
        var name = "floor" + Guid.NewGuid().ToString("N")[..8];
        var table = new TableClient(connection, name);
        var queue = new Azure.Storage.Queues.QueueClient(connection, name);
        await table.CreateIfNotExistsAsync();
        await queue.CreateIfNotExistsAsync();
        var payload = new string('x', 600);
        var stopwatch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (n, token) =>
        {
            await table.AddEntityAsync(new TableEntity($"i{n}", "$i") { ["Data"] = payload }, token);
            await queue.SendMessageAsync($"i{n}", token);
        });

        var remaining = count;
        await Task.WhenAll(Enumerable.Range(0, 32).Select(async _ =>
        {
            while (Volatile.Read(ref remaining) > 0)
            {
                var message = (await queue.ReceiveMessagesAsync(1)).Value.FirstOrDefault();
                if (message is null)
                {
                    await Task.Delay(10);
                    continue;
                }

                var partition = message.Body.ToString();
                await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == partition))
                {
                }

                for (var seq = 0; seq < 6; seq++)
                {
                    await table.SubmitTransactionAsync(
                    [
                        new TableTransactionAction(TableTransactionActionType.UpdateReplace, new TableEntity(partition, "$i") { ["Data"] = payload }, ETag.All),
                        new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(partition, $"h{seq:D8}") { ["Data"] = payload }),
                    ]);
                }

                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
                Interlocked.Decrement(ref remaining);
            }
        }));
        var rate = count * 5 / stopwatch.Elapsed.TotalSeconds;
        await table.DeleteAsync();
        await queue.DeleteAsync();
        Console.WriteLine($"floor: {rate:F0} activities/s (the storage work of {count} HelloSequence5 orchestrations, without the runtime)");
        return rate;
    }

    private async Task<(double OrchestrationsPerSecond, double TransactionsPerOrchestration)> HelloSequenceAsync(int count, int workers)
    {
        var hub = "bench" + Guid.NewGuid().ToString("N")[..8];
        await using var host = new BenchmarkHost(connection, hub, runWorker: true, tuning: tuning);
        // Waiting for completion is the benchmark's own traffic: it goes through a separate, uncounted client.
        await using var observer = new BenchmarkHost(connection, hub, runWorker: false, tuning: tuning);
        await host.StartAsync();
        var others = new List<Process>();
        for (var i = 1; i < workers; i++)
        {
            others.Add(await StartWorkerProcessAsync(hub));
        }

        try
        {
            host.ResetCounters();
            var stopwatch = Stopwatch.StartNew();
            var ids = await Task.WhenAll(Enumerable.Range(0, count).Select(i => host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(HelloSequence5), $"c{i}")));
            foreach (var id in ids)
            {
                var done = await WaitAsync(observer.Client, id, TimeSpan.FromMinutes(10));
                if (done.RuntimeStatus != OrchestrationRuntimeStatus.Completed)
                {
                    throw new InvalidOperationException($"{id} ended {done.RuntimeStatus}: {done.FailureDetails}");
                }
            }

            var elapsed = stopwatch.Elapsed.TotalSeconds;
            // Everything the starting client and the worker sent to storage, idle polls included.
            var perOrchestration = workers == 1 ? host.StorageRequests / (double)count : 0;
            Console.WriteLine($"HelloSequence5 x{count}, {workers} worker(s): {count / elapsed:F1} orchestrations/s, {count * 5 / elapsed:F0} activities/s"
                + (workers == 1 ? $", {perOrchestration:F1} storage transactions per orchestration" : ""));
            return (count / elapsed, perOrchestration);
        }
        finally
        {
            foreach (var process in others)
            {
                process.StandardInput.Close();
                await process.WaitForExitAsync();
                process.Dispose();
            }
        }
    }

    private async Task<double> FanOutAsync(int width)
    {
        await using var host = new BenchmarkHost(connection, "fan" + Guid.NewGuid().ToString("N")[..8], runWorker: true, tuning: tuning);
        await host.StartAsync();
        var stopwatch = Stopwatch.StartNew();
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(FanOutFanIn), width);
        var done = await WaitAsync(host.Client, id, TimeSpan.FromMinutes(5));
        if (done.RuntimeStatus != OrchestrationRuntimeStatus.Completed)
        {
            throw new InvalidOperationException($"fan-out ended {done.RuntimeStatus} with {done.SerializedOutput}: {done.FailureDetails}");
        }

        Console.WriteLine($"fan-out/fan-in of {width}: {stopwatch.Elapsed.TotalSeconds:F2} s");
        return stopwatch.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Raise an event → the orchestrator's next activity starts. The event comes from a client with no line to
    /// the worker (as from another process), so the worker sees it only by polling: the honest, slower path.
    /// Warm: single events one after another. After idle: the first event after 60 s of silence, several times.
    /// </summary>
    private async Task<(List<double> Warm, List<double> AfterIdle)> LatencyAsync(int warmSamples, int idlePeriods, TimeSpan idle)
    {
        var hub = "lat" + Guid.NewGuid().ToString("N")[..8];
        await using var host = new BenchmarkHost(connection, hub, runWorker: true, tuning: tuning);
        await using var remote = new BenchmarkHost(connection, hub, runWorker: false, tuning: tuning);
        await host.StartAsync();
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(Pinger), warmSamples + idlePeriods + 1);
        await Task.Delay(TimeSpan.FromSeconds(1));

        async Task<double> PingAsync()
        {
            var before = host.Latency.Samples.Count;
            await remote.Client.RaiseEventAsync(id, "ping", Stopwatch.GetTimestamp());
            var deadline = Stopwatch.StartNew();
            while (host.Latency.Samples.Count == before && deadline.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(1);
            }

            return host.Latency.Samples.Last().TotalMilliseconds;
        }

        await PingAsync(); // warm-up
        var warm = new List<double>();
        for (var i = 0; i < warmSamples; i++)
        {
            warm.Add(await PingAsync());
            await Task.Delay(10);
        }

        Console.WriteLine($"latency warm: p50 {Percentile(warm, 0.5)} ms, p99 {Percentile(warm, 0.99)} ms");
        var afterIdle = new List<double>();
        for (var i = 0; i < idlePeriods; i++)
        {
            Console.WriteLine($"  {idle.TotalSeconds:F0} s idle ({i + 1}/{idlePeriods})...");
            await Task.Delay(idle);
            afterIdle.Add(await PingAsync());
        }

        Console.WriteLine($"latency after idle: {string.Join(", ", afterIdle.Select(v => v.ToString("F0", CultureInfo.InvariantCulture)))} ms");
        return (warm, afterIdle);
    }

    private static async Task<OrchestrationMetadata> WaitAsync(DurableTaskClient client, string id, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        return await client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, cts.Token);
    }

    private async Task<Process> StartWorkerProcessAsync(string hub)
    {
        var self = typeof(Benchmark).Assembly.Location;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        string[] engine = tuning.ExtendedSessions
            ? ["--partitions", tuning.PartitionCount.ToString(CultureInfo.InvariantCulture), "--extended-sessions"]
            : ["--partitions", tuning.PartitionCount.ToString(CultureInfo.InvariantCulture)];
        foreach (var a in new[] { self, "worker", "--hub", hub, "--connection", connection }.Concat(engine))
        {
            start.ArgumentList.Add(a);
        }

        var process = Process.Start(start)!;
        var line = await process.StandardOutput.ReadLineAsync();
        if (line != "ready")
        {
            throw new InvalidOperationException($"worker process did not start: {line}");
        }

        return process;
    }

    private static double Round(double value) => Math.Round(value, 2);

    public static double Percentile(List<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToList();
        return Math.Round(sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(p * sorted.Count) - 1)], 1);
    }
}
