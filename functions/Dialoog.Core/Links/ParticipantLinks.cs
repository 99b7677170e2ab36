using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Dialoog.Core.Hosting;
using Microsoft.Extensions.Options;

namespace Dialoog.Core.Links;

/// <summary>What a personal link may do. A token for one purpose is refused for every other.</summary>
public enum LinkPurpose
{
    /// <summary>A participant replies yes / no / maybe. Subject: participant id.</summary>
    Reply = 1,

    /// <summary>The coordinator or escalation contact decides on an escalation. Subject: escalation id.</summary>
    Decision = 2,

    /// <summary>An organisation's manager confirms the mandate. Subject: group index.</summary>
    Mandate = 3,

    /// <summary>An action's owner or an initiative's contact person reports progress. Subject: item id.</summary>
    FollowUp = 4,

    /// <summary>The facilitator (or coordinator) uploads minutes. Subject: session id.</summary>
    MinutesUpload = 5,

    /// <summary>An attendee downloads one version of the minutes. Subject: <c>participant:session:version</c>.</summary>
    MinutesDownload = 6,

    /// <summary>Someone who submitted an initiative on the public form confirms their address. Subject: the pending initiative's id.</summary>
    InitiativeConfirmation = 7,

    /// <summary>Whoever submitted an initiative sees how it is going. Subject: item id.</summary>
    InitiativeStatus = 8,

    /// <summary>Someone who signed up on the public page confirms their address. Subject: the pending sign-up's id.</summary>
    SignUpConfirmation = 9,
}

/// <summary>What a valid token says: who may do what in which process, until when.</summary>
/// <param name="ProcessNonce">
/// The process's <see cref="ProcessNonce"/>: which process with <paramref name="ProcessId"/> the link was made for, so a
/// link of a purged process never acts on a later one with the same id. Null in links of processes started before
/// processes had one.
/// </param>
/// <param name="Language">
/// The language of the pages behind the link (<see cref="Processes.Definition.Languages"/>), as the recipient's e-mail.
/// Null in links made before links carried it: the page then uses the participant's language, or Dutch.
/// </param>
public sealed record LinkClaims(LinkPurpose Purpose, string ProcessId, string Subject, DateTimeOffset ExpiresAt, string? ProcessNonce = null, string? Language = null);

/// <summary>
/// A random value per process, made when it starts and kept in its input for its whole life (ContinueAsNew included).
/// Links carry it; a page compares it with the process that has the id now. Processes started before nonces existed
/// have none, and so do their links: a link without a nonce works only on a process without one.
/// </summary>
public static class ProcessNonce
{
    public static string New() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(12));

    /// <summary>True when the link was made for this process (both without a nonce counts: a process from before nonces).</summary>
    public static bool Matches(LinkClaims claims, string? processNonce)
    {
        ArgumentNullException.ThrowIfNull(claims);
        return string.Equals(claims.ProcessNonce, processNonce, StringComparison.Ordinal);
    }
}

public enum LinkProblem
{
    None,
    Malformed,
    BadSignature,
    Expired,
}

/// <summary>
/// Signed, purpose-bound, expiring personal links. The token is <c>payload.signature</c>, both base64url; the payload
/// holds no personal data (ids only) because URLs end up in logs and browser history. HMAC-SHA256 with a key of at
/// least 32 bytes makes tokens unguessable and unalterable. New tokens are signed with the current key; tokens signed with
/// a previous key (<c>Links__PreviousSigningKeys</c>) are still accepted, so the key can be rotated.
/// </summary>
public sealed class ParticipantLinks
{
    private const string FormatVersion = "1";
    private const string NonceFormatVersion = "2";
    private const string LanguageFormatVersion = "3";
    private readonly byte[] _key;
    private readonly byte[][] _previousKeys;
    private readonly Uri _baseUrl;
    private readonly TimeProvider _time;

    public ParticipantLinks(IOptions<LinksOptions> links, IOptions<DialoogOptions> dialoog, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(links);
        ArgumentNullException.ThrowIfNull(dialoog);
        _key = Convert.FromBase64String(links.Value.SigningKey);
        _previousKeys = [.. links.Value.PreviousKeys().Select(Convert.FromBase64String)];
        _baseUrl = new Uri(dialoog.Value.PublicBaseUrl.TrimEnd('/') + "/", UriKind.Absolute);
        _time = time;
    }

