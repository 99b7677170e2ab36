using System.ComponentModel.DataAnnotations;
using Dialoog.Core.Configuration;
using Microsoft.Extensions.Options;

namespace Dialoog.Core.Hosting;

/// <summary>Settings under <c>Dialoog__</c>.</summary>
public sealed class DialoogOptions
{
    public const string Section = "Dialoog";

    /// <summary>Absolute base URL that participant links in e-mails point to.</summary>
    [Required(ErrorMessage = "Setting 'Dialoog__PublicBaseUrl' is required.")]
    public string PublicBaseUrl { get; set; } = "";
}

internal sealed class DialoogOptionsValidator : IValidateOptions<DialoogOptions>
{
    public ValidateOptionsResult Validate(string? name, DialoogOptions options)
    {
        if (string.IsNullOrEmpty(options.PublicBaseUrl) || SettingRules.IsHttpUrl(options.PublicBaseUrl))
        {
            return ValidateOptionsResult.Success;
        }

        return ValidateOptionsResult.Fail(
            $"Setting 'Dialoog__PublicBaseUrl' must be an absolute http or https URL, like 'http://localhost:7071' (found '{options.PublicBaseUrl}').");
    }
}

public static class HostingRegistration
{
    public static IServiceCollection AddHostingOptions(this IServiceCollection services)
    {
        services.AddValidatedOptions<DialoogOptions, DialoogOptionsValidator>(DialoogOptions.Section);
        return services;
    }
}
