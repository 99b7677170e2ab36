using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Dialoog.Core.Tests.Processes.Support;
using Dialoog.Core.Tests.Testing;
using Dialoog.Testing;

namespace Dialoog.Core.Tests.Processes;

/// <summary>Api__MaxUnconfirmedSignUps, through the public JSON API on the real app, Azurite and MailDev.</summary>
[Collection(SecondDevStackCollection.Name)]
public sealed class SignUpCapTests(DevStackFixture stack)
{
    private readonly string run = Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task UnconfirmedSignUps_PastTheSetting_AreRefusedInDutch_StoredNorMailed()
    {
        var settings = RunningApp.SettingsFor(stack);
        settings["Durable:TaskHub"] = "signcap" + run;
        settings["Api:PublicPermitLimit"] = "1000";
        settings["Api:MaxUnconfirmedSignUps"] = "2";
        await using var app = await RunningApp.StartWithApiKeyAsync(settings);
        var start = DateTime.UtcNow.AddDays(30);
        var definition = LiveDefinitions.ThreePeople(run, "Aanmelden " + run, start, start.AddHours(2), new JsonObject { ["replyDeadline"] = "P7D" });
        definition["signUp"] = new JsonObject { ["groups"] = new JsonArray("inwoners") };
        using var started = await app.Client.PostAsJsonAsync("/api/processes", new JsonObject { ["definition"] = definition });
        var id = (await started.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        using var resident = new HttpClient { BaseAddress = app.Client.BaseAddress };
        await Eventually.HoldsAsync(async () => await SignUpAsync(resident, id, "eerste") == HttpStatusCode.Accepted, "the process takes sign-ups", TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.Accepted, await SignUpAsync(resident, id, "tweede"));

        using var refused = await resident.PostAsJsonAsync($"/api/processes/{id}/signups", Body("derde"));
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Er zijn nu veel aanmeldingen die nog niet bevestigd zijn", (await refused.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        var inbox = new MailDevInbox(stack.MailDevApi);
        await inbox.WaitForAsync(LiveDefinitions.Address(run, "tweede"), _ => true);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Empty(await inbox.ToAsync(LiveDefinitions.Address(run, "derde")));
        var stored = 0;
        await foreach (var _ in new TableServiceClient(stack.StorageConnectionString).GetTableClient(settings["Durable:TaskHub"] + "PendingSignUps").QueryAsync<TableEntity>(e => e.PartitionKey == id))
        {
            stored++;
        }

        Assert.Equal(2, stored);
    }

    private object Body(string who) => new { name = who, group = "inwoners", email = LiveDefinitions.Address(run, who) };

    private async Task<HttpStatusCode> SignUpAsync(HttpClient client, string id, string who)
    {
        using var response = await client.PostAsJsonAsync($"/api/processes/{id}/signups", Body(who));
        return response.StatusCode;
    }
}
