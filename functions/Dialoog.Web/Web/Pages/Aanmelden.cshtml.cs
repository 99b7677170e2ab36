using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Dialoog.Web.Pages;

/// <summary>Sign-in. Entra mode: straight to Microsoft. Local mode: a listed coordinator with the local password.</summary>
public sealed class AanmeldenModel(IOptions<AuthOptions> options) : PageModel
{
    public Dictionary<string, string[]> Errors { get; } = new(StringComparer.Ordinal);

    public string? Email { get; private set; }

    public string ReturnUrl { get; private set; } = "/";

    public IActionResult OnGet(string? returnUrl)
    {
        ReturnUrl = SafeReturnUrl(returnUrl);
        return options.Value.Mode == AuthOptions.EntraMode ? Challenge(new AuthenticationProperties { RedirectUri = ReturnUrl }) : Page();
    }

    public async Task<IActionResult> OnPostAsync(string? email, string? password, string? returnUrl)
    {
        ReturnUrl = SafeReturnUrl(returnUrl);
        Email = email;
        if (string.IsNullOrWhiteSpace(email))
        {
            Errors["email"] = ["Vul uw e-mailadres in."];
        }

        if (string.IsNullOrEmpty(password))
        {
            Errors["password"] = ["Vul uw wachtwoord in."];
        }

        var user = Errors.Count == 0 ? WebRegistration.LocalSignIn(options.Value, email, password) : null;
        if (user is null)
        {
            if (Errors.Count == 0)
            {
                Errors["email"] = ["Dit e-mailadres en wachtwoord horen niet bij een coördinator. Controleer ze en probeer het opnieuw."];
            }

            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, user);
        return LocalRedirect(ReturnUrl);
    }

    /// <summary>Only paths on this site: a sign-in link must not send people elsewhere.</summary>
    private string SafeReturnUrl(string? returnUrl) => Url.IsLocalUrl(returnUrl) ? returnUrl! : "/";
}
