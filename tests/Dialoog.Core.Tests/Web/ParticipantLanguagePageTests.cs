using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Dialoog.Core.Invitations;
using Dialoog.Core.Links;
using Dialoog.Core.Tests.Processes.Support;
using Dialoog.Core.Tests.Testing;
using Dialoog.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Dialoog.Core.Tests.Web;

/// <summary>
/// The participant pages in the participant's language (issue 17, item 6) against the real app on Azurite and MailDev:
/// each page in nl, en and ar with the right lang and dir and a translated heading; the language travels in the link
/// from the e-mail, <c>?taal=</c> overrides it, and an old link without one falls back to the participant's language;
/// a sign-up in Arabic is stored in Arabic.
/// </summary>
[Collection(SecondDevStackCollection.Name)]
public sealed partial class ParticipantLanguagePageTests(DevStackFixture stack) : IAsyncLifetime
{
    private readonly string run = Guid.NewGuid().ToString("N")[..8];
    private RunningApp app = null!;

    public static TheoryData<string, string, string> Headings => new()
    {
        { "nl", "ltr", "Uw reactie" },
        { "en", "ltr", "Your reply" },
        { "ar", "rtl", "ردّك" },
    };

    public async Task InitializeAsync()
    {
        var settings = RunningApp.SettingsFor(stack);
        settings["Durable:TaskHub"] = "taal" + run;
        settings["Api:PublicPermitLimit"] = "1000";
        app = await RunningApp.StartAsync(settings);
        app.Client.DefaultRequestHeaders.Add(Dialoog.Web.Api.CoordinatorApiKeyFilter.HeaderName, settings["Api:CoordinatorApiKey"]);
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Theory]
    [MemberData(nameof(Headings))]
    public async Task ReplyPage_InTheLinksLanguage_HasLangDirTranslatedTextAndTheSecurityHeaders(string language, string direction, string heading)
    {
        var id = await StartAsync();
        var anna = await ParticipantAsync(id, "Anna");
        var path = await LinkPathAsync(LinkPurpose.Reply, id, anna.Id, language);

        using var client = CoordinatorBrowser.NewClient(app);
        using var response = await client.GetAsync(path + "?k=yes");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((language, direction), HtmlLangDir(html));
        Assert.Equal(heading, H1(html));
        Assert.Contains("frame-ancestors 'none'", string.Join(";", response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Matches("<input[^>]*value=\"yes\"[^>]*checked", html);

        // The date of the session is written in the page's language, not in Dutch.
        var dutchMonth = new[] { "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december" };
        Assert.Equal(language == "nl", dutchMonth.Any(m => html.Contains(" " + m + " ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Reply_InArabic_ThanksInArabic_AndCounts()
    {
        var id = await StartAsync();
        var anna = await ParticipantAsync(id, "Anna");
        var path = await LinkPathAsync(LinkPurpose.Reply, id, anna.Id, "ar");
        using var client = CoordinatorBrowser.NewClient(app);

        using var sent = await LinkForm.PostAsync(client, path, new Dictionary<string, string> { ["antwoord"] = "no" });
        var html = WebUtility.HtmlDecode(await sent.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        Assert.Equal(("ar", "rtl"), HtmlLangDir(html));
        Assert.Equal("شكراً لك", H1(html));
        Assert.Contains("لا، لا أستطيع الحضور", html, StringComparison.Ordinal);
        await Eventually.HoldsAsync(async () => (await ParticipantAsync(id, "Anna")).Answer == "no", "the reply counts", TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task LanguageTravelsInTheLinkFromTheEmail_TaalOverridesIt_OldLinksUseTheParticipantsLanguage()
    {
        var bram = LiveDefinitions.Address(run, "bram");
        var id = await StartAsync(definition => definition["participants"]![1]!["language"] = "en");
        var mail = (await new MailDevInbox(stack.MailDevApi).WaitForAsync(bram, _ => true))[0];
        var link = InitiativeMail.LinkIn(mail);

        // The link in Bram's e-mail says English, and the page is in English.
        var token = link.Split('?')[0]["/l/".Length..];
        Assert.Equal(LinkProblem.None, app.Services.GetRequiredService<ParticipantLinks>().TryRead(token, LinkPurpose.Reply, out var claims));
        Assert.Equal("en", claims!.Language);
        using var client = CoordinatorBrowser.NewClient(app);
        var english = await client.GetStringAsync(link);
        Assert.Equal(("en", "ltr"), HtmlLangDir(english));
        Assert.Equal("Your reply", H1(english));

        // The language switch: every language has a link, and ?taal wins over the link; the other query values stay.
        Assert.Contains("taal=ar", english, StringComparison.Ordinal);
        Assert.Contains("العربية", english, StringComparison.Ordinal);
        var arabic = await client.GetStringAsync(link + "&taal=ar");
        Assert.Equal(("ar", "rtl"), HtmlLangDir(arabic));
        Assert.Equal("ردّك", H1(arabic));
        Assert.Matches("<input[^>]*value=\"yes\"[^>]*checked", arabic);
        Assert.Equal(("en", "ltr"), HtmlLangDir(await client.GetStringAsync(link + "&taal=klingon")));

        // A link from before links carried a language: the participant's own (Bram: English; Anna: Dutch).
        var participant = await ParticipantAsync(id, "Bram");
        var old = "/l/" + await TestLinks.TokenAsync(app.Services, LinkPurpose.Reply, id, participant.Id);
        Assert.Equal(("en", "ltr"), HtmlLangDir(await client.GetStringAsync(old)));
        var anna = await ParticipantAsync(id, "Anna");
        Assert.Equal(("nl", "ltr"), HtmlLangDir(await client.GetStringAsync("/l/" + await TestLinks.TokenAsync(app.Services, LinkPurpose.Reply, id, anna.Id))));
    }

    [Theory]
    [InlineData("nl", "ltr", "Meedoen", "Ja, ik kom")]
    [InlineData("en", "ltr", "Take part", "Yes, I will come")]
    [InlineData("ar", "rtl", "شارك", "نعم، سأحضر")]
    public async Task SignUpPage_InEachLanguage_WithTheLanguageChoiceTicked(string language, string direction, string heading, string button)
    {
        var id = await StartAsync(OpenSignUp);
        using var client = CoordinatorBrowser.NewClient(app);

        var html = WebUtility.HtmlDecode(await client.GetStringAsync(SignUpLinks.PathFor(id) + "?taal=" + language));

        Assert.Equal((language, direction), HtmlLangDir(html));
        Assert.Equal(heading, H1(html));
        Assert.Contains($">{button}</button>", html, StringComparison.Ordinal);
        Assert.Matches($"<input[^>]*name=\"taal\" value=\"{language}\" checked", html);
    }

    [Fact]
    public async Task SignUp_InArabic_ByPhone_IsStoredInArabic_AndAnsweredInArabic()
    {
        var id = await StartAsync(OpenSignUp);
        using var client = CoordinatorBrowser.NewClient(app);

        using var sent = await LinkForm.PostAsync(client, SignUpLinks.PathFor(id), new Dictionary<string, string>
        {
            ["name"] = "Samira", ["group"] = "inwoners", ["phone"] = "06-12345678", ["taal"] = "ar",
        });
        var html = WebUtility.HtmlDecode(await sent.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        Assert.Equal(("ar", "rtl"), HtmlLangDir(html));
        Assert.Equal("أنت مسجل", H1(html));
        ParticipantRecord? samira = null;
        await Eventually.HoldsAsync(async () => (samira = await FindAsync(id, "Samira")) is not null, "Samira is in the process", TimeSpan.FromSeconds(30));
        Assert.Equal("ar", samira!.Language);
    }

    [Fact]
    public async Task SignUp_WithEmailInEnglish_PendingAndConfirmLinkCarryIt_ConfirmPageInEnglish_ParticipantStoredInEnglish()
    {
        var id = await StartAsync(OpenSignUp);
        var tom = LiveDefinitions.Address(run, "tom");
        using var client = CoordinatorBrowser.NewClient(app);

        using (var sent = await LinkForm.PostAsync(client, SignUpLinks.PathFor(id) + "?taal=en", new Dictionary<string, string>
        {
            ["name"] = "Tom", ["group"] = "inwoners", ["email"] = tom, ["taal"] = "en",
        }))
        {
            Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
            Assert.Equal("Check your e-mail", H1(await sent.Content.ReadAsStringAsync()));
        }

        var link = InitiativeMail.LinkIn((await new MailDevInbox(stack.MailDevApi).WaitForAsync(tom, _ => true))[0]);
        var page = await client.GetStringAsync(link);
        Assert.Equal(("en", "ltr"), HtmlLangDir(page));
        Assert.Equal("Confirm your sign-up", H1(page));
        Assert.Equal(("ar", "rtl"), HtmlLangDir(await client.GetStringAsync(link + (link.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "taal=ar")));

        using (var confirmed = await LinkForm.PostAsync(client, link, new Dictionary<string, string>()))
        {
            Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
            Assert.Contains("Your sign-up is confirmed", await confirmed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        ParticipantRecord? stored = null;
        await Eventually.HoldsAsync(async () => (stored = await FindAsync(id, "Tom")) is not null, "Tom is in the process", TimeSpan.FromSeconds(30));
        Assert.Equal("en", stored!.Language);
    }

    [Fact]
    public async Task SignUp_InArabicWithEmail_TheConfirmationMailAndItsPageAreInArabic()
    {
        var id = await StartAsync(OpenSignUp);
        var layla = LiveDefinitions.Address(run, "layla");
        using var client = CoordinatorBrowser.NewClient(app);

        using (var sent = await LinkForm.PostAsync(client, SignUpLinks.PathFor(id), new Dictionary<string, string>
        {
            ["name"] = "Layla", ["group"] = "inwoners", ["email"] = layla, ["taal"] = "ar",
        }))
        {
            Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
            Assert.Equal("تحقق من بريدك الإلكتروني", H1(await sent.Content.ReadAsStringAsync()));
        }

        var mail = (await new MailDevInbox(stack.MailDevApi).WaitForAsync(layla, _ => true))[0];
        Assert.Contains("dir=\"rtl\"", mail.HtmlBody, StringComparison.Ordinal);
        var page = await client.GetStringAsync(InitiativeMail.LinkIn(mail));
        Assert.Equal(("ar", "rtl"), HtmlLangDir(page));
        Assert.Equal("أكّد تسجيلك", H1(page));
    }

    [Fact]
    public async Task SignUp_WithAnUnknownLanguage_IsRefusedAndStoresNothing()
    {
        var id = await StartAsync(OpenSignUp);
        using var client = CoordinatorBrowser.NewClient(app);

        using var refused = await client.PostAsJsonAsync($"/api/processes/{id}/signups", new { name = "Piet", group = "inwoners", phone = "0612345678", language = "fr" });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var errors = (await refused.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!;
        Assert.Contains("Kies de taal", errors["language"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Null(await FindAsync(id, "Piet"));
    }

    [Fact]
    public async Task InitiativeAndProgressPages_InEachLanguage_FromConfirmationToReportedProgress()
    {
        var id = await StartAsync();
        var iris = LiveDefinitions.Address(run, "iris");
        using var client = CoordinatorBrowser.NewClient(app);
        using (var submitted = await client.PostAsJsonAsync($"/api/processes/{id}/initiatives", new { title = "Moestuin", description = "Samen groente kweken.", name = "Iris", email = iris }))
        {
            Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        }

        // The confirmation page, switched to each language; confirmed in English.
        var confirm = InitiativeMail.LinkIn((await new MailDevInbox(stack.MailDevApi).WaitForAsync(iris, _ => true))[0]);
        var separator = confirm.Contains('?', StringComparison.Ordinal) ? "&" : "?";
        foreach (var (language, direction, heading) in new[] { ("nl", "ltr", "Bevestig uw initiatief"), ("en", "ltr", "Confirm your initiative"), ("ar", "rtl", "أكّد مبادرتك") })
        {
            var html = await client.GetStringAsync(confirm + separator + "taal=" + language);
            Assert.Equal((language, direction), HtmlLangDir(html));
            Assert.Equal(heading, H1(html));
        }

        using (var confirmed = await PostKeepingTheQueryAsync(client, confirm + separator + "taal=en", new Dictionary<string, string>()))
        {
            Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
            Assert.Contains("Your initiative is confirmed", await confirmed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var followUps = app.Services.GetRequiredService<Dialoog.Core.Actions.FollowUpDirectory>();
        Dialoog.Core.Actions.FollowUpRecord? item = null;
        await Eventually.HoldsAsync(
            async () => (item = (await followUps.ListAsync(id, Dialoog.Core.Actions.FollowUpKinds.Initiative, CancellationToken.None)).SingleOrDefault()) is not null,
            "the initiative is followed", TimeSpan.FromSeconds(20));

        // How it is going, in Arabic; the progress form in English; progress reported in Arabic.
        var status = await client.GetStringAsync(await LinkPathAsync(LinkPurpose.InitiativeStatus, id, item!.Id, "ar"));
        Assert.Equal(("ar", "rtl"), HtmlLangDir(status));
        Assert.Equal("مبادرتك", H1(status));
        Assert.Contains("Moestuin", status, StringComparison.Ordinal);

        var progress = await LinkPathAsync(LinkPurpose.FollowUp, id, item.Id, "en");
        var form = await client.GetStringAsync(progress);
        Assert.Equal(("en", "ltr"), HtmlLangDir(form));
        Assert.Equal("Report progress", H1(form));
        Assert.Contains("How is the initiative", WebUtility.HtmlDecode(form), StringComparison.Ordinal);

        using var reported = await PostKeepingTheQueryAsync(client, progress + "?taal=ar", new Dictionary<string, string> { ["status"] = "inProgress" });
        var thanks = WebUtility.HtmlDecode(await reported.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, reported.StatusCode);
        Assert.Equal(("ar", "rtl"), HtmlLangDir(thanks));
        Assert.Contains("تم إبلاغ تقدّمك", thanks, StringComparison.Ordinal);
        Assert.Contains("قيد التنفيذ", thanks, StringComparison.Ordinal);
        await Eventually.HoldsAsync(
            async () => (await followUps.FindAsync(id, item.Id, CancellationToken.None))?.Status == Dialoog.Core.Actions.FollowUpStatus.InProgress,
            "the progress counts", TimeSpan.FromSeconds(20));
    }

    /// <summary>Posts the page's form to its own address with the query, as a browser does after the language switch.</summary>
    public static TheoryData<string, string, string, string, string> DecisionTexts => new()
    {
        { "nl", "ltr", "Uw keuze is nodig", "Toch doorgaan", "Dank u wel" },
        { "en", "ltr", "Your choice is needed", "Go ahead anyway", "Thank you" },
        { "ar", "rtl", "نحتاج إلى اختيارك", "المتابعة رغم ذلك", "شكراً لك" },
    };

    [Theory]
    [MemberData(nameof(DecisionTexts))]
    public async Task DecisionPage_InTheLinksLanguage_TicksTheMailsChoice_ThanksAndThenSaysItIsDecided(
        string language, string direction, string heading, string goAhead, string thanks)
    {
        // No one replies before a deadline of seconds, so both groups are short and the process asks for a decision.
        var id = await StartAsync(definition =>
        {
            var policy = definition["policy"]!.AsObject();
            policy["replyDeadline"] = "PT3S";
            policy["reminderCadence"] = "PT2S";
            policy["maxReminders"] = 1;
            policy["decisionTimeout"] = "PT10M";
        });
        string? escalation = null;
        await Eventually.HoldsAsync(async () =>
            (escalation = (await app.Services.GetRequiredService<Microsoft.DurableTask.Client.DurableTaskClient>().GetInstanceAsync(id, getInputsAndOutputs: true))
                ?.ReadCustomStatusAs<Dialoog.Core.Processes.ProcessStatus>()?.Escalations is [var first, ..] ? first.Id : null) is not null,
            "the process asks for a decision", TimeSpan.FromSeconds(60));
        var path = await LinkPathAsync(LinkPurpose.Decision, id, escalation!, language);
        using var client = CoordinatorBrowser.NewClient(app);

        using (var page = await client.GetAsync(path + "?k=goAhead"))
        {
            var html = WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal((language, direction), HtmlLangDir(html));
            Assert.Equal(heading, H1(html));
            Assert.Matches("<input[^>]*value=\"goAhead\"[^>]*checked", html);
            Assert.Contains(goAhead, html, StringComparison.Ordinal);
        }

        using (var sent = await LinkForm.PostAsync(client, path, new Dictionary<string, string> { ["keuze"] = "goAhead" }))
        {
            var html = WebUtility.HtmlDecode(await sent.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
            Assert.Equal((language, direction), HtmlLangDir(html));
            Assert.Equal(thanks, H1(html));
            Assert.Contains(goAhead, html, StringComparison.Ordinal);
        }

        // Once the process has the choice, the link shows it instead of the form, still in the link's language.
        await Eventually.HoldsAsync(async () =>
        {
            var html = WebUtility.HtmlDecode(await client.GetStringAsync(path));
            return !html.Contains("name=\"keuze\"", StringComparison.Ordinal) && html.Contains(goAhead, StringComparison.Ordinal)
                && HtmlLangDir(html) == (language, direction);
        }, "the page says the choice is made", TimeSpan.FromSeconds(30));
    }

    public static TheoryData<string, string, string, string> MandateTexts => new()
    {
        { "nl", "ltr", "Mandaat bevestigen", "Uw antwoord over het mandaat is doorgegeven aan de coördinator." },
        { "en", "ltr", "Confirm the mandate", "Your answer about the mandate has been passed on to the coordinator." },
        { "ar", "rtl", "تأكيد التفويض", "تم إرسال إجابتك بشأن التفويض إلى المنسق." },
    };

    [Theory]
    [MemberData(nameof(MandateTexts))]
    public async Task MandatePage_InTheLinksLanguage_NamesTheGroup_AndThanksInThatLanguage(string language, string direction, string heading, string thanks)
    {
        var id = await StartAsync();
        var path = await LinkPathAsync(LinkPurpose.Mandate, id, "1", language);
        using var client = CoordinatorBrowser.NewClient(app);

        using (var page = await client.GetAsync(path))
        {
            var html = WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal((language, direction), HtmlLangDir(html));
            Assert.Equal(heading, H1(html));
            Assert.Contains("<strong><bdi>gemeente</bdi></strong>", html, StringComparison.Ordinal);
        }

        using var sent = await LinkForm.PostAsync(client, path, new Dictionary<string, string> { ["mandaat"] = "ja" });
        var answer = WebUtility.HtmlDecode(await sent.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        Assert.Equal((language, direction), HtmlLangDir(answer));
        Assert.Contains(thanks, answer, StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> PostKeepingTheQueryAsync(HttpClient client, string pathAndQuery, Dictionary<string, string> fields)
    {
        fields[LinkForm.TokenField] = await LinkForm.TokenAsync(client, pathAndQuery);
        using var content = new FormUrlEncodedContent(fields);
        return await client.PostAsync(pathAndQuery, content);
    }

    private static void OpenSignUp(JsonObject definition) =>
        definition["signUp"] = new JsonObject { ["groups"] = new JsonArray("inwoners") };

    private async Task<string> StartAsync(Action<JsonObject>? change = null)
    {
        var start = DateTime.UtcNow.AddDays(30);
        var definition = LiveDefinitions.ThreePeople(run, "Taal " + run, start, start.AddHours(2), new JsonObject { ["replyDeadline"] = "P7D" });
        change?.Invoke(definition);
        using var response = await app.Client.PostAsJsonAsync("/api/processes", new JsonObject { ["definition"] = definition });
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var id = (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        await Eventually.HoldsAsync(async () => await FindAsync(id, "Greet") is not null, "the invitations are out", TimeSpan.FromSeconds(30));
        return id;
    }

    private async Task<ParticipantRecord?> FindAsync(string id, string name) =>
        (await app.Services.GetRequiredService<ParticipantDirectory>().ListAsync(id, CancellationToken.None)).FirstOrDefault(p => p.Name == name);

    private async Task<ParticipantRecord> ParticipantAsync(string id, string name) =>
        await FindAsync(id, name) ?? throw new InvalidOperationException($"{name} is not in {id}.");

    /// <summary>A link as the app makes it for an e-mail in <paramref name="language"/>.</summary>
    private async Task<string> LinkPathAsync(LinkPurpose purpose, string id, string subject, string language)
    {
        var nonce = await TestLinks.NonceAsync(app.Services.GetRequiredService<Microsoft.DurableTask.Client.DurableTaskClient>(), id);
        return "/l/" + app.Services.GetRequiredService<ParticipantLinks>()
            .CreateToken(new LinkClaims(purpose, id, subject, DateTimeOffset.UtcNow.AddDays(1), nonce, language));
    }

    private static (string Lang, string Dir) HtmlLangDir(string html)
    {
        var match = HtmlTag().Match(html);
        Assert.True(match.Success, "the page has <html lang dir>");
        return (match.Groups[1].Value, match.Groups[2].Value);
    }

    private static string H1(string html) => WebUtility.HtmlDecode(Heading().Match(html).Groups[1].Value.Trim());

    [GeneratedRegex("<html lang=\"([a-z]+)\" dir=\"(ltr|rtl)\">")]
    private static partial Regex HtmlTag();

    [GeneratedRegex("<h1>([^<]*)</h1>")]
    private static partial Regex Heading();
}
