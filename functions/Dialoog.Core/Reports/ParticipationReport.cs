using System.Globalization;
using Dialoog.Core.Actions;
using Dialoog.Core.Processes;
using Dialoog.Core.Processes.Definition;

namespace Dialoog.Core.Reports;

/// <summary>
/// The participation report (participatieverslag) of one process as a Word document (issue 20, item 3): what a council
/// or an Omgevingswet procedure asks for. Built fresh at every download from what the process holds now. It names
/// groups and counts, not people: it is meant to be passed on.
/// </summary>
public static class ParticipationReport
{
    public const string SectionTopic = "Waar ging het over?";
    public const string SectionPeople = "Wie waren uitgenodigd en wie deden mee?";
    public const string SectionSessions = "De bijeenkomsten";
    public const string SectionOutcome = "Wat kwam eruit?";
    public const string SectionItems = "Afspraken en initiatieven";
    public const string SectionMunicipality = "Wat heeft de gemeente ermee gedaan?";

    /// <summary>Said when the process holds no closing text: the coordinator writes this part.</summary>
    public const string MunicipalityToComplete =
        "Dit deel vult de coördinator zelf in. Schrijf hier wat de gemeente met de uitkomsten heeft gedaan, en waarom.";

    public static readonly IReadOnlyList<string> GroupColumns = ["Groep", "Uitgenodigd", "Ja", "Nee", "Misschien", "Geen antwoord", "Minimaal nodig", "Genoeg mensen?"];

    private static readonly CultureInfo Dutch = CultureInfo.GetCultureInfo("nl-NL");

    public static string FileName(string? topic) => Letters.InvitationLetter.DownloadName("participatieverslag", topic, ".docx");

    public static byte[] Create(ProcessSnapshot process, Uri publicBaseUrl, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(process);
        ArgumentNullException.ThrowIfNull(publicBaseUrl);
        var definition = process.Definition;
        var status = process.Status;
        var word = new WordDocument()
            .Title("Participatieverslag: " + definition.Topic)
            .Paragraph($"Gemaakt op {AmsterdamTime.FromUtc(nowUtc).ToString("d MMMM yyyy, HH.mm", Dutch)} uur. Dit verslag toont de stand van dat moment.");

        word.Heading(SectionTopic).Paragraph(definition.Topic);
        if (!string.IsNullOrWhiteSpace(definition.Description))
        {
            word.Paragraph(definition.Description.Trim());
        }

        word.Fact("Gebied", definition.Area).Fact("Coördinator", definition.Coordinator.Name);

        Groups(word, process);
        Sessions(word, process);
        Outcome(word, process, publicBaseUrl);
        Items(word, process);
        word.Heading(SectionMunicipality).Paragraph(ClosingText(status) ?? MunicipalityToComplete);
        return word.ToBytes();
    }

    /// <summary>Invited and replies per group, against the minimum the group needs at the table.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> GroupRows(ProcessSnapshot process)
    {
        ArgumentNullException.ThrowIfNull(process);
        var groups = process.Status?.Groups
            ?? process.Definition.Groups.Select(g => FromParticipants(g, process)).ToList();
        return groups.Select(g => (IReadOnlyList<string>)
        [
            g.Name, Number(g.Yes + g.No + g.Maybe + g.NoReply + g.Waitlisted), Number(g.Yes) + (g.Waitlisted > 0 ? $" (en {g.Waitlisted} op de wachtlijst)" : ""),
            Number(g.No), Number(g.Maybe), Number(g.NoReply), Number(g.Minimum), g.Yes >= g.Minimum ? "ja" : "nee",
        ]).ToList();
    }

    private static void Groups(WordDocument word, ProcessSnapshot process)
    {
        word.Heading(SectionPeople)
            .Paragraph("Per groep: hoeveel mensen een uitnodiging kregen en wat zij antwoordden. Elke groep moet aan tafel zitten. "
                + "Daarom staat erbij hoeveel mensen een groep minimaal nodig heeft.")
            .Table(GroupColumns, GroupRows(process));
        var signedUp = process.Participants.Count(p => p.SignedUp);
        if (signedUp > 0)
        {
            word.Paragraph(signedUp == 1 ? "1 persoon meldde zich zelf aan via het formulier." : $"{signedUp} mensen meldden zich zelf aan via het formulier.");
        }

        word.Paragraph("Wie er echt was, houdt Dialoog nog niet bij. \"Ja\" betekent hier: deze persoon zei te komen.");
    }

