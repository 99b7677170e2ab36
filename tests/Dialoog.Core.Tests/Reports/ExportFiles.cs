using System.Text;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Word = DocumentFormat.OpenXml.Wordprocessing;

namespace Dialoog.Core.Tests.Reports;

/// <summary>Reads the downloaded files back as a spreadsheet or a word processor would: CSV by RFC 4180, .xlsx and .docx with the Open XML SDK.</summary>
internal static class ExportFiles
{
    /// <summary>The CSV as rows of cells keyed by the header; fails when the byte order mark is missing.</summary>
    public static IReadOnlyList<Dictionary<string, string>> ReadCsv(byte[] bytes)
    {
        Assert.True(bytes.AsSpan().StartsWith(Encoding.UTF8.GetPreamble()), "the CSV starts with the UTF-8 byte order mark");
        var rows = ParseCsv(Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3), ';');
        var header = rows[0];
        return rows.Skip(1).Select(r =>
        {
            Assert.Equal(header.Count, r.Count);
            return header.Zip(r).ToDictionary(c => c.First, c => c.Second, StringComparer.Ordinal);
        }).ToList();
    }

    private static List<List<string>> ParseCsv(string text, char separator)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == separator)
            {
                row.Add(cell.ToString());
                cell.Clear();
            }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                row.Add(cell.ToString());
                cell.Clear();
                rows.Add(row);
                row = [];
                i++;
            }
            else
            {
                cell.Append(c);
            }
        }

        Assert.False(quoted, "every quote in the CSV is closed");
        Assert.Empty(row);
        return rows;
    }

    /// <summary>Every sheet by name, as rows keyed by the header row; also whether any cell holds a formula.</summary>
    public static (Dictionary<string, List<Dictionary<string, string>>> Sheets, int Formulas) ReadXlsx(byte[] bytes)
    {
        using var document = SpreadsheetDocument.Open(new MemoryStream(bytes), false);
        var workbook = document.WorkbookPart!;
        var shared = workbook.SharedStringTablePart?.SharedStringTable.Elements<SharedStringItem>().Select(s => s.InnerText).ToList() ?? [];
        var result = new Dictionary<string, List<Dictionary<string, string>>>(StringComparer.Ordinal);
        var formulas = 0;
        foreach (var sheet in workbook.Workbook.Sheets!.Elements<Sheet>())
        {
            var part = (WorksheetPart)workbook.GetPartById(sheet.Id!.Value!);
            formulas += part.Worksheet.Descendants<CellFormula>().Count();
            var rows = part.Worksheet.Descendants<Row>().Select(r => r.Elements<Cell>().ToDictionary(c => Column(c.CellReference!.Value!), c => Value(c, shared))).ToList();
            var header = rows[0];
            result[sheet.Name!.Value!] = rows.Skip(1)
                .Select(r => header.ToDictionary(h => h.Value, h => r.GetValueOrDefault(h.Key, ""), StringComparer.Ordinal))
                .ToList();
        }

        return (result, formulas);
    }

    private static string Value(Cell cell, List<string> shared)
    {
        if (cell.DataType?.Value == CellValues.SharedString)
        {
            return shared[int.Parse(cell.CellValue!.Text, System.Globalization.CultureInfo.InvariantCulture)];
        }

        return cell.DataType?.Value == CellValues.InlineString ? cell.InlineString!.InnerText : cell.CellValue?.Text ?? "";
    }

    private static int Column(string reference)
    {
        var column = 0;
        foreach (var c in reference.TakeWhile(char.IsAsciiLetterUpper))
        {
            column = (column * 26) + (c - 'A' + 1);
        }

        return column;
    }

    /// <summary>The document, checked against the Open XML schema: its Heading 1 texts, its tables (rows of cell texts), all its text, and its link targets.</summary>
    public static (IReadOnlyList<string> Headings, IReadOnlyList<List<List<string>>> Tables, string Text, IReadOnlyList<string> Links) ReadDocx(byte[] bytes)
    {
        using var document = WordprocessingDocument.Open(new MemoryStream(bytes), false);
        var errors = new DocumentFormat.OpenXml.Validation.OpenXmlValidator().Validate(document).Select(e => $"{e.Description} at {e.Path?.XPath}").ToList();
        Assert.True(errors.Count == 0, "valid Word: " + string.Join("\n", errors));
        var main = document.MainDocumentPart!;
        var body = main.Document.Body!;
        var headings = body.Elements<Word.Paragraph>()
            .Where(p => p.ParagraphProperties?.ParagraphStyleId?.Val?.Value == "Heading1")
            .Select(p => p.InnerText).ToList();
        var tables = body.Elements<Word.Table>()
            .Select(t => t.Elements<Word.TableRow>().Select(r => r.Elements<Word.TableCell>().Select(c => c.InnerText).ToList()).ToList()).ToList();
        var text = string.Join("\n", body.Descendants<Word.Paragraph>().Select(p => p.InnerText));
        var links = main.HyperlinkRelationships.Select(r => r.Uri.ToString()).ToList();
        Assert.Equal(links.Count, body.Descendants<Word.Hyperlink>().Count());
        return (headings, tables, text, links);
    }
}
