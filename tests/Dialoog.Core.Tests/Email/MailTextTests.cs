using System.Collections;
using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;
using Dialoog.Core.Email;
using Dialoog.Core.Letters;
using Dialoog.Core.Localization;

namespace Dialoog.Core.Tests.Email;

/// <summary>
/// The words of e-mails and letters live in .resx files per language: every language has every text, with the same
/// placeholders, and no e-mail in any language shows a code, a resource key or an unfilled placeholder.
/// </summary>
public sealed partial class MailTextTests
{
    private static readonly ResourceManager MailResources = new("Dialoog.Core.Email.MailText", typeof(MailComposer).Assembly);
    private static readonly ResourceManager LetterResources = new("Dialoog.Core.Letters.LetterText", typeof(InvitationLetter).Assembly);
    private static readonly DateTime WinterStart = new(2026, 12, 8, 18, 30, 0, DateTimeKind.Utc); // 19.30 in Amsterdam

    /// <summary>Texts that are patterns or a name rather than words, so they need no Arabic letter.</summary>
    private static readonly HashSet<string> NotWords = ["DayFormat", "TimeFormat", "SystemName"];

    /// <summary>Every link key the product uses: each must have a label in every language.</summary>
    private static readonly string[] LinkKeys =
    [
        "yes", "no", "maybe", "reply", "extendDeadline", "inviteMore", "goAhead", "cancel", "mandate", "dashboard", "upload", "download",
        "progress", "confirm", "confirmSignUp", "status",
    ];

    public static TheoryData<string, string> Translations => new()
    {
        { "mail", "en" },
        { "mail", "ar" },
        { "letter", "en" },
    };

    public static TheoryData<MailKind, string> EveryKindInEveryLanguage()
    {
        var data = new TheoryData<MailKind, string>();
        foreach (var kind in Enum.GetValues<MailKind>())
        {
            foreach (var language in new[] { "nl", "en", "ar" })
            {
                data.Add(kind, language);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Translations))]
    public void Resources_EveryLanguage_HasEveryTextWithTheSamePlaceholders(string which, string language)
    {
        var resources = which == "mail" ? MailResources : LetterResources;
        var dutch = Texts(resources, CultureInfo.InvariantCulture);
        var other = Texts(resources, CultureInfo.GetCultureInfo(language));

        Assert.True(dutch.Count > 20, $"only {dutch.Count} Dutch {which} texts");
        Assert.Equal(dutch.Keys.Order(StringComparer.Ordinal), other.Keys.Order(StringComparer.Ordinal));
        Assert.All(dutch, pair =>
        {
            Assert.False(string.IsNullOrWhiteSpace(pair.Value), $"nl: '{pair.Key}' is empty");
            Assert.False(string.IsNullOrWhiteSpace(other[pair.Key]), $"{language}: '{pair.Key}' is empty");
            var expected = string.Join(", ", ResourceText.Placeholders(pair.Value).Order(StringComparer.Ordinal));
            var actual = string.Join(", ", ResourceText.Placeholders(other[pair.Key]).Order(StringComparer.Ordinal));
            Assert.True(expected == actual, $"{language}: '{pair.Key}' has placeholders [{actual}], Dutch has [{expected}]");
        });
    }

    [Fact]
    public void Resources_Arabic_IsWrittenInArabic()
    {
        var arabic = Texts(MailResources, CultureInfo.GetCultureInfo("ar"));

        Assert.All(arabic.Where(pair => !NotWords.Contains(pair.Key)), pair =>
            Assert.True(ArabicLetter().IsMatch(pair.Value), $"ar: '{pair.Key}' has no Arabic in \"{pair.Value}\""));
    }

