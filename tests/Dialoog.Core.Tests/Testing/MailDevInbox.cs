using System.Net.Http.Json;
using System.Text.Json;
using Dialoog.Testing;
using MimeKit;

namespace Dialoog.Core.Tests.Testing;

/// <summary>
/// Reads what really arrived in the fixture's MailDev, as parsed MIME. Tests find their own e-mails by a unique
/// recipient or subject, never by assuming an empty inbox, so they do not depend on each other.
/// </summary>
internal sealed class MailDevInbox(Uri api)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>Every message to <paramref name="address"/>, oldest first.</summary>
    public Task<IReadOnlyList<MimeMessage>> ToAsync(string address) =>
        WhereAsync(mail => mail.GetProperty("to").EnumerateArray()
            .Any(to => string.Equals(to.GetProperty("address").GetString(), address, StringComparison.OrdinalIgnoreCase)));

    /// <summary>Every message whose subject contains <paramref name="subjectPart"/>, oldest first.</summary>
    public Task<IReadOnlyList<MimeMessage>> WithSubjectAsync(string subjectPart) =>
        WhereAsync(mail => mail.GetProperty("subject").GetString()?.Contains(subjectPart, StringComparison.Ordinal) == true);

    /// <summary>Waits until at least <paramref name="count"/> messages to <paramref name="address"/> match <paramref name="match"/>.</summary>
    public async Task<IReadOnlyList<MimeMessage>> WaitForAsync(string address, Func<MimeMessage, bool> match, int count = 1, TimeSpan? timeout = null)
    {
        IReadOnlyList<MimeMessage> found = [];
        await Eventually.HoldsAsync(
            async () => (found = (await ToAsync(address)).Where(match).ToList()).Count >= count,
            $"{count} matching e-mail(s) to {address}",
            timeout ?? TimeSpan.FromSeconds(30));
        return found;
    }

    /// <summary>Waits until at least <paramref name="count"/> messages with this subject part arrived.</summary>
    public async Task<IReadOnlyList<MimeMessage>> WaitForSubjectAsync(string subjectPart, int count = 1)
    {
        IReadOnlyList<MimeMessage> found = [];
        await Eventually.HoldsAsync(
            async () => (found = await WithSubjectAsync(subjectPart)).Count >= count,
            $"{count} e-mail(s) with '{subjectPart}' in the subject reached MailDev");
        return found;
    }

    /// <summary>The iCalendar text of a message (the calendar part or the .ics attachment), or null.</summary>
    public static string? Calendar(MimeMessage message) =>
        message.BodyParts.OfType<TextPart>().FirstOrDefault(p => p.ContentType.IsMimeType("text", "calendar"))?.Text
        ?? message.BodyParts.OfType<MimePart>()
            .Where(p => p.FileName?.EndsWith(".ics", StringComparison.OrdinalIgnoreCase) == true)
            .Select(p =>
            {
                using var stream = new MemoryStream();
                p.Content?.DecodeTo(stream);
                return System.Text.Encoding.UTF8.GetString(stream.ToArray());
            })
            .FirstOrDefault();

    private async Task<IReadOnlyList<MimeMessage>> WhereAsync(Func<JsonElement, bool> match)
    {
        using var list = await Http.GetFromJsonAsync<JsonDocument>(new Uri(api, "email"))
            ?? throw new InvalidOperationException("MailDev returned no list.");
        var ids = list.RootElement.EnumerateArray().Where(match).Select(mail => mail.GetProperty("id").GetString()!).ToList();
        var messages = new List<MimeMessage>();
        foreach (var id in ids)
        {
            await using var source = await Http.GetStreamAsync(new Uri(api, $"email/{id}/source"));
            messages.Add(await MimeMessage.LoadAsync(source));
        }

        return messages.OrderBy(m => m.Date).ToList();
    }
}
