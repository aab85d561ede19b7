using System.IO.Compression;
using System.Text;
using Duban.Matters;
using Duban.Tabular;
using Duban.Text;

namespace Duban.Data;

/// <summary>One row of a sheet: its number in the sheet (1-based, as Excel shows it) and its cells by column.
/// A cell is a string, double, bool or DateTime (xlsx), always a string (CSV), or null when blank.</summary>
public sealed record SheetRow(int Number, IReadOnlyList<object?> Cells)
{
    /// <summary>The cell in a column, or null past the row's end.</summary>
    public object? this[int column] => column < Cells.Count ? Cells[column] : null;

    /// <summary>Whether every cell is blank.</summary>
    public bool IsBlank => Cells.All(c => CellValues.Text(c) is null);
}

/// <summary>Bounds on what an uploaded file may cost to read.</summary>
public sealed record SpreadsheetLimits
{
    /// <summary>Entries in the xlsx zip (a workbook has a dozen or so).</summary>
    public int MaxZipEntries { get; init; } = 1000;

    /// <summary>The sum of the entries' uncompressed sizes.</summary>
    public long MaxUncompressedBytes { get; init; } = 1L << 30;

    /// <summary>Uncompressed ÷ compressed size of any entry over 1 MiB: sheet XML compresses 5–30×, a bomb 1000×.</summary>
    public int MaxCompressionRatio { get; init; } = 200;

    /// <summary>Data rows (below the header).</summary>
    public int MaxRows { get; init; } = 200_000;

    /// <summary>Columns of a row: a sheet of 20,000 columns took 8 s to map before this bound.</summary>
    public int MaxColumns { get; init; } = 1000;

    /// <summary>The text of an xlsx's shared strings, in characters: held in memory while the rows are read.</summary>
    public long MaxSharedCharacters { get; init; } = Xlsx.DefaultMaxSharedCharacters;

    public static SpreadsheetLimits Default { get; } = new();
}

/// <summary>
/// A spreadsheet opened for import: xlsx through <see cref="Xlsx"/> (merged cells filled, formulas read as their cached values,
/// dates as <see cref="DateTime"/>), or CSV in UTF-8 or GBK/GB18030. The header is the first non-blank row; data rows
/// are read lazily each time <see cref="Rows"/> is enumerated, so 100,000 rows never sit in memory together.
/// A file that cannot be read is refused whole (<see cref="ValidationFailedException"/> on the field <c>file</c>),
/// never read in part.
/// </summary>
public sealed class Spreadsheet
{
    private readonly Func<IEnumerable<SheetRow>> _all;

    private Spreadsheet(string format, string? sheet, IReadOnlyList<string> ignoredSheets, string? encoding,
        Func<IEnumerable<SheetRow>> all, SpreadsheetLimits limits)
    {
        _all = all;
        Format = format;
        Sheet = sheet;
        IgnoredSheets = ignoredSheets;
        Encoding = encoding;
        Limits = limits;
        using var rows = all().GetEnumerator();
        while (rows.MoveNext())
        {
            if (!rows.Current.IsBlank)
            {
                CheckWidth(rows.Current, limits);
                HeaderRow = rows.Current.Number;
                Header = rows.Current.Cells.Select(c => CellValues.Text(c) ?? string.Empty).ToList();
                return;
            }
        }

        throw ValidationFailedException.For("file", "文件是空的：没有表头行。");
    }

    /// <summary><c>xlsx</c> or <c>csv</c>.</summary>
    public string Format { get; }

    /// <summary>The sheet read (xlsx).</summary>
    public string? Sheet { get; }

    /// <summary>The other sheets of the workbook, which were not read.</summary>
    public IReadOnlyList<string> IgnoredSheets { get; }

    /// <summary>The text encoding found (CSV).</summary>
    public string? Encoding { get; }

    public SpreadsheetLimits Limits { get; }

    /// <summary>The number of the header row.</summary>
    public int HeaderRow { get; }

    /// <summary>The header's cells as text, one per column.</summary>
    public IReadOnlyList<string> Header { get; }

