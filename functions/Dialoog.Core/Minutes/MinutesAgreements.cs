using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace Dialoog.Core.Minutes;

/// <summary>
/// An agreement found in the minutes file, to propose to the facilitator; nothing is added until they confirm. Fields
/// the line did not give are null, for the facilitator to fill in.
/// </summary>
public sealed record ProposedAgreement(string Title, string? OwnerName, string? OwnerEmail, DateOnly? DueDate)
{
    /// <summary>The upload form's line format: <c>titel; naam; e-mail; jjjj-mm-dd</c>, empty fields left empty.</summary>
    public string ToLine() =>
        string.Join("; ", Title, OwnerName ?? "", OwnerEmail ?? "", DueDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "").TrimEnd(' ', ';');
}

/// <summary>
/// Finds the list under a heading such as "Afspraken" in uploaded minutes (.docx, .odt, .txt, .md), so the facilitator
/// does not type the agreements twice. Reads only: a file it cannot read gives no proposal, never an error, because the
/// upload itself was already checked by <see cref="MinutesContent"/>.
/// </summary>
public static class MinutesAgreements
{
    /// <summary>At most this many lines are proposed: the upload form takes no more agreements at once.</summary>
    public const int MaxProposed = 50;

    /// <summary>Headings that open the agreements list (compared without case, trailing colon or markdown marks).</summary>
    private static readonly string[] Headings = ["afspraken", "gemaakte afspraken", "actiepunten", "acties", "afspraken en acties", "actielijst"];

    /// <summary>Largest content.xml of an .odt we read; larger is no ordinary minutes text.</summary>
    private const long MaxOdtContentBytes = 20L * 1024 * 1024;

    private sealed record Line(string Text, bool IsHeading);

    /// <summary>For a file that passed <see cref="MinutesContent.Check"/>: its type again, then the proposal.</summary>
    public static IReadOnlyList<ProposedAgreement> Propose(string fileName, ReadOnlyMemory<byte> content) =>
        MinutesContent.Check(fileName, content).Type is { } type ? Propose(content, type) : [];

    public static IReadOnlyList<ProposedAgreement> Propose(ReadOnlyMemory<byte> content, MinutesFileType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        try
        {
            var lines = type.Extension switch
            {
                ".docx" => DocxLines(content),
                ".odt" => OdtLines(content),
                ".txt" or ".md" => TextLines(content),
                _ => [],
            };
            return FromLines(lines);
        }
        catch (Exception e) when (e is InvalidDataException or XmlException or OpenXmlPackageException or IOException or FormatException)
        {
            return [];
        }
    }

    private static List<ProposedAgreement> FromLines(IReadOnlyList<Line> lines)
    {
        var found = new List<ProposedAgreement>();
        var inList = false;
        foreach (var line in lines)
        {
            var text = line.Text.Trim();
            if (IsAgreementsHeading(text, line.IsHeading))
            {
                inList = true;
                continue;
            }

            if (!inList)
            {
                continue;
            }

            // The list ends at the next heading (markdown '#', a Word or OpenDocument heading, or a short line ending in ':').
            if (line.IsHeading || text.StartsWith('#') || (text.EndsWith(':') && !text.Contains(';', StringComparison.Ordinal)))
            {
                break;
            }

            // A blank line after the first item ends the list; blank lines between the heading and the list do not.
            if (text.Length == 0 && found.Count > 0)
            {
                break;
            }

            if (text.Length == 0 || found.Count >= MaxProposed)
            {
                continue;
            }

            if (Parse(StripBullet(text)) is { } agreement)
            {
                found.Add(agreement);
            }
        }

        return found;
    }

    private static bool IsAgreementsHeading(string text, bool isHeading)
    {
        var bare = text.TrimStart('#', ' ', '*', '_').TrimEnd(':', ' ', '*', '_').Trim();
        var plainLineHeading = isHeading || text.StartsWith('#') || text.EndsWith(':') || bare.Length == text.Length;
        return plainLineHeading && Headings.Contains(bare.ToLowerInvariant());
    }

