using System.Net;
using Dialoog.Core.Tests.Testing;
using Dialoog.Testing;
using Dialoog.Web;
using Microsoft.Extensions.Time.Testing;

namespace Dialoog.Core.Tests.Web;

/// <summary>
/// Issue 18, item 1: local sign-in exists only in Local mode, needs Development or an explicit setting elsewhere,
/// gives every coordinator their own hashed password, and slows down guessing per account and per address.
/// </summary>
[Collection(DevStackCollection.Name)]
public sealed class LocalSignInTests(DevStackFixture stack)
{
    private readonly string run = Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task EntraMode_HasNoLocalSignInPage_NeitherGetNorPost()
    {
        await using var app = await RunningApp.StartAsync(EntraSettings());
        using var client = CoordinatorBrowser.NewClient(app);

        using var get = await client.GetAsync("/aanmelden");
        using var post = await client.PostAsync("/aanmelden", new FormUrlEncodedContent(new Dictionary<string, string> { ["email"] = "regisseur@gemeente.example", ["password"] = CoordinatorBrowser.Password }));

        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.DoesNotContain("dialoog.auth", string.Join(";", post.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : []), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Auth:LocalCoordinators:0:Email", "regisseur@gemeente.example", "Setting 'Auth__LocalCoordinators' must be empty when 'Auth__Mode' is 'Entra'")]
    [InlineData("Auth:AllowLocalSignIn", "true", "Setting 'Auth__AllowLocalSignIn' must be empty or 'false' when 'Auth__Mode' is 'Entra'")]
    [InlineData("Auth:LocalPassword", "een-oud-gedeeld-wachtwoord", "Setting 'Auth__LocalPassword' is no longer used")]
    [InlineData("Auth:Entra:TenantId", "common", "Setting 'Auth__Entra__TenantId' must be the municipality's own tenant")]
    [InlineData("Auth:Entra:TenantId", "organizations", "Setting 'Auth__Entra__TenantId' must be the municipality's own tenant")]
    public async Task EntraMode_WithLocalSettingsOrASharedTenant_IsRefusedAtStart(string key, string value, string message)
    {
        var settings = EntraSettings();
        settings[key] = value;

        var error = await Assert.ThrowsAnyAsync<Exception>(() => RunningApp.StartAsync(settings));

        Assert.Contains(message, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LocalMode_OutsideDevelopment_IsRefusedUnlessAllowedOnPurpose()
    {
        var settings = LocalSettings();
        settings.Remove("Auth:AllowLocalSignIn");

        var error = await Assert.ThrowsAnyAsync<Exception>(() => RunningApp.StartAsync(settings));
        Assert.Contains("Setting 'Auth__Mode' is 'Local' with coordinators listed, but the environment is 'Production'", error.ToString(), StringComparison.Ordinal);

        // Development needs no extra setting; elsewhere the explicit one lets it start.
        await using (var development = await RunningApp.StartAsync(settings, environment: "Development"))
        {
            using var page = await development.Client.GetAsync("/aanmelden");
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }

        settings["Auth:AllowLocalSignIn"] = "true";
        await using var allowed = await RunningApp.StartAsync(settings);
        using var allowedPage = await allowed.Client.GetAsync("/aanmelden");
        Assert.Equal(HttpStatusCode.OK, allowedPage.StatusCode);
    }

    [Theory]
    [InlineData("lokaal-wachtwoord-123")]
    [InlineData("")]
    public async Task APasswordInsteadOfAHash_IsRefusedAtStart(string value)
    {
        var settings = LocalSettings();
        settings["Auth:LocalCoordinators:1:PasswordHash"] = value;

        var error = await Assert.ThrowsAnyAsync<Exception>(() => RunningApp.StartAsync(settings));

        Assert.Contains("Setting 'Auth__LocalCoordinators__1__PasswordHash' must be a password hash", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EachCoordinator_SignsInWithTheirOwnPassword_NotAnotherOnes()
    {
        var settings = LocalSettings();
        settings["Auth:LocalCoordinators:1:PasswordHash"] = LocalPasswords.Hash("bert-zijn-eigen-wachtwoord");
        await using var app = await RunningApp.StartAsync(settings);

        Assert.Equal(HttpStatusCode.Redirect, await SignInAsync(app, Carla, CoordinatorBrowser.Password));
        Assert.Equal(HttpStatusCode.Redirect, await SignInAsync(app, Bert, "bert-zijn-eigen-wachtwoord"));
        Assert.Equal(HttpStatusCode.BadRequest, await SignInAsync(app, Bert, CoordinatorBrowser.Password));
        Assert.Equal(HttpStatusCode.BadRequest, await SignInAsync(app, Carla, "bert-zijn-eigen-wachtwoord"));
    }

    [Fact]
    public async Task FailedSignIns_AreLimitedPerAccount_EvenTheRightPasswordWaits_OtherAccountsCarryOn()
    {
        await using var app = await RunningApp.StartAsync(LocalSettings());
        for (var i = 0; i < SignInThrottle.FailuresPerAccount; i++)
        {
            Assert.Equal(HttpStatusCode.BadRequest, await SignInAsync(app, Carla, "fout-geraden-" + i));
        }

        using var client = CoordinatorBrowser.NewClient(app);
        using var blocked = await LinkForm.PostAsync(client, "/aanmelden", new Dictionary<string, string> { ["email"] = Carla, ["password"] = CoordinatorBrowser.Password });
        var html = await blocked.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        Assert.Contains("Er is te vaak een verkeerd wachtwoord gebruikt. Probeer het over 15 minuten opnieuw.", html, StringComparison.Ordinal);
        Assert.True(int.Parse(blocked.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) > 800);
        Assert.DoesNotContain("dialoog.auth", string.Join(";", blocked.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : []), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, await SignInAsync(app, Bert, CoordinatorBrowser.Password));
    }

    [Fact]
    public async Task FailedSignIns_AreLimitedPerAddress_AcrossAccounts()
    {
        await using var app = await RunningApp.StartAsync(LocalSettings());
        for (var i = 0; i < SignInThrottle.FailuresPerAddress; i++)
        {
            // Every guess at another (made-up) account, so the per-account limit never applies.
            Assert.Equal(HttpStatusCode.BadRequest, await SignInAsync(app, $"gok{i}@gemeente.example", "fout-geraden"));
        }

        Assert.Equal((HttpStatusCode)429, await SignInAsync(app, Bert, CoordinatorBrowser.Password));
    }

    [Fact]
    public void Throttle_ForgetsFailuresAfterTheWindow_AndASuccessClearsTheAccount()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero));
        var throttle = new SignInThrottle(time);
        var address = IPAddress.Parse("192.0.2.7");
        for (var i = 0; i < SignInThrottle.FailuresPerAccount; i++)
        {
            Assert.Null(throttle.BlockedUntil(Carla, address));
            throttle.Failed(Carla, address);
            time.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Equal(new DateTimeOffset(2026, 12, 3, 9, 15, 0, TimeSpan.Zero), throttle.BlockedUntil(Carla.ToUpperInvariant(), IPAddress.Parse("198.51.100.1")));
        time.Advance(TimeSpan.FromMinutes(10)); // 09:15: the first failure is out of the window, four are left
        Assert.Null(throttle.BlockedUntil(Carla, address));

        throttle.Failed(Carla, address);
        Assert.NotNull(throttle.BlockedUntil(Carla, address));
        throttle.Succeeded(Carla);
        Assert.Null(throttle.BlockedUntil(Carla, address));
    }

    [Fact]
    public void HashPasswordCommand_PrintsAHashThatVerifies_AndRefusesAShortPassword()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        Assert.Equal(0, LocalPasswords.HashFromConsole(new StringReader("een-lang-genoeg-wachtwoord\n"), output, error));
        var hash = output.ToString().Trim();
        Assert.True(LocalPasswords.IsHash(hash));
        Assert.DoesNotContain("een-lang-genoeg-wachtwoord", hash, StringComparison.Ordinal);
        Assert.True(LocalPasswords.Verify(new LocalCoordinator { PasswordHash = hash }, "een-lang-genoeg-wachtwoord"));
        Assert.False(LocalPasswords.Verify(new LocalCoordinator { PasswordHash = hash }, "een-lang-genoeg-wachtwoorD"));

        using var shortOutput = new StringWriter();
        Assert.Equal(2, LocalPasswords.HashFromConsole(new StringReader("kort\n"), shortOutput, error));
        Assert.Equal("", shortOutput.ToString());
        Assert.Contains("at least 12 characters", error.ToString(), StringComparison.Ordinal);
    }

    private string Carla => $"carla-{run}@gemeente.example";

    private string Bert => $"bert-{run}@gemeente.example";

    private Dictionary<string, string?> LocalSettings()
    {
        var settings = RunningApp.SettingsFor(stack);
        settings["Durable:TaskHub"] = "signin" + run;
        settings["Durable:EnableWorker"] = "false";
        CoordinatorBrowser.SignInFor(settings, (Carla, "Carla", false), (Bert, "Bert", false));
        return settings;
    }

    private Dictionary<string, string?> EntraSettings()
    {
        var settings = RunningApp.SettingsFor(stack);
        settings["Durable:TaskHub"] = "signin" + run;
        settings["Durable:EnableWorker"] = "false";
        settings["Auth:Mode"] = "Entra";
        settings["Auth:Entra:TenantId"] = "11111111-2222-3333-4444-555555555555";
        settings["Auth:Entra:ClientId"] = "66666666-7777-8888-9999-000000000000";
        settings["Auth:Entra:ClientSecret"] = "geheim";
        return settings;
    }

    private static async Task<HttpStatusCode> SignInAsync(RunningApp app, string email, string password)
    {
        using var client = CoordinatorBrowser.NewClient(app);
        using var response = await LinkForm.PostAsync(client, "/aanmelden", new Dictionary<string, string> { ["email"] = email, ["password"] = password });
        return response.StatusCode;
    }
}
