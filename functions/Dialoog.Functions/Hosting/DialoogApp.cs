using Dialoog.Functions.Actions;
using Dialoog.Functions.Api;
using Dialoog.Functions.Calendar;
using Dialoog.Functions.Configuration;
using Dialoog.Functions.Email;
using Dialoog.Functions.Health;
using Dialoog.Functions.Invitations;
using Dialoog.Functions.Links;
using Dialoog.Functions.Minutes;
using Dialoog.Functions.Observability;
using Dialoog.Functions.Privacy;
using Dialoog.Functions.Processes;
using Dialoog.Functions.Storage;
using Dialoog.Functions.Web;
using Microsoft.Extensions.Options;

namespace Dialoog.Functions.Hosting;

/// <summary>Builds the one executable: the web app plus its durable worker.</summary>
public static class DialoogApp
{
    /// <summary>Where the app listens when neither settings nor the command line say otherwise (the Functions default).</summary>
    public const string DefaultUrl = "http://localhost:7071";

    /// <param name="args">Command-line arguments (e.g. <c>--urls</c>).</param>
    /// <param name="configure">Extra configuration added last, so it wins; tests use it to override settings.</param>
    /// <param name="services">Extra services registered last, so they win; tests use it for a Graph token from their stand-in.</param>
    public static WebApplication Build(string[] args, Action<IConfigurationBuilder>? configure = null, Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateBuilder(args);

        builder.Configuration.AddFunctionsConfiguration(builder.Environment.ContentRootPath, args);
        configure?.Invoke(builder.Configuration);
        builder.UseFunctionsCustomHandler();
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["http_ports"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.AddObservability();
        builder.Services.AddHostingOptions();
        builder.Services.AddStorageClients();
        builder.Services.AddEmail();
        builder.Services.AddCalendar();
        builder.Services.AddParticipantLinks();
        builder.Services.AddCoordinatorApi();
        builder.Services.AddDialoogHealthChecks();
        builder.Services.AddProcessRuntime();
        builder.Services.AddProcessesApi();
        builder.Services.AddFollowUps();
        builder.Services.AddMinutes();
        builder.Services.AddPrivacy();
        builder.Services.AddWeb(builder.Configuration);
        services?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseWeb();
        app.UseStatusCodePages();
        app.UseRateLimiter();
        app.MapDialoogHealthChecks();
        app.MapOpenApi();
        app.MapProcessesApi();
        app.MapLinkPages();
        app.MapFollowUps();
        app.MapMinutes();
        app.MapPrivacy();
        app.MapWeb();
        app.MapFunctionsHandler();
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
