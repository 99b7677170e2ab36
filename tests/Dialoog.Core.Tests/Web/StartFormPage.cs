using System.Net;
using System.Text.RegularExpressions;

namespace Dialoog.Core.Tests.Web;

/// <summary>
/// Reads the start form's fields out of the page as a browser would submit them untouched: text fields with their
/// value, ticked boxes and chosen radios only, the selected option of each list, and the text of each text area.
/// </summary>
internal static partial class StartFormPage
{
    public static Dictionary<string, string> Fields(string html)
    {
        var start = html.IndexOf("<form method=\"post\" action=\"/\" enctype", StringComparison.Ordinal);
        var form = html[start..html.IndexOf("</form>", start, StringComparison.Ordinal)];
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match input in Input().Matches(form))
        {
            var tag = input.Value;
            var type = Attribute(tag, "type") ?? "text";
            if (Attribute(tag, "name") is not { } name || type == "file" || ((type is "checkbox" or "radio") && !Checked().IsMatch(tag)))
            {
                continue;
            }

            fields[name] = Attribute(tag, "value") ?? "";
        }

        foreach (Match area in TextArea().Matches(form))
        {
            fields[WebUtility.HtmlDecode(area.Groups["name"].Value)] = WebUtility.HtmlDecode(area.Groups["text"].Value);
        }

        foreach (Match select in Select().Matches(form))
        {
            var options = Option().Matches(select.Groups["options"].Value);
            var chosen = options.FirstOrDefault(o => Selected().IsMatch(o.Value)) ?? options.First();
            fields[WebUtility.HtmlDecode(select.Groups["name"].Value)] = Attribute(chosen.Value, "value") ?? "";
        }

        return fields;
    }

    private static string? Attribute(string tag, string name)
    {
        var match = Regex.Match(tag, $"\\s{name}=\"(?<value>[^\"]*)\"", RegexOptions.None, TimeSpan.FromSeconds(1));
        return match.Success ? WebUtility.HtmlDecode(match.Groups["value"].Value) : null;
    }

    [GeneratedRegex("<input\\b[^>]*>")]
    private static partial Regex Input();

    [GeneratedRegex("\\schecked(=\"checked\")?[\\s>]")]
    private static partial Regex Checked();

    [GeneratedRegex("<textarea\\b[^>]*\\sname=\"(?<name>[^\"]*)\"[^>]*>(?<text>[^<]*)</textarea>")]
    private static partial Regex TextArea();

    [GeneratedRegex("<select\\b[^>]*\\sname=\"(?<name>[^\"]*)\"[^>]*>(?<options>.*?)</select>", RegexOptions.Singleline)]
    private static partial Regex Select();

    [GeneratedRegex("<option\\b[^>]*>")]
    private static partial Regex Option();

    [GeneratedRegex("\\sselected(=\"selected\")?[\\s>]")]
    private static partial Regex Selected();
}
