using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Unicode;

namespace Dialoog.Core.Minutes;

/// <summary>A kind of file the minutes may be: its MIME type, the extension we give it, and what the uploader calls it.</summary>
/// <param name="Extensions">Extensions an uploaded name may have for this kind; the first is the canonical one.</param>
public sealed record MinutesFileType(string ContentType, string Extension, string Label, IReadOnlyList<string> Extensions);

/// <summary>
/// Which minutes files we accept, decided from the bytes and not from the name: PDF, Word (.docx), OpenDocument text
/// (.odt), and plain text or Markdown in UTF-8. The name's extension has to agree with what the bytes are, so a
/// program or a ZIP file renamed to <c>.pdf</c> is refused.
/// </summary>
public static class MinutesContent
{
    /// <summary>Largest minutes file: 20 MB.</summary>
    public const int MaxBytes = 20 * 1024 * 1024;

    /// <summary>A ZIP with more entries than this is not a document (a .docx has a few dozen).</summary>
    internal const int MaxZipEntries = 2_000;

    /// <summary>Larger than this unpacked is not a document either, whatever the archive claims.</summary>
    internal const long MaxZipUnpackedBytes = 500L * 1024 * 1024;

    /// <summary>The most we unpack from one entry to look at it ([Content_Types].xml, mimetype).</summary>
    private const int MaxInspectedEntryBytes = 256 * 1024;

    public static MinutesFileType Pdf { get; } = new("application/pdf", ".pdf", "PDF", [".pdf"]);

    public static MinutesFileType Docx { get; } = new(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx", "Word-bestand (.docx)", [".docx"]);

    public static MinutesFileType Odt { get; } = new("application/vnd.oasis.opendocument.text", ".odt", "OpenDocument-bestand (.odt)", [".odt"]);

    public static MinutesFileType Text { get; } = new("text/plain; charset=utf-8", ".txt", "tekstbestand", [".txt", ".text"]);

    public static MinutesFileType Markdown { get; } = new("text/markdown; charset=utf-8", ".md", "tekstbestand", [".md", ".markdown"]);

    public static string TooLarge { get; } =
        $"Het bestand is groter dan {MaxBytes / (1024 * 1024)} MB. Maak het kleiner, bijvoorbeeld door foto's weg te laten of het als PDF op te slaan, en probeer het opnieuw.";

    private const string Allowed = "Dit bestand is geen PDF, Word (.docx), OpenDocument (.odt) of tekstbestand.";
    private const string Empty = "Het bestand is leeg. Kies het bestand met het verslag en probeer het opnieuw.";
    private const string SaveAs = "Sla het verslag op als PDF, Word (.docx), OpenDocument (.odt) of tekstbestand (.txt of .md) en probeer het opnieuw.";

    private static readonly byte[] PdfMagic = "%PDF-"u8.ToArray();
    private static readonly byte[] ZipMagic = [0x50, 0x4B, 0x03, 0x04];
    private static readonly byte[] EmptyZipMagic = [0x50, 0x4B, 0x05, 0x06];
    private static readonly byte[] OleMagic = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];
    private static readonly byte[] Utf16LeBom = [0xFF, 0xFE];
    private static readonly byte[] Utf16BeBom = [0xFE, 0xFF];
    private static readonly byte[] ElfMagic = [0x7F, (byte)'E', (byte)'L', (byte)'F'];

    /// <summary>
    /// What <paramref name="content"/> is and whether the (cleaned) <paramref name="fileName"/> agrees with it. A name
    /// without extension is accepted; its type then comes from the content (plain text for text).
    /// </summary>
    /// <returns>The type, or a Dutch message for the uploader.</returns>
    public static (MinutesFileType? Type, string? Error) Check(string fileName, ReadOnlyMemory<byte> content)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        if (content.Length > MaxBytes)
        {
            return (null, TooLarge);
        }

        if (IsEmpty(content.Span))
        {
            return (null, Empty);
        }

        var extension = FileNames.Extension(fileName);
        var (detected, what) = Identify(content);
        if (detected is null)
        {
            return (null, KnownType(extension) is { } claimed
                ? $"Dit bestand heet '{fileName}', maar het is geen {claimed.Label}. {what} {SaveAs}"
                : $"{Allowed} {what} {SaveAs}");
        }

        if (detected == Text && extension.Length > 0)
        {
            detected = Markdown.Extensions.Contains(extension) ? Markdown : Text;
        }

        if (extension.Length > 0 && !detected.Extensions.Contains(extension))
        {
            var claimed = KnownType(extension) is { } type ? $"geen {type.Label}" : $"geen {extension}-bestand";
            return (null,
                $"Dit bestand heet '{fileName}', maar het is een {detected.Label}, {claimed}. De naam moet passen bij wat het bestand is. " +
                $"Geef het de naam die erbij hoort (eindigend op {detected.Extension}), of sla het verslag opnieuw op.");
        }

