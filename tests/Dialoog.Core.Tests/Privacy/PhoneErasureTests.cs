using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dialoog.Core.Invitations;
using Dialoog.Core.Privacy;
using Dialoog.Core.Tests.Testing;
using Dialoog.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Dialoog.Core.Tests.Privacy;

/// <summary>
/// Export and erasure of someone reached without e-mail, by phone number (issue 17): 06-12345678 and +31612345678 are
/// the same person, and erasing them leaves the other phone-only participant of the process alone. The check is the
/// storage itself, history included, on the real app.
/// </summary>
[Collection(SecondDevStackCollection.Name)]
public sealed class PhoneErasureTests(DevStackFixture stack)
{
    private readonly string run = Guid.NewGuid().ToString("N")[..8];

    private string Henk => $"Henk{run}";

    private string Kees => $"Kees{run}";

    [Fact]
    public async Task ExportAndErase_ByPhoneNumber_In06AndPlus31Form_FindsAndErasesOnlyThatPerson()
    {
        var settings = RunningApp.SettingsFor(stack);
        settings["Durable:TaskHub"] = "phone" + run;
        settings["Privacy:PurgeInterval"] = "00:00:00";
        await using var app = await RunningApp.StartWithApiKeyAsync(settings);
        var id = await PrivacyTests.StartAsync(app, run, "Bellen", [($"Anna{run}", $"anna-{run}@example.org")]);
        using (var added = await app.Client.PostAsJsonAsync($"/api/processes/{id}/participants", new
        {
            participants = new object[]
            {
                new { name = Henk, group = "inwoners", phone = "06-1234 5678" },
                new { name = Kees, group = "inwoners", phone = "+31 6 9876 5432", address = "Kerkstraat 9, Voorbeeld" },
            },
        }))
        {
            Assert.True(added.StatusCode == HttpStatusCode.Accepted, await added.Content.ReadAsStringAsync());
        }

        var directory = app.Services.GetRequiredService<ParticipantDirectory>();
        await Eventually.HoldsAsync(async () => (await directory.ListAsync(id, CancellationToken.None)).Count == 3, "Henk and Kees are in the process", TimeSpan.FromSeconds(30));
        using (var noted = await app.Client.PostAsJsonAsync($"/api/processes/{id}/participants/p2/reply", new { answer = "yes", channel = "phone", note = "Komt met de bus" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, noted.StatusCode);
        }

        await Eventually.HoldsAsync(
            async () => (await app.Client.GetStringAsync($"/api/processes/{id}")).Contains($"heeft het antwoord van {Henk} (inwoners) genoteerd", StringComparison.Ordinal),
            "Henk's answer is noted on the timeline",
            TimeSpan.FromSeconds(30));

        // Found by the number however it is written: as typed, in 06 form without the space, and in +31 form.
        foreach (var phone in new[] { "06-1234 5678", "0612345678", "+31612345678", "+31 (0)6 12345678" })
        {
            var export = await PostAsync(app, "/api/privacy/export", new { phone });
            var participation = Assert.Single(export["participations"]!.AsArray())!;
            Assert.Equal((id, Henk, "Komt met de bus"),
                (participation["processId"]!.GetValue<string>(), participation["participant"]!["name"]!.GetValue<string>(), participation["participant"]!["remark"]!.GetValue<string>()));
            Assert.Contains(export["timelineNotes"]!.AsArray(), n => n!["text"]!.GetValue<string>().Contains(Henk, StringComparison.Ordinal));
        }

        // Bad input: a clear Dutch error on the field, nothing looked up or erased.
        foreach (var (body, field, text) in new (object Body, string Field, string Text)[]
        {
            (new { phone = "12" }, "phone", "Vul een geldig telefoonnummer in"),
            (new { email = $"anna-{run}@example.org", phone = "0612345678" }, "phone", "niet allebei"),
            (new { }, "email", "Vul dan het telefoonnummer in"),
        })
        {
            using var refused = await app.Client.PostAsJsonAsync("/api/privacy/erase", body);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.Contains(text, (await refused.Content.ReadFromJsonAsync<JsonObject>())!["errors"]![field]![0]!.GetValue<string>(), StringComparison.Ordinal);
        }

        Assert.Equal(Henk, (await directory.FindAsync(id, "p2", CancellationToken.None))!.Name);

        // Erased by the +31 form of the number he gave as 06: gone from every row, history and blob of the process.
        var erased = await PostAsync(app, "/api/privacy/erase", new { phone = "+31 6 12345678" });
        Assert.Equal(id, Assert.Single(erased["erasedProcesses"]!.AsArray())!.GetValue<string>());
        var scrubber = app.Services.GetRequiredService<StoredDataScrubber>();
        var left = await scrubber.FindAsync(id, Traces("06-1234 5678", Henk), CancellationToken.None);
        Assert.True(left.Count == 0, "Henk still in: " + string.Join(", ", left));
        Assert.Empty(await scrubber.FindAsync(id, Traces("Komt met de bus", "Komt met de bus"), CancellationToken.None));
        Assert.Empty((await PostAsync(app, "/api/privacy/export", new { phone = "0612345678" }))["participations"]!.AsArray());

        // Kees, also without e-mail, keeps his number, address and name; Henk's yes still counts, without a name.
        Assert.NotEmpty(await scrubber.FindAsync(id, Traces("+31 6 9876 5432", Kees), CancellationToken.None));
        var kees = (await directory.FindAsync(id, "p3", CancellationToken.None))!;
        Assert.Equal((Kees, "+31 6 9876 5432", "Kerkstraat 9, Voorbeeld"), (kees.Name, kees.Phone, kees.Address));
        var henk = (await directory.FindAsync(id, "p2", CancellationToken.None))!;
        Assert.Equal(("Gewiste deelnemer", null, "yes"), (henk.Name, henk.Phone, henk.Answer));
        Assert.Single((await PostAsync(app, "/api/privacy/export", new { phone = "06 98765432" }))["participations"]!.AsArray());
    }

    /// <summary>A text to look for in storage (the "address" slot is searched as plain text) and a name.</summary>
    private static ErasedPerson Traces(string text, string name) => new(text, name, "", "", null);

    private static async Task<JsonObject> PostAsync(RunningApp app, string path, object body)
    {
        using var response = await app.Client.PostAsJsonAsync(path, body);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }
}
