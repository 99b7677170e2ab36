using System.Net;
using System.Net.Sockets;
using System.Text;
using Azure.Data.Tables;
using Dialoog.Core.Calendar;
using Dialoog.Core.Email;
using Dialoog.Core.Tests.Testing;
using Dialoog.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;
using Moq;
using IcalCalendar = Ical.Net.Calendar;

namespace Dialoog.Core.Tests.Email;

[Collection(DevStackCollection.Name)]
public sealed class SmtpEmailSenderTests(DevStackFixture stack)
{
    private const string From = "dialoog@gemeente.example";
    private static readonly DateTime SessionStart = new(2026, 12, 8, 18, 30, 0, DateTimeKind.Utc);

    private readonly MailDevInbox inbox = new(stack.MailDevApi);
    private readonly string taskHub = stack.NewTaskHubName();

    [Fact]
    public async Task SendAsync_InvitationWithCalendar_DeliversOneMailWithHeadersPartsAndCalendar()
    {
        var subject = UniqueSubject();
        var message = await InvitationAsync(subject, new MailAddress("Fatima Yilmaz", "fatima@example.org"));

        var sent = await Sender().SendAsync(message, CancellationToken.None);

        Assert.True(sent);
        var mail = Assert.Single(await inbox.WaitForSubjectAsync(subject));
        Assert.Equal("Dialoog Gemeente", Assert.IsType<MailboxAddress>(Assert.Single(mail.From)).Name);
        Assert.Equal(From, Assert.IsType<MailboxAddress>(Assert.Single(mail.From)).Address);
        Assert.Equal("fatima@example.org", Assert.IsType<MailboxAddress>(Assert.Single(mail.To)).Address);
        Assert.Equal(subject, mail.Subject);
        Assert.Equal(SentMailKey.For(message.IdempotencyKey).MessageId, mail.MessageId);
        Assert.Equal("process-7", mail.Headers["X-Dialoog-Process"]);
        Assert.Equal("Invitation", mail.Headers["X-Dialoog-Kind"]);

        var mixed = Assert.IsType<Multipart>(mail.Body);
        Assert.Equal("multipart/mixed", mixed.ContentType.MimeType);
        var alternative = Assert.IsType<MultipartAlternative>(mixed[0]);
        Assert.Equal(["text/plain", "text/html", "text/calendar"], alternative.Select(part => part.ContentType.MimeType));
        Assert.Contains("Beste Fatima Yilmaz,", alternative.TextBody, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"nl\">", alternative.HtmlBody, StringComparison.Ordinal);
        var inline = Assert.IsAssignableFrom<MimePart>(alternative[2]);
        Assert.Equal("REQUEST", inline.ContentType.Parameters["method"]);

        var file = Assert.IsType<MimePart>(mixed[1]);
        Assert.True(file.IsAttachment);
        Assert.Equal("uitnodiging.ics", file.FileName);
        Assert.Equal("application/ics", file.ContentType.MimeType);
        var calendar = IcalCalendar.Load(Decode(file))!;
        Assert.Equal("REQUEST", calendar.Method);
        Assert.Equal("session-1@dialoog", Assert.Single(calendar.Events).Uid);
        Assert.Equal(Decode(file), Decode(inline));
    }

    [Fact]
    public async Task SendAsync_SameKeyTwice_DeliversOneMail()
    {
        var subject = UniqueSubject();
        var message = Plain(subject, "ans@example.org");
        var sender = Sender();

        var first = await sender.SendAsync(message, CancellationToken.None);
        var second = await Sender().SendAsync(message with { Subject = subject + " again" }, CancellationToken.None);

        Assert.True(first);
        Assert.False(second);
        await AssertNothingElseArrivesAsync(subject, expected: 1);
    }

    [Fact]
    public async Task SendAsync_KeyLeftSendingByACrash_SendsAgainWithTheSameMessageId()
    {
        var subject = UniqueSubject();
        var message = Plain(subject, "bert@example.org");
        var key = SentMailKey.For(message.IdempotencyKey);
        var log = new SentMailLog(new TableServiceClient(stack.StorageConnectionString).GetTableClient(SentMailLog.TableName(taskHub)));
        // Claimed longer ago than any delivery takes: the attempt that claimed it died.
        await log.MarkSendingAsync(key, message.Tags, DateTimeOffset.UtcNow - SentMailLog.ClaimTimeout - TimeSpan.FromSeconds(1), CancellationToken.None);

        var sent = await Sender().SendAsync(message, CancellationToken.None);

        Assert.True(sent);
        Assert.Equal(key.MessageId, Assert.Single(await inbox.WaitForSubjectAsync(subject)).MessageId);
        Assert.Equal(SentMailState.Sent, await log.GetStateAsync(key, CancellationToken.None));
    }

