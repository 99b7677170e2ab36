using System.Globalization;
using Dialoog.Core.Actions;
using Dialoog.Core.Invitations;
using Dialoog.Core.Processes;
using Dialoog.Core.Processes.Definition;

namespace Dialoog.Core.Reports;

/// <summary>One table of an export: a sheet in .xlsx; in .csv all tables share one header, told apart by "Soort".</summary>
/// <param name="Kind">What one row is, for the CSV's "Soort" column when the table has none of its own.</param>
public sealed record ExportTable(string Name, string Kind, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<object?>> Rows);

/// <summary>
/// The rows of an export (issue 20, item 2): the participants with their replies, and the agreements and initiatives
/// with their status and history, for one process or many. Column names are Dutch: coordinators open these in Excel.
/// </summary>
public static class ExportTables
{
    public const string ParticipantsSheet = "Deelnemers";
    public const string ItemsSheet = "Afspraken en initiatieven";

    public static readonly IReadOnlyList<string> ParticipantColumns =
    [
        "Traject", "Onderwerp", "Deelnemer", "Naam", "Groep", "E-mail", "Telefoon", "Adres", "Taal", "Antwoord", "Geldt voor",
        "Opmerking", "Wachtlijst", "Geantwoord op", "Antwoord via", "Genoteerd door", "Antwoord na de termijn", "Zelf aangemeld",
        "Antwoorden bij aanmelding", "Uitgenodigd op", "Herinneringen",
    ];

    public static readonly IReadOnlyList<string> ItemColumns =
    [
        "Traject", "Onderwerp", "Soort", "Nummer", "Titel", "Omschrijving", "Eigenaar", "E-mail eigenaar", "Ingediend door",
        "E-mail indiener", "Klaar op", "Status", "Toelichting", "Laatste update", "Aantal updates", "Escalaties", "Loopt vast", "Geschiedenis",
    ];

    public static IReadOnlyList<ExportTable> For(IReadOnlyList<ProcessSnapshot> processes)
    {
        ArgumentNullException.ThrowIfNull(processes);
        return
        [
            new(ParticipantsSheet, "Deelnemer", ParticipantColumns, processes.SelectMany(p => p.Participants.Select(r => ParticipantRow(p, r))).ToList()),
            new(ItemsSheet, "Afspraak", ItemColumns, processes.SelectMany(p => p.Items.Select(i => ItemRow(p, i))).ToList()),
        ];
    }

    private static IReadOnlyList<object?> ParticipantRow(ProcessSnapshot process, ParticipantRecord p) =>
    [
        process.Id, process.Definition.Topic, p.Id, p.Name, p.Group, NullIfEmpty(p.Email), p.Phone, p.Address, p.Language,
        AnswerText(p.Answer), p.Answer is null ? null : "alle bijeenkomsten", p.Remark, YesNo(p.Waitlisted), When(p.RepliedUtc),
        p.RecordedChannel is null ? (p.Answer is null ? null : "link") : ReplyChannels.Dutch(p.RecordedChannel), p.RecordedBy,
        AnswerText(p.LateAnswer), YesNo(p.SignedUp), SignUpAnswers(process.Definition, p), When(p.InvitedUtc), p.RemindersSent,
    ];

    private static IReadOnlyList<object?> ItemRow(ProcessSnapshot process, FollowUpRecord i) =>
    [
        process.Id, process.Definition.Topic, KindText(i.Kind), i.Id, i.Title, i.Description, i.Owner.Name, NullIfEmpty(i.Owner.Email),
        i.Submitter?.Name, i.Submitter?.Email, i.DueUtc is { } due ? AmsterdamTime.FromUtc(due).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null,
        FollowUpStatus.Dutch(i.Status), i.Reason, When(i.LastUpdateUtc), i.Updates, i.Escalations, YesNo(i.Stalled), HistoryText(process.HistoryOf(i)),
    ];

    public static string KindText(string kind) => kind == FollowUpKinds.Initiative ? "Initiatief" : "Afspraak";

    public static string? AnswerText(string? answer) => answer switch
    {
        Answers.Yes => "ja",
        Answers.No => "nee",
        Answers.Maybe => "misschien",
        _ => null,
    };

    /// <summary>"2026-12-03 14.05: bezig (Het ontwerp is klaar)" per change, oldest first, one per line.</summary>
    public static string? HistoryText(IReadOnlyList<FollowUpHistoryEntry> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        return history.Count == 0
            ? null
            : string.Join("\n", history.Select(h => $"{When(h.AtUtc)}: {FollowUpStatus.Dutch(h.Status)}{LevelText(h.Level)}"
                + (string.IsNullOrWhiteSpace(h.Reason) ? "" : $" ({h.Reason.Trim()})")));
    }

    private static string LevelText(int level) => level switch
    {
        LadderLevels.Owner => ", eigenaar herinnerd",
        LadderLevels.Coordinator => ", coördinator ingelicht",
        LadderLevels.Contact => ", escalatiecontact ingelicht",
        _ => "",
    };

    private static string? SignUpAnswers(ProcessDefinition definition, ParticipantRecord p)
    {
        if (p.SignUpAnswers is not { Count: > 0 } answers)
        {
            return null;
        }

        var questions = definition.SignUp?.Questions ?? [];
        return string.Join("\n", answers.Select(a =>
            $"{questions.FirstOrDefault(q => q.Id == a.QuestionId)?.Text ?? a.QuestionId}: "
            + string.Join(", ", (a.Choices ?? []).Concat(string.IsNullOrWhiteSpace(a.Text) ? [] : [a.Text.Trim()]))));
    }

    /// <summary>Amsterdam wall-clock time, sortable and unambiguous in any spreadsheet: "2026-12-03 14:05".</summary>
    public static string? When(DateTime? utc) =>
        utc is { } value ? AmsterdamTime.FromUtc(value).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : null;

    private static string YesNo(bool value) => value ? "ja" : "nee";

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
