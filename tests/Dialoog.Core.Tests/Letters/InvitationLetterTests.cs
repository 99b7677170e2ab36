using Dialoog.Core.Letters;
using Dialoog.Core.Links;
using Dialoog.Core.Processes;
using Dialoog.Core.Processes.Definition;
using static Dialoog.Core.Tests.Processes.DefinitionSamples;

namespace Dialoog.Core.Tests.Letters;

/// <summary>The letter for residents as PDF, read back the way a PDF reader and a phone camera read it.</summary>
public sealed class InvitationLetterTests
{
    private const string ProcessId = "dlg-0123456789abcdef";
    private const string BaseUrl = "https://dialoog.voorbeeld.nl/";
    private const string SignUpUrl = "https://dialoog.voorbeeld.nl/meedoen/dlg-0123456789abcdef";

    /// <summary>Where no text may be (the letter's margins less a little): a printer cannot print that close to the edge.</summary>
    private const double Edge = 50;

    /// <summary>The page numbers sit lower than the text, still clear of the edge.</summary>
    private const double BottomEdge = 28;

    private static ProcessDefinition Letter() => Valid() with
    {
        Description = "In de wijk Noord zijn weinig plekken waar jongeren samen kunnen komen. We willen weten wat er nodig is.",
        Coordinator = new Person("Sanne Regisseur", "sanne@gemeente.example", "06-12345678"),
        Sessions = [Session("s1", new DateTime(2026, 4, 1, 19, 30, 0)) with { Location = "Buurthuis De Linden, Lindelaan 4" }],
    };