    [Fact]
    public async Task SendAsync_TwoAttemptsAtOnce_OneEmailGoesOut()
    {
        // The engine can run one activity twice at once (a duplicate message on a second worker).
        var subject = UniqueSubject();
        var message = Plain(subject, "bert@example.org");

        var results = await Task.WhenAll(Sender().SendAsync(message, CancellationToken.None), Sender().SendAsync(message, CancellationToken.None));

        Assert.Equal([false, true], results.Order());
        Assert.Single(await inbox.WaitForSubjectAsync(subject));
        await AssertNothingElseArrivesAsync(subject, expected: 1);
    }

    [Fact]
    public async Task SendAsync_KeyClaimedByAnAttemptStillUnderWay_WaitsForItAndSendsNothing()
    {
        var subject = UniqueSubject();
        var message = Plain(subject, "bert@example.org");
        var key = SentMailKey.For(message.IdempotencyKey);
        var log = new SentMailLog(new TableServiceClient(stack.StorageConnectionString).GetTableClient(SentMailLog.TableName(taskHub)));
        await log.MarkSendingAsync(key, message.Tags, DateTimeOffset.UtcNow, CancellationToken.None);

        var attempt = Sender().SendAsync(message, CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(1)); // the other attempt finishes while this one waits
        Assert.False(attempt.IsCompleted, "a second attempt must wait for the one under way");
        await log.MarkSentAsync(key, DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.False(await attempt.WaitAsync(TimeSpan.FromSeconds(10)));
        await AssertNothingElseArrivesAsync(subject, expected: 0);
    }

    [Fact]
    public async Task SendAsync_TwoRecipients_NeitherSeesTheOther()
    {
        var subject = UniqueSubject();
        var sender = Sender();

        await sender.SendAsync(Plain(subject, "carla@example.org"), CancellationToken.None);
        await sender.SendAsync(Plain(subject, "dirk@example.org"), CancellationToken.None);

        var mails = await inbox.WaitForSubjectAsync(subject, count: 2);
        Assert.Equal(2, mails.Count);
        Assert.All(mails, mail =>
        {
            var to = Assert.IsType<MailboxAddress>(Assert.Single(mail.To)).Address;
            var other = to == "carla@example.org" ? "dirk@example.org" : "carla@example.org";
            Assert.Empty(mail.Cc);
            Assert.Empty(mail.Bcc);
            Assert.DoesNotContain(other, mail.ToString(), StringComparison.Ordinal);
        });
        Assert.Equal(["carla@example.org", "dirk@example.org"], mails.Select(m => ((MailboxAddress)m.To[0]).Address).Order());
    }

    [Fact]
    public async Task SendAsync_SmtpServerDown_ThrowsAClearErrorAndLeavesTheKeyOpenForARetry()
    {
        var message = Plain(UniqueSubject(), "eva@example.org");
        var deadPort = FreePort();

        var error = await Assert.ThrowsAsync<EmailSendException>(() => Sender(smtpPort: deadPort).SendAsync(message, CancellationToken.None));

        Assert.Contains($"127.0.0.1:{deadPort}", error.Message, StringComparison.Ordinal);
        Assert.Contains("process-7", error.Message, StringComparison.Ordinal);
        Assert.False(error.Permanent);
        Assert.True(await Sender().SendAsync(message, CancellationToken.None));
        Assert.Single(await inbox.WaitForSubjectAsync(message.Subject));
    }

    [Theory]
    [InlineData("Development", "2", 2)]
    [InlineData("Production", "2", null)]
    [InlineData("Development", "0", null)]
    [InlineData("Development", null, null)]
    public void CrashAfterSentMails_OnlyAPositiveCountInDevelopment_ArmsTheHook(string environment, string? setting, int? expected)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [SmtpEmailSender.CrashAfterSentMailsSetting] = setting })
            .Build();
        var host = Mock.Of<IHostEnvironment>(e => e.EnvironmentName == environment);

        Assert.Equal(expected, SmtpEmailSender.CrashAfterSentMails(configuration, host));
    }

    [Fact]
    public void App_WithSmtpAndIcsProviders_RegistersSmtpSenderAndIcsCalendar()
    {
        using var app = RunningApp.Build(RunningApp.SettingsFor(stack));

        Assert.IsType<SmtpEmailSender>(app.Services.GetRequiredService<IEmailSender>());
        Assert.IsType<IcsSessionCalendar>(app.Services.GetRequiredService<ISessionCalendar>());
        Assert.Same(app.Services.GetRequiredService<IEmailSender>(), app.Services.GetRequiredService<IEmailSender>());
    }

    private SmtpEmailSender Sender(int? smtpPort = null)
    {
        var options = Options.Create(new MailOptions
        {
            FromAddress = From,
            FromName = "Dialoog Gemeente",
            Smtp = { Host = "127.0.0.1", Port = smtpPort ?? stack.SmtpPort },
        });
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Durable:TaskHub"] = taskHub })
            .Build();
        return new SmtpEmailSender(
            options,
            new TableServiceClient(stack.StorageConnectionString),
            configuration,
            Mock.Of<IHostEnvironment>(e => e.EnvironmentName == "Production"),
            TimeProvider.System,
            NullLogger<SmtpEmailSender>.Instance);
    }

    /// <summary>
    /// A marker e-mail sent after the others arrives after them (MailDev stores in order), so once it is there, any
    /// extra copy would be too: no fixed sleep needed.
    /// </summary>
    private async Task AssertNothingElseArrivesAsync(string subject, int expected)
    {
        var marker = subject + " marker";
        await Sender().SendAsync(Plain(marker, "marker@example.org"), CancellationToken.None);
        await inbox.WaitForSubjectAsync(marker);
        Assert.Equal(expected, (await inbox.WithSubjectAsync(subject)).Count(mail => mail.Subject != marker));
    }

    private static async Task<EmailMessage> InvitationAsync(string subject, MailAddress to)
    {
        var composed = MailComposer.Compose(new MailContent(
            MailKind.Invitation,
            "nl",
            to.Name,
            "Iedereen aan tafel",
            "Wijk Noord",
            null,
            "Joke de Vries",
            "regie@gemeente.example",
            [new MailSession("Eerste gesprek", SessionStart, SessionStart.AddHours(2), "Buurthuis De Linde", null)],
            SessionStart.AddDays(-7),
            [new MailLink("yes", "https://dialoog.example/r/1?c=yes"), new MailLink("no", "https://dialoog.example/r/1?c=no")],
            []));
        var calendar = new IcsSessionCalendar(TimeProvider.System);
        var attachments = await calendar.AttachmentsForAsync(
            new CalendarEvent("session-1@dialoog", 0, "Iedereen aan tafel", composed.Text, SessionStart, SessionStart.AddHours(2),
                "Buurthuis De Linde", null, new MailAddress("Joke de Vries", "regie@gemeente.example"), Cancelled: false),
            to,
            CancellationToken.None);
        return new EmailMessage(Guid.NewGuid().ToString(), to, subject, composed.Html, composed.Text, attachments, Tags("Invitation"));
    }

    [Fact]
    public async Task SendAsync_WithReplyTo_TheMailSaysWhereRepliesGo()
    {
        var subject = UniqueSubject();
        var message = Plain(subject, "fatima@example.org") with { ReplyTo = new MailAddress("Joke de Vries", "regie@gemeente.example") };

        Assert.True(await Sender().SendAsync(message, CancellationToken.None));

        var mail = Assert.Single(await inbox.WaitForSubjectAsync(subject));
        var replyTo = Assert.IsType<MailboxAddress>(Assert.Single(mail.ReplyTo));
        Assert.Equal(("Joke de Vries", "regie@gemeente.example"), (replyTo.Name, replyTo.Address));
    }

    private static EmailMessage Plain(string subject, string to) =>
        new(Guid.NewGuid().ToString(), new MailAddress("Deelnemer", to), subject, "<p>Hallo</p>", "Hallo", [], Tags("ReplyReminder"));

    private static Dictionary<string, string> Tags(string kind) =>
        new() { [EmailTags.ProcessId] = "process-7", [EmailTags.Kind] = kind };

    private static string UniqueSubject() => "Test " + Guid.NewGuid().ToString("N");

    private static string Decode(MimePart part)
    {
        using var content = new MemoryStream();
        part.Content!.DecodeTo(content);
        return Encoding.UTF8.GetString(content.ToArray());
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
