using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Dialoog.Core.Engine;
using Microsoft.DurableTask.Client;
using Dialoog.Web.Api;
using Dialoog.Core.Links;
using Dialoog.Core.Processes;
using Dialoog.Core.Processes.Definition;
using Dialoog.Core.Tests.Testing;
using Dialoog.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Dialoog.Core.Tests.Hostile;

/// <summary>
/// Its own Azurite and MailDev (so "no e-mail" and "no blob" can be counted over the whole account), the app, and
/// three processes to attack: one waiting for replies, one cancelled (closed), one past its session with an action.
/// </summary>
public sealed class HostileFixture : IAsyncLifetime
{
    public static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n");

    private static readonly HttpClient MailDevHttp = new() { Timeout = TimeSpan.FromSeconds(10) };

    public DevStackFixture Stack { get; } = new();

    public string Run { get; } = Guid.NewGuid().ToString("N")[..8];

    public Dictionary<string, string?> Settings { get; private set; } = null!;

    internal RunningApp App { get; private set; } = null!;

    public HttpClient Api => App.Client;

    /// <summary>Without the API key: what a participant or an attacker on the internet has.</summary>
    // One per test run: the fixture is created once per collection and the token goes with its one anonymous client.
    private static string antiforgeryToken = "";

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string?> nonces = new(StringComparer.Ordinal);

    public HttpClient Anonymous { get; private set; } = null!;

    /// <summary>Waiting for replies, session a month away: nothing happens by itself for days.</summary>
    public string Running { get; private set; } = "";

    /// <summary>Cancelled; participant p1 had replied through the link before.</summary>
    public string Closed { get; private set; } = "";

    /// <summary>Its session is over, minutes version 1 is in, action a1 is followed.</summary>
    public string Held { get; private set; } = "";

    public ParticipantLinks Links => App.Services.GetRequiredService<ParticipantLinks>();

    public DurableTaskClient Client => App.Services.GetRequiredService<DurableTaskClient>();

    /// <summary>A link as the app makes it: bound to the nonce of a process started by <see cref="StartAsync"/>.</summary>
    public string Token(LinkPurpose purpose, string process, string subject, TimeSpan? validFor = null) =>
        Links.CreateToken(new LinkClaims(purpose, process, subject, DateTimeOffset.UtcNow + (validFor ?? TimeSpan.FromDays(1)), nonces.GetValueOrDefault(process)));

