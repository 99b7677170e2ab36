using System.Text;

namespace Dialoog.Core.Email;

/// <summary>One piece of an e-mail. The composer decides the pieces; <see cref="MailLayout"/> writes them as HTML and as text.</summary>
internal abstract record MailBlock;

internal sealed record ParagraphBlock(string Text) : MailBlock;

internal sealed record HeadingBlock(string Text) : MailBlock;

internal sealed record ListBlock(IReadOnlyList<string> Items) : MailBlock;

/// <param name="Mark">"Gaat niet door" or "Gewijzigd", shown next to the title.</param>
internal sealed record SessionBlock(string Title, string? Mark, IReadOnlyList<SessionRow> Rows) : MailBlock;

/// <param name="Url">When set, <paramref name="Value"/> is the text of a link to this address.</param>
internal sealed record SessionRow(string Label, string Value, string? Url = null);

internal sealed record LinksBlock(IReadOnlyList<LinkItem> Links) : MailBlock;

internal sealed record LinkItem(string Label, string Url);

/// <summary>"{Lead} {Name}, {Email}." with the address as a mailto link.</summary>
internal sealed record ContactBlock(string Lead, string Name, string Email) : MailBlock;

internal sealed record SignatureBlock(string Closing, string Name) : MailBlock;

/// <summary>
/// Writes blocks as simple, accessible HTML (inline styles because mail clients drop style sheets, real links, no
/// images, high contrast, a lang attribute, and dir="rtl" for a right-to-left language) and as plain text with the
/// same content.
/// </summary>
internal static class MailLayout
{
    // Near-black on white and white on dark blue: both far above the WCAG AAA contrast ratio of 7:1.
    private const string BodyStyle = "margin:0;padding:0;background-color:#ffffff;color:#1a1a1a;font-family:Arial,Helvetica,sans-serif;font-size:17px;line-height:1.5;";
    private const string PageStyle = "max-width:600px;margin:0 auto;padding:24px 16px;";
    private const string ParagraphStyle = "margin:0 0 16px 0;";
    private const string HeadingStyle = "margin:24px 0 8px 0;font-size:19px;font-weight:bold;color:#1a1a1a;";
    private const string SessionStyle = "margin:0 0 16px 0;padding:12px 16px;border-left:4px solid #0b4f8a;background-color:#f3f6fa;";
    private const string ButtonStyle = "display:inline-block;margin:0 8px 8px 0;padding:12px 20px;background-color:#0b4f8a;color:#ffffff;font-weight:bold;text-decoration:underline;border-radius:4px;";
    private const string TextLinkStyle = "color:#0b4f8a;text-decoration:underline;";

    /// <param name="rightToLeft">Arabic: the page reads from the right, so borders, indents and gaps change sides.</param>
    public static string Html(string language, bool rightToLeft, string subject, IEnumerable<MailBlock> blocks)
    {
        var dir = rightToLeft ? " dir=\"rtl\"" : "";
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n")
            .Append("<html lang=\"").Append(Encode(language)).Append('"').Append(dir).Append(">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(Encode(subject)).Append("</title>\n</head>\n")
            .Append("<body style=\"").Append(BodyStyle).Append("\">\n")
            .Append("<div role=\"article\" aria-label=\"").Append(Encode(subject)).Append("\" lang=\"").Append(Encode(language))
            .Append('"').Append(dir).Append(" style=\"").Append(PageStyle).Append("\">\n");
        foreach (var block in blocks)
        {
            AppendHtml(html, block, rightToLeft);
        }

        html.Append("</div>\n</body>\n</html>\n");
        return html.ToString();
    }

    public static string Text(IEnumerable<MailBlock> blocks)
    {
        var text = new StringBuilder();
        foreach (var block in blocks)
        {
            AppendText(text, block);
            text.Append('\n');
        }

        return text.ToString().TrimEnd('\n') + "\n";
    }

    /// <summary>HTML-encodes text for element content and quoted attribute values.</summary>
    public static string Encode(string value)
    {
        var encoded = new StringBuilder(value.Length + 16);
        foreach (var c in value)
        {
            encoded.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => c.ToString(),
            });
        }

