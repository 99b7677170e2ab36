using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Options;

namespace Dialoog.Functions.Storage;

public static class StorageRegistration
{
    /// <summary>
    /// Registers the Blob, Queue and Table service clients as singletons (the Azure SDK clients are thread-safe and
    /// meant to be shared). They are built from the <c>AzureWebJobsStorage</c> connection string.
    /// </summary>
    public static IServiceCollection AddStorageClients(this IServiceCollection services)
    {
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();
        services.AddOptions<StorageOptions>()
            .Configure<IConfiguration>((options, configuration) =>
                options.ConnectionString = configuration[StorageOptions.ConnectionStringKey] ?? "")
            .ValidateOnStart();

        // Seam for managed identity: when a setting like AzureWebJobsStorage__accountName appears, build these from
        // service URIs and a TokenCredential instead of the connection string. Nothing else has to change.
        services.AddSingleton(sp => new BlobServiceClient(ConnectionString(sp)));
        services.AddSingleton(sp => new QueueServiceClient(ConnectionString(sp)));
        services.AddSingleton(sp => new TableServiceClient(ConnectionString(sp)));
        return services;
    }

    private static string ConnectionString(IServiceProvider services) =>
        services.GetRequiredService<IOptions<StorageOptions>>().Value.ConnectionString;
}
