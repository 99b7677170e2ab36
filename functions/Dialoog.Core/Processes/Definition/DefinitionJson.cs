using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;

namespace Dialoog.Core.Processes.Definition;

/// <summary>How definitions and templates look in JSON, and how a JSON mistake becomes a field error in Dutch.</summary>
public static partial class DefinitionJson
{
    /// <summary>
    /// Web defaults (camelCase, case-insensitive reading, numbers also from strings), durations as ISO-8601 (see
    /// <see cref="IsoDuration"/>), nulls left out when writing, and unknown fields rejected so that a typo such as
    /// <c>"strat"</c> is reported instead of silently ignored. Read-only: share it.
    /// </summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>The key for an error about the definition as a whole.</summary>
    public const string Root = "definition";

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
    /// Dutch message that says what is expected there. The expectation comes from the type of that field in
    /// <paramref name="rootType"/>, because System.Text.Json names the record, not the field, for constructor parameters.
    /// </summary>
    public static (string Key, string Message) Describe(JsonException exception, Type rootType)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(rootType);
        var key = ToKey(exception.Path);
        if (exception.Data.Contains(DutchMessageKey))
        {
            return (key, exception.Message);
        }

        if (UnmappedMember().Match(exception.Message) is { Success: true } unmapped)
        {
            var name = unmapped.Groups["name"].Value;
            // Depending on the runtime version the path ends at the object or at the unknown field itself.
            var field = ToKey("$." + name);
            key = key == field || key.EndsWith("." + field, StringComparison.Ordinal) ? key : key == Root ? field : $"{key}.{field}";
            return (key, $"Onbekend veld '{name}'. Controleer de spelling, of laat het weg.");
        }

        return (key, Expected(TypeAt(rootType, key)));
    }

    /// <summary>What a JSON path points at in <paramref name="rootType"/>: a property's type, or a list's element type.</summary>
    private static Type? TypeAt(Type rootType, string key)
    {
        if (key == Root)
        {
            return rootType;
        }

        Type? type = rootType;
        foreach (Match segment in PathSegment().Matches("." + key))
        {
            if (type is null)
            {
                return null;
            }

            type = segment.Groups["index"].Success
                ? ElementType(type)
                : type.GetProperty(segment.Groups["name"].Success ? segment.Groups["name"].Value : segment.Groups["quoted"].Value,
                    BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)?.PropertyType;
        }

        return type;
    }

    private static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType() : type.IsGenericType && IsList(type) ? type.GetGenericArguments()[0] : null;

    private static bool IsList(Type type) => type != typeof(string) && typeof(System.Collections.IEnumerable).IsAssignableFrom(type);

    private static string Expected(Type? type)
    {
        type = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
        if (type is null)
        {
            return "Deze waarde klopt niet. Controleer de schrijfwijze.";
        }

        if (type == typeof(int) || type == typeof(long))
        {
            return "Vul een heel getal in, zonder punt of komma en zonder aanhalingstekens.";
        }

        if (type == typeof(bool))
        {
            return "Vul true (ja) of false (nee) in, zonder aanhalingstekens.";
        }

        if (type == typeof(DateTime) || type == typeof(DateTimeOffset))
        {
            return "Geen geldige datum en tijd. Gebruik bijvoorbeeld 2026-03-05T19:30 (5 maart 2026, half acht 's avonds).";
        }

        if (type == typeof(TimeSpan))
        {
            return IsoDuration.Invalid;
        }

        if (type == typeof(string))
        {
            return "Vul hier tekst in, tussen aanhalingstekens.";
        }

        if (IsList(type))
        {
            return "Hier hoort een lijst tussen [ en ].";
        }

        var fields = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)).ToList();
        return $"Hier hoort een object tussen {{ en }}, met de velden {DutchText.List(fields)}.";
    }

    /// <summary><c>$.Sessions[0].Start</c> becomes <c>sessions[0].start</c>; the root itself becomes <see cref="Root"/>.</summary>
    public static string ToKey(string? jsonPath)
    {
        if (string.IsNullOrEmpty(jsonPath) || jsonPath == "$")
        {
            return Root;
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

        return builder.Length == 0 ? Root : builder.ToString();
    }

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

    [GeneratedRegex(@"\.(?<name>[^.\[]+)|\['(?<quoted>(?:[^']|'')*)'\]|\[(?<index>\d+)\]")]
    private static partial Regex PathSegment();
}
