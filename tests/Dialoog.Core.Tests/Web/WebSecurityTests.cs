using System.Net;
using Dialoog.Core.Invitations;
using Dialoog.Core.Tests.Processes.Support;
using Dialoog.Core.Tests.Testing;
using Dialoog.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Dialoog.Core.Tests.Web;

/// <summary>
/// The web's guarantees against the real app on Azurite: headers on every response, forms refused without their
/// antiforgery token (and nothing changes), and one coordinator never sees another's process.
/// </summary>
[Collection(DevStackCollection.Name)]
public sealed class WebSecurityTests(DevStackFixture stack) : IAsyncLifetime
{
    private readonly string run = Guid.NewGuid().ToString("N")[..8];
    private RunningApp app = null!;

    public async Task InitializeAsync() =>
        app = await CoordinatorBrowser.StartAppAsync(stack, "web" + run, (LiveDefinitions.Address(run, "carla"), "Carla", false), ("bert@gemeente.example", "Bert", false), ("admin@gemeente.example", "", true));

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Theory]
    [InlineData("/aanmelden")]
    [InlineData("/l/niet-eens-een-token")]
    [InlineData("/assets/site.css")]
    public async Task EveryResponse_HasTheSecurityHeaders(string path)
    {
        using var response = await app.Client.GetAsync(path);

        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("max-age=", response.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal); // tests run as Production
    }

    [Fact]
    public async Task CoordinatorPages_SignedOut_RedirectToSignIn()
    {
        using var client = CoordinatorBrowser.NewClient(app);
        using var response = await client.GetAsync("/trajecten");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/aanmelden", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReplyPost_WithoutAntiforgeryToken_Is400AndChangesNothing()
    {
        var id = await CoordinatorBrowser.StartProcessAsync(app, run);
        var participant = await FirstParticipantAsync(id);
        var path = await ReplyPathAsync(id, participant.Id);

        using var refused = await app.Client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string> { ["antwoord"] = "yes" }));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Er is niets opgeslagen", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // With the page's token the same post works: the refusal was the token, not the form.
        using var accepted = await LinkForm.PostAsync(app.Client, path, new Dictionary<string, string> { ["antwoord"] = "yes" });
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        await Eventually.HoldsAsync(async () => (await FirstParticipantAsync(id)).Answer == "yes", "the reply with a token counts", TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task SignIn_WithoutAntiforgeryToken_Is400()
    {
        using var client = CoordinatorBrowser.NewClient(app);
        using var response = await client.PostAsync("/aanmelden", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = "bert@gemeente.example",
            ["password"] = CoordinatorBrowser.Password,
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie") && response.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("dialoog.auth", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ProcessPage_OfAnotherCoordinator_Is404_AndNotOnTheDashboard()
    {
        var id = await CoordinatorBrowser.StartProcessAsync(app, run);

        using var bert = await CoordinatorBrowser.SignedInAsync(app, "bert@gemeente.example");
        using (var page = await bert.GetAsync($"/trajecten/{id}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        }

        Assert.DoesNotContain(id, await bert.GetStringAsync("/trajecten"), StringComparison.Ordinal);

        using var carla = await CoordinatorBrowser.SignedInAsync(app, LiveDefinitions.Address(run, "carla"));
        using (var page = await carla.GetAsync($"/trajecten/{id}"))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }

        using var admin = await CoordinatorBrowser.SignedInAsync(app, "admin@gemeente.example");
        using (var page = await admin.GetAsync($"/trajecten/{id}"))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }

        // A post to another coordinator's process changes nothing either.
        var token = await LinkForm.TokenAsync(bert, "/trajecten");
        using var post = await bert.PostAsync($"/trajecten/{id}?handler=CancelSession", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [LinkForm.TokenField] = token,
            ["sessionId"] = "s1",
        }));
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
    }

    [Fact]
    public async Task SignIn_WrongPassword_Is400WithAnErrorInDutch()
    {
        using var client = CoordinatorBrowser.NewClient(app);
        using var response = await LinkForm.PostAsync(client, "/aanmelden", new Dictionary<string, string> { ["email"] = "bert@gemeente.example", ["password"] = "fout-wachtwoord-99" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("horen niet bij een coördinator", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<ParticipantRecord> FirstParticipantAsync(string id)
    {
        var directory = app.Services.GetRequiredService<ParticipantDirectory>();
        IReadOnlyList<ParticipantRecord> list = [];
        await Eventually.HoldsAsync(async () => (list = await directory.ListAsync(id, CancellationToken.None)).Count > 0, "participants stored", TimeSpan.FromSeconds(20));
        return list.OrderBy(p => p.Id, StringComparer.Ordinal).First();
    }

    private async Task<string> ReplyPathAsync(string id, string participantId) =>
        "/l/" + await TestLinks.TokenAsync(app.Services, Dialoog.Core.Links.LinkPurpose.Reply, id, participantId);
}
