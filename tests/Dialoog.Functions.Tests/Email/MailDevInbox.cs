using System.Net.Http.Json;
using System.Text.Json;
using Dialoog.Testing;
using MimeKit;

namespace Dialoog.Functions.Tests.Email;

/// <summary>Reads the fixture's MailDev over its REST API. Tests find their own e-mails by a unique subject, never by an empty inbox.</summary>
internal sealed class MailDevInbox(Uri api)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>The raw MIME of every e-mail whose subject contains <paramref name="subjectPart"/>, parsed.</summary>
    public async Task<IReadOnlyList<MimeMessage>> WithSubjectAsync(string subjectPart)
    {
        using var list = await Http.GetFromJsonAsync<JsonDocument>(new Uri(api, "email"))
            ?? throw new InvalidOperationException("MailDev returned no list.");
        var ids = list.RootElement.EnumerateArray()
            .Where(mail => mail.GetProperty("subject").GetString()?.Contains(subjectPart, StringComparison.Ordinal) == true)
            .Select(mail => mail.GetProperty("id").GetString()!)
            .ToList();
        var messages = new List<MimeMessage>();
        foreach (var id in ids)
        {
            await using var source = await Http.GetStreamAsync(new Uri(api, $"email/{id}/source"));
            messages.Add(await MimeMessage.LoadAsync(source));
        }

        return messages;
    }

    /// <summary>Waits until exactly <paramref name="count"/> e-mails with this subject part arrived, and returns them.</summary>
    public async Task<IReadOnlyList<MimeMessage>> WaitForAsync(string subjectPart, int count = 1)
    {
        IReadOnlyList<MimeMessage> found = [];
        await Eventually.HoldsAsync(
            async () => (found = await WithSubjectAsync(subjectPart)).Count >= count,
            $"{count} e-mail(s) with '{subjectPart}' in the subject reached MailDev");
        return found;
    }
}
