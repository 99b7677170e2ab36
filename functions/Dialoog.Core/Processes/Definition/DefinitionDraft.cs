using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using static Dialoog.Core.Processes.Definition.DefinitionLimits;
using static Dialoog.Core.Processes.Definition.DutchText;

namespace Dialoog.Core.Processes.Definition;

/// <summary>
/// A definition as templates (and the API) may write it, before it is a <see cref="ProcessDefinition"/>: the same JSON,
/// plus two conveniences that are resolved against "now" and then removed.
/// <list type="bullet">
/// <item><c>sessionDefaults</c> at the top: <c>location</c>, <c>onlineLink</c>, <c>capacity</c> and <c>facilitator</c>,
/// copied into every session that leaves the field out. A coordinator fills in one place for a whole series.</item>
/// <item>Per session, instead of <c>start</c> and <c>end</c>: <c>offsetDays</c> (days from today, Amsterdam) with
/// <c>startTime</c> (<c>"19:30"</c>), or <c>startsIn</c> (an ISO-8601 duration from now, rounded up to the minute: for
/// demos), or <c>date</c> (<c>"2027-03-15"</c>, a calendar day in Amsterdam) with <c>startTime</c>; and
/// <c>durationMinutes</c>. The end is that many real minutes after the start, so a session across the night the clocks
/// change ends at the right wall-clock time.</item>
/// </list>
/// </summary>
public static partial class DefinitionDraft
{
    public const string SessionDefaults = "sessionDefaults";
    public const string Date = "date";
    public const string OffsetDays = "offsetDays";
    public const string StartTime = "startTime";
    public const string StartsIn = "startsIn";
    public const string DurationMinutes = "durationMinutes";

    private static readonly string[] DefaultFields = ["location", "onlineLink", "capacity", "facilitator"];
    private static readonly string[] RelativeFields = [Date, OffsetDays, StartTime, StartsIn, DurationMinutes];

    /// <summary>
    /// Turns the conveniences in <paramref name="draft"/> into plain fields, in place. Returns the errors (keys like
    /// <c>sessions[0].startTime</c>); when there are any, the draft is not fit to deserialize.
    /// </summary>
    public static IReadOnlyDictionary<string, string[]> Resolve(JsonObject draft, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var errors = new ValidationErrors();
        var defaults = TakeDefaults(draft, errors);
        if (draft["sessions"] is JsonArray sessions)
        {
            for (var i = 0; i < sessions.Count; i++)
            {
                if (sessions[i] is not JsonObject session)
                {
                    continue;
                }

                foreach (var (name, value) in defaults)
                {
                    if (!session.ContainsKey(name))
                    {
                        session[name] = value?.DeepClone();
                    }
                }

                ResolveTimes(session, $"sessions[{i}]", nowUtc, errors);
            }
        }

        return errors.ToDictionary();
    }

    private static List<KeyValuePair<string, JsonNode?>> TakeDefaults(JsonObject draft, ValidationErrors errors)
    {
        var node = draft[SessionDefaults];
        draft.Remove(SessionDefaults);
        if (node is null)
        {
            return [];
        }

        if (node is not JsonObject defaults)
        {
            errors.Add(SessionDefaults, "Hier hoort een object tussen { en } met velden als location en capacity.");
            return [];
        }

        foreach (var (name, _) in defaults.Where(pair => !DefaultFields.Contains(pair.Key, StringComparer.Ordinal)))
        {
            errors.Add($"{SessionDefaults}.{name}", $"Onbekend veld {Quote(name)}. Hier kunnen alleen {List([.. DefaultFields])} staan.");
        }

        return [.. defaults.Where(pair => DefaultFields.Contains(pair.Key, StringComparer.Ordinal))];
    }

