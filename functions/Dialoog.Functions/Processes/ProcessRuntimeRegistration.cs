using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Dialoog.Durable;
using Dialoog.Durable.Storage;

namespace Dialoog.Functions.Processes;

public static class ProcessRuntimeRegistration
{
    /// <summary>
    /// The durable runtime on the app's storage account: client for the API, and the worker that runs dialogue
    /// processes (its pull loop, unless <c>Durable__EnablePullLoop</c> is false under the Functions host).
    /// </summary>
    public static IServiceCollection AddProcessRuntime(this IServiceCollection services) =>
        services.AddDurableRuntime(
            _ =>
            {
                // Dialogue-process orchestrations and activities are registered here as they are built.
            },
            sp => new AzureDurableStore(
                sp.GetRequiredService<TableServiceClient>(),
                sp.GetRequiredService<QueueServiceClient>(),
                sp.GetRequiredService<BlobServiceClient>(),
                // Read raw, not through IOptions: the worker is created before the host validates settings, and
                // a bad hub name must be reported by that validation, next to any other bad setting.
                sp.GetRequiredService<IConfiguration>()[$"{DurableOptions.SectionName}:{nameof(DurableOptions.TaskHub)}"] ?? new DurableOptions().TaskHub));
}
