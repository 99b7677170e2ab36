using Azure.Data.Tables;
using Dialoog.Core.Engine;
using Dialoog.Core.Storage;
using DurableTask.AzureStorage;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Dialoog.Benchmarks;

/// <summary>How the engine is set up for a run: the provider's defaults, or tuned.</summary>
public sealed record EngineTuning(int PartitionCount = 4, bool ExtendedSessions = false, TimeSpan? MaxPollingInterval = null)
{
    public static EngineTuning Parse(string[] args)
    {
        string? Value(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        var defaults = new EngineTuning();
        return new EngineTuning(
            Value("--partitions") is { } p ? int.Parse(p, System.Globalization.CultureInfo.InvariantCulture) : defaults.PartitionCount,
            args.Contains("--extended-sessions"),
            Value("--max-polling-ms") is { } ms ? TimeSpan.FromMilliseconds(double.Parse(ms, System.Globalization.CultureInfo.InvariantCulture)) : null);
    }

    public string Describe() =>
        $"partitions {PartitionCount}, extended sessions {(ExtendedSessions ? "on" : "off")}, max polling {(MaxPollingInterval ?? new EngineOptions().MaxQueuePollingInterval).TotalMilliseconds:F0} ms";
}

/// <summary>
/// The app's engine (DurableTask.AzureStorage through <see cref="LocalEngineHost"/>) on one task hub, with its client,
/// every storage request of both counted. The workload's orchestrators and activities are registered the way the app
/// registers its own (a <see cref="TaskCatalog"/>).
/// </summary>
public sealed class BenchmarkHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly LocalEngineHost? _host;

    public BenchmarkHost(string connectionString, string taskHub, bool runWorker, bool trace = false, EngineTuning? tuning = null)
    {
        tuning ??= new EngineTuning();
        TraceTable = trace ? new TableClient(connectionString, $"{taskHub}Trace") : null;
        // Tests that kill a worker shorten these, so the survivor takes over within seconds.
        var seconds = int.TryParse(Environment.GetEnvironmentVariable("DIALOOG_BENCH_LEASE_SECONDS"), out var s) ? s : 30;
        var engine = new EngineOptions
        {
            TaskHub = taskHub,
            PartitionCount = tuning.PartitionCount,
            ExtendedSessions = tuning.ExtendedSessions,
            EnableWorker = runWorker,
            LeaseDuration = TimeSpan.FromSeconds(seconds),
            MessageVisibilityTimeout = TimeSpan.FromSeconds(Math.Max(seconds, 5)),
        };
        if (tuning.MaxPollingInterval is { } polling)
        {
            engine.MaxQueuePollingInterval = polling;
        }

        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddSingleton(Latency);
        services.AddSingleton(Wakes);
        services.AddSingleton(new Trace(TraceTable));
        _services = services.BuildServiceProvider();

        Service = AzureStorageEngine.Create(engine, new StorageOptions { ConnectionString = connectionString }, NullLoggerFactory.Instance, new StorageClientPolicies(Requests));
        Client = new DurableTaskCoreClient("bench", Service, DialoogDataConverter.Instance, Catalog.CurrentVersion);
        _host = new LocalEngineHost(Service, Catalog, _services.GetRequiredService<IServiceScopeFactory>(), NullLoggerFactory.Instance, Options.Create(engine));
    }

    public static TaskCatalog Catalog { get; } = new TaskCatalog("1")
        .AddOrchestrator(nameof(HelloSequence5), _ => new HelloSequence5())
        .AddOrchestrator(nameof(FanOutFanIn), _ => new FanOutFanIn())
        .AddOrchestrator(nameof(Pinger), _ => new Pinger())
        .AddOrchestrator(nameof(WaitingProcess), _ => new WaitingProcess())
        .AddActivity<SayHello>(nameof(SayHello))
        .AddActivity<Pong>(nameof(Pong))
        .AddActivity<ReportWake>(nameof(ReportWake));

    public AzureStorageOrchestrationService Service { get; }

    public TableClient? TraceTable { get; }

    public DurableTaskClient Client { get; }

    public LatencyLog Latency { get; } = new();

    public WakeLog Wakes { get; } = new();

    public StorageRequestCounter Requests { get; } = new();

    public long StorageRequests => Requests.Count;

    public void ResetCounters() => Requests.Reset();

    /// <summary>Creates the task hub and, when this host runs the worker, starts it.</summary>
    public async Task StartAsync()
    {
        if (TraceTable is not null)
        {
            await TraceTable.CreateIfNotExistsAsync();
        }

        await _host!.StartAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync(CancellationToken.None);
        }

        await _services.DisposeAsync();
    }
}
