using System.Security.Claims;
using Dialoog.Core.Configuration;
using Microsoft.Extensions.Options;

namespace Dialoog.Web;

/// <summary>
/// Settings under <c>Auth__</c>: how coordinators sign in to the web pages. <c>Entra</c> (production): Microsoft Entra
/// ID through OpenID Connect, configured under <c>Auth__Entra__</c> (Microsoft.Identity.Web's own names).
/// <c>Local</c> (development): the coordinators listed in <c>Auth__LocalCoordinators</c> sign in with one shared
/// password. Without coordinators, nobody can sign in (the JSON API with its key still works).
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

    public string Mode { get; set; } = LocalMode;

    /// <summary>Local mode: the password every listed coordinator signs in with (at least 12 characters).</summary>
    public string LocalPassword { get; set; } = "";

    public IList<LocalCoordinator> LocalCoordinators { get; } = [];

    /// <summary>App role (Entra <c>roles</c> claim) that sees every process; others see their own.</summary>
    public string AdminRole { get; set; } = "Dialoog.Admin";
}

public sealed class LocalCoordinator
{
    public string Email { get; set; } = "";

    public string Name { get; set; } = "";

    public bool Admin { get; set; }
}

internal sealed class AuthOptionsValidator(IConfiguration configuration) : IValidateOptions<AuthOptions>
{
    public const int MinimumPasswordLength = 12;

    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var problems = new List<string>();
        if (options.Mode is not (AuthOptions.LocalMode or AuthOptions.EntraMode))
        {
            problems.Add(SettingRules.OneOf("Auth__Mode", options.Mode, AuthOptions.LocalMode, AuthOptions.EntraMode));
        }
        else if (options.Mode == AuthOptions.LocalMode && options.LocalCoordinators.Count > 0 && options.LocalPassword.Length < MinimumPasswordLength)
        {
            problems.Add($"Setting 'Auth__LocalPassword' must have at least {MinimumPasswordLength} characters when 'Auth__LocalCoordinators' lists coordinators.");
        }
        else if (options.Mode == AuthOptions.EntraMode)
        {
            // Sign-in uses the authorization code flow, so the app needs its secret as well as its ids.
            foreach (var key in new[] { "TenantId", "ClientId", "ClientSecret" })
            {
                if (string.IsNullOrWhiteSpace(configuration[$"{AuthOptions.Section}:Entra:{key}"]))
                {
                    problems.Add(SettingRules.RequiredWhen($"Auth__Entra__{key}", "Auth__Mode", AuthOptions.EntraMode));
                }
            }

            if (configuration[$"{AuthOptions.Section}:Entra:Instance"] is { Length: > 0 } instance
                && !(Uri.TryCreate(instance, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps))
            {
                problems.Add($"Setting 'Auth__Entra__Instance' must be an https URL like '{AuthOptions.DefaultEntraInstance}', or empty for that one (found '{instance}').");
            }
        }

        for (var i = 0; i < options.LocalCoordinators.Count; i++)
        {
            var email = options.LocalCoordinators[i].Email;
            if (!System.Net.Mail.MailAddress.TryCreate(email, out _))
            {
                problems.Add($"Setting 'Auth__LocalCoordinators__{i}__Email' must be an e-mail address.");
            }
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}

/// <summary>Who the signed-in coordinator is, the same for both sign-in modes.</summary>
internal static class CoordinatorClaims
{
    public static string? Email(this ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.Email) ?? user.FindFirstValue("preferred_username") ?? user.FindFirstValue("email") ?? user.FindFirstValue(ClaimTypes.Upn);

    public static string DisplayName(this ClaimsPrincipal user) =>
        user.FindFirstValue("name") ?? user.FindFirstValue(ClaimTypes.Name) ?? user.Email() ?? "coördinator";

    public static bool IsAdmin(this ClaimsPrincipal user, AuthOptions options) => user.IsInRole(options.AdminRole);

    /// <summary>A coordinator sees the processes they coordinate; an admin sees all.</summary>
    public static bool CanSee(this ClaimsPrincipal user, AuthOptions options, string? coordinatorEmail) =>
        user.IsAdmin(options) || (coordinatorEmail is not null && string.Equals(user.Email(), coordinatorEmail, StringComparison.OrdinalIgnoreCase));
}
