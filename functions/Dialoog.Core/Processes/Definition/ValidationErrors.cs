namespace Dialoog.Core.Processes.Definition;

/// <summary>
/// Field errors as the API returns them: a camelCase JSON path (<c>participants[3].email</c>) to one or more Dutch
/// messages. Empty means valid.
/// </summary>
internal sealed class ValidationErrors
{
    public static readonly IReadOnlyDictionary<string, string[]> None = new Dictionary<string, string[]>();

    private readonly Dictionary<string, List<string>> errors = new(StringComparer.Ordinal);

    public bool IsEmpty => errors.Count == 0;

    public void Add(string key, string message)
    {
        if (!errors.TryGetValue(key, out var messages))
        {
            errors[key] = messages = [];
        }

        messages.Add(message);
    }

    public bool Has(string key) => errors.ContainsKey(key);

    /// <summary>True when there is an error on <paramref name="prefix"/> or on anything below it.</summary>
    public bool HasUnder(string prefix) =>
        errors.Keys.Any(key => key == prefix || key.StartsWith(prefix + ".", StringComparison.Ordinal) || key.StartsWith(prefix + "[", StringComparison.Ordinal));

    public IReadOnlyDictionary<string, string[]> ToDictionary() =>
        errors.Count == 0 ? None : errors.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray(), StringComparer.Ordinal);

    /// <summary><c>Key("participants[2]", "email")</c> is <c>participants[2].email</c>; an empty prefix leaves the name alone.</summary>
    public static string Key(string prefix, string name) => prefix.Length == 0 ? name : $"{prefix}.{name}";
}
