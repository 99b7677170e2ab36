using System.Net;
using System.Net.Http.Json;
using Dialoog.Core.Engine;
using Microsoft.DurableTask.Client;
using Dialoog.Core.Actions;
using Dialoog.Core.Processes;
using Dialoog.Core.Tests.Processes.Support;
using Dialoog.Core.Tests.Testing;
using Dialoog.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Dialoog.Core.Tests.Web;

/// <summary>
/// The buttons on the process page that end things: close an initiative, close the process (refused while sessions
/// are planned) and cancel it. Forms as a browser posts them, with the antiforgery token, against the real app on Azurite.
/// </summary>
[Collection(DevStackCollection.Name)]
public sealed class ProcessPageButtonsTests(DevStackFixture stack)
{
    [Fact]
    public async Task CloseInitiative_CloseProcessWhileSessionsArePlanned_ThenCancelTheProcess()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        await using var app = await CoordinatorBrowser.StartAppAsync(stack, "knop" + run, (LiveDefinitions.Address(run, "carla"), "Carla", false));
        var id = await CoordinatorBrowser.StartProcessAsync(app, run);

        // An initiative through the public API, once the process runs.
        var initiative = new InitiativeBody("Moestuin bij de school", "Samen een moestuin aanleggen.", "Anna", LiveDefinitions.Address(run, "anna"));
        await Eventually.HoldsAsync(
            async () =>
            {
                using var submitted = await app.Client.PostAsJsonAsync($"/api/processes/{id}/initiatives", initiative);
                return submitted.IsSuccessStatusCode;
            },
            "the initiative is accepted",
            TimeSpan.FromSeconds(20));
        using (var confirmed = await InitiativeMail.ConfirmAsync(app, stack, LiveDefinitions.Address(run, "anna")))
        {
            Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        }

        var followUps = app.Services.GetRequiredService<FollowUpDirectory>();
        IReadOnlyList<FollowUpRecord> items = [];
        await Eventually.HoldsAsync(async () => (items = await followUps.ListAsync(id, null, CancellationToken.None)).Count == 1, "the initiative is followed", TimeSpan.FromSeconds(20));
        var item = items[0];

        using var carla = await CoordinatorBrowser.SignedInAsync(app, LiveDefinitions.Address(run, "carla"));
        var page = await carla.GetStringAsync($"/trajecten/{id}");
        Assert.Contains("Initiatief sluiten", page, StringComparison.Ordinal);
        Assert.Contains("Traject annuleren", page, StringComparison.Ordinal);

        // Close the initiative: post, redirect, and the follow-up ends as "gesloten".
        using (var closed = await PostAsync(carla, id, "CloseItem", ("itemId", item.Id), ("reason", "Past niet in dit traject.")))
        {
            Assert.Equal(HttpStatusCode.Redirect, closed.StatusCode);
            Assert.Equal($"/trajecten/{id}?bericht=gesloten", closed.Headers.Location!.OriginalString);
        }