    private static void ResolveTimes(JsonObject session, string prefix, DateTime nowUtc, ValidationErrors errors)
    {
        if (!RelativeFields.Any(session.ContainsKey))
        {
            return;
        }

        var fields = RelativeFields.ToDictionary(name => name, name => session[name]);
        foreach (var name in RelativeFields)
        {
            session.Remove(name);
        }

        if (session.ContainsKey("start") || session.ContainsKey("end"))
        {
            errors.Add($"{prefix}.start", $"Geef de tijd óf met start en end, óf met {Date} (of {OffsetDays}) en {StartTime} en {DurationMinutes}. Niet allebei.");
            return;
        }

        var start = fields[Date] is not null ? StartFromDate(fields, prefix, nowUtc, errors)
            : fields[StartsIn] is not null ? StartFromDuration(fields, prefix, nowUtc, errors)
            : StartFromDayAndTime(fields, prefix, nowUtc, errors);

        var minutes = WholeNumber(fields[DurationMinutes]);
        if (minutes is null || minutes < 1 || minutes > MaxDurationMinutes)
        {
            errors.Add($"{prefix}.{DurationMinutes}",
                $"Vul in hoeveel minuten de bijeenkomst duurt: een heel getal van 1 tot en met {MaxDurationMinutes}, bijvoorbeeld 120 voor twee uur.");
            return;
        }

        if (start is { } wallClock)
        {
            var end = AmsterdamTime.FromUtc(AmsterdamTime.ToUtc(wallClock).AddMinutes(minutes.Value));
            session["start"] = wallClock.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture);
            session["end"] = end.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture);
        }
    }

    /// <summary>A calendar day and a wall-clock time in Amsterdam, as people say them: "15 maart om half acht".</summary>
    private static DateTime? StartFromDate(Dictionary<string, JsonNode?> fields, string prefix, DateTime nowUtc, ValidationErrors errors)
    {
        var dateKey = $"{prefix}.{Date}";
        if (fields[OffsetDays] is not null || fields[StartsIn] is not null)
        {
            errors.Add(dateKey, $"Gebruik óf {Date}, óf {OffsetDays}, óf {StartsIn}. Niet twee tegelijk.");
            return null;
        }

        var text = Text(fields[Date]);
        var isDate = DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day);
        if (!isDate)
        {
            errors.Add(dateKey, text is not null && DatePattern().IsMatch(text)
                ? $"De datum {Quote(text)} bestaat niet. Kijk het jaar, de maand en de dag na."
                : "Vul de datum in als jaar-maand-dag, bijvoorbeeld 2027-03-15 voor 15 maart 2027.");
        }

        if (Text(fields[StartTime]) is not { } time || !TimeOnly.TryParseExact(time, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var clock))
        {
            errors.Add($"{prefix}.{StartTime}", "Vul de begintijd in als uren en minuten, bijvoorbeeld 19:30.");
            return null;
        }

        if (!isDate)
        {
            return null;
        }

        var start = day.ToDateTime(clock);
        if (!DefinitionRules.ClockChange(errors, $"{prefix}.{StartTime}", start))
        {
            return null;
        }

        if (day < DateOnly.FromDateTime(AmsterdamTime.FromUtc(nowUtc)))
        {
            errors.Add(dateKey, $"De datum {day.ToString("d MMMM yyyy", Culture)} is al voorbij. Kies een datum die nog moet komen.");
            return null;
        }

        return start;
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}$")]
    private static partial Regex DatePattern();

    private static DateTime? StartFromDuration(Dictionary<string, JsonNode?> fields, string prefix, DateTime nowUtc, ValidationErrors errors)
    {
        var key = $"{prefix}.{StartsIn}";
        if (fields[OffsetDays] is not null || fields[StartTime] is not null)
        {
            errors.Add(key, $"Gebruik óf {StartsIn}, óf {OffsetDays} met {StartTime}. Niet allebei.");
            return null;
        }

        if (Text(fields[StartsIn]) is not { } text || !IsoDuration.TryParse(text, out var delay) || delay <= TimeSpan.Zero || delay > MaxDuration)
        {
            errors.Add(key, $"Vul in over hoeveel tijd de bijeenkomst begint, als ISO-8601-duur langer dan nul, bijvoorbeeld PT10M (over 10 minuten) of P21D (over 21 dagen).");
            return null;
        }

        var startUtc = nowUtc + delay;
        var rounded = new DateTime((startUtc.Ticks + TimeSpan.TicksPerMinute - 1) / TimeSpan.TicksPerMinute * TimeSpan.TicksPerMinute, DateTimeKind.Utc);
        return AmsterdamTime.FromUtc(rounded);
    }

    private static DateTime? StartFromDayAndTime(Dictionary<string, JsonNode?> fields, string prefix, DateTime nowUtc, ValidationErrors errors)
    {
        var days = WholeNumber(fields[OffsetDays]);
        if (days is null || days < 0 || days > MaxOffsetDays)
        {
            errors.Add($"{prefix}.{OffsetDays}",
                $"Vul in over hoeveel dagen de bijeenkomst is: een heel getal van 0 (vandaag) tot en met {MaxOffsetDays}.");
        }

        if (Text(fields[StartTime]) is not { } text || !TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            errors.Add($"{prefix}.{StartTime}", "Vul de begintijd in als uren en minuten, bijvoorbeeld 19:30.");
            return null;
        }

        return days is null or < 0 or > MaxOffsetDays ? null : AmsterdamTime.FromUtc(nowUtc).Date.AddDays(days.Value).Add(time.ToTimeSpan());
    }

    private static int? WholeNumber(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<int>(out var number) ? number : null;

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
}
