using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dialoog.Core.Processes.Definition;
using Dialoog.Core.Tests.Processes.Support;
using Dialoog.Core.Tests.Testing;
using Dialoog.Testing;
using Dialoog.Web.Api;

namespace Dialoog.Core.Tests.Processes;

/// <summary>
/// One process with a Dutch, an English and an Arabic participant, through the real app on Azurite and MailDev: each
/// gets the invitation in their own language, the Arabic one right to left.
/// </summary>
[Collection(DevStackCollection.Name)]
public sealed class MailLanguagesEndToEndTests(DevStackFixture stack)
{
    [Fact]
    public async Task Invitations_ToNlEnAndArParticipants_ArriveEachInTheirLanguage_ArabicRightToLeft()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        string Address(string who) => LiveDefinitions.Address(run, who);
        var settings = RunningApp.SettingsFor(stack);
        settings["Durable:TaskHub"] = "taal" + run;
        await using var app = await RunningApp.StartAsync(settings);
        app.Client.DefaultRequestHeaders.Add(CoordinatorApiKeyFilter.HeaderName, settings["Api:CoordinatorApiKey"]);
        var inbox = new MailDevInbox(stack.MailDevApi);

        var startUtc = AmsterdamTime.ToUtc(AmsterdamTime.FromUtc(DateTime.UtcNow).Date.AddDays(30).AddHours(19.5));
        var topic = $"Speelplek {run}";
        var definition = LiveDefinitions.ThreePeople(run, topic, startUtc, startUtc.AddHours(2), new JsonObject { ["replyDeadline"] = "P7D" });
        var people = definition["participants"]!.AsArray();
        people[1]!["language"] = Languages.English;
        people[2]!["language"] = Languages.Arabic;
        using (var started = await app.Client.PostAsJsonAsync("/api/processes", new JsonObject { ["definition"] = definition }))
        {
            Assert.True(started.StatusCode == HttpStatusCode.Accepted, await started.Content.ReadAsStringAsync());
        }

        var anna = (await inbox.WaitForAsync(Address("anna"), _ => true))[0];
        var bram = (await inbox.WaitForAsync(Address("bram"), _ => true))[0];
        var greet = (await inbox.WaitForAsync(Address("greet"), _ => true))[0];

        Assert.Equal($"Uitnodiging: gesprek over {topic}", anna.Subject);
        Assert.Contains("<html lang=\"nl\">", anna.HtmlBody, StringComparison.Ordinal);
        Assert.StartsWith("Beste Anna,", anna.TextBody, StringComparison.Ordinal);
        Assert.Contains("Ja, ik kom", anna.HtmlBody, StringComparison.Ordinal);

        Assert.Equal($"Invitation: dialogue about {topic}", bram.Subject);
        Assert.Contains("<html lang=\"en\">", bram.HtmlBody, StringComparison.Ordinal);
        Assert.StartsWith("Dear Bram,", bram.TextBody, StringComparison.Ordinal);
        Assert.Contains("Yes, I will come", bram.HtmlBody, StringComparison.Ordinal);

        Assert.Equal($"دعوة: حوار حول {topic}", greet.Subject);
        Assert.Contains("<html lang=\"ar\" dir=\"rtl\">", greet.HtmlBody, StringComparison.Ordinal);
        Assert.StartsWith("عزيزي/عزيزتي Greet،", greet.TextBody, StringComparison.Ordinal);
        Assert.Contains("نعم، سأحضر", greet.HtmlBody, StringComparison.Ordinal);
        var start = AmsterdamTime.FromUtc(startUtc);
        var when = $"{start.ToString("dddd d MMMM yyyy", CultureInfo.GetCultureInfo("ar"))}، 19:30 – 21:30";
        Assert.Contains(when, greet.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("Beste", greet.TextBody, StringComparison.Ordinal);

        // The Arabic invitation is a whole invitation: the calendar item and personal reply links come with it.
        Assert.NotNull(MailDevInbox.Calendar(greet));
        static int Links(string? text) => (text ?? "").Split("http", StringSplitOptions.None).Length - 1;
        Assert.True(Links(anna.TextBody) >= 4, anna.TextBody);
        Assert.Equal(Links(anna.TextBody), Links(greet.TextBody));
    }
}
