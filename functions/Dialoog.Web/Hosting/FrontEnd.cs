using System.Net;
using IPNetwork = System.Net.IPNetwork;
using Dialoog.Core.Configuration;
using Dialoog.Core.Hosting;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Dialoog.Web.Hosting;

/// <summary>Settings under <c>FrontEnd__</c>: the platform's proxy in front of the app (App Service's front end).</summary>
public sealed class FrontEndOptions
{
    public const string Section = "FrontEnd";

    /// <summary>
    /// Networks (CIDR, comma-separated) whose X-Forwarded-For, -Proto and -Host the app believes: only the platform's
    /// own proxy. Empty (the default, and locally): forwarded headers are ignored, whoever sends them.
    /// </summary>
    public string TrustedNetworks { get; set; } = "";

    internal IReadOnlyList<IPNetwork> Networks() =>
        TrustedNetworks.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(n => IPNetwork.Parse(n)).ToList();
}

internal sealed class FrontEndOptionsValidator : IValidateOptions<FrontEndOptions>
{
    public ValidateOptionsResult Validate(string? name, FrontEndOptions options) =>
        options.TrustedNetworks.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault(n => !IPNetwork.TryParse(n, out _)) is { } bad
            ? ValidateOptionsResult.Fail($"Setting 'FrontEnd__TrustedNetworks' must be networks like '169.254.0.0/16', separated by commas (found '{bad}').")
            : ValidateOptionsResult.Success;
}

/// <summary>
/// Behind Azure's front end: the client address and host come from the platform's forwarded headers (and from nobody
/// else), so the public form's rate limit counts real client addresses; with an https public address every request is
/// https to the app and every cookie Secure, also on the platform's plain-http hop; Entra ID sends people back to the
/// public address.
/// </summary>
public static class FrontEnd
{
    public static IServiceCollection AddFrontEnd(this IServiceCollection services)
    {
        services.AddValidatedOptions<FrontEndOptions, FrontEndOptionsValidator>(FrontEndOptions.Section);
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<FrontEndOptions>, IOptions<DialoogOptions>>((forwarded, frontEnd, dialoog) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            // Only the listed networks: not even loopback, which ASP.NET Core trusts by default.
            forwarded.KnownIPNetworks.Clear();
            forwarded.KnownProxies.Clear();
            foreach (var network in frontEnd.Value.Networks())
            {
                forwarded.KnownIPNetworks.Add(network);
            }

            // One proxy, and a forwarded host only when it is the public one.
            forwarded.ForwardLimit = 1;
            if (PublicUri(dialoog.Value) is { } publicUri)
            {
                forwarded.AllowedHosts = [publicUri.Authority];
            }
        });

        return services;
    }

    /// <summary>First in the pipeline, before anything reads the client address, scheme or host.</summary>
    public static WebApplication UseFrontEnd(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Services.GetRequiredService<IOptions<FrontEndOptions>>().Value.Networks().Count > 0)
        {
            app.UseForwardedHeaders();
        }

        if (PublicUri(app.Configuration[$"{DialoogOptions.Section}:PublicBaseUrl"]) is { Scheme: "https" })
        {
            // The public address is https and the platform takes only https (httpsOnly): whatever reaches the app came
            // over https, however the platform's hop to the app looks. So Secure cookies and antiforgery work even
            // before FrontEnd__TrustedNetworks is known.
            app.Use((context, next) =>
            {
                context.Request.Scheme = Uri.UriSchemeHttps;
                return next(context);
            });
        }

        return app;
    }

    /// <summary>Secure cookies always when the public address is https; locally (http://localhost) as the request is.</summary>
    public static CookieSecurePolicy CookiePolicy(IConfiguration configuration) =>
        PublicUri(configuration?[$"{DialoogOptions.Section}:PublicBaseUrl"]) is { Scheme: "https" } ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;

    /// <summary>Entra ID sends the coordinator back to the public https address, whatever the platform's hop looked like.</summary>
    public static void UsePublicRedirects(OpenIdConnectOptions openIdConnect, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(openIdConnect);
        if (PublicUri(configuration?[$"{DialoogOptions.Section}:PublicBaseUrl"]) is not { } publicUri)
        {
            return;
        }

        var redirects = openIdConnect.Events.OnRedirectToIdentityProvider;
        openIdConnect.Events.OnRedirectToIdentityProvider = async context =>
        {
            await redirects(context);
            context.ProtocolMessage.RedirectUri = new Uri(publicUri, openIdConnect.CallbackPath.Value).ToString();
        };
        var signOuts = openIdConnect.Events.OnRedirectToIdentityProviderForSignOut;
        openIdConnect.Events.OnRedirectToIdentityProviderForSignOut = async context =>
        {
            await signOuts(context);
            context.ProtocolMessage.PostLogoutRedirectUri = new Uri(publicUri, openIdConnect.SignedOutCallbackPath.Value).ToString();
        };
    }

    private static Uri? PublicUri(DialoogOptions options) => PublicUri(options.PublicBaseUrl);

    private static Uri? PublicUri(string? url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri : null;
}
