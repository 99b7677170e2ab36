using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dialoog.Core.Engine;
using Dialoog.Core.Invitations;
using Dialoog.Core.Processes;
using Dialoog.Core.Processes.Definition;
using Dialoog.Core.Tests.Processes.Support;
using Dialoog.Core.Tests.Testing;
using Dialoog.Testing;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Dialoog.Core.Tests.Web;

/// <summary>
/// The call list (bellijst) and answers the coordinator notes (issue 17, items 4 and 5), through the JSON API and the
/// process page, against the real app on Azurite and MailDev.
/// </summary>
[Collection(SecondDevStackCollection.Name)]
public sealed class CallListPageTests(DevStackFixture stack)
{
    private readonly string run = Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Api_CallListShowsThePhoneOnlyParticipant_ARecordedReplyTakesThemOff_BadInputIsRefusedInDutch()
    {
        await using var app = await CoordinatorBrowser.StartAppAsync(stack, "bel" + run, (LiveDefinitions.Address(run, "carla"), "Carla", false));
        var id = await StartWithHenkAsync(app);

        var entry = await WaitForCallListAsync(app, id, entries => entries.Count == 1);
        var henk = entry[0]!;
        Assert.Equal(("Henk", "ask", "tel:+31612345678", "06-1234 5678"),
            (henk["name"]!.GetValue<string>(), henk["reason"]!.GetValue<string>(), henk["telLink"]!.GetValue<string>(), henk["phone"]!.GetValue<string>()));
        var henkId = henk["participantId"]!.GetValue<string>();
        var details = await app.Client.GetFromJsonAsync<JsonObject>($"/api/processes/{id}");
        Assert.Single(details!["callList"]!.AsArray());

        // Bad input: Dutch errors per field, nothing signalled.
        using (var bad = await app.Client.PostAsJsonAsync($"/api/processes/{id}/participants/{henkId}/reply", new { answer = "ja", channel = "fax", note = new string('x', 1001) }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
            var errors = (await bad.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!;
            Assert.Contains("Kies het antwoord", errors["answer"]![0]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Contains("Kies hoe u het antwoord kreeg", errors["channel"]![0]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Contains("hoogstens 1000", errors["note"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        }

        using (var unknownField = await app.Client.PostAsJsonAsync($"/api/processes/{id}/participants/{henkId}/reply", new { answer = "yes", channel = "phone", sessie = "s1" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, unknownField.StatusCode);
            Assert.Contains("Onbekend veld 'sessie'", await unknownField.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        foreach (var nobody in new[] { "p99", "..%2Fp1", "x" })
        {
            using var missing = await app.Client.PostAsJsonAsync($"/api/processes/{id}/participants/{nobody}/reply", new { answer = "yes", channel = "phone" });
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        Assert.Single((await app.Client.GetFromJsonAsync<JsonObject>($"/api/processes/{id}/call-list"))!["entries"]!.AsArray());

        // A phone-only participant added later, and one with only a postal address; a phone already invited is refused.
        using (var duplicate = await app.Client.PostAsJsonAsync($"/api/processes/{id}/participants",
            new { participants = new[] { new { name = "H. de Bel", group = "inwoners", phone = "+31 6 12345678" } } }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, duplicate.StatusCode);
            var errors = (await duplicate.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!;
            Assert.Contains("al uitgenodigd", errors["participants[0].phone"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        }

        using (var noWay = await app.Client.PostAsJsonAsync($"/api/processes/{id}/participants", new { participants = new[] { new { name = "Niemand", group = "inwoners" } } }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, noWay.StatusCode);
            Assert.Contains("telefoonnummer of een postadres", await noWay.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var added = await app.Client.PostAsJsonAsync($"/api/processes/{id}/participants",
            new { participants = new[] { new { name = "Truus", group = "gemeente", address = "Kerkstraat 1, Voorbeeld" } } }))
        {
            Assert.Equal(HttpStatusCode.Accepted, added.StatusCode);
        }

        await WaitForCallListAsync(app, id, entries => entries.Any(e => e!["name"]!.GetValue<string>() == "Truus" && e["telLink"] is null && e["address"]!.GetValue<string>() == "Kerkstraat 1, Voorbeeld"));

        // Carla noted Henk's answer on the phone: 202, then he is off the list and his answer counts.
        using (var noted = await app.Client.PostAsJsonAsync($"/api/processes/{id}/participants/{henkId}/reply", new { answer = "yes", channel = "phone", note = "Belde om tien uur" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, noted.StatusCode);
        }

        await WaitForCallListAsync(app, id, entries => entries.All(e => e!["participantId"]!.GetValue<string>() != henkId));
        var participants = app.Services.GetRequiredService<ParticipantDirectory>();
        var record = (await participants.FindAsync(id, henkId, CancellationToken.None))!;
        Assert.Equal((Answers.Yes, "Belde om tien uur", "Carla", ReplyChannels.Phone), (record.Answer, record.Remark, record.RecordedBy, record.RecordedChannel));
        await Eventually.HoldsAsync(
            async () => (await app.Client.GetFromJsonAsync<JsonObject>($"/api/processes/{id}"))!["status"]!["timeline"]!.AsArray()
                .Any(t => t!["text"]!.GetValue<string>() == "Carla heeft het antwoord van Henk (inwoners) genoteerd (telefoon): ja."),
            "the timeline says who noted it",
            TimeSpan.FromSeconds(20));

        // No e-mail to anyone without an address: the invitations went to Anna, Bram and Greet only.
        var mail = new MailDevInbox(stack.MailDevApi);
        var invitations = await mail.WaitForSubjectAsync("Speelplek " + run, 3);
        Assert.All(invitations, m => Assert.All(m.To.Mailboxes, to => Assert.EndsWith($"-{run}@example.org", to.Address, StringComparison.Ordinal)));
        Assert.DoesNotContain(invitations, m => m.To.Mailboxes.Any(to => to.Name is "Henk" or "Truus"));

        // Henk said yes, so cancelling the process puts a message for him on the call list, and the process waits for it.
        using (await app.Client.PostAsJsonAsync($"/api/processes/{id}/cancel", new { reason = "Proef" }))
        {
        }

        var notice = (await WaitForCallListAsync(app, id, entries => entries.Any(e => e!["reason"]!.GetValue<string>() == CallReasons.Notice)))
            .Single(e => e!["reason"]!.GetValue<string>() == CallReasons.Notice)!;
        Assert.Equal((henkId, $"Bellen: Het traject 'Speelplek {run}' is geannuleerd. De bijeenkomsten gaan niet door. Reden: Proef"),
            (notice["participantId"]!.GetValue<string>(), notice["action"]!.GetValue<string>()));
        var noticeId = notice["notice"]!["id"]!.GetValue<string>();
        await Eventually.HoldsAsync(
            async () => (await app.Client.GetFromJsonAsync<JsonObject>($"/api/processes/{id}"))!["status"]!["phase"]!.GetValue<string>() == Phases.Cancelled,
            "the process shows it is cancelled",
            TimeSpan.FromSeconds(20));

        // A stopped process takes no replies and no changes: 409, also while it waits for the call.
        using (var late = await app.Client.PostAsJsonAsync($"/api/processes/{id}/participants/{henkId}/reply", new { answer = "no", channel = "door" }))
        {
            Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
            Assert.Equal("application/problem+json", late.Content.Headers.ContentType?.MediaType);
        }

        using (var moved = await app.Client.PostAsJsonAsync($"/api/processes/{id}/sessions/s1/cancel", new { reason = "Nog eens" }))
        {
            Assert.Equal(HttpStatusCode.Conflict, moved.StatusCode);
        }

        // Marking it done: bad input and unknown messages are refused in Dutch; then it leaves the list and the process ends.
        using (var tooLong = await app.Client.PostAsJsonAsync($"/api/processes/{id}/participants/{henkId}/calls/{noticeId}/done", new { doneBy = new string('x', 300) }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
            Assert.Contains("doneBy", await tooLong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        foreach (var (who, what) in new[] { (henkId, "sessionMoved-s1-9"), ("p99", noticeId), (henkId, "..%2Fx") })
        {
            using var unknown = await app.Client.PostAsJsonAsync($"/api/processes/{id}/participants/{who}/calls/{what}/done", new { });
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
            Assert.Contains("staat niet (meer) op de bellijst", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var done = await app.Client.PostAsJsonAsync($"/api/processes/{id}/participants/{henkId}/calls/{noticeId}/done", new { doneBy = "Dirk" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, done.StatusCode);
        }

        await app.Services.GetRequiredService<DurableTaskClient>().WaitForCompletionAsync(id, TimeSpan.FromSeconds(30));
        Assert.Contains((await app.Client.GetFromJsonAsync<JsonObject>($"/api/processes/{id}"))!["status"]!["timeline"]!.AsArray(),
            t => t!["text"]!.GetValue<string>() == $"Dirk heeft Henk (inwoners) gebeld: Het traject 'Speelplek {run}' is geannuleerd. De bijeenkomsten gaan niet door. Reden: Proef");
        Assert.Empty((await app.Client.GetFromJsonAsync<JsonObject>($"/api/processes/{id}/call-list"))!["entries"]!.AsArray());
        using var over = await app.Client.PostAsJsonAsync($"/api/processes/{id}/participants/{henkId}/calls/{noticeId}/done", new { });
        Assert.Equal(HttpStatusCode.Conflict, over.StatusCode);
    }

    [Fact]
    public async Task Dashboard_CountsOpenCallListEntries_AndFlagsTheProcess_ThePageButtonMarksAMessageDone()
    {
        var carlaAddress = LiveDefinitions.Address(run, "carla");
        await using var app = await CoordinatorBrowser.StartAppAsync(stack, "beld" + run, (carlaAddress, "Carla", false));
        var id = await StartWithHenkAsync(app);
        var henkId = (await WaitForCallListAsync(app, id, entries => entries.Count == 1))[0]!["participantId"]!.GetValue<string>();
        using var carla = await CoordinatorBrowser.SignedInAsync(app, carlaAddress);

        // Henk still has to be asked: one open entry, and the process needs attention.
        var row = await DashboardRowAsync(carla, id, "/trajecten?alleenSignalen=true");
        Assert.Contains("data-bellijst=\"1\"", row, StringComparison.Ordinal);
        Assert.Contains("1 open op de bellijst", row, StringComparison.Ordinal);

        using (var noted = await app.Client.PostAsJsonAsync($"/api/processes/{id}/participants/{henkId}/reply", new { answer = "yes", channel = "phone" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, noted.StatusCode);
        }

        await WaitForCallListAsync(app, id, entries => entries.Count == 0);
        row = await DashboardRowAsync(carla, id, "/trajecten");
        Assert.Contains("data-bellijst=\"0\"", row, StringComparison.Ordinal);
        Assert.DoesNotContain("op de bellijst", row, StringComparison.Ordinal);
        Assert.DoesNotContain($"/trajecten/{id}\"", await carla.GetStringAsync("/trajecten?alleenSignalen=true"), StringComparison.Ordinal);

        // The session moves: Henk has to hear it by phone. The dashboard counts it, the page says what to tell him.
        var start = DateTime.UtcNow.AddDays(31);
        using (var moved = await app.Client.PostAsJsonAsync($"/api/processes/{id}/sessions/s1/reschedule", new
        {
            start = AmsterdamTime.FromUtc(start).ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
            end = AmsterdamTime.FromUtc(start.AddHours(2)).ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
            location = "Bibliotheek",
        }))
        {
            Assert.Equal(HttpStatusCode.Accepted, moved.StatusCode);
        }

        var noticeId = (await WaitForCallListAsync(app, id, entries => entries.Count == 1))[0]!["notice"]!["id"]!.GetValue<string>();
        row = await DashboardRowAsync(carla, id, "/trajecten?alleenSignalen=true");
        Assert.Contains("1 open op de bellijst", row, StringComparison.Ordinal);
        var page = WebUtility.HtmlDecode(await carla.GetStringAsync($"/trajecten/{id}"));
        Assert.Contains("Bellen: De bijeenkomst", page, StringComparison.Ordinal);
        Assert.Contains(", Bibliotheek.", page, StringComparison.Ordinal);
        Assert.Contains($"value=\"{noticeId}\"", page, StringComparison.Ordinal);

        // A message that is not on the list: the page says so in Dutch and nothing is signalled.
        using (var wrong = await PostAsync(carla, id, "CallDone", ("participantId", henkId), ("noticeId", "processCancelled")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
            Assert.Contains("staat niet (meer) op de bellijst", WebUtility.HtmlDecode(await wrong.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        }

        using (var done = await PostAsync(carla, id, "CallDone", ("participantId", henkId), ("noticeId", noticeId)))
        {
            Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
            Assert.Equal($"/trajecten/{id}?bericht=doorgegeven", done.Headers.Location!.OriginalString);
        }

        await WaitForCallListAsync(app, id, entries => entries.Count == 0);
        await Eventually.HoldsAsync(
            async () => WebUtility.HtmlDecode(await carla.GetStringAsync($"/trajecten/{id}")).Contains("Carla heeft Henk (inwoners) gebeld: De bijeenkomst", StringComparison.Ordinal),
            "the timeline says who called",
            TimeSpan.FromSeconds(20));
        Assert.Contains("data-bellijst=\"0\"", await DashboardRowAsync(carla, id, "/trajecten"), StringComparison.Ordinal);
    }

    /// <summary>The dashboard's table row of one process.</summary>
    private static async Task<string> DashboardRowAsync(HttpClient client, string id, string path)
    {
        var html = WebUtility.HtmlDecode(await client.GetStringAsync(path));
        var at = html.IndexOf($"href=\"/trajecten/{id}\"", StringComparison.Ordinal);
        Assert.True(at >= 0, $"process {id} is not on {path}");
        var start = html.LastIndexOf("<tr", at, StringComparison.Ordinal);
        return html[start..html.IndexOf("</tr>", at, StringComparison.Ordinal)];
    }

    [Fact]
    public async Task Page_ShowsTheCallListWithATelLink_AcceptsANotedReply_AndIsA404ForAnotherCoordinator()
    {
        var carlaAddress = LiveDefinitions.Address(run, "carla");
        var dirkAddress = LiveDefinitions.Address(run, "dirk");
        await using var app = await CoordinatorBrowser.StartAppAsync(stack, "belp" + run, (carlaAddress, "Carla", false), (dirkAddress, "Dirk", false));
        var id = await StartWithHenkAsync(app);
        var henkId = (await WaitForCallListAsync(app, id, entries => entries.Count == 1))[0]!["participantId"]!.GetValue<string>();

        using var carla = await CoordinatorBrowser.SignedInAsync(app, carlaAddress);
        var page = WebUtility.HtmlDecode(await carla.GetStringAsync($"/trajecten/{id}"));
        Assert.Contains("Bellijst", page, StringComparison.Ordinal);
        Assert.Contains("<a href=\"tel:+31612345678\">06-1234 5678</a>", page, StringComparison.Ordinal);
        Assert.Contains("Nog vragen", page, StringComparison.Ordinal);
        Assert.Contains($"?noteer={henkId}#antwoord-noteren", page, StringComparison.Ordinal);

        // Without the antiforgery token: refused, nothing noted.
        using (var forged = new FormUrlEncodedContent(new Dictionary<string, string> { ["participantId"] = henkId, ["answer"] = "yes", ["channel"] = "phone" }))
        using (var refused = await carla.PostAsync($"/trajecten/{id}?handler=Reply", forged))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }

        // No answer chosen: the form says so in Dutch, next to the field, and keeps the participant chosen.
        using (var incomplete = await PostAsync(carla, id, "Reply", ("participantId", henkId), ("channel", "phone"), ("note", "Nog even nadenken")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, incomplete.StatusCode);
            var html = WebUtility.HtmlDecode(await incomplete.Content.ReadAsStringAsync());
            Assert.Contains("Kies het antwoord", html, StringComparison.Ordinal);
            Assert.Contains("#reply-answer", html, StringComparison.Ordinal);
            Assert.Contains("Nog even nadenken", html, StringComparison.Ordinal);
        }

        // Dirk may not see Carla's process: the page and its forms are a 404 to him.
        using (var dirk = await CoordinatorBrowser.SignedInAsync(app, dirkAddress))
        {
            using var hidden = await dirk.GetAsync($"/trajecten/{id}");
            Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
            var token = await LinkForm.TokenAsync(dirk, "/");
            using var form = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["participantId"] = henkId, ["answer"] = "no", ["channel"] = "phone", [LinkForm.TokenField] = token,
            });
            using var post = await dirk.PostAsync($"/trajecten/{id}?handler=Reply", form);
            Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        }

        // Carla notes Henk's "yes" from the doorstep: post, redirect, get.
        using (var noted = await PostAsync(carla, id, "Reply", ("participantId", henkId), ("answer", "yes"), ("channel", "door"), ("note", "Komt met de buurman")))
        {
            Assert.Equal(HttpStatusCode.Redirect, noted.StatusCode);
            Assert.Equal($"/trajecten/{id}?bericht=antwoord", noted.Headers.Location!.OriginalString);
        }

        var participants = app.Services.GetRequiredService<ParticipantDirectory>();
        await Eventually.HoldsAsync(async () => (await participants.FindAsync(id, henkId, CancellationToken.None))?.Answer == Answers.Yes, "Henk's answer is noted", TimeSpan.FromSeconds(20));
        var after = WebUtility.HtmlDecode(await carla.GetStringAsync($"/trajecten/{id}?bericht=antwoord"));
        Assert.Contains("Het antwoord is genoteerd", after, StringComparison.Ordinal);
        Assert.Contains("Er staat niemand op de bellijst", after, StringComparison.Ordinal);
        Assert.Contains("(genoteerd door Carla, aan de deur)", after, StringComparison.Ordinal);
        await Eventually.HoldsAsync(
            async () => WebUtility.HtmlDecode(await carla.GetStringAsync($"/trajecten/{id}")).Contains("Carla heeft het antwoord van Henk (inwoners) genoteerd (aan de deur): ja.", StringComparison.Ordinal),
            "the timeline says who noted it",
            TimeSpan.FromSeconds(20));
    }

    /// <summary>Carla's three-person process plus Henk, who has only a phone number.</summary>
    private async Task<string> StartWithHenkAsync(RunningApp app)
    {
        var start = DateTime.UtcNow.AddDays(30);
        var definition = LiveDefinitions.ThreePeople(run, "Speelplek " + run, start, start.AddHours(2), new JsonObject { ["replyDeadline"] = "P7D" });
        definition["participants"]!.AsArray().Add(new JsonObject { ["name"] = "Henk", ["group"] = "inwoners", ["phone"] = "06-1234 5678" });
        using var response = await app.Client.PostAsJsonAsync("/api/processes", new JsonObject { ["definition"] = definition });
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
    }

    private static async Task<JsonArray> WaitForCallListAsync(RunningApp app, string id, Func<JsonArray, bool> holds)
    {
        JsonArray entries = [];
        await Eventually.HoldsAsync(
            async () => holds(entries = (await app.Client.GetFromJsonAsync<JsonObject>($"/api/processes/{id}/call-list"))!["entries"]!.AsArray()),
            "the call list is as expected",
            TimeSpan.FromSeconds(30));
        return entries;
    }

    /// <summary>Posts a form of the process page with the page's antiforgery token, as the browser does.</summary>
    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string id, string handler, params (string Name, string Value)[] fields)
    {
        var form = fields.ToDictionary(f => f.Name, f => f.Value);
        form[LinkForm.TokenField] = await LinkForm.TokenAsync(client, $"/trajecten/{id}");
        using var content = new FormUrlEncodedContent(form);
        return await client.PostAsync($"/trajecten/{id}?handler={handler}", content);
    }
}
