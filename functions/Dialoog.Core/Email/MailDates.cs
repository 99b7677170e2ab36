using System.Globalization;

namespace Dialoog.Core.Email;

/// <summary>Dates and times as people in the Netherlands read them: always Amsterdam time, never UTC.</summary>
internal static class MailDates
{
    public static readonly TimeZoneInfo Amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    private static readonly CultureInfo Dutch = CultureInfo.GetCultureInfo("nl-NL");
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-GB");

    /// <summary>"dinsdag 8 december 2026, 19.30 – 21.30 uur" or "Tuesday 8 December 2026, 19:30 – 21:30".</summary>
    public static string Span(DateTime startUtc, DateTime endUtc, bool english)
    {
        var start = ToAmsterdam(startUtc);
        var end = ToAmsterdam(endUtc);
        if (start.Date != end.Date)
        {
            // Rare (an evening that runs past midnight, a two-day retreat): spell out both days.
            return english
                ? $"{Day(start, english)}, {Time(start, english)} – {Day(end, english)}, {Time(end, english)}"
                : $"{Day(start, english)}, {Time(start, english)} uur – {Day(end, english)}, {Time(end, english)} uur";
        }

        return english
            ? $"{Day(start, english)}, {Time(start, english)} – {Time(end, english)}"
            : $"{Day(start, english)}, {Time(start, english)} – {Time(end, english)} uur";
    }

    /// <summary>"maandag 30 november 2026, 17.00 uur" or "Monday 30 November 2026, 17:00".</summary>
    public static string Moment(DateTime utc, bool english)
    {
        var local = ToAmsterdam(utc);
        return english ? $"{Day(local, english)}, {Time(local, english)}" : $"{Day(local, english)}, {Time(local, english)} uur";
    }

    /// <summary>"dinsdag 12 januari 2027" or "Tuesday 12 January 2027": for a due date, where the hour does not matter.</summary>
    public static string Date(DateTime utc, bool english) => Day(ToAmsterdam(utc), english);

    public static DateTime ToAmsterdam(DateTime utc) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Amsterdam);

    private static string Day(DateTime local, bool english) =>
        local.ToString("dddd d MMMM yyyy", english ? English : Dutch);

    private static string Time(DateTime local, bool english) =>
        local.ToString(english ? "HH:mm" : "HH.mm", CultureInfo.InvariantCulture);
}
