using Dialoog.Functions.Storage;
using DurableTask.AzureStorage;

namespace Dialoog.Functions.Engine;

/// <summary>Builds the Azure Storage orchestration service (Durable Functions' default backend) from the app's settings.</summary>
public static class AzureStorageEngine
{
    /// <summary>
    /// The service for <paramref name="engine"/>'s task hub on the account <paramref name="storage"/> names: by connection
    /// string, or by service URIs and a token credential when the app connects with a managed identity. The object is
    /// both the worker's <see cref="DurableTask.Core.IOrchestrationService"/> and the client's
    /// <see cref="DurableTask.Core.IOrchestrationServiceClient"/>. It does no I/O until used.
    /// </summary>
    public static AzureStorageOrchestrationService Create(EngineOptions engine, StorageOptions storage, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(loggerFactory);

        var accounts = storage.UsesIdentity
            ? new StorageAccountClientProvider(storage.BlobUri, storage.QueueUri, storage.TableUri, StorageRegistration.CreateCredential(storage))
            : new StorageAccountClientProvider(storage.ConnectionString);

        var settings = new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = engine.TaskHub,
            StorageAccountClientProvider = accounts,
            PartitionCount = engine.PartitionCount,
            MaxConcurrentTaskOrchestrationWorkItems = engine.MaxConcurrentOrchestrations,
            MaxConcurrentTaskActivityWorkItems = engine.MaxConcurrentActivities,
            MaxQueuePollingInterval = engine.MaxQueuePollingInterval,
            ExtendedSessionsEnabled = engine.ExtendedSessions,
            // The app lease hands a shared hub from one app (name) to another during blue/green swaps; one app per hub
            // here, and a lease left by a killed process would only delay the next start.
            UseAppLease = false,
            // Partition leases in a table (as Durable Functions 3 does): a restarted worker takes its partitions back at
            // once instead of waiting out blob leases, and a graceful stop hands them over.
            UseTablePartitionManagement = true,
            // Without it a start whose instance id is taken is dropped silently; the client documents that it throws.
            ThrowExceptionOnInvalidDedupeStatus = true,
            LoggerFactory = loggerFactory,
        };
        if (!string.IsNullOrWhiteSpace(engine.WorkerId))
        {
            settings.WorkerId = engine.WorkerId;
        }

        return new AzureStorageOrchestrationService(settings);
    }
}
