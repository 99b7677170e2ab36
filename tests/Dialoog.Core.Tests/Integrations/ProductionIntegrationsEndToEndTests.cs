using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Dialoog.Web.Api;
using Dialoog.Core.Calendar;
using Dialoog.Core.Processes;
using Dialoog.Core.Processes.Definition;
using Dialoog.Core.Tests.Integrations.Support;
using Dialoog.Core.Tests.Testing;
using Dialoog.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Dialoog.Core.Tests.Integrations;

/// <summary>
/// The end-to-end scenario with the production providers: the real app on Azurite, e-mail through the SendGrid SDK
/// to the SendGrid stand-in, the session as an event in the organizer's calendar through the Graph SDK to the Graph
/// stand-in. Replies come through the links in the e-mails and one through Outlook (the attendee's status on the
/// event), which the app reads back.
/// </summary>
[Collection(SecondDevStackCollection.Name)]
public sealed partial class ProductionIntegrationsEndToEndTests(DevStackFixture stack)
{
    [Fact]
    public async Task Process_WithSendGridAndGraph_InvitesRepliesInOutlookCountReschedulesAndCancels()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        string Address(string who) => $"{who}-{run}@example.org";
        await using var providers = await ProductionProviders.StartAsync();
        var (sendGrid, graph) = (providers.SendGrid, providers.Graph);
        var settings = RunningApp.SettingsFor(stack);
        settings["Durable:TaskHub"] = "e2g" + run;
        providers.Select(settings);
        await using var app = await providers.StartAppAsync(settings);
        app.Client.DefaultRequestHeaders.Add(CoordinatorApiKeyFilter.HeaderName, settings["Api:CoordinatorApiKey"]);

