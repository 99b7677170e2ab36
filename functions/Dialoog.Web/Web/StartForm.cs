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

    /// <summary>Empty until the coordinator chooses: "go ahead without that group" is never picked for them.</summary>
    public string DefaultDecision { get; set; } = "";

    /// <summary>Questions asked on the open sign-up page (only used when a group is open for sign-up).</summary>
    public List<QuestionRow> Questions { get; } = [];

    public static readonly IReadOnlyList<(string Value, string Text)> ReplyDeadlines = [("P7D", "1 week"), ("P14D", "2 weken"), ("P21D", "3 weken"), ("P28D", "4 weken")];
    public static readonly IReadOnlyList<(string Value, string Text)> ReminderCadences = [("P2D", "Herinnering na 2 dagen"), ("P3D", "Herinnering na 3 dagen"), ("P7D", "Herinnering na 1 week")];
    public static readonly IReadOnlyList<(string Value, string Text)> SessionReminders = [("PT2H", "2 uur van tevoren"), ("P1D", "1 dag van tevoren"), ("P2D", "2 dagen van tevoren")];

    public static readonly IReadOnlyList<(string Value, string Text)> DefaultDecisions =
    [
        (DecisionChoices.Cancel, "Het traject stoppen. Iedereen krijgt bericht dat het niet doorgaat."),
        (DecisionChoices.GoAhead, "Toch doorgaan, zonder die groep."),
    ];

    /// <summary>The languages of the participants' e-mails that the definition accepts (see <see cref="Languages"/>).</summary>
    public static readonly IReadOnlyList<(string Value, string Text)> ParticipantLanguages = [(Languages.Dutch, "Nederlands"), (Languages.English, "Engels"), (Languages.Arabic, "Arabisch")];

    public sealed class GroupRow
    {
        public string Name { get; set; } = "";
        public string Minimum { get; set; } = "1";

        /// <summary>The group counts only once its manager has confirmed the mandate (integral team).</summary>
        public bool MandateRequired { get; set; }
        public string ManagerName { get; set; } = "";
        public string ManagerEmail { get; set; } = "";

        /// <summary>Anyone may sign up for this group on the public page.</summary>
        public bool SignUp { get; set; }
    }

    public sealed class ParticipantRow
    {
        public string Name { get; set; } = "";
        public string Email { get; set; } = "";

        /// <summary>For someone without e-mail: they get no e-mail and go on the call list.</summary>
        public string Phone { get; set; } = "";
        public string Group { get; set; } = "";
        public string Language { get; set; } = Languages.Dutch;
    }

    public sealed class SessionRow
    {
        /// <summary>The template's session id (e.g. "ophalen"), kept so the started process uses it too.</summary>
        public string Id { get; set; } = "";
        public string Title { get; set; } = "";
        public string Date { get; set; } = "";
        public string Start { get; set; } = "19:30";
        public string End { get; set; } = "21:30";
        public string Location { get; set; } = "";
        public string OnlineLink { get; set; } = "";
        public string Capacity { get; set; } = "";
        public string FacilitatorName { get; set; } = "";
        public string FacilitatorEmail { get; set; } = "";
    }

    public sealed class QuestionRow
    {
        public string Id { get; set; } = "";
        public string Text { get; set; } = "";

        /// <summary>One choice per line.</summary>
        public string Choices { get; set; } = "";
        public bool FreeText { get; set; } = true;
    }

    /// <summary>
    /// A fresh form, filled from everything a template sets: groups with mandates and managers, sessions (relative days
    /// shown as real dates, session defaults per session), sign-up, languages and policy presets.
    /// </summary>
    public static StartForm FromTemplate(string? name, JsonObject? draft, DateTime nowUtc)
    {
        var form = new StartForm { Template = draft is null ? "" : name ?? "" };
        form.Description = Text(draft?["description"]);
        var open = (draft?["signUp"]?["groups"] as JsonArray ?? []).Select(Text).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var group in draft?["groups"] as JsonArray ?? [])
        {
            form.Groups.Add(new GroupRow
            {
                Name = Text(group?["name"]),
                Minimum = group?["minimum"]?.ToString() ?? "1",
                MandateRequired = Flag(group?["mandateRequired"]) == true,
                ManagerName = Text(group?["manager"]?["name"]),
                ManagerEmail = Text(group?["manager"]?["email"]),
                SignUp = open.Contains(Text(group?["name"])),
            });
        }

        foreach (var question in draft?["signUp"]?["questions"] as JsonArray ?? [])
        {
            form.Questions.Add(new QuestionRow
            {
                Id = Text(question?["id"]),
                Text = Text(question?["text"]),
                Choices = string.Join('\n', (question?["choices"] as JsonArray ?? []).Select(Text)),
                FreeText = Flag(question?["freeText"]) ?? true,
            });
        }

        if (draft?["policy"] is JsonObject policy)
        {
            form.ReplyDeadline = Text(policy["replyDeadline"]) is { Length: > 0 } reply ? reply : form.ReplyDeadline;
            form.ReminderCadence = Text(policy["reminderCadence"]) is { Length: > 0 } cadence ? cadence : form.ReminderCadence;
            form.SessionReminderBefore = Text(policy["sessionReminderBefore"]) is { Length: > 0 } before ? before : form.SessionReminderBefore;
            form.DefaultDecision = Text(policy["defaultDecision"]);
        }

        var defaults = draft?["sessionDefaults"] as JsonObject;
        var today = AmsterdamTime.FromUtc(nowUtc).Date;
        foreach (var node in draft?["sessions"] as JsonArray ?? [])
        {
            var session = node as JsonObject ?? [];
            JsonNode? Field(string field) => session.ContainsKey(field) ? session[field] : defaults?[field];
            var start = TimeOnly.TryParse(Text(session["startTime"]), CultureInfo.InvariantCulture, out var time) ? time : new TimeOnly(19, 30);
            var minutes = session["durationMinutes"]?.GetValue<int>() ?? 120;
            var day = DateOnly.TryParseExact(Text(session["date"]), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                ? date
                : DateOnly.FromDateTime(today.AddDays(session["offsetDays"]?.GetValue<int>() ?? 21));
            form.Sessions.Add(new SessionRow
            {
                Id = Text(session["id"]),
                Title = Text(session["title"]),
                Date = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                Start = start.ToString("HH:mm", CultureInfo.InvariantCulture),
                End = start.AddMinutes(minutes).ToString("HH:mm", CultureInfo.InvariantCulture),
                Location = Text(Field("location")),
                OnlineLink = Text(Field("onlineLink")),
                Capacity = Field("capacity")?.ToString() ?? "",
                FacilitatorName = Text(Field("facilitator")?["name"]),
                FacilitatorEmail = Text(Field("facilitator")?["email"]),
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

        if (Questions.Count == 0)
        {
            Questions.Add(new QuestionRow());
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
            DefaultDecision = form["policy.defaultDecision"].ToString(),
        };
        for (var i = 0; i < MaxRows && form.ContainsKey($"groups[{i}].name"); i++)
        {
            read.Groups.Add(new GroupRow
            {
                Name = form[$"groups[{i}].name"].ToString(),
                Minimum = form[$"groups[{i}].minimum"].ToString(),
                MandateRequired = Checked(form, $"groups[{i}].mandateRequired"),
                ManagerName = form[$"groups[{i}].manager.name"].ToString(),
                ManagerEmail = form[$"groups[{i}].manager.email"].ToString(),
                SignUp = Checked(form, $"groups[{i}].signUp"),
            });
        }

        for (var i = 0; i < MaxRows && form.ContainsKey($"participants[{i}].name"); i++)
        {
            read.Participants.Add(new ParticipantRow
            {
                Name = form[$"participants[{i}].name"].ToString(),
                Email = form[$"participants[{i}].email"].ToString(),
                Phone = form[$"participants[{i}].phone"].ToString(),
                Group = form[$"participants[{i}].group"].ToString(),
                Language = form.TryGetValue($"participants[{i}].language", out var language) ? language.ToString() : Languages.Dutch,
            });
        }

        for (var i = 0; i < MaxRows && form.ContainsKey($"sessions[{i}].title"); i++)
        {
            read.Sessions.Add(new SessionRow
            {
                Id = form[$"sessions[{i}].id"].ToString(),
                Title = form[$"sessions[{i}].title"].ToString(),
                Date = form[$"sessions[{i}].date"].ToString(),
                Start = form[$"sessions[{i}].startTime"].ToString(),
                End = form[$"sessions[{i}].end"].ToString(),
                Location = form[$"sessions[{i}].location"].ToString(),
                OnlineLink = form[$"sessions[{i}].onlineLink"].ToString(),
                Capacity = form[$"sessions[{i}].capacity"].ToString(),
                FacilitatorName = form[$"sessions[{i}].facilitator.name"].ToString(),
                FacilitatorEmail = form[$"sessions[{i}].facilitator.email"].ToString(),
            });
        }

        for (var i = 0; i < MaxRows && form.ContainsKey($"signUp.questions[{i}].text"); i++)
        {
            read.Questions.Add(new QuestionRow
            {
                Id = form[$"signUp.questions[{i}].id"].ToString(),
                Text = form[$"signUp.questions[{i}].text"].ToString(),
                Choices = form[$"signUp.questions[{i}].choices"].ToString(),
                FreeText = Checked(form, $"signUp.questions[{i}].freeText"),
            });
        }

        return read;
    }

    private static bool Checked(IFormCollection form, string name) => form[name].ToString() == "true";

    private static string Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : "";

    private static bool? Flag(JsonNode? node) => node is JsonValue value && value.TryGetValue<bool>(out var flag) ? flag : null;

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

    [GeneratedRegex(@"^(?<name>[^<;\t]+?)\s*<(?<email>[^>\s]+)>\s*[;,\t]\s*(?<group>.+)$")]
    private static partial Regex PastedLine();
}
