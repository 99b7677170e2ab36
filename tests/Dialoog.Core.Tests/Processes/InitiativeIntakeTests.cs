using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dialoog.Core.Actions;
using Dialoog.Core.Tests.Processes.Support;
using Dialoog.Core.Tests.Testing;
using Dialoog.Core.Tests.Web;
using Dialoog.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Dialoog.Core.Tests.Processes;

/// <summary>
/// Issue 18, item 3: an anonymous initiative mails only its submitter, once, and starts nothing until they confirm;
/// open initiatives per process are capped; the submitter can follow it and hears when it is finished.
/// </summary>
[Collection(SecondDevStackCollection.Name)]
public sealed class InitiativeIntakeTests(DevStackFixture stack)
{
    private readonly string run = Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task NothingStartsAndNobodyElseIsMailed_UntilTheSubmitterConfirms_ThenTheyCanFollowItToTheEnd()
    {
        await using var app = await StartAppAsync();
        var id = await CoordinatorBrowser.StartProcessAsync(app, run);
        var iris = LiveDefinitions.Address(run, "iris");
        var inbox = new MailDevInbox(stack.MailDevApi);
        await inbox.WaitForAsync(LiveDefinitions.Address(run, "anna"), _ => true); // the invitations are out
        var coordinatorMailsBefore = (await inbox.ToAsync(LiveDefinitions.Address(run, "carla"))).Count;

        using var anonymous = new HttpClient { BaseAddress = app.Client.BaseAddress };
        using (var submitted = await anonymous.PostAsJsonAsync($"/api/processes/{id}/initiatives", new { title = "Moestuin", description = "Samen groente kweken.", name = "Iris", email = iris }))
        {
            Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
            Assert.Equal("awaitingConfirmation", (await submitted.Content.ReadFromJsonAsync<JsonObject>())!["status"]!.GetValue<string>());
        }

        // One e-mail, to the submitter only; no initiative, no follow-up, nothing to the coordinator.
        var confirm = Assert.Single(await inbox.WaitForAsync(iris, _ => true));
        Assert.StartsWith(InitiativeMail.ConfirmSubject, confirm.Subject, StringComparison.Ordinal);
        var followUps = app.Services.GetRequiredService<FollowUpDirectory>();
        Assert.Empty(await followUps.ListAsync(id, FollowUpKinds.Initiative, CancellationToken.None));

        // Opening the link (as a mail scanner does) changes nothing either.
        using (var page = await anonymous.GetAsync(InitiativeMail.LinkIn(confirm)))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("Ja, verstuur mijn initiatief", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Empty(await followUps.ListAsync(id, FollowUpKinds.Initiative, CancellationToken.None));
        Assert.Equal(coordinatorMailsBefore, (await inbox.ToAsync(LiveDefinitions.Address(run, "carla"))).Count);

        // Confirmed: the initiative starts, the submitter gets their contact person and a link to follow it.
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = app.Client.BaseAddress };
        var form = new Dictionary<string, string> { [LinkForm.TokenField] = await LinkForm.TokenAsync(browser, InitiativeMail.LinkIn(confirm)) };
        var confirmPath = InitiativeMail.LinkIn(confirm).Split('?')[0];
        using (var confirmed = await browser.PostAsync(confirmPath, new FormUrlEncodedContent(form)))
        {
            Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
            Assert.Contains("Uw initiatief is bevestigd", await confirmed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        FollowUpRecord? item = null;
        await Eventually.HoldsAsync(async () => (item = (await followUps.ListAsync(id, FollowUpKinds.Initiative, CancellationToken.None)).SingleOrDefault()) is not null, "the initiative is followed", TimeSpan.FromSeconds(20));
        var received = (await inbox.WaitForAsync(iris, m => m.Subject?.StartsWith("We hebben uw initiatief ontvangen", StringComparison.Ordinal) == true)).Single();
        Assert.Contains("Bekijk hoe het gaat", received.TextBody, StringComparison.Ordinal);
        using (var status = await anonymous.GetAsync(InitiativeMail.LinkIn(received)))
        {
            var html = await status.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, status.StatusCode);
            Assert.Contains("Moestuin", html, StringComparison.Ordinal);
            Assert.Contains("Uw contactpersoon", html, StringComparison.Ordinal);
        }

        // The button pressed once more (the same form) starts nothing new.
        using (var again = await browser.PostAsync(confirmPath, new FormUrlEncodedContent(form)))
        {
            Assert.Equal(HttpStatusCode.Gone, again.StatusCode);
        }

        // The coordinator closes it: the submitter hears, with the reason.
        using (var closed = await app.Client.PostAsJsonAsync($"/api/processes/{id}/initiatives/{item!.Id}/close", new { reason = "De school doet het zelf." }))
        {
            Assert.Equal(HttpStatusCode.Accepted, closed.StatusCode);
        }

        var finished = (await inbox.WaitForAsync(iris, m => m.Subject?.StartsWith("Uw initiatief is afgerond", StringComparison.Ordinal) == true)).Single();
        Assert.Contains("De school doet het zelf.", finished.TextBody, StringComparison.Ordinal);
        Assert.Single(await followUps.ListAsync(id, FollowUpKinds.Initiative, CancellationToken.None));
    }

    [Fact]
    public async Task UnconfirmedSubmissions_AreCappedPerProcess_AndOneAddressGetsOneEmail()
    {
        await using var app = await StartAppAsync(("Api:MaxUnconfirmedInitiatives", "2"));
        var id = await CoordinatorBrowser.StartProcessAsync(app, run);
        using var anonymous = new HttpClient { BaseAddress = app.Client.BaseAddress };
        var inbox = new MailDevInbox(stack.MailDevApi);
        await Eventually.HoldsAsync(async () => (await SubmitAsync(anonymous, id, "eerste")) == HttpStatusCode.Accepted, "the process takes initiatives", TimeSpan.FromSeconds(20));

        // The same address again: the same answer, and no second e-mail.
        Assert.Equal(HttpStatusCode.Accepted, await SubmitAsync(anonymous, id, "eerste"));
        Assert.Equal(HttpStatusCode.Accepted, await SubmitAsync(anonymous, id, "tweede"));
        await AssertFullAsync(anonymous, id, "derde");

        await inbox.WaitForAsync(Address("tweede"), _ => true);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Single(await inbox.ToAsync(Address("eerste")));
        Assert.Empty(await inbox.ToAsync(Address("derde")));
    }

    [Fact]
    public async Task OpenInitiativesPerProcess_AreCapped()
    {
        await using var app = await StartAppAsync(("Api:MaxOpenInitiatives", "1"));
        var id = await CoordinatorBrowser.StartProcessAsync(app, run);
        using var anonymous = new HttpClient { BaseAddress = app.Client.BaseAddress };
        await Eventually.HoldsAsync(async () => (await SubmitAsync(anonymous, id, "eerste")) == HttpStatusCode.Accepted, "the process takes initiatives", TimeSpan.FromSeconds(20));
        using (var confirmed = await InitiativeMail.ConfirmAsync(app, stack, Address("eerste")))
        {
            Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        }

        var followUps = app.Services.GetRequiredService<FollowUpDirectory>();
        await Eventually.HoldsAsync(async () => (await followUps.ListAsync(id, FollowUpKinds.Initiative, CancellationToken.None)).Count == 1, "the initiative is followed", TimeSpan.FromSeconds(20));

        await AssertFullAsync(anonymous, id, "tweede");
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Empty(await new MailDevInbox(stack.MailDevApi).ToAsync(Address("tweede")));
    }

    private async Task AssertFullAsync(HttpClient client, string id, string who)
    {
        using var full = await client.PostAsJsonAsync($"/api/processes/{id}/initiatives", Body(who));
        Assert.Equal(HttpStatusCode.TooManyRequests, full.StatusCode);
        Assert.Contains("Te veel open initiatieven", await full.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheForm_SaysToLookInTheEmail_AndTheButtonStartsIt()
    {
        await using var app = await StartAppAsync();
        var id = await CoordinatorBrowser.StartProcessAsync(app, run);
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = app.Client.BaseAddress };
        await Eventually.HoldsAsync(async () => (await browser.GetAsync($"/initiatief/{id}")).StatusCode == HttpStatusCode.OK, "the form is there", TimeSpan.FromSeconds(20));
        using var sent = await LinkForm.PostAsync(browser, $"/initiatief/{id}", new Dictionary<string, string>
        {
            ["title"] = "Buurtbieb",
            ["description"] = "Een kast met boeken bij de bushalte.",
            ["name"] = "Iris",
            ["email"] = Address("formulier"),
        });
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        Assert.Contains("Kijk in uw e-mail", await sent.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var confirmed = await InitiativeMail.ConfirmAsync(app, stack, Address("formulier"));
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        var followUps = app.Services.GetRequiredService<FollowUpDirectory>();
        await Eventually.HoldsAsync(async () => (await followUps.ListAsync(id, FollowUpKinds.Initiative, CancellationToken.None)).Count == 1, "the initiative is followed", TimeSpan.FromSeconds(20));
    }

    private string Address(string who) => $"{who}-{run}@example.org";

    private object Body(string who) => new { title = "Idee van " + who, description = "Samen iets doen.", name = who, email = Address(who) };

    private async Task<HttpStatusCode> SubmitAsync(HttpClient client, string id, string who)
    {
        using var response = await client.PostAsJsonAsync($"/api/processes/{id}/initiatives", Body(who));
        return response.StatusCode;
    }

    private async Task<RunningApp> StartAppAsync(params (string Key, string Value)[] extra)
    {
        var settings = RunningApp.SettingsFor(stack);
        settings["Durable:TaskHub"] = "intake" + run;
        settings["Api:PublicPermitLimit"] = "1000";
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        var app = await RunningApp.StartWithApiKeyAsync(settings);
        return app;
    }
}
