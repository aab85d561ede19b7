using System.IO.Compression;
using System.Security;
using System.Text;

namespace Duban.Tests.Import;

/// <summary>
/// Writes an xlsx zip by hand, for the cases a spreadsheet library will not make on purpose: merged cells, formulas
/// with cached values, date-styled serials next to dates typed as text, gaps between rows, extra sheets.
/// A cell is written as given: <c>"=F|cached"</c> is a formula with its cached value, a <see cref="double"/> a number,
/// a <see cref="bool"/> a boolean, a <see cref="DateSerial"/> a serial styled as a date, anything else text: inline, or
/// with <see cref="SharedStrings"/> in the shared-string table as Excel writes it (text with a space at an end split
/// into rich-text runs with a phonetic guide, which is not part of the text).
/// </summary>
public sealed class TestWorkbook
{
    private readonly List<(string Name, SortedDictionary<int, object?[]> Rows, List<string> Merges)> _sheets = [];
    private readonly List<string> _shared = [];

    /// <summary>Text goes to xl/sharedStrings.xml, as Excel and WPS write it.</summary>
    public bool SharedStrings { get; init; }

    /// <summary>The sheets' elements carry a namespace prefix (<c>x:row</c>), as MiniExcel writes them.</summary>
    public bool Prefixed { get; init; }

    /// <summary>Cells carry no reference (<c>r</c>), each following the one before, as the format allows.</summary>
    public bool WithoutReferences { get; init; }

    /// <summary>Serials count days from 1904-01-01 (<c>&lt;workbookPr date1904="1"/&gt;</c>), as old Mac Excel wrote them.</summary>
    public bool Date1904 { get; init; }

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
                {(SharedStrings ? "<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/>" : string.Empty)}
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
                {(Date1904 ? "<workbookPr date1904=\"1\"/>" : string.Empty)}
                <sheets>{string.Concat(sheets.Select(i => $"<sheet name=\"{SecurityElement.Escape(_sheets[i - 1].Name)}\" sheetId=\"{i}\" r:id=\"rId{i}\"/>"))}</sheets>
                </workbook>
                """);
            Add(zip, "xl/_rels/workbook.xml.rels", $"""
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
                {string.Concat(sheets.Select(i => $"<Relationship Id=\"rId{i}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet{i}.xml\"/>"))}
                <Relationship Id="rId{_sheets.Count + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
                {(SharedStrings ? $"<Relationship Id=\"rId{_sheets.Count + 2}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>" : string.Empty)}
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
            _shared.Clear();
            foreach (var i in sheets)
            {
                Add(zip, $"xl/worksheets/sheet{i}.xml", SheetXml(_sheets[i - 1].Rows, _sheets[i - 1].Merges));
            }

            if (SharedStrings)
            {
                Add(zip, "xl/sharedStrings.xml", SharedStringsXml());
            }
        }

        return buffer.ToArray();
    }

    private string SheetXml(SortedDictionary<int, object?[]> rows, List<string> merges)
    {
        var x = Prefixed ? "x:" : string.Empty;
        var xml = new StringBuilder(Prefixed
            ? """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"""
            : """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">""");
        xml.Append(System.Globalization.CultureInfo.InvariantCulture, $"<{x}sheetData>");
        foreach (var (number, cells) in rows)
        {
            xml.Append(System.Globalization.CultureInfo.InvariantCulture, $"<{x}row r=\"{number}\">");
            for (var c = 0; c < cells.Length; c++)
            {
                var r = WithoutReferences ? string.Empty : $" r=\"{Duban.Tabular.CellValues.Reference(c, number)}\"";
                xml.Append(cells[c] switch
                {
                    null => $"<{x}c{r}/>", // as Excel writes a styled blank, e.g. the hidden part of a merge
                    double d => FormattableString.Invariant($"<{x}c{r}><{x}v>{d}</{x}v></{x}c>"),
                    bool b => $"<{x}c{r} t=\"b\"><{x}v>{(b ? 1 : 0)}</{x}v></{x}c>",
                    DateSerial s => FormattableString.Invariant($"<{x}c{r} s=\"1\"><{x}v>{s.Value}</{x}v></{x}c>"),
                    string f when f.StartsWith('=') => $"<{x}c{r} t=\"str\"><{x}f>{SecurityElement.Escape(f[1..f.IndexOf('|', StringComparison.Ordinal)])}</{x}f><{x}v>{SecurityElement.Escape(f[(f.IndexOf('|', StringComparison.Ordinal) + 1)..])}</{x}v></{x}c>",
                    var text when SharedStrings => $"<{x}c{r} t=\"s\"><{x}v>{Share(text.ToString()!)}</{x}v></{x}c>",
                    var text => $"<{x}c{r} t=\"inlineStr\"><{x}is><{x}t xml:space=\"preserve\">{SecurityElement.Escape(text.ToString())}</{x}t></{x}is></{x}c>",
                });
            }

            xml.Append(System.Globalization.CultureInfo.InvariantCulture, $"</{x}row>");
        }

        xml.Append(System.Globalization.CultureInfo.InvariantCulture, $"</{x}sheetData>");
        if (merges.Count > 0)
        {
            xml.Append(System.Globalization.CultureInfo.InvariantCulture, $"<{x}mergeCells count=\"{merges.Count}\">");
            foreach (var m in merges)
            {
                xml.Append(System.Globalization.CultureInfo.InvariantCulture, $"<{x}mergeCell ref=\"{m}\"/>");
            }

            xml.Append(System.Globalization.CultureInfo.InvariantCulture, $"</{x}mergeCells>");
        }

        return xml.Append(System.Globalization.CultureInfo.InvariantCulture, $"<{x}pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/></{x}worksheet>").ToString();
    }

    private int Share(string text)
    {
        _shared.Add(text);
        return _shared.Count - 1;
    }

    /// <summary>The shared-string table: text with a space at either end as two rich-text runs split in the middle,
    /// with a phonetic guide after them, as Excel writes Chinese or Japanese text with 拼音 set.</summary>
    private string SharedStringsXml()
    {
        var xml = new StringBuilder(FormattableString.Invariant(
            $"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{_shared.Count}" uniqueCount="{_shared.Count}">"""));
        foreach (var text in _shared)
        {
            if (text.Length > 1 && (text[0] == ' ' || text[^1] == ' '))
            {
                var half = text.Length / 2;
                xml.Append(System.Globalization.CultureInfo.InvariantCulture,
                    $"""<si><r><rPr><b/></rPr><t xml:space="preserve">{SecurityElement.Escape(text[..half])}</t></r><r><t xml:space="preserve">{SecurityElement.Escape(text[half..])}</t></r><rPh sb="0" eb="1"><t>pinyin</t></rPh></si>""");
            }
            else
            {
                xml.Append(System.Globalization.CultureInfo.InvariantCulture, $"""<si><t xml:space="preserve">{SecurityElement.Escape(text)}</t></si>""");
            }
        }

        return xml.Append("</sst>").ToString();
    }

    private static void Add(ZipArchive zip, string name, string content)
    {
        using var stream = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
        var bytes = Encoding.UTF8.GetBytes(content);
        stream.Write(bytes);
    }
}
