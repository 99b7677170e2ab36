using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Core;

namespace Dialoog.Core.Tests.Integrations.Support;

/// <summary>
/// Gets an app-only token from the Graph stand-in's token endpoint with the client-credentials grant, over real HTTP.
/// </summary>
/// <remarks>
/// Why not <c>ClientSecretCredential</c> with its AuthorityHost on the stand-in: MSAL only talks to an https
/// authority, and trusting a self-signed loopback certificate would need a hook in production code. This credential
/// makes the same form post (client id, secret, scope), and the token it returns is one the stand-in issued and checks
/// on every Graph call; what the app's code does with the credential (Kiota asks it for the Graph scope and sends the
/// bearer header) is unchanged. The production credentials are built by <c>GraphConnection.CreateCredential</c>.
/// </remarks>
internal sealed class StandInTokenCredential(Uri tokenEndpoint, string clientId, string clientSecret) : TokenCredential
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        GetTokenAsync(requestContext, cancellationToken).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = clientSecret,
            ["scope"] = string.Join(' ', requestContext.Scopes),
        });
        using var response = await Http.PostAsync(tokenEndpoint, form, cancellationToken);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Token endpoint refused: {(string?)body?["error_description"]}");
        }

        return new AccessToken((string)body!["access_token"]!, DateTimeOffset.UtcNow.AddSeconds((int)body["expires_in"]!));
    }
}
