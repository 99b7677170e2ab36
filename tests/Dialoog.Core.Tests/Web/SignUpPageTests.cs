using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dialoog.Core.Invitations;
using Dialoog.Core.Links;
using Dialoog.Core.Privacy;
using Dialoog.Core.Tests.Processes.Support;
using Dialoog.Core.Tests.Testing;
using Dialoog.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Dialoog.Core.Tests.Web;

/// <summary>
/// Open sign-up (issue 17, items 1 and 2) against the real app on Azurite and MailDev: the public page and the JSON
/// API, the e-mail confirmation before anything happens, phone-only sign-ups on the call list, every refusal in Dutch
/// with nothing stored, the answers on the process page, in the export and gone after erasure.
/// </summary>
[Collection(SecondDevStackCollection.Name)]
public sealed class SignUpPageTests(DevStackFixture stack)
{
    private const string Needs = "Heeft u iets nodig om mee te kunnen doen?";
    private readonly string run = Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task WithEmail_NothingBeforeConfirming_OneEmailPerAddress_ThenCountedWithAnswers_ExportedAndErased()
    {
        await using var app = await StartAppAsync("meedoen");
        var id = await StartAsync(app, open: true);
        var sara = LiveDefinitions.Address(run, "sara");
        var inbox = new MailDevInbox(stack.MailDevApi);
        var directory = app.Services.GetRequiredService<ParticipantDirectory>();
        await Eventually.HoldsAsync(async () => (await directory.ListAsync(id, CancellationToken.None)).Count == 3, "the invitations are out", TimeSpan.FromSeconds(30));

        using var resident = CoordinatorBrowser.NewClient(app, new CookieContainer());
        var page = WebUtility.HtmlDecode(await resident.GetStringAsync(SignUpLinks.PathFor(id)));
        Assert.Contains("Dat geldt voor alle bijeenkomsten", page, StringComparison.Ordinal);
        Assert.Contains(Needs, page, StringComparison.Ordinal);

        for (var i = 0; i < 2; i++)
        {
            using var sent = await PostFormAsync(resident, id, ("name", "Sara"), ("group", "inwoners"), ("email", sara), ("answers.nodig", "vervoer"), ("answers.nodig.text", "Ik kom met de rolstoel"));
            Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
            Assert.Contains("Kijk in uw e-mail", await sent.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // One e-mail, to Sara only, and she is not in the process yet.
        var confirm = Assert.Single(await inbox.WaitForAsync(sara, _ => true));
        Assert.StartsWith("Bevestig uw aanmelding", confirm.Subject, StringComparison.Ordinal);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Single(await inbox.ToAsync(sara));
        Assert.Equal(3, (await directory.ListAsync(id, CancellationToken.None)).Count);

        // Opening the link (a mail scanner) changes nothing; the button confirms, once.
        using var browser = CoordinatorBrowser.NewClient(app, new CookieContainer());
        var link = InitiativeMail.LinkIn(confirm);
        Assert.Contains("Ja, meld mij aan", await browser.GetStringAsync(link), StringComparison.Ordinal);
        Assert.Equal(3, (await directory.ListAsync(id, CancellationToken.None)).Count);
        using (var confirmed = await LinkForm.PostAsync(browser, link, new Dictionary<string, string>()))
        {
            Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
            Assert.Contains("Uw aanmelding is bevestigd", await confirmed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        ParticipantRecord? record = null;
        await Eventually.HoldsAsync(async () => (record = await directory.FindByEmailAsync(id, sara, CancellationToken.None)) is { Answer: "yes" }, "Sara is counted", TimeSpan.FromSeconds(30));
        Assert.True(record!.SignedUp);
        var answer = Assert.Single(record.SignUpAnswers!);
        Assert.Equal(["vervoer"], answer.Choices);
        Assert.Equal("Ik kom met de rolstoel", answer.Text);
        var signedUp = await inbox.WaitForAsync(sara, m => m.Subject?.StartsWith("U bent aangemeld", StringComparison.Ordinal) == true);
        Assert.Contains("/l/", Assert.Single(signedUp).TextBody, StringComparison.Ordinal);

        var details = await app.Client.GetFromJsonAsync<JsonObject>($"/api/processes/{id}");
        Assert.Contains("Ik kom met de rolstoel", details!.ToJsonString(), StringComparison.Ordinal);
        using (var carla = await CoordinatorBrowser.SignedInAsync(app, LiveDefinitions.Address(run, "carla")))
        {
            var processPage = WebUtility.HtmlDecode(await carla.GetStringAsync($"/trajecten/{id}"));
            Assert.Contains("Open aanmelding staat aan voor inwoners", processPage, StringComparison.Ordinal);
            Assert.Contains(SignUpLinks.PathFor(id), processPage, StringComparison.Ordinal);
            Assert.Contains("Aangemeld via het formulier", processPage, StringComparison.Ordinal);
            Assert.Contains("vervoer, Ik kom met de rolstoel", processPage, StringComparison.Ordinal);
        }

        // Personal data: in the export, gone after erasure.
        var privacy = app.Services.GetRequiredService<PrivacyService>();
        var export = await privacy.ExportAsync(sara, CancellationToken.None);
        Assert.Equal("Ik kom met de rolstoel", Assert.Single(export.Participations).Participant.SignUpAnswers![0].Text);
        await privacy.EraseAsync(sara, CancellationToken.None);
        await Eventually.HoldsAsync(
            async () => (await directory.ListAsync(id, CancellationToken.None)).All(p => p.SignUpAnswers is null && p.Name != "Sara"),
            "the answers are erased", TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task PhoneOnly_CountsAtOnceOnTheCallList_EveryRefusalIsDutchAndStoresNothing_ClosedIs404()
    {
        await using var app = await StartAppAsync("meedoenb");
        var id = await StartAsync(app, open: true);
        var closed = await StartAsync(app, open: false);
        var directory = app.Services.GetRequiredService<ParticipantDirectory>();
        var inbox = new MailDevInbox(stack.MailDevApi);
        await Eventually.HoldsAsync(async () => (await directory.ListAsync(id, CancellationToken.None)).Count == 3, "the invitations are out", TimeSpan.FromSeconds(30));
        using var resident = CoordinatorBrowser.NewClient(app, new CookieContainer());

        // Closed, or no process at all: a friendly 404, from the page and the API.
        foreach (var path in new[] { SignUpLinks.PathFor(closed), SignUpLinks.PathFor("dlg-bestaatniet") })
        {
            using var missing = await resident.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.Contains("geen dialoogtraject waarvoor u zich nu kunt aanmelden", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var closedApi = await resident.PostAsJsonAsync($"/api/processes/{closed}/signups", new { name = "Piet", group = "inwoners", phone = "0612345678" }))
        {
            Assert.Equal(HttpStatusCode.NotFound, closedApi.StatusCode);
            Assert.Equal("application/problem+json", closedApi.Content.Headers.ContentType?.MediaType);
        }

        var tooLong = new string('x', 1001);
        var refusals = new (string Field, string Message, (string, string)[] Fields)[]
        {
            ("name", "Vul uw naam in", [("group", "inwoners"), ("phone", "06-11111111")]),
            ("group", "Voor de groep 'gemeente' kunt u zich hier niet aanmelden", [("name", "Piet"), ("group", "gemeente"), ("phone", "06-11111111")]),
            ("email", "Vul uw e-mailadres of uw telefoonnummer in", [("name", "Piet"), ("group", "inwoners")]),
            ("phone", "geen telefoonnummer dat u kunt bellen", [("name", "Piet"), ("group", "inwoners"), ("phone", "12345")]),
            ("answers.nodig", "'helikopter' is geen keuze", [("name", "Piet"), ("group", "inwoners"), ("phone", "06-11111111"), ("answers.nodig", "helikopter")]),
            ("answers.nodig", "te lang", [("name", "Piet"), ("group", "inwoners"), ("phone", "06-11111111"), ("answers.nodig.text", tooLong)]),
        };
        foreach (var (field, message, fields) in refusals)
        {
            using var bad = await PostFormAsync(resident, id, fields);
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            var html = WebUtility.HtmlDecode(await bad.Content.ReadAsStringAsync());
            Assert.Contains("Er is iets niet goed ingevuld", html, StringComparison.Ordinal);
            Assert.Contains(message, html, StringComparison.OrdinalIgnoreCase);
            Assert.Contains($"id=\"{field.Replace('.', '-')}-error\"", html, StringComparison.Ordinal);
        }

        using (var badJson = await resident.PostAsJsonAsync($"/api/processes/{id}/signups", new { name = "", group = "gemeente" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, badJson.StatusCode);
            var errors = (await badJson.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!;
            Assert.Contains("Vul uw e-mailadres of uw telefoonnummer in", errors["email"]![0]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.NotNull(errors["group"]);
        }

        // Without the antiforgery token: refused.
        using (var forged = await resident.PostAsync(SignUpLinks.PathFor(id), new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = "Piet", ["group"] = "inwoners", ["phone"] = "06-11111111" })))
        {
            Assert.NotEqual(HttpStatusCode.OK, forged.StatusCode);
        }

        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(3, (await directory.ListAsync(id, CancellationToken.None)).Count);

        // Phone only: counted at once, on the call list to confirm, no e-mail.
        using (var henk = await PostFormAsync(resident, id, ("name", "Henk"), ("group", "inwoners"), ("phone", "06-1234 5678")))
        {
            Assert.Equal(HttpStatusCode.OK, henk.StatusCode);
            Assert.Contains("U bent aangemeld", await henk.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var api = await resident.PostAsJsonAsync($"/api/processes/{id}/signups", new { name = "Truus", group = "inwoners", phone = "0687654321", answers = new[] { new { questionId = "nodig", choices = new[] { "kinderopvang" } } } }))
        {
            Assert.Equal(HttpStatusCode.Accepted, api.StatusCode);
            Assert.Equal("signedUp", (await api.Content.ReadFromJsonAsync<JsonObject>())!["status"]!.GetValue<string>());
        }

        JsonArray entries = [];
        await Eventually.HoldsAsync(
            async () => (entries = (await app.Client.GetFromJsonAsync<JsonObject>($"/api/processes/{id}/call-list"))!["entries"]!.AsArray()).Count == 2,
            "both are on the call list", TimeSpan.FromSeconds(30));
        Assert.All(entries, e => Assert.Equal(CallReasons.ConfirmSignUp, e!["reason"]!.GetValue<string>()));
        var status = await app.Client.GetFromJsonAsync<JsonObject>($"/api/processes/{id}");
        Assert.Contains("kinderopvang", status!.ToJsonString(), StringComparison.Ordinal);
        var people = await directory.ListAsync(id, CancellationToken.None);
        Assert.All(people.Where(p => p.Name is "Henk" or "Truus"), p => Assert.Equal(("yes", true, ""), (p.Answer, p.SignedUp, p.Email)));
        Assert.Equal(5, people.Count);
    }

    /// <summary>The app with Carla as local coordinator; the public rate limit raised, since this test posts many forms on purpose.</summary>
    private async Task<RunningApp> StartAppAsync(string hub)
    {
        var settings = RunningApp.SettingsFor(stack);
        settings["Durable:TaskHub"] = hub + run;
        settings["Api:PublicPermitLimit"] = "1000";
        CoordinatorBrowser.SignInFor(settings, (LiveDefinitions.Address(run, "carla"), "Carla", false));
        var app = await RunningApp.StartAsync(settings);
        app.Client.DefaultRequestHeaders.Add(Dialoog.Web.Api.CoordinatorApiKeyFilter.HeaderName, settings["Api:CoordinatorApiKey"]);
        return app;
    }

    private async Task<string> StartAsync(RunningApp app, bool open)
    {
        var start = DateTime.UtcNow.AddDays(30);
        var definition = LiveDefinitions.ThreePeople(run, "Meedoen " + run, start, start.AddHours(2), new JsonObject { ["replyDeadline"] = "P7D" });
        if (open)
        {
            definition["signUp"] = new JsonObject
            {
                ["groups"] = new JsonArray("inwoners"),
                ["questions"] = new JsonArray(new JsonObject
                {
                    ["id"] = "nodig",
                    ["text"] = Needs,
                    ["choices"] = new JsonArray("toegankelijkheid (rolstoel, ringleiding)", "tolk of andere taal", "vervoer", "kinderopvang"),
                }),
            };
        }

        using var response = await app.Client.PostAsJsonAsync("/api/processes", new JsonObject { ["definition"] = definition });
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
    }

    private static Task<HttpResponseMessage> PostFormAsync(HttpClient client, string id, params (string Key, string Value)[] fields) =>
        LinkForm.PostAsync(client, SignUpLinks.PathFor(id), fields.ToDictionary(f => f.Key, f => f.Value));
}
