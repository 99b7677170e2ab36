using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using Dialoog.Core.Actions;
using Dialoog.Core.Links;
using Dialoog.Core.Minutes;
using Dialoog.Core.Processes;
using Dialoog.Core.Processes.Definition;
using Dialoog.Core.Tests.Testing;
using Dialoog.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Dialoog.Core.Tests.Processes;

/// <summary>
/// Minutes, actions and initiatives through the API on the real app: bad uploads and actions are refused with a
/// field error and leave no blob and no change; links act only for their own item; the public form is rate-limited.
/// </summary>
[Collection(DevStackCollection.Name)]
public sealed class FollowUpApiTests(DevStackFixture stack)
{
    internal static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n");

    [Fact]
    public async Task MinutesAndActions_BadInputIsRefused_NothingStored_ThenAGoodUploadStartsTheActions()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var settings = RunningApp.SettingsFor(stack);
        settings["Durable:TaskHub"] = "fua" + run;
        settings["Api:PublicPermitLimit"] = "2";
        await using var app = await RunningApp.StartWithApiKeyAsync(settings);
        var id = await StartAsync(app, run);

        // Before the session: no minutes yet.
        using (var early = await UploadAsync(app, id, "verslag.pdf", Pdf, null))
        {
            Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        }

        await Eventually.HoldsAsync(
            async () => (await app.Client.GetFromJsonAsync<ProcessDetails>($"/api/processes/{id}", System.Text.Json.JsonSerializerOptions.Web))?.Status?.Phase == Phases.FollowUp,
            "the session has been held",
            TimeSpan.FromSeconds(40));

        var zip = new byte[] { 0x50, 0x4B, 0x03, 0x04, 0, 0, 0, 0 };
        var due = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(20).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var cases = new (string Why, string FileName, byte[] Content, string? Actions, string Field)[]
        {
            ("disguised file", "verslag.pdf", zip, null, "file"),
            ("not a document", "verslag.pdf", Encoding.ASCII.GetBytes("MZ\u0090\0binary"), null, "file"),
            ("path in the name", "../../etc/verslag.pdf", Pdf, null, "file"),
            ("control character in the name", "vers\u0001lag.pdf", Pdf, null, "file"),
            ("too large", "verslag.txt", new byte[MinutesContent.MaxBytes + 1], null, "file"),
            ("action without owner", "verslag.pdf", Pdf, $$"""[{"title":"Schetsen","ownerName":"","ownerEmail":"","dueDate":"{{due}}"}]""", "actions[0].ownerName"),
            ("due date in the past", "verslag.pdf", Pdf, """[{"title":"Schetsen","ownerName":"Anna","ownerEmail":"anna@example.org","dueDate":"2020-01-01"}]""", "actions[0].dueDate"),
        };
        foreach (var (why, fileName, content, actions, field) in cases)
        {
            using var refused = await UploadAsync(app, id, fileName, content, actions);
            Assert.True(refused.StatusCode == HttpStatusCode.BadRequest, $"{why}: {refused.StatusCode}");
            var errors = (await refused.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
            Assert.True(errors.ContainsKey(field), $"{why}: expected '{field}', got {errors.ToJsonString()}");
        }

        var container = app.Services.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(MinutesStore.ContainerName(settings["Durable:TaskHub"]!));
        Assert.False(await container.ExistsAsync() && await container.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, id, CancellationToken.None).AnyAsync(), "a refused upload stored a blob");

        // A good upload: one version, two actions followed.
        var good = $$"""[{"title":"Schetsen","ownerName":"Anna","ownerEmail":"anna-{{run}}@example.org","dueDate":"{{due}}"},{"title":"Budget","ownerName":"Greet","ownerEmail":"greet-{{run}}@example.org","dueDate":"{{due}}"}]""";
        using (var accepted = await UploadAsync(app, id, "verslag.pdf", Pdf, good))
        {
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
            Assert.Equal(1, (await accepted.Content.ReadFromJsonAsync<JsonObject>())!["version"]!.GetValue<int>());
        }

        JsonArray items = [];
        await Eventually.HoldsAsync(async () => (items = (await app.Client.GetFromJsonAsync<JsonArray>($"/api/processes/{id}/actions"))!).Count == 2, "two actions followed");

