using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dialoog.Core.Email;
using Dialoog.Core.Links;
using Dialoog.Core.Tests.Testing;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Dialoog.Core.Tests.Hostile;

/// <summary>
/// Text that is allowed (markup-looking names and topics, real Unicode) is stored exactly and shown inert: encoded in
/// every HTML e-mail and page, never able to add a mail header. Each test waits for its own effects to settle, so the
/// catalogue's "nothing changed" snapshots in the same collection stay exact.
/// </summary>
[Collection(HostileCollection.Name)]
public sealed class InertTextTests(HostileFixture f)
{
    private static readonly string[] Payloads =
    [
        "<script>alert('topic')</script>",
        "\"><img src=x onerror=alert('area')>",
        "<svg onload=alert('name')>",
        "</title><script>alert('title')</script>",
        "<iframe src=javascript:alert('loc')>",
        "<a href=\"javascript:alert('group')\">klik</a>",
        "{{7*7}}<b onmouseover=alert('coord')>",
    ];

    [Fact]
    public async Task ScriptInEveryTextField_EmailsAndPagesStayInert()
    {
        var d = f.Definition("xss", DateTime.UtcNow.AddDays(30), "P14D");
        d["topic"] = "Proef " + Payloads[0];
        d["description"] = "Uitleg " + Payloads[6];
        d["area"] = "Wijk " + Payloads[1];
        d["coordinator"]!["name"] = "Carla " + Payloads[6];
        d["groups"]![0]!["name"] = "inwoners";
        d["participants"]![0]!["name"] = "Anna " + Payloads[2];
        d["participants"]![1]!["name"] = "Bert " + Payloads[5];
        d["sessions"]![0]!["title"] = "Gesprek " + Payloads[3];
        d["sessions"]![0]!["location"] = "Zaal " + Payloads[4];
        d["sessions"]![0]!["onlineLink"] = "https://meet.example/r?a=\"><script>alert('link')</script>";
        var id = await f.StartAsync(d);
        try
        {
            await CheckInjectedProcessAsync(id);
        }
        finally
        {
            await f.QuietAsync();
        }
    }

