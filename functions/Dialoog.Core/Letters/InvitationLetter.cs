using System.Globalization;
using System.Text;
using Dialoog.Core.Email;
using Dialoog.Core.Links;
using Dialoog.Core.Processes;
using Dialoog.Core.Processes.Definition;
using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using QRCoder;

namespace Dialoog.Core.Letters;

/// <summary>
/// The printed invitation for residents (bewonersbrief) of one process: an A4 PDF in plain Dutch (B1) with the topic,
/// why it matters, when and where the sessions are, and how to sign up (a QR code and the address of the sign-up
/// page), plus whom to call or e-mail. Large type (body 13 pt, headings larger), generous line spacing, left-aligned.
/// Pure: the same input gives the same letter, apart from the PDF's own id.
/// </summary>
public static class InvitationLetter
{
    public const string ContentType = "application/pdf";

    private const int MaxSlugLength = 60;

    private static readonly CultureInfo Dutch = CultureInfo.GetCultureInfo("nl-NL");

    /// <summary>The letter as PDF bytes. Sessions that have ended before <paramref name="nowUtc"/> are left out.</summary>
    /// <param name="processId">The process whose sign-up page the letter points to.</param>
    /// <param name="definition">The process, with its sessions as they are now (see <see cref="WithCurrentSessions"/>).</param>
    /// <param name="publicBaseUrl"><c>Dialoog__PublicBaseUrl</c>: the sign-up address is built on it.</param>
    /// <param name="nowUtc">The letter's date, and what counts as past.</param>
    public static byte[] Create(string processId, ProcessDefinition definition, string publicBaseUrl, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(definition);
        LetterFonts.Register();
        var signUpUrl = SignUpLinks.UrlFor(publicBaseUrl, processId);

        using var document = new PdfDocument();
        document.Info.Title = $"Uitnodiging: {definition.Topic}";
        document.Info.Author = definition.Area;
        document.Info.Creator = "Dialoog";
        document.Info.CreationDate = MailDates.ToAmsterdam(nowUtc);
        document.Language = "nl-NL"; // screen readers read the PDF in Dutch

        using var qrPng = new MemoryStream(QrCode(signUpUrl));
        using (var writer = new LetterWriter(document))
        {
            Write(writer, definition, signUpUrl, qrPng, nowUtc);
        }

        using var output = new MemoryStream();
        document.Save(output, false);
        return output.ToArray();
    }

    /// <summary>
    /// The definition with its sessions as the running process has them now: moved sessions at their new time and
    /// place, cancelled ones left out. Without a status yet (the process is just starting) the definition is current.
    /// </summary>
    public static ProcessDefinition WithCurrentSessions(ProcessDefinition definition, IReadOnlyList<SessionStatus>? sessions)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (sessions is null)
        {
            return definition;
        }