    [Theory]
    [MemberData(nameof(EveryKindInEveryLanguage))]
    public void Compose_EveryVariant_ShowsNoCodeKeyOrPlaceholder(MailKind kind, string language)
    {
        var composed = 0;
        foreach (var content in Variants(kind, language))
        {
            var mail = MailComposer.Compose(content);
            composed++;

            foreach (var (part, shown) in new[] { ("subject", mail.Subject), ("text", mail.Text), ("html", mail.Html) })
            {
                var raw = RawCode().Match(shown);
                Assert.False(raw.Success, $"{kind} {language} ({Describe(content)}): the {part} shows '{raw.Value}'");
            }

            if (language != "nl")
            {
                // The coordinator's closing words are Dutch codes; in another language they are translated.
                var code = EndingCode().Match(mail.Text);
                Assert.False(code.Success, $"{kind} {language} ({Describe(content)}): shows the code '{code.Value}'");
            }

            if (language == "ar")
            {
                // A text missing in Arabic would fall back to Dutch: none of its little words may show up.
                var foreign = DutchOrEnglishWord().Match(mail.Text);
                Assert.False(foreign.Success, $"{kind} ar ({Describe(content)}): '{foreign.Value}' in\n{mail.Text}");
                Assert.Contains("<html lang=\"ar\" dir=\"rtl\">", mail.Html, StringComparison.Ordinal);
            }
        }

        Assert.True(composed >= 64, $"only {composed} variants");
    }

