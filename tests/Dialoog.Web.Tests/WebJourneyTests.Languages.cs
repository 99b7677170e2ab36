using System.Text.Json.Nodes;
using Dialoog.Core.Links;
using Dialoog.Core.Tests.Testing;
using Dialoog.Testing;
using Microsoft.Playwright;

namespace Dialoog.Web.Tests;

/// <summary>The participant pages in another language and script, and open sign-up from a phone (issue 17, item 6).</summary>
public sealed partial class WebJourneyTests
{
    [Fact]
    public async Task Participant_InArabic_RepliesByKeyboard_ThePageIsRightToLeftAndPassesAxe()
    {
        var email = $"samira-{run}@example.org";
        await StartThroughApiAsync(email);
        var invitation = (await new MailDevInbox(stack.MailDevApi).WaitForAsync(email, _ => true))[0];
        var yes = LinkPattern().Matches(invitation.TextBody ?? "").Select(m => m.Value).First(l => l.EndsWith("k=yes", StringComparison.Ordinal));

        var page = await context.NewPageAsync();
        await page.GotoAsync(BaseUrl + new Uri(yes).PathAndQuery + "&taal=ar");
        Assert.Equal("ar", await page.GetAttributeAsync("html", "lang"));
        Assert.Equal("rtl", await page.GetAttributeAsync("html", "dir"));
        Assert.Equal("rtl", await page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('main')).direction"));
        Assert.Equal("ردّك", await page.InnerTextAsync("h1"));
        Assert.True(await page.IsCheckedAsync("input[name=antwoord][value=yes]"), "the answer from the e-mail is preselected");
        await CheckAsync(page, "reactie-arabisch");

        // Keyboard only: to the ticked answer, one down to "no", to the button, Enter.
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("انتقل إلى المحتوى", await page.EvaluateAsync<string>("() => document.activeElement.textContent"));
        await TabToAsync(page, "input[name=antwoord]:checked");
        await page.Keyboard.PressAsync("ArrowDown");
        Assert.True(await page.IsCheckedAsync("input[name=antwoord][value=no]"), "the arrow key moved the choice to no");
        await TabToAsync(page, "button[type=submit]");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("h1:has-text('شكراً لك')");
        Assert.Contains("لا، لا أستطيع الحضور", await page.InnerTextAsync("main"), StringComparison.Ordinal);
        Assert.Equal("rtl", await page.GetAttributeAsync("html", "dir"));
        await CheckAsync(page, "reactie-arabisch-bedankt");
    }

    [Fact]
    public async Task Coordinator_DecidesThroughTheMailsLink_InArabic_ThePageIsRightToLeftAndPassesAxe()
    {
        // Nobody replies: at the deadline (4 seconds) the group misses its minimum and the coordinator gets decision links.
        var start = DateTime.UtcNow.AddDays(30).Date.AddHours(18);
        await StartThroughApiAsync($"bram-{run}@example.org", start, start.AddHours(2), new JsonObject { ["replyDeadline"] = "PT4S", ["decisionTimeout"] = "PT2M" });
        var mail = (await new MailDevInbox(stack.MailDevApi).WaitForAsync(Coordinator, m => (m.TextBody ?? "").Contains("k=goAhead", StringComparison.Ordinal)))[0];
        var goAhead = LinkPattern().Matches(mail.TextBody ?? "").Select(m => m.Value).First(l => l.EndsWith("k=goAhead", StringComparison.Ordinal));

        var page = await context.NewPageAsync();
        await page.GotoAsync(BaseUrl + new Uri(goAhead).PathAndQuery + "&taal=ar");
        Assert.Equal("ar", await page.GetAttributeAsync("html", "lang"));
        Assert.Equal("rtl", await page.GetAttributeAsync("html", "dir"));
        Assert.Equal("نحتاج إلى اختيارك", await page.InnerTextAsync("h1"));
        Assert.True(await page.IsCheckedAsync("input[name=keuze][value=goAhead]"), "the choice from the e-mail is preselected");
        await CheckAsync(page, "keuze-arabisch");

        await page.ClickAsync("button[type=submit]");
        await page.WaitForSelectorAsync("h1:has-text('شكراً لك')");
        Assert.Contains("المتابعة رغم ذلك", await page.InnerTextAsync("main"), StringComparison.Ordinal);
        Assert.Equal("rtl", await page.GetAttributeAsync("html", "dir"));
        await CheckAsync(page, "keuze-arabisch-bedankt");
    }

    [Fact]
    public async Task SignUp_OnAPhone_FixesAnError_ConfirmsThroughTheEmail_EveryPageFitsAndPassesAxe()
    {
        var start = DateTime.UtcNow.AddDays(30).Date.AddHours(18);
        var id = await StartThroughApiAsync($"anna-{run}@example.org", start, start.AddHours(2), new JsonObject(),
            change: definition => definition["signUp"] = new JsonObject { ["groups"] = new JsonArray("inwoners") });
        await using var phone = await NewContextAsync(new ViewportSize { Width = 390, Height = 844 });
        var page = await phone.NewPageAsync();

        // The page in Arabic fits the phone too.
        await page.GotoAsync(BaseUrl + SignUpLinks.PathFor(id) + "?taal=ar");
        Assert.Equal("rtl", await page.GetAttributeAsync("html", "dir"));
        Assert.True(await FitsAsync(page), "the Arabic sign-up page needs no sideways scrolling");
        await CheckAsync(page, "meedoen-arabisch-telefoon");

        await page.GotoAsync(BaseUrl + SignUpLinks.PathFor(id));
        Assert.Equal("Meedoen", await page.InnerTextAsync("h1"));
        Assert.True(await FitsAsync(page), "the sign-up page needs no sideways scrolling");
        await CheckAsync(page, "meedoen-telefoon");

        // Forgot the name: the error is shown next to the field, and what was typed stays.
        var email = $"yusuf-{run}@example.org";
        await page.FillAsync("#email", email);
        await page.ClickAsync("button:has-text('Ja, ik kom')");
        await page.WaitForSelectorAsync("[data-error-summary]");
        Assert.Contains("Vul uw naam in", await page.InnerTextAsync("#name-error"), StringComparison.Ordinal);
        Assert.Equal(email, await page.InputValueAsync("#email"));
        await CheckAsync(page, "meedoen-telefoon-fout");

        await page.FillAsync("#name", "Yusuf");
        await page.ClickAsync("button:has-text('Ja, ik kom')");
        await page.WaitForSelectorAsync("h1:has-text('Kijk in uw e-mail')");
        await CheckAsync(page, "meedoen-telefoon-kijk-in-uw-email");

        // The confirmation e-mail in MailDev, its link on the phone, and the button.
        var confirm = await LinkFromMailAsync(new MailDevInbox(stack.MailDevApi), email, "confirmSignUp");
        await page.GotoAsync(BaseUrl + confirm);
        Assert.Equal("Bevestig uw aanmelding", await page.InnerTextAsync("h1"));
        Assert.Contains("Yusuf", await page.InnerTextAsync("main"), StringComparison.Ordinal);
        Assert.True(await FitsAsync(page), "the confirmation page needs no sideways scrolling");
        await CheckAsync(page, "meedoen-telefoon-bevestigen");
        await page.ClickAsync("button:has-text('Ja, meld mij aan')");
        await page.WaitForSelectorAsync("h1:has-text('U bent aangemeld')");
        Assert.Contains("Uw aanmelding is bevestigd", await page.InnerTextAsync("main"), StringComparison.Ordinal);
        await CheckAsync(page, "meedoen-telefoon-aangemeld");
    }
}
