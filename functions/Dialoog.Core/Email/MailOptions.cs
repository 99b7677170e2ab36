using System.ComponentModel.DataAnnotations;
using Dialoog.Core.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Dialoog.Core.Email;

/// <summary>Settings under <c>Mail__</c>: how e-mail leaves the app.</summary>
public sealed class MailOptions
{
    public const string Section = "Mail";
    public const string SmtpProvider = "Smtp";
    public const string SendGridProvider = "SendGrid";

    /// <summary><c>Smtp</c> (MailDev locally, or any relay) or <c>SendGrid</c>.</summary>
    public string Provider { get; set; } = SmtpProvider;

    [Required(ErrorMessage = "Setting 'Mail__FromAddress' is required.")]
    [EmailAddress(ErrorMessage = "Setting 'Mail__FromAddress' must be an e-mail address.")]
    public string FromAddress { get; set; } = "";

    [Required(ErrorMessage = "Setting 'Mail__FromName' is required.")]
    public string FromName { get; set; } = "";

    public SmtpSettings Smtp { get; set; } = new();

    public SendGridSettings SendGrid { get; set; } = new();

    public bool UsesSmtp => string.Equals(Provider, SmtpProvider, StringComparison.OrdinalIgnoreCase);

    public bool UsesSendGrid => string.Equals(Provider, SendGridProvider, StringComparison.OrdinalIgnoreCase);

    public sealed class SmtpSettings
    {
        public string Host { get; set; } = "127.0.0.1";

        public int Port { get; set; } = 1025;
    }

    public sealed class SendGridSettings
    {
        public const string DefaultBaseUrl = "https://api.sendgrid.com";

        /// <summary>A secret: never logged, never in an error message.</summary>
        public string ApiKey { get; set; } = "";

        /// <summary>The v3 API's address; only tests (a loopback stand-in) or a regional account change it.</summary>
        public string BaseUrl { get; set; } = DefaultBaseUrl;

        /// <summary>SendGrid checks every e-mail and answers as usual, but delivers nothing: for trying a new setup.</summary>
        public bool SandboxMode { get; set; }
    }
}

internal sealed class MailOptionsValidator : IValidateOptions<MailOptions>
{
    public ValidateOptionsResult Validate(string? name, MailOptions options)
    {
        var failures = new List<string>();
        if (options.UsesSmtp)
        {
            if (string.IsNullOrWhiteSpace(options.Smtp.Host))
            {
                failures.Add(SettingRules.RequiredWhen("Mail__Smtp__Host", "Mail__Provider", MailOptions.SmtpProvider));
            }

            if (options.Smtp.Port is < 1 or > 65535)
            {
                failures.Add($"Setting 'Mail__Smtp__Port' must be between 1 and 65535 (found '{options.Smtp.Port}').");
            }
        }
        else if (options.UsesSendGrid)
        {
            if (string.IsNullOrWhiteSpace(options.SendGrid.ApiKey))
            {
                failures.Add(SettingRules.RequiredWhen("Mail__SendGrid__ApiKey", "Mail__Provider", MailOptions.SendGridProvider));
            }

            if (!SettingRules.IsHttpUrl(options.SendGrid.BaseUrl))
            {
                failures.Add($"Setting 'Mail__SendGrid__BaseUrl' must be an absolute http(s) URL (found '{options.SendGrid.BaseUrl}').");
            }
        }
        else
        {
            failures.Add(SettingRules.OneOf("Mail__Provider", options.Provider, MailOptions.SmtpProvider, MailOptions.SendGridProvider));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

public static class EmailRegistration
{
    public static IServiceCollection AddEmail(this IServiceCollection services)
    {
        services.AddValidatedOptions<MailOptions, MailOptionsValidator>(MailOptions.Section);
        services.TryAddSingleton(TimeProvider.System);

        // The provider is a setting, known once configuration is bound, so the choice is made when the sender is first
        // needed (after validation at start has refused a provider that is neither).
        services.AddSingleton<IEmailSender>(sp => sp.GetRequiredService<IOptions<MailOptions>>().Value.UsesSendGrid
            ? ActivatorUtilities.CreateInstance<SendGridEmailSender>(sp)
            : ActivatorUtilities.CreateInstance<SmtpEmailSender>(sp));
        return services;
    }
}
