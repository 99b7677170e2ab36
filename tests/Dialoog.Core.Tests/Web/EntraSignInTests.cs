using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Dialoog.Core.Processes;
using Dialoog.Core.Tests.Processes.Support;
using Dialoog.Core.Tests.Testing;
using Dialoog.Testing;
using Dialoog.Web.Api;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Dialoog.Core.Tests.Web;

/// <summary>
/// Issue 18, item 4: in Entra mode only accounts with the coordinator or admin app role get in, and a process belongs
/// to an account (tenant id and object id), never to whoever carries the right e-mail claim. Every sign-in here is
/// the real OpenID Connect code flow, with ID tokens signed by the Entra stand-in's key.
/// </summary>
[Collection(SecondDevStackCollection.Name)]
public sealed class EntraSignInTests(DevStackFixture stack) : IAsyncLifetime
{
    private readonly string run = Guid.NewGuid().ToString("N")[..8];
    private readonly string carlaId = Guid.NewGuid().ToString();
    private EntraStandIn entra = null!;
    private RunningApp app = null!;

    private string CarlaAccount => $"{EntraStandIn.TenantId}/{carlaId}";

    private string CarlaEmail => LiveDefinitions.Address(run, "carla");

    public async Task InitializeAsync()
    {
        entra = await EntraStandIn.StartAsync();
        var settings = RunningApp.SettingsFor(stack);
        settings["Durable:TaskHub"] = "entra" + run;
        settings["Auth:Mode"] = "Entra";
        settings["Auth:Entra:TenantId"] = EntraStandIn.TenantId;
        settings["Auth:Entra:ClientId"] = EntraStandIn.ClientId;
        settings["Auth:Entra:ClientSecret"] = EntraStandIn.ClientSecret;
        app = await RunningApp.StartAsync(settings, services =>
        {
            services.PostConfigure<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme, oidc =>
            {
                oidc.ConfigurationManager = new StaticConfigurationManager<OpenIdConnectConfiguration>(entra.Metadata());
                // Microsoft.Identity.Web checks the issuer against Entra's instance discovery, which needs the internet;
                // here the stand-in's one issuer is the only valid one.
                oidc.TokenValidationParameters.IssuerValidator = null;
                oidc.TokenValidationParameters.ValidIssuer = EntraStandIn.Issuer;
            });
        });
        app.Client.DefaultRequestHeaders.Add(CoordinatorApiKeyFilter.HeaderName, settings["Api:CoordinatorApiKey"]);
    }

    public async Task DisposeAsync()
    {
        await app.DisposeAsync();
        await entra.DisposeAsync();
    }

    [Fact]
    public async Task WithoutTheAppRole_ASignedInAccount_GetsNoPage_AndIsToldWhyInDutch()
    {
        var browser = await SignInAsync(Account(carlaId, CarlaEmail));

        using var dashboard = await browser.GetAsync("/trajecten");
        Assert.Equal(HttpStatusCode.Redirect, dashboard.StatusCode);
        var location = new Uri(app.Client.BaseAddress!, dashboard.Headers.Location!);
        Assert.Equal("/geen-toegang", location.AbsolutePath);

        using var denied = await browser.GetAsync(location.PathAndQuery);
        var html = await denied.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Contains("Vraag dan de beheerder van Dialoog om u de rol <strong>coördinator</strong> te geven.", html, StringComparison.Ordinal);
        Assert.Contains("Carla Entra", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACoordinator_SeesTheProcessesOfTheirAccount_NotThoseWithTheirEmailButAnotherOrNoAccount()
    {
        var own = await StartAsync(CarlaAccount);
        var sameEmailNoAccount = await StartAsync(null);
        var sameEmailOtherAccount = await StartAsync($"{EntraStandIn.TenantId}/{Guid.NewGuid()}");
        await WaitForStatusAsync(own, sameEmailNoAccount, sameEmailOtherAccount);

        // The e-mail claims say Carla, as the other two processes do: that must not be enough.
        var carla = await SignInAsync([.. Account(carlaId, CarlaEmail), new Claim("roles", "Dialoog.Coordinator")]);

        var dashboard = await carla.GetStringAsync("/trajecten");
        Assert.Contains(own, dashboard, StringComparison.Ordinal);
        Assert.DoesNotContain(sameEmailNoAccount, dashboard, StringComparison.Ordinal);
        Assert.DoesNotContain(sameEmailOtherAccount, dashboard, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(carla, $"/trajecten/{own}"));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(carla, $"/trajecten/{sameEmailNoAccount}"));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(carla, $"/trajecten/{sameEmailOtherAccount}"));

        // The same object id in another tenant is another account.
        var guest = await SignInAsync([.. Account(carlaId, CarlaEmail, tenant: Guid.NewGuid().ToString()), new Claim("roles", "Dialoog.Coordinator")]);
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(guest, $"/trajecten/{own}"));
    }

    [Fact]
    public async Task AnAdmin_SeesEveryProcess()
    {
        var other = await StartAsync($"{EntraStandIn.TenantId}/{Guid.NewGuid()}");
        await WaitForStatusAsync(other);

        var admin = await SignInAsync([.. Account(Guid.NewGuid().ToString(), "beheer@gemeente.example"), new Claim("roles", "Dialoog.Admin")]);

        Assert.Contains(other, await admin.GetStringAsync("/trajecten"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(admin, $"/trajecten/{other}"));
    }

    [Fact]
    public async Task AProcessStartedFromTheWebForm_BelongsToTheSignedInAccount()
    {
        var carla = await SignInAsync([.. Account(carlaId, CarlaEmail), new Claim("roles", "Dialoog.Coordinator")]);
        var token = LinkForm.TokenIn(await carla.GetStringAsync("/"))!;
        var day = DateTime.UtcNow.AddDays(40).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        using var started = await carla.PostAsync("/", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [LinkForm.TokenField] = token,
            ["action"] = "start",
            ["topic"] = "Speelplek " + run,
            ["area"] = "Gemeente Voorbeeld",
            ["escalationContact.name"] = "Mark",
            ["escalationContact.email"] = LiveDefinitions.Address(run, "mark"),
            ["policy.replyDeadline"] = "P7D",
            ["policy.reminderCadence"] = "P3D",
            ["policy.sessionReminderBefore"] = "P1D",
            ["policy.defaultDecision"] = "cancel",
            ["groups[0].name"] = "inwoners",
            ["groups[0].minimum"] = "1",
            ["participants[0].name"] = "Anna",
            ["participants[0].email"] = LiveDefinitions.Address(run, "anna"),
            ["participants[0].group"] = "inwoners",
            ["sessions[0].title"] = "Gesprek",
            ["sessions[0].date"] = day,
            ["sessions[0].startTime"] = "19:30",
            ["sessions[0].end"] = "21:00",
            ["sessions[0].location"] = "Buurthuis De Brug",
        }));
        Assert.True(started.StatusCode == HttpStatusCode.Redirect, await started.Content.ReadAsStringAsync());
        var id = started.Headers.Location!.OriginalString.Split('?')[0].Split('/')[^1];

        var instance = await app.Services.GetRequiredService<DurableTaskClient>().GetInstanceAsync(id, getInputsAndOutputs: true);
        var definition = instance!.ReadInputAs<DialogueProcessInput>()!.Definition;
        Assert.Equal(CarlaAccount, definition.CoordinatorAccount);
        Assert.Equal(CarlaEmail, definition.Coordinator.Email);
    }

    [Fact]
    public async Task AnIdTokenSignedWithAnotherKey_SignsNobodyIn()
    {
        using var otherKey = RSA.Create(2048);
        var browser = new Browser(app);
        var (state, nonce, mode) = await browser.ChallengeAsync();
        var forged = entra.IdToken(nonce, [.. Account(carlaId, CarlaEmail), new Claim("roles", "Dialoog.Admin")], new RsaSecurityKey(otherKey) { KeyId = "someone-else" });

        using var callback = await browser.CallbackAsync(mode, new Dictionary<string, string> { ["state"] = state, ["id_token"] = forged, ["code"] = "geen-code" });

        Assert.NotEqual(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.False(browser.HasAuthCookie);
        using var dashboard = await browser.GetAsync("/trajecten");
        Assert.Equal(HttpStatusCode.Redirect, dashboard.StatusCode);
        Assert.StartsWith("https://login.microsoftonline.com/", dashboard.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheApi_RefusesACoordinatorAccountThatIsNotTenantAndObjectId()
    {
        var start = DateTime.UtcNow.AddDays(30);
        var definition = LiveDefinitions.ThreePeople(run, "Speelplek " + run, start, start.AddHours(2), new JsonObject { ["replyDeadline"] = "P7D" });
        definition["coordinatorAccount"] = CarlaEmail;

        using var response = await app.Client.PostAsJsonAsync("/api/processes", new JsonObject { ["definition"] = definition });
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("tenant-id en de object-id", problem!["errors"]!["coordinatorAccount"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private static Claim[] Account(string objectId, string email, string tenant = EntraStandIn.TenantId) =>
    [
        new("oid", objectId),
        new("tid", tenant),
        new("sub", "sub-" + objectId),
        new("name", "Carla Entra"),
        new("preferred_username", email),
        new("email", email),
    ];

    private async Task<string> StartAsync(string? account)
    {
        var start = DateTime.UtcNow.AddDays(30);
        var definition = LiveDefinitions.ThreePeople(run, "Speelplek " + run, start, start.AddHours(2), new JsonObject { ["replyDeadline"] = "P7D" });
        if (account is not null)
        {
            definition["coordinatorAccount"] = account;
        }

        using var response = await app.Client.PostAsJsonAsync("/api/processes", new JsonObject { ["definition"] = definition });
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
    }

    /// <summary>The dashboard lists a process once the orchestration has written its status.</summary>
    private async Task WaitForStatusAsync(params string[] ids)
    {
        var client = app.Services.GetRequiredService<DurableTaskClient>();
        foreach (var id in ids)
        {
            await Eventually.HoldsAsync(async () =>
                (await client.GetInstanceAsync(id, getInputsAndOutputs: true))?.ReadCustomStatusAs<ProcessStatus>() is not null, $"the status of {id}", TimeSpan.FromSeconds(30));
        }
    }

    private static async Task<HttpStatusCode> StatusAsync(Browser browser, string path)
    {
        using var response = await browser.GetAsync(path);
        return response.StatusCode;
    }

    private async Task<Browser> SignInAsync(params Claim[] claims)
    {
        var browser = new Browser(app);
        var (state, nonce, mode) = await browser.ChallengeAsync();
        using var callback = await browser.CallbackAsync(mode, new Dictionary<string, string>
        {
            ["state"] = state,
            ["code"] = entra.CodeFor(nonce, claims),
        });
        Assert.True(callback.StatusCode == HttpStatusCode.Redirect, await callback.Content.ReadAsStringAsync());
        Assert.True(browser.HasAuthCookie);
        return browser;
    }

    /// <summary>
    /// A browser over plain HTTP keeping its own cookies: the sign-in cookies are marked Secure (a real browser talks
    /// https to the app), which a cookie container would not send back to http://127.0.0.1.
    /// </summary>
    private sealed class Browser(RunningApp app)
    {
        private readonly Dictionary<string, string> cookies = new(StringComparer.Ordinal);
        private readonly HttpClient client = new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = app.Client.BaseAddress };

        public bool HasAuthCookie => cookies.Keys.Any(k => k.StartsWith("dialoog.auth", StringComparison.Ordinal));

        /// <summary>Opens a coordinator page signed out; returns what the app asked Entra ID to send back.</summary>
        public async Task<(string State, string Nonce, string ResponseMode)> ChallengeAsync()
        {
            using var response = await GetAsync("/trajecten");
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            var query = QueryHelpers.ParseQuery(response.Headers.Location!.Query);
            Assert.Equal("code", query["response_type"].ToString());
            return (query["state"].ToString(), query["nonce"].ToString(), query["response_mode"].ToString());
        }

        public async Task<HttpResponseMessage> CallbackAsync(string responseMode, Dictionary<string, string> fields)
        {
            using var request = responseMode == "form_post"
                ? new HttpRequestMessage(HttpMethod.Post, "/signin-oidc") { Content = new FormUrlEncodedContent(fields) }
                : new HttpRequestMessage(HttpMethod.Get, QueryHelpers.AddQueryString("/signin-oidc", fields!));
            return await SendAsync(request);
        }

        public async Task<HttpResponseMessage> GetAsync(string path)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            return await SendAsync(request);
        }

        public async Task<string> GetStringAsync(string path)
        {
            using var response = await GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return await response.Content.ReadAsStringAsync();
        }

        public async Task<HttpResponseMessage> PostAsync(string path, HttpContent content)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
            return await SendAsync(request);
        }

        private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
        {
            if (cookies.Count > 0)
            {
                request.Headers.Add("Cookie", string.Join("; ", cookies.Select(c => $"{c.Key}={c.Value}")));
            }

            var response = await client.SendAsync(request);
            foreach (var header in response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [])
            {
                var pair = header.Split(';')[0];
                var (name, value) = (pair[..pair.IndexOf('=', StringComparison.Ordinal)], pair[(pair.IndexOf('=', StringComparison.Ordinal) + 1)..]);
                if (value.Length == 0 || header.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase))
                {
                    cookies.Remove(name);
                }
                else
                {
                    cookies[name] = value;
                }
            }

            return response;
        }
    }
}
