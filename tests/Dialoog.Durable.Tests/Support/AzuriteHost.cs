using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Dialoog.Durable.Storage;
using Dialoog.Durable.Worker;
using Dialoog.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dialoog.Durable.Tests.Support;

/// <summary>A real worker with its pull loop on the fixture's Azurite, with short durations.</summary>
public sealed class AzuriteHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public AzuriteHost(DevStackFixture stack, string taskHub, Action<DurableRegistry> register, Action<IServiceCollection>? services = null)
    {
        TaskHub = taskHub;
        var tableOptions = new TableClientOptions();
        tableOptions.AddPolicy(TableRequests, Azure.Core.HttpPipelinePosition.PerRetry);
        var queueOptions = new QueueClientOptions();
        queueOptions.AddPolicy(QueueRequests, Azure.Core.HttpPipelinePosition.PerRetry);
        var blobOptions = new BlobClientOptions();
        blobOptions.AddPolicy(BlobRequests, Azure.Core.HttpPipelinePosition.PerRetry);
        Store = new AzureDurableStore(
            new TableServiceClient(stack.StorageConnectionString, tableOptions),
            new QueueServiceClient(stack.StorageConnectionString, queueOptions),
            new BlobServiceClient(stack.StorageConnectionString, blobOptions),
            taskHub);
        var collection = new ServiceCollection();
        if (Environment.GetEnvironmentVariable("DIALOOG_TEST_LOG") is { Length: > 0 })
        {
            collection.AddLogging(b => b.AddSimpleConsole().SetMinimumLevel(LogLevel.Debug));
        }
        else
        {
            collection.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
            collection.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        }
        collection.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        collection.AddDurableRuntime(register, _ => Store);
        collection.Configure<DurableOptions>(o =>
        {
            o.TaskHub = taskHub;
            o.MaxPollingInterval = TimeSpan.FromMilliseconds(200);
            o.MessageVisibilityTimeout = TimeSpan.FromSeconds(3);
            o.LeaseDuration = TimeSpan.FromSeconds(3);
            o.ShutdownTimeout = TimeSpan.FromSeconds(2);
        });
        services?.Invoke(collection);
        _services = collection.BuildServiceProvider();
        Client = _services.GetRequiredService<DurableClient>();
        Worker = _services.GetRequiredService<DurableWorker>();
    }

    public string TaskHub { get; }

    public StorageRequestCounter TableRequests { get; } = new();

    public StorageRequestCounter QueueRequests { get; } = new();

    public StorageRequestCounter BlobRequests { get; } = new();

    public AzureDurableStore Store { get; }

    public DurableClient Client { get; }

    public DurableWorker Worker { get; }

    public async Task StartAsync()
    {
        await Store.InitializeAsync(CancellationToken.None);
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
}
