using MailKit.Net.Smtp;
using MailKit.Security;

namespace Dialoog.Core.Email;

/// <summary>
/// Opens the connection to the SMTP server the way <c>Mail__Smtp__*</c> says, for the sender and the readiness probe
/// alike: TLS to any server but one on this machine, and a password only over TLS.
/// </summary>
internal static class SmtpConnection
{
    /// <summary>Connects (TLS as <see cref="MailOptions.SmtpSettings.Security"/> says) and, when asked and credentials are set, authenticates.</summary>
    public static async Task OpenAsync(SmtpClient client, MailOptions.SmtpSettings smtp, bool authenticate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(smtp);
        if (smtp.ServerCertificateValidation is { } validate)
        {
            client.ServerCertificateValidationCallback = validate;
        }

        await client.ConnectAsync(smtp.Host, smtp.Port, SocketOptions(smtp), cancellationToken);
        if (authenticate && smtp.HasCredentials)
        {
            await client.AuthenticateAsync(smtp.UserName, smtp.Password, cancellationToken);
        }
    }

    /// <summary>
    /// MailKit's <see cref="SecureSocketOptions.StartTls"/> fails when the server does not offer STARTTLS (unlike
    /// <c>StartTlsWhenAvailable</c> or <c>Auto</c>), so a server or a man in the middle that hides it gets nothing.
    /// </summary>
    public static SecureSocketOptions SocketOptions(MailOptions.SmtpSettings smtp)
    {
        ArgumentNullException.ThrowIfNull(smtp);
        return smtp.EffectiveSecurity switch
        {
            MailOptions.SmtpSettings.StartTls => SecureSocketOptions.StartTls,
            MailOptions.SmtpSettings.SslOnConnect => SecureSocketOptions.SslOnConnect,
            MailOptions.SmtpSettings.None when MailOptions.SmtpSettings.IsLoopback(smtp.Host) && !smtp.HasCredentials => SecureSocketOptions.None,

            // Settings are checked at start; this also stops options made in code from ever going out in plain text.
            _ => throw new InvalidOperationException(
                $"SMTP server {smtp.Host}:{smtp.Port} would be spoken to without TLS (Mail__Smtp__Security '{smtp.Security}'): only a server on this machine, without a password, may be."),
        };
    }
}
