using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Dialoog.Web.Pages;

/// <summary>Signed in, but without the coordinator or admin role: say so in plain words (HTTP 403).</summary>
public sealed class GeenToegangModel : PageModel
{
    public string? SignedInAs { get; private set; }

    public void OnGet()
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        SignedInAs = User.Identity?.IsAuthenticated == true ? User.DisplayName() : null;
    }
}
