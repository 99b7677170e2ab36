using System.Text.Json;
using System.Text.Json.Nodes;
using Dialoog.Core.Processes.Definition;
using static Dialoog.Core.Tests.Processes.DefinitionSamples;

namespace Dialoog.Core.Tests.Processes;

public sealed class ProcessTemplatesTests
{
    /// <summary>From the build output, where the project copies seeds/templates.</summary>
    private static readonly ProcessTemplates Templates = ProcessTemplates.Load();

    public static TheoryData<string> TemplateNames =>
        ["bewonersdialoog-bouwplan", "enkele-dialoog", "integraal-wijkteam", "tienpuntenplan", "waarderend-onderzoeken"];

    [Fact]
    public void Load_Default_ReadsTheCopyInTheBuildOutput() =>
        Assert.Equal(Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "seeds", "templates")), Templates.Directory);

    [Fact]
    public void List_HasEveryTemplateWithDutchTitleAndDescription()
    {
        var list = Templates.List();

        Assert.Equal(["bewonersdialoog-bouwplan", "enkele-dialoog", "integraal-wijkteam", "tienpuntenplan", "waarderend-onderzoeken"], list.Select(t => t.Name));
        Assert.All(list, t => Assert.False(string.IsNullOrWhiteSpace(t.Title)));
        Assert.All(list, t => Assert.True(t.Description.Length > 40, t.Name));
        Assert.Contains(list, t => t.Title.Contains("Waarderend onderzoeken", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(TemplateNames))]
    public void Resolve_TemplateWithSampleParticipants_IsValid(string name)
    {
        var draft = Templates.GetDraft(name)!;

        var (definition, errors) = Templates.Resolve(name, SampleOverrides(draft), Now);

        AssertValid(errors);
        Assert.NotNull(definition);
        Assert.Equal(name, definition.Template);
        Assert.Equal(draft["sessions"]!.AsArray().Count, definition.Sessions.Count);
        Assert.All(definition.Sessions, s => Assert.True(AmsterdamTime.ToUtc(s.Start) > Now + definition.Policy.ReplyDeadline));
        Assert.All(definition.Sessions, s => Assert.Equal("Stadhuis, Grote Markt 1", s.Location));
        Assert.All(definition.Sessions, s => Assert.False(string.IsNullOrEmpty(s.Id)));
    }

    [Fact]
    public void Resolve_AppreciativeInquiry_HasFourStepsInOrder()
    {
        var definition = ResolveSample("waarderend-onderzoeken");

        Assert.Equal(["ontdekken", "dromen", "ontwerpen", "doen"], definition.Sessions.Select(s => s.Id));
        Assert.Equal(["Ontdekken", "Dromen", "Ontwerpen", "Doen"], definition.Sessions.Select(s => s.Title.Split(':')[0]));
        Assert.True(definition.Sessions.Zip(definition.Sessions.Skip(1)).All(pair => pair.First.End < pair.Second.Start));
    }

    [Fact]
    public void Resolve_TenPointPlan_FollowsAgreementsForACouncilPeriod()
    {
        var definition = ResolveSample("tienpuntenplan");

        Assert.Equal(["Waarom", "Hoe", "Wat"], definition.Sessions.Select(s => s.Title.Split(':')[0]));
        Assert.Equal(TimeSpan.FromDays(4 * 365), definition.Policy.FollowUpPeriod);
        Assert.Equal(TimeSpan.FromDays(3 * 30), definition.Policy.ProgressCheckCadence);
    }

    [Fact]
    public void Resolve_IntegralTeamWithoutManagers_AsksForEachPartnersManager()
    {
        var overrides = SampleOverrides(Templates.GetDraft("integraal-wijkteam")!);
        overrides.Remove("groups");

        var (definition, errors) = Templates.Resolve("integraal-wijkteam", overrides, Now);

        Assert.Null(definition);
        for (var i = 0; i < 5; i++)
        {
            AssertError(errors, $"groups[{i}].manager.name", "Vul de naam van de leidinggevende van deze groep in");
            AssertError(errors, $"groups[{i}].manager.email", "Vul het e-mailadres van de leidinggevende van deze groep in");
        }
    }

    [Fact]
    public void Resolve_IntegralTeam_EveryPartnerNeedsAMandate()
    {
        var definition = ResolveSample("integraal-wijkteam");

        Assert.Equal(["gemeente", "wijkverpleging", "maatschappelijk werk", "GGZ", "jeugdhulp"], definition.Groups.Select(g => g.Name));
        Assert.All(definition.Groups, g => Assert.True(g.MandateRequired && g.Manager is not null, g.Name));
    }

    [Fact]
    public void Resolve_BuildingPlan_HasResidentsMunicipalityAndBuilder() =>
        Assert.Equal(["omwonenden", "inwoners", "gemeente", "bouwer of corporatie"], ResolveSample("bewonersdialoog-bouwplan").Groups.Select(g => g.Name));

    [Fact]
    public void Resolve_OffsetDaysAndStartTime_AreAmsterdamWallClockFromToday()
    {
        // Now is 2 March 2026; 21 days later is 23 March, still winter time.
        var session = Assert.Single(ResolveSample("enkele-dialoog").Sessions);

        Assert.Equal(new DateTime(2026, 3, 23, 19, 30, 0), session.Start);
        Assert.Equal(new DateTime(2026, 3, 23, 21, 30, 0), session.End);
        Assert.Equal(DateTimeKind.Unspecified, session.Start.Kind);
        Assert.Equal(30, session.Capacity);
    }

    [Fact]
    public void Resolve_UnknownTemplate_ListsKnownNames()
    {
        var (definition, errors) = Templates.Resolve("bestaat-niet", SampleOverrides(Templates.GetDraft("enkele-dialoog")!), Now);

        Assert.Null(definition);
        AssertError(errors, "template", "geen sjabloon 'bestaat-niet'", "bewonersdialoog-bouwplan, enkele-dialoog, integraal-wijkteam, tienpuntenplan en waarderend-onderzoeken");
    }

    [Fact]
    public void Resolve_Overrides_MergeIntoNestedObjects()
    {
        var overrides = SampleOverrides(Templates.GetDraft("tienpuntenplan")!);
        overrides["description"] = "Onze eigen uitleg.";
        overrides["policy"] = new JsonObject { ["replyDeadline"] = "P7D" };

        var definition = Templates.Resolve("tienpuntenplan", overrides, Now).Definition!;

        Assert.Equal("Onze eigen uitleg.", definition.Description);
        Assert.Equal(TimeSpan.FromDays(7), definition.Policy.ReplyDeadline);
        Assert.Equal(TimeSpan.FromDays(4 * 365), definition.Policy.FollowUpPeriod);
        Assert.Equal(new ProcessPolicy().ReminderCadence, definition.Policy.ReminderCadence);
    }

    [Fact]
    public void Resolve_NullInOverrides_RemovesTheTemplateField()
    {
        var overrides = SampleOverrides(Templates.GetDraft("enkele-dialoog")!);
        overrides["description"] = null;

        Assert.Null(Templates.Resolve("enkele-dialoog", overrides, Now).Definition!.Description);
    }

    [Fact]
    public void Resolve_ArrayInOverrides_ReplacesTheTemplateArray()
    {
        var overrides = SampleOverrides(Templates.GetDraft("waarderend-onderzoeken")!);
        overrides["sessions"] = new JsonArray(new JsonObject
        {
            ["title"] = "Alles in één middag",
            ["start"] = "2026-04-20T13:00",
            ["end"] = "2026-04-20T17:00",
        });

        var session = Assert.Single(Templates.Resolve("waarderend-onderzoeken", overrides, Now).Definition!.Sessions);

        Assert.Equal(new SessionDefinition("s1", "Alles in één middag", new DateTime(2026, 4, 20, 13, 0, 0), new DateTime(2026, 4, 20, 17, 0, 0), "Stadhuis, Grote Markt 1", null, 25), session);
    }

    [Fact]
    public void Resolve_SessionDefaults_FillOnlyWhatASessionLeavesOut()
    {
        var overrides = SampleOverrides(Templates.GetDraft("enkele-dialoog")!);
        overrides["sessions"] = new JsonArray(
            Relative("Eerste avond", 21, "19:30", location: "Bibliotheek"),
            Relative("Tweede avond", 28, "19:30"));

        var sessions = Templates.Resolve("enkele-dialoog", overrides, Now).Definition!.Sessions;

        Assert.Equal(["Bibliotheek", "Stadhuis, Grote Markt 1"], sessions.Select(s => s.Location));
        Assert.Equal(["s1", "s2"], sessions.Select(s => s.Id));
    }

    [Fact]
    public void Resolve_SessionDefaultsWithOtherField_IsReported()
    {
        var overrides = SampleOverrides(Templates.GetDraft("enkele-dialoog")!);
        overrides["sessionDefaults"]!["title"] = "Avond";

        AssertError(Templates.Resolve("enkele-dialoog", overrides, Now).Errors, "sessionDefaults.title", "Onbekend veld 'title'", "location");
    }

    [Theory]
    [InlineData("""{ "title": "A", "offsetDays": 21, "startTime": "19:30", "durationMinutes": 60, "start": "2026-04-01T19:30" }""", "sessions[0].start", "Niet allebei")]
    [InlineData("""{ "title": "A", "offsetDays": 21, "startTime": "half acht", "durationMinutes": 60 }""", "sessions[0].startTime", "bijvoorbeeld 19:30")]
    [InlineData("""{ "title": "A", "offsetDays": 21, "startTime": "25:00", "durationMinutes": 60 }""", "sessions[0].startTime", "uren en minuten")]
    [InlineData("""{ "title": "A", "startTime": "19:30", "durationMinutes": 60 }""", "sessions[0].offsetDays", "over hoeveel dagen")]
    [InlineData("""{ "title": "A", "offsetDays": -1, "startTime": "19:30", "durationMinutes": 60 }""", "sessions[0].offsetDays", "0 (vandaag)")]
    [InlineData("""{ "title": "A", "offsetDays": 21, "startTime": "19:30" }""", "sessions[0].durationMinutes", "hoeveel minuten")]
    [InlineData("""{ "title": "A", "offsetDays": 21, "startTime": "19:30", "durationMinutes": 2000 }""", "sessions[0].durationMinutes", "1 tot en met 1440")]
    [InlineData("""{ "title": "A", "startsIn": "morgen", "durationMinutes": 60 }""", "sessions[0].startsIn", "PT10M")]
    [InlineData("""{ "title": "A", "startsIn": "P21D", "offsetDays": 21, "durationMinutes": 60 }""", "sessions[0].startsIn", "Niet allebei")]
    public void Resolve_RelativeSessionTimeWrong_IsReportedOnTheField(string session, string key, string fragment)
    {
        var overrides = SampleOverrides(Templates.GetDraft("enkele-dialoog")!);
        overrides["sessions"] = new JsonArray(JsonNode.Parse(session));

        var (definition, errors) = Templates.Resolve("enkele-dialoog", overrides, Now);

        Assert.Null(definition);
        AssertError(errors, key, fragment);
    }

    [Fact]
    public void Resolve_DemoProcess_IsValidAndRunsInMinutes()
    {
        var demo = JsonNode.Parse(File.ReadAllText(RepositoryFile("seeds", "demo", "demo-process.json")))!.AsObject();
        var now = Now.AddSeconds(17);

        var (definition, errors) = Templates.Resolve(null, demo, now);

        AssertValid(errors);
        var session = Assert.Single(definition!.Sessions);
        Assert.Equal(AmsterdamTime.FromUtc(Now.AddMinutes(6)), session.Start);
        Assert.Equal(TimeSpan.FromMinutes(3), session.End - session.Start);
        Assert.All(definition.Participants, p => Assert.Matches("@(example\\.org|gemeente\\.example)$", p.Email));
        Assert.True(definition.Policy.MinutesEscalation <= TimeSpan.FromMinutes(5));
        Assert.Equal(TimeSpan.FromMinutes(5), definition.Policy.FollowUpWindow);
        Assert.Null(definition.Template);
    }

    [Theory]
    [InlineData("P2Y", "tussen 0 dagen (P0D) en 1 jaar (P365D)")]
    [InlineData("twee weken", "Geen geldige duur")]
    public void Resolve_FollowUpWindowWrongInJson_IsReportedOnTheField(string value, string fragment)
    {
        var overrides = SampleOverrides(Templates.GetDraft("enkele-dialoog")!);
        overrides["policy"] = new JsonObject { ["followUpWindow"] = value };

        var (definition, errors) = Templates.Resolve("enkele-dialoog", overrides, Now);

        Assert.Null(definition);
        AssertError(errors, "policy.followUpWindow", fragment);
    }

    [Fact]
    public void Resolve_WithoutTemplate_UsesTheDefinitionAsIs()
    {
        var json = ToJson(Valid() with { Sessions = [Session(null, new DateTime(2026, 4, 1, 19, 30, 0))] });

        var (definition, errors) = Templates.Resolve(null, json, Now);

        AssertValid(errors);
        Assert.Equal("s1", definition!.Sessions[0].Id);
        Assert.Equal(Valid().Topic, definition.Topic);
        Assert.Null(definition.Template);
    }

    [Fact]
    public void Resolve_Nothing_AsksForADefinition() =>
        AssertError(Templates.Resolve(null, null, Now).Errors, "definition", "Stuur een dialoogtraject mee");

    [Fact]
    public void Resolve_ValidationFails_ReturnsErrorsAndNoDefinition()
    {
        var json = ToJson(Valid());
        json["topic"] = "";

        var (definition, errors) = Templates.Resolve(null, json, Now);

        Assert.Null(definition);
        AssertError(errors, "topic", "Vul het onderwerp");
    }

    [Theory]
    [InlineData("groups", """[{ "name": "inwoners", "minimum": "drie" }]""", "groups[0].minimum", "heel getal")]
    [InlineData("groups", """[{ "name": "inwoners", "mandateRequired": "ja" }]""", "groups[0].mandateRequired", "true (ja) of false (nee)")]
    [InlineData("policy", """{ "replyDeadline": "3 dagen" }""", "policy.replyDeadline", "Geen geldige duur. Gebruik ISO-8601")]
    [InlineData("policy", """{ "followUpPeriod": "vier jaar" }""", "policy.followUpPeriod", "Geen geldige duur")]
    [InlineData("sessions", """[{ "title": "A", "start": "morgen", "end": "2026-04-01T21:30" }]""", "sessions[0].start", "Geen geldige datum en tijd")]
    [InlineData("sessions", """[{ "title": "A", "start": "2026-04-01T19:30", "end": "2026-04-01T21:30", "capacity": 2.5 }]""", "sessions[0].capacity", "heel getal")]
    [InlineData("sessions", """[{ "title": "A", "strat": "2026-04-01T19:30", "end": "2026-04-01T21:30" }]""", "sessions[0].strat", "Onbekend veld 'strat'")]
    [InlineData("coordinator", """{ "name": "Sanne", "mail": "sanne@gemeente.example" }""", "coordinator.mail", "Onbekend veld 'mail'")]
    [InlineData("topic", "5", "topic", "tekst")]
    [InlineData("participants", "{}", "participants", "lijst")]
    [InlineData("coordinator", "\"Sanne\"", "coordinator", "object tussen { en }, met de velden name, email en phone")]
    public void Resolve_JsonOfTheWrongKind_IsReportedUnderItsPathInDutch(string field, string value, string key, string fragment)
    {
        var json = ToJson(Valid());
        json[field] = JsonNode.Parse(value);

        var (definition, errors) = Templates.Resolve(null, json, Now);

        Assert.Null(definition);
        AssertError(errors, key, fragment);
    }

    [Fact]
    public void Resolve_PascalCaseField_IsReadAndReportedInCamelCase()
    {
        var json = ToJson(Valid());
        json.Remove("groups");
        json["Groups"] = JsonNode.Parse("""[{ "Name": "inwoners", "Minimum": "veel" }]""");

        AssertError(Templates.Resolve(null, json, Now).Errors, "groups[0].minimum", "heel getal");
    }

    [Fact]
    public void DefinitionJson_Definition_RoundTrips()
    {
        var definition = Valid() with { Policy = new ProcessPolicy { FollowUpPeriod = TimeSpan.FromDays(1460), ProgressCheckCadence = TimeSpan.FromDays(90) } };

        var json = JsonSerializer.Serialize(definition, DefinitionJson.Options);
        var again = JsonSerializer.Serialize(JsonSerializer.Deserialize<ProcessDefinition>(json, DefinitionJson.Options), DefinitionJson.Options);

        Assert.Equal(json, again);
        Assert.Contains("\"start\":\"2026-04-01T19:30:00\"", json, StringComparison.Ordinal);
        Assert.Contains("\"replyDeadline\":\"P14D\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void DefinitionJson_CoordinatorPhone_RoundTrips_AndIsLeftOutWhenThereIsNone()
    {
        var definition = Valid() with { Coordinator = new Person("Sanne Regisseur", "sanne@gemeente.example", "06-12345678") };

        var json = JsonSerializer.Serialize(definition, DefinitionJson.Options);

        Assert.Contains("\"coordinator\":{\"name\":\"Sanne Regisseur\",\"email\":\"sanne@gemeente.example\",\"phone\":\"06-12345678\"}", json, StringComparison.Ordinal);
        Assert.Equal(definition.Coordinator, JsonSerializer.Deserialize<ProcessDefinition>(json, DefinitionJson.Options)!.Coordinator);
        Assert.DoesNotContain("phone", JsonSerializer.Serialize(Valid(), DefinitionJson.Options), StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_TemplateWithCoordinatorPhone_KeepsItWithTidySpaces()
    {
        var overrides = SampleOverrides(Templates.GetDraft("bewonersdialoog-bouwplan")!);
        overrides["coordinator"]!["phone"] = "  020\u00A0123   4567 ";

        var (definition, errors) = Templates.Resolve("bewonersdialoog-bouwplan", overrides, Now);

        AssertValid(errors);
        Assert.Equal(new Person("Sanne Regisseur", "sanne@gemeente.example", "020 123 4567"), definition!.Coordinator);
    }

    [Fact]
    public void Resolve_TemplateWithBadCoordinatorPhone_IsReportedOnTheField()
    {
        var overrides = SampleOverrides(Templates.GetDraft("enkele-dialoog")!);
        overrides["coordinator"]!["phone"] = "bel het stadhuis";

        AssertError(Templates.Resolve("enkele-dialoog", overrides, Now).Errors, "coordinator.phone", "geen geldig telefoonnummer", "06-12345678");
    }

    [Fact]
    public void MergePatch_NullPhone_RemovesTheCoordinatorsPhone()
    {
        var draft = JsonNode.Parse("""{ "coordinator": { "name": "Sanne", "email": "sanne@gemeente.example", "phone": "06-12345678" } }""")!;

        var merged = JsonMergePatch.Apply(draft, JsonNode.Parse("""{ "coordinator": { "phone": null } }"""))!;

        Assert.Equal("""{"coordinator":{"name":"Sanne","email":"sanne@gemeente.example"}}""", merged.ToJsonString());
    }

    [Fact]
    public void Constructor_BrokenTemplateFile_NamesTheFile()
    {
        var directory = Directory.CreateTempSubdirectory("dialoog-templates-");
        try
        {
            File.WriteAllText(Path.Combine(directory.FullName, "kapot.json"), """{ "title": "Kapot", "definition": [] }""");

            var exception = Assert.Throws<InvalidDataException>(() => new ProcessTemplates(directory.FullName));

            Assert.Contains("kapot.json", exception.Message, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void FindDirectory_FromRepositoryFolder_FindsSeedsTemplates()
    {
        var found = ProcessTemplates.FindDirectory(Path.GetDirectoryName(RepositoryFile("seeds", "demo", "demo-process.json")));

        Assert.NotNull(found);
        Assert.True(File.Exists(Path.Combine(found, "enkele-dialoog.json")));
    }

    private static ProcessDefinition ResolveSample(string name)
    {
        var (definition, errors) = Templates.Resolve(name, SampleOverrides(Templates.GetDraft(name)!), Now);
        AssertValid(errors);
        return definition!;
    }

    /// <summary>What a coordinator adds to a template: topic, people (enough for every group's minimum), a place.</summary>
    internal static JsonObject SampleOverrides(JsonObject draft)
    {
        var groups = draft["groups"]!.AsArray();
        var participants = new JsonArray();
        var count = 0;
        foreach (var group in groups)
        {
            var minimum = group!["minimum"]?.GetValue<int>() ?? 1;
            for (var i = 0; i < Math.Max(minimum, 1); i++)
            {
                count++;
                participants.Add(new JsonObject
                {
                    ["name"] = $"Deelnemer {count}",
                    ["email"] = $"deelnemer{count}@example.org",
                    ["group"] = group["name"]!.GetValue<string>(),
                });
            }
        }

        var overrides = new JsonObject
        {
            ["topic"] = "Samen werken aan een sterke wijk",
            ["area"] = "Gemeente Voorbeeld, wijk Zuid",
            ["coordinator"] = new JsonObject { ["name"] = "Sanne Regisseur", ["email"] = "sanne@gemeente.example" },
            ["escalationContact"] = new JsonObject { ["name"] = "Karim Teamleider", ["email"] = "karim@gemeente.example" },
            ["sessionDefaults"] = new JsonObject { ["location"] = "Stadhuis, Grote Markt 1" },
            ["participants"] = participants,
        };

        if (groups.Any(g => g!["manager"] is not null))
        {
            var filled = (JsonArray)groups.DeepClone();
            for (var i = 0; i < filled.Count; i++)
            {
                filled[i]!["manager"] = new JsonObject { ["name"] = $"Leidinggevende {i + 1}", ["email"] = $"leiding{i + 1}@partner.example" };
            }

            overrides["groups"] = filled;
        }

        return overrides;
    }

    private static JsonObject Relative(string title, int offsetDays, string startTime, string? location = null)
    {
        var session = new JsonObject { ["title"] = title, ["offsetDays"] = offsetDays, ["startTime"] = startTime, ["durationMinutes"] = 120 };
        if (location is not null)
        {
            session["location"] = location;
        }

        return session;
    }

    private static JsonObject ToJson(ProcessDefinition definition) =>
        JsonSerializer.SerializeToNode(definition, DefinitionJson.Options)!.AsObject();

    private static string RepositoryFile(params string[] parts)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine([directory.FullName, .. parts]);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"{Path.Combine(parts)} not found above {AppContext.BaseDirectory}");
    }
}
