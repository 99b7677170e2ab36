using System.Security.Cryptography;
using Dialoog.Core.Engine;
using Dialoog.Core.Privacy;
using Dialoog.Core.Processes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Dialoog.Functions.Tests;

/// <summary>The Functions app's services make every activity and timer, per invocation scope, and run no worker of their own.</summary>
public sealed class FunctionsServicesTests
{
    [Fact]
    public async Task EveryActivity_AndThePurge_AreMadeFromTheAppsServices_WithoutAWorkerOfItsOwn()
    {
        // The generic host the Functions worker builds on (environment, configuration, logging), with the app's services.
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
            ["Dialoog:PublicBaseUrl"] = "https://dialoog.gemeente.example",
            ["Links:SigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Mail:Provider"] = "Smtp",
            ["Mail:FromAddress"] = "dialoog@gemeente.example",
            ["Mail:FromName"] = "Dialoog",
            ["Mail:Smtp:Host"] = "127.0.0.1",
            ["Mail:Smtp:Port"] = "1025",
        });
        builder.Services.AddLogging();
        builder.Services.AddFunctionsApp();
        builder.ConfigureContainer(new DefaultServiceProviderFactory(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true }));
        using var host = builder.Build();
        var provider = host.Services;
        await using var scope = provider.CreateAsyncScope();

        foreach (var (name, make) in ProcessRuntimeRegistration.Catalog().Activities)
        {
            Assert.True(make(scope.ServiceProvider) is not null, name);
        }

        Assert.NotNull(scope.ServiceProvider.GetRequiredService<PrivacyService>());
        Assert.NotNull(ActivatorUtilities.CreateInstance<Housekeeping>(scope.ServiceProvider));
        Assert.DoesNotContain(provider.GetServices<IHostedService>(), s => s.GetType().Name.Contains("Engine", StringComparison.Ordinal));
        Assert.Null(provider.GetService<LocalEngineHost>());
    }
}
