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
            // After Microsoft.Identity.Web's own cookie set-up, so our names and the Dutch access-denied page win; a
            // signed-in account without the role is sent there by the cookie handler, not challenged again.
            services.PostConfigure<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme, cookie => ConfigureCookie(cookie, cookiePolicy));
            services.Configure<Microsoft.AspNetCore.Authentication.AuthenticationOptions>(o => o.DefaultForbidScheme = CookieAuthenticationDefaults.AuthenticationScheme);
            services.PostConfigure<Microsoft.AspNetCore.Authentication.OpenIdConnect.OpenIdConnectOptions>(
                Microsoft.AspNetCore.Authentication.OpenIdConnect.OpenIdConnectDefaults.AuthenticationScheme,
                openIdConnect =>
                {
                    // The authorization code flow with PKCE: the ID token comes from the token endpoint, fetched with the
                    // app's secret, never through the browser (no implicit grant to switch on in the app registration).
                    openIdConnect.ResponseType = Microsoft.IdentityModel.Protocols.OpenIdConnect.OpenIdConnectResponseType.Code;
                    openIdConnect.UsePkce = true;
                    Hosting.FrontEnd.UsePublicRedirects(openIdConnect, configuration);
                });
        }
        else
        {
            services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(cookie =>
            {
                ConfigureCookie(cookie, cookiePolicy);
                cookie.LoginPath = LocalSignInPath;
            });
        }

        // Signing in is not enough: the account needs the coordinator (or admin) role. Entra ID gives app roles in the
        // roles claim; local coordinators get the coordinator role from their sign-in.
        services.AddSingleton<SignInThrottle>();
        services.Configure<RouteOptions>(routes => routes.SetParameterPolicy<Participant.LinkPurposeConstraint>(Participant.LinkPurposeConstraint.Name));
        services.AddAuthorizationBuilder().SetDefaultPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder()
            .RequireAuthenticatedUser()
            .RequireRole(RoleNames(configuration))
            .Build());
        services.AddRazorPages(options =>
        {
            options.RootDirectory = "/Web/Pages";
            options.Conventions.AuthorizeFolder("/");
            options.Conventions.AllowAnonymousToPage("/Aanmelden");
            options.Conventions.AllowAnonymousToPage("/GeenToegang");

            // Participants have no account: their pages are behind a personal link or open to anyone (sign-up).
            options.Conventions.AllowAnonymousToFolder("/Link");
            options.Conventions.AllowAnonymousToFolder("/SignUp");
            if (configuration[$"{AuthOptions.Section}:Mode"] == AuthOptions.EntraMode)
            {
                // No local sign-in beside Entra ID: the page and its POST do not exist, so there is nothing to guess at.
                options.Conventions.AddPageRouteModelConvention("/Aanmelden", page => page.Selectors.Clear());
            }
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
        var coordinator = options.LocalCoordinators.FirstOrDefault(c => string.Equals(c.Email.Trim(), email?.Trim(), StringComparison.OrdinalIgnoreCase));

        // An unknown address costs the same hash as a known one, so timing does not tell which addresses exist.
        if (!LocalPasswords.Verify(coordinator ?? UnknownCoordinator.Value, password ?? "") || coordinator is null)
        {
            return null;
        }

        List<Claim> claims =
        [
            new(ClaimTypes.Email, coordinator.Email.Trim()),
            new(ClaimTypes.Name, string.IsNullOrWhiteSpace(coordinator.Name) ? coordinator.Email.Trim() : coordinator.Name),
            new(ClaimTypes.Role, options.CoordinatorRole),
        ];
        if (coordinator.Admin)
        {
            claims.Add(new Claim(ClaimTypes.Role, options.AdminRole));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme));
    }

    private static readonly Lazy<LocalCoordinator> UnknownCoordinator = new(() => new LocalCoordinator
    {
        PasswordHash = LocalPasswords.Hash(Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24))),
    });

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

    public const string AccessDeniedPath = "/geen-toegang";

    /// <summary>The roles that let a signed-in account in, read from the settings as the validated options will be.</summary>
    private static string[] RoleNames(IConfiguration configuration)
    {
        var defaults = new AuthOptions();
        return [configuration[$"{AuthOptions.Section}:CoordinatorRole"] is { Length: > 0 } coordinator ? coordinator : defaults.CoordinatorRole,
            configuration[$"{AuthOptions.Section}:AdminRole"] is { Length: > 0 } admin ? admin : defaults.AdminRole];
    }

    private static void ConfigureCookie(CookieAuthenticationOptions cookie, CookieSecurePolicy policy)
    {
        cookie.AccessDeniedPath = AccessDeniedPath;
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