        // A link acts only for its own item, and only for its purpose.
        var a1 = await TestLinks.TokenAsync(app.Services, LinkPurpose.FollowUp, id, "a1");
        var replyToken = await TestLinks.TokenAsync(app.Services, LinkPurpose.Reply, id, "a2");
        using (var wrongPurpose = await app.Client.PostAsJsonAsync($"/api/progress/{replyToken}", new { status = "done" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, wrongPurpose.StatusCode);
        }

        using (var noReason = await app.Client.PostAsJsonAsync($"/api/progress/{a1}", new { status = "stuck" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
            Assert.True((await noReason.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject().ContainsKey("reason"));
        }

        using (var done = await app.Client.PostAsJsonAsync($"/api/progress/{a1}", new { status = "done" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, done.StatusCode);
        }

        await Eventually.HoldsAsync(async () =>
        {
            var list = (await app.Client.GetFromJsonAsync<JsonArray>($"/api/processes/{id}/actions"))!;
            return list.Single(a => a!["id"]!.GetValue<string>() == "a1")!["status"]!.GetValue<string>() == FollowUpStatus.Done;
        }, "a1 is done");
        var a2 = (await app.Client.GetFromJsonAsync<JsonArray>($"/api/processes/{id}/actions"))!.Single(a => a!["id"]!.GetValue<string>() == "a2")!;
        Assert.Equal(FollowUpStatus.Open, a2["status"]!.GetValue<string>());

        // Initiatives: checked, then rate-limited per address.
        using var anonymous = new HttpClient { BaseAddress = app.Client.BaseAddress };
        using (var bad = await anonymous.PostAsJsonAsync($"/api/processes/{id}/initiatives", new { title = "", description = "x", name = "Iris", email = "geen-adres" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            var errors = (await bad.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
            Assert.True(errors.ContainsKey("title") && errors.ContainsKey("email"), errors.ToJsonString());
        }

        using (var ok = await anonymous.PostAsJsonAsync($"/api/processes/{id}/initiatives", new { title = "Moestuin", description = "Samen groente kweken.", name = "Iris", email = $"iris-{run}@example.org" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, ok.StatusCode);
        }

        using (var limited = await anonymous.PostAsJsonAsync($"/api/processes/{id}/initiatives", new { title = "Nog een", description = "Meer.", name = "Iris", email = $"iris-{run}@example.org" }))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
            Assert.Contains("Te veel verzoeken", await limited.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // It starts once its submitter confirms through the e-mail (the limit above is per address, not for the link).
        Assert.Empty((await app.Client.GetFromJsonAsync<JsonArray>($"/api/processes/{id}/initiatives"))!);
        using (var confirmed = await InitiativeMail.ConfirmAsync(app, stack, $"iris-{run}@example.org"))
        {
            Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        }

        await Eventually.HoldsAsync(async () => (await app.Client.GetFromJsonAsync<JsonArray>($"/api/processes/{id}/initiatives"))!.Count == 1, "one initiative");
    }

    [Fact]
    public async Task AgreementsAfterTheLastMinutes_BadInputRefused_ThenAdded_ProcessStaysOpenUntilTheCoordinatorCloses()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var settings = RunningApp.SettingsFor(stack);
        settings["Durable:TaskHub"] = "fuw" + run;
        await using var app = await RunningApp.StartWithApiKeyAsync(settings);
        var id = await StartAsync(app, run);
        var due = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(20).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var anna = new JsonObject { ["title"] = "Speelplek schetsen", ["ownerName"] = "Anna", ["ownerEmail"] = $"anna-{run}@example.org", ["dueDate"] = due };

        using (var early = await AddActionsAsync(app, id, "s1", new JsonObject { ["actions"] = new JsonArray(anna.DeepClone()) }))
        {
            Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        }

        await Eventually.HoldsAsync(async () => (await DetailsAsync(app, id)).Status?.Phase == Phases.FollowUp, "the session has been held", TimeSpan.FromSeconds(40));
        var markdown = Encoding.UTF8.GetBytes("# Verslag\n\n## Afspraken\n\n- Speelplek schetsen; Anna; anna@example.org\n");
        using (var minutes = await UploadAsync(app, id, "verslag.md", markdown, null))
        {
            // The agreement in the file is proposed, with what the line lacks (the date) left open; it is not added.
            Assert.Equal(HttpStatusCode.Accepted, minutes.StatusCode);
            var proposal = Assert.Single((await minutes.Content.ReadFromJsonAsync<JsonObject>())!["proposedAgreements"]!.AsArray())!;
            Assert.Equal(("Speelplek schetsen", "Anna", "anna@example.org"),
                (proposal["title"]!.GetValue<string>(), proposal["ownerName"]!.GetValue<string>(), proposal["ownerEmail"]!.GetValue<string>()));
            Assert.Null(proposal["dueDate"]);
        }

        // The last minutes without agreements: the process stays open and says until when.
        await Eventually.HoldsAsync(async () => (await DetailsAsync(app, id)).Status?.WindowEndsUtc is not null, "the follow-up window runs");
        var details = await DetailsAsync(app, id);
        Assert.Equal("Running", details.RuntimeStatus);
        Assert.InRange(details.Status!.WindowEndsUtc!.Value, DateTime.UtcNow.AddDays(13), DateTime.UtcNow.AddDays(14));

        var cases = new (string Why, string Session, JsonObject Body, string Field)[]
        {
            ("no agreements", "s1", new JsonObject { ["actions"] = new JsonArray() }, "actions"),
            ("no actions field", "s1", new JsonObject { ["addedBy"] = "Carla" }, "actions"),
            ("agreement without title", "s1", new JsonObject { ["actions"] = new JsonArray(new JsonObject { ["title"] = "", ["ownerName"] = "Anna", ["ownerEmail"] = "anna@example.org", ["dueDate"] = due }) }, "actions[0].title"),
            ("bad owner address", "s1", new JsonObject { ["actions"] = new JsonArray(new JsonObject { ["title"] = "Schetsen", ["ownerName"] = "Anna", ["ownerEmail"] = "anna", ["dueDate"] = due }) }, "actions[0].ownerEmail"),
            ("line break in the name", "s1", new JsonObject { ["actions"] = new JsonArray(anna.DeepClone()), ["addedBy"] = "Carla\nBcc: x@example.org" }, "addedBy"),
        };
        foreach (var (why, session, body, field) in cases)
        {
            using var refused = await AddActionsAsync(app, id, session, body);
            Assert.True(refused.StatusCode == HttpStatusCode.BadRequest, $"{why}: {refused.StatusCode}");
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            var errors = (await refused.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
            Assert.True(errors.ContainsKey(field), $"{why}: expected '{field}', got {errors.ToJsonString()}");
        }

        using (var unknown = await AddActionsAsync(app, id, "s9", new JsonObject { ["actions"] = new JsonArray(anna.DeepClone()) }))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }

        Assert.Empty((await app.Client.GetFromJsonAsync<JsonArray>($"/api/processes/{id}/actions"))!);

        using (var added = await AddActionsAsync(app, id, "s1", new JsonObject { ["actions"] = new JsonArray(anna.DeepClone()), ["addedBy"] = "Carla" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, added.StatusCode);
            Assert.Equal(1, (await added.Content.ReadFromJsonAsync<JsonObject>())!["count"]!.GetValue<int>());
        }

        await Eventually.HoldsAsync(async () => (await app.Client.GetFromJsonAsync<JsonArray>($"/api/processes/{id}/actions"))!.Count == 1, "the agreement is followed");
        Assert.Contains((await DetailsAsync(app, id)).Status!.Timeline, t => t.Text == "Carla heeft bij 'Gesprek' een afspraak toegevoegd: 'Speelplek schetsen'.");

        // The coordinator closes before the window ends; after that nothing can be added.
        using (var close = await app.Client.PostAsJsonAsync($"/api/processes/{id}/close", new { reason = "Alles is binnen." }))
        {
            Assert.Equal(HttpStatusCode.Accepted, close.StatusCode);
        }

        await Eventually.HoldsAsync(async () => (await DetailsAsync(app, id)).RuntimeStatus == "Completed", "the process ended");
        using (var late = await AddActionsAsync(app, id, "s1", new JsonObject { ["actions"] = new JsonArray(anna.DeepClone()) }))
        {
            Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        }
    }

    private static async Task<ProcessDetails> DetailsAsync(RunningApp app, string id) =>
        (await app.Client.GetFromJsonAsync<ProcessDetails>($"/api/processes/{id}", System.Text.Json.JsonSerializerOptions.Web))!;

    private static Task<HttpResponseMessage> AddActionsAsync(RunningApp app, string id, string sessionId, JsonObject body) =>
        app.Client.PostAsJsonAsync($"/api/processes/{id}/sessions/{sessionId}/actions", body);

    /// <summary>A process of Carla of this run whose one session starts in 8 seconds and lasts 2; nobody has to come.</summary>
    internal static async Task<string> StartAsync(RunningApp app, string run)
    {
        var start = DateTime.UtcNow.AddSeconds(8);
        var definition = new JsonObject
        {
            ["topic"] = "Verslagproef",
            ["area"] = "Gemeente Voorbeeld",
            ["coordinator"] = new JsonObject { ["name"] = "Carla", ["email"] = $"carla-{run}@example.org" },
            ["escalationContact"] = new JsonObject { ["name"] = "Mark", ["email"] = $"mark-{run}@example.org" },
            ["groups"] = new JsonArray(new JsonObject { ["name"] = "inwoners", ["minimum"] = 0 }),
            ["participants"] = new JsonArray(new JsonObject { ["name"] = "Anna", ["email"] = $"anna-{run}@example.org", ["group"] = "inwoners" }),
            ["sessions"] = new JsonArray(new JsonObject
            {
                ["id"] = "s1",
                ["title"] = "Gesprek",
                ["start"] = AmsterdamTime.FromUtc(start).ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
                ["end"] = AmsterdamTime.FromUtc(start.AddSeconds(2)).ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
                ["location"] = "Buurthuis",
            }),
            ["policy"] = new JsonObject { ["replyDeadline"] = "PT4S", ["sessionReminderBefore"] = "PT1S" },
        };
        using var started = await app.Client.PostAsJsonAsync("/api/processes", new JsonObject { ["definition"] = definition });
        Assert.True(started.StatusCode == HttpStatusCode.Accepted, await started.Content.ReadAsStringAsync());
        return (await started.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
    }

    internal static async Task<HttpResponseMessage> UploadAsync(RunningApp app, string id, string fileName, byte[] content, string? actions)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(content), "file", fileName);
        if (actions is not null)
        {
            form.Add(new StringContent(actions), "actions");
        }

        return await app.Client.PostAsync($"/api/processes/{id}/sessions/s1/minutes", form);
    }
}
