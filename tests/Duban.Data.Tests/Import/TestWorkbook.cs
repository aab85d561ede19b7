using System.IO.Compression;
using System.Security;
using System.Text;

namespace Duban.Tests.Import;

/// <summary>
/// Writes an xlsx zip by hand, for the cases a spreadsheet library will not make on purpose: merged cells, formulas
/// with cached values, date-styled serials next to dates typed as text, gaps between rows, extra sheets.
/// A cell is written as given: <c>"=F|cached"</c> is a formula with its cached value, a <see cref="double"/> a number,
/// a <see cref="DateSerial"/> a serial styled as a date, anything else inline text.
/// </summary>
public sealed class TestWorkbook
{
    private readonly List<(string Name, SortedDictionary<int, object?[]> Rows, List<string> Merges)> _sheets = [];

    /// <summary>An Excel serial number in a cell styled as a date (numFmt 22, <c>m/d/yy h:mm</c>).</summary>
    public sealed record DateSerial(double Value);

    public TestWorkbook Sheet(string name)
    {
        _sheets.Add((name, new SortedDictionary<int, object?[]>(), []));
        return this;
    }

    public TestWorkbook Row(int number, params object?[] cells)
    {
        _sheets[^1].Rows[number] = cells;
        return this;
    }

    public TestWorkbook Merge(string range)
    {
        _sheets[^1].Merges.Add(range);
        return this;
    }

    public byte[] Build()
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            var sheets = Enumerable.Range(1, _sheets.Count).ToList();
            Add(zip, "[Content_Types].xml", $"""
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
                <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
                <Default Extension="xml" ContentType="application/xml"/>
                <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
                <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
                {string.Concat(sheets.Select(i => $"<Override PartName=\"/xl/worksheets/sheet{i}.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"))}
                </Types>
                """);
            Add(zip, "_rels/.rels", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
                <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
                </Relationships>
                """);
            Add(zip, "xl/workbook.xml", $"""
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
                <sheets>{string.Concat(sheets.Select(i => $"<sheet name=\"{SecurityElement.Escape(_sheets[i - 1].Name)}\" sheetId=\"{i}\" r:id=\"rId{i}\"/>"))}</sheets>
                </workbook>
                """);
            Add(zip, "xl/_rels/workbook.xml.rels", $"""
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
                {string.Concat(sheets.Select(i => $"<Relationship Id=\"rId{i}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet{i}.xml\"/>"))}
                <Relationship Id="rId{_sheets.Count + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
                </Relationships>
                """);
            Add(zip, "xl/styles.xml", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
                <fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>
                <fills count="1"><fill><patternFill patternType="none"/></fill></fills>
                <borders count="1"><border/></borders>
                <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
                <cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="22" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>
                </styleSheet>
                """);
            foreach (var i in sheets)
            {
                Add(zip, $"xl/worksheets/sheet{i}.xml", SheetXml(_sheets[i - 1].Rows, _sheets[i - 1].Merges));
            }
        }

        return buffer.ToArray();
    }

    private static string SheetXml(SortedDictionary<int, object?[]> rows, List<string> merges)
    {
        var xml = new StringBuilder("""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>""");
        foreach (var (number, cells) in rows)
        {
            xml.Append(System.Globalization.CultureInfo.InvariantCulture, $"<row r=\"{number}\">");
            for (var c = 0; c < cells.Length; c++)
            {
                var r = Duban.Tabular.CellValues.Reference(c, number);
                xml.Append(cells[c] switch
                {
                    null => $"<c r=\"{r}\"/>", // as Excel writes a styled blank, e.g. the hidden part of a merge
                    double d => FormattableString.Invariant($"<c r=\"{r}\"><v>{d}</v></c>"),
                    DateSerial s => FormattableString.Invariant($"<c r=\"{r}\" s=\"1\"><v>{s.Value}</v></c>"),
                    string f when f.StartsWith('=') => $"<c r=\"{r}\" t=\"str\"><f>{SecurityElement.Escape(f[1..f.IndexOf('|', StringComparison.Ordinal)])}</f><v>{SecurityElement.Escape(f[(f.IndexOf('|', StringComparison.Ordinal) + 1)..])}</v></c>",
                    var text => $"<c r=\"{r}\" t=\"inlineStr\"><is><t xml:space=\"preserve\">{SecurityElement.Escape(text.ToString())}</t></is></c>",
                });
            }

            xml.Append("</row>");
        }

        xml.Append("</sheetData>");
        if (merges.Count > 0)
        {
            xml.Append(System.Globalization.CultureInfo.InvariantCulture, $"<mergeCells count=\"{merges.Count}\">");
            foreach (var m in merges)
            {
                xml.Append(System.Globalization.CultureInfo.InvariantCulture, $"<mergeCell ref=\"{m}\"/>");
            }

            xml.Append("</mergeCells>");
        }

        return xml.Append("</worksheet>").ToString();
    }

    private static void Add(ZipArchive zip, string name, string content)
    {
        using var stream = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
        var bytes = Encoding.UTF8.GetBytes(content);
        stream.Write(bytes);
    }
}
