using Dialoog.Testing;
using Dialoog.Web.Hosting;
using Dialoog.Core.Configuration;
using Dialoog.Core.Tests.Testing;

namespace Dialoog.Core.Tests.Configuration;

[Collection(DevStackCollection.Name)]
public sealed class SettingsValidationTests(DevStackFixture stack)
{
    [Theory]
    [InlineData("AzureWebJobsStorage", "AzureWebJobsStorage=")]
    [InlineData("AzureWebJobsStorage", "AzureWebJobsStorage=this is not a connection string")]
    [InlineData("Dialoog__PublicBaseUrl", "Dialoog__PublicBaseUrl=")]
    [InlineData("Dialoog__PublicBaseUrl", "Dialoog__PublicBaseUrl=/relative/path")]
    [InlineData("Dialoog__PublicBaseUrl", "Dialoog__PublicBaseUrl=ftp://files.example")]
    [InlineData("Durable__TaskHub", "Durable__TaskHub=")]
    [InlineData("Durable__TaskHub", "Durable__TaskHub=ab")]
    [InlineData("Durable__TaskHub", "Durable__TaskHub=1dialoog")]
    [InlineData("Durable__TaskHub", "Durable__TaskHub=dia-loog")]
    [InlineData("Durable__TaskHub", "Durable__TaskHub=a1234567890123456789012345678901234567890123456")]
    [InlineData("Mail__Provider", "Mail__Provider=Pigeon")]
    [InlineData("Mail__FromAddress", "Mail__FromAddress=")]
    [InlineData("Mail__FromAddress", "Mail__FromAddress=not-an-address")]
    [InlineData("Mail__FromName", "Mail__FromName=")]
    [InlineData("Mail__Smtp__Host", "Mail__Smtp__Host=")]
    [InlineData("Mail__Smtp__Port", "Mail__Smtp__Port=0")]
    [InlineData("Mail__Smtp__Port", "Mail__Smtp__Port=65536")]
    [InlineData("Mail__Smtp__Port", "Mail__Smtp__Port=smtp")]
    [InlineData("Mail__Smtp__Security", "Mail__Smtp__Security=Tls")]
    [InlineData("Mail__Smtp__Security", "Mail__Smtp__Host=smtp.gemeente.example", "Mail__Smtp__Security=None")]
    [InlineData("Mail__Smtp__Security", "Mail__Smtp__Host=10.1.2.3", "Mail__Smtp__Security=none")]
    [InlineData("Mail__Smtp__Password", "Mail__Smtp__Security=StartTls", "Mail__Smtp__UserName=dialoog")]
    [InlineData("Mail__Smtp__UserName", "Mail__Smtp__Security=StartTls", "Mail__Smtp__Password=geheim-wachtwoord")]
    [InlineData("Mail__Smtp__UserName", "Mail__Smtp__UserName=dialoog", "Mail__Smtp__Password=geheim-wachtwoord")]
    [InlineData("Mail__Smtp__UserName", "Mail__Smtp__Security=None", "Mail__Smtp__UserName=dialoog", "Mail__Smtp__Password=geheim-wachtwoord")]
    [InlineData("Mail__SendGrid__ApiKey", "Mail__Provider=SendGrid", "Mail__SendGrid__ApiKey=")]
    [InlineData("Calendar__Provider", "Calendar__Provider=Outlook")]
    [InlineData("Mail__SendGrid__BaseUrl", "Mail__Provider=SendGrid", "Mail__SendGrid__ApiKey=SG.k", "Mail__SendGrid__BaseUrl=api.sendgrid.com")]
    [InlineData("Calendar__Graph__TenantId", "Calendar__Provider=Graph", "Calendar__Graph__ClientId=c", "Calendar__Graph__ClientSecret=s", "Calendar__Graph__OrganizerMailbox=o@x.example")]
    [InlineData("Calendar__Graph__ClientId", "Calendar__Provider=Graph", "Calendar__Graph__TenantId=t", "Calendar__Graph__ClientSecret=s", "Calendar__Graph__OrganizerMailbox=o@x.example")]
    [InlineData("Calendar__Graph__ClientSecret", "Calendar__Provider=Graph", "Calendar__Graph__TenantId=t", "Calendar__Graph__ClientId=c", "Calendar__Graph__OrganizerMailbox=o@x.example")]
    [InlineData("Calendar__Graph__OrganizerMailbox", "Calendar__Provider=Graph", "Calendar__Graph__TenantId=t", "Calendar__Graph__ClientId=c", "Calendar__Graph__ClientSecret=s")]
    [InlineData("Calendar__Graph__CertificatePath", "Calendar__Provider=Graph", "Calendar__Graph__Credential=Certificate", "Calendar__Graph__TenantId=t", "Calendar__Graph__ClientId=c", "Calendar__Graph__OrganizerMailbox=o@x.example")]
    [InlineData("Calendar__Graph__CertificatePath", "Calendar__Provider=Graph", "Calendar__Graph__Credential=Certificate", "Calendar__Graph__TenantId=t", "Calendar__Graph__ClientId=c", "Calendar__Graph__CertificatePath=/nowhere/app.pfx", "Calendar__Graph__OrganizerMailbox=o@x.example")]
    [InlineData("Calendar__Graph__Credential", "Calendar__Provider=Graph", "Calendar__Graph__Credential=Password", "Calendar__Graph__OrganizerMailbox=o@x.example")]
    [InlineData("Calendar__Graph__BaseUrl", "Calendar__Provider=Graph", "Calendar__Graph__Credential=ManagedIdentity", "Calendar__Graph__OrganizerMailbox=o@x.example", "Calendar__Graph__BaseUrl=graph")]
    [InlineData("Calendar__Graph__ReplyPollInterval", "Calendar__Provider=Graph", "Calendar__Graph__Credential=ManagedIdentity", "Calendar__Graph__OrganizerMailbox=o@x.example", "Calendar__Graph__ReplyPollInterval=-00:01:00")]
    [InlineData("Links__SigningKey", "Links__SigningKey=")]
    [InlineData("Links__SigningKey", "Links__SigningKey=c2hvcnQ=")]
    [InlineData("Links__SigningKey", "Links__SigningKey=not base64 at all, but long enough to pass a length check")]
    [InlineData("Api__CoordinatorApiKey", "Api__CoordinatorApiKey=")]
    [InlineData("Api__MaxUnconfirmedSignUps", "Api__MaxUnconfirmedSignUps=0")]
    [InlineData("Api__MaxUnconfirmedSignUps", "Api__MaxUnconfirmedSignUps=100001")]
    [InlineData("Api__MaxUnconfirmedSignUps", "Api__MaxUnconfirmedSignUps=veel")]
    [InlineData("Telemetry__Console", "Telemetry__Console=yes")]
    [InlineData("Idempotency__Window", "Idempotency__Window=00:00:00")]
    [InlineData("Idempotency__Window", "Idempotency__Window=-1.00:00:00")]
    public async Task Start_SettingMissingOrMalformed_FailsNamingTheSetting(string expectedKey, params string[] overrides)
    {
        var settings = RunningApp.ValidSettings();
        foreach (var assignment in overrides)
        {
            var (key, value) = (assignment[..assignment.IndexOf('=', StringComparison.Ordinal)], assignment[(assignment.IndexOf('=', StringComparison.Ordinal) + 1)..]);
            settings[key.Replace("__", ":", StringComparison.Ordinal)] = value;
        }

        var failure = await Record.ExceptionAsync(async () =>
        {
            await using var app = RunningApp.Build(settings);
            await app.StartAsync();
        });

        Assert.NotNull(failure);
        Assert.True(SettingsErrors.TryDescribe(failure, out var problems), $"Not a settings failure: {failure}");
        var problem = Assert.Single(problems);
        Assert.Contains($"Setting '{expectedKey}'", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_SendGridWithoutKey_SaysWhichSettingAndWhy()
    {
        var settings = RunningApp.ValidSettings();
        settings["Mail:Provider"] = "SendGrid";

        await using var app = RunningApp.Build(settings);
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync());

        Assert.True(SettingsErrors.TryDescribe(failure, out var problems));
        Assert.Equal(["Setting 'Mail__SendGrid__ApiKey' is required when 'Mail__Provider' is 'SendGrid'."], problems);
    }

    [Fact]
    public async Task Start_SignUpCapOutOfRange_SaysTheRange()
    {
        var settings = RunningApp.ValidSettings();
        settings["Api:MaxUnconfirmedSignUps"] = "0";

        await using var app = RunningApp.Build(settings);
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync());

        Assert.True(SettingsErrors.TryDescribe(failure, out var problems));
        Assert.Equal(["Setting 'Api__MaxUnconfirmedSignUps' must be a whole number from 1 to 100000."], problems);
    }

