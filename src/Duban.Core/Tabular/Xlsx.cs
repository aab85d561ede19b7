using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;

namespace Duban.Tabular;

/// <summary>A row of a worksheet as read: its number (1-based, as Excel shows it) and its cells by column, each a
/// string, double, bool or <see cref="DateTime"/>, or null when blank.</summary>
public sealed record XlsxRow(int Number, IReadOnlyList<object?> Cells);

/// <summary>
/// Reads the worksheets of an xlsx for import, streaming: one forward pass of the sheet's XML per reading, a row at a
/// time, shared strings held once. What a spreadsheet saved by Excel, WPS or a library holds comes out as a person
/// sees it: shared and inline text (rich-text runs joined, phonetic guides left out), a formula's cached value,
/// numbers styled as dates or times as <see cref="DateTime"/> (the 1904 date system too), other numbers as
/// <see cref="double"/>, booleans, error values as their text (<c>#N/A</c>), and each merged range's value in every
/// blank cell of it. Rows and cells without a reference follow the one before, as the format allows. The XML may not carry a
/// DTD. The caller bounds the zip first (<see cref="Attachments.ZipBombs"/>): this reads what it is given, and throws
/// <see cref="XmlException"/> or <see cref="InvalidDataException"/> on a damaged part, <see cref="TooLargeException"/>
/// when its shared strings hold more text than it was opened to hold.
/// </summary>
public sealed partial class Xlsx : IDisposable
{
    private const string Relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    /// <summary>Excel's last column, XFD.</summary>
    private const int MaxColumn = 16_383;

    /// <summary>By default, the most text the shared strings may hold, in characters (~200 MB in memory): they are held
    /// while the rows are read, and 200,000 rows of long appeals come to about a third of it.</summary>
    public const int DefaultMaxSharedCharacters = 100_000_000;

