using System.Security.Claims;
using Dialoog.Core.Configuration;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Web;

namespace Dialoog.Web;

/// <summary>
/// Settings under <c>Auth__</c>: how coordinators sign in to the web pages. <c>Entra</c> (production): Microsoft Entra
/// ID through OpenID Connect, configured under <c>Auth__Entra__</c> (Microsoft.Identity.Web's own names); only accounts
/// with the app role <see cref="CoordinatorRole"/> or <see cref="AdminRole"/> get in. <c>Local</c> (development): the
/// coordinators listed in <c>Auth__LocalCoordinators</c>, each with their own password stored as a hash. Without
/// coordinators, nobody can sign in (the JSON API with its key still works).
/// </summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";
    public const string LocalMode = "Local";
    public const string EntraMode = "Entra";

    /// <summary>Entra ID's sign-in address (public cloud) when <c>Auth__Entra__Instance</c> is not set.</summary>
    public const string DefaultEntraInstance = "https://login.microsoftonline.com/";

    /// <summary>Where Entra ID sends the coordinator back when <c>Auth__Entra__CallbackPath</c> is not set.</summary>
    public const string DefaultEntraCallbackPath = "/signin-oidc";

    /// <summary>Tenant names that let any organisation (or personal account) sign in: never one municipality.</summary>
    public static readonly IReadOnlySet<string> SharedTenants = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "common", "organizations", "consumers" };

    public string Mode { get; set; } = LocalMode;

    public IList<LocalCoordinator> LocalCoordinators { get; } = [];

    /// <summary>
    /// Local sign-in outside the Development environment, e.g. a test municipality without Entra ID. Off by default:
    /// production uses Entra ID.
    /// </summary>
    public bool AllowLocalSignIn { get; set; }

    /// <summary>App role (Entra <c>roles</c> claim) a coordinator needs to sign in at all.</summary>
    public string CoordinatorRole { get; set; } = "Dialoog.Coordinator";

    /// <summary>App role (Entra <c>roles</c> claim) that sees every process; others see their own.</summary>
    public string AdminRole { get; set; } = "Dialoog.Admin";
}

public sealed class LocalCoordinator
{
    public string Email { get; set; } = "";

    public string Name { get; set; } = "";

    public bool Admin { get; set; }

    /// <summary>ASP.NET Core Identity's password hash (PBKDF2, salted), made with <c>Dialoog.Web --hash-password</c>.</summary>
    public string PasswordHash { get; set; } = "";
}