    [Fact]
    public async Task Start_PlainSmtpToAnotherServerWithAPassword_SaysWhyAndNeverQuotesThePassword()
    {
        var settings = RunningApp.ValidSettings();
        settings["Mail:Smtp:Host"] = "smtp.gemeente.example";
        settings["Mail:Smtp:Security"] = "None";
        settings["Mail:Smtp:UserName"] = "dialoog";
        settings["Mail:Smtp:Password"] = "geheim-wachtwoord";

        await using var app = RunningApp.Build(settings);
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync());

        Assert.True(SettingsErrors.TryDescribe(failure, out var problems));
        Assert.Equal(
            [
                "Setting 'Mail__Smtp__Security' may be 'None' only for an SMTP server on this machine (127.0.0.1, localhost or ::1); mail to 'smtp.gemeente.example' must be encrypted: use 'StartTls' or 'SslOnConnect'.",
                "Setting 'Mail__Smtp__UserName' needs 'Mail__Smtp__Security' 'StartTls' or 'SslOnConnect' (found 'None'): a password is never sent over a plain connection.",
            ],
            problems);
        Assert.DoesNotContain("geheim-wachtwoord", failure.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1", "None", "", "")]
    [InlineData("localhost", "", "", "")]
    [InlineData("::1", "none", "", "")]
    [InlineData("smtp.gemeente.example", "", "", "")]
    [InlineData("smtp.gemeente.example", "StartTls", "dialoog", "geheim-wachtwoord")]
    [InlineData("smtp.gemeente.example", "SslOnConnect", "dialoog", "geheim-wachtwoord")]
    [InlineData("127.0.0.1", "StartTls", "dialoog", "geheim-wachtwoord")]
    public async Task Start_SmtpEncryptedOrOnThisMachine_SettingsPass(string host, string security, string userName, string password)
    {
        var settings = RunningApp.ValidSettings();
        settings["Mail:Smtp:Host"] = host;
        settings["Mail:Smtp:Security"] = security;
        settings["Mail:Smtp:UserName"] = userName;
        settings["Mail:Smtp:Password"] = password;

        await using var app = RunningApp.Build(settings);

        DialoogApp.ValidateSettings(app);
    }

    [Fact]
    public async Task Start_GraphWithoutAnything_NamesEverySettingItNeeds()
    {
        var settings = RunningApp.ValidSettings();
        settings["Calendar:Provider"] = "Graph";

        await using var app = RunningApp.Build(settings);
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync());

        Assert.True(SettingsErrors.TryDescribe(failure, out var problems));
        Assert.Equal(
            [
                "Setting 'Calendar__Graph__OrganizerMailbox' is required when 'Calendar__Provider' is 'Graph'.",
                "Setting 'Calendar__Graph__TenantId' is required when 'Calendar__Graph__Credential' is 'ClientSecret'.",
                "Setting 'Calendar__Graph__ClientId' is required when 'Calendar__Graph__Credential' is 'ClientSecret'.",
                "Setting 'Calendar__Graph__ClientSecret' is required when 'Calendar__Graph__Credential' is 'ClientSecret'.",
            ],
            problems);
    }

