using Azure.Storage.Blobs;
using Microsoft.Extensions.Options;

namespace Dialoog.Functions.Storage;

/// <summary>The storage account everything lives in: durable state, queues and minutes.</summary>
public sealed class StorageOptions
{
    /// <summary>The Functions setting name; it is a root key, not a section.</summary>
    public const string ConnectionStringKey = "AzureWebJobsStorage";

    public const string DevelopmentStorage = "UseDevelopmentStorage=true";

    public string ConnectionString { get; set; } = "";
}

internal sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return ValidateOptionsResult.Fail(
                $"Setting '{StorageOptions.ConnectionStringKey}' is required; use '{StorageOptions.DevelopmentStorage}' for Azurite.");
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
}
