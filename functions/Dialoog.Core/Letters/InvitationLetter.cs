using System.Globalization;
using System.Resources;
using System.Text;
using Dialoog.Core.Email;
using Dialoog.Core.Localization;
using Dialoog.Core.Links;
using Dialoog.Core.Processes;
using Dialoog.Core.Processes.Definition;
using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using QRCoder;

namespace Dialoog.Core.Letters;

/// <summary>
/// The printed invitation for residents (bewonersbrief) of one process: an A4 PDF in plain Dutch (B1) or English, its
/// words from LetterText.resx per language, with the topic,
/// why it matters, when and where the sessions are, and how to sign up (a QR code and the address of the sign-up
/// page), plus whom to call or e-mail. Large type (body 13 pt, headings larger), generous line spacing, left-aligned.
/// Pure: the same input gives the same letter, apart from the PDF's own id.
/// </summary>
public static class InvitationLetter
{
    public const string ContentType = "application/pdf";

    private const int MaxSlugLength = 60;

    /// <summary>
    /// The languages a letter can be printed in. No Arabic: PDFsharp neither joins Arabic letters nor lays text out
    /// right to left, so an Arabic letter would print broken words.
    /// </summary>
    public static readonly IReadOnlyList<string> OfferedLanguages = [Processes.Definition.Languages.Dutch, Processes.Definition.Languages.English];

    private static readonly ResourceManager Resources = new("Dialoog.Core.Letters.LetterText", typeof(InvitationLetter).Assembly);

    /// <summary>The letter as PDF bytes. Sessions that have ended before <paramref name="nowUtc"/> are left out.</summary>
    /// <param name="processId">The process whose sign-up page the letter points to.</param>
    /// <param name="definition">The process, with its sessions as they are now (see <see cref="WithCurrentSessions"/>).</param>
    /// <param name="publicBaseUrl"><c>Dialoog__PublicBaseUrl</c>: the sign-up address is built on it.</param>
    /// <param name="nowUtc">The letter's date, and what counts as past.</param>
    /// <param name="language">One of <see cref="OfferedLanguages"/>.</param>
    /// <exception cref="ArgumentException">The language is not one of <see cref="OfferedLanguages"/>.</exception>
    public static byte[] Create(string processId, ProcessDefinition definition, string publicBaseUrl, DateTime nowUtc, string language = Processes.Definition.Languages.Dutch)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var text = Text(language);
        var dates = MailWording.For(language)!;
        LetterFonts.Register();
        var signUpUrl = SignUpLinks.UrlFor(publicBaseUrl, processId);

        using var document = new PdfDocument();
        document.Info.Title = text.Get("Title", new() { ["topic"] = definition.Topic });
        document.Info.Author = definition.Area;
        document.Info.Creator = "Dialoog";
        document.Info.CreationDate = MailDates.ToAmsterdam(nowUtc);
        document.Language = dates.DateCulture.Name; // screen readers read the PDF in its language

        using var qrPng = new MemoryStream(QrCode(signUpUrl));
        using (var writer = new LetterWriter(document, text))
        {
            Write(writer, text, dates, definition, signUpUrl, qrPng, nowUtc);
        }

