using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Dialoog.Core.Processes.Definition;

namespace Dialoog.Web;

/// <summary>
/// What the coordinator typed in the start form, kept as typed (strings) so an error never loses input. Field names
/// are the definition's JSON paths (<c>participants[2].email</c>), so the validator's errors land next to their field.
/// </summary>
public sealed partial class StartForm
{
    public const int MaxRows = 500;

    public string Template { get; set; } = "";
    public string Topic { get; set; } = "";
    public string Area { get; set; } = "";
    public string Description { get; set; } = "";
    public string ContactName { get; set; } = "";
    public string ContactEmail { get; set; } = "";
    public List<GroupRow> Groups { get; } = [];
    public List<ParticipantRow> Participants { get; } = [];
    public List<SessionRow> Sessions { get; } = [];
    public string Paste { get; set; } = "";
    public string ReplyDeadline { get; set; } = "P14D";
    public string ReminderCadence { get; set; } = "P3D";
    public string SessionReminderBefore { get; set; } = "P1D";

    public static readonly IReadOnlyList<(string Value, string Text)> ReplyDeadlines = [("P7D", "1 week"), ("P14D", "2 weken"), ("P21D", "3 weken"), ("P28D", "4 weken")];
    public static readonly IReadOnlyList<(string Value, string Text)> ReminderCadences = [("P2D", "Herinnering na 2 dagen"), ("P3D", "Herinnering na 3 dagen"), ("P7D", "Herinnering na 1 week")];
    public static readonly IReadOnlyList<(string Value, string Text)> SessionReminders = [("PT2H", "2 uur van tevoren"), ("P1D", "1 dag van tevoren"), ("P2D", "2 dagen van tevoren")];

    public sealed class GroupRow
    {
        public string Name { get; set; } = "";
        public string Minimum { get; set; } = "1";
    }

    public sealed class ParticipantRow
    {
        public string Name { get; set; } = "";
        public string Email { get; set; } = "";

        /// <summary>For someone without e-mail: they get no e-mail and go on the call list.</summary>
        public string Phone { get; set; } = "";
        public string Group { get; set; } = "";
    }

    public sealed class SessionRow
    {
        public string Title { get; set; } = "";
        public string Date { get; set; } = "";
        public string Start { get; set; } = "19:30";
        public string End { get; set; } = "21:30";
        public string Location { get; set; } = "";
        public string OnlineLink { get; set; } = "";
        public string Capacity { get; set; } = "";
    }

    /// <summary>A fresh form, filled from a template's groups and sessions when one is chosen.</summary>
    public static StartForm FromTemplate(string? name, JsonObject? draft, DateTime nowUtc)
    {
        var form = new StartForm { Template = draft is null ? "" : name ?? "" };
        form.Description = draft?["description"]?.GetValue<string>() ?? "";
        foreach (var group in draft?["groups"]?.AsArray() ?? [])
        {
            form.Groups.Add(new GroupRow { Name = group?["name"]?.GetValue<string>() ?? "", Minimum = group?["minimum"]?.ToString() ?? "1" });
        }

        var today = AmsterdamTime.FromUtc(nowUtc).Date;
        foreach (var session in draft?["sessions"]?.AsArray() ?? [])
        {
            var offset = session?["offsetDays"]?.GetValue<int>() ?? 21;
            var start = TimeOnly.TryParse(session?["startTime"]?.GetValue<string>(), CultureInfo.InvariantCulture, out var time) ? time : new TimeOnly(19, 30);
            var minutes = session?["durationMinutes"]?.GetValue<int>() ?? 120;
            form.Sessions.Add(new SessionRow
            {
                Title = session?["title"]?.GetValue<string>() ?? "",
                Date = today.AddDays(offset).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                Start = start.ToString("HH:mm", CultureInfo.InvariantCulture),
                End = start.AddMinutes(minutes).ToString("HH:mm", CultureInfo.InvariantCulture),
            });
        }

        form.EnsureRows();
        return form;
    }