    [Fact]
    public void Compose_ArabicInvitation_RightToLeftWithArabicDatesInAmsterdamTime()
    {
        var mail = MailComposer.Compose(Content(MailKind.Invitation, "ar") with { Note = null });

        Assert.Equal("دعوة: حوار حول Iedereen aan tafel", mail.Subject);
        Assert.Contains("<html lang=\"ar\" dir=\"rtl\">", mail.Html, StringComparison.Ordinal);
        Assert.Contains("lang=\"ar\" dir=\"rtl\" style=", mail.Html, StringComparison.Ordinal);
        // The session's bar and the list indent sit on the right, where an Arabic line starts.
        Assert.Contains("border-right:4px solid", mail.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("border-left", mail.Html, StringComparison.Ordinal);

        // 18.30 UTC on 8 December is 19.30 in Amsterdam; day and month in Arabic, the Gregorian year.
        var day = new DateTime(2026, 12, 8).ToString("dddd d MMMM yyyy", CultureInfo.GetCultureInfo("ar"));
        Assert.Matches(ArabicLetter(), day);
        Assert.Contains("2026", day, StringComparison.Ordinal);
        Assert.Contains($"متى: {day}، 19:30 – 21:30", mail.Text, StringComparison.Ordinal);
        Assert.StartsWith("عزيزي/عزيزتي Fatima Yilmaz،\n", mail.Text, StringComparison.Ordinal);
        Assert.Contains("نعم، سأحضر:\nhttps://dialoog.example/r/0", mail.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("<", mail.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nl", "Beste Fatima Yilmaz,", "dinsdag 8 december 2026, 19.30 – 21.30 uur")]
    [InlineData("en", "Dear Fatima Yilmaz,", "Tuesday 8 December 2026, 19:30 – 21:30")]
    public void Compose_DutchAndEnglish_StayLeftToRight(string language, string greeting, string when)
    {
        var mail = MailComposer.Compose(Content(MailKind.Invitation, language));

        Assert.Contains($"<html lang=\"{language}\">", mail.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("dir=\"rtl\"", mail.Html, StringComparison.Ordinal);
        Assert.Contains("border-left:4px solid", mail.Html, StringComparison.Ordinal);
        Assert.StartsWith(greeting + "\n", mail.Text, StringComparison.Ordinal);
        Assert.Contains(when, mail.Text, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Texts(ResourceManager resources, CultureInfo culture)
    {
        var set = resources.GetResourceSet(culture, createIfNotExists: true, tryParents: false);
        Assert.True(set is not null, $"no resources for '{culture.Name}'");
        return set.Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)e.Value!, StringComparer.Ordinal);
    }

    /// <summary>The content in every combination that changes which sentences an e-mail says.</summary>
    private static IEnumerable<MailContent> Variants(MailKind kind, string language)
    {
        var itemKinds = kind.ToString().StartsWith("Action", StringComparison.Ordinal) ? new[] { null, "action", "initiative" } : [null];
        foreach (var deadline in new DateTime?[] { null, WinterStart.AddDays(-7) })
        foreach (var note in Notes(kind))
        foreach (var answer in new[] { null, "yes", "no", "maybe" })
        foreach (var itemKind in itemKinds)
        foreach (var separately in new[] { false, true })
        {
            var content = Content(kind, language) with
            {
                ReplyDeadlineUtc = deadline, Note = note, CurrentAnswer = answer, ItemKind = itemKind, CalendarSeparately = separately,
            };
            yield return content;
            yield return content with { Facts = [] };
        }
    }

    /// <summary>The notes a kind reads as codes (a decision, why an action stalled, how a process ended), or free text.</summary>
    private static string?[] Notes(MailKind kind) => kind switch
    {
        MailKind.DefaultDecisionApplied => [null, "goAhead", "cancel", "extendDeadline", "inviteMore", "iets anders"],
        MailKind.ActionStalled => [null, "overdue", "noUpdate", "iets anders"],
        MailKind.ProcessSummary => [null, "afgerond", "gesloten", "geannuleerd", "Zaal dicht"],
        MailKind.InitiativeReceived => [null, "Piet Jansen"],
        _ => [null, "Zaal dicht"],
    };

    /// <summary>User values without Dutch or English little words, braces or underscores, so any that show up came from us.</summary>
    private static MailContent Content(MailKind kind, string language) => MailComposerTests.Content(kind, language) with
    {
        Description = "Buurtplan Noord",
        CoordinatorName = "Joke Vries",
        Sessions =
        [
            new MailSession("Eerste gesprek", WinterStart, WinterStart.AddHours(2), "Buurthuis Linde", null),
            new MailSession("Online gesprek", WinterStart.AddDays(7), WinterStart.AddDays(7).AddHours(2), null, "https://meet.example/noord", Changed: true),
            new MailSession("Slot", WinterStart.AddDays(14), WinterStart.AddDays(15), null, null, Cancelled: true),
        ],
        ReplyDeadlineUtc = WinterStart.AddDays(-7),
        Links = [.. LinkKeys.Select((key, i) => new MailLink(key, $"https://dialoog.example/r/{i}"))],
        Facts = ["inwoners: 1 / 3"],
        Note = "Zaal dicht",
        CurrentAnswer = null,
        PrivacyUrl = "https://dialoog.example/privacy",
    };

    private static string Describe(MailContent content) =>
        $"deadline {content.ReplyDeadlineUtc is not null}, note {content.Note ?? "-"}, answer {content.CurrentAnswer ?? "-"}, item {content.ItemKind ?? "-"}, facts {content.Facts.Count}";

    /// <summary>A brace, a resource key (Invitation_Subject), a link or decision code, or the name of a kind of e-mail.</summary>
    [GeneratedRegex(@"[{}]|\b[A-Za-z]+_[A-Za-z0-9_]+\b|\b(goAhead|extendDeadline|inviteMore|confirmSignUp|noUpdate|overdue|ReplyReminder|ReplyConfirmation|ReplyAfterDeadline|PromotedFromWaitlist|SessionReminder|SessionChanged|SessionCancelled|ProcessCancelled|RepresentationEscalation|EscalationContactNotice|DefaultDecisionApplied|MandateRequest|MinutesReminder|MinutesEscalation|MinutesAvailable|MinutesCorrected|MinutesRequest|ActionAssigned|ActionReminder|ActionStalled|ActionEscalation|ActionClosed|InitiativeReceived|InitiativeConfirm|InitiativeClosed|ProgressReport|ProcessSummary|SignedUp|SignUpConfirm)\b")]
    private static partial Regex RawCode();

    [GeneratedRegex(@"\b(afgerond|gesloten|geannuleerd)\b")]
    private static partial Regex EndingCode();

    [GeneratedRegex(@"\b(de|het|een|u|uw|van|the|you|your|of|to)\b", RegexOptions.IgnoreCase)]
    private static partial Regex DutchOrEnglishWord();

    [GeneratedRegex(@"[\u0600-\u06FF]")]
    private static partial Regex ArabicLetter();
}
