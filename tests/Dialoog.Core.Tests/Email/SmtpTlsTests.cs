using System.Net;
using Azure.Data.Tables;
using Dialoog.Core.Email;
using Dialoog.Core.Tests.Email.Support;
using Dialoog.Core.Tests.Health;
using Dialoog.Core.Tests.Testing;
using Dialoog.Testing;
using MailKit.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Dialoog.Core.Tests.Email;

/// <summary>
/// Mail to a server on another machine goes over TLS, and the password only ever after the handshake: MailKit against
/// a loopback server with a self-signed certificate (STARTTLS, TLS on connect, or none), and against MailDev (plain).
/// </summary>
[Collection(DevStackCollection.Name)]
public sealed class SmtpTlsTests(DevStackFixture stack)
{
    private const string UserName = "dialoog-relay";
    private const string Password = "relay-wachtwoord-7f3a";

    private readonly MailDevInbox inbox = new(stack.MailDevApi);
    private readonly string taskHub = stack.NewTaskHubName();

    [Theory]
    [InlineData(nameof(SmtpTls.StartTls), "StartTls", "EHLO STARTTLS")]
    [InlineData(nameof(SmtpTls.OnConnect), "SslOnConnect", "")]
    public async Task SendAsync_TlsServerWithPassword_EncryptsBeforeAuthenticatingAndSending(string server, string security, string allowedInPlainText)
    {
        await using var relay = SmtpStandIn.Start(Enum.Parse<SmtpTls>(server), (UserName, Password));
        var message = Plain("fatima@example.org");

        Assert.True(await Sender(Smtp(relay, security, withPassword: true)).SendAsync(message, CancellationToken.None));

        var mail = Assert.Single(relay.Received);
        Assert.True(mail.Tls);
        Assert.Equal(UserName, mail.UserName);
        Assert.Equal(["fatima@example.org"], mail.To);
        Assert.Contains($"Subject: {message.Subject}", mail.Data, StringComparison.Ordinal);
        Assert.Contains(relay.Commands, c => c is { Verb: "AUTH", Tls: true });
        Assert.Equal(allowedInPlainText, string.Join(' ', relay.Commands.Where(c => !c.Tls).Select(c => c.Verb)));
    }

    [Fact]
    public async Task SendAsync_MailDevWithTlsOnConnectAndAPassword_AuthenticatesAndDelivers()
    {
        await using var mailDev = await SecureMailDev.StartAsync(stack, UserName, Password);
        var smtp = new MailOptions.SmtpSettings
        {
            Host = "127.0.0.1",
            Port = mailDev.SmtpPort,
            Security = "SslOnConnect",
            ServerCertificateValidation = mailDev.TrustThisCertificate,
        };
        var withoutPassword = Plain("lotte@example.org");
        var message = Plain("lotte@example.org");

        // This MailDev takes mail only after AUTH, so the delivery below proves the sender authenticated.
        var refused = await Assert.ThrowsAsync<EmailSendException>(() => Sender(smtp).SendAsync(withoutPassword, CancellationToken.None));
        Assert.False(refused.Permanent); // the settings lack the password, not the recipient's fault
        smtp.UserName = UserName;
        smtp.Password = Password;
        Assert.True(await Sender(smtp).SendAsync(message, CancellationToken.None));

        var inbox = new MailDevInbox(mailDev.Api);
        Assert.Single(await inbox.WaitForSubjectAsync(message.Subject));
        Assert.Empty(await inbox.WithSubjectAsync(withoutPassword.Subject));
    }