    /// <summary>The data rows below the header, blank rows skipped. More than <see cref="SpreadsheetLimits.MaxRows"/>
    /// stops the reading with a <see cref="ValidationFailedException"/>.</summary>
    public IEnumerable<SheetRow> Rows
    {
        get
        {
            var count = 0;
            foreach (var row in _all())
            {
                if (row.Number <= HeaderRow || row.IsBlank)
                {
                    continue;
                }

                CheckWidth(row, Limits);
                if (++count > Limits.MaxRows)
                {
                    throw ValidationFailedException.For("file", FormattableString.Invariant($"数据行超过上限 {Limits.MaxRows} 行，请拆分文件。"));
                }

                yield return row;
            }
        }
    }

    /// <summary>
    /// Opens a seekable stream as xlsx or CSV, by content (a zip is xlsx) and by name. <paramref name="sheet"/> picks a
    /// sheet by name; otherwise the first is read and the others are listed in <see cref="IgnoredSheets"/>.
    /// The stream must stay open while rows are read.
    /// </summary>
    public static Spreadsheet Open(Stream stream, string fileName, string? sheet = null, SpreadsheetLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(fileName);
        if (!stream.CanSeek)
        {
            throw new ArgumentException("The stream must be seekable.", nameof(stream));
        }

        limits ??= SpreadsheetLimits.Default;
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        var isZip = StartsWithZipSignature(stream);
        if (extension is ".xlsx" or ".xlsm" || isZip)
        {
            if (!isZip)
            {
                throw ValidationFailedException.For("file", "这不是有效的 xlsx 文件（xlsx 是 zip 格式，本文件不是）。旧版 .xls 请另存为 .xlsx 或 CSV。");
            }

            return OpenXlsx(stream, sheet, limits);
        }

        if (extension is ".xls")
        {
            throw ValidationFailedException.For("file", "不支持旧版 .xls 文件，请另存为 .xlsx 或 CSV。");
        }

        return OpenCsv(stream, limits);
    }

    private static Spreadsheet OpenCsv(Stream stream, SpreadsheetLimits limits)
    {
        Encoding encoding;
        try
        {
            encoding = TextDecoding.Detect(stream);
        }
        catch (FormatException ex)
        {
            throw ValidationFailedException.For("file", ex.Message);
        }

        IEnumerable<SheetRow> All()
        {
            stream.Position = 0;
            using var reader = new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: false, bufferSize: 64 * 1024, leaveOpen: true);
            using var records = Csv.Read(reader).GetEnumerator();
            while (NextRecord(records))
            {
                yield return new SheetRow(records.Current.Line, records.Current.Fields.Select(f => (object?)f).ToArray());
            }
        }