    /// <summary>At least one empty row of each kind, so there is always somewhere to type.</summary>
    public void EnsureRows()
    {
        if (Groups.Count == 0)
        {
            Groups.Add(new GroupRow());
        }

        if (Participants.Count == 0)
        {
            Participants.Add(new ParticipantRow());
        }

        if (Sessions.Count == 0)
        {
            Sessions.Add(new SessionRow());
        }
    }

    public static StartForm Read(IFormCollection form)
    {
        ArgumentNullException.ThrowIfNull(form);
        var read = new StartForm
        {
            Template = form["template"].ToString(),
            Topic = form["topic"].ToString(),
            Area = form["area"].ToString(),
            Description = form["description"].ToString(),
            ContactName = form["escalationContact.name"].ToString(),
            ContactEmail = form["escalationContact.email"].ToString(),
            Paste = form["paste"].ToString(),
            ReplyDeadline = form["policy.replyDeadline"].ToString(),
            ReminderCadence = form["policy.reminderCadence"].ToString(),
            SessionReminderBefore = form["policy.sessionReminderBefore"].ToString(),
        };
        for (var i = 0; i < MaxRows && form.ContainsKey($"groups[{i}].name"); i++)
        {
            read.Groups.Add(new GroupRow { Name = form[$"groups[{i}].name"].ToString(), Minimum = form[$"groups[{i}].minimum"].ToString() });
        }

        for (var i = 0; i < MaxRows && form.ContainsKey($"participants[{i}].name"); i++)
        {
            read.Participants.Add(new ParticipantRow
            {
                Name = form[$"participants[{i}].name"].ToString(),
                Email = form[$"participants[{i}].email"].ToString(),
                Phone = form[$"participants[{i}].phone"].ToString(),
                Group = form[$"participants[{i}].group"].ToString(),
            });
        }

        for (var i = 0; i < MaxRows && form.ContainsKey($"sessions[{i}].title"); i++)
        {
            read.Sessions.Add(new SessionRow
            {
                Title = form[$"sessions[{i}].title"].ToString(),
                Date = form[$"sessions[{i}].date"].ToString(),
                Start = form[$"sessions[{i}].startTime"].ToString(),
                End = form[$"sessions[{i}].end"].ToString(),
                Location = form[$"sessions[{i}].location"].ToString(),
                OnlineLink = form[$"sessions[{i}].onlineLink"].ToString(),
                Capacity = form[$"sessions[{i}].capacity"].ToString(),
            });
        }

        return read;
    }

    /// <summary>
    /// Moves pasted lines (<c>Naam &lt;e-mail&gt;; groep</c>) and CSV rows (<c>naam;e-mail;groep</c> or with commas) into
    /// participant rows, so they show (and get their errors) like typed rows. Lines it cannot read stay in the box.
    /// </summary>
    internal void TakeParticipantLines(string? csv, ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        Participants.RemoveAll(p => p.Name.Length == 0 && p.Email.Length == 0 && p.Phone.Length == 0 && p.Group.Length == 0);
        var unread = new List<string>();
        var lineNumber = 0;
        foreach (var line in Paste.Split('\n'))
        {
            lineNumber++;
            if (line.Trim().Length == 0)
            {
                continue;
            }

            var match = PastedLine().Match(line.Trim());
            if (match.Success)
            {
                Participants.Add(new ParticipantRow { Name = match.Groups["name"].Value.Trim(), Email = match.Groups["email"].Value.Trim(), Group = match.Groups["group"].Value.Trim() });
            }
            else
            {
                unread.Add(line.TrimEnd('\r'));
                errors.Add("paste", $"Regel {lineNumber} kan ik niet lezen: {DutchText.Quote(line.Trim())}. Schrijf het zo: Naam <e-mail>; groep.");
            }
        }

        Paste = string.Join('\n', unread);
        lineNumber = 0;
        foreach (var line in (csv ?? "").Split('\n'))
        {
            lineNumber++;
            var cells = line.Trim().Split(line.Contains(';', StringComparison.Ordinal) ? ';' : ',').Select(c => c.Trim().Trim('"')).ToArray();
            if (cells.Length == 1 && cells[0].Length == 0)
            {
                continue;
            }

            if (cells.Length >= 3 && cells[1].Contains('@', StringComparison.Ordinal))
            {
                Participants.Add(new ParticipantRow { Name = cells[0], Email = cells[1], Group = cells[2] });
            }
            else if (lineNumber > 1 || !cells[0].StartsWith("naam", StringComparison.OrdinalIgnoreCase))
            {
                errors.Add("csv", $"Regel {lineNumber} van het CSV-bestand heeft geen naam, e-mailadres en groep. Verwacht: naam;e-mail;groep.");
            }
        }

        if (Participants.Count > MaxRows)
        {
            errors.Add("participants", $"Dat zijn meer dan {MaxRows} deelnemers. Start met minder, en nodig later meer mensen uit.");
            Participants.RemoveRange(MaxRows, Participants.Count - MaxRows);
        }
    }

