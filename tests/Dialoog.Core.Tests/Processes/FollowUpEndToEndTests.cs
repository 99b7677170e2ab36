using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Dialoog.Core.Engine;
using Microsoft.DurableTask.Client;
using Dialoog.Web.Api;
using Dialoog.Core.Processes;
using Dialoog.Core.Processes.Definition;
using Dialoog.Core.Tests.Integrations.Support;
using Dialoog.Core.Tests.Processes.Support;
using Dialoog.Core.Tests.Testing;
using Dialoog.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Dialoog.Core.Tests.Processes;

/// <summary>
/// After the session, for real: the facilitator uploads the minutes through the link in their e-mail, the attendees
/// (and only they) download them, owners report through their links, a silent owner is escalated, and the process
/// completes — on Azurite and MailDev, with durations in seconds.
/// </summary>
[Collection(SecondDevStackCollection.Name)]
public sealed partial class FollowUpEndToEndTests(DevStackFixture stack)
{
    [Fact]
    public Task MinutesThroughLink_AttendeesDownload_OwnersReport_SilentOwnerEscalates_ProcessCompletes() => RunAsync(production: false);

    /// <summary>The same life with the production providers: SendGrid for mail, Microsoft Graph for the calendar.</summary>
    [Fact]
    public Task WithSendGridAndGraph_MinutesThroughLink_AttendeesDownload_OwnersReport_SilentOwnerEscalates_ProcessCompletes() => RunAsync(production: true);

    private async Task RunAsync(bool production)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        string Address(string who) => LiveDefinitions.Address(run, who);
        var settings = RunningApp.SettingsFor(stack);
        settings["Durable:TaskHub"] = "f2e" + run;
        await using var providers = production ? await ProductionProviders.StartAsync() : null;
        providers?.Select(settings);
        await using var app = providers is null ? await RunningApp.StartAsync(settings) : await providers.StartAppAsync(settings);
        var inbox = new Mailbox(providers, new MailDevInbox(stack.MailDevApi));
        app.Client.DefaultRequestHeaders.Add(CoordinatorApiKeyFilter.HeaderName, settings["Api:CoordinatorApiKey"]);

        var start = DateTime.UtcNow.AddSeconds(14);
        var definition = LiveDefinitions.ThreePeople(run, "Verslag en afspraken", start, start.AddSeconds(3), new JsonObject
        {
            ["replyDeadline"] = "PT6S",
            ["sessionReminderBefore"] = "PT2S",
            ["minutesDue"] = "PT2M",
            ["minutesReminder"] = "PT3M",
            ["minutesEscalation"] = "PT4M",
            ["stallThreshold"] = "PT8S",
            ["escalateToCoordinatorAfter"] = "PT3S",
            ["escalateToContactAfter"] = "PT1M",
            // Room after the last minutes, short enough to pass on the real engine's timer before Greet reports.
            ["followUpWindow"] = "PT5S",
        }, withFacilitator: true);
        using var started = await app.Client.PostAsJsonAsync("/api/processes", new JsonObject { ["definition"] = definition });
        Assert.True(started.StatusCode == HttpStatusCode.Accepted, await started.Content.ReadAsStringAsync());
        var id = (await started.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        await ReplyAsync(app, (await inbox.WaitForAsync(Address("anna"), t => Link(t, "yes") is not null))[0], "yes");
        await ReplyAsync(app, (await inbox.WaitForAsync(Address("greet"), t => Link(t, "yes") is not null))[0], "yes");
        await ReplyAsync(app, (await inbox.WaitForAsync(Address("bram"), t => Link(t, "no") is not null))[0], "no");

        // The session ends; the facilitator gets the upload link and uploads minutes with two agreements.
        var request = (await inbox.WaitForAsync(Address("fien"), m => Link(m, "upload") is not null, timeout: TimeSpan.FromSeconds(45)))[0];
        var upload = new Uri(Link(request, "upload")!).AbsolutePath;
        var minutesBytes = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n");
        var due = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(30).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        using (var form = new MultipartFormDataContent())
        {
            form.Add(new ByteArrayContent(minutesBytes), "file", "verslag.pdf");
            form.Add(new StringContent($"Speelplek schetsen; Anna; {Address("anna")}; {due}\nBudget vragen; Greet; {Address("greet")}; {due}"), "actions");
            form.Add(new StringContent("Fien"), "uploadedBy");
            using var uploaded = await LinkForm.PostAsync(app.Client, upload, form);
            Assert.True(uploaded.StatusCode == HttpStatusCode.OK, await uploaded.Content.ReadAsStringAsync());
        }

        // Attendees get the minutes; their link downloads exactly the file; the one who declined gets nothing.
        var minutesMail = (await inbox.WaitForAsync(Address("anna"), m => Link(m, "download") is not null))[0];
        using (var download = await app.Client.GetAsync(new Uri(Link(minutesMail, "download")!).PathAndQuery))
        {
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal("application/pdf", download.Content.Headers.ContentType?.MediaType);
            Assert.Equal(minutesBytes, await download.Content.ReadAsByteArrayAsync());
        }

        var tampered = Link(minutesMail, "download")!.Replace("?k=download", "", StringComparison.Ordinal);
        using (var refused = await app.Client.GetAsync(new Uri(tampered[..^3] + "xyz").PathAndQuery))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }

