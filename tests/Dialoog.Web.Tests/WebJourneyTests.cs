using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Dialoog.Web;
using Dialoog.Web.Api;
using Dialoog.Core.Tests.Testing;
using Dialoog.Testing;
using Microsoft.Playwright;

namespace Dialoog.Web.Tests;

/// <summary>
/// The web in a real browser against the real app on Azurite and MailDev: the coordinator's journey through sign-in
/// and the start form, a participant replying from the e-mail, keyboard only, and a phone-size screen. axe-core runs on
/// every page; a screenshot of each page goes to TestResults/screenshots.
/// </summary>
[Collection(DevStackCollection.Name)]
public sealed partial class WebJourneyTests(DevStackFixture stack, BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private const string Password = "browser-test-wachtwoord";
    private readonly string run = Guid.NewGuid().ToString("N")[..8];
    private RunningApp app = null!;
    private IBrowserContext context = null!;
    private Dictionary<string, string?> settings = null!;

    private string Coordinator => $"carla-{run}@gemeente.example";

    private string BaseUrl => app.Client.BaseAddress!.ToString().TrimEnd('/');

    public async Task InitializeAsync()
    {
        settings = RunningApp.SettingsFor(stack);
        settings["Durable:TaskHub"] = "br" + run;
        settings["Auth:AllowLocalSignIn"] = "true";
        settings["Auth:LocalCoordinators:0:Email"] = Coordinator;
        settings["Auth:LocalCoordinators:0:PasswordHash"] = LocalPasswords.Hash(Password);
        settings["Auth:LocalCoordinators:0:Name"] = "Carla Coördinator";
        app = await RunningApp.StartAsync(settings);
        app.Client.DefaultRequestHeaders.Add(CoordinatorApiKeyFilter.HeaderName, settings["Api:CoordinatorApiKey"]);
        context = await NewContextAsync(null);
    }

    public async Task DisposeAsync()
    {
        await context.DisposeAsync();
        await app.DisposeAsync();
    }

    [Fact]
    public async Task Coordinator_SignsIn_FixesAValidationError_StartsTheProcess_AndSeesIt()
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(BaseUrl + "/trajecten");
        Assert.Contains("/aanmelden", page.Url, StringComparison.Ordinal);
        await CheckAsync(page, "aanmelden");
        await page.FillAsync("#email", Coordinator);
        await page.FillAsync("#password", Password);
        await page.ClickAsync("button:has-text('Aanmelden')");
        await page.WaitForURLAsync(new Regex("/trajecten$"), new PageWaitForURLOptions { WaitUntil = WaitUntilState.DOMContentLoaded });
        await CheckAsync(page, "dashboard-leeg");

        await page.GotoAsync(BaseUrl + "/");
        await CheckAsync(page, "startformulier");
        await FillStartFormAsync(page, topic: "");
        await page.ClickAsync("button[value=start]");

        // The error summary has focus, names the missing topic, and nothing typed is lost.
        await page.WaitForSelectorAsync("[data-error-summary]");
        Assert.True(await page.EvaluateAsync<bool>("() => document.activeElement?.hasAttribute('data-error-summary') === true"), "focus is on the error summary");
        Assert.Contains("onderwerp", (await page.InnerTextAsync("[data-error-summary]")).ToLowerInvariant(), StringComparison.Ordinal);
        Assert.Equal($"anna-{run}@example.org", await page.InputValueAsync("#participants-0-email"));
        Assert.Equal("Buurthuis De Brug", await page.InputValueAsync("#sessions-0-location"));
        await CheckAsync(page, "startformulier-fout");

        await page.FillAsync("#topic", "Speelplek " + run);
        await page.ClickAsync("button[value=start]");
        await page.WaitForURLAsync(new Regex("/trajecten/dlg-[0-9a-f]+"), new PageWaitForURLOptions { WaitUntil = WaitUntilState.DOMContentLoaded });
        Assert.Equal("Speelplek " + run, await page.InnerTextAsync("h1"));
        await Eventually.HoldsAsync(
            async () =>
            {
                await page.ReloadAsync();
                return (await page.ContentAsync()).Contains("Reacties per groep", StringComparison.Ordinal);
            },
            "the process page shows the replies",
            TimeSpan.FromSeconds(20));
        await CheckAsync(page, "traject");

        await page.GotoAsync(BaseUrl + "/trajecten");
        Assert.Contains("Speelplek " + run, await page.InnerTextAsync("main"), StringComparison.Ordinal);
        await CheckAsync(page, "dashboard");
    }

    [Fact]
    public async Task Participant_OpensTheLinkFromTheEmail_Replies_AndChangesTheReply()
    {
        var email = $"anna-{run}@example.org";
        await StartThroughApiAsync(email);
        var inbox = new MailDevInbox(stack.MailDevApi);
        var invitation = (await inbox.WaitForAsync(email, _ => true))[0];
        var yes = LinkPattern().Matches(invitation.TextBody ?? "").Select(m => m.Value).First(l => l.EndsWith("k=yes", StringComparison.Ordinal));

        var page = await context.NewPageAsync();
        await page.GotoAsync(BaseUrl + new Uri(yes).PathAndQuery);
        Assert.True(await page.IsCheckedAsync("input[name=antwoord][value=yes]"), "the answer from the e-mail is preselected");
        Assert.Contains("Wat gebeurt er nu?", await page.InnerTextAsync("main"), StringComparison.Ordinal);
        Assert.Equal(3, await page.Locator("a:has-text('Outlook'), a:has-text('Google Agenda'), a:has-text('.ics')").CountAsync());
        await CheckAsync(page, "reactie");
        await page.ClickAsync("button:has-text('Antwoord versturen')");
        Assert.Contains("ja, ik kom", await page.InnerTextAsync("main"), StringComparison.Ordinal);
        await CheckAsync(page, "reactie-bedankt");

        // The same link again: the reply shows, and can be changed.
        await Eventually.HoldsAsync(
            async () =>
            {
                await page.GotoAsync(BaseUrl + new Uri(yes).AbsolutePath);
                return (await page.InnerTextAsync("main")).Contains("Uw antwoord nu", StringComparison.Ordinal);
            },
            "the page shows the reply",
            TimeSpan.FromSeconds(20));
        await page.CheckAsync("input[name=antwoord][value=no]");
        await page.ClickAsync("button:has-text('Antwoord versturen')");
        Assert.Contains("nee, ik kan niet", await page.InnerTextAsync("main"), StringComparison.Ordinal);
        await CheckAsync(page, "reactie-veranderd");
    }

    [Fact]
    public async Task StartForm_KeyboardOnly_SignInTypeAndSubmit_FocusGoesToTheErrorSummary()
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(BaseUrl + "/aanmelden");
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Naar de inhoud", await page.EvaluateAsync<string>("() => document.activeElement.textContent"));
        await TabToAsync(page, "#email");
        await page.Keyboard.TypeAsync(Coordinator);
        await TabToAsync(page, "#password");
        await page.Keyboard.TypeAsync(Password);
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(new Regex("/$"), new PageWaitForURLOptions { WaitUntil = WaitUntilState.DOMContentLoaded });

        await TabToAsync(page, "#topic");
        await page.Keyboard.TypeAsync("Alleen met het toetsenbord");
        await TabToAsync(page, "button[value=start]");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("[data-error-summary]");
        Assert.True(await page.EvaluateAsync<bool>("() => document.activeElement?.hasAttribute('data-error-summary') === true"), "focus is on the error summary");
        Assert.Equal("Alleen met het toetsenbord", await page.InputValueAsync("#topic"));

        // The summary's links lead to the fields: Tab to the first one and follow it.
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Enter");
        Assert.True(await page.EvaluateAsync<bool>("() => location.hash.length > 1"), "the error link moved to its field");
        await CheckAsync(page, "toetsenbord");
    }

    [Fact]
    public async Task PhoneSize_StartFormAndReplyPage_FitTheScreenAndPassAxe()
    {
        await using var phone = await NewContextAsync(new ViewportSize { Width = 375, Height = 740 });
        var page = await phone.NewPageAsync();
        await SignInAsync(page);
        Assert.True(await FitsAsync(page), "the start form needs no sideways scrolling");
        await CheckAsync(page, "telefoon-startformulier");

        var email = $"bram-{run}@example.org";
        await StartThroughApiAsync(email);
        var invitation = (await new MailDevInbox(stack.MailDevApi).WaitForAsync(email, _ => true))[0];
        var link = LinkPattern().Matches(invitation.TextBody ?? "").Select(m => m.Value).First(l => l.EndsWith("k=maybe", StringComparison.Ordinal));
        await page.GotoAsync(BaseUrl + new Uri(link).PathAndQuery);
        Assert.True(await FitsAsync(page), "the reply page needs no sideways scrolling");
        await CheckAsync(page, "telefoon-reactie");
    }

    [Fact]
    public async Task Facilitator_OpensTheUploadLinkFromTheEmail_UploadsMinutesWithOneAction_CoordinatorClosesIt()
    {
        var owner = $"anna-{run}@example.org";
        var page = await context.NewPageAsync();
        var (id, upload) = await SessionHeldAsync(page, owner, $"fien-{run}@example.org");
        await UploadMinutesAsync(page, upload, owner);

        // The owner gets the minutes and a link to report on the action.
        var inbox = new MailDevInbox(stack.MailDevApi);
        await LinkFromMailAsync(inbox, owner, "download");
        await LinkFromMailAsync(inbox, owner, "progress");

        // The coordinator sees the action on the process page and closes it with the button there.
        await SignInAsync(page);
        var process = $"{BaseUrl}/trajecten/{id}";
        await ReloadUntilAsync(page, process, "Speelplek schetsen");
        await CheckAsync(page, "traject-afspraak");
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        await page.ClickAsync("summary:has-text('Sluiten')");
        await page.FillAsync("textarea[name=reason]:visible", "Al geregeld door de buurt.");
        await page.ClickAsync("button:has-text('Afspraak sluiten')");
        await page.WaitForURLAsync(new Regex("bericht=gesloten"), new PageWaitForURLOptions { WaitUntil = WaitUntilState.DOMContentLoaded });
        await ReloadUntilAsync(page, process, "Afgerond");
        await CheckAsync(page, "traject-afspraak-gesloten");
    }

    [Fact]
    public async Task ActionOwner_OpensTheProgressLinkFromTheEmail_ReportsBusyThenDone()
    {
        var owner = $"anna-{run}@example.org";
        var page = await context.NewPageAsync();
        await UploadMinutesAsync(page, (await SessionHeldAsync(page, owner, $"fien-{run}@example.org")).Upload, owner);
        var progress = BaseUrl + await LinkFromMailAsync(new MailDevInbox(stack.MailDevApi), owner, "progress");

        await page.GotoAsync(progress);
        Assert.Equal("Voortgang doorgeven", await page.InnerTextAsync("h1"));
        Assert.Contains("Speelplek schetsen", await page.InnerTextAsync("main"), StringComparison.Ordinal);
        await CheckAsync(page, "voortgang");
        await page.CheckAsync("input[name=status][value=inProgress]");
        await page.ClickAsync("button:has-text('Voortgang doorgeven')");
        Assert.Contains("Uw voortgang is doorgegeven: bezig", await page.InnerTextAsync("main"), StringComparison.Ordinal);
        await CheckAsync(page, "voortgang-bezig");

        // The same link again: it shows "bezig", and "klaar" ends the action.
        await ReloadUntilAsync(page, progress, "bezig");
        await CheckAsync(page, "voortgang-nu-bezig");
        await page.CheckAsync("input[name=status][value=done]");
        await page.ClickAsync("button:has-text('Voortgang doorgeven')");
        Assert.Contains("Uw voortgang is doorgegeven: klaar", await page.InnerTextAsync("main"), StringComparison.Ordinal);
        await ReloadUntilAsync(page, progress, "deze afspraak is afgerond");
        Assert.Equal(0, await page.Locator("input[name=status]").CountAsync());
        await CheckAsync(page, "voortgang-klaar");
    }

    [Fact]
    public async Task Coordinator_TakesTheEscalationDecision_OnTheProcessPage()
    {
        // Nobody replies: at the deadline (4 seconds) the group misses its minimum and the coordinator must choose.
        var start = DateTime.UtcNow.AddDays(30).Date.AddHours(18);
        var id = await StartThroughApiAsync($"bram-{run}@example.org", start, start.AddHours(2), new JsonObject { ["replyDeadline"] = "PT4S", ["decisionTimeout"] = "PT2M" });
        var page = await context.NewPageAsync();
        await SignInAsync(page);

        var process = $"{BaseUrl}/trajecten/{id}";
        await ReloadUntilAsync(page, process, "Uw keuze is nodig");
        Assert.Contains("inwoners", await page.InnerTextAsync("section[aria-labelledby=decisions-title]"), StringComparison.Ordinal);
        await CheckAsync(page, "traject-keuze-nodig");
        await page.CheckAsync("input[name=choice][value=goAhead]");
        await page.FillAsync("textarea[name=note]", "We gaan door met wie er is.");
        await page.ClickAsync("form:has(input[name=escalationId]) button[type=submit]");
        await page.WaitForURLAsync(new Regex("bericht=keuze"), new PageWaitForURLOptions { WaitUntil = WaitUntilState.DOMContentLoaded });
        Assert.Contains("Uw keuze is doorgegeven", await page.InnerTextAsync("main"), StringComparison.Ordinal);
        await CheckAsync(page, "traject-keuze-doorgegeven");

        // Once the process has the decision, the question is gone from the page.
        await Eventually.HoldsAsync(
            async () =>
            {
                await page.GotoAsync(process);
                return !(await page.InnerTextAsync("main")).Contains("Uw keuze is nodig", StringComparison.Ordinal);
            },
            "the open decision leaves the process page",
            TimeSpan.FromSeconds(20));
        await CheckAsync(page, "traject-na-keuze");
    }

    [Fact]
    public async Task Coordinator_PassesOnAMovedSession_FromTheCallList_TheDashboardCountsItUntilDone()
    {
        // Henk has only a phone number and said yes by phone; then the session moves, so he must be called.
        var start = DateTime.UtcNow.AddDays(30).Date.AddHours(18);
        var id = await StartThroughApiAsync($"bram-{run}@example.org", start, start.AddHours(2), new JsonObject());
        using (var added = await app.Client.PostAsJsonAsync($"/api/processes/{id}/participants", new { participants = new[] { new { name = "Henk", group = "inwoners", phone = "06-1234 5678" } } }))
        {
            Assert.True(added.IsSuccessStatusCode, await added.Content.ReadAsStringAsync());
        }

        await Eventually.HoldsAsync(
            async () => (await app.Client.PostAsJsonAsync($"/api/processes/{id}/participants/p2/reply", new { answer = "yes", channel = "phone" })).IsSuccessStatusCode,
            "Henk's answer can be noted",
            TimeSpan.FromSeconds(20));
        var page = await context.NewPageAsync();
        await SignInAsync(page);
        var process = $"{BaseUrl}/trajecten/{id}";
        await ReloadUntilAsync(page, process, "genoteerd (telefoon): ja");
        var moved = start.AddDays(2);
        using (var reschedule = await app.Client.PostAsJsonAsync($"/api/processes/{id}/sessions/s1/reschedule", new { start = Wall(moved), end = Wall(moved.AddHours(2)), location = "Bibliotheek" }))
        {
            Assert.True(reschedule.IsSuccessStatusCode, await reschedule.Content.ReadAsStringAsync());
        }

        await ReloadUntilAsync(page, BaseUrl + "/trajecten?alleenSignalen=true", "1 open op de bellijst");
        await CheckAsync(page, "dashboard-bellijst");

        await ReloadUntilAsync(page, process, "Bellen: De bijeenkomst 'Dialoogavond' is verplaatst naar");
        var callList = await page.InnerTextAsync("section[aria-labelledby=call-list-title]");
        Assert.Contains("06-1234 5678", callList, StringComparison.Ordinal);
        Assert.Contains("Bibliotheek", callList, StringComparison.Ordinal);
        await CheckAsync(page, "traject-bellijst-bericht");
        await page.ClickAsync("section[aria-labelledby=call-list-title] button:has-text('Doorgegeven')");
        await page.WaitForURLAsync(new Regex("bericht=doorgegeven"), new PageWaitForURLOptions { WaitUntil = WaitUntilState.DOMContentLoaded });
        Assert.Contains("Het bericht is doorgegeven", await page.InnerTextAsync("main"), StringComparison.Ordinal);

        await ReloadUntilAsync(page, process, "Carla Coördinator heeft Henk (inwoners) gebeld: De bijeenkomst 'Dialoogavond' is verplaatst");
        Assert.DoesNotContain("Bellen:", await page.InnerTextAsync("main"), StringComparison.Ordinal);
        await CheckAsync(page, "traject-bellijst-doorgegeven");
        await page.GotoAsync(BaseUrl + "/trajecten");
        Assert.DoesNotContain("op de bellijst", await page.InnerTextAsync("main"), StringComparison.Ordinal);
    }

    private async Task<IBrowserContext> NewContextAsync(ViewportSize? viewport)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            // axe is injected as an inline script; the app's CSP rightly forbids that, so the test context bypasses it.
            BypassCSP = true,
            Locale = "nl-NL",
            ViewportSize = viewport ?? new ViewportSize { Width = 1280, Height = 900 },
        });

        // The first page of a cold app on a busy 2-core machine once took over Playwright's default 30 s.
        context.SetDefaultTimeout(60_000);
        return context;
    }

    private async Task CheckAsync(IPage page, string name)
    {
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(browser.ArtifactsDirectory, $"{name}.png"), FullPage = true });
        await Axe.AssertNoViolationsAsync(page, browser.AxeSource);
    }

    /// <summary>Signs in as the coordinator on the sign-in page; the app then shows the start form.</summary>
    private async Task SignInAsync(IPage page)
    {
        await page.GotoAsync(BaseUrl + "/aanmelden");
        await page.FillAsync("#email", Coordinator);
        await page.FillAsync("#password", Password);
        await page.ClickAsync("button:has-text('Aanmelden')");
        await page.WaitForURLAsync(new Regex("/$"), new PageWaitForURLOptions { WaitUntil = WaitUntilState.DOMContentLoaded });
    }

    private static Task<bool> FitsAsync(IPage page) =>
        page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1");

    private static async Task TabToAsync(IPage page, string selector)
    {
        for (var i = 0; i < 300; i++)
        {
            if (await page.EvaluateAsync<bool>("s => document.activeElement?.matches(s) === true", selector))
            {
                return;
            }

            await page.Keyboard.PressAsync("Tab");
        }

        Assert.Fail($"Tab never reached {selector}.");
    }

    private async Task FillStartFormAsync(IPage page, string topic)
    {
        var day = DateTime.UtcNow.AddDays(30).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await page.FillAsync("#topic", topic);
        await page.FillAsync("#area", "Gemeente Voorbeeld, wijk De Linden");
        await page.FillAsync("#escalationContact-name", "Mark Manager");
        await page.FillAsync("#escalationContact-email", $"mark-{run}@gemeente.example");
        await page.FillAsync("#groups-0-name", "inwoners");
        await page.FillAsync("#groups-0-minimum", "1");
        await page.FillAsync("#participants-0-name", "Anna Jansen");
        await page.FillAsync("#participants-0-email", $"anna-{run}@example.org");
        await page.FillAsync("#participants-0-group", "inwoners");
        await page.FillAsync("#sessions-0-title", "Dialoogavond");
        await page.FillAsync("#sessions-0-start", day);
        await page.FillAsync("#sessions-0-startTime", "19:30");
        await page.FillAsync("#sessions-0-end", "21:30");
        await page.FillAsync("#sessions-0-location", "Buurthuis De Brug");
        await page.CheckAsync("#policy-defaultDecision");
    }

    private Task<string> StartThroughApiAsync(string participantEmail)
    {
        var start = DateTime.UtcNow.AddDays(30).Date.AddHours(18);
        return StartThroughApiAsync(participantEmail, start, start.AddHours(2), new JsonObject());
    }

    /// <summary>Starts a process through the JSON API, with the policy's durations in seconds where a journey needs them.</summary>
    private async Task<string> StartThroughApiAsync(
        string participantEmail, DateTime startUtc, DateTime endUtc, JsonObject policy, string? facilitatorEmail = null, Action<JsonObject>? change = null)
    {
        var session = new JsonObject
        {
            ["title"] = "Dialoogavond",
            ["start"] = Wall(startUtc),
            ["end"] = Wall(endUtc),
            ["location"] = "Buurthuis De Brug",
        };
        if (facilitatorEmail is not null)
        {
            session["facilitator"] = new JsonObject { ["name"] = "Fien", ["email"] = facilitatorEmail };
        }

        var definition = new JsonObject
        {
            ["topic"] = "Buurtdialoog " + run,
            ["area"] = "Gemeente Voorbeeld",
            ["coordinator"] = new JsonObject { ["name"] = "Carla", ["email"] = Coordinator },
            ["escalationContact"] = new JsonObject { ["name"] = "Mark", ["email"] = $"mark-{run}@gemeente.example" },
            ["groups"] = new JsonArray(new JsonObject { ["name"] = "inwoners", ["minimum"] = 1 }),
            ["participants"] = new JsonArray(new JsonObject { ["name"] = "Deelnemer", ["email"] = participantEmail, ["group"] = "inwoners" }),
            ["sessions"] = new JsonArray(session),
            ["policy"] = policy,
        };
        change?.Invoke(definition);
        using var response = await app.Client.PostAsJsonAsync("/api/processes", new JsonObject { ["definition"] = definition });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
    }

    /// <summary>
    /// A process whose session is over: the participant says yes through the link, the session passes in seconds, and the
    /// facilitator's e-mail brings the upload link. Returns the process id and that link's path and query.
    /// </summary>
    private async Task<(string Id, string Upload)> SessionHeldAsync(IPage page, string participantEmail, string facilitatorEmail)
    {
        var start = DateTime.UtcNow.AddSeconds(10);
        var id = await StartThroughApiAsync(participantEmail, start, start.AddSeconds(2), new JsonObject
        {
            ["replyDeadline"] = "PT6S",
            ["sessionReminderBefore"] = "PT2S",
            ["minutesDue"] = "PT2M",
            ["minutesReminder"] = "PT3M",
            ["minutesEscalation"] = "PT4M",
        }, facilitatorEmail);
        var inbox = new MailDevInbox(stack.MailDevApi);
        await page.GotoAsync(BaseUrl + await LinkFromMailAsync(inbox, participantEmail, "yes"));
        await page.ClickAsync("button:has-text('Antwoord versturen')");
        Assert.Contains("ja, ik kom", await page.InnerTextAsync("main"), StringComparison.Ordinal);
        return (id, await LinkFromMailAsync(inbox, facilitatorEmail, "upload", TimeSpan.FromSeconds(45)));
    }

    /// <summary>The facilitator uploads a small PDF with one agreed action for the owner, due in 30 days.</summary>
    private async Task UploadMinutesAsync(IPage page, string uploadLink, string ownerEmail)
    {
        await page.GotoAsync(BaseUrl + uploadLink);
        Assert.Equal("Verslag uploaden", await page.InnerTextAsync("h1"));
        await CheckAsync(page, "verslag-uploaden");
        await page.SetInputFilesAsync("#file", new FilePayload
        {
            Name = "verslag.pdf",
            MimeType = "application/pdf",
            Buffer = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"),
        });
        var due = DateTime.UtcNow.AddDays(30).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await page.FillAsync("#actions", $"Speelplek schetsen; Deelnemer; {ownerEmail}; {due}");
        await page.FillAsync("#uploadedBy", "Fien");
        await page.ClickAsync("button:has-text('Verslag versturen')");
        Assert.Contains("1 afspraak wordt gevolgd", await page.InnerTextAsync("main"), StringComparison.Ordinal);
        await CheckAsync(page, "verslag-bedankt");
    }

    /// <summary>The path and query of the first link with this key in a mail to the address, waiting until it comes.</summary>
    private async Task<string> LinkFromMailAsync(MailDevInbox inbox, string address, string key, TimeSpan? timeout = null)
    {
        string? Link(MimeKit.MimeMessage m) =>
            LinkPattern().Matches(m.TextBody ?? "").Select(x => x.Value).FirstOrDefault(l => l.EndsWith("k=" + key, StringComparison.Ordinal));
        var mail = (await inbox.WaitForAsync(address, m => Link(m) is not null, timeout: timeout ?? TimeSpan.FromSeconds(30)))[0];
        return new Uri(Link(mail)!).PathAndQuery;
    }

    /// <summary>Reloads the page until its main text holds the expected words: signals reach the process a moment later.</summary>
    private async Task ReloadUntilAsync(IPage page, string url, string expected) =>
        await Eventually.HoldsAsync(
            async () =>
            {
                await page.GotoAsync(url);
                return (await page.InnerTextAsync("main")).Contains(expected, StringComparison.Ordinal);
            },
            $"{url} shows '{expected}'",
            TimeSpan.FromSeconds(20));

    private static string Wall(DateTime utc) =>
        TimeZoneInfo.ConvertTimeFromUtc(utc, TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam")).ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"https?://[^\s""<>]+/l/[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\?k=[A-Za-z]+")]
    private static partial Regex LinkPattern();
}
