using System.Globalization;
using System.Text.Json.Nodes;
using Dialoog.Core.Processes.Definition;

namespace Dialoog.Core.Tests.Processes.Support;

/// <summary>
/// The definition the end-to-end tests send through the API: Anna and Bram (inwoners), Greet (gemeente), one of each
/// group needed, one session, addresses unique to the run so tests never read each other's mail.
/// </summary>
internal static class LiveDefinitions
{
    public static string Address(string run, string who) => $"{who}-{run}@example.org";

    /// <summary>Amsterdam wall-clock time as the API takes it.</summary>
    public static string Wall(DateTime utc) => AmsterdamTime.FromUtc(utc).ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture);

    public static JsonObject ThreePeople(string run, string topic, DateTime startUtc, DateTime endUtc, JsonObject policy, bool withFacilitator = false)
    {
        var session = new JsonObject
        {
            ["id"] = "s1",
            ["title"] = "Gesprek",
            ["start"] = Wall(startUtc),
            ["end"] = Wall(endUtc),
            ["location"] = "Buurthuis De Brug",
        };
        if (withFacilitator)
        {
            session["facilitator"] = new JsonObject { ["name"] = "Fien", ["email"] = Address(run, "fien") };
        }

        return new JsonObject
        {
            ["topic"] = topic,
            ["area"] = "Gemeente Voorbeeld",
            ["coordinator"] = new JsonObject { ["name"] = "Carla", ["email"] = Address(run, "carla") },
            ["escalationContact"] = new JsonObject { ["name"] = "Mark", ["email"] = Address(run, "mark") },
            ["groups"] = new JsonArray(new JsonObject { ["name"] = "inwoners", ["minimum"] = 1 }, new JsonObject { ["name"] = "gemeente", ["minimum"] = 1 }),
            ["participants"] = new JsonArray(
                new JsonObject { ["name"] = "Anna", ["email"] = Address(run, "anna"), ["group"] = "inwoners" },
                new JsonObject { ["name"] = "Bram", ["email"] = Address(run, "bram"), ["group"] = "inwoners" },
                new JsonObject { ["name"] = "Greet", ["email"] = Address(run, "greet"), ["group"] = "gemeente" }),
            ["sessions"] = new JsonArray(session),
            ["policy"] = policy,
        };
    }

    /// <summary>The smallest valid definition: A (inwoners) and B (gemeente), one of each needed, one session in 30 days.</summary>
    public static JsonObject TwoPeople(string run)
    {
        var start = DateTime.UtcNow.AddDays(30);
        return new JsonObject
        {
            ["topic"] = "Proef in de proefwijk",
            ["area"] = "Gemeente Voorbeeld",
            ["coordinator"] = new JsonObject { ["name"] = "Carla", ["email"] = $"carla-{run}@gemeente.example" },
            ["escalationContact"] = new JsonObject { ["name"] = "Mark", ["email"] = $"mark-{run}@gemeente.example" },
            ["groups"] = new JsonArray(new JsonObject { ["name"] = "inwoners", ["minimum"] = 1 }, new JsonObject { ["name"] = "gemeente", ["minimum"] = 1 }),
            ["participants"] = new JsonArray(
                new JsonObject { ["name"] = "A", ["email"] = Address(run, "a"), ["group"] = "inwoners" },
                new JsonObject { ["name"] = "B", ["email"] = Address(run, "b"), ["group"] = "gemeente" }),
            ["sessions"] = new JsonArray(new JsonObject
            {
                ["id"] = "s1",
                ["title"] = "Gesprek",
                ["start"] = Wall(start),
                ["end"] = Wall(start.AddHours(2)),
                ["location"] = "Buurthuis",
            }),
        };
    }

    /// <summary>Exactly the minimum of every group of a template draft (at least one), with unique addresses.</summary>
    public static JsonArray MinimumParticipants(JsonArray groups)
    {
        var participants = new JsonArray();
        foreach (var group in groups)
        {
            var name = group!["name"]!.GetValue<string>();
            var minimum = Math.Max(1, group["minimum"]?.GetValue<int>() ?? 1);
            for (var i = 0; i < minimum; i++)
            {
                var slug = new string(name.Where(char.IsLetterOrDigit).ToArray()).ToLowerInvariant();
                participants.Add(new JsonObject { ["name"] = $"{name} {i + 1}", ["email"] = $"{slug}{i + 1}@example.org", ["group"] = name });
            }
        }

        return participants;
    }
}
