using Dialoog.Core.Processes.Definition;

namespace Dialoog.Core.Tests.Processes.Support;

/// <summary>Small, valid definitions for orchestration tests; each test changes what it is about with <c>with</c>.</summary>
internal static class Definitions
{
    public static readonly Person Coordinator = new("Carla Coördinator", "carla@gemeente.example");
    public static readonly Person Contact = new("Mark Manager", "mark@gemeente.example");

    /// <summary>
    /// Two groups (inwoners min 2, gemeente min 1), <paramref name="residents"/> residents and two officials, one
    /// session three weeks out. Policy: reply within 14 days, reminders every 3 days (max 2), session reminder 1 day.
    /// </summary>
    public static ProcessDefinition Basic(DateTime nowUtc, int residents = 3, int? capacity = null)
    {
        var participants = Enumerable.Range(1, residents)
            .Select(i => new ParticipantDefinition($"Inwoner {i}", $"inwoner{i}@example.org", "inwoners"))
            .Concat([
                new ParticipantDefinition("Ambtenaar A", "ambtenaar.a@gemeente.example", "gemeente"),
                new ParticipantDefinition("Official B", "official.b@gemeente.example", "gemeente", Languages.English),
            ])
            .ToList();
        return new ProcessDefinition
        {
            Topic = "Samen zorgen in de wijk",
            Description = "Wat is er nodig zodat iedereen in de wijk kan meedoen?",
            Area = "Gemeente Voorbeeld, wijk Noord",
            Coordinator = Coordinator,
            EscalationContact = Contact,
            Groups = [new StakeholderGroup("inwoners", 2), new StakeholderGroup("gemeente", 1)],
            Participants = participants,
            Sessions = [Session("s1", "Eerste gesprek", nowUtc.AddDays(21), capacity)],
            Policy = new ProcessPolicy(),
        };
    }

    /// <summary>A two-hour session starting at <paramref name="startUtc"/>, in Amsterdam wall-clock time.</summary>
    public static SessionDefinition Session(string id, string title, DateTime startUtc, int? capacity = null) =>
        new(id, title, AmsterdamTime.FromUtc(startUtc), AmsterdamTime.FromUtc(startUtc.AddHours(2)), "Buurthuis De Brug, Kerkstraat 1", null, capacity,
            new Person("Fien Facilitator", "fien@example.org"));
}
