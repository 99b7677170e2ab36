using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Dialoog.Web.Api;
using Dialoog.Core.Processes;
using Dialoog.Core.Processes.Definition;
using Dialoog.Core.Tests.Processes.Support;
using Dialoog.Core.Tests.Testing;
using Dialoog.Testing;
using Ical.Net;
using MimeKit;

namespace Dialoog.Core.Tests.Processes;

/// <summary>
/// The whole product on one machine: the real app on Azurite, e-mail through MailDev, replies and decisions through
/// the links in those e-mails, with every duration in seconds.
/// </summary>
[Collection(SecondDevStackCollection.Name)]
public sealed partial class DialogueProcessEndToEndTests(DevStackFixture stack)
{
    [Fact]
    public async Task Process_FromApiToSessionReminder_ThroughRealMailAndLinks()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        string Address(string who) => LiveDefinitions.Address(run, who);
        var settings = RunningApp.SettingsFor(stack);
        settings["Durable:TaskHub"] = "e2e" + run;
        await using var app = await RunningApp.StartWithApiKeyAsync(settings);
        var inbox = new MailDevInbox(stack.MailDevApi);

        // Start through the API.
        var sessionStart = DateTime.UtcNow.AddSeconds(40);
        var definition = LiveDefinitions.ThreePeople(run, "Proef van begin tot eind", sessionStart, sessionStart.AddHours(1), new JsonObject
        {
            ["replyDeadline"] = "PT12S",
            ["reminderCadence"] = "PT6S",
            ["maxReminders"] = 1,
            ["sessionReminderBefore"] = "PT8S",
            ["decisionTimeout"] = "PT2M",
            ["escalationContactTimeout"] = "PT2M",
        });
        using var started = await app.Client.PostAsJsonAsync("/api/processes", new JsonObject { ["definition"] = definition });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var id = (await started.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        Assert.Equal($"/api/processes/{id}", started.Headers.Location!.OriginalString);

        // Invitations arrive, each with a valid calendar item and personal links.
        var anna = (await inbox.WaitForAsync(Address("anna"), IsInvitation))[0];
        var bram = (await inbox.WaitForAsync(Address("bram"), IsInvitation))[0];
        await inbox.WaitForAsync(Address("greet"), IsInvitation);
        Assert.Single(anna.To.Mailboxes);
        // A reply reaches the coordinator, as the pages promise; the privacy statement is one click away.
        Assert.Equal(Address("carla"), Assert.Single(anna.ReplyTo.Mailboxes).Address);
        Assert.Contains("/privacy", anna.TextBody, StringComparison.Ordinal);
        var calendar = Ical.Net.Calendar.Load(MailDevInbox.Calendar(anna) ?? "")!;
        Assert.Equal("REQUEST", calendar.Method);
        var sessionEvent = Assert.Single(calendar.Events);
        Assert.Equal($"{id}-s1@dialoog", sessionEvent.Uid);
        Assert.Equal(0, sessionEvent.Sequence);
        Assert.Contains(calendar.TimeZones, z => z.TzId == "Europe/Amsterdam");
        Assert.Contains("Buurthuis De Brug", anna.TextBody, StringComparison.Ordinal);

        // Replies through the links: opening changes nothing, the form's POST does.
        await ReplyThroughLinkAsync(app, anna, "yes");
        await ReplyThroughLinkAsync(app, bram, "no");

        // Reminder only to the one who did not reply.
        await inbox.WaitForAsync(Address("greet"), m => !IsInvitation(m), timeout: TimeSpan.FromSeconds(20));
        Assert.All(await inbox.ToAsync(Address("anna")), m => Assert.DoesNotContain("herinnering", m.Subject, StringComparison.OrdinalIgnoreCase));

        // Deadline: gemeente is missing → the coordinator gets decision links; choose "go ahead" through the link.
        var escalation = (await inbox.WaitForAsync(Address("carla"), _ => true, timeout: TimeSpan.FromSeconds(30)))[0];
        var goAhead = Links(escalation).Single(l => l.EndsWith("k=goAhead", StringComparison.Ordinal));
        using (var page = await app.Client.GetAsync(PathOf(goAhead)))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("gemeente", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var decided = await LinkForm.PostAsync(app.Client, PathOf(goAhead), new Dictionary<string, string> { ["keuze"] = "goAhead" }))
        {
            Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
        }

        var status = await WaitForPhaseAsync(app, id, Phases.Sessions);
        Assert.Equal(DecisionChoices.GoAhead, status.Escalations.Single().Decision);

        // Reschedule: the calendar item is replaced (same UID, SEQUENCE raised) for everyone who did not decline.
        var newStart = DateTime.UtcNow.AddSeconds(25);
        using var moved = await app.Client.PostAsJsonAsync($"/api/processes/{id}/sessions/s1/reschedule",
            new { start = LiveDefinitions.Wall(newStart), end = LiveDefinitions.Wall(newStart.AddHours(1)), location = "Stadhuis, zaal 2" });
        Assert.Equal(HttpStatusCode.Accepted, moved.StatusCode);
        var update = (await inbox.WaitForAsync(Address("anna"), m => Ical.Net.Calendar.Load(MailDevInbox.Calendar(m) ?? "")?.Events.FirstOrDefault()?.Sequence == 1))[0];
        var updated = Ical.Net.Calendar.Load(MailDevInbox.Calendar(update) ?? "")!.Events.Single();
        Assert.Equal($"{id}-s1@dialoog", updated.Uid);
        Assert.Contains("Stadhuis", updated.Location, StringComparison.Ordinal);
        Assert.Contains("Stadhuis", update.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain(await inbox.ToAsync(Address("bram")), m => MailDevInbox.Calendar(m)?.Contains("SEQUENCE:1", StringComparison.Ordinal) == true);

        // The attendee gets the reminder before the new time.
        var before = (await inbox.ToAsync(Address("anna"))).Count;
        await inbox.WaitForAsync(Address("anna"), _ => true, count: before + 1, timeout: TimeSpan.FromSeconds(40));
        // The engine saves the process's status when that step is done, which can be just after the e-mail is out.
        JsonObject? details = null;
        await Eventually.HoldsAsync(
            async () => (details = await app.Client.GetFromJsonAsync<JsonObject>($"/api/processes/{id}"))!["status"]!["sessions"]![0]!["state"]!.GetValue<string>() == "reminded",
            "the session shows as reminded");
        Assert.Equal(3, details!["participants"]!.AsArray().Count);
    }

    private static async Task ReplyThroughLinkAsync(RunningApp app, MimeMessage invitation, string answer)
    {
        var link = Links(invitation).Single(l => l.EndsWith("k=" + answer, StringComparison.Ordinal));
        using (var page = await app.Client.GetAsync(PathOf(link)))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains($"value=\"{answer}\" checked", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var posted = await LinkForm.PostAsync(app.Client, PathOf(link), new Dictionary<string, string> { ["antwoord"] = answer, ["opmerking"] = "" });
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
    }

    private static async Task<ProcessStatus> WaitForPhaseAsync(RunningApp app, string id, string phase)
    {
        ProcessStatus? status = null;
        await Eventually.HoldsAsync(
            async () =>
            {
                var details = await app.Client.GetFromJsonAsync<ProcessDetails>($"/api/processes/{id}", JsonSerializerOptions.Web);
                status = details?.Status;
                return status?.Phase == phase;
            },
            "phase " + phase,
            TimeSpan.FromSeconds(20));
        return status!;
    }

    private static bool IsInvitation(MimeMessage message) =>
        MailDevInbox.Calendar(message)?.Contains("SEQUENCE:0", StringComparison.Ordinal) == true && (message.Subject ?? "").Contains("Uitnodiging", StringComparison.OrdinalIgnoreCase);

    private static List<string> Links(MimeMessage message) =>
        LinkPattern().Matches(message.TextBody ?? string.Empty).Select(m => m.Value).Distinct().ToList();

    private static string PathOf(string url) => new Uri(url).PathAndQuery;

    [GeneratedRegex(@"https?://[^\s""<>]+/l/[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\?k=[A-Za-z]+")]
    private static partial Regex LinkPattern();
}
