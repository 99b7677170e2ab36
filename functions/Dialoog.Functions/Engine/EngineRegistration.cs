using Dialoog.Functions.Storage;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Dialoog.Functions.Engine;

public static class EngineRegistration
{
    /// <summary>
    /// The Durable Task engine on Azure Storage: <see cref="EngineOptions"/> (section "Engine", validated at start-up),
    /// <see cref="DialoogDataConverter"/>, one <see cref="AzureStorageOrchestrationService"/> (also as
    /// <see cref="IOrchestrationService"/> and <see cref="IOrchestrationServiceClient"/>), the
    /// <see cref="DurableTaskClient"/> (a <see cref="DurableTaskCoreClient"/> starting instances on
    /// <see cref="TaskCatalog.CurrentVersion"/>) and <see cref="LocalEngineHost"/>, which creates the task hub and runs
    /// the worker unless <c>Engine__EnableWorker</c> is false. The storage account comes from
    /// <see cref="StorageRegistration.AddStorageClients"/>, which must be registered too.
    /// </summary>
    public static IServiceCollection AddDurableEngine(this IServiceCollection services, TaskCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(catalog);

        services.AddOptions<EngineOptions>()
            .BindConfiguration(EngineOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.TryAddSingleton(catalog);
        services.TryAddSingleton<DataConverter>(DialoogDataConverter.Instance);
        services.TryAddSingleton(sp => AzureStorageEngine.Create(
            sp.GetRequiredService<IOptions<EngineOptions>>().Value,
            sp.GetRequiredService<IOptions<StorageOptions>>().Value,
            sp.GetRequiredService<ILoggerFactory>()));
        services.TryAddSingleton<IOrchestrationService>(sp => sp.GetRequiredService<AzureStorageOrchestrationService>());
        services.TryAddSingleton<IOrchestrationServiceClient>(sp => sp.GetRequiredService<AzureStorageOrchestrationService>());
        services.TryAddSingleton(sp => new DurableTaskCoreClient(
            "Default",
            sp.GetRequiredService<IOrchestrationServiceClient>(),
            sp.GetRequiredService<DataConverter>(),
            sp.GetRequiredService<TaskCatalog>().CurrentVersion));
        services.TryAddSingleton<DurableTaskClient>(sp => sp.GetRequiredService<DurableTaskCoreClient>());
        services.TryAddSingleton<LocalEngineHost>();
        services.AddHostedService(sp => sp.GetRequiredService<LocalEngineHost>());
        return services;
    }
}
