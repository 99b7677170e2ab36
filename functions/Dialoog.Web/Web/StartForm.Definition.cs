using System.Globalization;
using System.Text.Json.Nodes;
using Dialoog.Core.Processes.Definition;

namespace Dialoog.Web;

/// <summary>The form as definition fields, in the same shapes the API and the templates use.</summary>
public sealed partial class StartForm
{
    /// <summary>
    /// The form as definition fields (merged over the template); errors for what the definition cannot hold. Every
    /// field a template can set has a field in the form, so the merge replaces it with what the coordinator saw.
    /// </summary>
    internal JsonObject ToDefinition(string coordinatorName, string coordinatorEmail, ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (!DefaultDecisions.Any(d => d.Value == DefaultDecision))
        {
            errors.Add("policy.defaultDecision", "Kies wat er gebeurt als een groep ontbreekt en niemand op tijd een keuze maakt.");
        }

        return new JsonObject
        {
            ["topic"] = Topic.Trim(),
            ["area"] = Area.Trim(),
            ["description"] = Description.Trim().Length == 0 ? null : Description.Trim(),
            ["coordinator"] = new JsonObject { ["name"] = coordinatorName, ["email"] = coordinatorEmail },
            ["escalationContact"] = new JsonObject { ["name"] = ContactName.Trim(), ["email"] = ContactEmail.Trim() },
            ["groups"] = GroupsJson(errors),
            ["participants"] = ParticipantsJson(),
            // The form shows the template's session defaults in every session, so they are already in the sessions.
            [DefinitionDraft.SessionDefaults] = null,
            ["sessions"] = SessionsJson(errors),
            ["signUp"] = SignUpJson(),
            ["policy"] = new JsonObject
            {
                ["replyDeadline"] = Preset(ReplyDeadline, ReplyDeadlines, "P14D"),
                ["reminderCadence"] = Preset(ReminderCadence, ReminderCadences, "P3D"),
                ["sessionReminderBefore"] = Preset(SessionReminderBefore, SessionReminders, "P1D"),
                ["defaultDecision"] = DefaultDecision,
            },
        };
    }

    /// <summary>The options for a preset field, with a template's own value (say P10D) added so it is not lost.</summary>
    public static IReadOnlyList<(string Value, string Text)> WithCurrent(string value, IReadOnlyList<(string Value, string Text)> options) =>
        options.Any(o => o.Value == value) || !IsoDuration.TryParse(value, out _) ? options : [.. options, (value, value)];

    private JsonArray GroupsJson(ValidationErrors errors)
    {
        var groups = new JsonArray();
        for (var i = 0; i < Groups.Count; i++)
        {
            var row = Groups[i];
            if (row.Name.Trim().Length == 0 && i > 0)
            {
                continue;
            }

            if (!int.TryParse(row.Minimum, NumberStyles.None, CultureInfo.InvariantCulture, out var minimum))
            {
                errors.Add($"groups[{i}].minimum", $"Vul bij groep {i + 1} een heel getal in als minimum, bijvoorbeeld 2.");
            }

            var group = new JsonObject { ["name"] = row.Name.Trim(), ["minimum"] = minimum, ["mandateRequired"] = row.MandateRequired };
            if (row.MandateRequired || row.ManagerName.Trim().Length > 0 || row.ManagerEmail.Trim().Length > 0)
            {
                group["manager"] = new JsonObject { ["name"] = row.ManagerName.Trim(), ["email"] = row.ManagerEmail.Trim() };
            }

            groups.Add(group);
        }

        return groups;
    }

    private JsonArray ParticipantsJson()
    {
        var participants = new JsonArray();
        foreach (var row in Participants)
        {
            var participant = new JsonObject { ["name"] = row.Name.Trim(), ["email"] = row.Email.Trim(), ["group"] = row.Group.Trim() };
            if (row.Phone.Trim().Length > 0)
            {
                participant["phone"] = row.Phone.Trim();
            }

            participant["language"] = row.Language.Trim().Length == 0 ? Languages.Dutch : row.Language.Trim();
            participants.Add(participant);
        }

        return participants;
    }

