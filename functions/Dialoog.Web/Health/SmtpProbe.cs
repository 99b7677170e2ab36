using Dialoog.Core.Email;
using MailKit.Net.Smtp;

namespace Dialoog.Web.Health;

/// <summary>
/// Connects to the SMTP server as the sender does (greeting, EHLO, and TLS as <c>Mail__Smtp__Security</c> says, with
/// the certificate checked) and says goodbye; proves it would take mail without sending any. It does not
/// authenticate: a password tried every few seconds could lock the account.
/// </summary>
internal static class SmtpProbe
{
    public static async Task<string?> GreetAsync(MailOptions.SmtpSettings smtp, CancellationToken cancellationToken)
    {
        using var client = new SmtpClient();
        await SmtpConnection.OpenAsync(client, smtp, authenticate: false, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
        return null;
    }
}
