using System.Text.RegularExpressions;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Options;

namespace Dialoog.Core.Storage;

/// <summary>
/// The storage account everything lives in: durable state, queues and minutes. Either a connection string
/// (<c>AzureWebJobsStorage</c>) or, as the Azure Functions host reads it, an identity-based connection
/// (<c>AzureWebJobsStorage__accountName</c> or the three service URIs, with <c>__credential</c> and <c>__clientId</c>).
/// </summary>
public sealed class StorageOptions
{
    /// <summary>The Functions setting name; it is a root key and also the section of the identity-based settings.</summary>
    public const string ConnectionStringKey = "AzureWebJobsStorage";

    public const string DevelopmentStorage = "UseDevelopmentStorage=true";

    /// <summary>The one value <c>AzureWebJobsStorage__credential</c> takes, as in the Functions host.</summary>
    public const string ManagedIdentityCredential = "managedidentity";

    public string ConnectionString { get; set; } = "";

    /// <summary><c>AzureWebJobsStorage__accountName</c>: the public-cloud service URIs follow from it.</summary>
    public string AccountName { get; set; } = "";

    public string BlobServiceUri { get; set; } = "";

    public string QueueServiceUri { get; set; } = "";

    public string TableServiceUri { get; set; } = "";

    /// <summary>Empty: DefaultAzureCredential (also <c>az login</c> on a laptop); <c>managedidentity</c>: only the managed identity.</summary>
    public string Credential { get; set; } = "";

    /// <summary>Client id of a user-assigned managed identity; empty means the system-assigned one.</summary>
    public string ClientId { get; set; } = "";

    internal bool UsesIdentity =>
        !string.IsNullOrWhiteSpace(AccountName) || !string.IsNullOrWhiteSpace(BlobServiceUri)
        || !string.IsNullOrWhiteSpace(QueueServiceUri) || !string.IsNullOrWhiteSpace(TableServiceUri);

    internal Uri BlobUri => ServiceUri(BlobServiceUri, "blob");

    internal Uri QueueUri => ServiceUri(QueueServiceUri, "queue");

    internal Uri TableUri => ServiceUri(TableServiceUri, "table");

    private Uri ServiceUri(string configured, string service) =>
        new(string.IsNullOrWhiteSpace(configured) ? $"https://{AccountName}.{service}.core.windows.net" : configured);

    internal static string Key(string name) => $"{ConnectionStringKey}__{name}";
}

internal sealed partial class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        if (options.UsesIdentity)
        {
            return ValidateIdentity(options);
        }

        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return ValidateOptionsResult.Fail(
                $"Setting '{StorageOptions.ConnectionStringKey}' is required; use '{StorageOptions.DevelopmentStorage}' for Azurite, "
                + $"or set '{StorageOptions.Key("accountName")}' to connect with a managed identity.");
        }

        try
        {
            // The SDK parser is the authority on what it accepts; constructing a client does no I/O.
            _ = new BlobServiceClient(options.ConnectionString);
            return ValidateOptionsResult.Success;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException)
        {
            return ValidateOptionsResult.Fail(
                $"Setting '{StorageOptions.ConnectionStringKey}' is not a valid storage connection string: {ex.Message}");
        }
    }

    private static ValidateOptionsResult ValidateIdentity(StorageOptions options)
    {
        var problems = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            // The Functions host would silently prefer the connection string; two answers to one question is a mistake.
            problems.Add($"Setting '{StorageOptions.ConnectionStringKey}' must be empty when '{StorageOptions.Key("accountName")}' or a service URI is set: "
                + "use either a connection string or a managed identity, not both.");
        }

        if (string.IsNullOrWhiteSpace(options.AccountName))
        {
            foreach (var (key, value, _) in ServiceUris(options))
            {
                if (string.IsNullOrWhiteSpace(value))
                {
                    problems.Add($"Setting '{StorageOptions.Key(key)}' is required when '{StorageOptions.Key("accountName")}' is not set: "
                        + "the app uses blobs, queues and tables.");
                }
            }
        }
        else if (!AccountNamePattern().IsMatch(options.AccountName))
        {
            problems.Add($"Setting '{StorageOptions.Key("accountName")}' must be a storage account name: 3 to 24 lowercase letters or digits (found '{options.AccountName}').");
        }

        foreach (var (key, value, service) in ServiceUris(options))
        {
            // Tokens travel only over https (the SDK refuses to send them otherwise), so http is a mistake here.
            if (!string.IsNullOrWhiteSpace(value) && !(Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps))
            {
                problems.Add($"Setting '{StorageOptions.Key(key)}' must be an absolute https URL, like 'https://account.{service}.core.windows.net' (found '{value}').");
            }
        }

        if (!string.IsNullOrWhiteSpace(options.Credential)
            && !string.Equals(options.Credential, StorageOptions.ManagedIdentityCredential, StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"Setting '{StorageOptions.Key("credential")}' must be empty or '{StorageOptions.ManagedIdentityCredential}' (found '{options.Credential}').");
        }

        if (!string.IsNullOrWhiteSpace(options.ClientId) && !Guid.TryParse(options.ClientId, out _))
        {
            problems.Add($"Setting '{StorageOptions.Key("clientId")}' must be the client id (a GUID) of a user-assigned managed identity (found '{options.ClientId}').");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static (string Key, string Value, string Service)[] ServiceUris(StorageOptions options) =>
    [
        ("blobServiceUri", options.BlobServiceUri, "blob"),
        ("queueServiceUri", options.QueueServiceUri, "queue"),
        ("tableServiceUri", options.TableServiceUri, "table"),
    ];

    [GeneratedRegex("^[a-z0-9]{3,24}$")]
    private static partial Regex AccountNamePattern();
}