    /// <summary>Sessions as a calendar date, a start time and a length: the API's date shape, checked the same way.</summary>
    private JsonArray SessionsJson(ValidationErrors errors)
    {
        var sessions = new JsonArray();
        for (var i = 0; i < Sessions.Count; i++)
        {
            var row = Sessions[i];
            var session = new JsonObject();
            if (row.Id.Trim().Length > 0)
            {
                session["id"] = row.Id.Trim();
            }

            session["title"] = row.Title.Trim();
            var date = DateOnly.TryParseExact(row.Date.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day);
            var start = TimeOnly.TryParseExact(row.Start.Trim(), "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var from);
            var end = TimeOnly.TryParseExact(row.End.Trim(), "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var until);
            if (!date)
            {
                errors.Add($"sessions[{i}].start", $"Vul de datum van bijeenkomst {i + 1} in, bijvoorbeeld 2027-03-15.");
            }
            else if (!start)
            {
                errors.Add($"sessions[{i}].startTime", $"Vul de begintijd van bijeenkomst {i + 1} in, bijvoorbeeld 19:30.");
            }
            else if (!end)
            {
                errors.Add($"sessions[{i}].end", $"Vul de eindtijd van bijeenkomst {i + 1} in, bijvoorbeeld 21:30.");
            }
            else if (until <= from)
            {
                errors.Add($"sessions[{i}].end", $"De eindtijd van bijeenkomst {i + 1} ({row.End.Trim()}) ligt niet na de begintijd ({row.Start.Trim()}). Kies een latere eindtijd.");
            }
            else
            {
                // Real minutes, not clock minutes: on the night the clocks change, 01:30–03:30 is one or three hours.
                var minutes = AmsterdamTime.ToUtc(day.ToDateTime(until)) - AmsterdamTime.ToUtc(day.ToDateTime(from));
                session[DefinitionDraft.Date] = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                session[DefinitionDraft.StartTime] = from.ToString("HH:mm", CultureInfo.InvariantCulture);
                session[DefinitionDraft.DurationMinutes] = (int)minutes.TotalMinutes;
            }

            AddIfTyped(session, "location", row.Location);
            AddIfTyped(session, "onlineLink", row.OnlineLink);
            if (row.Capacity.Trim().Length > 0)
            {
                if (int.TryParse(row.Capacity, NumberStyles.None, CultureInfo.InvariantCulture, out var capacity))
                {
                    session["capacity"] = capacity;
                }
                else
                {
                    errors.Add($"sessions[{i}].capacity", $"Vul bij bijeenkomst {i + 1} het aantal plaatsen in als heel getal, of laat het leeg.");
                }
            }

            if (row.FacilitatorName.Trim().Length > 0 || row.FacilitatorEmail.Trim().Length > 0)
            {
                session["facilitator"] = new JsonObject { ["name"] = row.FacilitatorName.Trim(), ["email"] = row.FacilitatorEmail.Trim() };
            }

            sessions.Add(session);
        }

        return sessions;
    }

    /// <summary>Open sign-up when at least one group is ticked; null closes it (also over a template that opens it).</summary>
    private JsonObject? SignUpJson()
    {
        var open = Groups.Where(g => g.SignUp && g.Name.Trim().Length > 0).Select(g => (JsonNode?)g.Name.Trim()).ToArray();
        if (open.Length == 0)
        {
            return null;
        }

        var questions = new JsonArray();
        foreach (var row in Questions.Where(q => q.Text.Trim().Length > 0 || q.Choices.Trim().Length > 0))
        {
            var choices = row.Choices.Split('\n').Select(c => c.Trim()).Where(c => c.Length > 0).Select(c => (JsonNode?)c).ToArray();
            questions.Add(new JsonObject
            {
                ["id"] = row.Id.Trim().Length > 0 ? row.Id.Trim() : $"vraag{questions.Count + 1}",
                ["text"] = row.Text.Trim(),
                ["choices"] = new JsonArray(choices),
                ["freeText"] = row.FreeText,
            });
        }

        return new JsonObject { ["groups"] = new JsonArray(open), ["questions"] = questions };
    }

    private static void AddIfTyped(JsonObject session, string name, string value)
    {
        if (value.Trim().Length > 0)
        {
            session[name] = value.Trim();
        }
    }

    private static string Preset(string value, IReadOnlyList<(string Value, string Text)> allowed, string fallback) =>
        WithCurrent(value, allowed).Any(a => a.Value == value) ? value : fallback;
}
