using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dialoog.Web;
using Dialoog.Core.Tests.Processes.Support;
using Dialoog.Core.Tests.Testing;
using Dialoog.Testing;

namespace Dialoog.Core.Tests.Web;

/// <summary>
/// A coordinator's browser without the browser: the app set up with local sign-in for the given coordinators, and a
/// client with its own cookies that does not follow redirects, so a test sees post-redirect-get as it happens.
/// </summary>
internal static class CoordinatorBrowser
{
    public const string Password = "lokaal-wachtwoord-123";

    /// <summary>Hashed once: the hash is slow on purpose.</summary>
    public static readonly string PasswordHash = LocalPasswords.Hash(Password);

    /// <summary>The app on the dev stack with local sign-in for these coordinators, its client carrying the API key.</summary>
    public static async Task<RunningApp> StartAppAsync(DevStackFixture stack, string taskHub, params (string Email, string Name, bool Admin)[] coordinators)
    {
        var settings = RunningApp.SettingsFor(stack);
        settings["Durable:TaskHub"] = taskHub;
        SignInFor(settings, coordinators);
        var app = await RunningApp.StartWithApiKeyAsync(settings);
        return app;
    }

    /// <summary>Local sign-in with <see cref="Password"/> for each coordinator (e-mail, name, admin), allowed outside Development on purpose.</summary>
    internal static void SignInFor(Dictionary<string, string?> settings, params (string Email, string Name, bool Admin)[] coordinators)
    {
        settings["Auth:AllowLocalSignIn"] = "true";
        for (var i = 0; i < coordinators.Length; i++)
        {
            settings[$"Auth:LocalCoordinators:{i}:Email"] = coordinators[i].Email;
            settings[$"Auth:LocalCoordinators:{i}:PasswordHash"] = PasswordHash;
            if (coordinators[i].Name.Length > 0)
            {
                settings[$"Auth:LocalCoordinators:{i}:Name"] = coordinators[i].Name;
            }

            if (coordinators[i].Admin)
            {
                settings[$"Auth:LocalCoordinators:{i}:Admin"] = "true";
            }
        }
    }

    /// <param name="cookies">Another client's cookies, for one browser talking to two instances.</param>
    public static HttpClient NewClient(RunningApp app, CookieContainer? cookies = null) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = cookies ?? new CookieContainer() }) { BaseAddress = app.Client.BaseAddress };

    public static async Task<HttpClient> SignedInAsync(RunningApp app, string email)
    {
        var client = NewClient(app);
        using var response = await LinkForm.PostAsync(client, "/aanmelden", new Dictionary<string, string> { ["email"] = email, ["password"] = Password });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    /// <summary>Starts a process for Carla of this run through the JSON API, its session a month ahead; returns its id.</summary>
    public static async Task<string> StartProcessAsync(RunningApp app, string run)
    {
        var start = DateTime.UtcNow.AddDays(30);
        var definition = LiveDefinitions.ThreePeople(run, "Speelplek " + run, start, start.AddHours(2), new JsonObject { ["replyDeadline"] = "P7D" });
        using var response = await app.Client.PostAsJsonAsync("/api/processes", new JsonObject { ["definition"] = definition });
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
    }
}