        var sessionStart = DateTime.UtcNow.AddMinutes(10);
        var definition = new JsonObject
        {
            ["topic"] = "Proef met SendGrid en Outlook",
            ["area"] = "Gemeente Voorbeeld",
            ["coordinator"] = new JsonObject { ["name"] = "Carla", ["email"] = Address("carla") },
            ["escalationContact"] = new JsonObject { ["name"] = "Mark", ["email"] = Address("mark") },
            ["groups"] = new JsonArray(new JsonObject { ["name"] = "inwoners", ["minimum"] = 1 }, new JsonObject { ["name"] = "gemeente", ["minimum"] = 1 }),
            ["participants"] = new JsonArray(
                new JsonObject { ["name"] = "Anna", ["email"] = Address("anna"), ["group"] = "inwoners" },
                new JsonObject { ["name"] = "Bram", ["email"] = Address("bram"), ["group"] = "inwoners" },
                new JsonObject { ["name"] = "Greet", ["email"] = Address("greet"), ["group"] = "gemeente" }),
            ["sessions"] = new JsonArray(new JsonObject
            {
                ["id"] = "s1",
                ["title"] = "Gesprek",
                ["start"] = Wall(sessionStart),
                ["end"] = Wall(sessionStart.AddHours(1)),
                ["location"] = "Buurthuis De Brug",
            }),
            ["policy"] = new JsonObject
            {
                ["replyDeadline"] = "PT15S",
                ["reminderCadence"] = "PT1M",
                ["maxReminders"] = 1,
                ["sessionReminderBefore"] = "PT1M",
                ["decisionTimeout"] = "PT2M",
                ["escalationContactTimeout"] = "PT2M",
            },
        };
        using var started = await app.Client.PostAsJsonAsync("/api/processes", new JsonObject { ["definition"] = definition });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var id = (await started.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();

        // Invitations through SendGrid: personal links, no .ics (Exchange sends the calendar invitation).
        var anna = await WaitForMailAsync(sendGrid, Address("anna"), "Uitnodiging");
        var greet = await WaitForMailAsync(sendGrid, Address("greet"), "Uitnodiging");
        await WaitForMailAsync(sendGrid, Address("bram"), "Uitnodiging");
        Assert.Null(anna["attachments"]);
        Assert.DoesNotContain(anna["content"]!.AsArray(), c => ((string?)c!["type"])!.StartsWith("text/calendar", StringComparison.Ordinal));
        Assert.Equal(id, SendGridStandIn.CustomArg(anna, "processId"));
        Assert.Equal(3, Links(anna).Count); // yes, no, maybe
        Assert.Contains("U krijgt ook een aparte uitnodiging voor uw agenda.", SendGridStandIn.Content(anna, "text/plain"), StringComparison.Ordinal);

        // One event in the organizer's calendar with all three as attendees.
        var created = await WaitForEventAsync(graph, e => e["attendees"]!.AsArray().Count == 3);
        var eventId = (string)created["id"]!;
        Assert.Equal("Proef met SendGrid en Outlook: Gesprek", (string?)created["subject"]);
        Assert.Equal("Europe/Amsterdam", (string?)created["start"]!["timeZone"]);
        Assert.Equal(GraphSessionCalendar.TransactionId(id, "s1"), (string?)created["transactionId"]);
        Assert.False(created["allowNewTimeProposals"]!.GetValue<bool>());
        Assert.True(created["hideAttendees"]!.GetValue<bool>());
        Assert.Equal([Address("anna")], graph.AttendeeCopy(eventId, Address("anna"))["attendees"]!.AsArray().Select(a => (string?)a!["emailAddress"]!["address"]));

        // Anna and Greet reply through their links; Bram declines in Outlook.
        await ReplyThroughLinkAsync(app, anna, "yes");
        await ReplyThroughLinkAsync(app, greet, "yes");
        graph.Reply(eventId, Address("bram"), "declined");
        await Eventually.HoldsAsync(
            async () => (await DetailsAsync(app, id)).Participants.Any(p => p.Email == Address("bram") && p.Answer == Answers.No),
            "Bram's Outlook decline reached the process",
            TimeSpan.FromSeconds(20));
        await WaitForMailAsync(sendGrid, Address("bram"), "Bedankt voor uw antwoord");

        // A new participant becomes an attendee of the same event.
        using (var added = await app.Client.PostAsJsonAsync($"/api/processes/{id}/participants",
            new { participants = new[] { new { name = "Dirk", email = Address("dirk"), group = "inwoners" } } }))
        {
            Assert.Equal(HttpStatusCode.Accepted, added.StatusCode);
        }

        await WaitForMailAsync(sendGrid, Address("dirk"), "Uitnodiging");
        var withDirk = await WaitForEventAsync(graph, e => e["attendees"]!.AsArray().Count == 4);
        Assert.Equal(eventId, (string?)withDirk["id"]);
        Assert.Equal("declined", (string?)withDirk["attendees"]!.AsArray().Single(a => (string?)a!["emailAddress"]!["address"] == Address("bram"))!["status"]!["response"]);

        // Dirk asks to be erased (AVG) while the process runs: the event no longer has him as attendee.
        using (var erased = await app.Client.PostAsJsonAsync("/api/privacy/erase", new { email = Address("dirk") }))
        {
            Assert.True(erased.StatusCode == HttpStatusCode.OK, await erased.Content.ReadAsStringAsync());
        }

        var withoutDirk = await WaitForEventAsync(graph, e => e["attendees"]!.AsArray().Count == 3);
        Assert.DoesNotContain(withoutDirk["attendees"]!.AsArray(), a => ((string?)a!["emailAddress"]!["address"])!.Contains("dirk", StringComparison.OrdinalIgnoreCase));

        // Deadline: every group is there, so the process goes on to the session.
        await Eventually.HoldsAsync(async () => (await DetailsAsync(app, id)).Status?.Phase == Phases.Sessions, "phase sessions", TimeSpan.FromSeconds(30));

        // Reschedule: the event moves (PATCH), the e-mail says so, again without .ics.
        var newStart = sessionStart.AddDays(1);
        using (var moved = await app.Client.PostAsJsonAsync($"/api/processes/{id}/sessions/s1/reschedule",
            new { start = Wall(newStart), end = Wall(newStart.AddHours(1)), location = "Stadhuis, zaal 2" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, moved.StatusCode);
        }

        var movedEvent = await WaitForEventAsync(graph, e => (string?)e["location"]!["displayName"] == "Stadhuis, zaal 2");
        Assert.Equal(Wall(newStart), (string?)movedEvent["start"]!["dateTime"]);
        var changed = await WaitForMailAsync(sendGrid, Address("anna"), "Gewijzigd");
        Assert.Null(changed["attachments"]);
        Assert.Contains("Stadhuis", SendGridStandIn.Content(changed, "text/plain"), StringComparison.Ordinal);

        // Cancel: the event's cancel action with the reason; the process stops.
        using (var cancelled = await app.Client.PostAsJsonAsync($"/api/processes/{id}/sessions/s1/cancel", new { reason = "De zaal is niet beschikbaar." }))
        {
            Assert.Equal(HttpStatusCode.Accepted, cancelled.StatusCode);
        }

        await Eventually.HoldsAsync(() => graph.Cancellations.Count == 1, "the event was cancelled", TimeSpan.FromSeconds(20));
        Assert.Equal((eventId, "Deze bijeenkomst gaat niet door. De zaal is niet beschikbaar."), graph.Cancellations[0]);
        await WaitForMailAsync(sendGrid, Address("anna"), "Gaat niet door");
        await Eventually.HoldsAsync(async () => (await DetailsAsync(app, id)).Status?.Phase == Phases.Cancelled, "phase cancelled", TimeSpan.FromSeconds(20));

        Assert.Equal(1, graph.Requests.Count(r => r.Method == "POST" && r.Path.EndsWith("/events", StringComparison.Ordinal)));
        Assert.All(sendGrid.Accepted, m => Assert.Single(m["personalizations"]!.AsArray()));
    }

    private static async Task<JsonObject> WaitForMailAsync(SendGridStandIn sendGrid, string address, string subjectPart)
    {
        JsonObject? found = null;
        await Eventually.HoldsAsync(
            () => (found = sendGrid.To(address).LastOrDefault(m => SendGridStandIn.Subject(m).Contains(subjectPart, StringComparison.Ordinal))) is not null,
            $"an e-mail '{subjectPart}' to {address} reached SendGrid",
            TimeSpan.FromSeconds(30));
        return found!;
    }

    private static async Task<JsonObject> WaitForEventAsync(GraphStandIn graph, Func<JsonObject, bool> match)
    {
        JsonObject? found = null;
        await Eventually.HoldsAsync(() => (found = graph.Events.SingleOrDefault(match)) is not null, "the calendar event as expected", TimeSpan.FromSeconds(30));
        return found!;
    }

    private static async Task<ProcessDetails> DetailsAsync(RunningApp app, string id) =>
        (await app.Client.GetFromJsonAsync<ProcessDetails>($"/api/processes/{id}", JsonSerializerOptions.Web))!;

    private static async Task ReplyThroughLinkAsync(RunningApp app, JsonObject mail, string answer)
    {
        var path = new Uri(Links(mail).Single(l => l.EndsWith("k=" + answer, StringComparison.Ordinal))).PathAndQuery;
        using var posted = await LinkForm.PostAsync(app.Client, path, new Dictionary<string, string> { ["antwoord"] = answer, ["opmerking"] = "" });
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
    }

    private static List<string> Links(JsonObject mail) =>
        LinkPattern().Matches(SendGridStandIn.Content(mail, "text/plain")).Select(m => m.Value).Distinct().ToList();

    private static string Wall(DateTime utc) => AmsterdamTime.FromUtc(utc).ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"https?://[^\s""<>]+/l/[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\?k=[A-Za-z]+")]
    private static partial Regex LinkPattern();
}
