using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Dialoog.Core.Links;
using Dialoog.Core.Minutes;
using Dialoog.Core.Processes.Definition;
using Dialoog.Core.Tests.Testing;
using Dialoog.Core.Tests.Web;
using Dialoog.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Dialoog.Core.Tests.Minutes;

/// <summary>
/// The facilitator's upload through the personal link page, on the real app: the same streaming reader and checks as
/// the API, errors in Dutch on the page, and nothing stored when anything is wrong. The coordinator's process page
/// takes the same rule for the uploader's name.
/// </summary>
[Collection(SecondDevStackCollection.Name)]
public sealed class LinkPageUploadTests(DevStackFixture stack) : IAsyncLifetime
{
    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n");

    private readonly string run = Guid.NewGuid().ToString("N")[..8];
    private RunningApp app = null!;
    private string process = "";
    private string uploadPath = "";

    private string Carla => $"carla-{run}@gemeente.example";

    private MinutesStore Store => app.Services.GetRequiredService<MinutesStore>();

    public async Task InitializeAsync()
    {
        // Carla can sign in too, for the same upload on her process page.
        app = await CoordinatorBrowser.StartAppAsync(stack, "upl" + run, (Carla, "Carla", false));

        // A session that is over a few seconds from now: minutes can only come after it. The reply deadline (1 s) must
        // end before the start, so the start leaves room for a slow request on a busy machine.
        var start = DateTime.UtcNow.AddSeconds(8);
        using var started = await app.Client.PostAsJsonAsync("/api/processes", new JsonObject { ["definition"] = Definition(start, start.AddSeconds(1)) });
        Assert.True(started.StatusCode == HttpStatusCode.Accepted, await started.Content.ReadAsStringAsync());
        process = (await started.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        uploadPath = "/l/" + await TestLinks.TokenAsync(app.Services, LinkPurpose.MinutesUpload, process, "s1");
        await Task.Delay(start.AddSeconds(1.5) - DateTime.UtcNow);
        using var anonymous = new HttpClient { BaseAddress = app.Client.BaseAddress };
        await Eventually.HoldsAsync(async () => (await anonymous.GetAsync(uploadPath)).StatusCode == HttpStatusCode.OK, "the upload page opens");
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task NormalUpload_IsStoredWithTheUploaderAndActions()
    {
        using var browser = Browser();
        var due = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(20).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        using var form = Form("  Fien de Vries ", actions: $"Speelplek schetsen; Anna; anna-{run}@example.org; {due}");

        using var response = await LinkForm.PostAsync(browser, uploadPath, form);

        var page = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, page);
        Assert.Contains("Dank u wel", page, StringComparison.Ordinal);
        Assert.Contains("1 afspraak wordt", page, StringComparison.Ordinal);
        var stored = Assert.Single(await Store.ListAsync(process, "s1", default));
        Assert.Equal("Fien de Vries", stored.UploadedBy);
        Assert.Equal("verslag.pdf", stored.FileName);
    }

    [Theory]
    [InlineData(10_000, "te lang")]
    [InlineData(0, "onzichtbaar teken")]
    public async Task UploaderName_TooLongOrWithControlCharacters_IsRefusedInDutch_NothingStored(int length, string says)
    {
        var name = length > 0 ? new string('n', length) : "Fien\r\nBcc: evil@example.org";
        var before = (await Store.ListAsync(process, "s1", default)).Count;
        using var browser = Browser();
        using var form = Form(name);

        using var response = await LinkForm.PostAsync(browser, uploadPath, form);

        var page = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {page[..Math.Min(400, page.Length)]}");
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("De naam van wie het verslag stuurt", page, StringComparison.Ordinal);
        Assert.Contains(says, page, StringComparison.Ordinal);
        Assert.Contains("Er is niets opgeslagen", page, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('n', 300), page, StringComparison.Ordinal);
        Assert.Equal(before, (await Store.ListAsync(process, "s1", default)).Count);
    }

    /// <summary>The coordinator's own upload form on the process page takes the same rule for the name.</summary>
    [Fact]
    public async Task ProcessPage_UploaderNameOf10000Characters_IsRefusedInDutch_NothingStored()
    {
        var before = (await Store.ListAsync(process, "s1", default)).Count;
        using var carla = await CoordinatorBrowser.SignedInAsync(app, Carla);
        using var form = Form(new string('n', 10_000));
        form.Add(new StringContent("s1"), "sessionId");
        form.Add(new StringContent(await LinkForm.TokenAsync(carla, $"/trajecten/{process}")), LinkForm.TokenField);

        using var response = await carla.PostAsync($"/trajecten/{process}?handler=Minutes", form);

        var page = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {page[..Math.Min(400, page.Length)]}");
        Assert.Contains("De naam van wie het verslag stuurt is te lang", page, StringComparison.Ordinal);
        Assert.Equal(before, (await Store.ListAsync(process, "s1", default)).Count);
    }

    [Fact]
    public async Task WithoutTheFormsToken_IsRefused_NothingStored()
    {
        var before = (await Store.ListAsync(process, "s1", default)).Count;
        using var browser = Browser();
        await LinkForm.TokenAsync(browser, uploadPath);
        using var form = Form("Fien");

        using var response = await browser.PostAsync(uploadPath, form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Het formulier was verlopen", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, (await Store.ListAsync(process, "s1", default)).Count);
    }

    /// <summary>
    /// A body without a length that goes past the limit and then never ends: the page answers as soon as the limit is
    /// passed, so the limit holds while the body streams in, not after the whole form has been buffered.
    /// </summary>
    [Fact]
    public async Task OversizedUpload_IsRefusedWhileStreaming_InDutch_NothingStored()
    {
        var before = (await Store.ListAsync(process, "s1", default)).Count;
        var cookies = new CookieContainer();
        using var browser = Browser(cookies);
        var token = await LinkForm.TokenAsync(browser, uploadPath);
        var cookie = cookies.GetCookieHeader(browser.BaseAddress!);
        const string boundary = "----dialoog-groot";
        var head = $"--{boundary}\r\nContent-Disposition: form-data; name=\"{LinkForm.TokenField}\"\r\n\r\n{token}\r\n"
            + $"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"verslag.txt\"\r\nContent-Type: text/plain\r\n\r\n";

        var (status, page) = await StalledPostAsync(uploadPath, $"multipart/form-data; boundary={boundary}", cookie, Encoding.ASCII.GetBytes(head), MinutesUploadReader.MaxRequestBytes + (1024 * 1024));

        Assert.Equal(400, status);
        Assert.Contains("Het verzoek is groter dan 20 MB", page, StringComparison.Ordinal);
        Assert.Contains("Er is niets opgeslagen", page, StringComparison.Ordinal);
        Assert.Equal(before, (await Store.ListAsync(process, "s1", default)).Count);
    }

    /// <summary>A browser of its own: the antiforgery cookie of the page it opened goes with its post.</summary>
    private HttpClient Browser(CookieContainer? cookies = null) =>
        new(new HttpClientHandler { UseCookies = true, CookieContainer = cookies ?? new CookieContainer() }) { BaseAddress = app.Client.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };

    private static MultipartFormDataContent Form(string uploadedBy, string actions = "")
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Pdf);
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/pdf");
        form.Add(file, "file", "verslag.pdf");
        form.Add(new StringContent(actions), "actions");
        form.Add(new StringContent(uploadedBy), "uploadedBy");
        return form;
    }

