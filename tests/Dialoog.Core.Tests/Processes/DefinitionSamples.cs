using Dialoog.Core.Processes.Definition;

namespace Dialoog.Core.Tests.Processes;

/// <summary>A valid definition at a fixed "now", for tests to break one rule at a time.</summary>
internal static class DefinitionSamples
{
    /// <summary>Monday 2 March 2026, 10:00 in Amsterdam (winter time).</summary>
    public static readonly DateTime Now = new(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);

    public static ProcessDefinition Valid() => new()
    {
        Topic = "Samen zorgen voor jongeren in de wijk",
        Area = "Gemeente Voorbeeld, wijk Noord",
        Coordinator = new("Sanne Regisseur", "sanne@gemeente.example"),
        EscalationContact = new("Karim Teamleider", "karim@gemeente.example"),
        Groups = [new("inwoners", 2), new("gemeente", 1)],
        Participants =
        [
            new("Anna Jansen", "anna@example.org", "inwoners"),
            new("Bram de Vries", "bram@example.org", "inwoners"),
            new("Dirk Bakker", "dirk@gemeente.example", "gemeente"),
        ],
        Sessions = [Session("s1", new DateTime(2026, 4, 1, 19, 30, 0))],
    };

    public static SessionDefinition Session(string? id, DateTime start, double hours = 2) =>
        new(id, "Dialoog over jongeren", start, start.AddHours(hours), Location: "Buurthuis De Linden");

    public static IReadOnlyList<ParticipantDefinition> People(int count, string group = "inwoners") =>
        [.. Enumerable.Range(1, count).Select(i => new ParticipantDefinition($"Deelnemer {i}", $"deelnemer{i}@example.org", group))];

    /// <summary>Asserts there is an error under exactly <paramref name="key"/> and that one message holds every fragment.</summary>
    public static string AssertError(IReadOnlyDictionary<string, string[]> errors, string key, params string[] fragments)
    {
        Assert.True(errors.TryGetValue(key, out var messages), $"No error under '{key}'. Errors: {Describe(errors)}");
        var match = messages.FirstOrDefault(m => fragments.All(f => m.Contains(f, StringComparison.Ordinal)));
        Assert.True(match is not null, $"No message under '{key}' contains [{string.Join(" | ", fragments)}]. Messages: {string.Join(" | ", messages)}");
        return match;
    }

    public static void AssertValid(IReadOnlyDictionary<string, string[]> errors) =>
        Assert.True(errors.Count == 0, $"Expected no errors, got: {Describe(errors)}");

    public static string Describe(IReadOnlyDictionary<string, string[]> errors) =>
        string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" / ", e.Value)}"));
}