    public string CreateToken(LinkClaims claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        if (claims.ProcessId.Contains('|', StringComparison.Ordinal) || claims.Subject.Contains('|', StringComparison.Ordinal)
            || claims.ProcessNonce is "" || claims.ProcessNonce?.Contains('|', StringComparison.Ordinal) == true
            || claims.Language is "" || claims.Language?.Contains('|', StringComparison.Ordinal) == true)
        {
            throw new ArgumentException("Ids in links cannot contain '|'.", nameof(claims));
        }

        // Without a nonce the old format, byte for byte: links of processes from before nonces look as they always did.
        string[] fields = [((int)claims.Purpose).ToString(CultureInfo.InvariantCulture), claims.ProcessId, claims.Subject,
            claims.ExpiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)];
        // A language makes a third format, the nonce still last (empty when there is none); without one, links stay as they were.
        var payload = claims.Language is not null
            ? string.Join('|', [LanguageFormatVersion, .. fields, claims.Language, claims.ProcessNonce ?? ""])
            : claims.ProcessNonce is null
                ? string.Join('|', [FormatVersion, .. fields])
                : string.Join('|', [NonceFormatVersion, .. fields, claims.ProcessNonce]);
        var payloadBytes = Encoding.UTF8.GetBytes(payload);
        return Base64Url.EncodeToString(payloadBytes) + "." + Base64Url.EncodeToString(Sign(payloadBytes));
    }

    /// <summary>The absolute URL of a link page, e.g. <c>https://…/l/{token}?k=yes</c>.</summary>
    /// <summary>The privacy statement, linked from every e-mail to a participant.</summary>
    public Uri PrivacyUrl => new(_baseUrl, "privacy");

    public Uri CreateUrl(LinkClaims claims, string? key = null)
    {
        var relative = "l/" + CreateToken(claims) + (key is null ? "" : "?k=" + Uri.EscapeDataString(key));
        return new Uri(_baseUrl, relative);
    }

    public LinkProblem TryRead(string? token, LinkPurpose expectedPurpose, out LinkClaims? claims)
    {
        claims = null;
        if (string.IsNullOrEmpty(token) || token.Length > 512)
        {
            return LinkProblem.Malformed;
        }

        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || !TryDecode(token[..dot], out var payloadBytes) || !TryDecode(token[(dot + 1)..], out var signature))
        {
            return LinkProblem.Malformed;
        }

        // Rotation: the current key first, then the keys it replaced, so links already sent keep working.
        if (!CryptographicOperations.FixedTimeEquals(signature, Sign(payloadBytes))
            && !_previousKeys.Any(key => CryptographicOperations.FixedTimeEquals(signature, HMACSHA256.HashData(key, payloadBytes))))
        {
            return LinkProblem.BadSignature;
        }

        var parts = Encoding.UTF8.GetString(payloadBytes).Split('|');
        if (!((parts.Length == 5 && parts[0] == FormatVersion) || (parts.Length == 6 && parts[0] == NonceFormatVersion && parts[5].Length > 0)
                || (parts.Length == 7 && parts[0] == LanguageFormatVersion && parts[5].Length > 0))
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var purpose)
            || !long.TryParse(parts[4], NumberStyles.None, CultureInfo.InvariantCulture, out var expires))
        {
            return LinkProblem.Malformed;
        }

        // A valid signature for another purpose is still not a key to this door.
        if ((LinkPurpose)purpose != expectedPurpose)
        {
            return LinkProblem.BadSignature;
        }

        var nonce = parts.Length >= 6 && parts[^1].Length > 0 ? parts[^1] : null;
        var read = new LinkClaims((LinkPurpose)purpose, parts[2], parts[3], DateTimeOffset.FromUnixTimeSeconds(expires), nonce, parts.Length == 7 ? parts[5] : null);
        if (read.ExpiresAt <= _time.GetUtcNow())
        {
            return LinkProblem.Expired;
        }

        claims = read;
        return LinkProblem.None;
    }

    private byte[] Sign(byte[] payload) => HMACSHA256.HashData(_key, payload);

    private static bool TryDecode(string text, out byte[] bytes)
    {
        bytes = [];
        if (text.Length == 0 || !Base64Url.IsValid(text))
        {
            return false;
        }

        bytes = Base64Url.DecodeFromChars(text);
        return true;
    }
}
