using System.Buffers.Binary;
using System.Text;
using Dialoog.Core.Minutes;

namespace Dialoog.Core.Tests.Minutes;

public sealed class MinutesContentTests
{
    private const string NotAllowed = "Dit bestand is geen PDF, Word (.docx), OpenDocument (.odt) of tekstbestand.";

    [Fact]
    public void Check_RealPdf_IsPdf()
    {
        var (type, error) = MinutesContent.Check("notulen.pdf", MinutesSamples.Pdf());

        Assert.Null(error);
        Assert.Same(MinutesContent.Pdf, type);
        Assert.Equal("application/pdf", type!.ContentType);
        Assert.Equal(".pdf", type.Extension);
    }

    [Fact]
    public void Check_DocxBuiltWithZipArchive_IsWord()
    {
        var (type, error) = MinutesContent.Check("Notulen 5 maart.DOCX", MinutesSamples.Docx());

        Assert.Null(error);
        Assert.Same(MinutesContent.Docx, type);
        Assert.Equal("application/vnd.openxmlformats-officedocument.wordprocessingml.document", type!.ContentType);
    }

    [Fact]
    public void Check_OdtBuiltWithZipArchive_IsOpenDocumentText()
    {
        var (type, error) = MinutesContent.Check("notulen.odt", MinutesSamples.Odt());

        Assert.Null(error);
        Assert.Same(MinutesContent.Odt, type);
        Assert.Equal("application/vnd.oasis.opendocument.text", type!.ContentType);
    }

    [Theory]
    [InlineData("notulen.txt", "text/plain; charset=utf-8", ".txt")]
    [InlineData("notulen.md", "text/markdown; charset=utf-8", ".md")]
    [InlineData("notulen.markdown", "text/markdown; charset=utf-8", ".md")]
    [InlineData("notulen", "text/plain; charset=utf-8", ".txt")]
    public void Check_Utf8Text_IsTextOrMarkdownByExtension(string name, string contentType, string extension)
    {
        var (type, error) = MinutesContent.Check(name, MinutesSamples.Text("# Verslag\n\n- Afspraak één: café opknappen\n"));

        Assert.Null(error);
        Assert.Equal(contentType, type!.ContentType);
        Assert.Equal(extension, type.Extension);
    }

    [Fact]
    public void Check_TextWithUtf8Bom_IsText()
    {
        var (type, error) = MinutesContent.Check("notulen.txt", (byte[])[0xEF, 0xBB, 0xBF, .. MinutesSamples.Text()]);

        Assert.Null(error);
        Assert.Same(MinutesContent.Text, type);
    }

    [Fact]
    public void Check_NameWithoutExtension_TakesTheTypeFromTheContent()
    {
        Assert.Same(MinutesContent.Pdf, MinutesContent.Check("notulen", MinutesSamples.Pdf()).Type);
        Assert.Same(MinutesContent.Docx, MinutesContent.Check("notulen", MinutesSamples.Docx()).Type);
    }

    /// <summary>Name, content, and how the message starts: what the name claims, then what the file really is.</summary>
    public static TheoryData<string, byte[], string> Disguised() => new()
    {
        { "notulen.pdf", MinutesSamples.PlainZip(), "Dit bestand heet 'notulen.pdf', maar het is geen PDF. Het is een ZIP-bestand" },
        { "notulen.pdf", MinutesSamples.Exe(), "Dit bestand heet 'notulen.pdf', maar het is geen PDF. Het is een programma." },
        { "notulen.pdf", MinutesSamples.Docx(), "Dit bestand heet 'notulen.pdf', maar het is een Word-bestand (.docx), geen PDF." },
        { "notulen.docx", MinutesSamples.Odt(), "Dit bestand heet 'notulen.docx', maar het is een OpenDocument-bestand (.odt), geen Word-bestand (.docx)." },
        { "notulen.txt", MinutesSamples.Pdf(), "Dit bestand heet 'notulen.txt', maar het is een PDF, geen tekstbestand." },
        { "notulen.html", MinutesSamples.Pdf(), "Dit bestand heet 'notulen.html', maar het is een PDF, geen .html-bestand." },
        { "setup.exe", MinutesSamples.Exe(), NotAllowed + " Het is een programma." },
    };

