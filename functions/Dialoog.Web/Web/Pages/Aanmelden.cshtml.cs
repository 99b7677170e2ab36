using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Dialoog.Web.Pages;

/// <summary>
/// Local sign-in: a listed coordinator with their own password. In Entra mode this page has no route (404, see
/// <see cref="WebRegistration"/>): the only way in is Entra ID, where the app role is checked.
/// </summary>
public sealed class AanmeldenModel(IOptions<AuthOptions> options, SignInThrottle throttle, TimeProvider time) : PageModel
{
    public Dictionary<string, string[]> Errors { get; } = new(StringComparer.Ordinal);

    public string? Email { get; private set; }

    public string ReturnUrl { get; private set; } = "/";

    public IActionResult OnGet(string? returnUrl)
    {
        ReturnUrl = SafeReturnUrl(returnUrl);
        return Page();
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

        if (Errors.Count > 0)
        {
            return Invalid(StatusCodes.Status400BadRequest);
        }

        var address = HttpContext.Connection.RemoteIpAddress;
        if (throttle.BlockedUntil(email, address) is { } until)
        {
            var minutes = Math.Max(1, (int)Math.Ceiling((until - time.GetUtcNow()).TotalMinutes));
            Response.Headers.RetryAfter = ((int)Math.Ceiling((until - time.GetUtcNow()).TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            Errors["email"] = [$"Er is te vaak een verkeerd wachtwoord gebruikt. Probeer het over {minutes} {(minutes == 1 ? "minuut" : "minuten")} opnieuw."];
            return Invalid(StatusCodes.Status429TooManyRequests);
        }

        var user = WebRegistration.LocalSignIn(options.Value, email, password);
        if (user is null)
        {
            throttle.Failed(email, address);
            Errors["email"] = ["Dit e-mailadres en wachtwoord horen niet bij een coördinator. Controleer ze en probeer het opnieuw."];
            return Invalid(StatusCodes.Status400BadRequest);
        }

        throttle.Succeeded(email);
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, user);
        return LocalRedirect(ReturnUrl);
    }

    private PageResult Invalid(int status)
    {
        Response.StatusCode = status;
        return Page();
    }

    /// <summary>Only paths on this site: a sign-in link must not send people elsewhere.</summary>
    private string SafeReturnUrl(string? returnUrl) => Url.IsLocalUrl(returnUrl) ? returnUrl! : "/";
}
