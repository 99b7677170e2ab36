using System.Globalization;
using System.Text;

namespace Dialoog.Web;

/// <summary>
/// Field errors the GOV.UK / NL Design System way: a summary at the top that takes focus and links to each field, and
/// the message again next to the field. Keys are the validator's JSON paths (<c>participants[3].email</c>).
/// </summary>
internal static class FormErrors
{
    /// <summary>The element id of the field for a JSON path: <c>participants[3].email</c> → <c>participants-3-email</c>.</summary>
    public static string IdFor(string key)
    {
        var id = new StringBuilder(key.Length);
        foreach (var c in key)
        {
            id.Append(char.IsAsciiLetterOrDigit(c) ? c : '-');
        }

        return id.ToString().Trim('-').Replace("--", "-", StringComparison.Ordinal);
    }

    /// <param name="fieldIds">Keys that have a field on the page; other keys are listed without a link.</param>
    public static string Summary(IReadOnlyDictionary<string, string[]> errors, IReadOnlyDictionary<string, string>? fieldIds = null)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Count == 0)
        {
            return "";
        }

        var html = new StringBuilder("<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\" data-error-summary aria-labelledby=\"error-summary-title\">");
        html.Append("<h2 id=\"error-summary-title\">Er is iets niet goed ingevuld</h2><p>Er is nog niets opgeslagen of verstuurd. Pas dit aan:</p><ul>");
        foreach (var (key, messages) in errors)
        {
            foreach (var message in messages)
            {
                var id = fieldIds is null ? IdFor(key) : fieldIds.GetValueOrDefault(key);
                html.Append(id is null || key.Length == 0
                    ? $"<li>{PageFrame.Encode(message)}</li>"
                    : $"<li><a href=\"#{PageFrame.Encode(id)}\">{PageFrame.Encode(message)}</a></li>");
            }
        }

        return html.Append("</ul></div>").ToString();
    }

    /// <summary>A labelled text field with its error message, keeping what was typed.</summary>
    public static string Field(string name, string label, string? value, IReadOnlyDictionary<string, string[]> errors, bool multiline, string? autocomplete = null, string type = "text")
    {
        ArgumentNullException.ThrowIfNull(errors);
        var id = IdFor(name);
        var error = errors.TryGetValue(name, out var messages) ? string.Join(" ", messages) : null;
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<div class=\"field{(error is null ? "" : " has-error")}\"><label for=\"{id}\">{PageFrame.Encode(label)}</label>");
        var described = error is null ? "" : $" aria-describedby=\"{id}-error\" aria-invalid=\"true\"";
        if (error is not null)
        {
            html.Append(CultureInfo.InvariantCulture, $"<span class=\"field-error\" id=\"{id}-error\"><span class=\"visually-hidden\">Fout: </span>{PageFrame.Encode(error)}</span>");
        }

        var complete = autocomplete is null ? "" : $" autocomplete=\"{autocomplete}\"";
        html.Append(multiline
            ? $"<textarea id=\"{id}\" name=\"{PageFrame.Encode(name)}\" rows=\"5\"{described}>{PageFrame.Encode(value)}</textarea>"
            : $"<input type=\"{type}\" id=\"{id}\" name=\"{PageFrame.Encode(name)}\" value=\"{PageFrame.Encode(value)}\"{complete}{described}>");
        return html.Append("</div>").ToString();
    }
}
