using Dialoog.Core.Actions;
using Dialoog.Core.Invitations;
using Dialoog.Core.Processes;
using Dialoog.Core.Processes.Definition;
using Dialoog.Core.Reports;

namespace Dialoog.Core.Tests.Reports;

/// <summary>The report built from a process as it is just after its start (no status yet): valid Word (checked when read), every section, counts from the participants.</summary>
public sealed class ParticipationReportTests
{
    private static readonly DateTime Now = new(2026, 12, 3, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Report_BeforeTheProcessHasAStatus_IsValidWord_WithEverySection_AndLeavesTheErasedOut()
    {
        var definition = new ProcessDefinition
        {
            Topic = "Samen zorgen voor jongeren",
            Area = "Gemeente Voorbeeld",
            Coordinator = new Person("Carla", "carla@gemeente.example"),
            Groups = [new StakeholderGroup("inwoners", 2), new StakeholderGroup("zorgaanbieders", 1)],
            Sessions = [new SessionDefinition("s1", "Eerste avond", new DateTime(2027, 1, 12, 19, 30, 0), new DateTime(2027, 1, 12, 21, 30, 0), "Wijkcentrum")],
        };
        ParticipantRecord Person(string id, string name, string group, string? answer, string? email = null) =>
            new(id, name, email ?? $"{id}@example.org", group, "nl", answer, null, false, 0, Now, answer is null ? null : Now, null);
        var participants = new[]
        {
            Person("p1", "Anna", "inwoners", Answers.Yes),
            Person("p2", DialogueState.ErasedName, "inwoners", Answers.Yes, DialogueState.ErasedEmail("p2")),
            Person("p3", "Zorg BV", "zorgaanbieders", null),
        };
        var process = ProcessSnapshot.Create("dlg-0123456789abcdef", definition, null, participants, [], []);

        var bytes = ParticipationReport.Create(process, new Uri("https://dialoog.gemeente.example"), Now);

        var report = ExportFiles.ReadDocx(bytes);
        Assert.Equal(6, report.Headings.Count);
        Assert.Equal(ParticipationReport.SectionMunicipality, report.Headings[^1]);
        Assert.Equal(["inwoners", "1", "1", "0", "0", "0", "2", "nee"], report.Tables[0][1]);
        Assert.Equal(["zorgaanbieders", "1", "0", "0", "0", "1", "1", "nee"], report.Tables[0][2]);
        Assert.Contains("dinsdag 12 januari 2027, 19.30 tot 21.30 uur", report.Text, StringComparison.Ordinal);
        Assert.Contains("Er is nog geen verslag", report.Text, StringComparison.Ordinal);
        Assert.Contains("Er zijn geen afspraken of initiatieven.", report.Text, StringComparison.Ordinal);
        Assert.Contains(ParticipationReport.MunicipalityToComplete, report.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(DialogueState.ErasedName, report.Text, StringComparison.Ordinal);
        Assert.Equal("participatieverslag-samen-zorgen-voor-jongeren.docx", ParticipationReport.FileName(definition.Topic));
    }

    [Theory]
    [InlineData(Phases.Closed, "De coördinator heeft het traject gesloten. Het plan is aangepast.", "Bij het afsluiten schreef de coördinator: Het plan is aangepast.")]
    [InlineData(Phases.Cancelled, "Het traject is geannuleerd. Reden: Geen budget.", "Het traject is gestopt. De coördinator schreef: Geen budget.")]
    [InlineData(Phases.Closed, "De coördinator heeft het traject gesloten.", null)]
    [InlineData(Phases.FollowUp, "Bijeenkomst 'Avond' is geweest (3 aangemeld).", null)]
    public void ClosingText_ComesFromWhatTheCoordinatorWroteWhenClosing(string phase, string timeline, string? expected)
    {
        var status = new ProcessStatus(phase, "Onderwerp", "Gebied", null, "carla@gemeente.example", null, null, [], [], [], 0, 0,
            [new TimelineEntry(Now, timeline), new TimelineEntry(Now, "Afspraak 'Schetsen': gesloten.")]);

        Assert.Equal(expected, ParticipationReport.ClosingText(status));
    }
}
