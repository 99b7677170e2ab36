using Dialoog.Core.Configuration;

namespace Dialoog.Core.Links;

/// <summary>Settings under <c>Links__</c>: personal links in e-mails are signed so they cannot be guessed or altered.</summary>
public sealed class LinksOptions
{
    public const string Section = "Links";

    /// <summary>Base64 HMAC key of at least 32 bytes. Changing it invalidates every link already sent.</summary>
    public string SigningKey { get; set; } = "";

    /// <summary>
    /// Keys used before, comma-separated: links signed with them still open; new links are signed with
    /// <see cref="SigningKey"/>. To rotate, move the current key here and set a new one.
    /// </summary>
    public string PreviousSigningKeys { get; set; } = "";

    public IEnumerable<string> PreviousKeys() =>
        PreviousSigningKeys.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

internal sealed class LinksOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<LinksOptions>
{
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, LinksOptions options)
    {
        var current = SettingRules.StrongKey("Links__SigningKey", options.SigningKey);
        if (current.Failed)
        {
            return current;
        }

        return options.PreviousKeys().All(SettingRules.IsStrongBase64Key)
            ? Microsoft.Extensions.Options.ValidateOptionsResult.Success
            : Microsoft.Extensions.Options.ValidateOptionsResult.Fail(
                "Setting 'Links__PreviousSigningKeys' must be a comma-separated list of base64 keys of at least 32 random bytes each.");
    }
}

public static class LinksRegistration
{
    public static IServiceCollection AddParticipantLinks(this IServiceCollection services)
    {
        services.AddValidatedOptions<LinksOptions, LinksOptionsValidator>(LinksOptions.Section);
        services.AddSingleton<ParticipantLinks>();
        return services;
    }
}
