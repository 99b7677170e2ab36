using System.Net;
using Dialoog.Core.Tests.Testing;
using Dialoog.Testing;
using Dialoog.Web.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Dialoog.Core.Tests.Web;

/// <summary>
/// The web app behind Azure's front end, on Azurite: forwarded headers count only from the platform's network, so the
/// public form's rate limit is per real client; two instances share one Data Protection key ring, so a form opened on
/// one and posted to the other, and a sign-in made on one, work on both; cookies are Secure on a public https address.
/// </summary>
[Collection(DevStackCollection.Name)]
public sealed class FrontEndTests(DevStackFixture stack)
{
    private readonly string run = Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task ForwardedFor_FromTheTrustedNetwork_RateLimitsPerRealClient()
    {
        var settings = RunningApp.SettingsFor(stack);
        settings["Durable:TaskHub"] = "fe" + run;
        settings["Api:PublicPermitLimit"] = "2";
        settings["FrontEnd:TrustedNetworks"] = "127.0.0.0/8, ::1/128"; // the test client plays the platform's proxy
        await using var app = await RunningApp.StartAsync(settings);

        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.TooManyRequests], await SubmitAsync(app, "203.0.113.5", 3));
        // Another resident behind the same front end is not blocked by the first one's flood.
        Assert.Equal([HttpStatusCode.NotFound], await SubmitAsync(app, "203.0.113.6", 1));
    }

    [Fact]
    public async Task ForwardedFor_FromAnywhereElse_IsIgnored()
    {
        var settings = RunningApp.SettingsFor(stack);
        settings["Durable:TaskHub"] = "fe" + run;
        settings["Api:PublicPermitLimit"] = "2";
        await using var app = await RunningApp.StartAsync(settings);

        // Without a trusted network a made-up X-Forwarded-For does not buy a fresh allowance: it is all one client.
        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound], await SubmitAsync(app, "203.0.113.5", 2));
        Assert.Equal([HttpStatusCode.TooManyRequests], await SubmitAsync(app, "203.0.113.6", 1));
    }

    [Fact]
    public async Task BadTrustedNetwork_IsRefusedAtStart_NamingTheSetting()
    {
        var settings = RunningApp.SettingsFor(stack);
        settings["FrontEnd:TrustedNetworks"] = "169.254.0.0/16, het-platform";

        var error = await Assert.ThrowsAnyAsync<Exception>(() => RunningApp.StartAsync(settings));

        Assert.Contains("Setting 'FrontEnd__TrustedNetworks' must be networks like '169.254.0.0/16'", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoInstances_ShareTheKeyRing_AFormFromOneIsAcceptedByTheOther_AndASignInCountsOnBoth()
    {
        var taskHub = "fe" + run;
        await using var first = await CoordinatorBrowser.StartAppAsync(stack, taskHub, ("carla@gemeente.example", "Carla", false));
        await using var second = await CoordinatorBrowser.StartAppAsync(stack, taskHub, ("carla@gemeente.example", "Carla", false));
        var cookies = new CookieContainer(); // cookies do not care about ports: one browser, two instances on 127.0.0.1
        using var toFirst = CoordinatorBrowser.NewClient(first, cookies);
        using var toSecond = CoordinatorBrowser.NewClient(second, cookies);

        // The sign-in form (and its antiforgery cookie) from the first instance, posted to the second.
        var token = await LinkForm.TokenAsync(toFirst, "/aanmelden");
        using var signIn = await toSecond.PostAsync("/aanmelden", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = "carla@gemeente.example",
            ["password"] = CoordinatorBrowser.Password,
            [LinkForm.TokenField] = token,
        }));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);

        // The sign-in cookie the second instance wrote opens the coordinator's pages on the first.
        using var page = await toFirst.GetAsync("/trajecten");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var storage = new Azure.Storage.Blobs.BlobContainerClient(stack.StorageConnectionString, DataProtectionKeys.ContainerName);
        Assert.NotEmpty(storage.GetBlobs().ToList());
    }

    [Fact]
    public async Task PublicHttpsAddress_MakesEveryCookieSecure_EvenOnThePlatformsHttpHop()
    {
        var settings = RunningApp.SettingsFor(stack);
        settings["Durable:TaskHub"] = "fe" + run;
        settings["Dialoog:PublicBaseUrl"] = "https://dialoog.gemeente.example";
        await using var app = await RunningApp.StartAsync(settings);

        using var response = await app.Client.GetAsync("/aanmelden");

        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("dialoog.af=", StringComparison.Ordinal));
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<List<HttpStatusCode>> SubmitAsync(RunningApp app, string clientAddress, int times)
    {
        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < times; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/processes/dlg-bestaatniet/initiatives")
            {
                Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("X-Forwarded-For", clientAddress);
            using var response = await app.Client.SendAsync(request);
            codes.Add(response.StatusCode);
        }

        return codes;
    }
}

