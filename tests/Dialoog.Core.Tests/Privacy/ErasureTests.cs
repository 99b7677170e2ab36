using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dialoog.Core.Engine;
using Dialoog.Core.Links;
using Dialoog.Core.Minutes;
using Dialoog.Core.Privacy;
using Dialoog.Core.Processes.Definition;
using Dialoog.Core.Tests.Testing;
using Dialoog.Testing;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Dialoog.Core.Tests.Privacy;

/// <summary>
/// Issue 18, item 5: erasure takes one person out of every process, also a running one, and leaves everyone else's
/// data alone. The check is the storage itself: every row and blob of the process, history included.
/// </summary>
[Collection(SecondDevStackCollection.Name)]
public sealed class ErasureTests(DevStackFixture stack)
{
    private readonly string run = Guid.NewGuid().ToString("N")[..8];

    private string Anna => $"Anna{run}";

    private string AnnaEmail => $"anna-{run}@example.org";

    private string Bram => $"Bram{run}";

    private string BramEmail => $"bram-{run}@example.org";

    [Fact]
    public async Task ErasingAParticipantOfARunningProcess_RemovesThemEverywhere_KeepsTheOthers_AndTheProcessRunsOn()
    {
        var settings = RunningApp.SettingsFor(stack);
        settings["Durable:TaskHub"] = "erase" + run;
        settings["Privacy:PurgeInterval"] = "00:00:00";
        var app = await StartAsync(settings);
        string id;
        try
        {
            id = await PrivacyTests.StartAsync(app, run, "Wissen", [(Anna, AnnaEmail), (Bram, BramEmail)]);
            var inbox = new MailDevInbox(stack.MailDevApi);
            await inbox.WaitForAsync(AnnaEmail, _ => true);
            await inbox.WaitForAsync(BramEmail, _ => true);
            await ReplyAsync(app, id, "p1", $"Ik neem buurvrouw Truus{run} mee");
            await ReplyAsync(app, id, "p2", $"{Bram} komt op de fiets");
            await inbox.WaitForAsync(AnnaEmail, _ => true, count: 2);
            await inbox.WaitForAsync(BramEmail, _ => true, count: 2);
            var store = app.Services.GetRequiredService<MinutesStore>();
            await store.SaveAsync(id, "s1", "voorbereiding.txt", "Agenda van de avond"u8.ToArray(), Anna, DateTime.UtcNow, CancellationToken.None);

            // Before: the export shows what the timeline says about Anna and the minutes she receives.
            var before = await ExportAsync(app, AnnaEmail);
            Assert.Contains(before["timelineNotes"]!.AsArray(), n => n!["text"]!.GetValue<string>().Contains(Anna, StringComparison.Ordinal));
            Assert.Equal("voorbereiding.txt", Assert.Single(before["minutes"]!.AsArray())!["fileName"]!.GetValue<string>());

            using (var erase = await app.Client.PostAsJsonAsync("/api/privacy/erase", new { email = AnnaEmail.ToUpperInvariant() }))
            {
                Assert.True(erase.StatusCode == HttpStatusCode.OK, await erase.Content.ReadAsStringAsync());
                Assert.Equal(id, Assert.Single((await erase.Content.ReadFromJsonAsync<JsonObject>())!["erasedProcesses"]!.AsArray())!.GetValue<string>());
            }

            var scrubber = app.Services.GetRequiredService<StoredDataScrubber>();
            var annaLeft = await scrubber.FindAsync(id, Person(AnnaEmail, Anna), CancellationToken.None);
            Assert.True(annaLeft.Count == 0, "Anna still in: " + string.Join(", ", annaLeft));
            Assert.Empty(await scrubber.FindAsync(id, Person("niemand@example.org", $"Truus{run}"), CancellationToken.None));
            Assert.NotEmpty(await scrubber.FindAsync(id, Person(BramEmail, Bram), CancellationToken.None));
            Assert.Empty((await ExportAsync(app, AnnaEmail))["participations"]!.AsArray());

            // Bram keeps everything, remark included; Anna's yes still counts, without a name.
            var bram = Assert.Single((await ExportAsync(app, BramEmail))["participations"]!.AsArray())!["participant"]!;
            Assert.Equal(Bram, bram["name"]!.GetValue<string>());
            Assert.Equal($"{Bram} komt op de fiets", bram["remark"]!.GetValue<string>());
            var status = await app.Client.GetFromJsonAsync<JsonObject>($"/api/processes/{id}");
            Assert.Equal(2, status!["status"]!["groups"]![0]!["yes"]!.GetValue<int>());
            Assert.Contains("Gewiste deelnemer", status.ToJsonString(), StringComparison.Ordinal);
            Assert.DoesNotContain(Anna, status.ToJsonString(), StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            await app.DisposeAsync();
        }

        // A fresh worker replays the process from the scrubbed history, and it carries on: a move of the session reaches
        // Bram, and nothing reaches Anna any more.
        var again = await StartAsync(settings);
        try
        {
            var inbox = new MailDevInbox(stack.MailDevApi);
            var annaMails = (await inbox.ToAsync(AnnaEmail)).Count;
            var start = DateTime.UtcNow.AddDays(25);
            using (var moved = await again.Client.PostAsJsonAsync($"/api/processes/{id}/sessions/s1/reschedule", new
            {
                start = AmsterdamTime.FromUtc(start).ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
                end = AmsterdamTime.FromUtc(start.AddHours(2)).ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
                location = "Bibliotheek",
            }))
            {
                Assert.True(moved.StatusCode == HttpStatusCode.Accepted, await moved.Content.ReadAsStringAsync());
            }

            await inbox.WaitForAsync(BramEmail, m => m.TextBody?.Contains("Bibliotheek", StringComparison.Ordinal) == true || m.HtmlBody?.Contains("Bibliotheek", StringComparison.Ordinal) == true);
            Assert.Equal(annaMails, (await inbox.ToAsync(AnnaEmail)).Count);
            var client = again.Services.GetRequiredService<DurableTaskClient>();
            Assert.True((await client.GetInstanceAsync(id))!.IsActive());

            // A role the running process needs blocks erasure there, and changes nothing.
            using (var erase = await again.Client.PostAsJsonAsync("/api/privacy/erase", new { email = $"mark-{run}@gemeente.example" }))
            {
                Assert.Equal(HttpStatusCode.Conflict, erase.StatusCode);
                var blocked = Assert.Single((await erase.Content.ReadFromJsonAsync<JsonObject>())!["blocked"]!.AsArray())!;
                Assert.Equal(id, blocked["processId"]!.GetValue<string>());
                Assert.Contains("escalatiecontact in dit lopende traject", blocked["reason"]!.GetValue<string>(), StringComparison.Ordinal);
            }

            var scrubber = again.Services.GetRequiredService<StoredDataScrubber>();
            Assert.NotEmpty(await scrubber.FindAsync(id, Person($"mark-{run}@gemeente.example", "Mark"), CancellationToken.None));

            // Once the process has ended, the same request erases Mark, and Bram is still there.
            using (await again.Client.PostAsJsonAsync($"/api/processes/{id}/cancel", new { reason = "Proef" }))
            {
            }

            await client.WaitForCompletionAsync(id, TimeSpan.FromSeconds(30));
            using (var erase = await again.Client.PostAsJsonAsync("/api/privacy/erase", new { email = $"mark-{run}@gemeente.example" }))
            {
                Assert.Equal(HttpStatusCode.OK, erase.StatusCode);
            }

            var markLeft = await scrubber.FindAsync(id, Person($"mark-{run}@gemeente.example", "Mark"), CancellationToken.None);
            Assert.True(markLeft.Count == 0, "Mark still in: " + string.Join(", ", markLeft));
            Assert.NotEmpty(await scrubber.FindAsync(id, Person(BramEmail, Bram), CancellationToken.None));
            Assert.NotNull(await client.GetInstanceAsync(id));
        }
        finally
        {
            await again.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("""{"type":"reply","participantId":"p1","answer":"yes","remark":"Ik kom met Truus"}""", """{"type":"reply","participantId":"p1","answer":"yes","remark":null}""")]
    [InlineData("""{"to":{"id":"p1","name":"J\u00F6rg Anna","email":"jorg@example.org"}}""", """{"to":{"id":"p1","name":"Gewiste deelnemer","email":"gewist-p1@dialoog.invalid"}}""")]
    [InlineData("""{"carry":"{\"participants\":[{\"id\":\"p1\",\"name\":\"J\\u00F6rg Anna\",\"email\":\"JORG@example.org\",\"remark\":\"hoi\"}]}"}""", "Gewiste deelnemer")]
    [InlineData("J\u00F6rg Anna (inwoners): ja. Jörg Annabel ook.", "Gewiste deelnemer (inwoners): ja. Jörg Annabel ook.")]
    [InlineData("""{"name":"J\u00F6rg Anna","email":"jorg@example.org","group":"inwoners","phone":"06-12345678","address":"Kerkstraat 1"}""", "\"phone\":null,\"address\":null")]
    [InlineData("""{"coordinator":{"name":"J\u00F6rg Anna","email":"jorg@example.org","phone":"06-12345678"}}""", """{"coordinator":{"name":"Gewiste deelnemer","email":"gewist-p1@dialoog.invalid","phone":null}}""")]
    [InlineData("""{"id":"p1","name":"J\u00F6rg Anna","email":"jorg@example.org","signedUp":true,"signUpAnswers":[{"questionId":"nodig","choices":["vervoer"],"text":"Truus brengt mij"}]}""", "\"signUpAnswers\":null")]
    public void Scrubber_RemovesThePerson_FromPlainTextAndJson_AlsoEscapedOrNested(string stored, string expected)
    {
        var person = new ErasedPerson("jorg@example.org", "Jörg Anna", "gewist-p1@dialoog.invalid", "Gewiste deelnemer", "p1");

        var scrubbed = PersonScrubber.Scrub(stored, person);

        Assert.False(PersonScrubber.Mentions(scrubbed, person), scrubbed);
        Assert.DoesNotContain("Truus", scrubbed, StringComparison.Ordinal);
        Assert.DoesNotContain("hoi", scrubbed, StringComparison.Ordinal);
        Assert.DoesNotContain("12345678", scrubbed, StringComparison.Ordinal);
        Assert.Contains(expected, scrubbed, StringComparison.Ordinal);
    }

    [Fact]
    public void Scrubber_LeavesTextWithoutThePerson_AsItWas()
    {
        const string stored = """{"type":"reply","participantId":"p2","answer":"no","remark":"Jammer, Anna-Lies komt wel"}""";

        Assert.Same(stored, PersonScrubber.Scrub(stored, new ErasedPerson("jorg@example.org", "Anna", "x@dialoog.invalid", "Gewiste deelnemer", "p1")));
    }

    [Fact]
    public async Task StoredData_LargeMessagesAreScrubbedCompressed_AndTheEnginesSentinelIsLeftAlone()
    {
        var hub = "scrub" + run;
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Durable:TaskHub"] = hub }).Build();
        var tables = new Azure.Data.Tables.TableServiceClient(stack.StorageConnectionString);
        var blobs = new Azure.Storage.Blobs.BlobServiceClient(stack.StorageConnectionString);
        var scrubber = new StoredDataScrubber(tables, blobs, configuration, Microsoft.Extensions.Logging.Abstractions.NullLogger<StoredDataScrubber>.Instance);
        const string ProcessId = "dlg-0123456789abcdef";
        var payload = $$"""{"participants":[{"name":"{{Anna}}","email":"{{AnnaEmail}}"},{"name":"{{Bram}}","email":"{{BramEmail}}"}]}""";

        var history = tables.GetTableClient(hub + "History");
        await history.CreateIfNotExistsAsync();
        await history.AddEntityAsync(new Azure.Data.Tables.TableEntity(ProcessId, "0000000000000000") { ["EventType"] = "ExecutionStarted", ["Name"] = "DialogueProcessOrchestrator", ["Input"] = payload });
        await history.AddEntityAsync(new Azure.Data.Tables.TableEntity(ProcessId, "sentinel") { ["Note"] = payload });
        var container = blobs.GetBlobContainerClient(hub + "-largemessages");
        await container.CreateIfNotExistsAsync();
        var blobName = $"{ProcessId}/history-0-ExecutionStarted-Input.json.gz";
        await container.GetBlobClient(blobName).UploadAsync(new BinaryData(Gzip(payload)));

        var person = new ErasedPerson(AnnaEmail, Anna, "gewist-p1@dialoog.invalid", "Gewiste deelnemer", "p1");
        Assert.Equal(2, await scrubber.ScrubAsync(ProcessId, person, CancellationToken.None));

        var blobText = Gunzip((await container.GetBlobClient(blobName).DownloadContentAsync()).Value.Content.ToArray());
        Assert.DoesNotContain(AnnaEmail, blobText, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(BramEmail, blobText, StringComparison.Ordinal);
        Assert.Contains("gewist-p1@dialoog.invalid", blobText, StringComparison.Ordinal);
        var row = (await history.GetEntityAsync<Azure.Data.Tables.TableEntity>(ProcessId, "0000000000000000")).Value;
        Assert.DoesNotContain(Anna, row.GetString("Input"), StringComparison.Ordinal);
        Assert.Equal("DialogueProcessOrchestrator", row.GetString("Name"));
        Assert.Equal(payload, (await history.GetEntityAsync<Azure.Data.Tables.TableEntity>(ProcessId, "sentinel")).Value.GetString("Note"));
    }

    private static byte[] Gzip(string text)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionLevel.Fastest))
        {
            gzip.Write(System.Text.Encoding.UTF8.GetBytes(text));
        }

        return compressed.ToArray();
    }

    private static string Gunzip(byte[] bytes)
    {
        using var gzip = new System.IO.Compression.GZipStream(new MemoryStream(bytes), System.IO.Compression.CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        return reader.ReadToEnd();
    }

    private static ErasedPerson Person(string email, string name) => new(email, name, "", "", null);

    private static async Task<RunningApp> StartAsync(Dictionary<string, string?> settings)
    {
        var app = await RunningApp.StartWithApiKeyAsync(settings);
        return app;
    }

    private static async Task ReplyAsync(RunningApp app, string id, string participant, string remark)
    {
        var token = await TestLinks.TokenAsync(app.Services, LinkPurpose.Reply, id, participant);
        using var reply = await LinkForm.PostAsync(app.Client, $"/l/{token}", new Dictionary<string, string> { ["antwoord"] = "yes", ["opmerking"] = remark });
        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
    }

    private static async Task<JsonObject> ExportAsync(RunningApp app, string email)
    {
        using var export = await app.Client.PostAsJsonAsync("/api/privacy/export", new { email });
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        return (await export.Content.ReadFromJsonAsync<JsonObject>())!;
    }
}
