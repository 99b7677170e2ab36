using System.Text;
using Dialoog.Core.Calendar;
using Dialoog.Core.Email;
using Microsoft.Extensions.Time.Testing;
using IcalCalendar = Ical.Net.Calendar;

namespace Dialoog.Core.Tests.Calendar;

public sealed class IcsSessionCalendarTests
{
    private static readonly DateTimeOffset Now = new(2026, 5, 1, 9, 15, 0, TimeSpan.Zero);
    private static readonly DateTime SummerStartUtc = new(2026, 6, 16, 17, 30, 0, DateTimeKind.Utc); // 19.30 CEST (+02:00)
    private static readonly DateTime WinterStartUtc = new(2026, 12, 8, 18, 30, 0, DateTimeKind.Utc); // 19.30 CET (+01:00)
    private static readonly MailAddress Attendee = new("Fatima Yilmaz", "fatima@example.org");

    private readonly IcsSessionCalendar calendar = new(new FakeTimeProvider(Now));

    [Theory]
    [InlineData("2026-06-16T17:30:00Z", "20260616T193000", "20260616T213000")]
    [InlineData("2026-12-08T18:30:00Z", "20261208T193000", "20261208T213000")]
    public async Task Request_SummerAndWinter_WritesAmsterdamLocalTimesThatMapBackToTheSameInstant(string startUtc, string localStart, string localEnd)
    {
        var start = DateTime.Parse(startUtc, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal);
        var session = Event(start) with { Sequence = 3 };

        var (attachment, text, parsed) = await WriteAsync(session);

        Assert.Equal("uitnodiging.ics", attachment.FileName);
        Assert.Equal("text/calendar; charset=utf-8; method=REQUEST", attachment.ContentType);
        Assert.Contains($"DTSTART;TZID=Europe/Amsterdam:{localStart}", text, StringComparison.Ordinal);
        Assert.Contains($"DTEND;TZID=Europe/Amsterdam:{localEnd}", text, StringComparison.Ordinal);
        Assert.Equal("REQUEST", parsed.Method);
        Assert.Equal(IcsSessionCalendar.ProductId, parsed.ProductId);
        var item = Assert.Single(parsed.Events);
        Assert.Equal("session-42@dialoog", item.Uid);
        Assert.Equal(3, item.Sequence);
        Assert.Equal("Europe/Amsterdam", item.DtStart!.TzId);
        Assert.Equal(start, item.DtStart.AsUtc);
        Assert.Equal(start.AddHours(2), item.DtEnd!.AsUtc);
        Assert.Equal("CONFIRMED", item.Status);
        Assert.Equal(Now.UtcDateTime, item.DtStamp!.AsUtc);
    }

    [Fact]
    public async Task Request_IncludesTheAmsterdamZoneWithItsSummerTimeRules()
    {
        var (_, text, parsed) = await WriteAsync(Event(SummerStartUtc));

        var zone = Assert.Single(parsed.TimeZones);
        Assert.Equal("Europe/Amsterdam", zone.TzId);
        Assert.Contains("BEGIN:DAYLIGHT", text, StringComparison.Ordinal);
        Assert.Contains("BEGIN:STANDARD", text, StringComparison.Ordinal);
        Assert.Contains("TZOFFSETTO:+0200", text, StringComparison.Ordinal);
        Assert.Contains("TZOFFSETTO:+0100", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_NamesOrganizerAndTheOneAttendeeWithoutAskingForACalendarReply()
    {
        var (_, _, parsed) = await WriteAsync(Event(WinterStartUtc));

        var item = Assert.Single(parsed.Events);
        Assert.Equal("mailto:regie@gemeente.example", item.Organizer!.Value!.ToString());
        Assert.Equal("Joke de Vries", item.Organizer.CommonName);
        var attendee = Assert.Single(item.Attendees);
        Assert.Equal("mailto:fatima@example.org", attendee.Value!.ToString());
        Assert.Equal("Fatima Yilmaz", attendee.CommonName);
        Assert.Equal("NEEDS-ACTION", attendee.ParticipationStatus);
        Assert.False(attendee.Rsvp);
        Assert.Equal("Iedereen aan tafel", item.Summary);
        Assert.Equal("Eerste gesprek.\nNeem uw vragen mee.", item.Description);
        Assert.Equal("Buurthuis De Linde, Lindelaan 1", item.Location);
    }

    [Fact]
    public async Task Request_OnlineSession_PutsTheLinkInLocationAndUrl()
    {
        var session = Event(WinterStartUtc) with { Location = null, OnlineLink = "https://meet.example/abc" };

        var (_, _, parsed) = await WriteAsync(session);

        var item = Assert.Single(parsed.Events);
        Assert.Equal("https://meet.example/abc", item.Location);
        Assert.Equal(new Uri("https://meet.example/abc"), item.Url);
    }

    [Fact]
    public async Task Cancelled_WritesCancelMethodAndStatusUnderTheSameUid()
    {
        var session = Event(WinterStartUtc) with { Sequence = 4, Cancelled = true };

        var (attachment, _, parsed) = await WriteAsync(session);

        Assert.Equal("afzegging.ics", attachment.FileName);
        Assert.Equal("text/calendar; charset=utf-8; method=CANCEL", attachment.ContentType);
        Assert.Equal("CANCEL", parsed.Method);
        var item = Assert.Single(parsed.Events);
        Assert.Equal("session-42@dialoog", item.Uid);
        Assert.Equal(4, item.Sequence);
        Assert.Equal("CANCELLED", item.Status);
    }

    private async Task<(EmailAttachment Attachment, string Text, IcalCalendar Parsed)> WriteAsync(CalendarEvent session)
    {
        var attachments = await calendar.AttachmentsForAsync(session, Attendee, CancellationToken.None);
        var attachment = Assert.Single(attachments);
        var text = Encoding.UTF8.GetString(attachment.Content);
        return (attachment, text, IcalCalendar.Load(text)!);
    }

    private static CalendarEvent Event(DateTime startUtc) => new(
        "session-42@dialoog",
        0,
        "Iedereen aan tafel",
        "Eerste gesprek.\nNeem uw vragen mee.",
        startUtc,
        startUtc.AddHours(2),
        "Buurthuis De Linde, Lindelaan 1",
        null,
        new MailAddress("Joke de Vries", "regie@gemeente.example"),
        Cancelled: false);
}
