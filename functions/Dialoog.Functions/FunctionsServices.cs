using Dialoog.Core.Engine;
using Dialoog.Core.Hosting;
using Dialoog.Core.Processes;

namespace Dialoog.Functions;

public static class FunctionsServices
{
    /// <summary>The domain's one list of orchestrators and activities, made once for the functions and the client.</summary>
    internal static TaskCatalog Catalog { get; } = ProcessRuntimeRegistration.Catalog();

    /// <summary>
    /// The domain's services, and its own client of the same task hub for the activities, the reply poller and the
    /// purge (singletons, so not the per-invocation [DurableClient]). The Durable extension runs the orchestrations,
    /// so no worker of our own.
    /// </summary>
    public static IServiceCollection AddFunctionsApp(this IServiceCollection services) =>
        services.AddDialoogDomain().AddDurableEngine(Catalog, hostWorker: false);
}
