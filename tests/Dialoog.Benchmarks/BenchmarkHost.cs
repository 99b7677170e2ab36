using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Dialoog.Durable;
using Dialoog.Durable.Storage;
using Dialoog.Durable.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dialoog.Benchmarks;

/// <summary>A worker (and client) on one task hub, with every storage request counted.</summary>
public sealed class BenchmarkHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public BenchmarkHost(string connectionString, string taskHub, bool runWorker, bool trace = false)
    {
        Store = new AzureDurableStore(
            new TableServiceClient(connectionString, Counted(new TableClientOptions(), Tables)),
            new QueueServiceClient(connectionString, Counted(new QueueClientOptions(), Queues)),
            new BlobServiceClient(connectionString, Counted(new BlobClientOptions(), Blobs)),
            taskHub);
        TraceTable = trace ? new TableClient(connectionString, $"{taskHub}Trace") : null;
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddSingleton(Latency);
        services.AddSingleton(Wakes);
        services.AddSingleton(new Trace(TraceTable));
        services.AddDurableRuntime(
            r => r.AddOrchestrator<HelloSequence5>().AddOrchestrator<FanOutFanIn>().AddOrchestrator<Pinger>().AddOrchestrator<WaitingProcess>()
                .AddActivity<SayHello>().AddActivity<Pong>().AddActivity<ReportWake>(),
            _ => Store);
        services.Configure<DurableOptions>(o =>
        {
            o.TaskHub = taskHub;
            o.EnablePullLoop = runWorker;
            // Tests that kill a worker shorten these, so the survivor takes over within seconds.
            var seconds = int.TryParse(Environment.GetEnvironmentVariable("DIALOOG_BENCH_LEASE_SECONDS"), out var s) ? s : 30;
            o.MessageVisibilityTimeout = TimeSpan.FromSeconds(seconds);
            o.LeaseDuration = TimeSpan.FromSeconds(seconds);
        });
        _services = services.BuildServiceProvider();
        Client = _services.GetRequiredService<DurableClient>();
        Worker = _services.GetRequiredService<DurableWorker>();
    }

    public AzureDurableStore Store { get; }

    public TableClient? TraceTable { get; }

    public DurableClient Client { get; }

    public DurableWorker Worker { get; }

    public LatencyLog Latency { get; } = new();

    public WakeLog Wakes { get; } = new();

    public StorageRequestCounter Tables { get; } = new();

    public StorageRequestCounter Queues { get; } = new();

    public StorageRequestCounter Blobs { get; } = new();

    public long StorageRequests => Tables.Count + Queues.Count + Blobs.Count;

    public void ResetCounters()
    {
        Tables.Reset();
        Queues.Reset();
        Blobs.Reset();
    }

    public async Task StartAsync()
    {
        await Store.InitializeAsync(CancellationToken.None);
        if (TraceTable is not null)
        {
            await TraceTable.CreateIfNotExistsAsync();
        }

        foreach (var hosted in _services.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var hosted in _services.GetServices<IHostedService>())
        {
            await hosted.StopAsync(CancellationToken.None);
        }

        await _services.DisposeAsync();
    }

    private static T Counted<T>(T options, StorageRequestCounter counter)
        where T : ClientOptions
    {
        options.AddPolicy(counter, HttpPipelinePosition.PerRetry);
        return options;
    }
}
