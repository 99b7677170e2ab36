using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;

namespace Dialoog.Functions.Processes.Definition;

/// <summary>How definitions and templates look in JSON, and how a JSON mistake becomes a field error in Dutch.</summary>
public static partial class DefinitionJson
{
    /// <summary>
    /// Web defaults (camelCase, case-insensitive reading, numbers also from strings), durations as ISO-8601 (see
    /// <see cref="IsoDuration"/>), nulls left out when writing, and unknown fields rejected so that a typo such as
    /// <c>"strat"</c> is reported instead of silently ignored. Read-only: share it.
    /// </summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    private const string DutchMessageKey = "Dialoog.DutchMessage";

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        };
        options.Converters.Add(new IsoDurationConverter());
        options.MakeReadOnly();
        return options;
    }

    /// <summary>A <see cref="JsonException"/> whose message is already meant for the user (Dutch).</summary>
    public static JsonException Error(string dutchMessage)
    {
        var exception = new JsonException(dutchMessage);
        exception.Data[DutchMessageKey] = true;
        return exception;
    }

    /// <summary>
    /// The field a deserialization error is about, as a key in the validator's style (<c>sessions[0].start</c>), and a
    /// Dutch message that says what is expected there.
    /// </summary>
    public static (string Key, string Message) Describe(JsonException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var key = ToKey(exception.Path);
        if (exception.Data.Contains(DutchMessageKey))
        {
            return (key, exception.Message);
        }

        if (UnmappedMember().Match(exception.Message) is { Success: true } unmapped)
        {
            var name = unmapped.Groups["name"].Value;
            // Depending on the runtime version the path ends at the object or at the unknown field itself.
            var field = key.EndsWith(ToKey("$." + name), StringComparison.Ordinal) ? key : Join(key, ToKey("$." + name));
            return (field, $"Onbekend veld '{name}'. Controleer de spelling, of laat het weg.");
        }

        var message = NotConvertible().Match(exception.Message) is { Success: true } match
            ? Expected(match.Groups["type"].Value)
            : "Deze waarde klopt niet. Controleer de schrijfwijze.";
        return (key, message);
    }

    /// <summary><c>$.Sessions[0].Start</c> becomes <c>sessions[0].start</c>; the root itself becomes <c>definition</c>.</summary>
    public static string ToKey(string? jsonPath)
    {
        if (string.IsNullOrEmpty(jsonPath) || jsonPath == "$")
        {
            return "definition";
        }

        var builder = new StringBuilder();
        var path = jsonPath.StartsWith('$') ? jsonPath[1..] : jsonPath;
        foreach (Match segment in PathSegment().Matches(path))
        {
            if (segment.Groups["index"].Success)
            {
                builder.Append('[').Append(segment.Groups["index"].Value).Append(']');
                continue;
            }

            var name = segment.Groups["name"].Success ? segment.Groups["name"].Value : segment.Groups["quoted"].Value;
            if (builder.Length > 0)
            {
                builder.Append('.');
            }

            builder.Append(name.Length > 0 ? char.ToLowerInvariant(name[0]) + name[1..] : name);
        }

        return builder.Length == 0 ? "definition" : builder.ToString();
    }

    private static string Join(string parent, string child) => parent == "definition" ? child : $"{parent}.{child}";

    private static string Expected(string type)
    {
        var name = type.Split('.', '`', '[')[^1] switch { "" => type, var last => last };
        if (type.Contains("Nullable", StringComparison.Ordinal))
        {
            name = type[(type.LastIndexOf('[') + 1)..].TrimEnd(']').Split('.')[^1];
        }

        return name switch
        {
            "Int32" or "Int64" => "Vul een heel getal in, zonder punt of komma.",
            "Boolean" => "Vul true (ja) of false (nee) in.",
            "DateTime" or "DateTimeOffset" => "Geen geldige datum en tijd. Gebruik bijvoorbeeld 2026-03-05T19:30 (5 maart 2026, half acht 's avonds).",
            "TimeSpan" => IsoDuration.Invalid,
            "String" => "Vul hier tekst in, tussen aanhalingstekens.",
            _ when type.Contains("List", StringComparison.Ordinal) => "Hier hoort een lijst tussen [ en ].",
            _ => "Hier hoort een object tussen { en } met velden.",
        };
    }

    [GeneratedRegex(@"The JSON property '(?<name>[^']*)' could not be mapped")]
    private static partial Regex UnmappedMember();

    [GeneratedRegex(@"could not be converted to (?<type>[^ ]+?)\.(?: Path:|$)")]
    private static partial Regex NotConvertible();

    [GeneratedRegex(@"\.(?<name>[^.\[]+)|\['(?<quoted>(?:[^']|'')*)'\]|\[(?<index>\d+)\]")]
    private static partial Regex PathSegment();
}
