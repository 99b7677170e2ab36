using System.Globalization;

namespace Dialoog.Core.Email;

/// <summary>
/// Dates and times as people in the Netherlands read them: always Amsterdam time, never UTC, with day and month names
/// and the patterns of the reader's language (MailText.resx: DayFormat, TimeFormat, Date_*).
/// </summary>
internal static class MailDates
{
    public static readonly TimeZoneInfo Amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    /// <summary>"dinsdag 8 december 2026, 19.30 – 21.30 uur" or "Tuesday 8 December 2026, 19:30 – 21:30".</summary>
    public static string Span(DateTime startUtc, DateTime endUtc, MailWording words)
    {
        var start = ToAmsterdam(startUtc);
        var end = ToAmsterdam(endUtc);
        return start.Date != end.Date
            // Rare (an evening that runs past midnight, a two-day retreat): spell out both days.
            ? words.Text("Date_SpanDays", new()
            {
                ["startDay"] = Day(start, words), ["start"] = Time(start, words), ["endDay"] = Day(end, words), ["end"] = Time(end, words),
            })
            : words.Text("Date_Span", new() { ["day"] = Day(start, words), ["start"] = Time(start, words), ["end"] = Time(end, words) });
    }

    /// <summary>"maandag 30 november 2026, 17.00 uur" or "Monday 30 November 2026, 17:00".</summary>
    public static string Moment(DateTime utc, MailWording words)
    {
        var local = ToAmsterdam(utc);
        return words.Text("Date_Moment", new() { ["day"] = Day(local, words), ["time"] = Time(local, words) });
    }

    /// <summary>"dinsdag 12 januari 2027" or "Tuesday 12 January 2027": for a due date, where the hour does not matter.</summary>
    public static string Date(DateTime utc, MailWording words) => Day(ToAmsterdam(utc), words);

    public static DateTime ToAmsterdam(DateTime utc) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Amsterdam);

    private static string Day(DateTime local, MailWording words) =>
        local.ToString(words.Text("DayFormat"), words.DateCulture);

    // Digits and separators are the same everywhere; only the pattern (19.30 or 19:30) differs per language.
    private static string Time(DateTime local, MailWording words) =>
        local.ToString(words.Text("TimeFormat"), CultureInfo.InvariantCulture);
}
