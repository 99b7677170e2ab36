using System.Globalization;

namespace Dialoog.Core.Processes.Definition;

/// <summary>Small pieces of plain Dutch for messages: durations, moments, lists and quoted input.</summary>
internal static class DutchText
{
    public static CultureInfo Culture { get; } = CultureInfo.GetCultureInfo("nl-NL");

    /// <summary>"14 dagen", "1 uur en 30 minuten", "45 seconden"; "0 seconden" for zero, "min " before a negative.</summary>
    public static string Duration(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero)
        {
            return "min " + Duration(duration == TimeSpan.MinValue ? TimeSpan.MaxValue : duration.Negate());
        }

        var parts = new List<string>();
        Part(parts, duration.Days, "dag", "dagen");
        Part(parts, duration.Hours, "uur", "uur");
        Part(parts, duration.Minutes, "minuut", "minuten");
        var seconds = duration.Seconds + (duration.Ticks % TimeSpan.TicksPerSecond / (double)TimeSpan.TicksPerSecond);
        if (seconds > 0 || parts.Count == 0)
        {
            parts.Add(seconds == 1 ? "1 seconde" : $"{seconds.ToString("0.###", Culture)} seconden");
        }

        return List(parts);
    }

    /// <summary>An Amsterdam wall-clock time as "5 maart 2026 om 19:30".</summary>
    public static string Moment(DateTime wallClock) => wallClock.ToString("d MMMM yyyy 'om' HH:mm", Culture);

    /// <summary>The Amsterdam wall-clock moment of a UTC instant, as <see cref="Moment"/>.</summary>
    public static string MomentOfUtc(DateTime utc) => Moment(AmsterdamTime.FromUtc(utc));

    /// <summary>"a", "a en b", "a, b en c".</summary>
    public static string List(IReadOnlyList<string> items) => items.Count switch
    {
        0 => "",
        1 => items[0],
        _ => $"{string.Join(", ", items.Take(items.Count - 1))} en {items[^1]}",
    };

    /// <summary>User input inside a message: in quotes, control characters shown as spaces, long values cut short.</summary>
    public static string Quote(string? value)
    {
        const int Shown = 60;
        var clean = new string((value ?? "").Select(c => char.IsControl(c) ? ' ' : c).ToArray());
        return clean.Length > Shown ? $"'{clean[..Shown]}…'" : $"'{clean}'";
    }

    private static void Part(List<string> parts, int count, string one, string many)
    {
        if (count > 0)
        {
            parts.Add(count == 1 ? $"1 {one}" : $"{count} {many}");
        }
    }
}
