using System.Reflection;
using System.Security.Claims;
using Dialoog.Core.Configuration;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Identity.Web;

namespace Dialoog.Web;

/// <summary>The coordinator's web pages (Razor Pages under Web/Pages), sign-in, antiforgery and security headers.</summary>
public static class WebRegistration
{
    public const string LocalSignInPath = "/aanmelden";

    public static IServiceCollection AddWeb(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddValidatedOptions<AuthOptions, AuthOptionsValidator>(AuthOptions.Section);

        // Dutch text (ö, é, €) as itself in the HTML, not as character references; markup is still encoded.
        services.AddWebEncoders(encoders => encoders.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        var cookiePolicy = Hosting.FrontEnd.CookiePolicy(configuration);
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "dialoog.af";
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = cookiePolicy;
        });

        if (configuration[$"{AuthOptions.Section}:Mode"] == AuthOptions.EntraMode)
        {
            // Microsoft.Identity.Web reads Instance, TenantId, ClientId, ClientSecret, CallbackPath from Auth:Entra; the
            // documented defaults apply when a setting is missing or empty (as an Azure app setting can be).
            services.AddAuthentication(Microsoft.AspNetCore.Authentication.OpenIdConnect.OpenIdConnectDefaults.AuthenticationScheme)
                .AddMicrosoftIdentityWebApp(EntraSettings(configuration), cookieScheme: CookieAuthenticationDefaults.AuthenticationScheme);
            services.Configure<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme, cookie => ConfigureCookie(cookie, cookiePolicy));
            services.PostConfigure<Microsoft.AspNetCore.Authentication.OpenIdConnect.OpenIdConnectOptions>(
                Microsoft.AspNetCore.Authentication.OpenIdConnect.OpenIdConnectDefaults.AuthenticationScheme,
                openIdConnect => Hosting.FrontEnd.UsePublicRedirects(openIdConnect, configuration));
        }
        else
        {
            services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(cookie =>
            {
                ConfigureCookie(cookie, cookiePolicy);
                cookie.LoginPath = LocalSignInPath;
            });
        }

        services.AddAuthorization();
        services.AddRazorPages(options =>
        {
            options.RootDirectory = "/Web/Pages";
            options.Conventions.AuthorizeFolder("/");
            options.Conventions.AllowAnonymousToPage("/Aanmelden");
        })
        // The pages live in this assembly, which is not the entry assembly under a test host or the Functions host.
        .AddApplicationPart(typeof(WebRegistration).Assembly);
        return services;
    }

    public static WebApplication UseWeb(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseMiddleware<SecurityHeaders>();
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    public static IEndpointRouteBuilder MapWeb(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/assets/{name}", Asset).ExcludeFromDescription();
        routes.MapRazorPages();
        return routes;
    }

    /// <summary>Signs a listed coordinator in (Local mode); null when the e-mail or password does not match.</summary>
    internal static ClaimsPrincipal? LocalSignIn(AuthOptions options, string? email, string? password)
    {
        var coordinator = options.LocalCoordinators.FirstOrDefault(c => string.Equals(c.Email, email?.Trim(), StringComparison.OrdinalIgnoreCase));
        var expected = System.Text.Encoding.UTF8.GetBytes(options.LocalPassword);
        var given = System.Text.Encoding.UTF8.GetBytes(password ?? "");
        if (coordinator is null || options.LocalPassword.Length == 0 || !System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(expected, given))
        {
            return null;
        }

        List<Claim> claims = [new(ClaimTypes.Email, coordinator.Email), new(ClaimTypes.Name, string.IsNullOrWhiteSpace(coordinator.Name) ? coordinator.Email : coordinator.Name)];
        if (coordinator.Admin)
        {
            claims.Add(new Claim(ClaimTypes.Role, options.AdminRole));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme));
    }

    /// <summary>Auth:Entra with the defaults filled in, as the section Microsoft.Identity.Web binds.</summary>
    internal static IConfigurationSection EntraSettings(IConfiguration configuration)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Entra:Instance"] = AuthOptions.DefaultEntraInstance,
            ["Entra:CallbackPath"] = AuthOptions.DefaultEntraCallbackPath,
        };
        foreach (var (key, value) in configuration.GetSection($"{AuthOptions.Section}:Entra").AsEnumerable(makePathsRelative: true))
        {
            if (!string.IsNullOrEmpty(value))
            {
                values["Entra:" + key] = value;
            }
        }

        return new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection("Entra");
    }

    private static void ConfigureCookie(CookieAuthenticationOptions cookie, CookieSecurePolicy policy)
    {
        cookie.Cookie.Name = "dialoog.auth";
        cookie.Cookie.HttpOnly = true;
        cookie.Cookie.SameSite = SameSiteMode.Lax;
        cookie.Cookie.SecurePolicy = policy;
        cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
        cookie.SlidingExpiration = true;
    }

    private static readonly Dictionary<string, string> AssetTypes = new(StringComparer.Ordinal)
    {
        ["site.css"] = "text/css; charset=utf-8",
        ["site.js"] = "text/javascript; charset=utf-8",
    };

    /// <summary>The stylesheet and script, embedded in the assembly: the content root is the repository or the Functions app, not this folder.</summary>
    private static IResult Asset(string name)
    {
        if (!AssetTypes.TryGetValue(name, out var type)
            || typeof(WebRegistration).Assembly.GetManifestResourceStream($"Dialoog.Web.Assets.{name}") is not { } stream)
        {
            return Results.NotFound();
        }

        return Results.Stream(stream, type);
    }
}