        var name = encoding.CodePage == TextDecoding.Gb18030.CodePage ? "GB18030" : encoding.WebName.ToUpperInvariant();
        return new Spreadsheet("csv", null, [], name, All, limits);
    }

    private static void CheckWidth(SheetRow row, SpreadsheetLimits limits)
    {
        if (row.Cells.Count > limits.MaxColumns && row.Cells.Skip(limits.MaxColumns).Any(c => CellValues.Text(c) is not null))
        {
            throw ValidationFailedException.For("file", FormattableString.Invariant($"第 {row.Number} 行超过 {limits.MaxColumns} 列，请检查文件。"));
        }
    }

    /// <summary>The next CSV record. UTF-16 is found by its mark and decoded strictly as it is read, so a broken
    /// surrogate pair surfaces here (found by fuzzing: it escaped as a DecoderFallbackException, a 500).</summary>
    private static bool NextRecord(IEnumerator<CsvRecord> records)
    {
        try
        {
            return records.MoveNext();
        }
        catch (DecoderFallbackException ex)
        {
            throw ValidationFailedException.For("file", $"CSV 文件的编码有误，无法读取：{Shorten(ex.Message)}。请另存为 UTF-8 CSV。");
        }
    }

    private static Spreadsheet OpenXlsx(Stream stream, string? sheet, SpreadsheetLimits limits)
    {
        CheckZip(stream, limits);
        // One workbook for the names, the header's reading and each reading of the rows: it keeps the shared strings
        // and the merged ranges.
        var workbook = Unreadable(() => Xlsx.Open(stream, limits.MaxSharedCharacters));
        var sheets = workbook.SheetNames;
        if (sheets.Count == 0)
        {
            throw ValidationFailedException.For("file", "工作簿里没有工作表。");
        }

        var chosen = sheet?.Trim() is { Length: > 0 } wanted
            ? sheets.FirstOrDefault(s => string.Equals(s, wanted, StringComparison.Ordinal))
              ?? throw ValidationFailedException.For("sheet", $"没有名为「{wanted}」的工作表；工作表有：{string.Join("、", sheets)}。")
            : sheets[0];

        // A sheet whose <dimension ref="A1:C1048576"/> (written by Excel, WPS and MiniExcel) claims more rows than the
        // limit is refused before a row is read, in milliseconds; one without it, or lying, stops at the limit as read.
        // The header and a few blank rows above it are not data: the limit counts data rows.
        if (Unreadable(() => workbook.DeclaredRows(chosen)) is { } declared && declared > limits.MaxRows + 100L)
        {
            throw ValidationFailedException.For("file", FormattableString.Invariant($"工作表有 {declared} 行，超过上限 {limits.MaxRows} 行，请拆分文件。"));
        }

        IEnumerable<SheetRow> All()
        {
            using var rows = Unreadable(() => workbook.Rows(chosen).GetEnumerator());
            while (Unreadable(rows.MoveNext))
            {
                yield return new SheetRow(rows.Current.Number, rows.Current.Cells);
            }
        }

        return new Spreadsheet("xlsx", chosen, sheets.Where(s => s != chosen).ToList(), null, All, limits);
    }

    /// <summary>
    /// Before the workbook is read: the zip's directory (entries, sizes, ratios), then every entry inflated once from
    /// its own data and counted (<see cref="Attachments.ZipBombs"/>), so a directory that lies about sizes is caught too.
    /// Nothing is kept in memory.
    /// </summary>
    private static void CheckZip(Stream stream, SpreadsheetLimits limits)
    {
        string? reason;
        try
        {
            stream.Position = 0;
            using (new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true))
            {
            }

            reason = Attachments.ZipBombs.Reason(stream, limits.MaxUncompressedBytes, limits.MaxCompressionRatio, limits.MaxZipEntries);
        }
        catch (Exception ex) when (IsUnreadable(ex))
        {
            throw ValidationFailedException.For("file", $"xlsx 文件已损坏：{Shorten(ex.Message)}");
        }
        finally
        {
            stream.Position = 0;
        }

        if (reason is not null)
        {
            throw reason == Attachments.ZipBombs.Damaged ? ValidationFailedException.For("file", $"xlsx 文件已损坏：{reason}。") : Bomb(reason);
        }
    }

    /// <summary>Runs a step of the workbook's reading: whatever it throws on a damaged file (broken or non-XML sheet, a DTD,
    /// entity expansion, a bad zip, missing parts) becomes the refusal of the whole file.</summary>
    private static T Unreadable<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Xlsx.TooLargeException ex)
        {
            throw ValidationFailedException.For("file", ex.Message);
        }
        catch (Exception ex) when (IsUnreadable(ex))
        {
            throw CannotRead(ex);
        }
    }

    /// <summary>What a damaged file makes a reader throw: everything but our own refusal, a cancellation and running out of memory.</summary>
    private static bool IsUnreadable(Exception ex) => ex is not (DomainException or OperationCanceledException or OutOfMemoryException);

    private static ValidationFailedException CannotRead(Exception ex) =>
        ValidationFailedException.For("file", $"无法读取 xlsx 文件（文件已损坏或不是 Excel 保存的表格）：{Shorten(ex.Message)}");

    private static string Shorten(string message) => message.Length > 200 ? message[..200] + "…" : message;

    private static ValidationFailedException Bomb(string limit) =>
        ValidationFailedException.For("file", $"文件被拒绝：{limit}（疑似压缩炸弹）。");

    private static bool StartsWithZipSignature(Stream stream)
    {
        Span<byte> head = stackalloc byte[4];
        stream.Position = 0;
        var read = stream.ReadAtLeast(head, 4, throwOnEndOfStream: false);
        stream.Position = 0;
        return read == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
    }
}