    /// <summary>
    /// Sends the head and then <paramref name="filler"/> bytes in chunks over a raw connection, and then nothing more
    /// without ending the body; returns the status and page the server answers with (or fails after 30 s).
    /// </summary>
    private async Task<(int Status, string Page)> StalledPostAsync(string path, string contentType, string cookie, byte[] head, long filler)
    {
        var address = app.Client.BaseAddress!;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port);
        var stream = tcp.GetStream();
        var request = $"POST {path} HTTP/1.1\r\nHost: {address.Authority}\r\nContent-Type: {contentType}\r\nTransfer-Encoding: chunked\r\n"
            + (cookie.Length > 0 ? $"Cookie: {cookie}\r\n" : "") + "\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var sending = Task.Run(async () =>
        {
            await WriteChunkAsync(stream, head, stop.Token);
            var block = new byte[64 * 1024];
            Array.Fill(block, (byte)'x');
            for (long sent = 0; sent < filler; sent += block.Length)
            {
                await WriteChunkAsync(stream, block, stop.Token);
            }

            // The body never ends: no last chunk. Only a reader that stops at the limit can answer now.
            await Task.Delay(Timeout.Infinite, stop.Token);
        });

        var answer = new StringBuilder();
        var buffer = new byte[16 * 1024];
        try
        {
            while (!answer.ToString().Contains("</html>", StringComparison.Ordinal))
            {
                var read = await stream.ReadAsync(buffer, stop.Token);
                if (read == 0)
                {
                    break;
                }

                answer.Append(Encoding.UTF8.GetString(buffer, 0, read));
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"No answer within 30 s while the body kept coming; the server waited for the whole form. Got: {answer}");
        }
        finally
        {
            await stop.CancelAsync();
            tcp.Close();
            await Task.WhenAny(sending);
        }

        var text = answer.ToString();
        var status = int.Parse(text.Split(' ', 3)[1], CultureInfo.InvariantCulture);
        return (status, text);
    }

    private static async Task WriteChunkAsync(NetworkStream stream, byte[] data, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"{data.Length:x}\r\n"), cancellationToken);
        await stream.WriteAsync(data, cancellationToken);
        await stream.WriteAsync("\r\n"u8.ToArray(), cancellationToken);
    }

    private JsonObject Definition(DateTime startUtc, DateTime endUtc) => new()
    {
        ["topic"] = "Verslag via de link " + run,
        ["area"] = "Gemeente Voorbeeld",
        ["coordinator"] = new JsonObject { ["name"] = "Carla", ["email"] = Carla },
        ["escalationContact"] = new JsonObject { ["name"] = "Mark", ["email"] = $"mark-{run}@gemeente.example" },
        ["groups"] = new JsonArray(new JsonObject { ["name"] = "inwoners", ["minimum"] = 0 }),
        ["participants"] = new JsonArray(new JsonObject { ["name"] = "Anna", ["email"] = $"anna-{run}@example.org", ["group"] = "inwoners" }),
        ["sessions"] = new JsonArray(new JsonObject
        {
            ["id"] = "s1",
            ["title"] = "Gesprek",
            ["start"] = AmsterdamTime.FromUtc(startUtc).ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
            ["end"] = AmsterdamTime.FromUtc(endUtc).ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture),
            ["location"] = "Buurthuis",
        }),
        ["policy"] = new JsonObject { ["replyDeadline"] = "PT1S", ["sessionReminderBefore"] = "PT1S" },
    };
}
