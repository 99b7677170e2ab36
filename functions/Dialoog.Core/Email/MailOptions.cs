using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Security;
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
        public const string StartTls = "StartTls";
        public const string SslOnConnect = "SslOnConnect";
        public const string None = "None";

        public string Host { get; set; } = "127.0.0.1";

        public int Port { get; set; } = 1025;

        /// <summary>
        /// <c>StartTls</c> (the server must offer STARTTLS, or nothing is sent), <c>SslOnConnect</c> (TLS from the first
        /// byte, usually port 465) or <c>None</c> (plain; only for a server on this machine, such as MailDev). Empty:
        /// <c>None</c> for a loopback host, <c>StartTls</c> for any other.
        /// </summary>
        public string Security { get; set; } = "";

        /// <summary>Set together with <see cref="Password"/>: the app then authenticates, always over TLS.</summary>
        public string UserName { get; set; } = "";

        /// <summary>A secret: never logged, never in an error message.</summary>
        public string Password { get; set; } = "";

        /// <summary>
        /// Tests only: accepts their self-signed certificate. Internal, so no setting can reach it; null keeps the
        /// system's certificate checks.
        /// </summary>
        internal RemoteCertificateValidationCallback? ServerCertificateValidation { get; set; }

        public bool HasCredentials => !string.IsNullOrEmpty(UserName) || !string.IsNullOrEmpty(Password);

        /// <summary><see cref="Security"/> spelled as its constant, with the default filled in; null when it is none of the three.</summary>
        public string? EffectiveSecurity => string.IsNullOrWhiteSpace(Security)
            ? (IsLoopback(Host) ? None : StartTls)
            : new[] { StartTls, SslOnConnect, None }.FirstOrDefault(known => string.Equals(known, Security.Trim(), StringComparison.OrdinalIgnoreCase));

        /// <summary>127.0.0.0/8, ::1 or <c>localhost</c>: traffic that never leaves this machine.</summary>
        public static bool IsLoopback(string? host)
        {
            var name = host?.Trim().TrimStart('[').TrimEnd(']') ?? "";
            return string.Equals(name, "localhost", StringComparison.OrdinalIgnoreCase)
                || (IPAddress.TryParse(name, out var address) && IPAddress.IsLoopback(address));
        }
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

            failures.AddRange(SmtpSecurityProblems(options.Smtp));
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

    /// <summary>Mail to another machine goes over TLS, and a password only ever over TLS. The password's value is never quoted.</summary>
    private static IEnumerable<string> SmtpSecurityProblems(MailOptions.SmtpSettings smtp)
    {
        var security = smtp.EffectiveSecurity;
        if (security is null)
        {
            yield return SettingRules.OneOf("Mail__Smtp__Security", smtp.Security, MailOptions.SmtpSettings.StartTls, MailOptions.SmtpSettings.SslOnConnect, MailOptions.SmtpSettings.None);
            yield break;
        }

        if (security == MailOptions.SmtpSettings.None && !MailOptions.SmtpSettings.IsLoopback(smtp.Host))
        {
            yield return $"Setting 'Mail__Smtp__Security' may be 'None' only for an SMTP server on this machine (127.0.0.1, localhost or ::1); "
                + $"mail to '{smtp.Host}' must be encrypted: use 'StartTls' or 'SslOnConnect'.";
        }

        if (!string.IsNullOrEmpty(smtp.UserName) && string.IsNullOrEmpty(smtp.Password))
        {
            yield return "Setting 'Mail__Smtp__Password' is required when 'Mail__Smtp__UserName' is set.";
        }
        else if (string.IsNullOrEmpty(smtp.UserName) && !string.IsNullOrEmpty(smtp.Password))
        {
            yield return "Setting 'Mail__Smtp__UserName' is required when 'Mail__Smtp__Password' is set.";
        }
        else if (smtp.HasCredentials && security == MailOptions.SmtpSettings.None)
        {
            yield return "Setting 'Mail__Smtp__UserName' needs 'Mail__Smtp__Security' 'StartTls' or 'SslOnConnect' (found 'None'): a password is never sent over a plain connection.";
        }
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