    private async Task CheckInjectedProcessAsync(string id)
    {
        var inbox = new MailDevInbox(f.Stack.MailDevApi);
        foreach (var address in new[] { $"a-xss-{f.Run}@example.org", $"b-xss-{f.Run}@example.org" })
        {
            var mail = (await inbox.WaitForAsync(address, _ => true)).Single();
            AssertInert(mail.HtmlBody, $"invitation HTML to {address}");
            Assert.Contains("&lt;script&gt;alert(", mail.HtmlBody, StringComparison.Ordinal);
            Assert.Contains(Payloads[0], mail.TextBody, StringComparison.Ordinal); // plain text keeps it as typed
            Assert.Contains("<script>", mail.Subject, StringComparison.Ordinal); // a subject is not HTML, and has no line break
            Assert.Single(mail.To.Mailboxes);
        }

        var name = (await f.Participants(id)).Single(p => p!["id"]!.GetValue<string>() == "p1")!["name"]!.GetValue<string>();
        Assert.Equal("Anna " + Payloads[2], name);

        using var page = await f.Anonymous.GetAsync($"/l/{f.Token(LinkPurpose.Reply, id, "p1")}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        AssertInert(await page.Content.ReadAsStringAsync(), "reply page");

        using var initiativePage = await f.Anonymous.GetAsync($"/initiatief/{id}");
        AssertInert(await initiativePage.Content.ReadAsStringAsync(), "initiative page");

        // A reply remark with markup is stored as text and shown inert to the participant afterwards.
        using (var reply = await f.Anonymous.PostAsync($"/l/{f.Token(LinkPurpose.Reply, id, "p1")}", HostileFixture.Form(("antwoord", "yes"), ("opmerking", Payloads[1]))))
        {
            AssertInert(await reply.Content.ReadAsStringAsync(), "reply answer page");
        }

        var confirmation = await inbox.WaitForAsync($"a-xss-{f.Run}@example.org", _ => true, count: 2);
        AssertInert(confirmation[^1].HtmlBody, "confirmation HTML");

        using var json = await f.Api.GetAsync($"/api/processes/{id}");
        Assert.Equal("application/json", json.Content.Headers.ContentType?.MediaType);

        using var cancel = await f.Api.PostAsJsonAsync($"/api/processes/{id}/cancel", new { reason = Payloads[4] });
        await f.Client.WaitForCompletionAsync(id, TimeSpan.FromSeconds(30));
        var cancelled = await inbox.WaitForAsync($"b-xss-{f.Run}@example.org", _ => true, count: 2);
        AssertInert(cancelled[^1].HtmlBody, "cancellation HTML");
    }

    [Fact]
    public async Task ActionTitleWithScript_ProgressPageAndOwnerMailStayInert()
    {
        var due = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(25).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var owner = $"owner-xss-{f.Run}@example.org";
        using (var form = new MultipartFormDataContent())
        {
            form.Add(new ByteArrayContent(HostileFixture.Pdf), "file", "verslag-2.pdf");
            form.Add(new StringContent($$"""[{"title":"Actie {{Payloads[0].Replace("'", "", StringComparison.Ordinal)}}","ownerName":"Olga {{Payloads[2].Replace("'", "", StringComparison.Ordinal)}}","ownerEmail":"{{owner}}","dueDate":"{{due}}"}]"""), "actions");
            using var upload = await f.Api.PostAsync($"/api/processes/{f.Held}/sessions/s1/minutes", form);
            Assert.True(upload.StatusCode == HttpStatusCode.Accepted, await upload.Content.ReadAsStringAsync());
        }

        var inbox = new MailDevInbox(f.Stack.MailDevApi);
        var mail = (await inbox.WaitForAsync(owner, _ => true))[0];
        AssertInert(mail.HtmlBody, "action owner mail");
        var item = (await f.Api.GetFromJsonAsync<JsonArray>($"/api/processes/{f.Held}/actions"))!
            .Single(a => a!["ownerEmail"]?.GetValue<string>() == owner || a!["title"]!.GetValue<string>().Contains("<script>", StringComparison.Ordinal))!;
        using var page = await f.Anonymous.GetAsync($"/l/{f.Token(LinkPurpose.FollowUp, f.Held, item["id"]!.GetValue<string>())}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        AssertInert(await page.Content.ReadAsStringAsync(), "progress page");
        await f.QuietAsync();
    }

    public static TheoryData<string, string> UnicodeNames => new()
    {
        { "combining marks (decomposed ë)", "Zoe\u0308 van der Berg" },
        { "emoji", "Anna 🙂🌻" },
        { "emoji with zero-width joiners", "Familie 👩‍👩‍👧" },
        { "right-to-left script", "مريم العلي" },
        { "Hebrew with a Latin part", "דוד Cohen" },
        { "CJK and accents", "李 Ådne Øster-Ünal" },
    };

    [Theory]
    [MemberData(nameof(UnicodeNames))]
    public async Task UnicodeName_IsAcceptedAndKeptExactly_InTableAndMail(string why, string name)
    {
        var slug = "u" + Guid.NewGuid().ToString("N")[..6];
        var d = f.Definition(slug, DateTime.UtcNow.AddDays(30), "P14D");
        d["participants"]![0]!["name"] = name;
        d["topic"] = "Proef " + name;
        var id = await f.StartAsync(d);

        var address = $"a-{slug}-{f.Run}@example.org";
        var mail = (await new MailDevInbox(f.Stack.MailDevApi).WaitForAsync(address, _ => true)).Single();
        Assert.True(mail.To.Mailboxes.Single().Name == name, $"{why}: the To name arrived as '{mail.To.Mailboxes.Single().Name}'");
        Assert.True(mail.Subject?.Contains(name, StringComparison.Ordinal) == true, $"{why}: subject '{mail.Subject}'");
        Assert.True(mail.TextBody?.Contains(name, StringComparison.Ordinal) == true, $"{why}: text body lost the name");
        var stored = (await f.Participants(id)).Single(p => p!["id"]!.GetValue<string>() == "p1")!["name"]!.GetValue<string>();
        Assert.Equal(name, stored);

        using var cancel = await f.Api.PostAsJsonAsync($"/api/processes/{id}/cancel", new { reason = "klaar" });
        await f.Client.WaitForCompletionAsync(id, TimeSpan.FromSeconds(30));
        await f.QuietAsync();
    }

    [Fact]
    public async Task SmtpSender_CrLfInNameAndSubject_CannotAddHeadersOrRecipients()
    {
        var sender = f.App.Services.GetRequiredService<IEmailSender>();
        var to = $"eve-{f.Run}@example.org";
        var message = new EmailMessage(
            "hostile-" + f.Run,
            new MailAddress("Eve\r\nBcc: evil-bcc@example.org\r\nX-Injected: yes", to),
            "Hallo\r\nBcc: evil-subject@example.org\r\nX-Injected: yes",
            "<p>Hoi</p>",
            "Hoi",
            [],
            new Dictionary<string, string> { [EmailTags.ProcessId] = "dlg-x\r\nX-Injected: yes", [EmailTags.Kind] = "test" });

        Assert.True(await sender.SendAsync(message, CancellationToken.None));

        using var list = await f.MailDevListAsync();
        var mine = list.RootElement.EnumerateArray()
            .Where(m => m.GetProperty("to").EnumerateArray().Any(t => t.GetProperty("address").GetString() == to)).ToList();
        var only = Assert.Single(mine);
        Assert.False(list.RootElement.EnumerateArray().Any(m => m.GetProperty("to").EnumerateArray().Concat(m.TryGetProperty("bcc", out var bcc) ? bcc.EnumerateArray() : Enumerable.Empty<System.Text.Json.JsonElement>())
            .Any(t => t.GetProperty("address").GetString()!.StartsWith("evil", StringComparison.Ordinal))), "an injected recipient got mail");
        var source = await f.MailDevSourceAsync(only.GetProperty("id").GetString()!);
        var headers = source[..source.IndexOf("\r\n\r\n", StringComparison.Ordinal)];
        var headerNames = headers.Split("\r\n").Where(l => l.Length > 0 && !char.IsWhiteSpace(l[0])).Select(l => l[..l.IndexOf(':', StringComparison.Ordinal)]).ToList();
        Assert.DoesNotContain("Bcc", headerNames, StringComparer.OrdinalIgnoreCase);
        Assert.DoesNotContain("X-Injected", headerNames, StringComparer.OrdinalIgnoreCase);
        Assert.Single(headerNames, h => h.Equals("To", StringComparison.OrdinalIgnoreCase));
        Assert.Single(headerNames, h => h.Equals("Subject", StringComparison.OrdinalIgnoreCase));
        await f.QuietAsync();
    }

    /// <summary>No element or attribute came from the payloads: their text may show, but only with its markup encoded.</summary>
    private static void AssertInert(string? html, string where)
    {
        Assert.False(string.IsNullOrEmpty(html), $"{where}: no HTML");

        // The page frame's own script (same origin, no inline code under the CSP) is not from a payload.
        html = html.Replace($"<script src=\"{Dialoog.Web.PageFrame.ScriptPath}\" defer></script>", "", StringComparison.Ordinal);
        foreach (var pattern in new[] { @"<\s*(script|img|svg|iframe|b)\b", @"<[^>]*\bon[a-z]+\s*=", @"href\s*=\s*[""']?\s*javascript:" })
        {
            var match = System.Text.RegularExpressions.Regex.Match(html, pattern, System.Text.RegularExpressions.RegexOptions.IgnoreCase);
            Assert.False(match.Success, $"{where}: live markup '{match.Value}'");
        }
    }
}
