using Dialoog.Core.Actions;
using Dialoog.Web.Api;
using Dialoog.Core.Calendar;
using Dialoog.Core.Configuration;
using Dialoog.Core.Email;
using Dialoog.Core.Hosting;
using Dialoog.Web.Health;
using Dialoog.Core.Invitations;
using Dialoog.Core.Links;
using Dialoog.Core.Minutes;
using Dialoog.Web.Observability;
using Dialoog.Core.Privacy;
using Dialoog.Core.Processes;
using Dialoog.Core.Storage;
using Dialoog.Web;
using Microsoft.Extensions.Options;

namespace Dialoog.Web.Hosting;

/// <summary>Builds the web app: pages, links and API, with the engine's client and (locally) its worker.</summary>
public static class DialoogApp
{
    /// <summary>Where the app listens when neither settings nor the command line say otherwise.</summary>
    public const string DefaultUrl = "http://localhost:7071";

    /// <param name="args">Command-line arguments (e.g. <c>--urls</c>).</param>
    /// <param name="configure">Extra configuration added last, so it wins; tests use it to override settings.</param>
    /// <param name="services">Extra services registered last, so they win; tests use it for a Graph token from their stand-in.</param>
    public static WebApplication Build(string[] args, Action<IConfigurationBuilder>? configure = null, Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateBuilder(args);

        builder.Configuration.AddFunctionsConfiguration(builder.Environment.ContentRootPath, args);
        configure?.Invoke(builder.Configuration);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["http_ports"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.AddObservability();
        builder.Services.AddDialoogDomain();
        // The engine's client, and locally its worker too (Durable__EnableWorker=false in Azure, where the Functions
        // app runs the processes); the same for the two loops the Functions app's timers run in Azure.
        builder.Services.AddProcessRuntime();
        builder.Services.AddRetentionPurgeLoop();
        builder.Services.AddCalendarReplyPolling();
        builder.Services.AddCoordinatorApi();
        builder.Services.AddDialoogHealthChecks();
        builder.Services.AddProcessesApi();
        builder.Services.AddExports();
        builder.Services.AddFollowUps();
        builder.Services.AddFrontEnd();
        builder.Services.AddDialoogDataProtection();
        builder.Services.AddWeb(builder.Configuration);
        services?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseFrontEnd();
        app.UseWeb();
        app.UseStatusCodePages();
        app.UseRateLimiter();
        app.MapDialoogHealthChecks();
        // The API's description is for the people who call it: the key or an admin, like readiness details.
        app.MapOpenApi().AddEndpointFilter<IEndpointConventionBuilder, OperatorFilter>();
        app.MapProcessesApi();
        app.MapLinkPages();
        app.MapFollowUps();
        app.MapSignUps();
        app.MapMinutes();
        app.MapPrivacy();
        app.MapExports();
        app.MapWeb();
        return app;
    }

    /// <summary>
    /// Runs the options validation that <c>ValidateOnStart</c> would run inside <c>StartAsync</c>, but before the host
    /// starts, so a bad setting fails without the host logging a stack trace first.
    /// </summary>
    public static void ValidateSettings(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Services.GetRequiredService<IStartupValidator>().Validate();
    }
}
