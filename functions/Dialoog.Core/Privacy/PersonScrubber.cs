using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Dialoog.Core.Privacy;

/// <summary>
/// One person to erase from stored text: their address and name give way to placeholders, and a remark they wrote or
/// their phone number (in any object that names them by participant id or address) is removed.
/// </summary>
/// <param name="Email">Their address; empty for someone reached only by phone or post.</param>
/// <param name="ParticipantId">Their id in this process, when they are a participant (replies name them by it).</param>
public sealed record ErasedPerson(string Email, string Name, string PlaceholderEmail, string PlaceholderName, string? ParticipantId)
{
    /// <summary>Their phone number in international form (+31612345678): an object with that number is about them, however it was typed.</summary>
    public string? Phone { get; init; }
}

/// <summary>
/// Rewrites text (plain, or JSON as the engine and our tables store it, also JSON inside JSON strings) so that one
/// person no longer appears in it. Pure: no storage, so it is the same for history rows, table rows and blobs.
/// </summary>
public static class PersonScrubber
{
    /// <summary>What an object about the person holds of theirs beyond name and address: remarks, the phone number or postal address (of someone reached without e-mail, or a coordinator's phone), and what they answered when signing up openly.</summary>
    private static readonly string[] ErasedProperties = ["remark", "note", "phone", "address", "signUpAnswers"];

    /// <summary>The name as a whole word (not inside a longer word or a double name), any case.</summary>
    public static string ReplaceName(string text, string name, string replacement)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length < 2 || string.Equals(name, replacement, StringComparison.Ordinal))
        {
            return text;
        }

        // A hyphen joins names (Anna-Lies is someone else than Anna); an apostrophe does not (Anna's reactie is hers).
        var pattern = $@"(?<![\p{{L}}\p{{N}}-]){Regex.Escape(name.Trim())}(?![\p{{L}}\p{{N}}-])";
        return Regex.Replace(text, pattern, replacement.Replace("$", "$$", StringComparison.Ordinal), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }

    /// <summary>The text without the person; the same text (same instance) when they were not in it.</summary>
    public static string Scrub(string text, ErasedPerson person)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(person);
        var result = text;
        if (LooksLikeJson(result) && TryParse(result) is { } node)
        {
            if (WalkObjects(node, person))
            {
                result = node.ToJsonString();
            }
        }

        foreach (var email in Variants(person.Email))
        {
            result = result.Replace(email, person.PlaceholderEmail, StringComparison.OrdinalIgnoreCase);
        }

        foreach (var name in Variants(person.Name))
        {
            result = ReplaceName(result, name, person.PlaceholderName);
        }

        return string.Equals(result, text, StringComparison.Ordinal) ? text : result;
    }

    /// <summary>Whether the person still appears in the text (any case, escaped as JSON or in a URL).</summary>
    public static bool Mentions(string text, ErasedPerson person)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(person);
        return Variants(person.Email).Any(e => text.Contains(e, StringComparison.OrdinalIgnoreCase))
            || Variants(person.Name).Any(n => !string.Equals(ReplaceName(text, n, "\u0001"), text, StringComparison.Ordinal));
    }

    /// <summary>A value as it may be stored: itself, JSON-escaped (strict and relaxed) and URL-escaped (blob metadata).</summary>
    private static IEnumerable<string> Variants(string value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return [];
        }

        var trimmed = value.Trim();
        return new[]
        {
            trimmed,
            JsonEncodedText.Encode(trimmed).ToString(),
            JsonEncodedText.Encode(trimmed, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString(),
            Uri.EscapeDataString(trimmed),
        }.Distinct(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Removes the remarks and phone numbers in objects about the person; recurses into JSON kept inside strings. True when anything changed.</summary>
    private static bool WalkObjects(JsonNode? node, ErasedPerson person)
    {
        var changed = false;
        switch (node)
        {
            case JsonObject obj:
                if (IsAbout(obj, person))
                {
                    foreach (var property in obj.Where(p => ErasedProperties.Contains(p.Key, StringComparer.OrdinalIgnoreCase) && p.Value is not null).Select(p => p.Key).ToList())
                    {
                        obj[property] = null;
                        changed = true;
                    }
                }

                foreach (var (key, value) in obj.ToList())
                {
                    if (NestedJson(value, person) is { } scrubbed)
                    {
                        obj[key] = scrubbed;
                        changed = true;
                    }
                    else
                    {
                        changed |= WalkObjects(value, person);
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (NestedJson(array[i], person) is { } scrubbed)
                    {
                        array[i] = scrubbed;
                        changed = true;
                    }
                    else
                    {
                        changed |= WalkObjects(array[i], person);
                    }
                }

                break;
        }

        return changed;
    }

    /// <summary>
    /// JSON kept inside a string (a carried state) is scrubbed as a whole, escapes and all; its new text, or null when
    /// the value is no such string or the person was not in it.
    /// </summary>
    private static string? NestedJson(JsonNode? value, ErasedPerson person)
    {
        if (value is not JsonValue leaf || !leaf.TryGetValue<string>(out var inner) || !LooksLikeJson(inner))
        {
            return null;
        }

        var scrubbed = Scrub(inner, person);
        return ReferenceEquals(scrubbed, inner) ? null : scrubbed;
    }

    private static bool IsAbout(JsonObject obj, ErasedPerson person)
    {
        foreach (var (key, value) in obj)
        {
            if (value is not JsonValue leaf || !leaf.TryGetValue<string>(out var text))
            {
                continue;
            }

            // An empty address is no one's: everyone without e-mail has one.
            if ((person.ParticipantId is not null && key.Equals("participantId", StringComparison.OrdinalIgnoreCase) && text == person.ParticipantId)
                || (key.Equals("email", StringComparison.OrdinalIgnoreCase) && person.Email.Trim().Length > 0
                    && string.Equals(text.Trim(), person.Email.Trim(), StringComparison.OrdinalIgnoreCase))
                || (person.Phone is not null && key.Equals("phone", StringComparison.OrdinalIgnoreCase)
                    && Processes.Definition.PhoneNumbers.ToInternational(text) == person.Phone))
            {
                return true;
            }
        }

        // A participant record: its id is "id", next to the person's address (checked above) or its placeholder.
        return person.ParticipantId is not null
            && obj.TryGetPropertyValue("id", out var id) && id is JsonValue idLeaf && idLeaf.TryGetValue<string>(out var idText) && idText == person.ParticipantId
            && obj.Any(p => p.Key.Equals("email", StringComparison.OrdinalIgnoreCase));
    }

    private static bool LooksLikeJson(string text)
    {
        var span = text.AsSpan().TrimStart();
        return span.Length > 1 && (span[0] == '{' || span[0] == '[');
    }

    private static JsonNode? TryParse(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
