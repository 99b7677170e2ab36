using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;

namespace Dialoog.Core.Localization;

/// <summary>
/// Sentences of one language from a .resx file, with named placeholders (<c>{topic}</c>) filled in. A missing text or
/// a placeholder without a value throws: a reader must never see a key or a raw <c>{topic}</c>.
/// </summary>
internal sealed partial class ResourceText(ResourceManager resources, CultureInfo culture)
{
    public CultureInfo Culture => culture;

    /// <summary>The text, or null when the resource has no such key (for keys that come from data, like link keys).</summary>
    public string? Find(string key) => resources.GetString(key, culture);

    /// <exception cref="InvalidOperationException">There is no such text, or a placeholder in it has no value.</exception>
    public string Get(string key, Dictionary<string, string?>? values = null)
    {
        var text = Find(key) ?? throw new InvalidOperationException($"There is no text '{key}' for language '{culture.Name}'.");

        // One pass over the resource text: a value that itself contains "{…}" (a topic someone typed) stays as it is.
        return Placeholder().Replace(text, match => values is not null && values.TryGetValue(match.Groups[1].Value, out var value) && value is not null
            ? value
            : throw new InvalidOperationException($"Text '{key}' needs a value for {match.Value}."));
    }

    /// <summary>The placeholder names in a text, for tests that hold every language to the same set.</summary>
    public static IReadOnlySet<string> Placeholders(string text) =>
        Placeholder().Matches(text).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"\{(\w+)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();
}
