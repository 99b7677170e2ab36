using Microsoft.Extensions.Options;

namespace Dialoog.Core.Configuration;

/// <summary>Checks shared by several options validators.</summary>
internal static class SettingRules
{
    public const int MinimumKeyBytes = 32;

    public static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    /// <summary>A signing key must be base64 of at least 32 random bytes (256 bits, the HMAC-SHA256 key size).</summary>
    public static bool IsStrongBase64Key(string value)
    {
        var buffer = new byte[value.Length];
        return Convert.TryFromBase64String(value, buffer, out var length) && length >= MinimumKeyBytes;
    }

    /// <summary>Fails unless <paramref name="value"/> is base64 of at least 32 bytes; the message tells how to make one.</summary>
    public static ValidateOptionsResult StrongKey(string key, string value) =>
        IsStrongBase64Key(value)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"Setting '{key}' must be base64 of at least {MinimumKeyBytes} random bytes, e.g. the output of 'openssl rand -base64 32'.");

    /// <summary>Formats a failure for a setting that must be set because another setting has a given value.</summary>
    public static string RequiredWhen(string key, string otherKey, string otherValue) =>
        $"Setting '{key}' is required when '{otherKey}' is '{otherValue}'.";

    public static string OneOf(string key, string found, params string[] allowed) =>
        $"Setting '{key}' must be {string.Join(" or ", allowed.Select(a => $"'{a}'"))} (found '{found}').";
}