        return (detected, null);
    }

    /// <summary>The type from the bytes alone, or a Dutch message that starts with what we accept.</summary>
    public static (MinutesFileType? Type, string? Error) Detect(ReadOnlyMemory<byte> content)
    {
        if (IsEmpty(content.Span))
        {
            return (null, Empty);
        }

        var (type, what) = Identify(content);
        return type is null ? (null, $"{Allowed} {what} {SaveAs}") : (type, null);
    }

    private static bool IsEmpty(ReadOnlySpan<byte> bytes) => bytes.Length == 0 || bytes.SequenceEqual(Utf8Bom);

    /// <summary>The type of non-empty content, or one sentence on what it is instead.</summary>
    private static (MinutesFileType? Type, string? What) Identify(ReadOnlyMemory<byte> content)
    {
        var bytes = content.Span;
        if (bytes.StartsWith(PdfMagic))
        {
            return (Pdf, null);
        }

        if (bytes.StartsWith(ZipMagic) || bytes.StartsWith(EmptyZipMagic))
        {
            return IdentifyZip(content);
        }

        var text = CheckText(bytes);
        if (text is null)
        {
            return (Text, null);
        }

        if (bytes.StartsWith("MZ"u8) || bytes.StartsWith(ElfMagic))
        {
            return (null, "Het is een programma.");
        }

        if (bytes.StartsWith(OleMagic))
        {
            return (null, "Het lijkt een oud Office-bestand (zoals .doc).");
        }

        if (bytes.StartsWith(Utf16LeBom) || bytes.StartsWith(Utf16BeBom))
        {
            return (null, "Het lijkt een tekstbestand in UTF-16 in plaats van UTF-8.");
        }

        return (null, text);
    }

    private static MinutesFileType? KnownType(string extension) =>
        new[] { Pdf, Docx, Odt, Text, Markdown }.FirstOrDefault(type => type.Extensions.Contains(extension));

    /// <summary>Null when <paramref name="bytes"/> is UTF-8 text without control characters other than tab, CR and LF.</summary>
    private static string? CheckText(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith(Utf8Bom))
        {
            bytes = bytes[Utf8Bom.Length..];
        }

        if (!Utf8.IsValid(bytes))
        {
            return "Als het een tekstbestand is, is het niet opgeslagen als UTF-8.";
        }

        for (var i = 0; i < bytes.Length; i++)
        {
            var b = bytes[i];
            var c0 = b is < 0x20 and not (byte)'\t' and not (byte)'\n' and not (byte)'\r' || b == 0x7F;
            // U+0080 to U+009F (C1 controls) are C2 80 to C2 9F in valid UTF-8.
            var c1 = b == 0xC2 && i + 1 < bytes.Length && bytes[i + 1] is >= 0x80 and <= 0x9F;
            if (c0 || c1)
            {
                return "Er staan tekens in die niet in een tekstbestand horen.";
            }
        }

        return null;
    }

    private static (MinutesFileType? Type, string? What) IdentifyZip(ReadOnlyMemory<byte> content)
    {
        try
        {
            using var stream = AsStream(content);
            using var archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: false, entryNameEncoding: Encoding.UTF8);
            var entries = archive.Entries;
            if (entries.Count > MaxZipEntries || entries.Sum(e => e.Length) > MaxZipUnpackedBytes)
            {
                return (null, "Het is een ZIP-bestand dat uitgepakt veel te groot wordt.");
            }

            if (entries.Count > 0 && entries[0].FullName == "mimetype")
            {
                return ReadEntry(entries[0]) is { } mimetype && mimetype == Odt.ContentType
                    ? (Odt, null)
                    : (null, "Het is een OpenDocument-bestand, maar geen tekstdocument (misschien een rekenblad of presentatie).");
            }

            var types = archive.GetEntry("[Content_Types].xml");
            if (types is not null && archive.GetEntry("word/document.xml") is not null)
            {
                // A macro-enabled document (.docm) has the same parts; only its main part's type tells them apart.
                return ReadEntry(types) is { } xml && xml.Contains("wordprocessingml.document.main+xml", StringComparison.Ordinal)
                    ? (Docx, null)
                    : (null, "Het is een Word-bestand met macro's of een Word-sjabloon.");
            }

            return (null, "Het is een ZIP-bestand, maar geen Word- of OpenDocument-bestand.");
        }
        catch (InvalidDataException)
        {
            return (null, "Het lijkt een ZIP-bestand, maar het is beschadigd.");
        }
    }

    private static MemoryStream AsStream(ReadOnlyMemory<byte> content) =>
        MemoryMarshal.TryGetArray(content, out var segment) && segment.Array is not null
            ? new MemoryStream(segment.Array, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(content.ToArray(), writable: false);

    /// <summary>The entry as UTF-8 text, or null when it unpacks to more than <see cref="MaxInspectedEntryBytes"/>.</summary>
    private static string? ReadEntry(ZipArchiveEntry entry)
    {
        if (entry.Length > MaxInspectedEntryBytes)
        {
            return null;
        }

        // The declared length may lie; read at most one byte more than we accept, whatever it says.
        using var stream = entry.Open();
        var buffer = new byte[MaxInspectedEntryBytes + 1];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = stream.Read(buffer, total, buffer.Length - total)) > 0)
        {
            total += read;
        }

        return total > MaxInspectedEntryBytes ? null : Encoding.UTF8.GetString(buffer, 0, total);
    }
}
