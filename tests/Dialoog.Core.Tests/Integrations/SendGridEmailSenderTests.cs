using System.Diagnostics;
using System.Text;
using Azure.Data.Tables;
using Dialoog.Core.Calendar;
using Dialoog.Core.Email;
using Dialoog.Core.Tests.Integrations.Support;
using Dialoog.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Dialoog.Core.Tests.Integrations;

/// <summary>The real SendGrid SDK, pointed at a loopback stand-in that checks requests the way SendGrid does.</summary>
[Collection(DevStackCollection.Name)]
public sealed class SendGridEmailSenderTests(DevStackFixture stack) : IAsyncLifetime
{
    private const string From = "dialoog@gemeente.example";
    private readonly string taskHub = stack.NewTaskHubName();
    private readonly ListLogger<SendGridEmailSender> log = new();
    private SendGridStandIn sendGrid = null!;

    public async Task InitializeAsync() => sendGrid = await SendGridStandIn.StartAsync();

    public async Task DisposeAsync() => await sendGrid.DisposeAsync();

    [Fact]
    public async Task SendAsync_InvitationWithCalendar_PostsOneValidV3RequestForTheOneRecipient()
    {
        var message = await InvitationAsync("fatima@example.org");
        using var sender = Sender();

        Assert.True(await sender.SendAsync(message, CancellationToken.None));

        var mail = Assert.Single(sendGrid.Accepted);
        var personalization = Assert.Single(mail["personalizations"]!.AsArray())!;
        var to = Assert.Single(personalization["to"]!.AsArray())!;
        Assert.Equal("fatima@example.org", (string?)to["email"]);
        Assert.Equal("Fatima Yilmaz", (string?)to["name"]);
        Assert.Equal(From, (string?)mail["from"]!["email"]);
        Assert.Equal("Dialoog Gemeente", (string?)mail["from"]!["name"]);
        Assert.Equal(message.Subject, SendGridStandIn.Subject(mail));
        Assert.Equal(
            ["text/plain", "text/html", "text/calendar; method=REQUEST"],
            mail["content"]!.AsArray().Select(c => (string?)c!["type"]));
        Assert.Equal(message.Text, SendGridStandIn.Content(mail, "text/plain"));
        Assert.Equal(message.Html, SendGridStandIn.Content(mail, "text/html"));
        Assert.Contains("METHOD:REQUEST", SendGridStandIn.Content(mail, "text/calendar"), StringComparison.Ordinal);
        var attachment = Assert.Single(mail["attachments"]!.AsArray())!;
        Assert.Equal("uitnodiging.ics", (string?)attachment["filename"]);
        Assert.Equal("application/ics", (string?)attachment["type"]);
        Assert.Equal("attachment", (string?)attachment["disposition"]);
        Assert.Contains("BEGIN:VCALENDAR", Encoding.UTF8.GetString(Convert.FromBase64String((string)attachment["content"]!)), StringComparison.Ordinal);
        Assert.Equal(["Invitation"], mail["categories"]!.AsArray().Select(c => (string?)c));
        Assert.Equal("process-7", SendGridStandIn.CustomArg(mail, "processId"));
        Assert.Equal(message.IdempotencyKey, SendGridStandIn.CustomArg(mail, "idempotencyKey"));
        Assert.False(mail["tracking_settings"]!["click_tracking"]!["enable"]!.GetValue<bool>());
        Assert.Null(mail["mail_settings"]?["sandbox_mode"]);
    }

    [Fact]
    public async Task SendAsync_SameKeyTwice_SendsOnce()
    {
        var message = Plain("eva@example.org");
        using var sender = Sender();

        Assert.True(await sender.SendAsync(message, CancellationToken.None));
        Assert.False(await sender.SendAsync(message, CancellationToken.None));
        using var otherWorker = Sender();
        Assert.False(await otherWorker.SendAsync(message, CancellationToken.None));

        Assert.Equal(1, sendGrid.Requests);
    }

    [Fact]
    public async Task SendAsync_SandboxMode_AsksSendGridNotToDeliverAndCountsAsSent()
    {
        using var sender = Sender(sandbox: true);

        Assert.True(await sender.SendAsync(Plain("eva@example.org"), CancellationToken.None));

        Assert.True(Assert.Single(sendGrid.Accepted)["mail_settings"]!["sandbox_mode"]!["enable"]!.GetValue<bool>());
    }