        return encoded.ToString();
    }

    private static void AppendHtml(StringBuilder html, MailBlock block, bool rightToLeft)
    {
        string Sided(string style) => rightToLeft ? Mirror(style) : style;

        switch (block)
        {
            case ParagraphBlock paragraph:
                html.Append("<p style=\"").Append(ParagraphStyle).Append("\">").Append(WithLineBreaks(paragraph.Text)).Append("</p>\n");
                break;
            case HeadingBlock heading:
                html.Append("<h2 style=\"").Append(HeadingStyle).Append("\">").Append(Encode(heading.Text)).Append("</h2>\n");
                break;
            case ListBlock list:
                html.Append("<ul style=\"").Append(ParagraphStyle).Append(Sided("padding-left:24px;")).Append("\">\n");
                foreach (var item in list.Items)
                {
                    html.Append("<li>").Append(Encode(item)).Append("</li>\n");
                }

                html.Append("</ul>\n");
                break;
            case SessionBlock session:
                html.Append("<div style=\"").Append(Sided(SessionStyle)).Append("\">\n<p style=\"margin:0 0 4px 0;\"><strong>")
                    .Append(Encode(session.Title)).Append("</strong>");
                if (session.Mark is { } mark)
                {
                    html.Append(" <strong style=\"color:#a30000;\">(").Append(Encode(mark)).Append(")</strong>");
                }

                html.Append("</p>\n");
                foreach (var row in session.Rows)
                {
                    html.Append("<p style=\"margin:0;\">").Append(Encode(row.Label)).Append(": ");
                    html.Append(row.Url is { } url ? Anchor(url, row.Value, TextLinkStyle) : Encode(row.Value));
                    html.Append("</p>\n");
                }

                html.Append("</div>\n");
                break;
            case LinksBlock links:
                html.Append("<p style=\"").Append(ParagraphStyle).Append("\">\n");
                foreach (var link in links.Links)
                {
                    html.Append(Anchor(link.Url, link.Label, Sided(ButtonStyle))).Append('\n');
                }

                html.Append("</p>\n");
                break;
            case ContactBlock contact:
                html.Append("<p style=\"").Append(ParagraphStyle).Append("\">").Append(Encode(contact.Lead)).Append(' ')
                    .Append(Encode(contact.Name)).Append(", ")
                    .Append(Anchor("mailto:" + contact.Email, contact.Email, TextLinkStyle)).Append(".</p>\n");
                break;
            case SignatureBlock signature:
                html.Append("<p style=\"").Append(ParagraphStyle).Append("\">").Append(Encode(signature.Closing)).Append("<br>")
                    .Append(Encode(signature.Name)).Append("</p>\n");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(block), block.GetType().Name, "Unknown mail block.");
        }
    }

    private static void AppendText(StringBuilder text, MailBlock block)
    {
        switch (block)
        {
            case ParagraphBlock paragraph:
                text.Append(paragraph.Text).Append('\n');
                break;
            case HeadingBlock heading:
                text.Append(heading.Text).Append('\n').Append(new string('-', heading.Text.Length)).Append('\n');
                break;
            case ListBlock list:
                foreach (var item in list.Items)
                {
                    text.Append("- ").Append(item).Append('\n');
                }

                break;
            case SessionBlock session:
                text.Append(session.Title);
                if (session.Mark is { } mark)
                {
                    text.Append(" (").Append(mark).Append(')');
                }

                text.Append('\n');
                foreach (var row in session.Rows)
                {
                    // In text there is no link to hide the address behind: show the address itself.
                    text.Append(row.Label).Append(": ").Append(row.Url ?? row.Value).Append('\n');
                }

                break;
            case LinksBlock links:
                foreach (var link in links.Links)
                {
                    text.Append(link.Label).Append(":\n").Append(link.Url).Append('\n');
                }

                break;
            case ContactBlock contact:
                text.Append(contact.Lead).Append(' ').Append(contact.Name).Append(", ").Append(contact.Email).Append(".\n");
                break;
            case SignatureBlock signature:
                text.Append(signature.Closing).Append('\n').Append(signature.Name).Append('\n');
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(block), block.GetType().Name, "Unknown mail block.");
        }
    }

    /// <summary>The same style for a page that reads from the right: left and right swap.</summary>
    private static string Mirror(string style) => style
        .Replace("border-left", "border-right", StringComparison.Ordinal)
        .Replace("padding-left", "padding-right", StringComparison.Ordinal)
        .Replace("margin:0 8px 8px 0;", "margin:0 0 8px 8px;", StringComparison.Ordinal);

    private static string Anchor(string url, string label, string style) =>
        $"<a href=\"{Encode(url)}\" style=\"{style}\">{Encode(label)}</a>";

    /// <summary>Free text (a description, a note) keeps its line breaks.</summary>
    private static string WithLineBreaks(string text) =>
        Encode(text).ReplaceLineEndings("<br>\n");
}
