using System.Globalization;
using System.Resources;
using Dialoog.Core.Processes.Definition;

namespace Dialoog.Web.Participant;

/// <summary>
/// The languages of the participant pages, and their words: ParticipantText.resx (Dutch, B1) with a .en and an .ar
/// translation beside it. Every page asks for its text here with an explicit culture, so a request never depends on
/// the thread's culture.
/// </summary>
public static class ParticipantLanguage
{
    /// <summary>The query parameter of the language switch: <c>?taal=en</c>.</summary>
    public const string QueryKey = "taal";

    /// <summary>The languages in the switch, in its order, each named in itself.</summary>
    public static readonly IReadOnlyList<(string Code, string Name)> All =
        [(Languages.Dutch, "Nederlands"), (Languages.English, "English"), (Languages.Arabic, "العربية")];

    internal static readonly ResourceManager Resources = new("Dialoog.Web.Web.Participant.ParticipantText", typeof(ParticipantLanguage).Assembly);

    private static readonly CultureInfo Dutch = CultureInfo.GetCultureInfo("nl-NL");
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-GB");

    // The neutral Arabic culture counts in the Hijri calendar; people in the Netherlands live by the Gregorian one.
    private static readonly CultureInfo Arabic = GregorianArabic();

    public static bool IsSupported(string? code) => All.Any(l => l.Code == code);

    /// <summary>The first supported language of: the switch, the link, the participant; otherwise Dutch.</summary>
    public static string Resolve(params string?[] candidates) =>
        candidates.Select(c => c?.Trim().ToLowerInvariant()).FirstOrDefault(IsSupported) ?? Languages.Dutch;

    public static CultureInfo CultureFor(string language) => language switch
    {
        Languages.English => English,
        Languages.Arabic => Arabic,
        _ => Dutch,
    };

    public static bool IsRightToLeft(string language) => CultureFor(language).TextInfo.IsRightToLeft;

    /// <summary>The text for <paramref name="key"/> in <paramref name="culture"/>, with its placeholders filled in that culture.</summary>
    public static string Text(CultureInfo culture, string key, params object?[] args)
    {
        ArgumentNullException.ThrowIfNull(culture);
        var template = Resources.GetString(key, culture) ?? throw new KeyNotFoundException($"No participant text '{key}'.");
        return args.Length == 0 ? template : string.Format(culture, template, args);
    }

    private static CultureInfo GregorianArabic()
    {
        var culture = (CultureInfo)CultureInfo.GetCultureInfo("ar").Clone();
        culture.DateTimeFormat.Calendar = new GregorianCalendar(GregorianCalendarTypes.Localized);
        return CultureInfo.ReadOnly(culture);
    }
}