    /// <summary>"- ", "* ", "• ", "1. ", "2) " and "[ ] " at the start of a list item.</summary>
    private static string StripBullet(string text)
    {
        var rest = text;
        if (rest.Length > 1 && rest[0] is '-' or '*' or '•' or '–' or '+' && rest[1] == ' ')
        {
            rest = rest[2..];
        }
        else
        {
            var digits = 0;
            while (digits < rest.Length && char.IsAsciiDigit(rest[digits]))
            {
                digits++;
            }

            if (digits > 0 && digits < rest.Length - 1 && rest[digits] is '.' or ')' && rest[digits + 1] == ' ')
            {
                rest = rest[(digits + 2)..];
            }
        }

        rest = rest.TrimStart();
        return rest.StartsWith("[ ] ", StringComparison.Ordinal) || rest.StartsWith("[x] ", StringComparison.OrdinalIgnoreCase) ? rest[4..].Trim() : rest.Trim();
    }

    /// <summary>A line as the upload form takes it (<c>wat; wie; e-mail; datum</c>) or just a title; the rest stays open.</summary>
    private static ProposedAgreement? Parse(string text)
    {
        var parts = text.Split(';', StringSplitOptions.TrimEntries);
        var title = parts[0];
        if (title.Length == 0)
        {
            return null;
        }

        string? owner = null, email = null;
        DateOnly? due = null;
        foreach (var part in parts.Skip(1).Where(p => p.Length > 0))
        {
            if (part.Contains('@', StringComparison.Ordinal) && email is null)
            {
                email = part;
            }
            else if (DateOnly.TryParseExact(part, ["yyyy-MM-dd", "d-M-yyyy", "d/M/yyyy"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) && due is null)
            {
                due = date;
            }
            else
            {
                owner ??= part;
            }
        }

        return new ProposedAgreement(title, owner, email, due);
    }

    private static List<Line> TextLines(ReadOnlyMemory<byte> content) =>
        new UTF8Encoding(false, false).GetString(content.Span).TrimStart('\uFEFF')
            .Split('\n')
            .Select(l => new Line(l.TrimEnd('\r'), false))
            .ToList();

    private static List<Line> DocxLines(ReadOnlyMemory<byte> content)
    {
        using var stream = new MemoryStream(content.ToArray(), writable: false);
        using var document = WordprocessingDocument.Open(stream, false);
        var body = document.MainDocumentPart?.Document?.Body;
        if (body is null)
        {
            return [];
        }

        return body.Descendants<Paragraph>()
            .Select(p => new Line(
                string.Concat(p.Descendants<Text>().Select(t => t.Text)),
                p.ParagraphProperties?.ParagraphStyleId?.Val?.Value is { } style
                    && (style.StartsWith("Heading", StringComparison.OrdinalIgnoreCase) || style.StartsWith("Kop", StringComparison.OrdinalIgnoreCase)
                        || style.Equals("Title", StringComparison.OrdinalIgnoreCase))))
            .ToList();
    }

    /// <summary>An .odt is a zip; its text is content.xml, headings are <c>text:h</c>, paragraphs and list items <c>text:p</c>.</summary>
    private static List<Line> OdtLines(ReadOnlyMemory<byte> content)
    {
        using var stream = new MemoryStream(content.ToArray(), writable: false);
        using var zip = new ZipArchive(stream, ZipArchiveMode.Read);
        if (zip.GetEntry("content.xml") is not { } entry || entry.Length > MaxOdtContentBytes)
        {
            return [];
        }

        const string textNs = "urn:oasis:names:tc:opendocument:xmlns:text:1.0";
        using var xml = XmlReader.Create(entry.Open(), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
        var lines = new List<Line>();
        while (xml.Read())
        {
            if (xml.NodeType == XmlNodeType.Element && xml.NamespaceURI == textNs && xml.LocalName is "h" or "p")
            {
                var heading = xml.LocalName == "h";
                lines.Add(new Line(ReadText(xml), heading));
            }
        }

        return lines;
    }

    /// <summary>The text of one <c>text:h</c> or <c>text:p</c>, spans and all; the reader ends on its end tag.</summary>
    private static string ReadText(XmlReader xml)
    {
        if (xml.IsEmptyElement)
        {
            return "";
        }

        var text = new StringBuilder();
        var depth = xml.Depth;
        while (xml.Read() && !(xml.NodeType == XmlNodeType.EndElement && xml.Depth == depth))
        {
            if (xml.NodeType is XmlNodeType.Text or XmlNodeType.SignificantWhitespace or XmlNodeType.Whitespace)
            {
                text.Append(xml.Value);
            }
            else if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "s")
            {
                text.Append(' ');
            }
        }

        return text.ToString();
    }
}
