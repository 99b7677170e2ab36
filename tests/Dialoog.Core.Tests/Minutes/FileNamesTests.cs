using Dialoog.Core.Minutes;

namespace Dialoog.Core.Tests.Minutes;

public sealed class FileNamesTests
{
    [Theory]
    [InlineData("notulen.pdf", "notulen.pdf")]
    [InlineData("  Notulen 5 maart.docx  ", "Notulen 5 maart.docx")]
    [InlineData(@"C:\Users\jan\Documenten\notulen.pdf", "notulen.pdf")]
    [InlineData("/home/jan/notulen.odt", "notulen.odt")]
    [InlineData(@"mixed/path\to\notulen.md", "notulen.md")]
    [InlineData("notulen.pdf. ", "notulen.pdf")]
    [InlineData("Verslag café 't Hoekje.txt", "Verslag café 't Hoekje.txt")]
    [InlineData("console.pdf", "console.pdf")]
    public void Clean_UsableName_ReturnsTheLastPartTrimmed(string input, string expected)
    {
        var (name, error) = FileNames.Clean(input);

        Assert.Null(error);
        Assert.Equal(expected, name);
    }

    [Fact]
    public void Clean_DecomposedAccents_AreComposed()
    {
        // macOS sends "é" as "e" plus a combining accent.
        var (name, _) = FileNames.Clean("cafe\u0301.pdf");

        Assert.Equal("caf\u00E9.pdf", name);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("map/")]
    [InlineData(@"C:\Users\jan\")]
    [InlineData(".pdf")]
    [InlineData("...")]
    public void Clean_NoName_IsRefused(string? input)
    {
        var (name, error) = FileNames.Clean(input);

        Assert.Null(name);
        Assert.NotNull(error);
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData(@"..\..\Windows\notulen.pdf")]
    [InlineData("notulen..pdf")]
    [InlineData("..")]
    public void Clean_TwoDots_AreRefused(string input)
    {
        var (name, error) = FileNames.Clean(input);

        Assert.Null(name);
        Assert.Contains("twee punten", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("notulen\0.pdf")]
    [InlineData("notulen\n.pdf")]
    [InlineData("notulen\r\nContent-Type: text/html.pdf")]
    [InlineData("notulen\t.pdf")]
    [InlineData("notulen\u007F.pdf")]
    [InlineData("notulen\u0085.pdf")]
    [InlineData("notulen\u202Efdp.exe")] // right-to-left override: shows as "notulenexe.pdf"
    [InlineData("notulen\u2066.pdf")]
    [InlineData("notulen\u2028.pdf")]
    public void Clean_InvisibleCharacters_AreRefused(string input)
    {
        var (name, error) = FileNames.Clean(input);

        Assert.Null(name);
        Assert.Contains("onzichtbaar teken", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CON")]
    [InlineData("con.pdf")]
    [InlineData("Nul.txt")]
    [InlineData("aux.docx")]
    [InlineData("PRN.md")]
    [InlineData("COM1.pdf")]
    [InlineData("lpt9.odt")]
    [InlineData(@"C:\temp\CON .pdf")]
    public void Clean_ReservedDeviceNames_AreRefused(string input)
    {
        var (name, error) = FileNames.Clean(input);

        Assert.Null(name);
        Assert.Contains("kan niet als bestandsnaam", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Clean_LongestAllowedName_IsAccepted()
    {
        var input = new string('a', FileNames.MaxLength - 4) + ".pdf";

        Assert.Equal(input, FileNames.Clean(input).Name);
    }

    [Fact]
    public void Clean_OneCharacterTooLong_IsRefused()
    {
        var (name, error) = FileNames.Clean(new string('a', FileNames.MaxLength - 3) + ".pdf");

        Assert.Null(name);
        Assert.Equal("De naam van het bestand is te lang: 121 tekens. Gebruik hoogstens 120 tekens.", error);
    }

    [Fact]
    public void Clean_LongPathWithShortName_CountsOnlyTheName()
    {
        var input = string.Concat(Enumerable.Repeat("map/", 100)) + "notulen.pdf";

        Assert.Equal("notulen.pdf", FileNames.Clean(input).Name);
    }
}
