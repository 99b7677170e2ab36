using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Dialoog.Core.Links;

namespace Dialoog.Core.Tests.Hostile;

/// <summary>
/// The bad-input catalogue: every request here is hostile or broken, gets a clear answer (a status and a Dutch text or
/// a field error), and changes nothing — no instance, no history event, no table row, no blob, no e-mail.
/// </summary>
[Collection(HostileCollection.Name)]
public sealed class BadInputCatalogueTests(HostileFixture f)
{
    /// <summary>One hostile request: what it does, the status it must get, and a text the answer must contain.</summary>
    public sealed record Case(string Name, Func<HostileFixture, Task<HttpResponseMessage>> Send, HttpStatusCode Status, string? Says = null, string? ErrorKey = null);

    private const string Script = "<script>alert(1)</script>";

    private static readonly byte[] Zip = [0x50, 0x4B, 0x03, 0x04, 0, 0, 0, 0, 0, 0];

    private static readonly Case[] All =
    [
        // Starting a process: malformed bodies and wrong content types.
        new("start: malformed JSON", x => Post(x.Api, "/api/processes", "{ \"definition\": { \"topic\": ", "application/json"), HttpStatusCode.BadRequest),
        new("start: JSON array instead of object", x => Post(x.Api, "/api/processes", "[1,2,3]", "application/json"), HttpStatusCode.BadRequest),
        new("start: empty body", x => Post(x.Api, "/api/processes", "", "application/json"), HttpStatusCode.BadRequest),
        new("start: body 'null'", x => Post(x.Api, "/api/processes", "null", "application/json"), HttpStatusCode.BadRequest, "leeg"),
        new("start: definition null", x => Post(x.Api, "/api/processes", "{\"definition\":null}", "application/json"), HttpStatusCode.BadRequest),
        new("start: text/plain content type", x => Post(x.Api, "/api/processes", Wrap(x.Definition("ct", Later, "P14D")), "text/plain"), HttpStatusCode.UnsupportedMediaType, "application/json"),
        new("start: form-urlencoded", x => x.Api.PostAsync("/api/processes", HostileFixture.Form(("definition", "{}"))), HttpStatusCode.UnsupportedMediaType, "application/json"),
        new("start: no content type", x => PostRaw(x.Api, "/api/processes", Encoding.UTF8.GetBytes(Wrap(x.Definition("nct", Later, "P14D"))), null), HttpStatusCode.BadRequest),
        new("start: invalid UTF-8 bytes", x => PostRaw(x.Api, "/api/processes", [.. "{\"definition\":{\"topic\":\""u8.ToArray(), 0xC3, 0x28, .. "\"}}"u8.ToArray()], "application/json"), HttpStatusCode.BadRequest),
        new("start: lone surrogate escape", x => Post(x.Api, "/api/processes", Wrap(x.Definition("ls", Later, "P14D")).Replace("Proef ls", "Proef \\ud800", StringComparison.Ordinal), "application/json"), HttpStatusCode.BadRequest),
        new("start: nesting 200 deep", x => Post(x.Api, "/api/processes", "{\"definition\":" + new string('[', 200) + new string(']', 200) + "}", "application/json"), HttpStatusCode.BadRequest),
        new("start: unknown field", x => Start(x, "uf", d => d["topicc"] = "x"), HttpStatusCode.BadRequest, ErrorKey: "topicc"),
        new("start: 2 MB body with Content-Length", x => Post(x.Api, "/api/processes", Wrap(x.Definition("big", Later, "P14D")).Replace("Gemeente Voorbeeld", new string('x', 2_000_000), StringComparison.Ordinal), "application/json"), HttpStatusCode.BadRequest, "te groot"),
        new("start: 3 MB chunked body without Content-Length", x => PostChunked(x.Api, "/api/processes", Wrap(x.Definition("chunk", Later, "P14D")).Replace("Gemeente Voorbeeld", new string('x', 3_000_000), StringComparison.Ordinal)), HttpStatusCode.BadRequest, "te groot"),
        new("start: capacity 1e100", x => Start(x, "cap", d => d["sessions"]![0]!["capacity"] = JsonNode.Parse("1e100")), HttpStatusCode.BadRequest, ErrorKey: "sessions[0].capacity"),

        // Oversized and tricky fields.
        new("start: topic of 10,000 characters", x => Start(x, "long", d => d["topic"] = new string('a', 10_000)), HttpStatusCode.BadRequest, ErrorKey: "topic"),
        new("start: name of 5,000 characters", x => Start(x, "ln", d => d["participants"]![0]!["name"] = new string('a', 5_000)), HttpStatusCode.BadRequest, ErrorKey: "participants[0].name"),
        new("header injection: CR/LF in a participant name", x => Start(x, "crlf", d => d["participants"]![0]!["name"] = "Anna\r\nBcc: evil@example.org"), HttpStatusCode.BadRequest, ErrorKey: "participants[0].name"),
        new("header injection: CR/LF in an address", x => Start(x, "crlfa", d => d["participants"]![0]!["email"] = "anna@example.org\r\nBcc: evil@example.org"), HttpStatusCode.BadRequest, ErrorKey: "participants[0].email"),
        new("header injection: display name in an address", x => Start(x, "dn", d => d["participants"]![0]!["email"] = "\"Evil\" <evil@example.org>"), HttpStatusCode.BadRequest, ErrorKey: "participants[0].email"),
        new("header injection: two addresses in one", x => Start(x, "two", d => d["participants"]![0]!["email"] = "anna@example.org,evil@example.org"), HttpStatusCode.BadRequest, ErrorKey: "participants[0].email"),
        new("header injection: CR/LF in the topic (subject)", x => Start(x, "subj", d => d["topic"] = "Proef\r\nBcc: evil@example.org"), HttpStatusCode.BadRequest, ErrorKey: "topic"),
        new("header injection: CR/LF in the coordinator name", x => Start(x, "coord", d => d["coordinator"]!["name"] = "Carla\nX-Evil: 1"), HttpStatusCode.BadRequest, ErrorKey: "coordinator.name"),
        new("unicode: right-to-left override in a name", x => Start(x, "rlo", d => d["participants"]![0]!["name"] = "Anna \u202Efdp.exe"), HttpStatusCode.BadRequest, "leesrichting", "participants[0].name"),
        new("unicode: right-to-left isolate in the topic", x => Start(x, "rli", d => d["topic"] = "Proef \u2067x\u2069"), HttpStatusCode.BadRequest, "leesrichting", "topic"),
        new("unicode: only zero-width spaces as name", x => Start(x, "zw", d => d["participants"]![0]!["name"] = "\u200B\u200B\u200D"), HttpStatusCode.BadRequest, "onzichtbare", "participants[0].name"),
        new("unicode: only combining marks as title", x => Start(x, "cm", d => d["sessions"]![0]!["title"] = "\u0301\u0308\u0327"), HttpStatusCode.BadRequest, "onzichtbare", "sessions[0].title"),
        new("unicode: zero-width space in an address", x => Start(x, "zwa", d => d["participants"]![0]!["email"] = "an\u200Bna@example.org"), HttpStatusCode.BadRequest, ErrorKey: "participants[0].email"),
        new("online link: javascript: URL", x => Start(x, "js", d => d["sessions"]![0]!["onlineLink"] = "javascript:alert(1)"), HttpStatusCode.BadRequest, ErrorKey: "sessions[0].onlineLink"),
        new("online link: data: URL", x => Start(x, "data", d => d["sessions"]![0]!["onlineLink"] = "data:text/html,<script>alert(1)</script>"), HttpStatusCode.BadRequest, ErrorKey: "sessions[0].onlineLink"),

        // Changes to a running process.
        new("running: add participant with CR/LF name", x => x.Api.PostAsJsonAsync($"/api/processes/{x.Running}/participants", new { participants = new[] { new { name = "Eve\r\nBcc: x@example.org", email = "eve@example.org", group = "inwoners" } } }), HttpStatusCode.BadRequest, ErrorKey: "participants[0].name"),
        new("running: reschedule with malformed JSON", x => Post(x.Api, $"/api/processes/{x.Running}/sessions/s1/reschedule", "{\"start\":", "application/json"), HttpStatusCode.BadRequest),
        new("running: cancel with a reason of 5,000 characters", x => x.Api.PostAsJsonAsync($"/api/processes/{x.Running}/cancel", new { reason = new string('r', 5000) }), HttpStatusCode.BadRequest),
        new("running: decision with script as choice", x => x.Api.PostAsJsonAsync($"/api/processes/{x.Running}/decisions", new { escalationId = "e1", choice = Script }), HttpStatusCode.BadRequest),
        new("running: path traversal as session id", x => x.Api.PostAsJsonAsync($"/api/processes/{x.Running}/sessions/..%2F..%2Fs1/cancel", new { reason = "x" }), HttpStatusCode.NotFound),
        new("unknown process id with odd characters", x => x.Api.PostAsJsonAsync("/api/processes/dlg-%3Cscript%3E/cancel", new { reason = "x" }), HttpStatusCode.NotFound),

        // Decisions and changes on a closed process.
        new("closed: decision", x => x.Api.PostAsJsonAsync($"/api/processes/{x.Closed}/decisions", new { escalationId = "e1", choice = "goAhead" }), HttpStatusCode.Conflict),
        new("closed: add participant", x => x.Api.PostAsJsonAsync($"/api/processes/{x.Closed}/participants", new { participants = new[] { new { name = "Eve", email = $"eve-{x.Run}@example.org", group = "inwoners" } } }), HttpStatusCode.Conflict),
        new("closed: reschedule", x => x.Api.PostAsJsonAsync($"/api/processes/{x.Closed}/sessions/s1/reschedule", new { start = "2031-05-01T19:00:00", end = "2031-05-01T21:00:00", location = "B" }), HttpStatusCode.Conflict),
        new("closed: cancel again", x => x.Api.PostAsJsonAsync($"/api/processes/{x.Closed}/cancel", new { reason = "nog eens" }), HttpStatusCode.Conflict),
        new("closed: close", x => x.Api.PostAsJsonAsync($"/api/processes/{x.Closed}/close", new { reason = "x" }), HttpStatusCode.Conflict),
        new("closed: replayed reply link", x => x.Anonymous.PostAsync($"/l/{x.Token(LinkPurpose.Reply, x.Closed, "p1")}", HostileFixture.Form(("antwoord", "no"))), HttpStatusCode.Conflict, "loopt niet meer"),
        new("closed: decision link", x => x.Anonymous.PostAsync($"/l/{x.Token(LinkPurpose.Decision, x.Closed, "e1")}", HostileFixture.Form(("keuze", "goAhead"))), HttpStatusCode.Conflict),
        new("closed: minutes upload", x => Upload(x, x.Closed, "verslag.pdf", HostileFixture.Pdf), HttpStatusCode.Conflict),

        // Links: tampered, expired, cross-participant, wrong purpose, malformed.
        new("link: tampered signature", x => x.Anonymous.PostAsync($"/l/{Tamper(x.Token(LinkPurpose.Reply, x.Running, "p1"))}", HostileFixture.Form(("antwoord", "yes"))), HttpStatusCode.BadRequest, "Deze link klopt niet"),
        new("link: cross-participant (p2's payload, p1's signature)", x => x.Anonymous.PostAsync($"/l/{Splice(x.Token(LinkPurpose.Reply, x.Running, "p2"), x.Token(LinkPurpose.Reply, x.Running, "p1"))}", HostileFixture.Form(("antwoord", "yes"))), HttpStatusCode.BadRequest, "Deze link klopt niet"),
        new("link: cross-process (other process's payload)", x => x.Anonymous.PostAsync($"/l/{Splice(x.Token(LinkPurpose.Reply, x.Held, "p1"), x.Token(LinkPurpose.Reply, x.Running, "p1"))}", HostileFixture.Form(("antwoord", "yes"))), HttpStatusCode.BadRequest, "Deze link klopt niet"),
        new("link: signed with another key", x => x.Anonymous.PostAsync($"/l/{ForeignToken(x.Running)}", HostileFixture.Form(("antwoord", "yes"))), HttpStatusCode.BadRequest, "Deze link klopt niet"),
        new("link: expired", x => x.Anonymous.PostAsync($"/l/{x.Token(LinkPurpose.Reply, x.Running, "p1", TimeSpan.FromMinutes(-1))}", HostileFixture.Form(("antwoord", "yes"))), HttpStatusCode.Gone),
        new("link: 600 characters", x => x.Anonymous.PostAsync($"/l/{new string('A', 300)}.{new string('B', 300)}", HostileFixture.Form(("antwoord", "yes"))), HttpStatusCode.BadRequest),
        new("link: reply token used as progress token", x => x.Anonymous.PostAsJsonAsync($"/api/progress/{x.Token(LinkPurpose.Reply, x.Held, "a1")}", new { status = "done" }), HttpStatusCode.BadRequest),
        new("link: reply without an answer", x => x.Anonymous.PostAsync($"/l/{x.Token(LinkPurpose.Reply, x.Running, "p1")}", HostileFixture.Form(("opmerking", "hoi"))), HttpStatusCode.BadRequest, "Er is niets opgeslagen"),
        new("link: reply with script as answer", x => x.Anonymous.PostAsync($"/l/{x.Token(LinkPurpose.Reply, x.Running, "p1")}", HostileFixture.Form(("antwoord", Script))), HttpStatusCode.BadRequest, "Er is niets opgeslagen"),
        new("link: reply as JSON instead of a form", x => x.Anonymous.PostAsJsonAsync($"/l/{x.Token(LinkPurpose.Reply, x.Running, "p1")}", new { antwoord = "yes" }), HttpStatusCode.BadRequest, "formulier"),
        new("link: reply with a remark of 5,000 characters", x => x.Anonymous.PostAsync($"/l/{x.Token(LinkPurpose.Reply, x.Running, "p1")}", HostileFixture.Form(("antwoord", "yes"), ("opmerking", new string('o', 5000)))), HttpStatusCode.BadRequest, "te lang"),
        new("link: decision for an escalation that does not exist", x => x.Anonymous.PostAsync($"/l/{x.Token(LinkPurpose.Decision, x.Running, "e9")}", HostileFixture.Form(("keuze", "goAhead"))), HttpStatusCode.Conflict),
        new("link: progress with an unknown status", x => x.Anonymous.PostAsJsonAsync($"/api/progress/{x.Token(LinkPurpose.FollowUp, x.Held, "a1")}", new { status = Script }), HttpStatusCode.BadRequest, ErrorKey: "status"),
        new("link: progress 'stuck' with a reason containing bidi override", x => x.Anonymous.PostAsJsonAsync($"/api/progress/{x.Token(LinkPurpose.FollowUp, x.Held, "a1")}", new { status = "stuck", reason = "geld \u202Eop" }), HttpStatusCode.BadRequest, ErrorKey: "reason"),

        // Minutes uploads: names, bytes, sizes.
        new("upload: path traversal in the file name", x => Upload(x, x.Held, "../../../etc/passwd.pdf", HostileFixture.Pdf), HttpStatusCode.BadRequest, ErrorKey: "file"),
        new("upload: Windows path traversal", x => Upload(x, x.Held, "..\\..\\boot.ini.pdf", HostileFixture.Pdf), HttpStatusCode.BadRequest, ErrorKey: "file"),
        new("upload: reserved device name", x => Upload(x, x.Held, "CON.pdf", HostileFixture.Pdf), HttpStatusCode.BadRequest, ErrorKey: "file"),
        new("upload: right-to-left override in the name", x => Upload(x, x.Held, "verslag\u202Efdp.exe", HostileFixture.Pdf), HttpStatusCode.BadRequest, ErrorKey: "file"),
        new("upload: NUL in the name", x => Upload(x, x.Held, "verslag\0.pdf", HostileFixture.Pdf), HttpStatusCode.BadRequest, ErrorKey: "file"),
        new("upload: ZIP bytes named .pdf", x => Upload(x, x.Held, "verslag.pdf", Zip), HttpStatusCode.BadRequest, ErrorKey: "file"),
        new("upload: PDF bytes named .docx", x => Upload(x, x.Held, "verslag.docx", HostileFixture.Pdf), HttpStatusCode.BadRequest, ErrorKey: "file"),
        new("upload: executable named .txt", x => Upload(x, x.Held, "verslag.txt", [0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00]), HttpStatusCode.BadRequest, ErrorKey: "file"),
        new("upload: HTML with script named .txt", x => Upload(x, x.Held, "verslag.txt", Encoding.UTF8.GetBytes("<html><script>alert(1)</script></html>\0\0")), HttpStatusCode.BadRequest, ErrorKey: "file"),
        new("upload: empty file", x => Upload(x, x.Held, "verslag.pdf", []), HttpStatusCode.BadRequest, ErrorKey: "file"),
        new("upload: 21 MB, over the limit", x => Upload(x, x.Held, "verslag.txt", new byte[(21 * 1024 * 1024) + 1]), HttpStatusCode.BadRequest, ErrorKey: "file"),
        new("upload: 40 MB request", x => Upload(x, x.Held, "verslag.pdf", new byte[40 * 1024 * 1024], ownClient: true), HttpStatusCode.BadRequest),
        new("upload: JSON instead of multipart", x => x.Api.PostAsJsonAsync($"/api/processes/{x.Held}/sessions/s1/minutes", new { file = "verslag.pdf" }), HttpStatusCode.BadRequest),
        new("upload: multipart without a file", x => MultipartWithout(x), HttpStatusCode.BadRequest, ErrorKey: "file"),
        new("upload: malformed actions JSON", x => Upload(x, x.Held, "verslag.pdf", HostileFixture.Pdf, "[{\"title\":"), HttpStatusCode.BadRequest),
        new("upload: action owner with CR/LF header injection", x => Upload(x, x.Held, "verslag.pdf", HostileFixture.Pdf, "[{\"title\":\"T\",\"ownerName\":\"Anna\\r\\nBcc: x@example.org\",\"ownerEmail\":\"anna@example.org\",\"dueDate\":\"2031-01-01\"}]"), HttpStatusCode.BadRequest, ErrorKey: "actions[0].ownerName"),
        new("upload: unknown session", x => Upload(x, x.Held, "verslag.pdf", HostileFixture.Pdf, session: "s9"), HttpStatusCode.NotFound),
        new("upload: through a tampered upload link", x => UploadByLink(x, Tamper(x.Token(LinkPurpose.MinutesUpload, x.Held, "s1"))), HttpStatusCode.BadRequest, "Deze link klopt niet"),
        new("upload: with an expired upload link", x => UploadByLink(x, x.Token(LinkPurpose.MinutesUpload, x.Held, "s1", TimeSpan.FromMinutes(-5))), HttpStatusCode.Gone),
        new("upload by link: uploader name of 10,000 characters", x => UploadByLink(x, x.Token(LinkPurpose.MinutesUpload, x.Held, "s1"), new string('n', 10_000)), HttpStatusCode.BadRequest, "te lang"),
        new("upload by link: CR/LF in the uploader name", x => UploadByLink(x, x.Token(LinkPurpose.MinutesUpload, x.Held, "s1"), "Fien\r\nBcc: x@example.org"), HttpStatusCode.BadRequest, "onzichtbaar teken"),
        new("upload by link: file over the limit", x => UploadByLink(x, x.Token(LinkPurpose.MinutesUpload, x.Held, "s1"), file: new byte[(20 * 1024 * 1024) + 1]), HttpStatusCode.BadRequest, "Er is niets opgeslagen"),

        // The public initiative form.
        new("initiative: CR/LF in the name", x => x.Anonymous.PostAsJsonAsync($"/api/processes/{x.Held}/initiatives", new { title = "Tuin", description = "Samen", name = "Iris\r\nBcc: x@example.org", email = "iris@example.org" }), HttpStatusCode.BadRequest, ErrorKey: "name"),
        new("initiative: description of 100,000 characters", x => x.Anonymous.PostAsJsonAsync($"/api/processes/{x.Held}/initiatives", new { title = "Tuin", description = new string('d', 100_000), name = "Iris", email = "iris@example.org" }), HttpStatusCode.BadRequest, ErrorKey: "description"),
        new("initiative: for a closed process", x => x.Anonymous.PostAsJsonAsync($"/api/processes/{x.Closed}/initiatives", new { title = "Tuin", description = "Samen", name = "Iris", email = "iris@example.org" }), HttpStatusCode.NotFound),
        // The call list and the privacy requests by phone number.
        new("call list: done with a direction override in the name", x => x.Api.PostAsJsonAsync($"/api/processes/{x.Running}/participants/p1/calls/processCancelled/done", new { doneBy = "Carla \u202Eop" }), HttpStatusCode.BadRequest, "leesrichting", "doneBy"),
        new("call list: done for a message that is not there", x => x.Api.PostAsJsonAsync($"/api/processes/{x.Running}/participants/p1/calls/sessionMoved-s1-1/done", new { }), HttpStatusCode.NotFound, "bellijst"),
        new("call list: path traversal as message id", x => x.Api.PostAsJsonAsync($"/api/processes/{x.Running}/participants/p1/calls/..%2F..%2Fx/done", new { }), HttpStatusCode.NotFound),
        new("call list: done on a closed process", x => x.Api.PostAsJsonAsync($"/api/processes/{x.Closed}/participants/p1/calls/processCancelled/done", new { }), HttpStatusCode.Conflict, "loopt niet meer"),
        new("privacy: export by a number that cannot be called", x => x.Api.PostAsJsonAsync("/api/privacy/export", new { phone = "06-12<script>" }), HttpStatusCode.BadRequest, "telefoonnummer", "phone"),
        new("privacy: erase by address and number at once", x => x.Api.PostAsJsonAsync("/api/privacy/erase", new { email = $"anna-{x.Run}@example.org", phone = "0612345678" }), HttpStatusCode.BadRequest, "niet allebei", "phone"),
        new("initiative: wrong content type", x => Post(x.Anonymous, $"/api/processes/{x.Held}/initiatives", "title=Tuin", "application/x-www-form-urlencoded"), HttpStatusCode.UnsupportedMediaType, "application/json"),
    ];