        await inbox.WaitForAsync(Address("greet"), m => Link(m, "download") is not null);
        Assert.DoesNotContain(await inbox.ToAsync(Address("bram")), m => Link(m, "download") is not null);

        // Anna reports "klaar" through her link; Greet stays silent and is reminded, then the coordinator hears it.
        var annaAction = (await inbox.WaitForAsync(Address("anna"), m => Link(m, "progress") is not null))[0];
        await ReportAsync(app, Link(annaAction, "progress")!, "done");
        var greetAction = (await inbox.WaitForAsync(Address("greet"), m => Link(m, "progress") is not null))[0];
        await inbox.WaitForAsync(Address("greet"), m => Link(m, "progress") is not null, count: 2, timeout: TimeSpan.FromSeconds(30));
        var escalation = (await inbox.WaitForAsync(Address("carla"), t => t.Contains("Budget vragen", StringComparison.Ordinal), timeout: TimeSpan.FromSeconds(30)))[0];
        Assert.Contains("Greet", escalation, StringComparison.Ordinal);

        var actions = await app.Client.GetFromJsonAsync<JsonArray>($"/api/processes/{id}/actions");
        Assert.Equal(["done", "open"], actions!.Select(a => a!["status"]!.GetValue<string>()).Order());

        // Greet reports too: everything is done and the process completes with a summary for the coordinator.
        await ReportAsync(app, Link(greetAction, "progress")!, "done");
        var client = app.Services.GetRequiredService<DurableTaskClient>();
        var done = await client.WaitForCompletionAsync(id, TimeSpan.FromSeconds(30), getInputsAndOutputs: true);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(Phases.Completed, done.ReadCustomStatusAs<ProcessStatus>()!.Phase);
        await inbox.WaitForAsync(Address("carla"), t => t.Contains("Afspraken: 2 klaar", StringComparison.Ordinal));
    }

    private static async Task ReplyAsync(RunningApp app, string invitation, string answer)
    {
        var link = Link(invitation, answer)!;
        using var posted = await LinkForm.PostAsync(app.Client, new Uri(link).AbsolutePath, new Dictionary<string, string> { ["antwoord"] = answer });
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
    }

    private static async Task ReportAsync(RunningApp app, string link, string status)
    {
        var path = new Uri(link).AbsolutePath;
        using (var page = await app.Client.GetAsync(path))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }

        using var posted = await LinkForm.PostAsync(app.Client, path, new Dictionary<string, string> { ["status"] = status });
        Assert.True(posted.StatusCode == HttpStatusCode.OK, await posted.Content.ReadAsStringAsync());
    }

    private static string? Link(string text, string key) =>
        LinkPattern().Matches(text).Select(m => m.Value).FirstOrDefault(l => l.EndsWith("k=" + key, StringComparison.Ordinal));

    /// <summary>The plain-text bodies of what reached a recipient: from MailDev (SMTP), or from the SendGrid stand-in.</summary>
    private sealed class Mailbox(ProductionProviders? providers, MailDevInbox mailDev)
    {
        public async Task<IReadOnlyList<string>> ToAsync(string address) =>
            providers is null ? (await mailDev.ToAsync(address)).Select(m => m.TextBody ?? string.Empty).ToList() : providers.Texts(address);

        public async Task<IReadOnlyList<string>> WaitForAsync(string address, Func<string, bool> match, int count = 1, TimeSpan? timeout = null)
        {
            IReadOnlyList<string> found = [];
            await Eventually.HoldsAsync(
                async () => (found = (await ToAsync(address)).Where(match).ToList()).Count >= count,
                $"{count} matching e-mail(s) to {address}",
                timeout ?? TimeSpan.FromSeconds(30));
            return found;
        }
    }

    [GeneratedRegex(@"https?://[^\s""<>]+/l/[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\?k=[A-Za-z]+")]
    private static partial Regex LinkPattern();
}
