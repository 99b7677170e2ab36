using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Dialoog.Core.Storage;

public static class StorageRegistration
{
    /// <summary>
    /// Registers the Blob, Queue and Table service clients as singletons (the Azure SDK clients are thread-safe and
    /// meant to be shared). They are built from the <c>AzureWebJobsStorage</c> connection string, or from service URIs
    /// and a managed identity when <c>AzureWebJobsStorage__accountName</c> (or the URIs) are set, the way the Azure
    /// Functions host reads the same settings, so one set of app settings serves both.
    /// </summary>
    public static IServiceCollection AddStorageClients(this IServiceCollection services)
    {
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();
        services.AddOptions<StorageOptions>()
            .Configure<IConfiguration>((options, configuration) =>
            {
                options.ConnectionString = configuration[StorageOptions.ConnectionStringKey] ?? "";
                // Bound by hand: the section's own value is the connection string, and the Functions host spells
                // these keys in camelCase (configuration keys are case-insensitive either way).
                var section = configuration.GetSection(StorageOptions.ConnectionStringKey);
                options.AccountName = section["accountName"] ?? "";
                options.BlobServiceUri = section["blobServiceUri"] ?? "";
                options.QueueServiceUri = section["queueServiceUri"] ?? "";
                options.TableServiceUri = section["tableServiceUri"] ?? "";
                options.Credential = section["credential"] ?? "";
                options.ClientId = section["clientId"] ?? "";
            })
            .ValidateOnStart();
        services.AddSingleton<StorageCredential>();
        services.TryAddSingleton(new StorageClientPolicies());

        services.AddSingleton(sp => Options(sp) is { UsesIdentity: true } o
            ? new BlobServiceClient(o.BlobUri, Credential(sp), Policies(sp).Apply(new BlobClientOptions()))
            : new BlobServiceClient(Options(sp).ConnectionString, Policies(sp).Apply(new BlobClientOptions())));
        services.AddSingleton(sp => Options(sp) is { UsesIdentity: true } o
            ? new QueueServiceClient(o.QueueUri, Credential(sp), Policies(sp).Apply(new QueueClientOptions()))
            : new QueueServiceClient(Options(sp).ConnectionString, Policies(sp).Apply(new QueueClientOptions())));
        services.AddSingleton(sp => Options(sp) is { UsesIdentity: true } o
            ? new TableServiceClient(o.TableUri, Credential(sp), Policies(sp).Apply(new TableClientOptions()))
            : new TableServiceClient(Options(sp).ConnectionString, Policies(sp).Apply(new TableClientOptions())));
        return services;
    }

    /// <summary>The credential for identity-based storage settings (one per app, shared token cache).</summary>
    internal static TokenCredential Credential(IServiceProvider services) => services.GetRequiredService<StorageCredential>().Value;

    private static StorageClientPolicies Policies(IServiceProvider services) => services.GetRequiredService<StorageClientPolicies>();

    /// <summary>The credential the identity-based settings ask for; one per app, so all three clients share its token cache.</summary>
    internal static TokenCredential CreateCredential(StorageOptions options)
    {
        var clientId = string.IsNullOrWhiteSpace(options.ClientId) ? null : options.ClientId;
        if (string.Equals(options.Credential, StorageOptions.ManagedIdentityCredential, StringComparison.OrdinalIgnoreCase))
        {
            return new ManagedIdentityCredential(clientId is null ? ManagedIdentityId.SystemAssigned : ManagedIdentityId.FromUserAssignedClientId(clientId));
        }

        // No credential named: the chain, so a developer's az login works against a real account too.
        return new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = clientId });
    }

    private static StorageOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<StorageOptions>>().Value;

    private sealed class StorageCredential(IOptions<StorageOptions> options)
    {
        public TokenCredential Value { get; } = CreateCredential(options.Value);
    }
}