    private static void Sessions(WordDocument word, ProcessSnapshot process)
    {
        word.Heading(SectionSessions);
        var sessions = SessionsOf(process);
        if (sessions.Count == 0)
        {
            word.Paragraph("Er zijn geen bijeenkomsten.");
        }

        foreach (var session in sessions)
        {
            var start = AmsterdamTime.FromUtc(session.StartUtc);
            var end = AmsterdamTime.FromUtc(session.EndUtc);
            word.Heading(session.Title, 2)
                .Fact("Wanneer", $"{start.ToString("dddd d MMMM yyyy, HH.mm", Dutch)} tot {end.ToString("HH.mm", Dutch)} uur")
                .Fact("Waar", session.Location ?? session.OnlineLink ?? "nog niet bekend")
                .Fact("Stand", session.State switch
                {
                    "held" => "is geweest",
                    "cancelled" => "is niet doorgegaan",
                    _ => "komt nog",
                });
        }
    }

    private static void Outcome(WordDocument word, ProcessSnapshot process, Uri publicBaseUrl)
    {
        word.Heading(SectionOutcome);
        if (process.Minutes.Count == 0)
        {
            word.Paragraph("Er is nog geen verslag van een bijeenkomst.");
            return;
        }

        word.Paragraph("De verslagen van de bijeenkomsten. Elke nieuwe versie staat erbij. De links werken voor de coördinator na aanmelden.");
        var titles = SessionsOf(process).ToDictionary(s => s.Id, s => s.Title, StringComparer.Ordinal);
        foreach (var version in process.Minutes)
        {
            var url = new Uri(publicBaseUrl, MinutesPath(process.Id, version.SessionId, version.Version));
            word.Link(
                $"{titles.GetValueOrDefault(version.SessionId, version.SessionId)}, versie {version.Version} ({version.FileName}, "
                + $"{AmsterdamTime.FromUtc(version.UploadedUtc).ToString("d MMMM yyyy", Dutch)}):",
                url);
        }
    }

    private static void Items(WordDocument word, ProcessSnapshot process)
    {
        word.Heading(SectionItems);
        if (process.Items.Count == 0)
        {
            word.Paragraph("Er zijn geen afspraken of initiatieven.");
            return;
        }

        word.Paragraph("Wat er is afgesproken of voorgesteld, hoe het ermee staat en wat er het laatst over is gezegd.")
            .Table(["Soort", "Wat", "Klaar op", "Stand", "Laatste nieuws"], process.Items.Select(i => (IReadOnlyList<string>)
            [
                ExportTables.KindText(i.Kind),
                i.Title,
                i.DueUtc is { } due ? AmsterdamTime.FromUtc(due).ToString("d MMMM yyyy", Dutch) : "",
                FollowUpStatus.Dutch(i.Status),
                AmsterdamTime.FromUtc(i.LastUpdateUtc).ToString("d MMMM yyyy", Dutch) + (string.IsNullOrWhiteSpace(i.Reason) ? "" : ": " + i.Reason.Trim()),
            ]));
    }

    /// <summary>What the coordinator wrote when closing or cancelling the process, from the timeline; null when nothing.</summary>
    public static string? ClosingText(ProcessStatus? status)
    {
        const string Closed = "De coördinator heeft het traject gesloten.";
        const string Cancelled = "Het traject is geannuleerd. Reden: ";
        var entry = status?.Timeline.LastOrDefault(t => t.Text.StartsWith(Closed, StringComparison.Ordinal) || t.Text.StartsWith(Cancelled, StringComparison.Ordinal));
        if (entry is null)
        {
            return null;
        }

        var text = entry.Text.StartsWith(Closed, StringComparison.Ordinal) ? entry.Text[Closed.Length..].Trim() : entry.Text[Cancelled.Length..].Trim();
        return text.Length == 0 ? null
            : (status!.Phase == Phases.Cancelled ? "Het traject is gestopt. De coördinator schreef: " : "Bij het afsluiten schreef de coördinator: ") + text;
    }

    /// <summary>Where the coordinator downloads one version of the minutes (the web app serves it after sign-in).</summary>
    public static string MinutesPath(string processId, string sessionId, int version) => $"/trajecten/{processId}/verslagen/{sessionId}/{version}";

    private static IReadOnlyList<SessionStatus> SessionsOf(ProcessSnapshot process) =>
        process.Status?.Sessions
        ?? process.Definition.Sessions.Select(s => new SessionStatus(s.Id ?? "", s.Title, AmsterdamTime.ToUtc(s.Start), AmsterdamTime.ToUtc(s.End), s.Location, s.OnlineLink, s.Capacity, 0, "planned")).ToList();

    private static GroupStatus FromParticipants(StakeholderGroup group, ProcessSnapshot process)
    {
        var members = process.Participants.Where(p => p.Group == group.Name).ToList();
        return new GroupStatus(group.Name, group.Minimum,
            members.Count(p => p.Answer == Answers.Yes && !p.Waitlisted), members.Count(p => p.Answer == Answers.No),
            members.Count(p => p.Answer == Answers.Maybe), members.Count(p => p.Answer is null), members.Count(p => p.Waitlisted), group.MandateRequired, null);
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