    [Fact]
    public async Task SendAsync_StartTlsButTheServerOffersNoTls_FailsWithoutSendingThePasswordOrTheMail()
    {
        await using var relay = SmtpStandIn.Start(SmtpTls.Never, (UserName, Password));

        var error = await Assert.ThrowsAsync<EmailSendException>(() => Sender(Smtp(relay, "StartTls", withPassword: true)).SendAsync(Plain("gert@example.org"), CancellationToken.None));

        Assert.Contains("STARTTLS", error.Message, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{relay.Port}", error.Message, StringComparison.Ordinal);
        Assert.False(error.Permanent);
        Assert.DoesNotContain(Password, error.ToString(), StringComparison.Ordinal);
        Assert.Empty(relay.Received);
        Assert.All(relay.Commands, c => Assert.Contains(c.Verb, new[] { "EHLO", "QUIT" }));
    }

    [Fact]
    public async Task SendAsync_StartTlsAgainstMailDevWhichHasNoTls_FailsAndNothingArrives()
    {
        var message = Plain("hanna@example.org");
        var smtp = new MailOptions.SmtpSettings { Host = "127.0.0.1", Port = stack.SmtpPort, Security = "StartTls" };

        var error = await Assert.ThrowsAsync<EmailSendException>(() => Sender(smtp).SendAsync(message, CancellationToken.None));

        Assert.Contains("STARTTLS", error.Message, StringComparison.Ordinal);
        var marker = Plain("marker@example.org");
        await Sender(MailDev("None")).SendAsync(marker, CancellationToken.None);
        await inbox.WaitForSubjectAsync(marker.Subject); // MailDev stores in order: had the first arrived, it would be there now
        Assert.Empty(await inbox.WithSubjectAsync(message.Subject));
    }

    [Theory]
    [InlineData("None")]
    [InlineData("")]
    public async Task SendAsync_MailDevOnLoopbackInPlainText_StillDelivers(string security)
    {
        var message = Plain("ilse@example.org");

        Assert.True(await Sender(MailDev(security)).SendAsync(message, CancellationToken.None));

        Assert.Single(await inbox.WaitForSubjectAsync(message.Subject));
    }

    [Fact]
    public async Task SendAsync_CertificateTheSystemDoesNotTrust_FailsBeforeThePasswordIsSent()
    {
        await using var relay = SmtpStandIn.Start(SmtpTls.StartTls, (UserName, Password));
        var smtp = Smtp(relay, "StartTls", withPassword: true);
        smtp.ServerCertificateValidation = null;

        var error = await Assert.ThrowsAsync<EmailSendException>(() => Sender(smtp).SendAsync(Plain("jan@example.org"), CancellationToken.None));

        Assert.False(error.Permanent);
        Assert.IsType<SslHandshakeException>(error.InnerException);
        Assert.Empty(relay.Received);
        Assert.DoesNotContain(relay.Commands, c => c.Verb is "AUTH" or "MAIL");
    }

    [Fact]
    public async Task SendAsync_WrongPassword_FailsAndSendsNothing()
    {
        await using var relay = SmtpStandIn.Start(SmtpTls.StartTls, (UserName, Password));
        var smtp = Smtp(relay, "StartTls", withPassword: true);
        smtp.Password = "niet-het-wachtwoord";

        var error = await Assert.ThrowsAsync<EmailSendException>(() => Sender(smtp).SendAsync(Plain("karin@example.org"), CancellationToken.None));

        Assert.IsType<MailKit.Security.AuthenticationException>(error.InnerException);
        Assert.DoesNotContain("niet-het-wachtwoord", error.ToString(), StringComparison.Ordinal);
        Assert.Empty(relay.Received);
    }

    [Theory]
    [InlineData("127.0.0.1", "", SecureSocketOptions.None)]
    [InlineData("localhost", "", SecureSocketOptions.None)]
    [InlineData("::1", "none", SecureSocketOptions.None)]
    [InlineData("[::1]", "None", SecureSocketOptions.None)]
    [InlineData("127.0.0.1", "StartTls", SecureSocketOptions.StartTls)]
    [InlineData("smtp.gemeente.example", "", SecureSocketOptions.StartTls)]
    [InlineData("smtp.gemeente.example", "StartTls", SecureSocketOptions.StartTls)]
    [InlineData("smtp.gemeente.example", "sslonconnect", SecureSocketOptions.SslOnConnect)]
    public void SocketOptions_EachSetting_IsTheMatchingMailKitOption(string host, string security, SecureSocketOptions expected)
    {
        Assert.Equal(expected, SmtpConnection.SocketOptions(new MailOptions.SmtpSettings { Host = host, Security = security }));
    }

    [Theory]
    [InlineData("smtp.gemeente.example", "None", false)]
    [InlineData("192.0.2.10", "None", false)]
    [InlineData("localhost.gemeente.example", "None", false)]
    [InlineData("127.0.0.1", "None", true)]
    [InlineData("127.0.0.1", "", true)]
    public void SocketOptions_PlainTextToAnotherMachineOrWithAPassword_Refused(string host, string security, bool withPassword)
    {
        // Settings are checked at start; options made in code meet this last check before any byte goes out.
        var smtp = new MailOptions.SmtpSettings { Host = host, Security = security, UserName = withPassword ? UserName : "", Password = withPassword ? Password : "" };

        var error = Assert.Throws<InvalidOperationException>(() => SmtpConnection.SocketOptions(smtp));

        Assert.DoesNotContain(Password, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ready_SmtpWithTlsOnConnect_TheProbeHandshakesWithoutAuthenticating()
    {
        await using var relay = SmtpStandIn.Start(SmtpTls.OnConnect, (UserName, Password));
        var settings = RunningApp.SettingsFor(stack);
        settings["Mail:Smtp:Port"] = relay.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Mail:Smtp:Security"] = "SslOnConnect";
        settings["Mail:Smtp:UserName"] = UserName;
        settings["Mail:Smtp:Password"] = Password;
        await using var app = await RunningApp.StartWithApiKeyAsync(settings, services => services.PostConfigure<MailOptions>(o => o.Smtp.ServerCertificateValidation = relay.TrustThisCertificate));

        var (_, body) = await HealthJson.GetAsync(app.Client, "/health/ready");

        var smtp = body.GetProperty("checks").GetProperty("smtp");
        Assert.True(smtp.GetProperty("status").GetString() == "Healthy", smtp.ToString());
        Assert.NotEmpty(relay.Commands);
        Assert.All(relay.Commands, c => Assert.True(c.Tls));
        Assert.DoesNotContain(relay.Commands, c => c.Verb == "AUTH");
    }

    [Fact]
    public async Task Ready_StartTlsButTheServerOffersNone_SmtpUnhealthySayingWhy()
    {
        var settings = RunningApp.SettingsFor(stack);
        settings["Mail:Smtp:Security"] = "StartTls";
        await using var app = await RunningApp.StartWithApiKeyAsync(settings);

        var (status, body) = await HealthJson.GetAsync(app.Client, "/health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        var smtp = body.GetProperty("checks").GetProperty("smtp");
        Assert.Equal("Unhealthy", smtp.GetProperty("status").GetString());
        Assert.Contains("STARTTLS", smtp.GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    private static MailOptions.SmtpSettings Smtp(SmtpStandIn relay, string security, bool withPassword) => new()
    {
        Host = "127.0.0.1",
        Port = relay.Port,
        Security = security,
        UserName = withPassword ? UserName : "",
        Password = withPassword ? Password : "",
        ServerCertificateValidation = relay.TrustThisCertificate,
    };

    private MailOptions.SmtpSettings MailDev(string security) => new() { Host = "127.0.0.1", Port = stack.SmtpPort, Security = security };

    private SmtpEmailSender Sender(MailOptions.SmtpSettings smtp)
    {
        var options = Options.Create(new MailOptions { FromAddress = "dialoog@gemeente.example", FromName = "Dialoog Gemeente", Smtp = smtp });
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Durable:TaskHub"] = taskHub })
            .Build();
        return new SmtpEmailSender(
            options,
            new TableServiceClient(stack.StorageConnectionString),
            configuration,
            new HostingEnvironment { EnvironmentName = "Production" },
            TimeProvider.System,
            NullLogger<SmtpEmailSender>.Instance);
    }

    private static EmailMessage Plain(string to) =>
        new(Guid.NewGuid().ToString(), new MailAddress("Deelnemer", to), "Test " + Guid.NewGuid().ToString("N"), "<p>Hallo</p>", "Hallo", [],
            new Dictionary<string, string> { [EmailTags.ProcessId] = "process-9", [EmailTags.Kind] = "ReplyReminder" });
}
