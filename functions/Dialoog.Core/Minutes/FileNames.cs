using System.Globalization;
using System.Text;

namespace Dialoog.Core.Minutes;

/// <summary>
/// Makes an uploaded file name safe to store, show and offer for download. The name is only a label: blobs are named
/// by process, session and version, never by what the uploader sent.
/// </summary>
public static class FileNames
{
    public const int MaxLength = 120;

    // Windows refuses these as a file's base name, whatever the extension ("con.pdf" included).
    private static readonly HashSet<string> ReservedNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
        "COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "COM¹", "COM²", "COM³",
        "LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9", "LPT¹", "LPT²", "LPT³",
    };

    /// <summary>
    /// The last part of <paramref name="fileName"/> after any <c>/</c> or <c>\</c> (browsers may send a whole path),
    /// trimmed and in Unicode NFC, or a Dutch message why it cannot be used: empty, longer than <see cref="MaxLength"/>,
    /// containing <c>..</c>, a control character or a direction mark (which can make "rapport‮fdp.exe" look like a PDF), or a
    /// name Windows reserves (<c>CON</c>, <c>NUL</c>, <c>COM1</c>…).
    /// </summary>
    public static (string? Name, string? Error) Clean(string? fileName)
    {
        if (string.IsNullOrWhiteSpace(fileName))
        {
            return (null, "Het bestand heeft geen naam. Geef het een naam, bijvoorbeeld notulen.pdf, en probeer het opnieuw.");
        }

        if (fileName.Any(IsInvisible))
        {
            return (null, "De naam van het bestand bevat een onzichtbaar teken. Geef het bestand een gewone naam, bijvoorbeeld notulen.pdf.");
        }

        if (fileName.Contains("..", StringComparison.Ordinal))
        {
            return (null, "De naam van het bestand mag geen twee punten achter elkaar (..) bevatten. Geef het bestand een gewone naam, bijvoorbeeld notulen.pdf.");
        }

        var name = fileName[(fileName.LastIndexOfAny(['/', '\\']) + 1)..];
        // Windows drops trailing dots and spaces; doing the same here keeps "notulen.pdf " from having no extension.
        name = name.Trim().TrimEnd('.', ' ');
        if (name.IsNormalized(NormalizationForm.FormC) is false)
        {
            name = name.Normalize(NormalizationForm.FormC);
        }

        if (name.Length == 0 || name.StartsWith('.'))
        {
            return (null, "Het bestand heeft geen naam. Geef het een naam, bijvoorbeeld notulen.pdf, en probeer het opnieuw.");
        }

        if (name.Length > MaxLength)
        {
            return (null, $"De naam van het bestand is te lang: {name.Length} tekens. Gebruik hoogstens {MaxLength} tekens.");
        }

        var baseName = name.Split('.')[0].TrimEnd();
        if (ReservedNames.Contains(baseName))
        {
            return (null, $"De naam '{baseName}' kan niet als bestandsnaam worden gebruikt. Geef het bestand een andere naam, bijvoorbeeld notulen.pdf.");
        }

        return (name, null);
    }

    /// <summary>The extension in lower case with its dot (<c>.pdf</c>), or empty when there is none.</summary>
    public static string Extension(string fileName) => Path.GetExtension(fileName).ToLowerInvariant();

    private static bool IsInvisible(char c) =>
        char.IsControl(c)
        || c is '\u200E' or '\u200F' or '\u061C'
        || c is >= '\u202A' and <= '\u202E'
        || c is >= '\u2066' and <= '\u2069'
        || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
}
