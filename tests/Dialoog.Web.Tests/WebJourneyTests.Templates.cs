using System.Globalization;
using System.Text.RegularExpressions;
using Dialoog.Core.Processes;
using Dialoog.Core.Processes.Definition;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Dialoog.Web.Tests;

public sealed partial class WebJourneyTests
{
    [Fact]
    public async Task Coordinator_PicksATemplate_SeesItsDaysAsDates_ChangesOne_ChoosesTheDecision_AndStarts()
    {
        var page = await context.NewPageAsync();
        await SignInAsync(page);
        await page.SelectOptionAsync("#sjabloon", "bewonersdialoog-bouwplan");
        await page.ClickAsync("button:has-text('Sjabloon gebruiken')");
        await page.WaitForURLAsync(new Regex("sjabloon=bewonersdialoog-bouwplan"), new PageWaitForURLOptions { WaitUntil = WaitUntilState.DOMContentLoaded });

        // The template's "21 and 56 days after today" are shown as dates, its sign-up as ticked groups.
        var today = DateOnly.FromDateTime(AmsterdamTime.FromUtc(DateTime.UtcNow));
        Assert.Equal(Day(today.AddDays(21)), await page.InputValueAsync("#sessions-0-start"));
        Assert.Equal(Day(today.AddDays(56)), await page.InputValueAsync("#sessions-1-start"));
        Assert.True(await page.IsCheckedAsync("#groups-0-signUp"), "omwonenden may sign up, as the template says");
        Assert.False(await page.IsCheckedAsync("#policy-defaultDecision") || await page.IsCheckedAsync("#policy-defaultDecision-goAhead"), "no decision is chosen for the coordinator");
        await CheckAsync(page, "startformulier-sjabloon");

        var moved = today.AddDays(24);
        await page.FillAsync("#topic", "Bouwplan " + run);
        await page.FillAsync("#area", "Gemeente Voorbeeld, wijk De Linden");
        await page.FillAsync("#escalationContact-name", "Mark Manager");
        await page.FillAsync("#escalationContact-email", $"mark-{run}@gemeente.example");
        await page.ClickAsync("summary:has-text('Een lijst plakken')");
        await page.FillAsync("#paste", string.Join('\n',
            [.. Enumerable.Range(1, 3).Select(i => $"Omwonende {i} <o{i}-{run}@example.org>; omwonenden"),
             .. Enumerable.Range(1, 2).Select(i => $"Inwoner {i} <i{i}-{run}@example.org>; inwoners"),
             $"Greet <greet-{run}@gemeente.example>; gemeente",
             $"Bert <bert-{run}@example.org>; bouwer of corporatie"]));
        await page.FillAsync("#sessions-0-start", Day(moved));
        await page.FillAsync("#sessions-0-startTime", "19:00");
        await page.FillAsync("#sessions-0-end", "21:15");
        await page.FillAsync("#sessions-0-location", "Buurthuis De Brug");
        await page.FillAsync("#sessions-1-location", "Buurthuis De Brug");
        await page.ClickAsync("button[value=start]");

        // Not chosen yet: the form asks, keeps what was typed, and nothing starts.
        await page.WaitForSelectorAsync("[data-error-summary]");
        Assert.Contains("Kies wat er gebeurt als een groep ontbreekt", await page.InnerTextAsync("[data-error-summary]"), StringComparison.Ordinal);
        Assert.Equal(Day(moved), await page.InputValueAsync("#sessions-0-start"));
        await CheckAsync(page, "startformulier-sjabloon-fout");

        await page.CheckAsync("#policy-defaultDecision");
        await page.ClickAsync("button[value=start]");
        await page.WaitForURLAsync(new Regex("/trajecten/dlg-[0-9a-f]+"), new PageWaitForURLOptions { WaitUntil = WaitUntilState.DOMContentLoaded });
        Assert.Equal("Bouwplan " + run, await page.InnerTextAsync("h1"));

        var id = new Uri(page.Url).AbsolutePath.Split('/')[2];
        var instance = await app.Services.GetRequiredService<DurableTaskClient>().GetInstanceAsync(id, getInputsAndOutputs: true);
        var definition = instance!.ReadInputAs<DialogueProcessInput>()!.Definition;
        Assert.Equal(moved.ToDateTime(new TimeOnly(19, 0)), definition.Sessions[0].Start);
        Assert.Equal(moved.ToDateTime(new TimeOnly(21, 15)), definition.Sessions[0].End);
        Assert.Equal(today.AddDays(56).ToDateTime(new TimeOnly(19, 30)), definition.Sessions[1].Start);
        Assert.Equal(["ophalen", "terugkoppelen"], definition.Sessions.Select(s => s.Id));
        Assert.Equal(["omwonenden", "inwoners"], definition.SignUp!.Groups);
        Assert.Equal(DecisionChoices.Cancel, definition.Policy.DefaultDecision);
        await CheckAsync(page, "traject-uit-sjabloon");
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
