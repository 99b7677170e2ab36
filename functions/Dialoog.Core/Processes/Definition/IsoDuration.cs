using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dialoog.Core.Processes.Definition;

/// <summary>
/// ISO-8601 durations (<c>PnYnMnWnDTnHnMnS</c>) as used for every timing of a process. A year counts as 365 days and
/// a month as 30 days: a process timing is a fixed span, not a calendar step. Only seconds may have a fraction
/// (<c>PT0.5S</c>, also with a comma). A leading minus is read, so that the validator can say a duration must be
/// positive; zero and negative values are not rejected here.
/// </summary>
public static class IsoDuration
{
    public const string Invalid = "Geen geldige duur. Gebruik ISO-8601, bijvoorbeeld P3D (3 dagen) of PT2H (2 uur).";

    private const long TicksPerYear = 365 * TimeSpan.TicksPerDay;
    private const long TicksPerMonth = 30 * TimeSpan.TicksPerDay;
    private const long TicksPerWeek = 7 * TimeSpan.TicksPerDay;

    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var span = text.AsSpan();
        var negative = span[0] == '-';
        if (negative)
        {
            span = span[1..];
        }

        if (span.Length < 2 || char.ToUpperInvariant(span[0]) != 'P')
        {
            return false;
        }

        span = span[1..];
        var timePart = false;
        var any = false;
        var lastRank = -1;
        decimal ticks = 0;
        while (!span.IsEmpty)
        {
            if (char.ToUpperInvariant(span[0]) == 'T')
            {
                if (timePart || span.Length == 1)
                {
                    return false;
                }

                timePart = true;
                span = span[1..];
                continue;
            }

            var length = 0;
            while (length < span.Length && (char.IsAsciiDigit(span[length]) || span[length] is '.' or ','))
            {
                length++;
            }

            if (length == 0 || length == span.Length || length > 20)
            {
                return false;
            }

            var number = span[..length];
            var unit = char.ToUpperInvariant(span[length]);
            var (rank, unitTicks) = (unit, timePart) switch
            {
                ('Y', false) => (0, TicksPerYear),
                ('M', false) => (1, TicksPerMonth),
                ('W', false) => (2, TicksPerWeek),
                ('D', false) => (3, TimeSpan.TicksPerDay),
                ('H', true) => (4, TimeSpan.TicksPerHour),
                ('M', true) => (5, TimeSpan.TicksPerMinute),
                ('S', true) => (6, TimeSpan.TicksPerSecond),
                _ => (-1, 0L),
            };

            // Units in their order, each once; only seconds may have a fraction.
            var fraction = number.IndexOfAny('.', ',');
            if (rank <= lastRank || (fraction >= 0 && unit != 'S')
                || number[0] is '.' or ',' || number[^1] is '.' or ',' || number[(fraction + 1)..].IndexOfAny('.', ',') >= 0)
            {
                return false;
            }

            // 10^12 of any unit is beyond TimeSpan.MaxValue already, and keeps the decimal product from overflowing.
            if (!decimal.TryParse(number.ToString().Replace(',', '.'), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
                || value > 1_000_000_000_000m)
            {
                return false;
            }

            ticks += value * unitTicks;
            if (ticks > TimeSpan.MaxValue.Ticks)
            {
                return false;
            }

            lastRank = rank;
            any = true;
            span = span[(length + 1)..];
        }

        if (!any)
        {
            return false;
        }

        var whole = (long)decimal.Round(ticks, MidpointRounding.AwayFromZero);
        duration = TimeSpan.FromTicks(negative ? -whole : whole);
        return true;
    }

    /// <exception cref="FormatException">With the Dutch message <see cref="Invalid"/>.</exception>
    public static TimeSpan Parse(string text) => TryParse(text, out var duration) ? duration : throw new FormatException(Invalid);

    /// <summary>
    /// The shortest canonical form in days, hours, minutes and seconds: <c>P14D</c>, <c>PT30S</c>, <c>PT1H30M</c>,
    /// <c>P1DT2H</c>, <c>PT0.5S</c>, <c>PT0S</c>. Years, months and weeks are not written, because they would read as
    /// calendar steps (P4Y becomes P1460D).
    /// </summary>
    public static string Format(TimeSpan duration)
    {
        if (duration == TimeSpan.Zero)
        {
            return "PT0S";
        }

        var builder = new StringBuilder();
        if (duration < TimeSpan.Zero)
        {
            builder.Append('-');
        }

        // TimeSpan.MinValue has no positive counterpart; unsigned arithmetic covers it.
        var ticks = duration.Ticks < 0 ? (ulong)-(duration.Ticks + 1) + 1 : (ulong)duration.Ticks;
        var days = ticks / TimeSpan.TicksPerDay;
        var hours = ticks / TimeSpan.TicksPerHour % 24;
        var minutes = ticks / TimeSpan.TicksPerMinute % 60;
        var seconds = ticks / TimeSpan.TicksPerSecond % 60;
        var fraction = ticks % TimeSpan.TicksPerSecond;

        builder.Append('P');
        if (days > 0)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{days}D");
        }

        if (hours + minutes + seconds + fraction > 0)
        {
            builder.Append('T');
            if (hours > 0)
            {
                builder.Append(CultureInfo.InvariantCulture, $"{hours}H");
            }

            if (minutes > 0)
            {
                builder.Append(CultureInfo.InvariantCulture, $"{minutes}M");
            }

            if (seconds + fraction > 0)
            {
                builder.Append(CultureInfo.InvariantCulture, $"{seconds}");
                if (fraction > 0)
                {
                    builder.Append('.').Append(fraction.ToString("D7", CultureInfo.InvariantCulture).TrimEnd('0'));
                }

                builder.Append('S');
            }
        }

        return builder.ToString();
    }
}

/// <summary>
/// Reads and writes <see cref="TimeSpan"/> as an ISO-8601 duration string (see <see cref="IsoDuration"/>). Registered
/// in <see cref="DefinitionJson.Options"/>, it also serves <c>TimeSpan?</c> (System.Text.Json wraps it for nullables).
/// </summary>
public sealed class IsoDurationConverter : JsonConverter<TimeSpan>
{
    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String || !IsoDuration.TryParse(reader.GetString(), out var duration))
        {
            throw DefinitionJson.Error(IsoDuration.Invalid);
        }

        return duration;
    }

    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(IsoDuration.Format(value));
    }
}
