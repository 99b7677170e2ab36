using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Dialoog.Core.Storage;
using DurableTask.AzureStorage;

namespace Dialoog.Core.Engine;

/// <summary>Builds the Azure Storage orchestration service (Durable Functions' default backend) from the app's settings.</summary>
public static class AzureStorageEngine
{
    /// <summary>
    /// The service for <paramref name="engine"/>'s task hub on the account <paramref name="storage"/> names: by connection
    /// string, or by service URIs and a token credential when the app connects with a managed identity. The object is
    /// both the worker's <see cref="DurableTask.Core.IOrchestrationService"/> and the client's
    /// <see cref="DurableTask.Core.IOrchestrationServiceClient"/>. It does no I/O until used.
    /// </summary>
    /// <param name="policies">Added to the provider's storage clients too (a benchmark counts requests with them).</param>
    public static AzureStorageOrchestrationService Create(
        EngineOptions engine, StorageOptions storage, ILoggerFactory loggerFactory, StorageClientPolicies? policies = null, TokenCredential? credential = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        policies ??= new StorageClientPolicies();

        StorageAccountClientProvider accounts;
        if (storage.UsesIdentity)
        {
            credential ??= StorageRegistration.CreateCredential(storage);
            accounts = new StorageAccountClientProvider(
                StorageServiceClientProvider.ForBlob(storage.BlobUri, credential, policies.Apply(new BlobClientOptions())),
                StorageServiceClientProvider.ForQueue(storage.QueueUri, credential, policies.Apply(new QueueClientOptions())),
                StorageServiceClientProvider.ForTable(storage.TableUri, credential, policies.Apply(new TableClientOptions())));
        }
        else
        {
            accounts = new StorageAccountClientProvider(
                StorageServiceClientProvider.ForBlob(storage.ConnectionString, policies.Apply(new BlobClientOptions())),
                StorageServiceClientProvider.ForQueue(storage.ConnectionString, policies.Apply(new QueueClientOptions())),
                StorageServiceClientProvider.ForTable(storage.ConnectionString, policies.Apply(new TableClientOptions())));
        }

        var settings = new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = engine.TaskHub,
            StorageAccountClientProvider = accounts,
            PartitionCount = engine.PartitionCount,
            MaxConcurrentTaskOrchestrationWorkItems = engine.MaxConcurrentOrchestrations,
            MaxConcurrentTaskActivityWorkItems = engine.MaxConcurrentActivities,
            MaxQueuePollingInterval = engine.MaxQueuePollingInterval,
            ExtendedSessionsEnabled = engine.ExtendedSessions,
            // Short enough that a killed worker's partitions and messages move to another worker within a minute or
            // so; activity messages are renewed while they run, so a long activity is not delivered twice for this.
            LeaseInterval = engine.LeaseDuration,
            LeaseRenewInterval = engine.LeaseDuration / 3,
            LeaseAcquireInterval = engine.LeaseDuration / 3,
            ControlQueueVisibilityTimeout = engine.MessageVisibilityTimeout,
            WorkItemQueueVisibilityTimeout = engine.MessageVisibilityTimeout,
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