        await Eventually.HoldsAsync(async () => (await followUps.FindAsync(id, item.Id, CancellationToken.None))?.Status == FollowUpStatus.Closed, "the initiative is closed", TimeSpan.FromSeconds(20));
        using (var again = await PostAsync(carla, id, "CloseItem", ("itemId", item.Id)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
            Assert.Contains("is al gesloten", WebUtility.HtmlDecode(await again.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        }

        // Closing the process waits for the last session; the page says to cancel instead, and nothing changes.
        using (var tooEarly = await PostAsync(carla, id, "CloseProcess"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, tooEarly.StatusCode);
            Assert.Contains("Annuleer dan het traject", WebUtility.HtmlDecode(await tooEarly.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        }

        using (var cancelled = await PostAsync(carla, id, "CancelProcess", ("reason", "Het budget is op.")))
        {
            Assert.Equal(HttpStatusCode.Redirect, cancelled.StatusCode);
            Assert.Equal($"/trajecten/{id}?bericht=traject-geannuleerd", cancelled.Headers.Location!.OriginalString);
        }

        var done = await app.Services.GetRequiredService<DurableTaskClient>().WaitForCompletionAsync(id, TimeSpan.FromSeconds(30), getInputsAndOutputs: true);
        Assert.Equal(Phases.Cancelled, done.ReadCustomStatusAs<ProcessStatus>()!.Phase);
        using (var stopped = await PostAsync(carla, id, "CancelProcess"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, stopped.StatusCode);
        }
    }

    [Fact]
    public async Task AfterTheLastMinutes_PageSaysUntilWhen_AddAgreementsForm_RefusesEmpty_ThenAdds()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        await using var app = await CoordinatorBrowser.StartAppAsync(stack, "venster" + run, (LiveDefinitions.Address(run, "carla"), "Carla", false));
        var id = await Processes.FollowUpApiTests.StartAsync(app, run);
        var client = app.Services.GetRequiredService<DurableTaskClient>();
        await Eventually.HoldsAsync(async () => (await client.GetInstanceAsync(id, getInputsAndOutputs: true))?.ReadCustomStatusAs<ProcessStatus>()?.Phase == Phases.FollowUp,
            "the session has been held", TimeSpan.FromSeconds(40));
        using var carla = await CoordinatorBrowser.SignedInAsync(app, LiveDefinitions.Address(run, "carla"));

        // Minutes with their agreements written in: the result page proposes them in the form and adds nothing yet.
        using (var form = new MultipartFormDataContent())
        {
            form.Add(new StringContent("s1"), "sessionId");
            form.Add(new StringContent(await LinkForm.TokenAsync(carla, $"/trajecten/{id}")), LinkForm.TokenField);
            form.Add(new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes("Verslag\n\nAfspraken:\n- Speelplek schetsen; Anna\n")), "file", "verslag.txt");
            using var uploaded = await carla.PostAsync($"/trajecten/{id}?handler=Minutes", form);
            Assert.Equal(HttpStatusCode.OK, uploaded.StatusCode);
            var result = WebUtility.HtmlDecode(await uploaded.Content.ReadAsStringAsync());
            Assert.Contains("In het verslag staan deze afspraken. Ze zijn nog niet toegevoegd.", result, StringComparison.Ordinal);
            Assert.Contains(">Speelplek schetsen; Anna</textarea>", result, StringComparison.Ordinal);
        }

        await Eventually.HoldsAsync(async () => (await client.GetInstanceAsync(id, getInputsAndOutputs: true))?.ReadCustomStatusAs<ProcessStatus>()?.WindowEndsUtc is not null, "the window runs");
        var page = WebUtility.HtmlDecode(await carla.GetStringAsync($"/trajecten/{id}"));
        Assert.Matches(@"Tot en met \w+ \d+ \w+ \d{4}, \d\d\.\d\d uur kunt u nog een nieuwe versie van het verslag of afspraken toevoegen\.", page);
        Assert.Contains("Afspraken toevoegen", page, StringComparison.Ordinal);

        using (var empty = await PostAsync(carla, id, "AddActions", ("sessionId", "s1"), ("actions", "  ")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
            Assert.Contains("Vul minstens één afspraak in", WebUtility.HtmlDecode(await empty.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        }

        var followUps = app.Services.GetRequiredService<FollowUpDirectory>();
        Assert.Empty(await followUps.ListAsync(id, null, CancellationToken.None));
        var due = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(20).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        using (var added = await PostAsync(carla, id, "AddActions", ("sessionId", "s1"), ("actions", $"Speelplek schetsen; Anna; {LiveDefinitions.Address(run, "anna")}; {due}")))
        {
            Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
            Assert.Equal($"/trajecten/{id}?bericht=afspraken", added.Headers.Location!.OriginalString);
        }

        await Eventually.HoldsAsync(async () => (await followUps.ListAsync(id, null, CancellationToken.None)).Count == 1, "the agreement is followed", TimeSpan.FromSeconds(20));
        Assert.Contains((await client.GetInstanceAsync(id, getInputsAndOutputs: true))!.ReadCustomStatusAs<ProcessStatus>()!.Timeline,
            t => t.Text == "Carla heeft bij 'Gesprek' een afspraak toegevoegd: 'Speelplek schetsen'.");
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
