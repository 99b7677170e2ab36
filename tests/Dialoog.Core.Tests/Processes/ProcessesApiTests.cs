using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Dialoog.Core.Engine;
using Microsoft.DurableTask.Client;
using Dialoog.Web.Api;
using Dialoog.Core.Links;
using Dialoog.Core.Processes;
using Dialoog.Core.Processes.Definition;
using Dialoog.Core.Tests.Processes.Support;
using Dialoog.Core.Tests.Testing;
using Dialoog.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Dialoog.Core.Tests.Processes;

/// <summary>
/// The JSON API against the real app on Azurite: bad input gets a ProblemDetails naming the field in Dutch, and
/// leaves no trace (no instance, no e-mail).
/// </summary>
[Collection(DevStackCollection.Name)]
public sealed class ProcessesApiTests(DevStackFixture stack) : IAsyncLifetime
{
    private readonly string run = Guid.NewGuid().ToString("N")[..8];
    private Dictionary<string, string?> settings = null!;
    private RunningApp app = null!;

    public async Task InitializeAsync()
    {
        settings = RunningApp.SettingsFor(stack);
        settings["Durable:TaskHub"] = "api" + run;
        app = await RunningApp.StartWithApiKeyAsync(settings);
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task Start_WithoutApiKey_Is401ProblemInDutch()
    {
        using var anonymous = new HttpClient { BaseAddress = app.Client.BaseAddress };
        using var response = await anonymous.PostAsJsonAsync("/api/processes", new JsonObject { ["definition"] = Valid() });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("API-sleutel", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Start_ValidDefinition_Is202WithLocation_AndShowsUpInTheList()
    {
        using var response = await app.Client.PostAsJsonAsync("/api/processes", new JsonObject { ["definition"] = Valid() });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        Assert.Equal($"/api/processes/{id}", response.Headers.Location!.OriginalString);
        await Eventually.HoldsAsync(async () =>
        {
            var list = await app.Client.GetFromJsonAsync<JsonObject>("/api/processes?search=proefwijk");
            return list!["processes"]!.AsArray().Any(p => p!["id"]!.GetValue<string>() == id);
        }, "the process is listed");
    }

    [Fact]
    public async Task Start_SameIdempotencyKeyTwice_StartsOneProcess_AndAnswersWithItBothTimes()
    {
        async Task<string> SubmitAsync(string key)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/processes") { Content = JsonContent.Create(new JsonObject { ["definition"] = Valid() }) };
            request.Headers.Add(ProcessesApi.IdempotencyKeyHeader, key);
            using var response = await app.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        }

        // A retry after a lost answer sends the same key: same process, no second round of invitations.
        var first = await SubmitAsync("aanvraag-" + run);
        var retry = await SubmitAsync("aanvraag-" + run);
        var other = await SubmitAsync("aanvraag-" + run + "-2");

        Assert.Equal(first, retry);
        Assert.NotEqual(first, other);
        var client = app.Services.GetRequiredService<DurableTaskClient>();
        var instances = (await client.AllInstancesAsync()).Select(i => i.InstanceId).ToList();
        Assert.Equal(new[] { first, other }.Order(StringComparer.Ordinal), instances.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("met spatie")]
    [InlineData("a/b")]
    [InlineData("k12345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901")]
    public async Task Start_WithMalformedIdempotencyKey_Is400NamingTheHeader_AndStoresNothing(string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/processes") { Content = JsonContent.Create(new JsonObject { ["definition"] = Valid() }) };
        request.Headers.TryAddWithoutValidation(ProcessesApi.IdempotencyKeyHeader, key);
        using var response = await app.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Contains("letters, cijfers", problem!["errors"]![ProcessesApi.IdempotencyKeyHeader]![0]!.GetValue<string>(), StringComparison.Ordinal);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Start_FromTemplateWithOverrides_Is202()
    {
        var overrides = new JsonObject
        {
            ["topic"] = "Nieuwbouw aan de Dijkweg",
            ["area"] = "Gemeente Voorbeeld",
            ["coordinator"] = new JsonObject { ["name"] = "Carla", ["email"] = $"carla-{run}@gemeente.example" },
            ["escalationContact"] = new JsonObject { ["name"] = "Mark", ["email"] = $"mark-{run}@gemeente.example" },
        };
        var templates = await app.Client.GetFromJsonAsync<JsonArray>("/api/templates");
        Assert.Equal(5, templates!.Count);

        var draft = app.Services.GetRequiredService<ProcessTemplates>().GetDraft("bewonersdialoog-bouwplan")!;
        var groups = draft["groups"]!.AsArray().Select(g => (Name: g!["name"]!.GetValue<string>(), Minimum: g["minimum"]?.GetValue<int>() ?? 1)).ToList();
        overrides["sessionDefaults"] = new JsonObject { ["location"] = "Dorpshuis, Dijkweg 3" };
        var participants = new JsonArray();
        foreach (var group in groups)
        {
            for (var i = 0; i < Math.Max(1, group.Minimum); i++)
            {
                participants.Add(new JsonObject { ["name"] = $"{group.Name} {i}", ["email"] = $"{Slug(group.Name)}{i}-{run}@example.org", ["group"] = group.Name });
            }
        }

        overrides["participants"] = participants;
        using var response = await app.Client.PostAsJsonAsync("/api/processes", new JsonObject { ["template"] = "bewonersdialoog-bouwplan", ["definition"] = overrides });

        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
    }

    public static TheoryData<string, string, string> BadDefinitions => new()
    {
        { "invalid e-mail", "participants[0].email", """{"participants":[{"name":"A","email":"geen-adres","group":"inwoners"},{"name":"B","email":"b@example.org","group":"gemeente"}]}""" },
        { "duplicate e-mail", "participants[1].email", """{"participants":[{"name":"A","email":"a@example.org","group":"inwoners"},{"name":"B","email":"A@example.org","group":"gemeente"}]}""" },
        { "unknown language", "participants[1].language", """{"participants":[{"name":"A","email":"a@example.org","group":"inwoners"},{"name":"B","email":"b@example.org","group":"gemeente","language":"fr"}]}""" },
        { "unknown group", "participants[1].group", """{"participants":[{"name":"A","email":"a@example.org","group":"inwoners"},{"name":"B","email":"b@example.org","group":"bestuur"}]}""" },
        { "session in the past", "sessions[0].start", """{"sessions":[{"title":"Oud","start":"2020-01-01T19:00:00","end":"2020-01-01T21:00:00","location":"Buurthuis"}]}""" },
        { "end before start", "sessions[0].end", """{"sessions":[{"title":"Omgekeerd","start":"2031-05-01T21:00:00","end":"2031-05-01T19:00:00","location":"Buurthuis"}]}""" },
        { "minimum not met", "groups[0].minimum", """{"groups":[{"name":"inwoners","minimum":5},{"name":"gemeente","minimum":1}]}""" },
        { "capacity below minimums", "sessions[0].capacity", """{"sessions":[{"title":"Klein","start":"2031-05-01T19:00:00","end":"2031-05-01T21:00:00","location":"Buurthuis","capacity":1}]}""" },
        { "topic too long", "topic", "{\"topic\":\"" + new string('x', 201) + "\"}" },
        { "bad duration", "policy.replyDeadline", """{"policy":{"replyDeadline":"twee weken"}}""" },
        { "wrong type", "sessions[0].capacity", """{"sessions":[{"title":"T","start":"2031-05-01T19:00:00","end":"2031-05-01T21:00:00","location":"B","capacity":"veel"}]}""" },
    };

    [Theory]
    [MemberData(nameof(BadDefinitions))]
    public async Task Start_BadInput_Is400NamingTheField_AndNothingIsStoredOrSent(string why, string field, string patch)
    {
        var definition = Valid();
        foreach (var (key, value) in JsonNode.Parse(patch)!.AsObject())
        {
            definition[key] = value?.DeepClone();
        }

        using var response = await app.Client.PostAsJsonAsync("/api/processes", new JsonObject { ["definition"] = definition });

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, why);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        var errors = problem!["errors"]!.AsObject();
        Assert.True(errors.ContainsKey(field), $"{why}: expected an error for '{field}', got {errors.ToJsonString()}");
        Assert.Contains("niets opgeslagen", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Start_UnknownLanguage_Is400ListingEveryLanguage_AndNothingIsStored()
    {
        var definition = Valid();
        definition["participants"]![0]!["language"] = "tr";

        using var response = await app.Client.PostAsJsonAsync("/api/processes", new JsonObject { ["definition"] = definition });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var message = (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["participants[0].language"]![0]!.GetValue<string>();
        Assert.Equal("Kies de taal van de e-mails: nl (Nederlands), en (Engels) of ar (Arabisch). Nu staat er 'tr'.", message);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Start_TooManyParticipants_Is400()
    {
        var definition = Valid();
        var participants = new JsonArray();
        for (var i = 0; i < 501; i++)
        {
            participants.Add(new JsonObject { ["name"] = $"Inwoner {i}", ["email"] = $"i{i}-{run}@example.org", ["group"] = i == 0 ? "gemeente" : "inwoners" });
        }

        definition["participants"] = participants;
        using var response = await app.Client.PostAsJsonAsync("/api/processes", new JsonObject { ["definition"] = definition });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject().ContainsKey("participants"));
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Start_UnknownTemplate_ListsTheKnownOnes()
    {
        using var response = await app.Client.PostAsJsonAsync("/api/processes", new JsonObject { ["template"] = "bestaat-niet" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        Assert.Contains("enkele-dialoog", errors["template"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_NotJson_Is400Problem()
    {
        using var response = await app.Client.PostAsync("/api/processes", new StringContent("{ dit is geen json", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Changes_ToARunningProcess_AreCheckedBeforeTheyAreSent()
    {
        using var started = await app.Client.PostAsJsonAsync("/api/processes", new JsonObject { ["definition"] = Valid() });
        var id = (await started.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        await Eventually.HoldsAsync(
            async () => (await app.Client.GetFromJsonAsync<JsonObject>($"/api/processes/{id}"))!["status"]?["phase"]?.GetValue<string>() == Phases.CollectingReplies,
            "invitations sent");

        using var duplicate = await app.Client.PostAsJsonAsync($"/api/processes/{id}/participants",
            new { participants = new[] { new { name = "Weer A", email = $"A-{run}@example.org", group = "inwoners" } } });
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.StatusCode);
        Assert.True((await duplicate.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject().ContainsKey("participants[0].email"));

        using var backwards = await app.Client.PostAsJsonAsync($"/api/processes/{id}/sessions/s1/reschedule", new { start = "2031-05-01T21:00:00", end = "2031-05-01T19:00:00", location = "B" });
        Assert.Equal(HttpStatusCode.BadRequest, backwards.StatusCode);

        using var unknownSession = await app.Client.PostAsJsonAsync($"/api/processes/{id}/sessions/s9/cancel", new { reason = "x" });
        Assert.Equal(HttpStatusCode.NotFound, unknownSession.StatusCode);

        using var noEscalation = await app.Client.PostAsJsonAsync($"/api/processes/{id}/decisions", new { escalationId = "e1", choice = "goAhead" });
        Assert.Equal(HttpStatusCode.Conflict, noEscalation.StatusCode);

        using var badChoice = await app.Client.PostAsJsonAsync($"/api/processes/{id}/decisions", new { escalationId = "e1", choice = "misschien" });
        Assert.Equal(HttpStatusCode.BadRequest, badChoice.StatusCode);

        using var close = await app.Client.PostAsync($"/api/processes/{id}/close", null);
        Assert.Equal(HttpStatusCode.Conflict, close.StatusCode);

        var details = await app.Client.GetFromJsonAsync<JsonObject>($"/api/processes/{id}");
        Assert.Equal(2, details!["participants"]!.AsArray().Count);
        Assert.Equal(0, details["status"]!["sessions"]![0]!["sequence"]!.GetValue<int>());

        using var cancel = await app.Client.PostAsJsonAsync($"/api/processes/{id}/cancel", new { reason = "Proef klaar" });
        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
    }

    [Fact]
    public async Task UnknownProcess_Is404Problem()
    {
        using var response = await app.Client.GetAsync("/api/processes/dlg-0000000000000000");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Links_TamperedOrExpired_AreRefusedWithADutchPage()
    {
        var links = app.Services.GetRequiredService<ParticipantLinks>();
        var valid = links.CreateToken(new LinkClaims(LinkPurpose.Reply, "dlg-0000000000000001", "p1", DateTimeOffset.UtcNow.AddDays(1)));
        var tampered = valid[..^2] + (valid[^2] == 'A' ? "B" : "A") + valid[^1];
        var expired = links.CreateToken(new LinkClaims(LinkPurpose.Reply, "dlg-0000000000000001", "p1", DateTimeOffset.UtcNow.AddMinutes(-1)));

        using (var response = await app.Client.GetAsync($"/l/{tampered}?k=yes"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("Deze link klopt niet", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var response = await app.Client.PostAsync($"/l/{expired}", new FormUrlEncodedContent(new Dictionary<string, string> { ["antwoord"] = "yes" })))
        {
            Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        }

        using (var response = await app.Client.GetAsync("/l/niet-eens-een-token"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
    }

    [Fact]
    public async Task OpenApiDocument_WithoutApiKey_Is401ProblemInDutch()
    {
        using var anonymous = new HttpClient { BaseAddress = app.Client.BaseAddress };
        using var response = await anonymous.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("API-sleutel", body, StringComparison.Ordinal);
        Assert.DoesNotContain("/api/processes", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheProcessEndpoints()
    {
        var document = await app.Client.GetFromJsonAsync<JsonObject>("/openapi/v1.json");

        var paths = document!["paths"]!.AsObject();
        Assert.True(paths.ContainsKey("/api/processes"));
        Assert.True(paths.ContainsKey("/api/processes/{id}/decisions"));
        Assert.True(paths.ContainsKey("/api/processes/{id}/sessions/{sessionId}/reschedule"));
    }

    private JsonObject Valid() => LiveDefinitions.TwoPeople(run);

    /// <summary>Every test has its own task hub (a new class instance per test): a refused request leaves it empty, and nobody got mail.</summary>
    private async Task AssertNothingStoredAsync()
    {
        var client = app.Services.GetRequiredService<DurableTaskClient>();
        Assert.Empty((await client.AllInstancesAsync()));
        var inbox = new MailDevInbox(stack.MailDevApi);
        Assert.Empty(await inbox.ToAsync($"a-{run}@example.org"));
    }

    private static string Slug(string name) => new(name.ToLowerInvariant().Where(char.IsLetterOrDigit).ToArray());
}
