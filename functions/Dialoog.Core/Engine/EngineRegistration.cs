using Dialoog.Core.Storage;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Dialoog.Core.Engine;

public static class EngineRegistration
{
    /// <summary>
    /// The Durable Task engine on Azure Storage: <see cref="EngineOptions"/> (section "Durable", validated at start-up),
    /// <see cref="DialoogDataConverter"/>, one <see cref="AzureStorageOrchestrationService"/> (also as
    /// <see cref="IOrchestrationService"/> and <see cref="IOrchestrationServiceClient"/>), the
    /// <see cref="DurableTaskClient"/> (a <see cref="DurableTaskCoreClient"/> starting instances on
    /// <see cref="TaskCatalog.CurrentVersion"/>) and <see cref="LocalEngineHost"/>, which creates the task hub and runs
    /// the worker unless <c>Durable__EnableWorker</c> is false. The storage account comes from
    /// <see cref="StorageRegistration.AddStorageClients"/>, which must be registered too.
    /// </summary>
    /// <param name="hostWorker">
    /// False for a host whose worker is someone else's (the Functions app, where the Durable extension runs the
    /// orchestrations): then only the client is registered, on the same task hub, and nothing is created or started.
    /// </param>
    public static IServiceCollection AddDurableEngine(this IServiceCollection services, TaskCatalog catalog, bool hostWorker = true)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(catalog);

        services.AddOptions<EngineOptions>()
            .BindConfiguration(EngineOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.TryAddSingleton(catalog);
        services.TryAddSingleton<DataConverter>(DialoogDataConverter.Instance);
        services.TryAddSingleton(sp =>
        {
            var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            return AzureStorageEngine.Create(
                sp.GetRequiredService<IOptions<EngineOptions>>().Value,
                storage,
                sp.GetRequiredService<ILoggerFactory>(),
                sp.GetService<StorageClientPolicies>(),
                storage.UsesIdentity ? StorageRegistration.Credential(sp) : null); // one credential (token cache) per app
        });
        services.TryAddSingleton<IOrchestrationService>(sp => sp.GetRequiredService<AzureStorageOrchestrationService>());
        services.TryAddSingleton<IOrchestrationServiceClient>(sp => sp.GetRequiredService<AzureStorageOrchestrationService>());
        services.TryAddSingleton(sp => new DurableTaskCoreClient(
            "Default",
            sp.GetRequiredService<IOrchestrationServiceClient>(),
            sp.GetRequiredService<DataConverter>(),
            sp.GetRequiredService<TaskCatalog>().CurrentVersion));
        services.TryAddSingleton<DurableTaskClient>(sp => sp.GetRequiredService<DurableTaskCoreClient>());
        if (!hostWorker)
        {
            return services;
        }

        services.TryAddSingleton<LocalEngineHost>();
        // Made when the host starts it, not when the host collects its services: reading the engine's options any earlier
        // would fail on the first bad setting before start-up validation reports every bad setting together.
        services.AddHostedService(sp => new DeferredEngineHost(sp));
        return services;
    }

    private sealed class DeferredEngineHost(IServiceProvider services) : IHostedService
    {
        private LocalEngineHost? _host;

        public Task StartAsync(CancellationToken cancellationToken)
        {
            _host = services.GetRequiredService<LocalEngineHost>();
            return _host.StartAsync(cancellationToken);
        }

        public Task StopAsync(CancellationToken cancellationToken) => _host?.StopAsync(cancellationToken) ?? Task.CompletedTask;
    }
}