    /// <summary>Built-in number formats that show a date or a time (ECMA-376 18.8.30, with the East Asian ones).</summary>
    private static readonly HashSet<int> DateFormatIds = [.. Enumerable.Range(14, 9), .. Enumerable.Range(27, 10), 45, 46, 47, .. Enumerable.Range(50, 9)];

    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
    };

    private readonly ZipArchive _zip;
    private readonly List<(string Name, string? Part)> _sheets = [];

    /// <summary>The workbook's relationships (xl/_rels/workbook.xml.rels): id, type and the part it names.</summary>
    private readonly List<(string Id, string Type, string Part)> _relations = [];
    private readonly bool _date1904;
    private readonly long _maxSharedCharacters;
    private readonly Dictionary<string, List<CellRange>> _merges = new(StringComparer.Ordinal);
    private string[]? _sharedStrings;
    private bool[]? _dateStyles;

    private Xlsx(Stream stream, long maxSharedCharacters)
    {
        _maxSharedCharacters = maxSharedCharacters;
        _zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        using (var rels = Open("xl/_rels/workbook.xml.rels"))
        {
            while (rels is not null && rels.Read())
            {
                if (rels.NodeType == XmlNodeType.Element && rels.LocalName == "Relationship"
                    && rels.GetAttribute("Id") is { } id && rels.GetAttribute("Target") is { } target)
                {
                    _relations.Add((id, rels.GetAttribute("Type") ?? string.Empty, target.StartsWith('/') ? target[1..] : "xl/" + target));
                }
            }
        }

        using var workbook = Open("xl/workbook.xml") ?? throw new InvalidDataException("xl/workbook.xml is missing");
        while (workbook.Read())
        {
            if (workbook.NodeType != XmlNodeType.Element)
            {
                continue;
            }

            if (workbook.LocalName == "workbookPr")
            {
                _date1904 = workbook.GetAttribute("date1904") is "1" or "true";
            }
            else if (workbook.LocalName == "sheet" && workbook.GetAttribute("name") is { } name)
            {
                var relation = workbook.GetAttribute("id", Relationships);
                _sheets.Add((name, _relations.FirstOrDefault(r => r.Id == relation).Part));
            }
        }
    }

    /// <summary>Opens the workbook in a seekable stream, which stays open and must outlive this; its shared strings
    /// may hold at most <paramref name="maxSharedCharacters"/> characters.</summary>
    public static Xlsx Open(Stream stream, long maxSharedCharacters = DefaultMaxSharedCharacters)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return new Xlsx(stream, maxSharedCharacters);
    }

    /// <summary>The sheets' names, in the workbook's order.</summary>
    public IReadOnlyList<string> SheetNames => [.. _sheets.Select(s => s.Name)];

    /// <summary>The rows a sheet's <c>&lt;dimension ref="A1:C9"/&gt;</c> claims (Excel, WPS and most libraries write
    /// it before the data), or null without one.</summary>
    public long? DeclaredRows(string sheet)
    {
        using var xml = Open(PartOf(sheet));
        while (xml is not null && xml.Read())
        {
            if (xml.NodeType != XmlNodeType.Element)
            {
                continue;
            }

            if (xml.LocalName == "sheetData")
            {
                return null; // the dimension comes before the data, or not at all
            }

            if (xml.LocalName == "dimension" && xml.GetAttribute("ref") is { } reference)
            {
                var last = reference[(reference.IndexOf(':', StringComparison.Ordinal) + 1)..];
                var digits = new string([.. last.Where(char.IsAsciiDigit)]);
                return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var rows) ? rows : null;
            }
        }

        return null;
    }

    /// <summary>The rows the sheet writes, in order (a merged range fills the rows it spans that the sheet writes), read
    /// as enumerated; the sheet's merged ranges are found once, by a first pass, and kept for the next reading.</summary>
    public IEnumerable<XlsxRow> Rows(string sheet)
    {
        var part = PartOf(sheet) ?? throw new InvalidDataException($"the sheet {sheet} has no part");
        if (!_merges.TryGetValue(part, out var ranges))
        {
            _merges[part] = ranges = MergedRanges(part);
        }

        var merges = new Merges(ranges);
        var strings = SharedStrings();
        var dates = DateStyles();
        using var xml = Open(part) ?? throw new InvalidDataException($"{part} is missing");
        var names = new Names(xml.NameTable);
        var number = 0;
        while (xml.Read())
        {
            if (xml.NodeType != XmlNodeType.Element || !ReferenceEquals(xml.LocalName, names.Row))
            {
                continue;
            }

            var next = xml.GetAttribute("r") is { } r ? int.Parse(r, NumberStyles.None, CultureInfo.InvariantCulture) : number + 1;
            if (next <= number)
            {
                throw new InvalidDataException($"row {next} comes after row {number}");
            }

            number = next;
            var cells = new List<object?>();
            if (!xml.IsEmptyElement)
            {
                ReadCells(xml, names, number, cells, strings, dates);
            }

            yield return new XlsxRow(number, merges.Fill(number, cells));
        }
    }

    /// <summary>Closes the zip; the stream stays open.</summary>
    public void Dispose() => _zip.Dispose();

    /// <summary>Reads the cells of the row the reader is on (not empty) into <paramref name="cells"/>, leaving it on the row's end.</summary>
    private void ReadCells(XmlReader xml, Names names, int row, List<object?> cells, string[] strings, bool[] dates)
    {
        var depth = xml.Depth;
        var column = -1;
        xml.Read();
        while (xml.Depth > depth)
        {
            if (xml.NodeType != XmlNodeType.Element || !ReferenceEquals(xml.LocalName, names.Cell))
            {
                xml.Read();
                continue;
            }

            column = xml.GetAttribute("r") is { } reference ? ColumnOf(reference, row) : column + 1;
            if (column > MaxColumn)
            {
                throw new InvalidDataException($"a cell of row {row} lies past column XFD");
            }

            var type = xml.GetAttribute("t");
            var style = xml.GetAttribute("s") is { } s && int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : 0;
            var value = CellValue(xml, names, type, style, strings, dates);
            if (value is null)
            {
                continue;
            }

            while (cells.Count <= column)
            {
                cells.Add(null);
            }

            cells[column] = value;
        }
    }

    /// <summary>The value of the cell the reader is on, leaving it just past the cell.</summary>
    private object? CellValue(XmlReader xml, Names names, string? type, int style, string[] strings, bool[] dates)
    {
        string? raw = null;
        string? inline = null;
        if (xml.IsEmptyElement)
        {
            xml.Read();
            return null;
        }

        var depth = xml.Depth;
        xml.Read();
        while (xml.Depth > depth)
        {
            if (xml.NodeType != XmlNodeType.Element)
            {
                xml.Read();
            }
            else if (ReferenceEquals(xml.LocalName, names.Value))
            {
                raw = xml.ReadElementContentAsString();
            }
            else if (ReferenceEquals(xml.LocalName, names.InlineString))
            {
                inline = RichText(xml, names);
            }
            else
            {
                xml.Skip(); // a formula, or anything else a cell may carry
            }
        }

        xml.Read(); // past the cell's end
        switch (type)
        {
            case "inlineStr":
                return inline ?? raw;
            case "s":
                return raw is not null && int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                    ? (index < strings.Length ? strings[index] : throw new InvalidDataException($"shared string {index} does not exist"))
                    : null;
            case "str" or "e":
                return raw;
            case "b":
                return raw is null ? null : raw is "1" or "true";
            case "d":
                // ISO 8601; one with an offset stays text, which the importer reads with its offset.
                return raw is null ? null
                    : DateTime.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var instant) && instant.Kind == DateTimeKind.Unspecified
                        ? instant : raw;
        }

        if (string.IsNullOrEmpty(raw))
        {
            return null;
        }

        if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return raw;
        }

        if (style < dates.Length && dates[style])
        {
            var serial = _date1904 ? number + 1462 : number;
            if (serial is > -657435.0 and < 2958466.0)
            {
                return DateTime.FromOADate(serial);
            }
        }

        return number;
    }

    /// <summary>The text of the string item the reader is on (<c>&lt;si&gt;</c> or <c>&lt;is&gt;</c>): its own
    /// <c>&lt;t&gt;</c> and its runs' joined, phonetic guides (<c>&lt;rPh&gt;</c>) left out; leaves the reader just past it.</summary>
    private static string RichText(XmlReader xml, Names names)
    {
        if (xml.IsEmptyElement)
        {
            xml.Read();
            return string.Empty;
        }

        var depth = xml.Depth;
        string? single = null;
        StringBuilder? joined = null;
        xml.Read();
        while (xml.Depth > depth)
        {
            if (xml.NodeType != XmlNodeType.Element)
            {
                xml.Read();
            }
            else if (ReferenceEquals(xml.LocalName, names.Phonetic))
            {
                xml.Skip();
            }
            else if (ReferenceEquals(xml.LocalName, names.Text))
            {
                var text = xml.ReadElementContentAsString();
                if (single is null && joined is null)
                {
                    single = text;
                }
                else
                {
                    (joined ??= new StringBuilder(single)).Append(text);
                }
            }
            else
            {
                xml.Read(); // a run: its text is inside
            }
        }

        xml.Read(); // past the item's end
        return joined?.ToString() ?? single ?? string.Empty;
    }

    private string[] SharedStrings()
    {
        if (_sharedStrings is not null)
        {
            return _sharedStrings;
        }

        var strings = new List<string>();
        long characters = 0;
        using (var xml = Open(PartOfType("sharedStrings", "xl/sharedStrings.xml")))
        {
            var names = xml is null ? null : new Names(xml.NameTable);
            var more = xml is not null && xml.Read();
            while (more)
            {
                if (xml!.NodeType == XmlNodeType.Element && ReferenceEquals(xml.LocalName, names!.StringItem))
                {
                    var text = RichText(xml, names);
                    characters += text.Length;
                    if (characters > _maxSharedCharacters)
                    {
                        throw new TooLargeException(_maxSharedCharacters >= 10_000
                            ? FormattableString.Invariant($"工作簿的文字超过 {_maxSharedCharacters / 10_000} 万字，请拆分文件后分批导入。")
                            : FormattableString.Invariant($"工作簿的文字超过 {_maxSharedCharacters} 字，请拆分文件后分批导入。"));
                    }

                    strings.Add(text);
                    more = !xml.EOF;
                }
                else
                {
                    more = xml.Read();
                }
            }
        }

        return _sharedStrings = [.. strings];
    }

    /// <summary>For each cell format (the <c>s</c> of a cell), whether its number format shows a date or a time.</summary>
    private bool[] DateStyles()
    {
        if (_dateStyles is not null)
        {
            return _dateStyles;
        }

        var custom = new Dictionary<int, bool>();
        var styles = new List<bool>();
        using (var xml = Open(PartOfType("styles", "xl/styles.xml")))
        {
            var inCellFormats = false;
            while (xml is not null && xml.Read())
            {
                if (xml.NodeType == XmlNodeType.EndElement && xml.LocalName == "cellXfs")
                {
                    inCellFormats = false;
                }

                if (xml.NodeType != XmlNodeType.Element)
                {
                    continue;
                }

                switch (xml.LocalName)
                {
                    case "numFmt" when int.TryParse(xml.GetAttribute("numFmtId"), NumberStyles.None, CultureInfo.InvariantCulture, out var id):
                        custom[id] = IsDateFormat(xml.GetAttribute("formatCode") ?? string.Empty);
                        break;
                    case "cellXfs":
                        inCellFormats = !xml.IsEmptyElement;
                        break;
                    case "xf" when inCellFormats:
                        var format = int.TryParse(xml.GetAttribute("numFmtId"), NumberStyles.None, CultureInfo.InvariantCulture, out var f) ? f : 0;
                        styles.Add(custom.TryGetValue(format, out var isDate) ? isDate : DateFormatIds.Contains(format));
                        break;
                }
            }
        }

        return _dateStyles = [.. styles];
    }

    /// <summary>Whether a number format code shows a date or a time: a y, m, d, h or s outside quoted text, escapes and
    /// [colour]/[$-locale] sections (an elapsed [h] counts). <c>General</c> and <c>0.00</c> do not.</summary>
    public static bool IsDateFormat(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        var section = code.Split(';')[0];
        for (var i = 0; i < section.Length; i++)
        {
            switch (section[i])
            {
                case '"':
                    i = section.IndexOf('"', i + 1) is var end and >= 0 ? end : section.Length;
                    break;
                case '\\' or '_' or '*':
                    i++;
                    break;
                case '[':
                    var close = section.IndexOf(']', i + 1);
                    var inside = close < 0 ? string.Empty : section[(i + 1)..close].ToLowerInvariant();
                    if (inside.Length > 0 && inside.All(c => c is 'h' or 'm' or 's'))
                    {
                        return true;
                    }

                    i = close < 0 ? section.Length : close;
                    break;
                case 'y' or 'Y' or 'm' or 'M' or 'd' or 'D' or 'h' or 'H' or 's' or 'S':
                    return true;
                case 'e' or 'E' when i + 1 < section.Length && section[i + 1] is '+' or '-':
                    return false; // scientific
            }
        }

        return false;
    }

    /// <summary>The merged ranges of a sheet part: its <c>&lt;mergeCells&gt;</c> follow <c>&lt;sheetData&gt;</c>
    /// (the schema's order), so the part is scanned for the data's end tag (its bytes cannot occur in text, where
    /// <c>&lt;</c> is escaped) and only what follows it is parsed.</summary>
    private List<CellRange> MergedRanges(string part)
    {
        var ranges = new List<CellRange>();
        var entry = _zip.GetEntry(part);
        if (entry is null)
        {
            return ranges;
        }

        using var content = entry.Open();
        var tail = TailAfterSheetData(content);
        foreach (Match match in MergeCell().Matches(tail))
        {
            if (CellRange.TryParse(match.Groups[1].Value, out var range))
            {
                ranges.Add(range);
            }
        }

        return ranges;
    }

    /// <summary>What follows the data's end tag (<c>&lt;/sheetData&gt;</c>, with any prefix), as text: a sheet's
    /// merges, filters and print settings, bounded; empty when there is none.</summary>
    private static string TailAfterSheetData(Stream content)
    {
        const int MaxTail = 16 << 20, Carry = 64; // the carry holds an end tag split between two reads
        var buffer = new byte[1 << 16];
        var tail = new MemoryStream();
        var carry = 0;
        var found = false;
        int read;
        while ((read = content.Read(buffer, carry, buffer.Length - carry)) > 0)
        {
            var span = buffer.AsSpan(0, carry + read);
            if (found)
            {
                tail.Write(span[carry..]);
            }
            else if (EndOfSheetData(span) is var end and >= 0)
            {
                found = true;
                tail.Write(span[end..]);
            }

            if (tail.Length > MaxTail)
            {
                throw new InvalidDataException("the sheet's merged cells and settings are too large");
            }

            carry = Math.Min(Carry, span.Length);
            span[^carry..].CopyTo(buffer);
        }

        return Encoding.UTF8.GetString(tail.GetBuffer(), 0, (int)tail.Length);
    }

    /// <summary>Where the bytes after <c>&lt;/sheetData&gt;</c> or <c>&lt;/x:sheetData&gt;</c> start, or -1.</summary>
    private static int EndOfSheetData(ReadOnlySpan<byte> span)
    {
        var marker = "sheetData>"u8;
        for (var at = span.LastIndexOf(marker); at >= 0; at = span[..at].LastIndexOf(marker))
        {
            var k = at - 1;
            if (k >= 0 && span[k] == ':')
            {
                k--;
                while (k >= 0 && (char.IsAsciiLetterOrDigit((char)span[k]) || span[k] is (byte)'_' or (byte)'-' or (byte)'.'))
                {
                    k--;
                }
            }

            if (k >= 1 && span[k] == '/' && span[k - 1] == '<')
            {
                return at + marker.Length;
            }
        }

        return -1;
    }

    [GeneratedRegex("""<(?:[A-Za-z_][\w.-]*:)?mergeCell\b[^>]*?\bref\s*=\s*["']([A-Za-z]{1,3}[0-9]{1,7}(?::[A-Za-z]{1,3}[0-9]{1,7})?)["']""")]
    private static partial Regex MergeCell();

    private string? PartOf(string sheet) =>
        _sheets.FirstOrDefault(s => string.Equals(s.Name, sheet, StringComparison.Ordinal)).Part;

    /// <summary>A workbook part by its relationship type's last word (sharedStrings, styles), or its usual name.</summary>
    private string PartOfType(string kind, string usual) =>
        _relations.FirstOrDefault(r => r.Type.EndsWith("/" + kind, StringComparison.Ordinal)).Part ?? usual;

    private XmlReader? Open(string? part) =>
        part is not null && _zip.GetEntry(part) is { } entry ? XmlReader.Create(entry.Open(), Settings) : null;

    /// <summary>The 0-based column of a reference such as <c>AB12</c>, checked against its row.</summary>
    private static int ColumnOf(string reference, int row)
    {
        var letters = 0;
        while (letters < reference.Length && char.IsAsciiLetterUpper(reference[letters]))
        {
            letters++;
        }

        var column = CellValues.ColumnIndex(reference[..letters]);
        if (column < 0 || !int.TryParse(reference.AsSpan(letters), NumberStyles.None, CultureInfo.InvariantCulture, out var at) || at != row)
        {
            throw new InvalidDataException($"the cell reference {reference} does not lie in row {row}");
        }

        return column;
    }

    /// <summary>A workbook past what the reader holds in memory; its message says so to the person importing.</summary>
    public sealed class TooLargeException(string message) : Exception(message);

    /// <summary>The element names the reading compares, atomised once so a comparison is a reference's.</summary>
    private sealed class Names(XmlNameTable table)
    {
        public string Row { get; } = table.Add("row");
        public string Cell { get; } = table.Add("c");
        public string Value { get; } = table.Add("v");
        public string InlineString { get; } = table.Add("is");
        public string StringItem { get; } = table.Add("si");
        public string Text { get; } = table.Add("t");
        public string Phonetic { get; } = table.Add("rPh");
    }

    /// <summary>A rectangle of cells, 0-based columns and 1-based rows, inclusive.</summary>
    private readonly record struct CellRange(int FirstColumn, int FirstRow, int LastColumn, int LastRow)
    {
        public static bool TryParse(string text, out CellRange range)
        {
            range = default;
            var parts = text.Split(':');
            if (!TryCell(parts[0], out var c1, out var r1) || !TryCell(parts[^1], out var c2, out var r2))
            {
                return false;
            }

            range = new CellRange(Math.Min(c1, c2), Math.Min(r1, r2), Math.Max(c1, c2), Math.Max(r1, r2));
            return true;
        }

        private static bool TryCell(string reference, out int column, out int row)
        {
            var letters = reference.TakeWhile(char.IsAsciiLetter).Count();
            column = CellValues.ColumnIndex(reference[..letters].ToUpperInvariant());
            return int.TryParse(reference.AsSpan(letters), NumberStyles.None, CultureInfo.InvariantCulture, out row) && column is >= 0 and <= MaxColumn && row > 0;
        }
    }

    /// <summary>Merged ranges as rows stream past: a range takes its top-left cell's value when its first row is read
    /// and gives it to every blank cell of the range in the rows that follow.</summary>
    private sealed class Merges(List<CellRange> ranges)
    {
        private readonly Queue<CellRange> _waiting = new(ranges.Where(r => r.LastRow > r.FirstRow || r.LastColumn > r.FirstColumn).OrderBy(r => r.FirstRow));
        private readonly List<(CellRange Range, object? Value)> _open = [];

        public List<object?> Fill(int row, List<object?> cells)
        {
            _open.RemoveAll(o => o.Range.LastRow < row);
            while (_waiting.TryPeek(out var next) && next.FirstRow <= row)
            {
                _waiting.Dequeue();
                if (next.LastRow >= row)
                {
                    _open.Add((next, next.FirstRow == row && next.FirstColumn < cells.Count ? cells[next.FirstColumn] : null));
                }
            }

            foreach (var (range, value) in _open)
            {
                if (value is null)
                {
                    continue;
                }

                for (var column = range.FirstColumn; column <= range.LastColumn; column++)
                {
                    while (cells.Count <= column)
                    {
                        cells.Add(null);
                    }

                    cells[column] ??= value;
                }
            }

            return cells;
        }
    }
}