    public async Task InitializeAsync()
    {
        await Stack.InitializeAsync();
        Settings = RunningApp.SettingsFor(Stack);
        Settings["Durable:TaskHub"] = "hostile" + Run;
        Settings["Api:PublicPermitLimit"] = "10000";
        App = await RunningApp.StartAsync(Settings);
        App.Client.DefaultRequestHeaders.Add(CoordinatorApiKeyFilter.HeaderName, Settings["Api:CoordinatorApiKey"]);
        Anonymous = new HttpClient { BaseAddress = App.Client.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        App.Client.Timeout = TimeSpan.FromSeconds(60);

        Running = await StartAsync(Definition("running", DateTime.UtcNow.AddDays(30), replyDeadline: "P14D"));
        Closed = await StartAsync(Definition("closed", DateTime.UtcNow.AddDays(30), replyDeadline: "P14D"));
        var heldStart = DateTime.UtcNow.AddSeconds(6);
        Held = await StartAsync(Definition("held", heldStart, replyDeadline: "PT3S", sessionLength: TimeSpan.FromSeconds(1)));

        await WaitForPhaseAsync(Running, Phases.CollectingReplies);
        await WaitForPhaseAsync(Closed, Phases.CollectingReplies);

        // Like a browser that opened one link page: its antiforgery cookie and token go with every link form below,
        // so the cases test the link and the input, not a missing token.
        antiforgeryToken = await LinkForm.TokenAsync(Anonymous, $"/l/{Token(LinkPurpose.Reply, Running, "p1")}");
        using (var reply = await Anonymous.PostAsync($"/l/{Token(LinkPurpose.Reply, Closed, "p1")}", Form(("antwoord", "yes"))))
        {
            Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        }

        await Eventually.HoldsAsync(async () => (await Participants(Closed)).Any(p => p!["answer"]?.GetValue<string>() == "yes"), "the reply on the closed process counted");
        using (var cancel = await Api.PostAsJsonAsync($"/api/processes/{Closed}/cancel", new { reason = "Proef" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        }

        await Client.WaitForCompletionAsync(Closed, TimeSpan.FromSeconds(30));

        await WaitForPhaseAsync(Held, Phases.FollowUp, TimeSpan.FromSeconds(40));
        var due = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(20).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        using (var form = new MultipartFormDataContent())
        {
            form.Add(new ByteArrayContent(Pdf), "file", "verslag.pdf");
            form.Add(new StringContent($$"""[{"title":"Schetsen","ownerName":"Anna","ownerEmail":"anna-{{Run}}@example.org","dueDate":"{{due}}"}]"""), "actions");
            using var upload = await Api.PostAsync($"/api/processes/{Held}/sessions/s1/minutes", form);
            Assert.Equal(HttpStatusCode.Accepted, upload.StatusCode);
        }

        await Eventually.HoldsAsync(async () => (await Api.GetFromJsonAsync<JsonArray>($"/api/processes/{Held}/actions"))!.Count == 1, "action a1 followed", TimeSpan.FromSeconds(30));

        // Everything the setup set off (invitations, confirmations, minutes mails, the action's first step) has settled.
        await QuietAsync();
    }

    public async Task DisposeAsync()
    {
        Anonymous?.Dispose();
        if (App is not null)
        {
            await App.DisposeAsync();
        }

        await Stack.DisposeAsync();
    }

    public JsonObject Definition(string topic, DateTime startUtc, string replyDeadline, TimeSpan? sessionLength = null) => new()
    {
        ["topic"] = "Proef " + topic,
        ["area"] = "Gemeente Voorbeeld",
        ["coordinator"] = new JsonObject { ["name"] = "Carla", ["email"] = $"carla-{Run}@gemeente.example" },
        ["escalationContact"] = new JsonObject { ["name"] = "Mark", ["email"] = $"mark-{Run}@gemeente.example" },
        ["groups"] = new JsonArray(new JsonObject { ["name"] = "inwoners", ["minimum"] = 0 }, new JsonObject { ["name"] = "gemeente", ["minimum"] = 0 }),
        ["participants"] = new JsonArray(
            new JsonObject { ["name"] = "Anna", ["email"] = $"a-{topic}-{Run}@example.org", ["group"] = "inwoners" },
            new JsonObject { ["name"] = "Bert", ["email"] = $"b-{topic}-{Run}@example.org", ["group"] = "gemeente" }),
        ["sessions"] = new JsonArray(new JsonObject
        {
            ["id"] = "s1",
            ["title"] = "Gesprek",
            ["start"] = AmsterdamTime.FromUtc(startUtc).ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
            ["end"] = AmsterdamTime.FromUtc(startUtc + (sessionLength ?? TimeSpan.FromHours(2))).ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
            ["location"] = "Buurthuis",
        }),
        ["policy"] = new JsonObject { ["replyDeadline"] = replyDeadline, ["sessionReminderBefore"] = "PT1S" },
    };

    public async Task<string> StartAsync(JsonObject definition)
    {
        using var started = await Api.PostAsJsonAsync("/api/processes", new JsonObject { ["definition"] = definition });
        Assert.True(started.StatusCode == HttpStatusCode.Accepted, await started.Content.ReadAsStringAsync());
        var id = (await started.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        nonces[id] = await TestLinks.NonceAsync(Client, id);
        return id;
    }

    public async Task<JsonArray> Participants(string id) =>
        (await Api.GetFromJsonAsync<JsonObject>($"/api/processes/{id}"))!["participants"]!.AsArray();

    public async Task WaitForPhaseAsync(string id, string phase, TimeSpan? timeout = null) =>
        await Eventually.HoldsAsync(
            async () => (await Api.GetFromJsonAsync<ProcessDetails>($"/api/processes/{id}", JsonSerializerOptions.Web))?.Status?.Phase == phase,
            $"{id} reaches {phase}",
            timeout ?? TimeSpan.FromSeconds(30));

    /// <summary>A link form with the antiforgery token of the page the anonymous browser opened.</summary>
    public static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)).Append(new(LinkForm.TokenField, antiforgeryToken)));

    /// <summary>Adds the same token to a multipart link form (minutes upload).</summary>
    public static void AddToken(MultipartFormDataContent form)
    {
        ArgumentNullException.ThrowIfNull(form);
        form.Add(new StringContent(antiforgeryToken), LinkForm.TokenField);
    }

    /// <summary>Everything a request could have changed: instances and their history, every table row, blob and e-mail.</summary>
    public async Task<Snapshot> SnapshotAsync()
    {
        var instances = (await Client.AllInstancesAsync());
        var history = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var instance in instances)
        {
            history[instance.InstanceId] = (await Client.HistoryAsync(instance.InstanceId)).Count;
        }

        var rows = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var tables = App.Services.GetRequiredService<TableServiceClient>();
        await foreach (var table in tables.QueryAsync())
        {
            var count = 0;
            await foreach (var unused in tables.GetTableClient(table.Name).QueryAsync<TableEntity>(select: ["PartitionKey"]))
            {
                count++;
            }

            rows[table.Name] = count;
        }

        var blobs = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var blobService = App.Services.GetRequiredService<BlobServiceClient>();
        await foreach (var container in blobService.GetBlobContainersAsync())
        {
            var count = 0;
            await foreach (var unused in blobService.GetBlobContainerClient(container.Name).GetBlobsAsync())
            {
                count++;
            }

            blobs[container.Name] = count;
        }

        using var mail = await MailDevHttp.GetFromJsonAsync<JsonDocument>(new Uri(Stack.MailDevApi, "email"));
        return new Snapshot(
            string.Join(",", history.Select(h => $"{h.Key}:{h.Value}")),
            string.Join(",", rows.Select(r => $"{r.Key}:{r.Value}")),
            string.Join(",", blobs.Select(b => $"{b.Key}:{b.Value}")),
            mail!.RootElement.GetArrayLength());
    }

    /// <summary>Waits until two snapshots a second apart are the same.</summary>
    public async Task QuietAsync()
    {
        var last = await SnapshotAsync();
        await Eventually.HoldsAsync(async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            var now = await SnapshotAsync();
            var same = now == last;
            last = now;
            return same;
        }, "the setup has settled", TimeSpan.FromSeconds(60));
    }

    public async Task<string> MailDevSourceAsync(string id) =>
        await MailDevHttp.GetStringAsync(new Uri(Stack.MailDevApi, $"email/{id}/source"));

    public async Task<JsonDocument> MailDevListAsync() =>
        (await MailDevHttp.GetFromJsonAsync<JsonDocument>(new Uri(Stack.MailDevApi, "email")))!;
}

/// <summary>What <see cref="HostileFixture.SnapshotAsync"/> counts.</summary>
public sealed record Snapshot(string History, string Rows, string Blobs, int Emails);

[CollectionDefinition(Name)]
public sealed class HostileCollection : ICollectionFixture<HostileFixture>
{
    public const string Name = "Hostile";
}
