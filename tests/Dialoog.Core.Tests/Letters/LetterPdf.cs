using System.Text.RegularExpressions;
using SkiaSharp;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor;
using ZXing;
using ZXing.Common;

namespace Dialoog.Core.Tests.Letters;

/// <summary>What a reader gets out of a letter PDF: pages, text, words with their place, and what its QR codes say.</summary>
internal sealed partial record LetterPdf(
    IReadOnlyList<(double Width, double Height)> PageSizes,
    string Text,
    IReadOnlyList<(int Page, string Text, double Left, double Right, double Bottom, double Top)> Words,
    IReadOnlyList<double> LetterSizes,
    IReadOnlyList<string?> QrCodes)
{
    /// <summary>A4 in PDF points (210 × 297 mm).</summary>
    public const double A4Width = 595.28;
    public const double A4Height = 841.89;

    public int Pages => PageSizes.Count;

    /// <summary>The text with every run of white space (a line break where text wrapped, too) as one space.</summary>
    public string FlatText => Flat(Text);

    public static LetterPdf Read(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        var sizes = new List<(double, double)>();
        var text = new List<string>();
        var words = new List<(int, string, double, double, double, double)>();
        var letterSizes = new List<double>();
        var codes = new List<string?>();
        foreach (var page in document.GetPages())
        {
            sizes.Add((page.Width, page.Height));
            text.Add(ContentOrderTextExtractor.GetText(page));
            words.AddRange(page.GetWords().Select(w => (page.Number, w.Text, w.BoundingBox.Left, w.BoundingBox.Right, w.BoundingBox.Bottom, w.BoundingBox.Top)));
            letterSizes.AddRange(page.Letters.Where(l => !string.IsNullOrWhiteSpace(l.Value)).Select(l => l.PointSize));
            codes.AddRange(page.GetImages().Select(DecodeQr));
        }

        return new LetterPdf(sizes, string.Join("\n", text), words, letterSizes, codes);
    }

    public static string Flat(string text) => WhiteSpace().Replace(text, " ").Trim();

    /// <summary>The text of the QR code in the image, or null when there is none (or the image cannot be read).</summary>
    private static string? DecodeQr(IPdfImage image)
    {
        if (!image.TryGetPng(out var png))
        {
            return null;
        }

        using var bitmap = SKBitmap.Decode(png);
        if (bitmap is null)
        {
            return null;
        }

        var gray = new byte[bitmap.Width * bitmap.Height];
        for (var y = 0; y < bitmap.Height; y++)
        {
            for (var x = 0; x < bitmap.Width; x++)
            {
                var pixel = bitmap.GetPixel(x, y);
                gray[y * bitmap.Width + x] = (byte)((pixel.Red * 299 + pixel.Green * 587 + pixel.Blue * 114) / 1000);
            }
        }

        var reader = new BarcodeReaderGeneric
        {
            Options = new DecodingOptions { PossibleFormats = [BarcodeFormat.QR_CODE], PureBarcode = false, TryHarder = true },
        };
        return reader.Decode(new RGBLuminanceSource(gray, bitmap.Width, bitmap.Height, RGBLuminanceSource.BitmapFormat.Gray8))?.Text;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}
