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
            sp =>
            {
                // Read raw, not through IOptions: the worker is created before the host validates settings, and a
                // bad value must be reported by that validation, next to any other bad setting.
                var section = sp.GetRequiredService<IConfiguration>().GetSection(DurableOptions.SectionName);
                var defaults = new DurableOptions();
                return new AzureDurableStore(
                    sp.GetRequiredService<TableServiceClient>(),
                    sp.GetRequiredService<QueueServiceClient>(),
                    sp.GetRequiredService<BlobServiceClient>(),
                    section[nameof(DurableOptions.TaskHub)] ?? defaults.TaskHub,
                    int.TryParse(section[nameof(DurableOptions.MaxInlinePayloadChars)], out var inline) ? Math.Clamp(inline, 1024, 30000) : defaults.MaxInlinePayloadChars);
            });
}
