using Dialoog.Functions.Configuration;

namespace Dialoog.Functions.Links;

/// <summary>Settings under <c>Links__</c>: personal links in e-mails are signed so they cannot be guessed or altered.</summary>
public sealed class LinksOptions
{
    public const string Section = "Links";

    /// <summary>Base64 HMAC key of at least 32 bytes. Changing it invalidates every link already sent.</summary>
    public string SigningKey { get; set; } = "";
}

public static class LinksRegistration
{
    public static IServiceCollection AddParticipantLinks(this IServiceCollection services)
    {
        services.AddValidatedOptions(LinksOptions.Section, new StrongKeyValidator<LinksOptions>("Links__SigningKey", o => o.SigningKey));
        services.AddSingleton<ParticipantLinks>();
        return services;
    }
}
