using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Dialoog.Core.Engine;
using Dialoog.Core.Processes;
using Dialoog.Core.Processes.Definition;
using Dialoog.Core.Tests.Processes.Support;
using Dialoog.Core.Tests.Testing;
using Dialoog.Testing;
using Dialoog.Web.Api;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Dialoog.Core.Tests.Processes;

/// <summary>
/// <c>Idempotency-Key</c> on <c>POST /api/processes</c> against the real app: a retry gets the same process, also in
/// parallel; a key whose process was purged never brings that process id back, and the personal links of a purged
/// process never act on a later process with the same id; after its window a key starts a new process.
/// </summary>
[Collection(SecondDevStackCollection.Name)]
public sealed partial class IdempotencyKeyTests(DevStackFixture stack)
{
    private readonly string run = Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task ReusedKey_AfterItsProcessWasPurged_IsRefusedWith410_AndNoProcessGetsTheOldId()
    {
        await using var app = await StartAppAsync();
        var key = "aanvraag-" + run;
        var (status, id) = await SubmitAsync(app, key);
        Assert.Equal(HttpStatusCode.Accepted, status);
        var oldLink = await ReplyLinkAsync($"a-{run}@example.org");

        await PurgeAsync(app, id);

        // The same key again, within its window: the process it named is gone, and it stays gone.
        using (var request = Request(key))
        using (var again = await app.Client.SendAsync(request))
        {
            Assert.Equal(HttpStatusCode.Gone, again.StatusCode);
            Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
            var problem = (await again.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.Contains("Idempotency-Key", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Contains("nieuwe sleutel", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        var client = app.Services.GetRequiredService<DurableTaskClient>();
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Null(await client.GetInstanceAsync(id));
        Assert.Empty(await client.AllInstancesAsync());

        // The old personal link opens no process page.
        using var page = await app.Client.GetAsync(oldLink);
        Assert.NotEqual(HttpStatusCode.OK, page.StatusCode);
        Assert.DoesNotContain("Uw antwoord", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OldLink_OfAPurgedProcess_DoesNotOpenOrChangeANewProcessWithTheSameId()
    {
        await using var app = await StartAppAsync();
        var (_, id) = await SubmitAsync(app, key: null);
        var oldLink = await ReplyLinkAsync($"a-{run}@example.org");
        var client = app.Services.GetRequiredService<DurableTaskClient>();
        var input = JsonNode.Parse((await client.GetInstanceAsync(id, getInputsAndOutputs: true))!.SerializedInput!)!.AsObject();

        await PurgeAsync(app, id);

        // Whatever brings an id back (here: the engine asked directly), the new process is another one: its own
        // random nonce, the same definition, so the same participant ids (p1 is p1 again).
        input["Nonce"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        await client.ScheduleNewOrchestrationInstanceAsync(nameof(DialogueProcessOrchestrator), input, new StartOrchestrationOptions(id));
        var newLink = await ReplyLinkAsync($"a-{run}@example.org", count: 2);

        using (var page = await app.Client.GetAsync(oldLink))
        {
            var html = await page.Content.ReadAsStringAsync();
            Assert.DoesNotContain("Proef in de proefwijk", html, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
            Assert.Contains("Deze link klopt niet", html, StringComparison.Ordinal);
        }

        Assert.NotEqual(oldLink, newLink);

        using (var post = await app.Client.PostAsync(oldLink.Split('?')[0], new FormUrlEncodedContent(new Dictionary<string, string> { ["antwoord"] = "yes" })))
        {
            Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        }

        // The new process's own link works, and p1 of the new process has not answered.
        using (var page = await app.Client.GetAsync(newLink))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("Uw antwoord", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var details = await app.Client.GetFromJsonAsync<JsonObject>($"/api/processes/{id}");
        Assert.Null(details!["participants"]!.AsArray().Single(p => p!["id"]!.GetValue<string>() == "p1")!["answer"]);
        using (await app.Client.PostAsJsonAsync($"/api/processes/{id}/cancel", new { reason = "Proef" }))
        {
        }
    }

    [Fact]
    public async Task SameKey_InParallel_StartsOneProcess_AndEveryRequestGetsIt()
    {
        await using var app = await StartAppAsync();
        var key = "parallel-" + run;

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => SubmitAsync(app, key)));
        var retry = await SubmitAsync(app, key);

        Assert.All(answers.Append(retry), a => Assert.Equal(HttpStatusCode.Accepted, a.Status));
        var id = Assert.Single(answers.Append(retry).Select(a => a.Id).Distinct());
        var client = app.Services.GetRequiredService<DurableTaskClient>();
        Assert.Equal([id], (await client.AllInstancesAsync()).Select(i => i.InstanceId));
        await new MailDevInbox(stack.MailDevApi).WaitForAsync($"a-{run}@example.org", _ => true);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Single(await new MailDevInbox(stack.MailDevApi).ToAsync($"a-{run}@example.org"));
    }

    [Fact]
    public async Task Key_AfterItsWindow_StartsANewProcessWithANewId()
    {
        // The app's clock is moved past the window instead of waited on, so a busy machine cannot make this flake.
        var window = TimeSpan.FromHours(1);
        var time = new MovableTime();
        await using var app = await StartAppAsync(window, time);
        var key = "venster-" + run;

        var (_, first) = await SubmitAsync(app, key);
        var (_, retry) = await SubmitAsync(app, key);
        Assert.Equal(first, retry);

        time.Advance(window + TimeSpan.FromMinutes(1));
        var (status, later) = await SubmitAsync(app, key);

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.NotEqual(first, later);
        Assert.StartsWith(ProcessesApi.InstanceIdPrefix, later, StringComparison.Ordinal);
        var client = app.Services.GetRequiredService<DurableTaskClient>();
        Assert.Equal(new[] { first, later }.Order(StringComparer.Ordinal), (await client.AllInstancesAsync()).Select(i => i.InstanceId).Order(StringComparer.Ordinal));

        // And the new process is now the key's answer for a retry.
        Assert.Equal(later, (await SubmitAsync(app, key)).Id);
    }

    [Fact]
    public async Task Key_UsedBeforeKeysWereRemembered_StillGetsItsProcessBack()
    {
        await using var app = await StartAppAsync();
        var key = "oud-" + run;

        // Before keys were stored, the process id was derived from the key alone.
        var legacyId = ProcessesApi.InstanceIdPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("process:" + key)))[..16];
        var (definition, problems) = app.Services.GetRequiredService<ProcessTemplates>().Resolve(null, Valid(), DateTime.UtcNow);
        Assert.Empty(problems);
        var client = app.Services.GetRequiredService<DurableTaskClient>();
        await client.ScheduleNewOrchestrationInstanceAsync(nameof(DialogueProcessOrchestrator), new DialogueProcessInput(definition!), new StartOrchestrationOptions(legacyId));

        var (status, id) = await SubmitAsync(app, key);

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal(legacyId, id);
        Assert.Equal([legacyId], (await client.AllInstancesAsync()).Select(i => i.InstanceId));
    }

    [Fact]
    public async Task KeyOfAPurgedProcess_IsFreeAgainAfterItsWindow_ForANewId_AndThePurgeRoundForgetsOldRows()
    {
        await using var app = await StartAppAsync();
        var key = "later-" + run;
        var (_, id) = await SubmitAsync(app, key);
        await PurgeAsync(app, id);

        // 31 days on (the default window is 30): the key starts a new process, with a new id.
        var later = Keys(app, TimeSpan.FromDays(31));
        Assert.Equal(TimeSpan.FromDays(30), later.Window);
        var started = new List<string>();
        var next = await later.StartOnceAsync(key, (newId, _) => { started.Add(newId); return Task.CompletedTask; }, CancellationToken.None);
        Assert.NotNull(next);
        Assert.NotEqual(id, next);
        Assert.Equal([next!], started);

        // The purge round forgets rows past the window: now the purged process's, a month later the key's new use.
        Assert.Equal(1, await later.ForgetExpiredAsync(CancellationToken.None));
        Assert.Equal(1, await Keys(app, TimeSpan.FromDays(62)).ForgetExpiredAsync(CancellationToken.None));
        Assert.Equal(0, await Keys(app, TimeSpan.FromDays(62)).ForgetExpiredAsync(CancellationToken.None));
    }

    private static IdempotencyKeys Keys(RunningApp app, TimeSpan shift) =>
        ActivatorUtilities.CreateInstance<IdempotencyKeys>(app.Services, (TimeProvider)new ShiftedTime(shift));

    private async Task<RunningApp> StartAppAsync(TimeSpan? window = null, TimeProvider? time = null)
    {
        var settings = RunningApp.SettingsFor(stack);
        settings["Durable:TaskHub"] = "idem" + run;
        settings["Privacy:PurgeInterval"] = "00:00:00";
        if (window is { } w)
        {
            settings["Idempotency:Window"] = w.ToString("c", CultureInfo.InvariantCulture);
        }

        var app = await RunningApp.StartWithApiKeyAsync(settings, time is null ? null : services => services.AddSingleton(time));
        return app;
    }

    private HttpRequestMessage Request(string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/processes") { Content = JsonContent.Create(new JsonObject { ["definition"] = Valid() }) };
        if (key is not null)
        {
            request.Headers.Add(ProcessesApi.IdempotencyKeyHeader, key);
        }

        return request;
    }

    private async Task<(HttpStatusCode Status, string Id)> SubmitAsync(RunningApp app, string? key)
    {
        using var request = Request(key);
        using var response = await app.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {body}");
        return (response.StatusCode, JsonNode.Parse(body)!["id"]!.GetValue<string>());
    }

    /// <summary>The newest reply link ("yes") in the e-mails to <paramref name="address"/>, as a path for the app's client.</summary>
    private async Task<string> ReplyLinkAsync(string address, int count = 1)
    {
        var mails = await new MailDevInbox(stack.MailDevApi).WaitForAsync(address, m => ReplyLink().IsMatch(m.TextBody ?? ""), count);
        var url = new Uri(ReplyLink().Match(mails[^1].TextBody!).Value);
        return url.PathAndQuery;
    }

    /// <summary>Ends the process and purges it, as the retention purge does once its retention is over.</summary>
    private static async Task PurgeAsync(RunningApp app, string id)
    {
        using (var cancel = await app.Client.PostAsJsonAsync($"/api/processes/{id}/cancel", new { reason = "Proef" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        }

        var client = app.Services.GetRequiredService<DurableTaskClient>();
        var ended = await client.WaitForCompletionAsync(id, TimeSpan.FromSeconds(30));
        var instance = await client.GetInstanceAsync(ended.InstanceId, getInputsAndOutputs: true);
        Assert.True(await app.Services.GetRequiredService<Dialoog.Core.Privacy.PrivacyService>().PurgeProcessAsync(instance!, "retention", CancellationToken.None));
        Assert.Null(await client.GetInstanceAsync(id));
    }

    private JsonObject Valid() => LiveDefinitions.TwoPeople(run);

    private sealed class ShiftedTime(TimeSpan shift) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + shift;
    }

    /// <summary>The real clock, plus however far the test has moved it; timers still run on the real clock.</summary>
    private sealed class MovableTime : TimeProvider
    {
        private long shiftTicks;

        public void Advance(TimeSpan by) => Interlocked.Add(ref shiftTicks, by.Ticks);

        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref shiftTicks));
    }

    [GeneratedRegex(@"https?://[^\s""<>]+/l/[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\?k=yes")]
    private static partial Regex ReplyLink();
}