    [Theory]
    [MemberData(nameof(Disguised))]
    public void Check_NameThatDoesNotFitTheContent_IsRefusedSayingWhatItReallyIs(string name, byte[] content, string expected)
    {
        var (type, error) = MinutesContent.Check(name, content);

        Assert.Null(type);
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_DocxRenamedToPdf_SaysWhichExtensionFits()
    {
        var (_, error) = MinutesContent.Check("notulen.pdf", MinutesSamples.Docx());

        Assert.Contains("eindigend op .docx", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_TextWithNul_IsRefused()
    {
        var (type, error) = MinutesContent.Check("notulen.txt", Encoding.UTF8.GetBytes("Verslag\0bijeenkomst"));

        Assert.Null(type);
        Assert.Contains("tekens in die niet in een tekstbestand horen", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Verslag\u0007bijeenkomst")] // bell
    [InlineData("Verslag\u001Bbijeenkomst")] // escape
    [InlineData("Verslag\u007Fbijeenkomst")] // delete
    [InlineData("Verslag\u0085bijeenkomst")] // C1 next line
    [InlineData("Verslag\fbijeenkomst")] // form feed
    public void Check_TextWithOtherControlCharacters_IsRefused(string text)
    {
        var (type, error) = MinutesContent.Check("notulen.md", Encoding.UTF8.GetBytes(text));

        Assert.Null(type);
        Assert.Contains("tekens in die niet in een tekstbestand horen", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_TextInWindows1252_AsksForUtf8()
    {
        // "café" in Windows-1252: é is the single byte E9, which is not UTF-8.
        var (type, error) = MinutesContent.Check("notulen.txt", (byte[])[.. "caf"u8, 0xE9, .. "\r\n"u8]);

        Assert.Null(type);
        Assert.Contains("niet opgeslagen als UTF-8", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_TextInUtf16_AsksForUtf8()
    {
        var (type, error) = MinutesContent.Check("notulen.txt", Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("Verslag")).ToArray());

        Assert.Null(type);
        Assert.Contains("UTF-16", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_OldWordDocument_SaysItIsAnOldOfficeFile()
    {
        byte[] doc = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0x00, 0x00, 0x3E, 0x00];

        var (type, error) = MinutesContent.Check("notulen.doc", doc);

        Assert.Null(type);
        Assert.StartsWith(NotAllowed + " Het lijkt een oud Office-bestand", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void Check_Empty_SaysTheFileIsEmpty(int bomLength)
    {
        byte[] bom = [0xEF, 0xBB, 0xBF];

        var (type, error) = MinutesContent.Check("notulen.txt", bom.AsMemory(0, bomLength));

        Assert.Null(type);
        Assert.StartsWith("Het bestand is leeg.", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_OneByteOverTheLimit_IsTooLarge()
    {
        var content = new byte[MinutesContent.MaxBytes + 1];
        MinutesSamples.Pdf().CopyTo(content, 0);

        var (type, error) = MinutesContent.Check("notulen.pdf", content);

        Assert.Null(type);
        Assert.Equal(MinutesContent.TooLarge, error);
        Assert.Contains("groter dan 20 MB", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ExactlyAtTheLimit_IsAccepted()
    {
        var content = new byte[MinutesContent.MaxBytes];
        MinutesSamples.Pdf().CopyTo(content, 0);

        Assert.Same(MinutesContent.Pdf, MinutesContent.Check("notulen.pdf", content).Type);
    }

    [Fact]
    public void Check_MacroEnabledWordDocumentRenamedToDocx_IsRefused()
    {
        var docm = MinutesSamples.Docx("application/vnd.ms-word.document.macroEnabled.main+xml");

        var (type, error) = MinutesContent.Check("notulen.docx", docm);

        Assert.Null(type);
        Assert.Contains("macro's", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_OpenDocumentSpreadsheetRenamedToOdt_IsRefused()
    {
        var ods = MinutesSamples.Odt("application/vnd.oasis.opendocument.spreadsheet");

        var (type, error) = MinutesContent.Check("notulen.odt", ods);

        Assert.Null(type);
        Assert.Contains("geen tekstdocument", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ZipWithTooManyEntries_IsRefusedWithoutUnpacking()
    {
        var entries = Enumerable.Range(0, 2_001).Select(i => ($"deel{i}.xml", "x")).ToArray();

        var (type, error) = MinutesContent.Check("notulen.docx", MinutesSamples.Zip(entries));

        Assert.Null(type);
        Assert.Contains("uitgepakt veel te groot", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ZipClaimingHugeUnpackedSize_IsRefusedWithoutUnpacking()
    {
        var docx = MinutesSamples.Docx();
        // Central directory headers (PK\x01\x02) hold the uncompressed size at offset 24: claim almost 4 GB for each.
        for (var i = 0; i + 28 <= docx.Length; i++)
        {
            if (docx.AsSpan(i, 4).SequenceEqual("PK\x01\x02"u8))
            {
                BinaryPrimitives.WriteUInt32LittleEndian(docx.AsSpan(i + 24), 0xF0000000);
            }
        }

        var (type, error) = MinutesContent.Check("notulen.docx", docx);

        Assert.Null(type);
        Assert.Contains("uitgepakt veel te groot", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_DocxWithOversizedContentTypesPart_IsNotTakenForWord()
    {
        var padding = new string(' ', 300 * 1024);
        var docx = MinutesSamples.Zip(
            ("[Content_Types].xml", "<Types>wordprocessingml.document.main+xml" + padding + "</Types>"),
            ("word/document.xml", "<w:document/>"));

        var (type, error) = MinutesContent.Check("notulen.docx", docx);

        Assert.Null(type);
        Assert.NotNull(error);
    }

    [Fact]
    public void Check_TruncatedZip_IsRefusedAsDamaged()
    {
        var docx = MinutesSamples.Docx();

        var (type, error) = MinutesContent.Check("notulen.docx", docx.AsMemory(0, docx.Length / 2));

        Assert.Null(type);
        Assert.Contains("beschadigd", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Detect_UnknownBinary_StartsWithWhatIsAllowed()
    {
        var (type, error) = MinutesContent.Detect(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0 });

        Assert.Null(type);
        Assert.StartsWith(NotAllowed, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Detect_TextThatHappensToStartWithMZ_IsText()
    {
        Assert.Same(MinutesContent.Text, MinutesContent.Detect(Encoding.UTF8.GetBytes("MZ-overleg: verslag")).Type);
    }
}