    [Fact]
    public void Create_OneA4Page_WithTopicWhyWhenWhereHowAndWhom()
    {
        var pdf = LetterPdf.Read(InvitationLetter.Create(ProcessId, Letter(), BaseUrl, Now));

        Assert.Equal(1, pdf.Pages);
        Assert.Equal(LetterPdf.A4Width, pdf.PageSizes[0].Width, 0.5);
        Assert.Equal(LetterPdf.A4Height, pdf.PageSizes[0].Height, 0.5);
        var text = pdf.FlatText;
        Assert.Contains("Samen zorgen voor jongeren in de wijk", text, StringComparison.Ordinal);
        Assert.Contains("In de wijk Noord zijn weinig plekken waar jongeren samen kunnen komen.", text, StringComparison.Ordinal);
        Assert.Contains("woensdag 1 april 2026, 19.30 – 21.30 uur", text, StringComparison.Ordinal);
        Assert.Contains("Buurthuis De Linden, Lindelaan 4", text, StringComparison.Ordinal);
        Assert.Contains("dialoog.voorbeeld.nl/meedoen/dlg-0123456789abcdef", text, StringComparison.Ordinal);
        Assert.Contains("Sanne Regisseur", text, StringComparison.Ordinal);
        Assert.Contains("06-12345678", text, StringComparison.Ordinal);
        Assert.Contains("Datum: 2 maart 2026", text, StringComparison.Ordinal);
        Assert.DoesNotContain("sanne@gemeente.example", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_InEnglish_HasEnglishWordsAndDates()
    {
        var pdf = LetterPdf.Read(InvitationLetter.Create(ProcessId, Letter(), BaseUrl, Now, Languages.English));

        var text = pdf.FlatText;
        Assert.Equal(1, pdf.Pages);
        Assert.Contains("Date: 2 March 2026", text, StringComparison.Ordinal);
        Assert.Contains("Invitation", text, StringComparison.Ordinal);
        Assert.Contains("Dear resident,", text, StringComparison.Ordinal);
        Assert.Contains("Your experience and your opinion matter.", text, StringComparison.Ordinal);
        Assert.Contains("Why does this matter?", text, StringComparison.Ordinal);
        Assert.Contains("When and where?", text, StringComparison.Ordinal);
        Assert.Contains("Wednesday 1 April 2026, 19:30 – 21:30", text, StringComparison.Ordinal);
        Assert.Contains("Place: Buurthuis De Linden, Lindelaan 4", text, StringComparison.Ordinal);
        Assert.Contains("Will you take part? Sign up", text, StringComparison.Ordinal);
        Assert.Contains("Scan the QR code with the camera of your phone.", text, StringComparison.Ordinal);
        Assert.Contains("Then please call Sanne Regisseur:", text, StringComparison.Ordinal);
        Assert.Contains("Phone: 06-12345678", text, StringComparison.Ordinal);
        Assert.Contains("Kind regards,", text, StringComparison.Ordinal);
        foreach (var dutch in new[] { "Beste bewoner", "Uitnodiging", "Wanneer en waar", "Meld u aan", "Telefoon", "Met vriendelijke groet", "19.30", "Datum" })
        {
            Assert.DoesNotContain(dutch, text, StringComparison.Ordinal);
        }

        Assert.Equal(SignUpUrl, Assert.Single(pdf.QrCodes));
    }

    [Fact]
    public void Create_InArabic_IsRefused_BecausePdfSharpCannotShapeArabic() =>
        Assert.Throws<ArgumentException>(() => InvitationLetter.Create(ProcessId, Letter(), BaseUrl, Now, Languages.Arabic));

    [Theory]
    [InlineData(null, "nl")]
    [InlineData("", "nl")]
    [InlineData("nl", "nl")]
    [InlineData(" EN ", "en")]
    public void LanguageFor_EmptyOrOffered_GivesTheLanguage(string? asked, string expected) =>
        Assert.Equal((expected, null), InvitationLetter.LanguageFor(asked));

    [Theory]
    [InlineData("ar", "Een brief in het Arabisch kan Dialoog nog niet goed maken.")]
    [InlineData("fr", "Nu staat er 'fr'.")]
    public void LanguageFor_Other_SaysWhichLanguagesInDutch(string asked, string says)
    {
        var (language, error) = InvitationLetter.LanguageFor(asked);

        Assert.Null(language);
        Assert.StartsWith("Kies de taal van de brief: nl (Nederlands) of en (Engels).", error, StringComparison.Ordinal);
        Assert.Contains(says, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_QrCode_DecodesToExactlyTheSignUpUrl()
    {
        var pdf = LetterPdf.Read(InvitationLetter.Create(ProcessId, Letter(), BaseUrl, Now));

        Assert.Equal(SignUpUrl, Assert.Single(pdf.QrCodes));
    }

    [Fact]
    public void Create_LargeType_BodyAtLeast12Points()
    {
        var pdf = LetterPdf.Read(InvitationLetter.Create(ProcessId, Letter(), BaseUrl, Now));

        Assert.All(pdf.LetterSizes, size => Assert.True(size >= 12, $"Text at {size} pt"));
        Assert.Contains(pdf.LetterSizes, size => size >= 20);
    }

    [Fact]
    public void Create_WithoutPhone_AsksToEmailTheCoordinator()
    {
        var definition = Letter() with { Coordinator = new Person("Sanne Regisseur", "sanne@gemeente.example") };

        var text = LetterPdf.Read(InvitationLetter.Create(ProcessId, definition, BaseUrl, Now)).FlatText;

        Assert.Contains("Stuur dan een e-mail aan Sanne Regisseur", text, StringComparison.Ordinal);
        Assert.Contains("E-mail: sanne@gemeente.example", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Bel ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Telefoon", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_LongTopicAndDescription_WrapWithinTheMargins_AndNoWordIsLost()
    {
        // The longest topic the validator allows, and a description of many paragraphs.
        var topic = "Hoe maken we samen de wijk Holtenbroek groener, veiliger en gezelliger voor jong en oud, met meer speelplekken, bankjes, "
            + "bomen en ontmoetingsplekken waar iedereen welkom is en mee kan doen?";
        Assert.True(topic.Length <= DefinitionLimits.TopicLength);
        var description = string.Join("\n\n", Enumerable.Range(1, 12).Select(p =>
            string.Join(" ", Enumerable.Range(1, 40).Select(w => $"alinea{p}woord{w}")) + "."));
        var link = "https://teams.microsoft.com/l/meetup-join/" + new string('x', 150) + "/0?context=dialoog";
        var definition = Letter() with
        {
            Topic = topic,
            Description = description,
            Sessions = [Session("s1", new DateTime(2026, 4, 1, 19, 30, 0)) with { OnlineLink = link }],
        };

        var pdf = LetterPdf.Read(InvitationLetter.Create(ProcessId, definition, BaseUrl, Now));

        Assert.True(pdf.Pages > 1, "The long description runs on to a second page.");
        var words = pdf.Words.Select(w => w.Text).ToHashSet(StringComparer.Ordinal);
        var missing = $"{topic} {description}".Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries).Where(w => !words.Contains(w)).ToList();
        Assert.True(missing.Count == 0, "Missing words: " + string.Join(", ", missing));
        Assert.Contains(link, pdf.FlatText.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.All(pdf.Words, w =>
        {
            var (width, height) = pdf.PageSizes[w.Page - 1];
            Assert.True(w.Left >= Edge && w.Right <= width - Edge && w.Bottom >= BottomEdge && w.Top <= height - Edge,
                $"'{w.Text}' on page {w.Page} at x {w.Left:0}–{w.Right:0}, y {w.Bottom:0}–{w.Top:0} is outside the margins.");
        });
        Assert.Contains($"Pagina 1 van {pdf.Pages}", pdf.FlatText, StringComparison.Ordinal);
        Assert.Equal(SignUpUrl, Assert.Single(pdf.QrCodes));
    }

    [Fact]
    public void Create_ManySessions_RunOnToMorePages_AndEachHasItsDateAndTime()
    {
        var first = new DateTime(2026, 4, 7, 19, 30, 0);
        var sessions = Enumerable.Range(0, 12).Select(i => Session($"s{i + 1}", first.AddDays(7 * i))).ToList();

        var pdf = LetterPdf.Read(InvitationLetter.Create(ProcessId, Letter() with { Sessions = sessions }, BaseUrl, Now));

        Assert.True(pdf.Pages > 1);
        Assert.All(pdf.PageSizes, size => Assert.Equal(LetterPdf.A4Height, size.Height, 0.5));
        var text = pdf.FlatText;
        Assert.Contains("dinsdag 7 april 2026, 19.30 – 21.30 uur", text, StringComparison.Ordinal);
        Assert.Contains("dinsdag 23 juni 2026, 19.30 – 21.30 uur", text, StringComparison.Ordinal);
        Assert.Equal(12, pdf.Words.Count(w => w.Text == "dinsdag"));
    }

    [Fact]
    public void Create_SessionsInThePast_AreLeftOut()
    {
        var definition = Letter() with
        {
            Sessions = [Session("s1", new DateTime(2026, 2, 10, 19, 30, 0)), Session("s2", new DateTime(2026, 4, 1, 19, 30, 0))],
        };

        var text = LetterPdf.Read(InvitationLetter.Create(ProcessId, definition, BaseUrl, Now)).FlatText;

        Assert.DoesNotContain("10 februari 2026", text, StringComparison.Ordinal);
        Assert.Contains("woensdag 1 april 2026, 19.30 – 21.30 uur", text, StringComparison.Ordinal);
    }

    [Fact]
    public void WithCurrentSessions_TakesMovedTimesAndPlaces_AndLeavesCancelledOut()
    {
        var moved = new DateTime(2026, 4, 8, 17, 0, 0, DateTimeKind.Utc); // 19.00 in Amsterdam (summer time)
        var status = new List<SessionStatus>
        {
            new("s1", "Eerste gesprek", moved, moved.AddHours(2), "Wijkcentrum Oost", null, null, 1, "planned"),
            new("s2", "Tweede gesprek", moved.AddDays(7), moved.AddDays(7).AddHours(2), "Wijkcentrum Oost", null, null, 0, "cancelled"),
        };

        var current = InvitationLetter.WithCurrentSessions(Letter(), status);
        var text = LetterPdf.Read(InvitationLetter.Create(ProcessId, current, BaseUrl, Now)).FlatText;

        Assert.Equal("s1", Assert.Single(current.Sessions).Id);
        Assert.Contains("woensdag 8 april 2026, 19.00 – 21.00 uur", text, StringComparison.Ordinal);
        Assert.Contains("Plaats: Wijkcentrum Oost", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Tweede gesprek", text, StringComparison.Ordinal);
    }

    [Fact]
    public void WithCurrentSessions_BeforeTheFirstStatus_IsTheDefinition()
    {
        var definition = Letter();

        Assert.Same(definition, InvitationLetter.WithCurrentSessions(definition, null));
    }

    [Theory]
    [InlineData("Samen zorgen voor jongeren in de wijk", "uitnodiging-samen-zorgen-voor-jongeren-in-de-wijk.pdf")]
    [InlineData("Café \"De Ster\" / ’t Plein: wat nú?", "uitnodiging-cafe-de-ster-t-plein-wat-nu.pdf")]
    [InlineData("../../etc/passwd", "uitnodiging-etc-passwd.pdf")]
    [InlineData("???", "uitnodiging.pdf")]
    public void FileName_IsASafeSlugOfTheTopic(string topic, string expected) =>
        Assert.Equal(expected, InvitationLetter.FileName(topic));

    [Fact]
    public void FileName_InEnglish_StartsWithInvitation() =>
        Assert.Equal("invitation-samen-zorgen.pdf", InvitationLetter.FileName("Samen zorgen", Languages.English));

    [Fact]
    public void FileName_LongTopic_IsCutShort() =>
        Assert.True(InvitationLetter.FileName(new string('a', 200)).Length <= "uitnodiging-.pdf".Length + 60);

    [Theory]
    [InlineData("https://dialoog.voorbeeld.nl", "https://dialoog.voorbeeld.nl/meedoen/dlg-1", "dialoog.voorbeeld.nl/meedoen/dlg-1")]
    [InlineData("https://dialoog.voorbeeld.nl/", "https://dialoog.voorbeeld.nl/meedoen/dlg-1", "dialoog.voorbeeld.nl/meedoen/dlg-1")]
    [InlineData("http://localhost:7071", "http://localhost:7071/meedoen/dlg-1", "http://localhost:7071/meedoen/dlg-1")]
    public void SignUpLinks_AbsoluteUrlOnThePublicBase_PrintedWithoutHttps(string baseUrl, string url, string printed)
    {
        Assert.Equal("/meedoen/dlg-1", SignUpLinks.PathFor("dlg-1"));
        Assert.Equal(url, SignUpLinks.UrlFor(baseUrl, "dlg-1"));
        Assert.Equal(printed, SignUpLinks.ForDisplay(url));
    }
}