    /// <summary>The form as definition fields (merged over the template); errors for what the definition cannot hold.</summary>
    internal JsonObject ToDefinition(string coordinatorName, string coordinatorEmail, ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
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

            groups.Add(new JsonObject { ["name"] = row.Name.Trim(), ["minimum"] = minimum });
        }

        var participants = new JsonArray();
        foreach (var row in Participants)
        {
            var participant = new JsonObject { ["name"] = row.Name.Trim(), ["email"] = row.Email.Trim(), ["group"] = row.Group.Trim() };
            if (row.Phone.Trim().Length > 0)
            {
                participant["phone"] = row.Phone.Trim();
            }

            participants.Add(participant);
        }

        var sessions = new JsonArray();
        for (var i = 0; i < Sessions.Count; i++)
        {
            var row = Sessions[i];
            var session = new JsonObject { ["title"] = row.Title.Trim() };
            var date = DateOnly.TryParseExact(row.Date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day);
            var start = TimeOnly.TryParse(row.Start, CultureInfo.InvariantCulture, out var from);
            var end = TimeOnly.TryParse(row.End, CultureInfo.InvariantCulture, out var until);
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
            else
            {
                session["start"] = day.ToDateTime(from).ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture);
                session["end"] = day.ToDateTime(until).ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture);
            }

            if (row.Location.Trim().Length > 0)
            {
                session["location"] = row.Location.Trim();
            }

            if (row.OnlineLink.Trim().Length > 0)
            {
                session["onlineLink"] = row.OnlineLink.Trim();
            }

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

            sessions.Add(session);
        }

        return new JsonObject
        {
            ["topic"] = Topic.Trim(),
            ["area"] = Area.Trim(),
            ["description"] = Description.Trim().Length == 0 ? null : Description.Trim(),
            ["coordinator"] = new JsonObject { ["name"] = coordinatorName, ["email"] = coordinatorEmail },
            ["escalationContact"] = new JsonObject { ["name"] = ContactName.Trim(), ["email"] = ContactEmail.Trim() },
            ["groups"] = groups,
            ["participants"] = participants,
            ["sessions"] = sessions,
            ["policy"] = new JsonObject
            {
                ["replyDeadline"] = Preset(ReplyDeadline, ReplyDeadlines, "P14D"),
                ["reminderCadence"] = Preset(ReminderCadence, ReminderCadences, "P3D"),
                ["sessionReminderBefore"] = Preset(SessionReminderBefore, SessionReminders, "P1D"),
            },
        };
    }

    private static string Preset(string value, IReadOnlyList<(string Value, string Text)> allowed, string fallback) =>
        allowed.Any(a => a.Value == value) ? value : fallback;

    [GeneratedRegex(@"^(?<name>[^<;\t]+?)\s*<(?<email>[^>\s]+)>\s*[;,\t]\s*(?<group>.+)$")]
    private static partial Regex PastedLine();
}