    [Fact]
    public async Task Start_SeveralSettingsWrong_ReportsEachOnItsOwnLine()
    {
        var settings = RunningApp.ValidSettings();
        settings["Links:SigningKey"] = "";
        settings["Durable:TaskHub"] = "x";

        // As Program.cs does: every setting is checked before anything starts (a hosted service's dependencies would
        // otherwise meet the first bad setting on their own).
        await using var app = RunningApp.Build(settings);
        var failure = Assert.ThrowsAny<Exception>(() => DialoogApp.ValidateSettings(app));

        Assert.True(SettingsErrors.TryDescribe(failure, out var problems));
        Assert.True(problems.Count == 2, string.Join(" | ", problems));
        Assert.Contains(problems, p => p.Contains("'Links__SigningKey'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("'Durable__TaskHub'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Mail:Provider", "SendGrid", "Mail:SendGrid:ApiKey", "SG.key")]
    [InlineData("Calendar:Provider", "graph", "Calendar:Graph:TenantId", "t")]
    [InlineData("Calendar:Provider", "Graph", "Calendar:Graph:Credential", "ManagedIdentity")]
    public async Task Start_ConditionalSettingsComplete_Starts(string providerKey, string provider, string extraKey, string extraValue)
    {
        // Real storage: the key ring is read at the first request, and against no storage that retries for 30 s.
        var settings = RunningApp.SettingsFor(stack);
        settings[providerKey] = provider;
        settings["Calendar:Graph:TenantId"] = "t";
        settings["Calendar:Graph:ClientSecret"] = "s";
        settings[extraKey] = extraValue;
        settings["Calendar:Graph:ClientId"] = "c";
        settings["Calendar:Graph:OrganizerMailbox"] = "organizer@gemeente.example";
        // Only the settings are under test: no engine worker, purge or Outlook polling.
        settings["Durable:EnableWorker"] = "false";
        settings["Privacy:PurgeInterval"] = "00:00:00";
        settings["Calendar:Graph:ReplyPollInterval"] = "00:00:00";

        await using var app = await RunningApp.StartAsync(settings);
        using var response = await app.Client.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }
}
