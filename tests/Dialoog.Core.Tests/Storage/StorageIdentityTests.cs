using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Dialoog.Core.Configuration;
using Dialoog.Web.Hosting;
using Dialoog.Core.Storage;
using Dialoog.Core.Tests.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Dialoog.Core.Tests.Storage;

/// <summary>
/// Storage by managed identity, spelled the way the Functions host reads it (AzureWebJobsStorage__accountName and
/// friends). Settings are checked without starting the app: with identity settings it would call Azure.
/// </summary>
public sealed class StorageIdentityTests
{
    private const string ClientId = "0b7f1a52-3c3e-4c39-9d43-6f3c0c1f3a11";

    [Fact]
    public async Task AccountName_BuildsPublicCloudClients_WithoutAConnectionString()
    {
        await using var app = Build(("AzureWebJobsStorage", ""), ("AzureWebJobsStorage:accountName", "dialoogprod"), ("AzureWebJobsStorage:credential", "managedidentity"), ("AzureWebJobsStorage:clientId", ClientId));

        DialoogApp.ValidateSettings(app);

        Assert.Equal(new Uri("https://dialoogprod.blob.core.windows.net"), app.Services.GetRequiredService<BlobServiceClient>().Uri);
        Assert.Equal(new Uri("https://dialoogprod.queue.core.windows.net"), app.Services.GetRequiredService<QueueServiceClient>().Uri);
        Assert.Equal(new Uri("https://dialoogprod.table.core.windows.net"), app.Services.GetRequiredService<TableServiceClient>().Uri);
    }

    [Fact]
    public async Task ServiceUris_WinOverTheAccountName()
    {
        await using var app = Build(
            ("AzureWebJobsStorage", ""),
            ("AzureWebJobsStorage:blobServiceUri", "https://b.example.net"),
            ("AzureWebJobsStorage:queueServiceUri", "https://q.example.net"),
            ("AzureWebJobsStorage:tableServiceUri", "https://t.example.net"));

        DialoogApp.ValidateSettings(app);

        Assert.Equal(new Uri("https://b.example.net"), app.Services.GetRequiredService<BlobServiceClient>().Uri);
        Assert.Equal(new Uri("https://t.example.net"), app.Services.GetRequiredService<TableServiceClient>().Uri);
    }

    [Theory]
    [InlineData("managedidentity", ClientId, typeof(ManagedIdentityCredential))]
    [InlineData("ManagedIdentity", "", typeof(ManagedIdentityCredential))]
    [InlineData("", ClientId, typeof(DefaultAzureCredential))]
    [InlineData("", "", typeof(DefaultAzureCredential))]
    public void Credential_FollowsTheCredentialSetting(string credential, string clientId, Type expected)
    {
        var options = new StorageOptions { AccountName = "dialoogprod", Credential = credential, ClientId = clientId };

        Assert.IsType(expected, StorageRegistration.CreateCredential(options));
    }

    public static TheoryData<string, string[]> BadCombinations => new()
    {
        { "Setting 'AzureWebJobsStorage' must be empty when", ["AzureWebJobsStorage=UseDevelopmentStorage=true", "AzureWebJobsStorage:accountName=dialoogprod"] },
        { "Setting 'AzureWebJobsStorage__accountName' must be a storage account name", ["AzureWebJobsStorage=", "AzureWebJobsStorage:accountName=Dialoog-Prod"] },
        { "Setting 'AzureWebJobsStorage__tableServiceUri' is required when 'AzureWebJobsStorage__accountName' is not set", ["AzureWebJobsStorage=", "AzureWebJobsStorage:blobServiceUri=https://b.example.net", "AzureWebJobsStorage:queueServiceUri=https://q.example.net"] },
        { "Setting 'AzureWebJobsStorage__blobServiceUri' must be an absolute https URL", ["AzureWebJobsStorage=", "AzureWebJobsStorage:accountName=dialoogprod", "AzureWebJobsStorage:blobServiceUri=http://127.0.0.1:10000/devstoreaccount1"] },
        { "Setting 'AzureWebJobsStorage__credential' must be empty or 'managedidentity'", ["AzureWebJobsStorage=", "AzureWebJobsStorage:accountName=dialoogprod", "AzureWebJobsStorage:credential=clientsecret"] },
        { "Setting 'AzureWebJobsStorage__clientId' must be the client id (a GUID)", ["AzureWebJobsStorage=", "AzureWebJobsStorage:accountName=dialoogprod", "AzureWebJobsStorage:clientId=dialoog-identity"] },
        { "or set 'AzureWebJobsStorage__accountName' to connect with a managed identity", ["AzureWebJobsStorage="] },
    };

    [Theory]
    [MemberData(nameof(BadCombinations))]
    public async Task BadCombination_FailsWithOneClearLine(string expected, string[] overrides)
    {
        await using var app = Build([.. overrides.Select(o => (o[..o.IndexOf('=', StringComparison.Ordinal)], o[(o.IndexOf('=', StringComparison.Ordinal) + 1)..]))]);

        var failure = Record.Exception(() => DialoogApp.ValidateSettings(app));

        Assert.NotNull(failure);
        Assert.True(SettingsErrors.TryDescribe(failure, out var problems), failure.ToString());
        var problem = Assert.Single(problems);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SeveralIdentityMistakes_AreEachReported()
    {
        await using var app = Build(("AzureWebJobsStorage", ""), ("AzureWebJobsStorage:blobServiceUri", "not a url"), ("AzureWebJobsStorage:clientId", "x"));

        var failure = Record.Exception(() => DialoogApp.ValidateSettings(app));

        Assert.True(SettingsErrors.TryDescribe(failure!, out var problems));
        Assert.Equal(4, problems.Count); // queue and table URIs missing, blob URI malformed, client id not a GUID
    }

    private static Microsoft.AspNetCore.Builder.WebApplication Build(params (string Key, string Value)[] overrides)
    {
        var settings = RunningApp.ValidSettings();
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        return RunningApp.Build(settings);
    }
}
