using System.Net;
using System.Text.RegularExpressions;
using Dialoog.Functions.Email;

namespace Dialoog.Functions.Tests.Email;

public sealed partial class MailComposerTests
{
    private static readonly DateTime WinterStart = new(2026, 12, 8, 18, 30, 0, DateTimeKind.Utc); // 19.30 CET
    private static readonly DateTime SummerStart = new(2026, 6, 16, 17, 30, 0, DateTimeKind.Utc); // 19.30 CEST
    private static readonly DateTime Deadline = new(2026, 11, 30, 16, 0, 0, DateTimeKind.Utc); // 17.00 CET

    public static TheoryData<MailKind, string> EveryKindInBothLanguages()
    {
        var data = new TheoryData<MailKind, string>();
        foreach (var kind in Enum.GetValues<MailKind>())
        {
            data.Add(kind, "nl");
            data.Add(kind, "en");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryKindInBothLanguages))]
    public void Compose_EveryKind_WritesHtmlAndTextWithTheSameContent(MailKind kind, string language)
    {
        var content = Content(kind, language);

        var mail = MailComposer.Compose(content);

        Assert.False(string.IsNullOrWhiteSpace(mail.Subject));
        Assert.Contains("Iedereen aan tafel", mail.Subject, StringComparison.Ordinal);
        Assert.Contains($"<html lang=\"{language}\">", mail.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", mail.Html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(language == "nl" ? "Beste Fatima Yilmaz," : "Dear Fatima Yilmaz,", mail.Text, StringComparison.Ordinal);
        Assert.Contains("<a href=\"mailto:regie@gemeente.example\"", mail.Html, StringComparison.Ordinal);
        Assert.Contains("Joke de Vries, regie@gemeente.example.", mail.Text, StringComparison.Ordinal);
        Assert.All(content.Links, link =>
        {
            Assert.Contains($"href=\"{link.Url}\"", mail.Html, StringComparison.Ordinal);
            Assert.Contains(link.Url, mail.Text, StringComparison.Ordinal);
        });

        var visibleHtml = VisibleText(mail.Html);
        var textLines = mail.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => !line.Contains("http", StringComparison.Ordinal) && !line.All(c => c == '-'))
            .Select(line => line.TrimStart('-', ' ').TrimEnd(':'));
        Assert.All(textLines, line => Assert.Contains(Squash(line), visibleHtml, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(EveryKindInBothLanguages))]
    public void Compose_UserValuesWithMarkup_AreEncodedInHtml(MailKind kind, string language)
    {
        const string Script = "<script>alert('x')</script>";
        var content = Content(kind, language) with
        {
            RecipientName = "Ans & \"Bert\"" + Script,
            Topic = "Jeugdzorg " + Script,
            Area = "Noord" + Script,
            Description = "Over " + Script,
            CoordinatorName = "Joke" + Script,
            Note = "Reden: " + Script,
            Facts = ["inwoners: 1 van 3 " + Script],
            Sessions = [new MailSession("Avond " + Script, WinterStart, WinterStart.AddHours(2), "Buurthuis " + Script, null)],
        };

        var mail = MailComposer.Compose(content);

        Assert.DoesNotContain("<script", mail.Html, StringComparison.OrdinalIgnoreCase);
        Shows(mail.Html,
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;",
            "Ans &amp; &quot;Bert&quot;");
        Assert.Contains("Jeugdzorg " + Script, mail.Subject, StringComparison.Ordinal);
        Assert.Contains("Jeugdzorg " + Script, mail.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_DutchInvitation_ShowsAmsterdamTimesInWinterAndSummer()
    {
        var content = Content(MailKind.Invitation, "nl") with
        {
            Sessions =
            [
                new MailSession("Zomeravond", SummerStart, SummerStart.AddHours(2), "Buurthuis De Linde", null),
                new MailSession("Winteravond", WinterStart, WinterStart.AddHours(2), "Stadhuis, zaal 3", null),
            ],
        };

        var mail = MailComposer.Compose(content);

        Shows(mail.Text,
            "dinsdag 16 juni 2026, 19.30 – 21.30 uur",
            "dinsdag 8 december 2026, 19.30 – 21.30 uur");
        Assert.Contains("dinsdag 8 december 2026, 19.30 – 21.30 uur", mail.Html, StringComparison.Ordinal);
        Shows(mail.Text,
            "Waar: Buurthuis De Linde",
            "maandag 30 november 2026, 17.00 uur");
    }

    [Fact]
    public void Compose_EnglishInvitation_ShowsEnglishDates()
    {
        var mail = MailComposer.Compose(Content(MailKind.Invitation, "en"));

        Shows(mail.Text,
            "Tuesday 8 December 2026, 19:30 – 21:30",
            "Please reply before Monday 30 November 2026, 17:00.");
    }

    [Fact]
    public void Compose_SessionPastMidnight_NamesBothDays()
    {
        var content = Content(MailKind.SessionReminder, "nl") with
        {
            Sessions = [new MailSession("Nachtdienst", WinterStart, WinterStart.AddHours(6), "Politiebureau", null)],
        };

        var mail = MailComposer.Compose(content);

        Assert.Contains("dinsdag 8 december 2026, 19.30 uur – woensdag 9 december 2026, 01.30 uur", mail.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_Invitation_HasReplyLinksAndSaysTheReplyCanChangeUntilTheDeadline()
    {
        var mail = MailComposer.Compose(Content(MailKind.Invitation, "nl"));

        HasLink(mail.Html, "https://dialoog.example/r/abc?c=yes", "Ja, ik kom");
        HasLink(mail.Html, "https://dialoog.example/r/abc?c=no", "Nee, ik kan niet");
        HasLink(mail.Html, "https://dialoog.example/r/abc?c=maybe", "Misschien");
        Shows(mail.Text,
            "Ja, ik kom:\nhttps://dialoog.example/r/abc?c=yes",
            "Wilt u antwoorden vóór maandag 30 november 2026, 17.00 uur? Tot dat moment kunt u uw antwoord nog veranderen.",
            "herinnering");
    }

    [Fact]
    public void Compose_RepresentationEscalation_ShowsShortGroupsAndOneLinkPerChoice()
    {
        var content = Content(MailKind.RepresentationEscalation, "nl") with
        {
            Facts = ["inwoners: 1 van 3", "zorgaanbieders: 0 van 2"],
            Links =
            [
                new MailLink("extendDeadline", "https://dialoog.example/d/1"),
                new MailLink("inviteMore", "https://dialoog.example/d/2"),
                new MailLink("goAhead", "https://dialoog.example/d/3"),
                new MailLink("cancel", "https://dialoog.example/d/4"),
            ],
        };

        var mail = MailComposer.Compose(content);

        Assert.Contains("<li>inwoners: 1 van 3</li>", mail.Html, StringComparison.Ordinal);
        Assert.Contains("- zorgaanbieders: 0 van 2", mail.Text, StringComparison.Ordinal);
        HasLink(mail.Html, "https://dialoog.example/d/1", "Termijn verlengen");
        HasLink(mail.Html, "https://dialoog.example/d/2", "Meer mensen uitnodigen");
        HasLink(mail.Html, "https://dialoog.example/d/3", "Toch doorgaan");
        HasLink(mail.Html, "https://dialoog.example/d/4", "Traject stoppen");
        Assert.Contains("Kies graag vóór maandag 30 november 2026, 17.00 uur.", mail.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_MandateRequest_HasMandateLink()
    {
        var content = Content(MailKind.MandateRequest, "en") with { Links = [new MailLink("mandate", "https://dialoog.example/m/1")] };

        var mail = MailComposer.Compose(content);

        HasLink(mail.Html, "https://dialoog.example/m/1", "Confirm the mandate");
    }

    [Fact]
    public void Compose_CancelledAndChangedSessions_AreMarked()
    {
        var content = Content(MailKind.SessionChanged, "nl") with
        {
            Sessions =
            [
                new MailSession("Avond 1", WinterStart, WinterStart.AddHours(2), "Buurthuis", null, Cancelled: true),
                new MailSession("Avond 2", WinterStart.AddDays(7), WinterStart.AddDays(7).AddHours(2), "Bibliotheek", null, Changed: true),
            ],
        };

        var mail = MailComposer.Compose(content);

        Shows(mail.Text,
            "Avond 1 (gaat niet door)",
            "Avond 2 (gewijzigd)");
    }

    [Fact]
    public void Compose_OnlineSession_LinksOnlyWebAddresses()
    {
        var content = Content(MailKind.Invitation, "nl") with
        {
            Sessions =
            [
                new MailSession("Online avond", WinterStart, WinterStart.AddHours(1), null, "https://meet.example/abc"),
                new MailSession("Vreemde link", WinterStart, WinterStart.AddHours(1), null, "javascript:alert(1)"),
                new MailSession("Nog geen plek", WinterStart, WinterStart.AddHours(1), null, null),
            ],
        };

        var mail = MailComposer.Compose(content);

        Shows(mail.Html,
            "<a href=\"https://meet.example/abc\"",
            ">Meedoen via internet</a>");
        Assert.Contains("Online: https://meet.example/abc", mail.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"javascript:", mail.Html, StringComparison.Ordinal);
        Shows(mail.Text,
            "Online: javascript:alert(1)",
            "Waar: dat hoort u nog");
    }

    [Fact]
    public void Compose_ReplyConfirmation_ShowsTheCurrentAnswer()
    {
        var mail = MailComposer.Compose(Content(MailKind.ReplyConfirmation, "nl") with { CurrentAnswer = "no" });

        Shows(mail.Text,
            "Uw antwoord: Nee, ik kan niet.",
            "U hoeft verder niets te doen.");
    }

    [Fact]
    public void Compose_UnsupportedLanguage_Throws() =>
        Assert.Throws<ArgumentException>(() => MailComposer.Compose(Content(MailKind.Invitation, "de")));

    [Fact]
    public void Compose_UnknownLinkKey_Throws() =>
        Assert.Throws<ArgumentException>(() => MailComposer.Compose(
            Content(MailKind.Invitation, "nl") with { Links = [new MailLink("decline", "https://dialoog.example/x")] }));

    [Fact]
    public void Compose_LinkThatIsNotAWebAddress_Throws() =>
        Assert.Throws<ArgumentException>(() => MailComposer.Compose(
            Content(MailKind.Invitation, "nl") with { Links = [new MailLink("yes", "javascript:alert(1)")] }));

    [Fact]
    public void Compose_InvitationWithoutSessions_Throws() =>
        Assert.Throws<ArgumentException>(() => MailComposer.Compose(Content(MailKind.Invitation, "nl") with { Sessions = [] }));

    private static MailContent Content(MailKind kind, string language) => new(
        kind,
        language,
        "Fatima Yilmaz",
        "Iedereen aan tafel",
        "Wijk Noord",
        "We praten over hulp bij het huishouden.",
        "Joke de Vries",
        "regie@gemeente.example",
        [new MailSession("Eerste gesprek", WinterStart, WinterStart.AddHours(2), "Buurthuis De Linde, Lindelaan 1", null)],
        Deadline,
        kind switch
        {
            MailKind.RepresentationEscalation or MailKind.EscalationContactNotice =>
                [new MailLink("extendDeadline", "https://dialoog.example/d/1"), new MailLink("goAhead", "https://dialoog.example/d/2")],
            MailKind.DefaultDecisionApplied => [new MailLink("dashboard", "https://dialoog.example/p/1")],
            MailKind.MandateRequest => [new MailLink("mandate", "https://dialoog.example/m/1")],
            _ =>
            [
                new MailLink("yes", "https://dialoog.example/r/abc?c=yes"),
                new MailLink("no", "https://dialoog.example/r/abc?c=no"),
                new MailLink("maybe", "https://dialoog.example/r/abc?c=maybe"),
            ],
        },
        ["inwoners: 1 van 3"],
        Note: "Toelichting van de regisseur.",
        CurrentAnswer: "yes");

    private static void HasLink(string html, string url, string label) =>
        Assert.Matches($"<a href=\"{Regex.Escape(url)}\" [^>]*>{Regex.Escape(label)}</a>", html);

    private static void Shows(string mail, params string[] parts) =>
        Assert.All(parts, part => Assert.Contains(part, mail, StringComparison.Ordinal));

    private static string VisibleText(string html) =>
        Squash(WebUtility.HtmlDecode(Tags().Replace(InlineTags().Replace(html, ""), " ")));

    private static string Squash(string text) => Whitespace().Replace(text, " ").Trim();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();

    [GeneratedRegex("</?(a|strong)( [^>]*)?>")]
    private static partial Regex InlineTags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
