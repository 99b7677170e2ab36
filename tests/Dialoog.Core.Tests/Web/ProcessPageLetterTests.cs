using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Dialoog.Core.Processes.Definition;
using Dialoog.Core.Tests.Letters;
using Dialoog.Core.Tests.Processes.Support;
using Dialoog.Core.Tests.Testing;
using Dialoog.Testing;

namespace Dialoog.Core.Tests.Web;

/// <summary>
/// The letter for residents through the real app on Azurite: from the JSON API with the key, and from the process page
/// for the coordinator whose process it is (anyone else gets a 404, as for the page itself).
/// </summary>
[Collection(DevStackCollection.Name)]
public sealed class ProcessPageLetterTests(DevStackFixture stack) : IAsyncLifetime
{
    private const string Phone = "06-12345678";
    private static readonly CultureInfo Dutch = CultureInfo.GetCultureInfo("nl-NL");

    private readonly string run = Guid.NewGuid().ToString("N")[..8];
    private RunningApp app = null!;

    public async Task InitializeAsync() =>
        app = await CoordinatorBrowser.StartAppAsync(stack, "brief" + run, (LiveDefinitions.Address(run, "carla"), "Carla", false), ("bert@gemeente.example", "Bert", false));

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task Api_LetterPdf_IsTheProcessesLetter_WithAQrCodeForItsSignUpPage()
    {
        var (id, startUtc) = await StartAsync();

        using var response = await app.Client.GetAsync($"/api/processes/{id}/letter.pdf");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal($"uitnodiging-speelplek-{run}.pdf", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var pdf = LetterPdf.Read(await response.Content.ReadAsByteArrayAsync());
        var signUpUrl = $"http://localhost:7071/meedoen/{id}"; // Dialoog:PublicBaseUrl of the test app
        Assert.Equal(1, pdf.Pages);
        Assert.Equal(LetterPdf.A4Width, pdf.PageSizes[0].Width, 0.5);
        Assert.Equal(LetterPdf.A4Height, pdf.PageSizes[0].Height, 0.5);
        var text = pdf.FlatText;
        Assert.Contains($"Speelplek {run}", text, StringComparison.Ordinal);
        Assert.Contains("Er komt een nieuwe speelplek in de wijk.", text, StringComparison.Ordinal);
        Assert.Contains(DutchSpan(startUtc), text, StringComparison.Ordinal);
        Assert.Contains("Buurthuis De Brug", text, StringComparison.Ordinal);
        Assert.Contains(signUpUrl, text, StringComparison.Ordinal);
        Assert.Contains("Carla", text, StringComparison.Ordinal);
        Assert.Contains(Phone, text, StringComparison.Ordinal);
        Assert.Equal(signUpUrl, Assert.Single(pdf.QrCodes));
    }

    [Fact]
    public async Task Api_LetterPdf_WithoutKey_Is401_AndForAnUnknownProcess_Is404ProblemInDutch()
    {
        var (id, _) = await StartAsync();

        using var anonymous = new HttpClient { BaseAddress = app.Client.BaseAddress };
        using (var refused = await anonymous.GetAsync($"/api/processes/{id}/letter.pdf"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.Contains("API-sleutel", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        foreach (var unknown in new[] { "dlg-0000000000000000", "iets-anders" })
        {
            using var missing = await app.Client.GetAsync($"/api/processes/{unknown}/letter.pdf");
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
            Assert.Contains("Er is geen dialoogtraject", (await missing.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        // Described for API users: a summary in Dutch, and a PDF as the answer.
        var operation = (await app.Client.GetFromJsonAsync<JsonObject>("/openapi/v1.json"))!["paths"]!["/api/processes/{id}/letter.pdf"]!["get"]!;
        Assert.Contains("brief voor bewoners", operation["summary"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(operation["responses"]?["200"]?["content"]?["application/pdf"] is not null, operation.ToJsonString());
    }

    [Fact]
    public async Task ProcessPage_Brief_GivesThePdfToItsCoordinator_And404ToAnother()
    {
        var (id, startUtc) = await StartAsync();

        using var carla = await CoordinatorBrowser.SignedInAsync(app, LiveDefinitions.Address(run, "carla"));
        var page = await carla.GetStringAsync($"/trajecten/{id}");
        Assert.Contains($"href=\"/trajecten/{id}?handler=Brief\">Brief voor bewoners (PDF)</a>", page, StringComparison.Ordinal);

        using (var letter = await carla.GetAsync($"/trajecten/{id}?handler=Brief"))
        {
            Assert.Equal(HttpStatusCode.OK, letter.StatusCode);
            Assert.Equal("application/pdf", letter.Content.Headers.ContentType?.MediaType);
            Assert.Equal("attachment", letter.Content.Headers.ContentDisposition?.DispositionType);
            Assert.Equal($"uitnodiging-speelplek-{run}.pdf", letter.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
            var pdf = LetterPdf.Read(await letter.Content.ReadAsByteArrayAsync());
            Assert.Contains(DutchSpan(startUtc), pdf.FlatText, StringComparison.Ordinal);
            Assert.Equal($"http://localhost:7071/meedoen/{id}", Assert.Single(pdf.QrCodes));
        }

        using var bert = await CoordinatorBrowser.SignedInAsync(app, "bert@gemeente.example");
        using (var other = await bert.GetAsync($"/trajecten/{id}?handler=Brief"))
        {
            Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
            Assert.NotEqual("application/pdf", other.Content.Headers.ContentType?.MediaType);
        }

        using var signedOut = CoordinatorBrowser.NewClient(app);
        using (var anonymous = await signedOut.GetAsync($"/trajecten/{id}?handler=Brief"))
        {
            Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
            Assert.StartsWith("/aanmelden", anonymous.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Letter_TaalEn_IsInEnglish_TaalAr_IsRefusedInDutch_OnTheApiAndThePage()
    {
        var (id, _) = await StartAsync();

        using (var english = await app.Client.GetAsync($"/api/processes/{id}/letter.pdf?taal=en"))
        {
            Assert.Equal(HttpStatusCode.OK, english.StatusCode);
            Assert.Equal($"invitation-speelplek-{run}.pdf", english.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
            var text = LetterPdf.Read(await english.Content.ReadAsByteArrayAsync()).FlatText;
            Assert.Contains("Dear resident,", text, StringComparison.Ordinal);
            Assert.Contains("When and where?", text, StringComparison.Ordinal);
            Assert.DoesNotContain("Beste bewoner", text, StringComparison.Ordinal);
        }

        using (var arabic = await app.Client.GetAsync($"/api/processes/{id}/letter.pdf?taal=ar"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, arabic.StatusCode);
            Assert.Equal("application/problem+json", arabic.Content.Headers.ContentType?.MediaType);
            var problem = (await arabic.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.Contains("nl (Nederlands) of en (Engels)", problem["errors"]!["taal"]![0]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Contains("niets opgeslagen", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        using var carla = await CoordinatorBrowser.SignedInAsync(app, LiveDefinitions.Address(run, "carla"));
        var page = await carla.GetStringAsync($"/trajecten/{id}");
        var link = Regex.Match(page, @"<a (?=[^>]*hreflang=""en"")[^>]*href=""([^""]*)""[^>]*>brief in het Engels \(PDF\)</a>");
        Assert.True(link.Success, "no link to the English letter on the process page");
        var href = WebUtility.HtmlDecode(link.Groups[1].Value);
        Assert.StartsWith($"/trajecten/{id}?", href, StringComparison.Ordinal);
        Assert.Contains("handler=Brief", href, StringComparison.Ordinal);
        Assert.Contains("taal=en", href, StringComparison.Ordinal);
        using (var letter = await carla.GetAsync($"/trajecten/{id}?handler=Brief&taal=en"))
        {
            Assert.Equal(HttpStatusCode.OK, letter.StatusCode);
            Assert.Contains("Dear resident,", LetterPdf.Read(await letter.Content.ReadAsByteArrayAsync()).FlatText, StringComparison.Ordinal);
        }

        using (var refused = await carla.GetAsync($"/trajecten/{id}?handler=Brief&taal=ar"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("Een brief in het Arabisch kan Dialoog nog niet goed maken.", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    /// <summary>Starts Carla's process with her phone number, its session at 19.30 a month ahead; the id and the session's start.</summary>
    private async Task<(string Id, DateTime StartUtc)> StartAsync()
    {
        var day = AmsterdamTime.FromUtc(DateTime.UtcNow).Date.AddDays(30);
        var startUtc = AmsterdamTime.ToUtc(day.AddHours(19.5));
        var definition = LiveDefinitions.ThreePeople(run, $"Speelplek {run}", startUtc, startUtc.AddHours(2), new JsonObject { ["replyDeadline"] = "P7D" });
        definition["description"] = "Er komt een nieuwe speelplek in de wijk. Wat vindt u belangrijk?";
        definition["coordinator"]!["phone"] = Phone;

        using var response = await app.Client.PostAsJsonAsync("/api/processes", new JsonObject { ["definition"] = definition });
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return ((await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>(), startUtc);
    }

    /// <summary>"dinsdag 12 januari 2027, 19.30 – 21.30 uur" for a two-hour session.</summary>
    private static string DutchSpan(DateTime startUtc)
    {
        var start = AmsterdamTime.FromUtc(startUtc);
        return $"{start.ToString("dddd d MMMM yyyy, HH.mm", Dutch)} – {start.AddHours(2).ToString("HH.mm", CultureInfo.InvariantCulture)} uur";
    }
}