        using var output = new MemoryStream();
        document.Save(output, false);
        return output.ToArray();
    }

    /// <summary>The language of a letter asked for as <c>?taal=</c>: nothing means Dutch.</summary>
    /// <returns>The language, or null and a Dutch message that says what can be chosen.</returns>
    public static (string? Language, string? Error) LanguageFor(string? asked)
    {
        var language = string.IsNullOrWhiteSpace(asked) ? Processes.Definition.Languages.Dutch : asked.Trim().ToLowerInvariant();
        if (OfferedLanguages.Contains(language))
        {
            return (language, null);
        }

        var arabic = language == Processes.Definition.Languages.Arabic ? "Een brief in het Arabisch kan Dialoog nog niet goed maken. " : "";
        return (null, $"Kies de taal van de brief: nl (Nederlands) of en (Engels). {arabic}Nu staat er {DutchText.Quote(asked)}.");
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
    /// A download name that is safe everywhere: <c>uitnodiging-samen-zorgen-voor-jongeren.pdf</c> (see <see cref="Slug"/>),
    /// or <c>uitnodiging.pdf</c>.
    /// </summary>
    /// <param name="language">The letter's language: its file name starts with that language's word (uitnodiging, invitation).</param>
    public static string FileName(string? topic, string language = Processes.Definition.Languages.Dutch) =>
        DownloadName(Text(language).Get("FilePrefix"), topic, ".pdf");

    /// <summary><c>{prefix}-{slug}{extension}</c>, or <c>{prefix}{extension}</c> when the topic has no letters or digits.</summary>
    public static string DownloadName(string prefix, string? topic, string extension) =>
        Slug(topic) is { Length: > 0 } slug ? $"{prefix}-{slug}{extension}" : prefix + extension;

    /// <summary>The ASCII letters and digits of the topic, accents dropped, words joined by '-', at most 60 of them.</summary>
    public static string Slug(string? topic)
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

        return slug.ToString().Trim('-');
    }

    private static void Write(LetterWriter letter, ResourceText text, MailWording dates, ProcessDefinition definition, string signUpUrl, Stream qrPng, DateTime nowUtc)
    {
        var date = AmsterdamTime.FromUtc(nowUtc).ToString(text.Get("DateFormat"), dates.DateCulture);
        letter.Paragraph(definition.Area, letter.Bold, spaceAfter: 0);
        letter.Paragraph(text.Get("DateLine", new() { ["date"] = date }), letter.Body, spaceAfter: 14);

        letter.Paragraph(text.Get("Invitation"), letter.Heading2, spaceAfter: 2);
        letter.Paragraph(definition.Topic, letter.Heading1, spaceAfter: 14);

        letter.Paragraph(text.Get("Salutation"), letter.Body, spaceAfter: 6);
        letter.Paragraph(text.Get("Intro"), letter.Body);

        if (!string.IsNullOrWhiteSpace(definition.Description))
        {
            letter.Heading(text.Get("WhyHeading"));
            foreach (var paragraph in Paragraphs(definition.Description))
            {
                letter.Paragraph(paragraph, letter.Body);
            }
        }

        letter.Heading(text.Get("WhenHeading"));
        var upcoming = (definition.Sessions ?? [])
            .Where(s => s is not null && AmsterdamTime.ToUtc(s.End) > nowUtc)
            .OrderBy(s => AmsterdamTime.ToUtc(s.Start))
            .ToList();
        if (upcoming.Count == 0)
        {
            letter.Paragraph(text.Get("NoSessions"), letter.Body);
        }

        foreach (var session in upcoming)
        {
            var lines = new List<(string Text, XFont Font)>
            {
                (session.Title, letter.Bold),
                (MailDates.Span(AmsterdamTime.ToUtc(session.Start), AmsterdamTime.ToUtc(session.End), dates), letter.Body),
            };
            if (!string.IsNullOrWhiteSpace(session.Location))
            {
                lines.Add((text.Get("Place", new() { ["place"] = session.Location }), letter.Body));
            }

            if (!string.IsNullOrWhiteSpace(session.OnlineLink))
            {
                var online = string.IsNullOrWhiteSpace(session.Location) ? "Online" : "OrOnline";
                lines.Add((text.Get(online, new() { ["link"] = session.OnlineLink }), letter.Body));
            }

            letter.Block(lines);
        }

        letter.SignUp(
            text.Get("SignUpHeading"),
            text.Get("Scan"),
            text.Get("TypeAddress"),
            SignUpLinks.ForDisplay(signUpUrl),
            qrPng);

        var coordinator = definition.Coordinator;
        letter.Heading(text.Get("QuestionsHeading"));
        if (!string.IsNullOrWhiteSpace(coordinator.Phone))
        {
            letter.Paragraph(text.Get("CallLead", new() { ["name"] = coordinator.Name }), letter.Body, spaceAfter: 2);
            letter.Paragraph(text.Get("Phone", new() { ["phone"] = coordinator.Phone }), letter.Large);
        }
        else
        {
            letter.Paragraph(text.Get("MailLead", new() { ["name"] = coordinator.Name }), letter.Body, spaceAfter: 2);
            letter.Paragraph(text.Get("Email", new() { ["email"] = coordinator.Email }), letter.Large);
        }

        letter.Block([(text.Get("Closing"), letter.Body), (coordinator.Name, letter.Bold)]);
    }

    /// <summary>The letter's texts in one of <see cref="OfferedLanguages"/>.</summary>
    private static ResourceText Text(string language) =>
        OfferedLanguages.Contains(language)
            ? new(Resources, CultureInfo.GetCultureInfo(language))
            : throw new ArgumentException($"A letter in '{language}' cannot be made; use one of: {string.Join(", ", OfferedLanguages)}.", nameof(language));

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
        private readonly ResourceText text;
        private readonly XPdfFontOptions options = new(PdfFontEncoding.Unicode);
        private XGraphics? graphics;
        private double y;

        public LetterWriter(PdfDocument document, ResourceText text)
        {
            this.document = document;
            this.text = text;
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

        /// <summary>"Pagina 1 van 2" or "Page 1 of 2" at the foot of every page, so a letter that fell apart can be put back in order.</summary>
        private void NumberPages()
        {
            for (var i = 0; i < document.PageCount; i++)
            {
                var page = document.Pages[i];
                using var foot = XGraphics.FromPdfPage(page, XGraphicsPdfPageOptions.Append);
                var number = text.Get("PageNumber", new()
                {
                    ["page"] = (i + 1).ToString(CultureInfo.InvariantCulture), ["pages"] = document.PageCount.ToString(CultureInfo.InvariantCulture),
                });
                foot.DrawString(number, Font(12, bold: false), XBrushes.Black,
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
