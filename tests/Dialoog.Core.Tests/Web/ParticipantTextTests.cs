using System.Collections;
using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;
using Dialoog.Web.Participant;

namespace Dialoog.Core.Tests.Web;

/// <summary>
/// The participant pages' words: every key of the Dutch resources is translated in every other language, in that
/// language's own file (not by falling back to Dutch), with the same placeholders, and each fills in without error.
/// </summary>
public sealed partial class ParticipantTextTests
{
    public static TheoryData<string> Translations => new() { "en", "ar" };

    [Theory]
    [MemberData(nameof(Translations))]
    public void EveryKey_IsTranslated_WithTheSamePlaceholders(string language)
    {
        var dutch = Texts(CultureInfo.InvariantCulture);
        var translated = Texts(CultureInfo.GetCultureInfo(language));

        Assert.NotEmpty(dutch);
        Assert.Equal(dutch.Keys.Order(StringComparer.Ordinal), translated.Keys.Order(StringComparer.Ordinal));
        Assert.All(dutch, pair =>
        {
            Assert.False(string.IsNullOrWhiteSpace(translated[pair.Key]), $"{language}: {pair.Key} is empty");
            Assert.True(Placeholders(pair.Value).SetEquals(Placeholders(translated[pair.Key])), $"{language}: {pair.Key} has other placeholders than the Dutch");
        });
    }

    [Theory]
    [InlineData("nl")]
    [InlineData("en")]
    [InlineData("ar")]
    public void EveryText_FillsIn_InItsCulture(string language)
    {
        var culture = ParticipantLanguage.CultureFor(language);
        var when = new DateTime(2026, 12, 8, 19, 30, 0, DateTimeKind.Unspecified);
        foreach (var (key, _) in Texts(CultureInfo.InvariantCulture))
        {
            var text = ParticipantLanguage.Text(culture, key, when, when.AddHours(2));
            Assert.DoesNotContain("{", text, StringComparison.Ordinal);
        }

        // Dates go through the page's culture, in the Gregorian calendar also in Arabic.
        var session = ParticipantLanguage.Text(culture, "Session_Time", when, when.AddHours(2));
        Assert.Contains("2026", session, StringComparison.Ordinal);
        Assert.Contains(language switch { "nl" => "december", "en" => "December", _ => "ديسمبر" }, session, StringComparison.Ordinal);
    }

    [Fact]
    public void Language_SwitchWins_ThenLink_ThenParticipant_ElseDutch()
    {
        Assert.Equal("ar", ParticipantLanguage.Resolve("ar", "en", "nl"));
        Assert.Equal("en", ParticipantLanguage.Resolve("", "en", "nl"));
        Assert.Equal("en", ParticipantLanguage.Resolve("fr", null, "EN"));
        Assert.Equal("nl", ParticipantLanguage.Resolve(null, null, null));
        Assert.True(ParticipantLanguage.IsRightToLeft("ar"));
        Assert.False(ParticipantLanguage.IsRightToLeft("nl"));
    }

    /// <summary>The texts in the resource file of exactly this culture (no fallback to the neutral Dutch).</summary>
    private static Dictionary<string, string> Texts(CultureInfo culture)
    {
        var set = ParticipantLanguage.Resources.GetResourceSet(culture, createIfNotExists: true, tryParents: false)
            ?? throw new InvalidOperationException($"No participant texts for '{culture.Name}'.");
        return set.Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)e.Value!, StringComparer.Ordinal);
    }

    private static HashSet<string> Placeholders(string text) => [.. Placeholder().Matches(text).Select(m => m.Groups[1].Value)];

    [GeneratedRegex(@"\{(\d+)(?:[:,][^}]*)?\}")]
    private static partial Regex Placeholder();
}
