using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using Dialoog.Core.Tests.Integrations.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Dialoog.Core.Tests.Web;

/// <summary>
/// Entra ID for one tenant on loopback: the token endpoint of the authorization code flow, which hands out ID tokens
/// signed with this stand-in's own RSA key for the accounts a test signs in. The app gets the provider's metadata
/// (issuer, endpoints, signing key) as a static configuration, as it would read it from Entra's discovery document.
/// </summary>
internal sealed class EntraStandIn : IAsyncDisposable
{
    public const string TenantId = "11111111-2222-3333-4444-555555555555";
    public const string ClientId = "66666666-7777-8888-9999-000000000000";
    public const string ClientSecret = "stand-in-geheim-entra";

    private readonly WebApplication app;
    private readonly RsaSecurityKey key;
    private readonly ConcurrentDictionary<string, (Claim[] Claims, string Nonce)> codes = new();

    private EntraStandIn(WebApplication app, Uri root, RsaSecurityKey key)
    {
        this.app = app;
        this.key = key;
        Root = root;
    }

    public Uri Root { get; }

    public static string Issuer => $"https://login.microsoftonline.com/{TenantId}/v2.0";

    public static async Task<EntraStandIn> StartAsync()
    {
        var key = new RsaSecurityKey(RSA.Create(2048)) { KeyId = "stand-in-" + Guid.NewGuid().ToString("N")[..8] };
        EntraStandIn? standIn = null;
        var (app, root) = await StandInServer.StartAsync(web => web.MapPost($"/{TenantId}/oauth2/v2.0/token", (HttpRequest request) => standIn!.Redeem(request)));
        standIn = new EntraStandIn(app, root, key);
        return standIn;
    }

    /// <summary>The metadata the app would read from Entra ID's discovery document.</summary>
    public OpenIdConnectConfiguration Metadata()
    {
        var metadata = new OpenIdConnectConfiguration
        {
            Issuer = Issuer,
            AuthorizationEndpoint = $"https://login.microsoftonline.com/{TenantId}/oauth2/v2.0/authorize",
            TokenEndpoint = new Uri(Root, $"{TenantId}/oauth2/v2.0/token").AbsoluteUri,
            EndSessionEndpoint = $"https://login.microsoftonline.com/{TenantId}/oauth2/v2.0/logout",
        };
        metadata.SigningKeys.Add(key);
        return metadata;
    }

    /// <summary>An authorization code for this account, as Entra ID would send it back to the app after sign-in.</summary>
    public string CodeFor(string nonce, params Claim[] claims)
    {
        var code = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        codes[code] = (claims, nonce);
        return code;
    }

    /// <summary>An ID token for this account, signed with the stand-in's key (or another key, to show it is refused).</summary>
    public string IdToken(string nonce, IEnumerable<Claim> claims, SecurityKey? signWith = null)
    {
        var now = DateTime.UtcNow;
        var subject = new ClaimsIdentity(claims);
        subject.AddClaim(new Claim("nonce", nonce));
        subject.AddClaim(new Claim("ver", "2.0"));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = ClientId,
            Subject = subject,
            IssuedAt = now,
            NotBefore = now.AddMinutes(-1),
            Expires = now.AddHours(1),
            SigningCredentials = new SigningCredentials(signWith ?? key, SecurityAlgorithms.RsaSha256),
        });
    }

    private async Task<IResult> Redeem(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        if (form["client_id"] != ClientId || form["client_secret"] != ClientSecret)
        {
            return Results.Json(new { error = "invalid_client" }, statusCode: 401);
        }

        if (form["grant_type"] != "authorization_code" || !codes.TryRemove(form["code"].ToString(), out var grant))
        {
            return Results.Json(new { error = "invalid_grant" }, statusCode: 400);
        }

        return Results.Json(new Dictionary<string, object>
        {
            ["token_type"] = "Bearer",
            ["expires_in"] = 3600,
            ["id_token"] = IdToken(grant.Nonce, grant.Claims),
            ["access_token"] = "stand-in-access-token",
        });
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        key.Rsa.Dispose();
    }
}
