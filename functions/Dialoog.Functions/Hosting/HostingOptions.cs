using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using Dialoog.Functions.Configuration;
using Microsoft.Extensions.Options;

namespace Dialoog.Functions.Hosting;

/// <summary>Settings under <c>Dialoog__</c>.</summary>
public sealed class DialoogOptions
{
    public const string Section = "Dialoog";

    /// <summary>Absolute base URL that participant links in e-mails point to.</summary>
    [Required(ErrorMessage = "Setting 'Dialoog__PublicBaseUrl' is required.")]
    public string PublicBaseUrl { get; set; } = "";
}

/// <summary>Settings under <c>Durable__</c>, read by the durable runtime.</summary>
public sealed partial class DurableOptions
{
    public const string Section = "Durable";

    /// <summary>Prefix of every table, queue and container the runtime creates, so several apps can share one account.</summary>
    [Required(ErrorMessage = "Setting 'Durable__TaskHub' is required.")]
    public string TaskHub { get; set; } = "";

    // Queue names allow only lowercase letters, digits and dashes, table names only letters and digits starting with
    // a letter; the runtime lowercases the hub and adds suffixes, so keep room under the 63-character limits.
    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{2,44}$")]
    internal static partial Regex TaskHubPattern();
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

internal sealed class DurableOptionsValidator : IValidateOptions<DurableOptions>
{
    public ValidateOptionsResult Validate(string? name, DurableOptions options)
    {
        if (string.IsNullOrEmpty(options.TaskHub) || DurableOptions.TaskHubPattern().IsMatch(options.TaskHub))
        {
            return ValidateOptionsResult.Success;
        }

        return ValidateOptionsResult.Fail(
            $"Setting 'Durable__TaskHub' must be 3 to 45 letters or digits and start with a letter (found '{options.TaskHub}').");
    }
}

internal static class HostingRegistration
{
    public static IServiceCollection AddHostingOptions(this IServiceCollection services)
    {
        services.AddValidatedOptions<DialoogOptions, DialoogOptionsValidator>(DialoogOptions.Section);
        services.AddValidatedOptions<DurableOptions, DurableOptionsValidator>(DurableOptions.Section);
        return services;
    }
}