    [Fact]
    public async Task SendAsync_Throttled_WaitsAsLongAsRetryAfterSaysThenSends()
    {
        sendGrid.AnswerNext(429, retryAfterSeconds: 1);
        using var sender = Sender();
        var clock = Stopwatch.StartNew();

        Assert.True(await sender.SendAsync(Plain("eva@example.org"), CancellationToken.None));

        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.9), $"Waited only {clock.Elapsed}.");
        Assert.Equal(2, sendGrid.Requests);
        Assert.Single(sendGrid.Accepted);
    }

    [Fact]
    public async Task SendAsync_ServerErrorsKeepComing_GivesUpAfterAFewAttemptsAsTemporaryAndCanSendLater()
    {
        for (var i = 0; i < SendGridEmailSender.MaxAttempts; i++)
        {
            sendGrid.AnswerNext(500);
        }

        var message = Plain("eva@example.org");
        using var sender = Sender();

        var error = await Assert.ThrowsAsync<EmailSendException>(() => sender.SendAsync(message, CancellationToken.None));

        Assert.False(error.Permanent);
        Assert.Contains("500", error.Message, StringComparison.Ordinal);
        Assert.Equal(SendGridEmailSender.MaxAttempts, sendGrid.Requests);
        Assert.True(await sender.SendAsync(message, CancellationToken.None)); // the durable retry
    }

    [Fact]
    public async Task SendAsync_RetryAfterLongerThanAnActivityShouldWait_LeavesItToTheDurableRetry()
    {
        sendGrid.AnswerNext(429, retryAfterSeconds: 120);
        using var sender = Sender();

        var error = await Assert.ThrowsAsync<EmailSendException>(() => sender.SendAsync(Plain("eva@example.org"), CancellationToken.None));

        Assert.False(error.Permanent);
        Assert.Equal(1, sendGrid.Requests);
    }

    [Fact]
    public async Task SendAsync_AddressSendGridRefuses_FailsForGoodWithSendGridsMessage()
    {
        using var sender = Sender();

        var error = await Assert.ThrowsAsync<EmailSendException>(() => sender.SendAsync(Plain("eva at example.org"), CancellationToken.None));

        Assert.True(error.Permanent);
        Assert.Contains("400 Does not contain a valid address. (personalizations.0.to.0.email)", error.Message, StringComparison.Ordinal);
        Assert.Contains("process-7", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_WrongApiKey_FailsForGoodAndTheKeyAppearsNowhere()
    {
        const string wrongKey = "SG.wrong-key.never-to-be-seen";
        using var sender = Sender(apiKey: wrongKey);

        var error = await Assert.ThrowsAsync<EmailSendException>(() => sender.SendAsync(Plain("eva@example.org"), CancellationToken.None));

        Assert.True(error.Permanent);
        Assert.Contains("401 The provided authorization grant is invalid, expired, or revoked", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrongKey, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(log.Lines, line => line.Contains(wrongKey, StringComparison.Ordinal));
        Assert.Empty(sendGrid.Accepted);
    }

    private SendGridEmailSender Sender(string apiKey = SendGridStandIn.ApiKey, bool sandbox = false)
    {
        var options = Options.Create(new MailOptions
        {
            Provider = MailOptions.SendGridProvider,
            FromAddress = From,
            FromName = "Dialoog Gemeente",
            SendGrid = { ApiKey = apiKey, BaseUrl = sendGrid.BaseUrl.AbsoluteUri, SandboxMode = sandbox },
        });
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Durable:TaskHub"] = taskHub })
            .Build();
        return new SendGridEmailSender(options, new TableServiceClient(stack.StorageConnectionString), configuration, TimeProvider.System, log);
    }

    [Fact]
    public async Task SendAsync_WithReplyTo_TheRequestSaysWhereRepliesGo()
    {
        var message = Plain("fatima@example.org") with { ReplyTo = new MailAddress("Joke de Vries", "regie@gemeente.example") };
        using var sender = Sender();

        Assert.True(await sender.SendAsync(message, CancellationToken.None));

        var mail = Assert.Single(sendGrid.Accepted);
        Assert.Equal(("regie@gemeente.example", "Joke de Vries"), ((string?)mail["reply_to"]!["email"], (string?)mail["reply_to"]!["name"]));
    }

    private static async Task<EmailMessage> InvitationAsync(string to)
    {
        var start = new DateTime(2026, 12, 8, 18, 30, 0, DateTimeKind.Utc);
        var composed = MailComposer.Compose(new MailContent(
            MailKind.Invitation, "nl", "Fatima Yilmaz", "Iedereen aan tafel", "Wijk Noord", null, "Joke de Vries", "regie@gemeente.example",
            [new MailSession("Eerste gesprek", start, start.AddHours(2), "Buurthuis De Linde", null)],
            start.AddDays(-7),
            [new MailLink("yes", "https://dialoog.example/r/1?c=yes")],
            []));
        var ics = await new IcsSessionCalendar(TimeProvider.System).AttachmentsForAsync(
            new CalendarEvent("process-7-s1@dialoog", 0, "Iedereen aan tafel: Eerste gesprek", "Iedereen aan tafel", start, start.AddHours(2), "Buurthuis De Linde", null,
                new MailAddress("Dialoog", From), Cancelled: false),
            new MailAddress("Fatima Yilmaz", to),
            CancellationToken.None);
        return new EmailMessage(Guid.NewGuid().ToString(), new MailAddress("Fatima Yilmaz", to), composed.Subject, composed.Html, composed.Text, ics,
            new Dictionary<string, string> { [EmailTags.ProcessId] = "process-7", [EmailTags.Kind] = "Invitation" });
    }

    private static EmailMessage Plain(string to) =>
        new(Guid.NewGuid().ToString(), new MailAddress("Eva", to), "Herinnering " + Guid.NewGuid().ToString("N")[..6], "<p>Hallo</p>", "Hallo", [],
            new Dictionary<string, string> { [EmailTags.ProcessId] = "process-7", [EmailTags.Kind] = "ReplyReminder" });
}