        return definition with
        {
            Sessions =
            [
                .. sessions
                    .Where(s => s.State != SessionStates.Cancelled)
                    .Select(s => new SessionDefinition(s.Id, s.Title, AsUtc(s.StartUtc), AsUtc(s.EndUtc), s.Location, s.OnlineLink, s.Capacity)),
            ],
        };
    }

    /// <summary>
    /// A download name that is safe everywhere: <c>uitnodiging-samen-zorgen-voor-jongeren.pdf</c> (ASCII letters and
    /// digits of the topic, accents dropped, at most 60 of them), or <c>uitnodiging.pdf</c>.
    /// </summary>
    public static string FileName(string? topic)
    {
        var slug = new StringBuilder();
        foreach (var c in (topic ?? "").Normalize(NormalizationForm.FormD))
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                slug.Append(char.ToLowerInvariant(c));
            }
            else if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark && slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }

            if (slug.Length >= MaxSlugLength)
            {
                break;
            }
        }

        var name = slug.ToString().Trim('-');
        return name.Length == 0 ? "uitnodiging.pdf" : $"uitnodiging-{name}.pdf";
    }

    private static void Write(LetterWriter letter, ProcessDefinition definition, string signUpUrl, Stream qrPng, DateTime nowUtc)
    {
        letter.Paragraph(definition.Area, letter.Bold, spaceAfter: 0);
        letter.Paragraph($"Datum: {AmsterdamTime.FromUtc(nowUtc).ToString("d MMMM yyyy", Dutch)}", letter.Body, spaceAfter: 14);

        letter.Paragraph("Uitnodiging", letter.Heading2, spaceAfter: 2);
        letter.Paragraph(definition.Topic, letter.Heading1, spaceAfter: 14);

        letter.Paragraph("Beste bewoner,", letter.Body, spaceAfter: 6);
        letter.Paragraph(
            "Wij nodigen u uit om mee te praten over dit onderwerp. Bewoners, de gemeente en andere betrokkenen gaan met elkaar in gesprek. "
            + "Uw ervaring en uw mening zijn belangrijk.",
            letter.Body);

        if (!string.IsNullOrWhiteSpace(definition.Description))
        {
            letter.Heading("Waarom is dit belangrijk?");
            foreach (var paragraph in Paragraphs(definition.Description))
            {
                letter.Paragraph(paragraph, letter.Body);
            }
        }

        letter.Heading("Wanneer en waar?");
        var upcoming = (definition.Sessions ?? [])
            .Where(s => s is not null && AmsterdamTime.ToUtc(s.End) > nowUtc)
            .OrderBy(s => AmsterdamTime.ToUtc(s.Start))
            .ToList();
        if (upcoming.Count == 0)
        {
            letter.Paragraph("Er staan op dit moment geen bijeenkomsten gepland.", letter.Body);
        }

        foreach (var session in upcoming)
        {
            var lines = new List<(string Text, XFont Font)>
            {
                (session.Title, letter.Bold),
                (MailDates.Span(AmsterdamTime.ToUtc(session.Start), AmsterdamTime.ToUtc(session.End), MailWording.Dutch), letter.Body),
            };
            if (!string.IsNullOrWhiteSpace(session.Location))
            {
                lines.Add(($"Plaats: {session.Location}", letter.Body));
            }

            if (!string.IsNullOrWhiteSpace(session.OnlineLink))
            {
                lines.Add(($"{(string.IsNullOrWhiteSpace(session.Location) ? "Online" : "Of online")}: {session.OnlineLink}", letter.Body));
            }

            letter.Block(lines);
        }

        letter.SignUp(
            "Doet u mee? Meld u aan",
            "Scan de QR-code met de camera van uw telefoon. U komt dan op de pagina waar u zich aanmeldt.",
            "Of typ dit adres in uw internetbrowser:",
            SignUpLinks.ForDisplay(signUpUrl),
            qrPng);

        var coordinator = definition.Coordinator;
        letter.Heading("Vragen of hulp nodig?");
        if (!string.IsNullOrWhiteSpace(coordinator.Phone))
        {
            letter.Paragraph($"Heeft u vragen? Of wilt u zich aanmelden zonder internet? Bel dan met {coordinator.Name}:", letter.Body, spaceAfter: 2);
            letter.Paragraph($"Telefoon: {coordinator.Phone}", letter.Large);
        }
        else
        {
            letter.Paragraph(
                $"Heeft u vragen? Of wilt u zich aanmelden zonder internet? Stuur dan een e-mail aan {coordinator.Name}. Zet in de e-mail uw naam en dat u mee wilt doen.",
                letter.Body,
                spaceAfter: 2);
            letter.Paragraph($"E-mail: {coordinator.Email}", letter.Large);
        }

        letter.Block([("Met vriendelijke groet,", letter.Body), (coordinator.Name, letter.Bold)]);
    }

    /// <summary>Paragraphs split on blank lines; single line breaks are kept, tabs become spaces.</summary>
    private static IEnumerable<string> Paragraphs(string text) =>
        text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Replace('\t', ' ')
            .Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(p => p.Length > 0);

    /// <summary>A QR code for <paramref name="url"/> as PNG, with its quiet zone; level M survives a crease or a smudge.</summary>
    private static byte[] QrCode(string url)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(url, QRCodeGenerator.ECCLevel.M);
        using var png = new PngByteQRCode(data);
        // Given colours, QRCoder writes a 1-bit palette PNG, which PDFsharp reads (a 1-bit grey one it refuses). It reads
        // those rows in whole bytes of 8 pixels, so each module is 8 pixels wide.
        return png.GetGraphic(8, [0, 0, 0, 255], [255, 255, 255, 255]);
    }

    private static DateTime AsUtc(DateTime time) => DateTime.SpecifyKind(time, DateTimeKind.Utc);

    /// <summary>Lays text out top to bottom on A4 pages: wraps words, keeps headings with what follows, adds pages.</summary>
    private sealed class LetterWriter : IDisposable
    {
        private const double Margin = 64;
        private const double TopMargin = 48;
        private const double BottomMargin = 52;
        private const double LineFactor = 1.4;
        private const double ParagraphSpace = 8;
        private const double HeadingSpace = 8;
        private const double QrSize = 104;
        private const double QrGap = 18;

        private readonly PdfDocument document;
        private readonly XPdfFontOptions options = new(PdfFontEncoding.Unicode);
        private XGraphics? graphics;
        private double y;

        public LetterWriter(PdfDocument document)
        {
            this.document = document;
            Body = Font(13, bold: false);
            Bold = Font(13, bold: true);
            Large = Font(15, bold: true);
            Heading1 = Font(22, bold: true);
            Heading2 = Font(16, bold: true);
            NewPage();
        }

        public XFont Body { get; }

        public XFont Bold { get; }

        /// <summary>What people copy by hand: the address, the phone number.</summary>
        public XFont Large { get; }

        public XFont Heading1 { get; }

        public XFont Heading2 { get; }

        private double Width => document.Pages[0].Width.Point - 2 * Margin;

        private double Bottom => document.Pages[0].Height.Point - BottomMargin;

        private XGraphics Graphics => graphics!;

        public void Heading(string text)
        {
            // A heading never ends a page: it comes with at least two lines of what it heads.
            y += HeadingSpace;
            EnsureRoom(LineHeight(Heading2) + 2 * LineHeight(Body));
            Paragraph(text, Heading2, spaceAfter: 2);
        }

        public void Paragraph(string text, XFont font, double spaceAfter = ParagraphSpace)
        {
            foreach (var line in text.Split('\n').SelectMany(l => Wrap(l.Trim(), font, Width)))
            {
                EnsureRoom(LineHeight(font));
                Line(line, font, Margin);
            }

            y += spaceAfter;
        }

        /// <summary>Lines that belong together (one session, the closing), on one page when they fit on one.</summary>
        public void Block(IReadOnlyList<(string Text, XFont Font)> lines)
        {
            var wrapped = lines.SelectMany(l => Wrap(l.Text.Trim(), l.Font, Width).Select(w => (Text: w, l.Font))).ToList();
            EnsureRoom(wrapped.Sum(l => LineHeight(l.Font)));
            foreach (var (text, font) in wrapped)
            {
                EnsureRoom(LineHeight(font));
                Line(text, font, Margin);
            }

            y += ParagraphSpace;
        }

        /// <summary>The sign-up part: heading, the QR code at the right of the explanation, then the address in large type.</summary>
        public void SignUp(string heading, string scan, string type, string address, Stream qrPng)
        {
            var textWidth = Width - QrSize - QrGap;
            var scanLines = Wrap(scan, Body, textWidth).ToList();
            var typeLines = Wrap(type, Body, textWidth).ToList();
            var addressLines = Wrap(address, Large, Width).ToList();
            var textHeight = (scanLines.Count + typeLines.Count) * LineHeight(Body) + ParagraphSpace;

            y += HeadingSpace;
            EnsureRoom(LineHeight(Heading2) + 2 + Math.Max(textHeight, QrSize) + addressLines.Count * LineHeight(Large));
            Paragraph(heading, Heading2, spaceAfter: 2);

            var top = y;
            using (var image = XImage.FromStream(qrPng))
            {
                // Sharp module edges when printed or zoomed: no smoothing between pixels.
                image.Interpolate = false;
                Graphics.DrawImage(image, Margin + Width - QrSize, top, QrSize, QrSize);
            }

            foreach (var line in scanLines)
            {
                Line(line, Body, Margin);
            }

            y += ParagraphSpace;
            foreach (var line in typeLines)
            {
                Line(line, Body, Margin);
            }

            y = Math.Max(y, top + QrSize);
            foreach (var line in addressLines)
            {
                EnsureRoom(LineHeight(Large));
                Line(line, Large, Margin);
            }

            y += ParagraphSpace;
        }

        public void Dispose()
        {
            graphics?.Dispose();
            graphics = null;
            if (document.PageCount > 1)
            {
                NumberPages();
            }
        }

        private void Line(string text, XFont font, double x)
        {
            Graphics.DrawString(text, font, XBrushes.Black, x, y, XStringFormats.TopLeft);
            y += LineHeight(font);
        }

        private void EnsureRoom(double height)
        {
            if (y + height > Bottom && y > TopMargin)
            {
                NewPage();
            }
        }

        private void NewPage()
        {
            graphics?.Dispose();
            var page = document.AddPage();
            page.Size = PageSize.A4;
            graphics = XGraphics.FromPdfPage(page);
            y = TopMargin;
        }

        /// <summary>"Pagina 1 van 2" at the foot of every page, so a letter that fell apart can be put back in order.</summary>
        private void NumberPages()
        {
            for (var i = 0; i < document.PageCount; i++)
            {
                var page = document.Pages[i];
                using var foot = XGraphics.FromPdfPage(page, XGraphicsPdfPageOptions.Append);
                foot.DrawString($"Pagina {i + 1} van {document.PageCount}", Font(12, bold: false), XBrushes.Black,
                    Margin, page.Height.Point - BottomMargin + 8, XStringFormats.TopLeft);
            }
        }

        private XFont Font(double size, bool bold) => new(LetterFonts.Family, size, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular, options);

        private static double LineHeight(XFont font) => font.Size * LineFactor;

        /// <summary>Words on lines no wider than <paramref name="width"/>; a word wider than a line (a long link) is broken, after a / or - where possible.</summary>
        private IEnumerable<string> Wrap(string text, XFont font, double width)
        {
            var line = "";
            foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = line.Length == 0 ? word : $"{line} {word}";
                if (Measure(candidate, font) <= width)
                {
                    line = candidate;
                    continue;
                }

                if (line.Length > 0)
                {
                    yield return line;
                }

                var rest = word;
                while (Measure(rest, font) > width)
                {
                    var cut = Fit(rest, font, width);
                    yield return rest[..cut];
                    rest = rest[cut..];
                }

                line = rest;
            }

            if (line.Length > 0)
            {
                yield return line;
            }
        }

        /// <summary>How many characters of <paramref name="word"/> fit (at least one, never half a surrogate pair).</summary>
        private int Fit(string word, XFont font, double width)
        {
            var fits = 1;
            while (fits < word.Length && Measure(word[..(fits + 1)], font) <= width)
            {
                fits++;
            }

            var breakAt = word.LastIndexOfAny(['/', '-'], fits - 1);
            if (breakAt > 0 && breakAt + 1 < fits)
            {
                fits = breakAt + 1;
            }

            if (fits < word.Length && char.IsHighSurrogate(word[fits - 1]))
            {
                fits = fits > 1 ? fits - 1 : fits + 1;
            }

            return fits;
        }

        private double Measure(string text, XFont font) => Graphics.MeasureString(text, font).Width;
    }
}
