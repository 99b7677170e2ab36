using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;

namespace Dialoog.Benchmarks.Product;

/// <summary>
/// App worker processes on one task hub, each with its own HTTP port, like instances behind a load balancer.
/// Requests go round-robin to the live ones; a worker can be killed (-9) and replaced while the run goes on.
/// </summary>
public sealed class WorkerCluster : IAsyncDisposable
{
    private readonly string _settingsPath;
    private readonly List<Worker> _workers = [];
    private readonly object _gate = new();
    private int _next;
    private double _peakMb;

    private WorkerCluster(string settingsPath) => _settingsPath = settingsPath;

    public int Kills { get; private set; }

    /// <summary>The highest peak working set any worker process reached (MB), killed ones included.</summary>
    public double PeakWorkingSetMb
    {
        get
        {
            List<Worker> live;
            lock (_gate)
            {
                live = [.. _workers];
            }

            foreach (var worker in live)
            {
                RecordPeak(worker);
            }

            return _peakMb;
        }
    }

    public static async Task<WorkerCluster> StartAsync(IReadOnlyDictionary<string, string?> settings, int count)
    {
        var path = Path.Combine(Path.GetTempPath(), $"dialoog-bench-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(settings));
        var cluster = new WorkerCluster(path);
        await Task.WhenAll(Enumerable.Range(0, count).Select(_ => cluster.AddAsync()));
        return cluster;
    }

    /// <summary>A client for one live worker, in turn.</summary>
    public HttpClient Client()
    {
        lock (_gate)
        {
            var live = _workers.Where(w => !w.Process.HasExited).ToList();
            if (live.Count == 0)
            {
                throw new InvalidOperationException("No worker process is running.");
            }

            return live[_next++ % live.Count].Http;
        }
    }

    /// <summary>Kills one worker at random without warning (SIGKILL) and starts a replacement.</summary>
    public async Task KillOneAndReplaceAsync(Random random)
    {
        Worker victim;
        lock (_gate)
        {
            victim = _workers[random.Next(_workers.Count)];
            _workers.Remove(victim);
        }

        RecordPeak(victim);
        victim.Process.Kill(entireProcessTree: true);
        await victim.Process.WaitForExitAsync();
        victim.Dispose();
        Kills++;
        await AddAsync();
    }

    /// <summary>Storage requests and memory of the workers running now (a killed worker's counts are gone with it).</summary>
    public async Task<IReadOnlyList<WorkerStats>> StatsAsync()
    {
        List<Worker> workers;
        lock (_gate)
        {
            workers = [.. _workers];
        }

        var stats = new List<WorkerStats>();
        foreach (var worker in workers)
        {
            RecordPeak(worker);
            await worker.Process.StandardInput.WriteLineAsync("stats");
            await worker.Process.StandardInput.FlushAsync();
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var line = await worker.Answers.Reader.ReadAsync(patience.Token);
            stats.Add(JsonSerializer.Deserialize<WorkerStats>(line)!);
        }

        return stats;
    }

    public async ValueTask DisposeAsync()
    {
        List<Worker> workers;
        lock (_gate)
        {
            workers = [.. _workers];
            _workers.Clear();
        }

        foreach (var worker in workers)
        {
            RecordPeak(worker);
            worker.Process.StandardInput.Close(); // the worker stops when its stdin closes
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await worker.Process.WaitForExitAsync(patience.Token);
            }
            catch (OperationCanceledException)
            {
                worker.Process.Kill(entireProcessTree: true);
            }

            worker.Dispose();
        }

        File.Delete(_settingsPath);
    }

    private async Task AddAsync()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { typeof(WorkerCluster).Assembly.Location, "app", "--settings", _settingsPath })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        var answers = Channel.CreateUnbounded<string>();
        _ = DrainAsync(process, answers.Writer);
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        string line;
        try
        {
            line = await answers.Reader.ReadAsync(patience.Token);
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException($"A worker process exited before it was ready (exit code {(process.HasExited ? process.ExitCode.ToString(CultureInfo.InvariantCulture) : "?")}).");
        }

        var http = new HttpClient(DialogueDriver.Handler())
        {
            BaseAddress = new Uri(line),
            Timeout = TimeSpan.FromSeconds(60),
        };
        lock (_gate)
        {
            _workers.Add(new Worker(process, http, answers));
        }
    }

    /// <summary>
    /// Reads the worker's output all the time (a full pipe would block its logging, and with it the worker): lines
    /// for us start with <see cref="AppHost.AnswerPrefix"/>, the rest is the app's own log, echoed when it says error.
    /// </summary>
    private static async Task DrainAsync(Process process, ChannelWriter<string> answers)
    {
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.StartsWith(AppHost.AnswerPrefix, StringComparison.Ordinal))
            {
                await answers.WriteAsync(line[AppHost.AnswerPrefix.Length..]);
            }
            else if (line.Contains("fail:", StringComparison.Ordinal) || line.Contains("crit:", StringComparison.Ordinal))
            {
                Console.WriteLine($"  [worker {process.Id.ToString(CultureInfo.InvariantCulture)}] {line}");
            }
        }

        answers.TryComplete();
    }

    private void RecordPeak(Worker worker)
    {
        if (PeakMbOf(worker.Process.Id) is { } peak && peak > _peakMb)
        {
            _peakMb = peak;
        }
    }

    /// <summary>VmHWM from /proc: the peak resident set, readable from outside while the process lives.</summary>
    private static double? PeakMbOf(int processId)
    {
        try
        {
            var line = File.ReadLines($"/proc/{processId.ToString(CultureInfo.InvariantCulture)}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? null : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private sealed record Worker(Process Process, HttpClient Http, Channel<string> Answers) : IDisposable
    {
        public void Dispose()
        {
            Http.Dispose();
            Process.Dispose();
        }
    }
}
