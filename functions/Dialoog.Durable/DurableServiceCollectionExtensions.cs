using Dialoog.Durable.Storage;
using Dialoog.Durable.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Dialoog.Durable;

public static class DurableServiceCollectionExtensions
{
    /// <summary>
    /// Adds the runtime: client, worker (a hosted service; pull loop unless disabled) and registry. The store is
    /// chosen by the caller: <see cref="AzureDurableStore"/> for real use, <see cref="InMemoryDurableStore"/> for tests.
    /// </summary>
    public static IServiceCollection AddDurableRuntime(
        this IServiceCollection services,
        Action<DurableRegistry> register,
        Func<IServiceProvider, IDurableStore> store)
    {
        var registry = new DurableRegistry();
        register(registry);
        services.AddOptions<DurableOptions>().BindConfiguration(DurableOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(registry);
        services.AddSingleton(store);
        services.AddSingleton<LocalWorkSignal>();
        services.AddSingleton<DurableClient>();
        services.AddSingleton<DurableWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<DurableWorker>());
        return services;
    }
}
