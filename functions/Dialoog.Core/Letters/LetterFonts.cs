using System.Collections.Concurrent;
using PdfSharp.Fonts;

namespace Dialoog.Core.Letters;

/// <summary>
/// The fonts of printed letters: DejaVu Sans, regular and bold, embedded in this assembly (see Fonts/LICENSE). An app
/// service on Linux has no fonts installed and PDFsharp finds none by itself there, so the letter brings its own.
/// </summary>
internal sealed class LetterFonts : IFontResolver
{
    /// <summary>Our own family name, so no installed font of the same name is ever picked instead.</summary>
    public const string Family = "Dialoog Sans";

    private const string RegularFace = "DejaVuSans";
    private const string BoldFace = "DejaVuSans-Bold";

    private static readonly LetterFonts Instance = new();
    private static readonly Lock Gate = new();
    private readonly ConcurrentDictionary<string, byte[]> faces = new(StringComparer.Ordinal);

    /// <summary>
    /// Makes PDFsharp use these fonts. The resolver is process-wide in PDFsharp and may not change after the first
    /// font was used, so it is set once, before the first letter.
    /// </summary>
    public static void Register()
    {
        lock (Gate)
        {
            if (!ReferenceEquals(GlobalFontSettings.FontResolver, Instance))
            {
                GlobalFontSettings.FontResolver = Instance;
            }
        }
    }

    // Every family resolves to DejaVu: only letters use PDFsharp here, and a missing font must never fail a letter.
    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        new(bold ? BoldFace : RegularFace, false, italic);

    public byte[]? GetFont(string faceName) => faceName switch
    {
        RegularFace or BoldFace => faces.GetOrAdd(faceName, Load),
        _ => null,
    };

    private static byte[] Load(string faceName)
    {
        var name = $"{typeof(LetterFonts).Namespace}.Fonts.{faceName}.ttf";
        using var stream = typeof(LetterFonts).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Font resource '{name}' is missing from {typeof(LetterFonts).Assembly.GetName().Name}.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
