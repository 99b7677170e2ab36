using Dialoog.Core.Actions;
using Dialoog.Core.Processes.Definition;
using Dialoog.Core.Reports;

namespace Dialoog.Core.Tests.Reports;

/// <summary>The pure parts of the exports: CSV cells and the history kept beside an agreement.</summary>
public sealed class ExportFormatTests
{
    [Theory]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("+31 6 12345678", "'+31 6 12345678")]
    [InlineData("-2", "'-2")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\t=1", "'\t=1")]
    [InlineData("Anna", "Anna")]
    [InlineData("a;b", "\"a;b\"")]
    [InlineData("zei \"ja\"", "\"zei \"\"ja\"\"\"")]
    [InlineData("=A1;B1", "\"'=A1;B1\"")]
    [InlineData("regel 1\nregel 2", "\"regel 1\nregel 2\"")]
    public void CsvCell_NeutralisesFormulas_AndQuotesWhatWouldBreakTheRow(string value, string expected) =>
        Assert.Equal(expected, CsvExport.Cell(value));

    [Fact]
    public void CsvCell_WritesNumbersAsNumbers_AndNothingForEmpty()
    {
        Assert.Equal("-3", CsvExport.Cell(-3));
        Assert.Equal("", CsvExport.Cell(null));
    }

    [Fact]
    public void History_AddsEachChangeOnce_AndALadderStepAtItsOwnMoment()
    {
        var opened = new DateTime(2026, 12, 1, 9, 0, 0, DateTimeKind.Utc);
        var record = new FollowUpRecord("dlg-1", "a1", FollowUpKinds.Action, "Schetsen", null, new Person("Henk", "henk@example.org"), null, null,
            FollowUpStatus.Open, null, LadderLevels.None, opened, 0, 0);

        var history = FollowUpHistory.Append([], record, opened);
        Assert.Same(history, FollowUpHistory.Append(history, record, opened.AddHours(1)));
        history = FollowUpHistory.Append(history, record with { Level = LadderLevels.Owner }, opened.AddDays(14));
        history = FollowUpHistory.Append(history, record with { Status = FollowUpStatus.InProgress, Reason = "Bezig", LastUpdateUtc = opened.AddDays(15), Updates = 1 }, opened.AddDays(15));

        Assert.Equal(
            [(opened, FollowUpStatus.Open, LadderLevels.None), (opened.AddDays(14), FollowUpStatus.Open, LadderLevels.Owner), (opened.AddDays(15), FollowUpStatus.InProgress, LadderLevels.None)],
            history.Select(h => (h.AtUtc, h.Status, h.Level)));
        Assert.Equal(
            "2026-12-01 10:00: open\n2026-12-15 10:00: open, eigenaar herinnerd\n2026-12-16 10:00: bezig (Bezig)",
            ExportTables.HistoryText(history));
    }

    [Fact]
    public void History_KeepsTheLatestEntries_WhenItGrowsPastItsLimit()
    {
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        IReadOnlyList<FollowUpHistoryEntry> history = [];
        for (var i = 0; i < FollowUpHistory.MaxEntries + 5; i++)
        {
            var record = new FollowUpRecord("dlg-1", "a1", FollowUpKinds.Action, "Schetsen", null, new Person("Henk", "henk@example.org"), null, null,
                FollowUpStatus.InProgress, $"update {i}", LadderLevels.None, start.AddDays(i), i, 0);
            history = FollowUpHistory.Append(history, record, start.AddDays(i));
        }

        Assert.Equal(FollowUpHistory.MaxEntries, history.Count);
        Assert.Equal("update 5", history[0].Reason);
        Assert.Equal($"update {FollowUpHistory.MaxEntries + 4}", history[^1].Reason);
    }

    [Fact]
    public void Xlsx_CutsATextLongerThanExcelTakes_AndKeepsNumbersAsNumbers()
    {
        var table = new ExportTable("Blad", "Rij", ["Tekst", "Aantal"], [[new string('x', 40_000), 3], ["=1+1", 4]]);

        var (sheets, formulas) = ExportFiles.ReadXlsx(XlsxExport.Write([table]));

        var rows = sheets["Blad"];
        Assert.Equal(XlsxExport.MaxCellLength, rows[0]["Tekst"].Length);
        Assert.EndsWith("x…", rows[0]["Tekst"], StringComparison.Ordinal);
        Assert.Equal(("=1+1", "4"), (rows[1]["Tekst"], rows[1]["Aantal"]));
        Assert.Equal(0, formulas);
    }
}
