using System.Data;
using System.Globalization;
using System.Text;
using MiniExcelLibs;

namespace Dialoog.Core.Reports;

/// <summary>CSV as Dutch Excel opens it by double-click: UTF-8 with a byte order mark, ';' between cells, CRLF lines.</summary>
public static class CsvExport
{
    public const string ContentType = "text/csv";
    public const char Separator = ';';

    /// <summary>
    /// All tables under one header (the union of their columns, "Soort" first), so one file opens as one list to filter.
    /// </summary>
    public static byte[] Write(IReadOnlyList<ExportTable> tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        var columns = new List<string> { "Soort" };
        columns.AddRange(tables.SelectMany(t => t.Columns).Where(c => c != "Soort").Distinct());
        var text = new StringBuilder();
        AppendLine(text, columns);
        foreach (var table in tables)
        {
            var index = table.Columns.Select((name, i) => (name, i)).ToDictionary(c => c.name, c => c.i, StringComparer.Ordinal);
            foreach (var row in table.Rows)
            {
                AppendLine(text, columns.Select(c => index.TryGetValue(c, out var i) ? row[i] : c == "Soort" ? table.Kind : null));
            }
        }

        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
    }

    private static void AppendLine(StringBuilder text, IEnumerable<object?> cells)
    {
        text.AppendJoin(Separator, cells.Select(Cell)).Append("\r\n");
    }

    /// <summary>One cell: neutralised against formulas, quoted when it holds the separator, a quote or a line break.</summary>
    public static string Cell(object? value)
    {
        var text = value switch
        {
            null => "",
            IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
            _ => Neutralise(value.ToString() ?? ""),
        };
        return text.AsSpan().IndexOfAny(";\"\r\n") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }

    /// <summary>
    /// Text a spreadsheet would run as a formula (= + - @, and tab or carriage return before them) gets a leading
    /// apostrophe, as OWASP advises for CSV injection: a name or remark typed by anyone must never run in Excel.
    /// </summary>
    public static string Neutralise(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + text : text;
    }
}

/// <summary>Excel (.xlsx) with MiniExcel: one sheet per table, every text cell written as text, never as a formula.</summary>
public static class XlsxExport
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>The most characters Excel takes in one cell.</summary>
    public const int MaxCellLength = 32767;

    public static byte[] Write(IReadOnlyList<ExportTable> tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        var sheets = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            sheets[table.Name] = ToDataTable(table);
        }

        using var stream = new MemoryStream();
        stream.SaveAs(sheets, excelType: ExcelType.XLSX);
        return stream.ToArray();
    }

    private static DataTable ToDataTable(ExportTable table)
    {
        var data = new DataTable(table.Name) { Locale = CultureInfo.InvariantCulture };
        for (var i = 0; i < table.Columns.Count; i++)
        {
            // A column is numeric when every value in it is a number (the counts); else text, so nothing is guessed.
            var numeric = table.Rows.Count > 0 && table.Rows.All(r => r[i] is int);
            data.Columns.Add(table.Columns[i], numeric ? typeof(int) : typeof(string));
        }

        foreach (var row in table.Rows)
        {
            data.Rows.Add(row.Select(v => v switch
            {
                null => DBNull.Value,
                // Excel refuses a file with a longer cell; only a very long history comes near it.
                string { Length: > MaxCellLength } text => text[..(MaxCellLength - 1)] + "…",
                _ => v,
            }).ToArray());
        }

        return data;
    }
}
