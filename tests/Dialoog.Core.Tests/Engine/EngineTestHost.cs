using Dialoog.Core.Engine;
using Dialoog.Core.Storage;
using Dialoog.Testing;
using DurableTask.AzureStorage;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Dialoog.Core.Tests.Engine;

/// <summary>
/// The engine as the app registers it (AddStorageClients + AddDurableEngine) in a generic host on the fixture's
/// Azurite, tuned to react fast: one partition, 100 ms queue polling. A client with a short poll cap is at hand.
/// </summary>
internal sealed class EngineTestHost : IAsyncDisposable
{
    private readonly IHost _host;
    private bool _stopped;

    private EngineTestHost(IHost host, DurableTaskCoreClient client)
    {
        _host = host;
        Client = client;
    }

    public DurableTaskCoreClient Client { get; }

    public IServiceProvider Services => _host.Services;

    public static async Task<EngineTestHost> StartAsync(
        DevStackFixture stack, string taskHub, TaskCatalog catalog, IDictionary<string, string?>? extraSettings = null, Action<IServiceCollection>? services = null)
    {
        var settings = new Dictionary<string, string?>
        {
            [StorageOptions.ConnectionStringKey] = stack.StorageConnectionString,
            ["Durable:TaskHub"] = taskHub,
            ["Durable:PartitionCount"] = "1",
            ["Durable:MaxQueuePollingInterval"] = "00:00:00.100",
        };
        foreach (var (key, value) in extraSettings ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddLogging();
        builder.Services.AddStorageClients();
        builder.Services.AddDurableEngine(catalog);
        services?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync();
        var client = new DurableTaskCoreClient(
            "test", host.Services.GetRequiredService<AzureStorageOrchestrationService>(), DialoogDataConverter.Instance,
            catalog.CurrentVersion, maxPollDelay: TimeSpan.FromMilliseconds(200));
        return new EngineTestHost(host, client);
    }

    /// <summary>Stops the host the way a deployment does (graceful), keeping everything in storage.</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _host.StopAsync(timeout.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _host.Dispose();
    }

    public async Task<OrchestrationMetadata> WaitForStatusAsync(string instanceId, OrchestrationRuntimeStatus status, TimeSpan? timeout = null)
    {
        OrchestrationMetadata? last = null;
        await Eventually.HoldsAsync(
            async () => (last = await Client.GetInstanceAsync(instanceId, getInputsAndOutputs: true))?.RuntimeStatus == status,
            $"instance {instanceId} is {status} (last seen {last?.RuntimeStatus})",
            timeout ?? TimeSpan.FromSeconds(20));
        return last!;
    }

    public async Task<OrchestrationMetadata> CompleteAsync(string instanceId, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        return await Client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, cancel.Token);
    }
}