    private static DateTime Later => DateTime.UtcNow.AddDays(30);

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var c in All)
        {
            data.Add(c.Name);
        }

        return data;
    }

    [Fact]
    public void Catalogue_HasAtLeastFortyDistinctCases()
    {
        Assert.True(All.Length >= 40, $"{All.Length} cases");
        Assert.Equal(All.Length, All.Select(c => c.Name).Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task HostileRequest_GetsAClearAnswer_AndChangesNothing(string name)
    {
        var hostile = All.Single(c => c.Name == name);
        var before = await f.SnapshotAsync();

        using var response = await hostile.Send(f);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == hostile.Status, $"{name}: expected {(int)hostile.Status}, got {(int)response.StatusCode}: {Cut(body)}");
        Assert.False(string.IsNullOrWhiteSpace(body), $"{name}: the answer explains nothing");
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        Assert.True(mediaType is "application/problem+json" or "text/html", $"{name}: answer is {mediaType}: {Cut(body)}");
        if (hostile.Says is not null)
        {
            Assert.True(body.Contains(hostile.Says, StringComparison.Ordinal), $"{name}: the answer does not say '{hostile.Says}': {Cut(body)}");
        }

        if (hostile.ErrorKey is not null)
        {
            var errors = JsonNode.Parse(body)!["errors"]!.AsObject();
            Assert.True(errors.ContainsKey(hostile.ErrorKey), $"{name}: expected an error for '{hostile.ErrorKey}', got {errors.ToJsonString()}");
        }

        // Nothing may follow later either: a signal would land in the inbox and a step would add history.
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(before, await f.SnapshotAsync());
            await Task.Delay(TimeSpan.FromMilliseconds(150));
        }

        Assert.Equal(before, await f.SnapshotAsync());
    }

    private static string Cut(string body) => body.Length > 400 ? body[..400] + "…" : body;

    private static string Wrap(JsonObject definition) => new JsonObject { ["definition"] = definition }.ToJsonString();

    private static Task<HttpResponseMessage> Start(HostileFixture x, string topic, Action<JsonObject> change)
    {
        var definition = x.Definition(topic, Later, "P14D");
        change(definition);
        return Post(x.Api, "/api/processes", Wrap(definition), "application/json");
    }

    private static Task<HttpResponseMessage> Post(HttpClient client, string path, string body, string contentType)
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return client.PostAsync(path, content);
    }

    private static async Task<HttpResponseMessage> PostRaw(HttpClient client, string path, byte[] body, string? contentType)
    {
        using var content = new ByteArrayContent(body);
        if (contentType is not null)
        {
            content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        }

        return await client.PostAsync(path, content);
    }

    private static async Task<HttpResponseMessage> PostChunked(HttpClient client, string path, string body)
    {
        using var content = new StreamContent(new NonSeekableStream(Encoding.UTF8.GetBytes(body)));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.TransferEncodingChunked = true;
        foreach (var header in client.DefaultRequestHeaders)
        {
            request.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        // Its own connection: the server stops reading at the limit and closes it.
        using var own = new HttpClient { BaseAddress = client.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        return await own.SendAsync(request);
    }

    /// <summary>A multipart body written byte by byte: HttpClient would refuse or encode some of these file names itself.</summary>
    /// <param name="ownClient">
    /// For a request the server refuses before reading its body: a client of its own that asks first (Expect:
    /// 100-continue), so the refused body is never sent and the shared connection stays usable.
    /// </param>
    private static async Task<HttpResponseMessage> Upload(HostileFixture x, string process, string fileName, byte[] bytes, string? actions = null, string session = "s1", bool ownClient = false)
    {
        const string boundary = "----dialoog-hostile";
        using var body = new MemoryStream();
        void Write(string text) => body.Write(Encoding.UTF8.GetBytes(text));
        Write($"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{fileName}\"\r\nContent-Type: application/octet-stream\r\n\r\n");
        body.Write(bytes);
        Write("\r\n");
        if (actions is not null)
        {
            Write($"--{boundary}\r\nContent-Disposition: form-data; name=\"actions\"\r\n\r\n{actions}\r\n");
        }

        Write($"--{boundary}--\r\n");
        using var content = new ByteArrayContent(body.ToArray());
        content.Headers.TryAddWithoutValidation("Content-Type", $"multipart/form-data; boundary={boundary}");
        if (!ownClient)
        {
            return await x.Api.PostAsync($"/api/processes/{process}/sessions/{session}/minutes", content);
        }

        using var client = new HttpClient { BaseAddress = x.Api.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.ExpectContinue = true;
        foreach (var header in x.Api.DefaultRequestHeaders)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation(header.Key, header.Value);
        }

        return await client.PostAsync($"/api/processes/{process}/sessions/{session}/minutes", content);
    }

    private static async Task<HttpResponseMessage> UploadByLink(HostileFixture x, string token, string? uploadedBy = null, byte[]? file = null)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(file ?? HostileFixture.Pdf), "file", "verslag.pdf");
        if (uploadedBy is not null)
        {
            form.Add(new StringContent(uploadedBy), "uploadedBy");
        }

        HostileFixture.AddToken(form);
        return await x.Anonymous.PostAsync($"/l/{token}", form);
    }

    private static async Task<HttpResponseMessage> MultipartWithout(HostileFixture x)
    {
        using var form = new MultipartFormDataContent { { new StringContent("[]"), "actions" } };
        return await x.Api.PostAsync($"/api/processes/{x.Held}/sessions/s1/minutes", form);
    }

    private static string Tamper(string token) => token[..^2] + (token[^2] == 'A' ? "B" : "A") + token[^1];

    /// <summary>The payload of one token with the signature of another.</summary>
    private static string Splice(string payloadFrom, string signatureFrom) =>
        payloadFrom[..payloadFrom.IndexOf('.', StringComparison.Ordinal)] + signatureFrom[signatureFrom.IndexOf('.', StringComparison.Ordinal)..];

    private static string ForeignToken(string process)
    {
        var other = new ParticipantLinks(
            Microsoft.Extensions.Options.Options.Create(new LinksOptions { SigningKey = Testing.RunningApp.NewKey() }),
            Microsoft.Extensions.Options.Options.Create(new Dialoog.Core.Hosting.DialoogOptions { PublicBaseUrl = "http://localhost:7071" }),
            TimeProvider.System);
        return other.CreateToken(new LinkClaims(LinkPurpose.Reply, process, "p1", DateTimeOffset.UtcNow.AddDays(1)));
    }

    /// <summary>A stream without a length, so HttpClient sends it chunked.</summary>
    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
