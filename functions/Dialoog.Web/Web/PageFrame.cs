using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;

namespace Dialoog.Web;

/// <summary>
/// The frame every page shares (the Razor layout and the link pages built in code): skip link, header, main, footer,
/// the stylesheet and the one script. One source so both kinds of page look and behave the same.
/// </summary>
internal static class PageFrame
{
    public const string StylesheetPath = "/assets/site.css";
    public const string ScriptPath = "/assets/site.js";

    // Dutch letters (ö, é) stay themselves; markup characters are still encoded.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);

    public static string Encode(string? value) => Encoder.Encode(value ?? "");

    /// <param name="navigation">Coordinator menu as HTML, or null on participant pages (they have no account).</param>
    public static string Top(string title, string? navigation) =>
        "<!doctype html><html lang=\"nl\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        + $"<title>{Encode(title)} – Dialoog</title><link rel=\"stylesheet\" href=\"{StylesheetPath}\"></head><body>"
        + "<a class=\"skip-link\" href=\"#main\">Naar de inhoud</a>"
        + "<header class=\"site-header\"><div class=\"wrap\"><a class=\"brand\" href=\"/\">Dialoog</a>"
        + (navigation ?? "<span>Gemeente – dialoog en afspraken</span>")
        + "</div></header>";

    public static string Bottom() =>
        "<footer class=\"site-footer\"><div class=\"wrap\"><p>Dialoog helpt gemeenten bij dialogen met inwoners en partners. "
        + "Vragen? Antwoord op de e-mail die u kreeg, dan komt uw vraag bij de coördinator.</p></div></footer>"
        + $"<script src=\"{ScriptPath}\" defer></script></body></html>";

    /// <summary>A whole participant page: the frame around a narrow main column.</summary>
    public static string Participant(string title, string body) =>
        Top(title, null) + $"<main id=\"main\" class=\"wrap narrow\" tabindex=\"-1\"><h1>{Encode(title)}</h1>{body}</main>" + Bottom();

    /// <summary>The opening tag of a POST form with its antiforgery field.</summary>
    public static string FormStart(HttpContext context, string action, bool multipart = false, string? confirm = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var tokens = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<form method=\"post\" action=\"{Encode(action)}\"");
        if (multipart)
        {
            html.Append(" enctype=\"multipart/form-data\"");
        }

        if (confirm is not null)
        {
            html.Append(CultureInfo.InvariantCulture, $" data-confirm=\"{Encode(confirm)}\"");
        }

        html.Append(CultureInfo.InvariantCulture, $"><input type=\"hidden\" name=\"{Encode(tokens.FormFieldName)}\" value=\"{Encode(tokens.RequestToken)}\">");
        return html.ToString();
    }

    /// <summary>True when the POST carries a valid antiforgery token (cookie and form field of this browser).</summary>
    public static Task<bool> AntiforgeryValidAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context);
    }

    /// <summary>The name of the form field that carries the antiforgery token.</summary>
    public static string AntiforgeryField(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.RequestServices.GetRequiredService<IOptions<AntiforgeryOptions>>().Value.FormFieldName;
    }

    /// <summary>
    /// The same check for a form a streaming reader has read: the body cannot be read twice, so antiforgery gets the
    /// one field it needs, as the form it reads, and compares it with the cookie as usual.
    /// </summary>
    public static async Task<bool> AntiforgeryValidAsync(HttpContext context, string? formToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (string.IsNullOrEmpty(formToken))
        {
            return false;
        }

        context.Request.Form = new FormCollection(new Dictionary<string, Microsoft.Extensions.Primitives.StringValues> { [AntiforgeryField(context)] = formToken });
        return await AntiforgeryValidAsync(context);
    }

    /// <summary>"What happens next", stated plainly on every participant page.</summary>
    public static string NextStep(string text) =>
        $"<div class=\"next-step\"><h2>Wat gebeurt er nu?</h2><p>{text}</p></div>";
}

/// <summary>The participant pages' helpers (kept under the old name: link pages and initiative form use it).</summary>
internal static class Html
{
    public static string Encode(string value) => PageFrame.Encode(value);

    public static IResult Page(string title, string body, int statusCode = StatusCodes.Status200OK) =>
        Results.Content(PageFrame.Participant(title, body), "text/html; charset=utf-8", Encoding.UTF8, statusCode);

    /// <summary>The page for a POST whose antiforgery token is missing or wrong: nothing changed, try again from the page.</summary>
    public static IResult FormExpired() =>
        Page("Probeer het opnieuw", "<p>Het formulier was verlopen of niet compleet. Er is niets opgeslagen. Open de link uit uw e-mail opnieuw en verstuur het formulier nog een keer.</p>",
            StatusCodes.Status400BadRequest);
}
