using System.Xml.Linq;
using Azure.Storage.Blobs;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Dialoog.Web.Hosting;

/// <summary>
/// The ASP.NET Core Data Protection key ring (it signs antiforgery tokens and sign-in cookies) in a private Blob
/// container of the app's storage account: it survives restarts and deployments, and every instance of the web app
/// reads the same keys. In Azure only the apps' identities can read that container (infra/modules/storage.bicep). The
/// Azure extension packages for this are not served here; a repository is a few lines over Azure.Storage.Blobs.
/// </summary>
public static class DataProtectionKeys
{
    public const string ContainerName = "dataprotection";

    /// <summary>One name for every instance: the default (the content root) differs per machine and deployment slot.</summary>
    public const string ApplicationName = "dialoog";

    public static IServiceCollection AddDialoogDataProtection(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName(ApplicationName);
        // The container is found on first use, not when the options are made: that happens while the app is built,
        // before start-up validation reports a bad storage setting in its own words.
        services.AddOptions<KeyManagementOptions>().Configure<IServiceProvider>((keys, provider) =>
            keys.XmlRepository = new BlobXmlRepository(new Lazy<BlobContainerClient>(() =>
                provider.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(ContainerName))));
        return services;
    }
}

/// <summary>One blob per key. Data Protection calls this rarely (at start, then about once a day), so it is synchronous.</summary>
internal sealed class BlobXmlRepository(Lazy<BlobContainerClient> lazyContainer) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        var container = lazyContainer.Value;
        container.CreateIfNotExists();
        return container.GetBlobs()
            .Select(blob => XElement.Parse(container.GetBlobClient(blob.Name).DownloadContent().Value.Content.ToString()))
            .ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        var container = lazyContainer.Value;
        container.CreateIfNotExists();
        // Key names are unique ("key-<guid>"): a key once written is never overwritten.
        container.GetBlobClient(friendlyName + ".xml").Upload(BinaryData.FromString(element.ToString(SaveOptions.DisableFormatting)), overwrite: false);
    }
}
