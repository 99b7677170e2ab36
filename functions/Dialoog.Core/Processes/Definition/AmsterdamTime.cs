namespace Dialoog.Core.Processes.Definition;

/// <summary>
/// Session times are wall-clock times in Europe/Amsterdam (what people put in their agenda); deadlines are compared
/// in UTC. These helpers convert between the two, following RFC 5545 (iCalendar) at the daylight-saving edges.
/// </summary>
public static class AmsterdamTime
{
    public static TimeZoneInfo Zone { get; } = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    /// <summary>
    /// The UTC instant of <paramref name="time"/>. <see cref="DateTimeKind.Unspecified"/> is an Amsterdam wall-clock
    /// time; <see cref="DateTimeKind.Utc"/> is returned as is and <see cref="DateTimeKind.Local"/> is converted from the
    /// machine's zone. A wall-clock time that does not exist (the hour skipped in March) counts with the offset from
    /// before the jump, so 02:30 becomes 03:30 summer time; one that occurs twice (the hour repeated in October) means the
    /// first time, in summer time.
    /// </summary>
    public static DateTime ToUtc(DateTime time)
    {
        switch (time.Kind)
        {
            case DateTimeKind.Utc:
                return time;
            case DateTimeKind.Local:
                return time.ToUniversalTime();
        }

        if (Zone.IsInvalidTime(time))
        {
            // The offset just before the gap is the one an hour earlier (the gap is at most an hour long).
            var before = Zone.GetUtcOffset(time.AddHours(-2));
            return DateTime.SpecifyKind(time - before, DateTimeKind.Utc);
        }

        if (Zone.IsAmbiguousTime(time))
        {
            var largest = Zone.GetAmbiguousTimeOffsets(time).Max();
            return DateTime.SpecifyKind(time - largest, DateTimeKind.Utc);
        }

        return TimeZoneInfo.ConvertTimeToUtc(time, Zone);
    }

    /// <summary>
    /// The Amsterdam wall-clock time (<see cref="DateTimeKind.Unspecified"/>) of an instant. <see cref="DateTimeKind.Unspecified"/>
    /// input is taken to be UTC already.
    /// </summary>
    public static DateTime FromUtc(DateTime utc)
    {
        var instant = utc.Kind switch
        {
            DateTimeKind.Local => utc.ToUniversalTime(),
            DateTimeKind.Unspecified => DateTime.SpecifyKind(utc, DateTimeKind.Utc),
            _ => utc,
        };
        return DateTime.SpecifyKind(TimeZoneInfo.ConvertTimeFromUtc(instant, Zone), DateTimeKind.Unspecified);
    }
}
