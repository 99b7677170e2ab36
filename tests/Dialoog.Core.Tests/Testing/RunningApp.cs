using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using System.Security.Cryptography;
using Dialoog.Web.Api;
using Dialoog.Web.Hosting;
using Dialoog.Testing;

namespace Dialoog.Core.Tests.Testing;

/// <summary>The real app, started in-process on a free loopback port and called over real HTTP.</summary>
internal sealed class RunningApp : IAsyncDisposable
{
    private readonly WebApplication app;

    private RunningApp(WebApplication app)
    {
        this.app = app;
        Client = new HttpClient { BaseAddress = new Uri(app.Urls.First()), Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpClient Client { get; }

    public IServiceProvider Services => app.Services;

    /// <summary>Settings that pass validation; tests override single values to make them fail.</summary>
    public static Dictionary<string, string?> ValidSettings(string storageConnectionString = "UseDevelopmentStorage=true", int smtpPort = 1025) => new()
    {
        ["urls"] = "http://127.0.0.1:0", // Kestrel picks a free port
        ["Logging:LogLevel:Default"] = "Warning",
        ["AzureWebJobsStorage"] = storageConnectionString,
        ["Dialoog:PublicBaseUrl"] = "http://localhost:7071",
        ["Durable:TaskHub"] = "dialoogtest",
        ["Mail:Provider"] = "Smtp",
        ["Mail:FromAddress"] = "dialoog@gemeente.example",
        ["Mail:FromName"] = "Dialoog",
        ["Mail:Smtp:Host"] = "127.0.0.1",
        ["Mail:Smtp:Port"] = smtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Mail:SendGrid:ApiKey"] = "",
        ["Calendar:Provider"] = "Ics",
        ["Links:SigningKey"] = NewKey(),
        ["Api:CoordinatorApiKey"] = NewKey(),
        ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = "",
        ["Telemetry:Console"] = "false",
    };

    public static Dictionary<string, string?> SettingsFor(DevStackFixture stack) =>
        ValidSettings(stack.StorageConnectionString, stack.SmtpPort);

    public static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <param name="services">Services that replace the app's own, e.g. the Graph token from a stand-in.</param>
    /// <param name="environment">The host environment; tests run as Production unless they say otherwise.</param>
    public static WebApplication Build(IDictionary<string, string?> settings, Action<IServiceCollection>? services = null, string? environment = null) =>
        DialoogApp.Build(environment is null ? [] : ["--environment", environment], configuration => configuration.AddInMemoryCollection(settings), services);

    public static async Task<RunningApp> StartAsync(IDictionary<string, string?> settings, Action<IServiceCollection>? services = null, string? environment = null)
    {
        var app = Build(settings, services, environment);
        await app.StartAsync();
        return new RunningApp(app);
    }

    /// <summary>As <see cref="StartAsync"/>, with <see cref="Client"/> sending the coordinator API key, as coordinators' tools do.</summary>
    public static async Task<RunningApp> StartWithApiKeyAsync(IDictionary<string, string?> settings, Action<IServiceCollection>? services = null)
    {
        var app = await StartAsync(settings, services);
        app.Client.DefaultRequestHeaders.Add(CoordinatorApiKeyFilter.HeaderName, settings["Api:CoordinatorApiKey"]);
        return app;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