internal sealed class AuthOptionsValidator(IConfiguration configuration, IHostEnvironment environment) : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var problems = new List<string>();
        if (!string.IsNullOrEmpty(configuration[$"{AuthOptions.Section}:LocalPassword"]))
        {
            // The one shared password is gone; say so instead of silently ignoring it.
            problems.Add("Setting 'Auth__LocalPassword' is no longer used: give each coordinator their own password with 'Auth__LocalCoordinators__N__PasswordHash' (make the hash with 'dotnet Dialoog.Web.dll --hash-password').");
        }

        if (options.Mode is not (AuthOptions.LocalMode or AuthOptions.EntraMode))
        {
            problems.Add(SettingRules.OneOf("Auth__Mode", options.Mode, AuthOptions.LocalMode, AuthOptions.EntraMode));
        }
        else if (options.Mode == AuthOptions.EntraMode)
        {
            ValidateEntra(problems, options);
        }
        else if (options.LocalCoordinators.Count > 0 && !environment.IsDevelopment() && !options.AllowLocalSignIn)
        {
            problems.Add($"Setting 'Auth__Mode' is 'Local' with coordinators listed, but the environment is '{environment.EnvironmentName}': use 'Entra' in production, or set 'Auth__AllowLocalSignIn' to 'true' to allow local passwords here on purpose.");
        }

        if (options.Mode != AuthOptions.EntraMode)
        {
            ValidateLocalCoordinators(problems, options);
        }

        foreach (var (key, role) in new[] { ("Auth__CoordinatorRole", options.CoordinatorRole), ("Auth__AdminRole", options.AdminRole) })
        {
            if (string.IsNullOrWhiteSpace(role))
            {
                problems.Add($"Setting '{key}' must name an app role.");
            }
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private void ValidateEntra(List<string> problems, AuthOptions options)
    {
        // Sign-in uses the authorization code flow, so the app needs its secret as well as its ids.
        foreach (var key in new[] { "TenantId", "ClientId", "ClientSecret" })
        {
            if (string.IsNullOrWhiteSpace(configuration[$"{AuthOptions.Section}:Entra:{key}"]))
            {
                problems.Add(SettingRules.RequiredWhen($"Auth__Entra__{key}", "Auth__Mode", AuthOptions.EntraMode));
            }
        }

        if (configuration[$"{AuthOptions.Section}:Entra:TenantId"] is { } tenant && AuthOptions.SharedTenants.Contains(tenant.Trim()))
        {
            problems.Add($"Setting 'Auth__Entra__TenantId' must be the municipality's own tenant (its id or domain), not '{tenant.Trim()}': that would let accounts of any organisation sign in.");
        }

        if (configuration[$"{AuthOptions.Section}:Entra:Instance"] is { Length: > 0 } instance
            && !(Uri.TryCreate(instance, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps))
        {
            problems.Add($"Setting 'Auth__Entra__Instance' must be an https URL like '{AuthOptions.DefaultEntraInstance}', or empty for that one (found '{instance}').");
        }

        // Two ways in would make the app role pointless: local accounts have no place in Entra mode.
        if (options.LocalCoordinators.Count > 0)
        {
            problems.Add("Setting 'Auth__LocalCoordinators' must be empty when 'Auth__Mode' is 'Entra': coordinators sign in with Entra ID and need the app role.");
        }

        if (options.AllowLocalSignIn)
        {
            problems.Add("Setting 'Auth__AllowLocalSignIn' must be empty or 'false' when 'Auth__Mode' is 'Entra'.");
        }
    }

    private static void ValidateLocalCoordinators(List<string> problems, AuthOptions options)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.LocalCoordinators.Count; i++)
        {
            var coordinator = options.LocalCoordinators[i];
            if (!System.Net.Mail.MailAddress.TryCreate(coordinator.Email, out _))
            {
                problems.Add($"Setting 'Auth__LocalCoordinators__{i}__Email' must be an e-mail address.");
            }
            else if (!seen.Add(coordinator.Email.Trim()))
            {
                problems.Add($"Setting 'Auth__LocalCoordinators__{i}__Email' lists '{coordinator.Email}' a second time.");
            }

            if (!LocalPasswords.IsHash(coordinator.PasswordHash))
            {
                problems.Add($"Setting 'Auth__LocalCoordinators__{i}__PasswordHash' must be a password hash made with 'dotnet Dialoog.Web.dll --hash-password' (a password itself is never stored).");
            }
        }
    }
}

/// <summary>Who the signed-in coordinator is, the same for both sign-in modes.</summary>
internal static class CoordinatorClaims
{
    public static string? Email(this ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.Email) ?? user.FindFirstValue("preferred_username") ?? user.FindFirstValue("email") ?? user.FindFirstValue(ClaimTypes.Upn);

    public static string DisplayName(this ClaimsPrincipal user) =>
        user.FindFirstValue("name") ?? user.FindFirstValue(ClaimTypes.Name) ?? user.Email() ?? "coördinator";

    /// <summary>
    /// The Entra ID account as <c>tenant id/object id</c>: both ids never change and are never reused, unlike the
    /// e-mail or user name claims, which an administrator (or a guest's home tenant) can change. Null for local sign-in.
    /// </summary>
    public static string? EntraAccount(this ClaimsPrincipal user) =>
        user.GetTenantId() is { Length: > 0 } tenant && user.GetObjectId() is { Length: > 0 } objectId ? $"{tenant}/{objectId}" : null;

    public static bool IsAdmin(this ClaimsPrincipal user, AuthOptions options) => user.IsInRole(options.AdminRole);

    /// <summary>
    /// A coordinator sees the processes they coordinate; an admin sees all. An Entra account owns the processes that
    /// carry its account (started from the web, or named in the API's <c>coordinatorAccount</c>); the e-mail claim is
    /// never trusted for this. A local coordinator (listed in the settings by address) owns the processes with that
    /// coordinator address.
    /// </summary>
    public static bool CanSee(this ClaimsPrincipal user, AuthOptions options, string? coordinatorAccount, string? coordinatorEmail)
    {
        if (user.IsAdmin(options))
        {
            return true;
        }

        if (user.EntraAccount() is { } account)
        {
            return string.Equals(account, coordinatorAccount, StringComparison.OrdinalIgnoreCase);
        }

        return options.Mode == AuthOptions.LocalMode
            && coordinatorEmail is not null
            && string.Equals(user.Email(), coordinatorEmail, StringComparison.OrdinalIgnoreCase);
    }
}
