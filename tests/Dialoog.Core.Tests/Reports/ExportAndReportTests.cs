using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dialoog.Core.Actions;
using Dialoog.Core.Minutes;
using Dialoog.Core.Processes.Definition;
using Dialoog.Core.Reports;
using Dialoog.Core.Tests.Processes.Support;
using Dialoog.Core.Tests.Testing;
using Dialoog.Core.Tests.Web;
using Dialoog.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Dialoog.Core.Tests.Reports;

/// <summary>
/// Issue 20, items 2 and 3, through the real app on Azurite and MailDev: the exports (CSV and .xlsx, parsed back) and
/// the participation report (.docx, opened with the Open XML SDK), from the API with the key and from the web for the
/// signed-in coordinator, who gets only the processes they may see.
/// </summary>
[Collection(DevStackCollection.Name)]
public sealed class ExportAndReportTests(DevStackFixture stack) : IAsyncLifetime
{
    private const string Formula = "=HYPERLINK(\"http://kwaad.example\";\"klik\")";

    private readonly string run = Guid.NewGuid().ToString("N")[..8];
    private RunningApp app = null!;

    private string Carla => LiveDefinitions.Address(run, "carla");

    private string Bert => $"bert-{run}@gemeente.example";

    public async Task InitializeAsync() =>
        app = await CoordinatorBrowser.StartAppAsync(stack, "exp" + run, (Carla, "Carla", false), (Bert, "Bert", false));

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task Exports_ProcessWithRepliesAnActionAndAnInitiative_CsvAndXlsxHoldTheRows_FormulasNeutralised()
    {
        var id = await StartWithRepliesAsync(Carla);
        await AddActionAsync(id);
        await AddInitiativeAsync(id);

        using var csvResponse = await app.Client.GetAsync($"/api/processes/{id}/export.csv");
        Assert.Equal(HttpStatusCode.OK, csvResponse.StatusCode);
        Assert.Equal("text/csv", csvResponse.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"export-speelplek-{run}.csv", csvResponse.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var csv = ExportFiles.ReadCsv(await csvResponse.Content.ReadAsByteArrayAsync());
        Assert.Equal(5, csv.Count);
        Assert.All(csv, row => Assert.Equal(id, row["Traject"]));
        var people = csv.Where(r => r["Soort"] == "Deelnemer").ToDictionary(r => r["Naam"], r => r);
        Assert.Equal(["Anna", "Bram", "Greet"], people.Keys.Order());
        Assert.Equal(("ja", "inwoners", LiveDefinitions.Address(run, "anna"), "telefoon", "alle bijeenkomsten"),
            (people["Anna"]["Antwoord"], people["Anna"]["Groep"], people["Anna"]["E-mail"], people["Anna"]["Antwoord via"], people["Anna"]["Geldt voor"]));
        Assert.Equal("nee", people["Bram"]["Antwoord"]);
        Assert.Equal("misschien", people["Greet"]["Antwoord"]);
        // The remark someone typed as a formula is text with a leading apostrophe: Excel shows it, never runs it.
        Assert.Equal("'" + Formula, people["Anna"]["Opmerking"]);
        var action = Assert.Single(csv, r => r["Soort"] == "Afspraak");
        Assert.Equal(("a1", "Speelplek schetsen", "Henk", "bezig", "Schets is half af", "1"),
            (action["Nummer"], action["Titel"], action["Eigenaar"], action["Status"], action["Toelichting"], action["Aantal updates"]));
        var history = action["Geschiedenis"].Split('\n');
        Assert.Equal(2, history.Length);
        Assert.EndsWith(": open", history[0], StringComparison.Ordinal);
        Assert.EndsWith(": bezig (Schets is half af)", history[1], StringComparison.Ordinal);
        var initiative = Assert.Single(csv, r => r["Soort"] == "Initiatief");
        Assert.Equal(("Moestuin bij de school", "Anna", "open"), (initiative["Titel"], initiative["Ingediend door"], initiative["Status"]));
        Assert.EndsWith(": open", initiative["Geschiedenis"], StringComparison.Ordinal); // written by the real follow-up

        // Closing it through the API adds to its history, as the follow-up records the change.
        using (var closed = await app.Client.PostAsJsonAsync($"/api/processes/{id}/initiatives/{initiative["Nummer"]}/close", new { reason = "Past bij het speelplekplan" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, closed.StatusCode);
        }

        string[] closedHistory = [];
        await Eventually.HoldsAsync(
            async () => (closedHistory = Assert.Single(ExportFiles.ReadCsv(await app.Client.GetByteArrayAsync($"/api/processes/{id}/export.csv")), r => r["Soort"] == "Initiatief")["Geschiedenis"].Split('\n')).Length == 2,
            "the closed initiative has two changes",
            TimeSpan.FromSeconds(20));
        Assert.EndsWith(": gesloten (Past bij het speelplekplan)", closedHistory[1], StringComparison.Ordinal);

        using var xlsxResponse = await app.Client.GetAsync($"/api/processes/{id}/export.xlsx");
        Assert.Equal(HttpStatusCode.OK, xlsxResponse.StatusCode);
        Assert.Equal(XlsxExport.ContentType, xlsxResponse.Content.Headers.ContentType?.MediaType);
        var (sheets, formulas) = ExportFiles.ReadXlsx(await xlsxResponse.Content.ReadAsByteArrayAsync());
        Assert.Equal([ExportTables.ParticipantsSheet, ExportTables.ItemsSheet], sheets.Keys.ToArray());
        Assert.Equal(0, formulas);
        var rows = sheets[ExportTables.ParticipantsSheet].ToDictionary(r => r["Naam"], r => r);
        Assert.Equal(["Anna", "Bram", "Greet"], rows.Keys.Order());
        Assert.Equal(("ja", "nee", "misschien"), (rows["Anna"]["Antwoord"], rows["Bram"]["Antwoord"], rows["Greet"]["Antwoord"]));
        Assert.Equal(Formula, rows["Anna"]["Opmerking"]); // a text cell: shown as typed, no formula in the sheet (counted above)
        var items = sheets[ExportTables.ItemsSheet];
        Assert.Equal(["Afspraak", "Initiatief"], items.Select(i => i["Soort"]).ToArray());
        Assert.Equal("gesloten", items[1]["Status"]);
        Assert.Equal(("bezig", "1"), (items[0]["Status"], items[0]["Aantal updates"]));
        Assert.Equal(action["Geschiedenis"], items[0]["Geschiedenis"]);

        // Described for API users.
        var paths = (await app.Client.GetFromJsonAsync<JsonObject>("/openapi/v1.json"))!["paths"]!;
        foreach (var path in new[] { "/api/processes/{id}/export.csv", "/api/processes/{id}/export.xlsx", "/api/processes/{id}/report.docx", "/api/exports/processes.csv", "/api/exports/processes.xlsx" })
        {
            Assert.True(paths[path]?["get"]?["summary"] is not null, path + " is in the OpenAPI document");
        }
    }

    [Fact]
    public async Task Exports_AnotherCoordinatorGets404_AndTheirAllProcessesExportLeavesTheProcessOut()
    {
        var carlas = await StartWithRepliesAsync(Carla);
        var berts = await StartWithRepliesAsync(Bert);

        using var bert = await CoordinatorBrowser.SignedInAsync(app, Bert);
        foreach (var path in new[] { "export.csv", "export.xlsx", "participatieverslag.docx" })
        {
            using var refused = await bert.GetAsync($"/trajecten/{carlas}/{path}");
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
            Assert.DoesNotContain("Anna", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            using var own = await bert.GetAsync($"/trajecten/{berts}/{path}");
            Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        }

        var bertsAll = ExportFiles.ReadCsv(await bert.GetByteArrayAsync("/trajecten/export.csv"));
        Assert.Contains(bertsAll, r => r["Traject"] == berts);
        Assert.DoesNotContain(bertsAll, r => r["Traject"] == carlas);
        var (bertsSheets, _) = ExportFiles.ReadXlsx(await bert.GetByteArrayAsync("/trajecten/export.xlsx"));
        Assert.Equal([berts], bertsSheets[ExportTables.ParticipantsSheet].Select(r => r["Traject"]).Distinct().ToArray());

        using var carla = await CoordinatorBrowser.SignedInAsync(app, Carla);
        var carlasAll = ExportFiles.ReadCsv(await carla.GetByteArrayAsync("/trajecten/export.csv"));
        Assert.Equal([carlas], carlasAll.Select(r => r["Traject"]).Distinct().ToArray());

        // The buttons: on the process page and on the dashboard.
        var page = await carla.GetStringAsync($"/trajecten/{carlas}");
        Assert.Contains($"href=\"/trajecten/{carlas}/export.xlsx\"", page, StringComparison.Ordinal);
        Assert.Contains($"href=\"/trajecten/{carlas}/participatieverslag.docx\"", page, StringComparison.Ordinal);
        var dashboard = await carla.GetStringAsync("/trajecten");
        Assert.Contains("href=\"/trajecten/export.csv\"", dashboard, StringComparison.Ordinal);

        // The API key sees every process; nobody signed out gets anything.
        var all = ExportFiles.ReadCsv(await app.Client.GetByteArrayAsync("/api/exports/processes.csv"));
        Assert.Contains(all, r => r["Traject"] == carlas);
        Assert.Contains(all, r => r["Traject"] == berts);
        using var signedOut = CoordinatorBrowser.NewClient(app);
        using (var anonymous = await signedOut.GetAsync("/trajecten/export.csv"))
        {
            Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
            Assert.StartsWith("/aanmelden", anonymous.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        }

        using (var noKey = await signedOut.GetAsync($"/api/processes/{carlas}/export.csv"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
        }

        using var unknown = await app.Client.GetAsync("/api/processes/dlg-0000000000000000/report.docx");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("Er is geen dialoogtraject", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_Docx_HasEverySection_TheCountsPerGroup_TheMinutesLink_AndWhatTheMunicipalityDid()
    {
        var id = await StartWithRepliesAsync(Carla);
        await AddActionAsync(id);
        var minutes = app.Services.GetRequiredService<MinutesStore>();
        await minutes.SaveAsync(id, "s1", "verslag.txt", "Wat we bespraken"u8.ToArray(), "Fien", DateTime.UtcNow, CancellationToken.None);

        using var response = await app.Client.GetAsync($"/api/processes/{id}/report.docx");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(WordDocument.ContentType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"participatieverslag-speelplek-{run}.docx", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var report = ExportFiles.ReadDocx(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(
            [ParticipationReport.SectionTopic, ParticipationReport.SectionPeople, ParticipationReport.SectionSessions, ParticipationReport.SectionOutcome,
             ParticipationReport.SectionItems, ParticipationReport.SectionMunicipality],
            report.Headings);
        var groups = report.Tables[0];
        Assert.Equal(ParticipationReport.GroupColumns, groups[0]);
        Assert.Equal(["inwoners", "2", "1", "1", "0", "0", "1", "ja"], groups[1]);
        Assert.Equal(["gemeente", "1", "0", "0", "1", "0", "1", "nee"], groups[2]);
        Assert.Contains("Buurthuis De Brug", report.Text, StringComparison.Ordinal);
        Assert.Contains($"Speelplek {run}", report.Text, StringComparison.Ordinal);
        var link = Assert.Single(report.Links);
        Assert.Equal($"http://localhost:7071/trajecten/{id}/verslagen/s1/1", link);
        var items = report.Tables[1];
        Assert.Equal(["Afspraak", "Speelplek schetsen"], items[1].Take(2));
        Assert.Equal("bezig", items[1][3]);
        Assert.EndsWith(": Schets is half af", items[1][4], StringComparison.Ordinal);
        Assert.Contains(ParticipationReport.MunicipalityToComplete, report.Text, StringComparison.Ordinal);
        // It names groups and counts, not people.
        Assert.DoesNotContain("Anna", report.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Henk", report.Text, StringComparison.Ordinal);

        // The link in the report works for the coordinator, and for nobody else.
        using var carla = await CoordinatorBrowser.SignedInAsync(app, Carla);
        Assert.Equal("Wat we bespraken", await carla.GetStringAsync(new Uri(link).PathAndQuery));
        using var bert = await CoordinatorBrowser.SignedInAsync(app, Bert);
        using (var other = await bert.GetAsync(new Uri(link).PathAndQuery))
        {
            Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        }

        // Built fresh: after the coordinator stops the process with a reason, the last section says it.
        using (var cancelled = await app.Client.PostAsJsonAsync($"/api/processes/{id}/cancel", new { reason = "De buurt koos voor een moestuin; de gemeente legt die aan." }))
        {
            Assert.Equal(HttpStatusCode.Accepted, cancelled.StatusCode);
        }

        await Eventually.HoldsAsync(
            async () => ExportFiles.ReadDocx(await carla.GetByteArrayAsync($"/trajecten/{id}/participatieverslag.docx")).Text
                .Contains("De buurt koos voor een moestuin; de gemeente legt die aan.", StringComparison.Ordinal),
            "the report says what the coordinator wrote when stopping",
            TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task ErasedPerson_IsAbsentFromTheExportsAndTheReport_TheOthersStay()
    {
        var id = await StartWithRepliesAsync(Carla);
        var anna = LiveDefinitions.Address(run, "anna");
        using (var erase = await app.Client.PostAsJsonAsync("/api/privacy/erase", new { email = anna }))
        {
            Assert.True(erase.StatusCode == HttpStatusCode.OK, await erase.Content.ReadAsStringAsync());
        }

        await Eventually.HoldsAsync(
            async () => !(await app.Client.GetStringAsync($"/api/processes/{id}")).Contains(anna, StringComparison.OrdinalIgnoreCase),
            "Anna is erased from the process",
            TimeSpan.FromSeconds(20));

        var csvBytes = await app.Client.GetByteArrayAsync($"/api/processes/{id}/export.csv");
        var csv = ExportFiles.ReadCsv(csvBytes);
        Assert.Equal(["Bram", "Greet"], csv.Select(r => r["Naam"]).Order());
        var csvText = System.Text.Encoding.UTF8.GetString(csvBytes);
        Assert.DoesNotContain("Anna", csvText, StringComparison.Ordinal);
        Assert.DoesNotContain("Gewiste", csvText, StringComparison.Ordinal);
        Assert.DoesNotContain("HYPERLINK", csvText, StringComparison.Ordinal); // her remark went with her

        var (sheets, _) = ExportFiles.ReadXlsx(await app.Client.GetByteArrayAsync("/api/exports/processes.xlsx"));
        var mine = sheets[ExportTables.ParticipantsSheet].Where(r => r["Traject"] == id).ToList();
        Assert.Equal(["Bram", "Greet"], mine.Select(r => r["Naam"]).Order());
        Assert.DoesNotContain(sheets.Values.SelectMany(s => s).SelectMany(r => r.Values), v => v.Contains(anna, StringComparison.OrdinalIgnoreCase));

        // The report still counts her yes (the process does), without her.
        var report = ExportFiles.ReadDocx(await app.Client.GetByteArrayAsync($"/api/processes/{id}/report.docx"));
        Assert.Equal(["inwoners", "2", "1", "1", "0", "0", "1", "ja"], report.Tables[0][1]);
        Assert.DoesNotContain("Anna", report.Text, StringComparison.Ordinal);
    }

    /// <summary>
    /// Starts the three-person process for <paramref name="coordinator"/> and notes the answers as the coordinator
    /// would after a phone call: Anna yes (with a remark typed as a formula), Bram no, Greet maybe.
    /// </summary>
    private async Task<string> StartWithRepliesAsync(string coordinator)
    {
        var start = DateTime.UtcNow.AddDays(30);
        var definition = LiveDefinitions.ThreePeople(run, "Speelplek " + run, start, start.AddHours(2), new JsonObject { ["replyDeadline"] = "P7D" });
        definition["coordinator"]!["email"] = coordinator;
        using var started = await app.Client.PostAsJsonAsync("/api/processes", new JsonObject { ["definition"] = definition });
        Assert.True(started.StatusCode == HttpStatusCode.Accepted, await started.Content.ReadAsStringAsync());
        var id = (await started.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();

        foreach (var (participant, answer, note) in new[] { ("p1", "yes", Formula), ("p2", "no", "Ik ben op vakantie"), ("p3", "maybe", null) })
        {
            await Eventually.HoldsAsync(
                async () =>
                {
                    using var noted = await app.Client.PostAsJsonAsync($"/api/processes/{id}/participants/{participant}/reply", new { answer, channel = "phone", note });
                    return noted.StatusCode == HttpStatusCode.Accepted;
                },
                $"the answer of {participant} is taken",
                TimeSpan.FromSeconds(20));
        }

        await Eventually.HoldsAsync(
            async () =>
            {
                var details = (await app.Client.GetFromJsonAsync<JsonObject>($"/api/processes/{id}"))!;
                return details["participants"]!.AsArray().All(p => p!["answer"] is not null)
                    && details["status"]?["groups"]?.AsArray().Sum(g => g!["noReply"]!.GetValue<int>()) == 0;
            },
            "every answer is recorded and counted",
            TimeSpan.FromSeconds(20));
        return id;
    }

    /// <summary>An agreement as its follow-up records it: opened, recorded twice (an activity that ran again), then "bezig".</summary>
    private async Task AddActionAsync(string id)
    {
        var followUps = app.Services.GetRequiredService<FollowUpDirectory>();
        var opened = DateTime.UtcNow.AddMinutes(-10);
        var action = new FollowUpRecord(id, "a1", FollowUpKinds.Action, "Speelplek schetsen", null, new Person("Henk", LiveDefinitions.Address(run, "henk")), null,
            DateTime.UtcNow.AddDays(20), FollowUpStatus.Open, null, LadderLevels.None, opened, 0, 0);
        await followUps.UpsertAsync(action, CancellationToken.None);
        await followUps.UpsertAsync(action, CancellationToken.None);
        await followUps.UpsertAsync(action with { Status = FollowUpStatus.InProgress, Reason = "Schets is half af", LastUpdateUtc = opened.AddMinutes(5), Updates = 1 }, CancellationToken.None);
    }

    /// <summary>An initiative through the public API, confirmed through the link in its e-mail, as residents do.</summary>
    private async Task AddInitiativeAsync(string id)
    {
        var initiative = new InitiativeBody("Moestuin bij de school", "Samen een moestuin aanleggen.", "Anna", LiveDefinitions.Address(run, "anna"));
        using (var submitted = await app.Client.PostAsJsonAsync($"/api/processes/{id}/initiatives", initiative))
        {
            Assert.True(submitted.IsSuccessStatusCode, await submitted.Content.ReadAsStringAsync());
        }

        using (var confirmed = await InitiativeMail.ConfirmAsync(app, stack, LiveDefinitions.Address(run, "anna")))
        {
            Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        }

        var followUps = app.Services.GetRequiredService<FollowUpDirectory>();
        await Eventually.HoldsAsync(
            async () => (await followUps.ListAsync(id, FollowUpKinds.Initiative, CancellationToken.None)).Count == 1,
            "the initiative is followed",
            TimeSpan.FromSeconds(20));
    }
}
