using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Dialoog.Web.Pages;

/// <summary>Signing out is a POST (with antiforgery), so a link in an e-mail cannot sign anyone out.</summary>
public sealed class AfmeldenModel : PageModel
{
    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Redirect(WebRegistration.LocalSignInPath);
    }
}
