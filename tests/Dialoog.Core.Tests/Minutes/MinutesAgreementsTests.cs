using System.Text;
using Dialoog.Core.Minutes;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace Dialoog.Core.Tests.Minutes;

/// <summary>
/// Agreements written in the minutes themselves, under a heading such as "Afspraken", are found in every editable
/// format: real files built here (the Open XML SDK for .docx, a zip with content.xml for .odt), checked by
/// <see cref="MinutesContent.Check"/> first as an upload is.
/// </summary>
public sealed class MinutesAgreementsTests
{
    private static readonly ProposedAgreement[] Expected =
    [
        new("Speelplek schetsen", "Anna Jansen", "anna@example.org", new DateOnly(2027, 1, 31)),
        new("Budget navragen bij de wethouder", null, null, null),
    ];

    [Fact]
    public void Markdown_ListUnderAfsprakenHeading_IsProposed_UntilTheNextHeading()
    {
        var md = "# Verslag buurtgesprek\n\nWe spraken over de speelplek.\n\n## Afspraken\n\n"
            + "- Speelplek schetsen; Anna Jansen; anna@example.org; 2027-01-31\n"
            + "- Budget navragen bij de wethouder\n\n## Volgende keer\n\n- Koffie regelen\n";

        Assert.Equal(Expected, Propose("verslag.md", Encoding.UTF8.GetBytes(md)));
    }

    [Fact]
    public void Text_HeadingWithColonAndNumberedList_IsProposed_BlankLineEndsIt()
    {
        var txt = "\uFEFFVerslag 12 maart\r\nAanwezig: Anna, Bram\r\n\r\nAfspraken:\r\n"
            + "1. Speelplek schetsen; Anna Jansen; anna@example.org; 2027-01-31\r\n"
            + "2. Budget navragen bij de wethouder\r\n\r\nDank aan iedereen die er was.\r\n";

        Assert.Equal(Expected, Propose("verslag.txt", Encoding.UTF8.GetBytes(txt)));
    }

    [Fact]
    public void Text_WithoutAgreementsHeading_ProposesNothing() =>
        Assert.Empty(Propose("verslag.txt", Encoding.UTF8.GetBytes("Verslag\n- We spraken af dat Anna schetst\n")));

    [Fact]
    public void Docx_ParagraphsUnderHeadingStyle_AreProposed_UntilTheNextHeading()
    {
        var docx = Docx(
            ("Heading1", "Verslag buurtgesprek"),
            (null, "We spraken over de speelplek."),
            ("Heading2", "Afspraken"),
            ("ListParagraph", "Speelplek schetsen; Anna Jansen; anna@example.org; 2027-01-31"),
            ("ListParagraph", "Budget navragen bij de wethouder"),
            ("Heading2", "Volgende keer"),
            ("ListParagraph", "Koffie regelen"));

        Assert.Equal(Expected, Propose("verslag.docx", docx));
    }

    [Fact]
    public void Odt_ListItemsUnderTextHeading_AreProposed_SpansJoined()
    {
        var content = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
            + "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\"><office:body><office:text>"
            + "<text:h text:outline-level=\"1\">Verslag buurtgesprek</text:h><text:p>We spraken over de speelplek.</text:p>"
            + "<text:h text:outline-level=\"2\">Afspraken</text:h><text:list>"
            + "<text:list-item><text:p><text:span>Speelplek schetsen</text:span>; Anna Jansen; anna@example.org; 2027-01-31</text:p></text:list-item>"
            + "<text:list-item><text:p>Budget navragen<text:s/>bij de wethouder</text:p></text:list-item></text:list>"
            + "<text:h text:outline-level=\"2\">Volgende keer</text:h><text:p>Koffie regelen</text:p>"
            + "</office:text></office:body></office:document-content>";
        var odt = MinutesSamples.Zip(
            ("mimetype", "application/vnd.oasis.opendocument.text"),
            ("META-INF/manifest.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.2\">"
                + "<manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.text\"/></manifest:manifest>"),
            ("content.xml", content));

        Assert.Equal(Expected, Propose("verslag.odt", odt));
    }

    [Fact]
    public void Pdf_IsNotRead_ProposesNothing() =>
        Assert.Empty(MinutesAgreements.Propose(MinutesSamples.Pdf("Afspraken"), MinutesContent.Pdf));

    [Fact]
    public void ProposedLine_IsTheUploadFormsFormat_EmptyFieldsLeftOff()
    {
        Assert.Equal("Speelplek schetsen; Anna Jansen; anna@example.org; 2027-01-31", Expected[0].ToLine());
        Assert.Equal("Budget navragen bij de wethouder", Expected[1].ToLine());
    }

    /// <summary>Checks the file as an upload is checked, then proposes from the type found.</summary>
    private static IReadOnlyList<ProposedAgreement> Propose(string fileName, byte[] content)
    {
        var (type, error) = MinutesContent.Check(fileName, content);
        Assert.True(type is not null, error);
        return MinutesAgreements.Propose(content, type);
    }

    /// <summary>A real Word document made with the Open XML SDK: one paragraph per (style, text).</summary>
    private static byte[] Docx(params (string? Style, string Text)[] paragraphs)
    {
        using var stream = new MemoryStream();
        using (var document = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var main = document.AddMainDocumentPart();
            var body = new Body();
            foreach (var (style, text) in paragraphs)
            {
                var paragraph = new Paragraph(new Run(new Text(text) { Space = SpaceProcessingModeValues.Preserve }));
                if (style is not null)
                {
                    paragraph.PrependChild(new ParagraphProperties(new ParagraphStyleId { Val = style }));
                }

                body.AppendChild(paragraph);
            }

            main.Document = new Document(body);
        }

        return stream.ToArray();
    }
}
