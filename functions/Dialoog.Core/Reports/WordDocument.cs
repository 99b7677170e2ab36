using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace Dialoog.Core.Reports;

/// <summary>
/// A plain Word document built with the Open XML SDK: title, headings (Word's own Heading 1 and 2, so the navigation
/// pane and screen readers see the structure), paragraphs, bullet-like lines, tables and links.
/// </summary>
public sealed class WordDocument
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    private readonly List<OpenXmlElement> _body = [];
    private readonly List<(string Id, Uri Url)> _links = [];

    public WordDocument Title(string text) => Add(Styled("Title", text));

    public WordDocument Heading(string text, int level = 1) => Add(Styled(level == 1 ? "Heading1" : "Heading2", text));

    public WordDocument Paragraph(string text) => Add(new Paragraph(Run(text)));

    /// <summary>A paragraph with a label in bold before the text: "Plaats: Buurthuis".</summary>
    public WordDocument Fact(string label, string text) =>
        Add(new Paragraph(new Run(new RunProperties(new Bold()), new Text(label + ": ") { Space = SpaceProcessingModeValues.Preserve }), Run(text)));

    /// <summary>A paragraph with text followed by a link (the address itself is shown, so it still works on paper).</summary>
    public WordDocument Link(string text, Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var id = "link" + (_links.Count + 1);
        _links.Add((id, url));
        return Add(new Paragraph(
            Run(text + " "),
            new Hyperlink(new Run(new RunProperties(new RunStyle { Val = "Hyperlink" }, new Color { Val = "0563C1" }, new Underline { Val = UnderlineValues.Single }), new Text(url.AbsoluteUri))) { Id = id }));
    }

    /// <summary>A table with a header row; every cell is text.</summary>
    public WordDocument Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(rows);
        var border = new TableBorders(
            new TopBorder { Val = BorderValues.Single, Size = 4 }, new LeftBorder { Val = BorderValues.Single, Size = 4 },
            new BottomBorder { Val = BorderValues.Single, Size = 4 }, new RightBorder { Val = BorderValues.Single, Size = 4 },
            new InsideHorizontalBorder { Val = BorderValues.Single, Size = 4 }, new InsideVerticalBorder { Val = BorderValues.Single, Size = 4 });
        var table = new Table(new TableProperties(new TableWidth { Type = TableWidthUnitValues.Pct, Width = "5000" }, border));
        table.Append(new TableGrid(header.Select(_ => new GridColumn())));
        table.Append(Row(header, bold: true));
        foreach (var row in rows)
        {
            table.Append(Row(row, bold: false));
        }

        return Add(table).Add(new Paragraph());
    }

    public byte[] ToBytes()
    {
        using var stream = new MemoryStream();
        using (var document = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var main = document.AddMainDocumentPart();
            main.Document = new Document(new Body(_body.Select(e => e.CloneNode(true))));
            foreach (var (id, url) in _links)
            {
                main.AddHyperlinkRelationship(url, isExternal: true, id);
            }

            main.AddNewPart<StyleDefinitionsPart>().Styles = Styles();
            main.Document.Save();
        }

        return stream.ToArray();
    }

    private WordDocument Add(OpenXmlElement element)
    {
        _body.Add(element);
        return this;
    }

    private static TableRow Row(IEnumerable<string> cells, bool bold) =>
        new(cells.Select(text => new TableCell(new Paragraph(bold ? new Run(new RunProperties(new Bold()), Text(text)) : Run(text)))));

    private static Paragraph Styled(string style, string text) =>
        new(new ParagraphProperties(new ParagraphStyleId { Val = style }), Run(text));

    private static Run Run(string text) => new(Text(text));

    private static Text Text(string text) => new(text) { Space = SpaceProcessingModeValues.Preserve };

    /// <summary>Word's built-in names, so the headings are real headings in Word, LibreOffice and screen readers.</summary>
    private static Styles Styles() => new(
        new DocDefaults(new RunPropertiesDefault(new RunPropertiesBaseStyle(
            new RunFonts { Ascii = "Calibri", HighAnsi = "Calibri" }, new FontSize { Val = "24" }, new Languages { Val = "nl-NL" }))),
        new Style(new StyleName { Val = "Normal" }) { Type = StyleValues.Paragraph, StyleId = "Normal", Default = true },
        Heading("Title", "Title", "40", 0),
        Heading("Heading1", "heading 1", "32", 1),
        Heading("Heading2", "heading 2", "26", 2),
        new Style(new StyleName { Val = "Hyperlink" }, new StyleRunProperties(new Color { Val = "0563C1" }, new Underline { Val = UnderlineValues.Single }))
        {
            Type = StyleValues.Character,
            StyleId = "Hyperlink",
        });

    private static Style Heading(string id, string name, string size, int outline)
    {
        var paragraph = new StyleParagraphProperties(new KeepNext(), new SpacingBetweenLines { Before = "240", After = "120" });
        if (outline > 0)
        {
            paragraph.Append(new OutlineLevel { Val = outline - 1 });
        }

        return new Style(
            new StyleName { Val = name },
            new BasedOn { Val = "Normal" },
            new NextParagraphStyle { Val = "Normal" },
            paragraph,
            new StyleRunProperties(new Bold(), new FontSize { Val = size }))
        {
            Type = StyleValues.Paragraph,
            StyleId = id,
        };
    }
}