/// <summary>Entra ID sign-in behind the front end: the identity provider sends the coordinator back to the public address.</summary>
[Collection(DevStackCollection.Name)]
public sealed class EntraRedirectTests(DevStackFixture stack)
{
    [Theory]
    [InlineData("Auth:Entra:ClientSecret", "", "Setting 'Auth__Entra__ClientSecret' is required when 'Auth__Mode' is 'Entra'")]
    [InlineData("Auth:Entra:Instance", "http://login.example/", "Setting 'Auth__Entra__Instance' must be an https URL")]
    public async Task EntraMode_WithoutWhatItNeeds_IsRefusedAtStart_NamingTheSetting(string key, string value, string message)
    {
        var settings = RunningApp.SettingsFor(stack);
        settings["Auth:Mode"] = "Entra";
        settings["Auth:Entra:TenantId"] = "11111111-2222-3333-4444-555555555555";
        settings["Auth:Entra:ClientId"] = "66666666-7777-8888-9999-000000000000";
        settings["Auth:Entra:ClientSecret"] = "geheim";
        settings[key] = value;

        var error = await Assert.ThrowsAnyAsync<Exception>(() => RunningApp.StartAsync(settings));

        Assert.Contains(message, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignInChallenge_SendsThePublicHttpsCallback_NotTheAddressTheAppWasCalledOn()
    {
        var settings = RunningApp.SettingsFor(stack);
        settings["Durable:TaskHub"] = "entra" + Guid.NewGuid().ToString("N")[..8];
        settings["Dialoog:PublicBaseUrl"] = "https://dialoog.gemeente.example";
        settings["Auth:Mode"] = "Entra";
        // No Instance and no CallbackPath: the documented defaults apply (issue 18, item 12: every page was a 500).
        settings["Auth:Entra:TenantId"] = "11111111-2222-3333-4444-555555555555";
        settings["Auth:Entra:ClientId"] = "66666666-7777-8888-9999-000000000000";
        settings["Auth:Entra:ClientSecret"] = "geheim";
        // The provider's metadata as Entra would publish it, so the challenge needs no network.
        var metadata = new Microsoft.IdentityModel.Protocols.OpenIdConnect.OpenIdConnectConfiguration
        {
            Issuer = "https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0",
            AuthorizationEndpoint = "https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/oauth2/v2.0/authorize",
            EndSessionEndpoint = "https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/oauth2/v2.0/logout",
        };
        await using var app = await RunningApp.StartAsync(settings, services => services.PostConfigure<Microsoft.AspNetCore.Authentication.OpenIdConnect.OpenIdConnectOptions>(
            Microsoft.AspNetCore.Authentication.OpenIdConnect.OpenIdConnectDefaults.AuthenticationScheme,
            o => o.ConfigurationManager = new Microsoft.IdentityModel.Protocols.StaticConfigurationManager<Microsoft.IdentityModel.Protocols.OpenIdConnect.OpenIdConnectConfiguration>(metadata)));
        using var client = CoordinatorBrowser.NewClient(app);

        using var response = await client.GetAsync("/trajecten");

        Assert.True(response.StatusCode == HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        var location = response.Headers.Location!;
        Assert.StartsWith("https://login.microsoftonline.com/", location.ToString(), StringComparison.Ordinal);
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(location.Query);
        Assert.Equal("https://dialoog.gemeente.example/signin-oidc", query["redirect_uri"].ToString());
    }
}
