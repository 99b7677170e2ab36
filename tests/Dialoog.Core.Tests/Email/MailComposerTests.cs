using System.Net;
using System.Text.RegularExpressions;
using Dialoog.Core.Email;

namespace Dialoog.Core.Tests.Email;

public sealed partial class MailComposerTests
{
    private static readonly DateTime WinterStart = new(2026, 12, 8, 18, 30, 0, DateTimeKind.Utc); // 19.30 CET
    private static readonly DateTime SummerStart = new(2026, 6, 16, 17, 30, 0, DateTimeKind.Utc); // 19.30 CEST
    private static readonly DateTime Deadline = new(2026, 11, 30, 16, 0, 0, DateTimeKind.Utc); // 17.00 CET

    public static TheoryData<MailKind, string> EveryKindInEveryLanguage()
    {
        var data = new TheoryData<MailKind, string>();
        foreach (var kind in Enum.GetValues<MailKind>())
        {
            data.Add(kind, "nl");
            data.Add(kind, "en");
            data.Add(kind, "ar");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryKindInEveryLanguage))]
    public void Compose_EveryKind_WritesHtmlAndTextWithTheSameContent(MailKind kind, string language)
    {
        var content = Content(kind, language);

        var mail = MailComposer.Compose(content);

        Assert.False(string.IsNullOrWhiteSpace(mail.Subject));
        Assert.Contains("Iedereen aan tafel", mail.Subject, StringComparison.Ordinal);
        Assert.Contains(language == "ar" ? "<html lang=\"ar\" dir=\"rtl\">" : $"<html lang=\"{language}\">", mail.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", mail.Html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(language switch { "nl" => "Beste Fatima Yilmaz,", "en" => "Dear Fatima Yilmaz,", _ => "عزيزي/عزيزتي Fatima Yilmaz،" }, mail.Text, StringComparison.Ordinal);
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
    [MemberData(nameof(EveryKindInEveryLanguage))]
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

    [Theory]
    [InlineData("upload", "nl", "Verslag uploaden")]
    [InlineData("upload", "en", "Upload the minutes")]
    [InlineData("download", "nl", "Verslag downloaden")]
    [InlineData("download", "en", "Download the minutes")]
    [InlineData("progress", "nl", "Voortgang doorgeven")]
    [InlineData("progress", "en", "Report progress")]
    public void Compose_MinutesAndProgressLinks_HaveTheirLabel(string key, string language, string label)
    {
        var content = Content(MailKind.ActionReminder, language) with { Links = [new MailLink(key, "https://dialoog.example/k/1")] };

        var mail = MailComposer.Compose(content);

        HasLink(mail.Html, "https://dialoog.example/k/1", label);
    }

    [Theory]
    [InlineData(MailKind.MinutesReminder)]
    [InlineData(MailKind.MinutesEscalation)]
    [InlineData(MailKind.MinutesAvailable)]
    [InlineData(MailKind.MinutesCorrected)]
    public void Compose_MinutesKindWithoutSession_Throws(MailKind kind) =>
        Assert.Throws<ArgumentException>(() => MailComposer.Compose(Content(kind, "nl") with { Sessions = [] }));

    [Theory]
    [InlineData(MailKind.ActionAssigned)]
    [InlineData(MailKind.ActionReminder)]
    [InlineData(MailKind.ActionStalled)]
    [InlineData(MailKind.ActionEscalation)]
    [InlineData(MailKind.InitiativeReceived)]
    [InlineData(MailKind.ProgressReport)]
    [InlineData(MailKind.ProcessSummary)]
    [InlineData(MailKind.ActionClosed)]
    public void Compose_ActionOrProcessKindWithoutSession_ShowsNoSessions(MailKind kind)
    {
        var mail = MailComposer.Compose(Content(kind, "nl") with { Sessions = [] });

        Assert.DoesNotContain("Wanneer en waar", mail.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_UnknownItemKind_Throws() =>
        Assert.Throws<ArgumentException>(() => MailComposer.Compose(Content(MailKind.ActionAssigned, "nl") with { ItemKind = "task" }));

    [Fact]
    public void Compose_MinutesReminder_AsksForTheFileAndTheAgreements()
    {
        var mail = MailComposer.Compose(Content(MailKind.MinutesReminder, "nl"));

        HasLink(mail.Html, "https://dialoog.example/u/1", "Verslag uploaden");
        Shows(mail.Text,
            "Het verslag moest er zijn op maandag 30 november 2026, 17.00 uur.",
            "PDF, Word, OpenDocument of tekstbestand",
            "Vul bij het uploaden ook de afspraken in",
            "Eerste gesprek");
    }

    [Fact]
    public void Compose_MinutesEscalation_ListsTheFacilitatorAndIsSignedBySystem()
    {
        var content = Content(MailKind.MinutesEscalation, "en") with { Facts = ["Gespreksbegeleider: Fien (fien@example.org)"], Note = null };

        var mail = MailComposer.Compose(content);

        Assert.Contains("<li>Gespreksbegeleider: Fien (fien@example.org)</li>", mail.Html, StringComparison.Ordinal);
        HasLink(mail.Html, "https://dialoog.example/u/1", "Upload the minutes");
        Shows(mail.Text,
            "Coordinator of this process: Joke de Vries",
            "Kind regards,\nDialoog");
    }

    [Theory]
    [InlineData(MailKind.MinutesAvailable, "nl", "Deze link is alleen voor u en werkt 30 dagen")]
    [InlineData(MailKind.MinutesAvailable, "en", "This link is only for you and works for 30 days")]
    [InlineData(MailKind.MinutesCorrected, "nl", "Deze versie komt in de plaats van het verslag dat u eerder kreeg.")]
    [InlineData(MailKind.MinutesCorrected, "en", "It replaces the minutes you received earlier.")]
    public void Compose_Minutes_ListsTheAgreedActionsWithAPersonalDownloadLink(MailKind kind, string language, string says)
    {
        var content = Content(kind, language) with { Facts = ["Speeltuin schetsen — Anna, klaar vóór 12 januari 2027"] };

        var mail = MailComposer.Compose(content);

        Assert.Contains("<li>Speeltuin schetsen — Anna, klaar vóór 12 januari 2027</li>", mail.Html, StringComparison.Ordinal);
        HasLink(mail.Html, "https://dialoog.example/v/1", language == "nl" ? "Verslag downloaden" : "Download the minutes");
        Shows(mail.Text, says);
        Assert.DoesNotContain(language == "nl" ? "geen afspraken" : "No actions", mail.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(MailKind.MinutesAvailable, "nl", "In deze bijeenkomst zijn geen afspraken vastgelegd.")]
    [InlineData(MailKind.MinutesCorrected, "en", "No actions were recorded in this session.")]
    public void Compose_MinutesWithoutActions_SaysNoneWereRecorded(MailKind kind, string language, string says)
    {
        var mail = MailComposer.Compose(Content(kind, language) with { Facts = [] });

        Shows(mail.Text, says);
        Assert.DoesNotContain("<ul", mail.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_ActionAssigned_ShowsTheDueDateWithoutTheHour()
    {
        var content = Content(MailKind.ActionAssigned, "nl") with
        {
            Facts = ["Speeltuin schetsen"],
            ReplyDeadlineUtc = new DateTime(2027, 1, 12, 22, 59, 0, DateTimeKind.Utc), // 23.59 in Amsterdam
            Note = null,
        };

        var mail = MailComposer.Compose(content);

        Shows(mail.Text,
            "Graag klaar vóór dinsdag 12 januari 2027.",
            "- Speeltuin schetsen",
            "bezig, klaar of vastgelopen",
            "Dan laten we het weten aan de regisseur, Joke de Vries.");
        Assert.Equal("Uw afspraak uit het gesprek over Iedereen aan tafel", mail.Subject);
        Assert.DoesNotContain("23.59", mail.Text, StringComparison.Ordinal);
        HasLink(mail.Html, "https://dialoog.example/a/1", "Voortgang doorgeven");
    }

    [Fact]
    public void Compose_ActionAssignedForAnInitiative_ShowsSubmitterAndDescription()
    {
        var content = Content(MailKind.ActionAssigned, "en") with
        {
            ItemKind = "initiative",
            Facts = ["Moestuin bij school", "Ingediend door: Sem (sem@example.org)"],
            Note = "Een moestuin voor de buurt.",
        };

        var mail = MailComposer.Compose(content);

        Assert.Equal("You are the contact person for an initiative: Iedereen aan tafel", mail.Subject);
        Shows(mail.Text,
            "This is the initiative:\n\n- Moestuin bij school\n- Ingediend door: Sem (sem@example.org)\n\nAbout the initiative: Een moestuin voor de buurt.",
            "in progress, done or stuck");
        Assert.DoesNotContain("before Monday", mail.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(MailKind.ActionReminder, "nl", "het initiatief moet klaar zijn vóór", "Het initiatief moet klaar zijn vóór maandag 30 november 2026.")]
    [InlineData(MailKind.ActionStalled, "nl", "Vraag over het initiatief", "We willen graag weten hoe het gaat met het initiatief.")]
    [InlineData(MailKind.ActionEscalation, "en", "Attention needed for an initiative", "Get in touch with the contact person and ask what is needed to move on.")]
    [InlineData(MailKind.ActionClosed, "en", "The initiative has been closed", "has closed the initiative.")]
    public void Compose_ActionKindsForAnInitiative_SpeakOfTheInitiative(MailKind kind, string language, string subjectOrText, string says)
    {
        var mail = MailComposer.Compose(Content(kind, language) with { ItemKind = "initiative" });

        Assert.Contains(subjectOrText, mail.Subject + "\n" + mail.Text, StringComparison.OrdinalIgnoreCase);
        Shows(mail.Text, says);
        Assert.DoesNotContain(language == "nl" ? "uw afspraak" : "your action", mail.Text, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("nl", "Uw afspraak moet klaar zijn vóór maandag 30 november 2026. Die datum komt dichtbij.", "Kies dan \"vastgelopen\"", "17.00")]
    [InlineData("en", "Your action should be done before Monday 30 November 2026. That date is coming close.", "choose \"stuck\"", "17:00")]
    public void Compose_ActionReminder_ShowsTheDueDateAndHowToSayItIsStuck(string language, string due, string stuck, string hour)
    {
        var mail = MailComposer.Compose(Content(MailKind.ActionReminder, language));

        Shows(mail.Text, due, stuck);
        Assert.DoesNotContain(hour, mail.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("overdue", "nl", "Uw afspraak moest klaar zijn vóór maandag 30 november 2026. Die datum is nu voorbij.")]
    [InlineData("overdue", "en", "Your action was due before Monday 30 November 2026. That date has now passed.")]
    [InlineData("noUpdate", "nl", "We hebben al een tijdje niets gehoord over uw afspraak.")]
    [InlineData("noUpdate", "en", "We have not heard about your action for a while.")]
    public void Compose_ActionStalled_SaysKindlyWhyAndThatTheCoordinatorWillBeTold(string reason, string language, string says)
    {
        var mail = MailComposer.Compose(Content(MailKind.ActionStalled, language) with { Note = reason });

        Shows(mail.Text, says, language == "nl" ? "regisseur, Joke de Vries" : "coordinator, Joke de Vries");
        Assert.DoesNotContain(reason, mail.Text, StringComparison.Ordinal);
        HasLink(mail.Html, "https://dialoog.example/a/1", language == "nl" ? "Voortgang doorgeven" : "Report progress");
    }

    [Fact]
    public void Compose_ActionEscalation_ShowsTheFactsTheReasonAndWhatCanBeDone()
    {
        var content = Content(MailKind.ActionEscalation, "nl") with
        {
            Facts = ["Afspraak: Speeltuin schetsen", "Eigenaar: Anna (anna@example.org)", "Klaar vóór: 12 januari 2027", "Status: vastgelopen"],
            Note = "Geen budget.",
        };

        var mail = MailComposer.Compose(content);

        Shows(mail.Text,
            "- Status: vastgelopen\n\nReden van de eigenaar: Geen budget.",
            "Neem contact op met de eigenaar.",
            "Op het dashboard kunt u de afspraak ook sluiten of aan iemand anders geven.",
            "Met vriendelijke groet,\nDialoog");
        HasLink(mail.Html, "https://dialoog.example/p/1", "Naar het dashboard");
    }

    [Fact]
    public void Compose_ActionEscalationWithoutReason_ShowsNoReason()
    {
        var mail = MailComposer.Compose(Content(MailKind.ActionEscalation, "en") with { Note = null });

        Assert.DoesNotContain("Reason", mail.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nl", "Piet Jansen", "Uw contactpersoon bij de gemeente is Piet Jansen.")]
    [InlineData("nl", null, "We zoeken nu bij de gemeente een contactpersoon voor uw initiatief.")]
    [InlineData("en", "Piet Jansen", "Piet Jansen will contact you")]
    [InlineData("en", null, "We are now looking for a contact person at the municipality")]
    public void Compose_InitiativeReceived_SaysWhoWillGetInTouch(string language, string? contact, string says)
    {
        var content = Content(MailKind.InitiativeReceived, language) with { Facts = ["Moestuin bij school"], Note = contact };

        var mail = MailComposer.Compose(content);

        Shows(mail.Text, says, "- Moestuin bij school");
        Assert.DoesNotContain(language == "nl" ? "Toelichting" : "Note:", mail.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_ProgressReport_ListsTheCountsForTheCoordinator()
    {
        var content = Content(MailKind.ProgressReport, "nl") with { Facts = ["Klaar: 3", "Bezig: 2", "Vastgelopen: Speeltuin schetsen (Anna)"] };

        var mail = MailComposer.Compose(content);

        Shows(mail.Text,
            "- Klaar: 3\n- Bezig: 2\n- Vastgelopen: Speeltuin schetsen (Anna)",
            "Regisseur van dit traject: Joke de Vries");
        HasLink(mail.Html, "https://dialoog.example/p/1", "Naar het dashboard");
    }

    [Theory]
    [InlineData("nl", "afgerond", "Het traject is afgerond.")]
    [InlineData("nl", "geannuleerd", "Het traject is geannuleerd.")]
    [InlineData("en", "gesloten", "The process was closed.")]
    [InlineData("en", "Samengevoegd met Zuid", "This is how the process ended: Samengevoegd met Zuid")]
    public void Compose_ProcessSummary_SaysHowItEnded(string language, string ending, string says)
    {
        var content = Content(MailKind.ProcessSummary, language) with { Facts = ["inwoners: 5 van 6 aanwezig", "Afspraken klaar: 4, open: 1"], Note = ending };

        var mail = MailComposer.Compose(content);

        Shows(mail.Text, says, "- Afspraken klaar: 4, open: 1");
    }

    [Theory]
    [InlineData("nl", "U hoeft er niets meer aan te doen.", "Reden: Niet meer nodig.")]
    [InlineData("en", "You do not need to do anything more for it.", "Reason: Niet meer nodig.")]
    public void Compose_ActionClosed_SaysNothingMoreIsNeeded(string language, string says, string reason)
    {
        var mail = MailComposer.Compose(Content(MailKind.ActionClosed, language) with { Facts = ["Speeltuin schetsen"], Note = "Niet meer nodig." });

        Shows(mail.Text, says, reason);
    }

    [Theory]
    [InlineData("nl", "Het besluit: het traject gaat door, ook zonder alle groepen.")]
    [InlineData("en", "The decision: the process goes ahead, also without every group.")]
    public void DefaultDecision_IsSaidInWords_NeverAsItsCode(string language, string says)
    {
        var mail = MailComposer.Compose(Content(MailKind.DefaultDecisionApplied, language) with { Note = "goAhead" });

        Shows(mail.Text, says);
        Assert.DoesNotContain("goAhead", mail.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("goAhead", mail.Html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nl", "Zo gaan wij om met uw gegevens")]
    [InlineData("en", "How we handle your personal data")]
    public void ParticipantMail_EndsWithTheLinkToThePrivacyStatement_TeamMailDoesNot(string language, string label)
    {
        const string privacy = "https://dialoog.example/privacy";

        var invitation = MailComposer.Compose(Content(MailKind.Invitation, language) with { PrivacyUrl = privacy });
        var escalation = MailComposer.Compose(Content(MailKind.RepresentationEscalation, language) with { PrivacyUrl = privacy });

        Assert.Contains(label, invitation.Text, StringComparison.Ordinal);
        Assert.Contains(privacy, invitation.Text, StringComparison.Ordinal);
        Assert.Contains($"href=\"{privacy}\"", invitation.Html, StringComparison.Ordinal);
        Assert.DoesNotContain(privacy, escalation.Text, StringComparison.Ordinal);
    }

    internal static MailContent Content(MailKind kind, string language) => new(
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
            MailKind.MinutesReminder or MailKind.MinutesEscalation => [new MailLink("upload", "https://dialoog.example/u/1")],
            MailKind.MinutesAvailable or MailKind.MinutesCorrected => [new MailLink("download", "https://dialoog.example/v/1")],
            MailKind.ActionAssigned or MailKind.ActionReminder or MailKind.ActionStalled =>
                [new MailLink("progress", "https://dialoog.example/a/1")],
            MailKind.ActionEscalation or MailKind.ProgressReport or MailKind.ProcessSummary => [new MailLink("dashboard", "https://dialoog.example/p/1")],
            MailKind.InitiativeReceived or MailKind.ActionClosed => [],
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
