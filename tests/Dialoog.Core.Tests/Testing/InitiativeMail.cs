using System.Net;
using System.Text.RegularExpressions;
using Dialoog.Testing;
using MimeKit;

namespace Dialoog.Core.Tests.Testing;

/// <summary>The submitter's side of the public initiative form: the e-mails they get and the links in them.</summary>
internal static partial class InitiativeMail
{
    public const string ConfirmSubject = "Bevestig uw initiatief";

    /// <summary>The path (and query) of the first personal link in an e-mail, for the app under test whatever its public address.</summary>
    public static string LinkIn(MimeMessage message) =>
        LinkPath().Match(message.TextBody ?? "") is { Success: true } match ? match.Value : throw new InvalidOperationException($"No personal link in '{message.Subject}'.");

    /// <summary>Waits for the confirmation e-mail to <paramref name="email"/>, opens its link and presses the button.</summary>
    public static async Task<HttpResponseMessage> ConfirmAsync(RunningApp app, DevStackFixture stack, string email)
    {
        var inbox = new MailDevInbox(stack.MailDevApi);
        var mail = (await inbox.WaitForAsync(email, m => m.Subject?.StartsWith(ConfirmSubject, StringComparison.Ordinal) == true))[^1];
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = app.Client.BaseAddress };
        return await LinkForm.PostAsync(browser, LinkIn(mail), new Dictionary<string, string>());
    }

    [GeneratedRegex(@"/l/[A-Za-z0-9_\-\.]+(\?k=[a-z]+)?")]
    private static partial Regex LinkPath();
}
