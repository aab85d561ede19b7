using System.Globalization;
using Duban.Tabular;
using MiniExcelLibs;
using MiniExcelLibs.OpenXml;

namespace Duban.Tests.Import;

/// <summary>
/// The import's own xlsx reader (<see cref="Xlsx"/>) against MiniExcel, which read imports before it and still writes
/// Duban's spreadsheets: random workbooks written the ways Excel, WPS and MiniExcel write them (shared or inline text,
/// rich-text runs with phonetic guides, prefixed elements, cells without references, gaps between rows, merged
/// ranges, formulas, numbers, booleans, date-styled serials) must read cell for cell the same in both.
/// </summary>
public sealed class XlsxTests
{
    private static readonly string[] Texts =
    [
        "路灯不亮", "噪音扰民 ", " 夜间施工", "A&B <c> \"d\" 'e'", "13812345678", "2024年3月1日", "x", "城乡建设",
        "多行\n文本", "a=b 不是公式", "  ", "#N/A",
    ];

    [Fact]
    public void RandomWorkbooks_ReadAsMiniExcelReadsThem()
    {
        var differences = new List<string>();
        for (var seed = 0; seed < 300; seed++)
        {
            var random = new Random(seed);
            var (workbook, merges, serials) = RandomWorkbook(random);
            var bytes = workbook.Build();
            var theirs = MiniExcelRows(bytes, fillMerges: false);
            var ours = OurRows(bytes);
            var last = Math.Max(theirs.Count, ours.Keys.DefaultIfEmpty(0).Max());
            object? Theirs(int column, int row) => row <= theirs.Count && column < theirs[row - 1].Count ? theirs[row - 1][column] : null;
            for (var row = 1; row <= last; row++)
            {
                var actual = ours.TryGetValue(row, out var cells) ? cells : [];
                var width = Math.Max(row <= theirs.Count ? theirs[row - 1].Count : 0, actual.Count);
                for (var column = 0; column < width; column++)
                {
                    // A merged range shows its first cell's value in each of its cells (MiniExcel's own filling leaves
                    // some blank: the cells a row does not write, a false): the oracle is MiniExcel's first cell.
                    var merge = merges.FirstOrDefault(m => m.Left <= column && column <= m.Right && m.Top <= row && row <= m.Bottom);
                    var source = merge != default && ours.ContainsKey(row) ? (merge.Left, merge.Top) : (column, row);
                    var e = Theirs(source.Item1, source.Item2);
                    var a = column < actual.Count ? actual[column] : null;
                    if (!Same(e, a, serials.Contains(source)))
                    {
                        differences.Add(FormattableString.Invariant($"seed {seed}, {CellValues.Reference(column, row)}: MiniExcel {Describe(e)}, ours {Describe(a)}"));
                    }
                }
            }
        }
        Assert.True(differences.Count == 0, string.Join("\n", differences.Take(30)));
    }

    [Theory]
    [InlineData("yyyy/m/d", true)]
    [InlineData("yyyy\"年\"m\"月\"d\"日\"", true)]
    [InlineData("[$-F800]dddd\\,\\ mmmm\\ dd\\,\\ yyyy", true)]
    [InlineData("h:mm AM/PM", true)]
    [InlineData("[h]:mm:ss", true)]
    [InlineData("[Red]yyyy-mm-dd;@", true)]
    [InlineData("General", false)]
    [InlineData("0.00", false)]
    [InlineData("#,##0;[Red]-#,##0", false)]
    [InlineData("0.00E+00", false)]
    [InlineData("\"day\" 0", false)]
    [InlineData("[Red]0.00", false)]
    [InlineData("@", false)]
    public void NumberFormats_ThatShowADateOrTime_AreTold(string code, bool isDate) => Assert.Equal(isDate, Xlsx.IsDateFormat(code));

    [Fact]
    public void AMergedRange_FillsTheRowsTheSheetWrites_AndARowOutOfOrderIsRefused()
    {
        var bytes = new TestWorkbook().Sheet("诉求").Row(1, "标题", "分类").Row(2, "路灯", "城建").Row(3, "噪音").Row(5, "积水", null)
            .Merge("B2:B4").Build();
        using var workbook = Xlsx.Open(new MemoryStream(bytes));
        var rows = workbook.Rows("诉求").ToList();
        Assert.Equal([1, 2, 3, 5], rows.Select(r => r.Number));
        Assert.Equal(["噪音", "城建"], rows[2].Cells);
        Assert.Equal(["积水"], rows[3].Cells);

        using var damaged = Xlsx.Open(new MemoryStream(Rewrite(new TestWorkbook().Sheet("a").Row(3, "x").Row(4, "y").Build(), "r=\"4\"", "r=\"2\"")));
        Assert.Throws<InvalidDataException>(() => damaged.Rows("a").ToList());
    }

    [Fact]
    public void DatesOfThe1904System_AreTheDatesExcelShows()
    {
        var bytes = new TestWorkbook { Date1904 = true }.Sheet("a").Row(1, new TestWorkbook.DateSerial(0), new TestWorkbook.DateSerial(43890.5), 43890.5).Build();
        using var workbook = Xlsx.Open(new MemoryStream(bytes));
        Assert.Equal([new DateTime(1904, 1, 1), new DateTime(2024, 3, 1, 12, 0, 0), 43890.5], Assert.Single(workbook.Rows("a")).Cells);
    }

    /// <summary>The sheet's XML with one piece of text replaced (the zip written again).</summary>
    private static byte[] Rewrite(byte[] xlsx, string from, string to)
    {
        using var output = new MemoryStream();
        using (var source = new System.IO.Compression.ZipArchive(new MemoryStream(xlsx)))
        using (var target = new System.IO.Compression.ZipArchive(output, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in source.Entries)
            {
                using var reader = new StreamReader(entry.Open());
                var text = reader.ReadToEnd();
                using var writer = new StreamWriter(target.CreateEntry(entry.FullName).Open());
                writer.Write(entry.FullName.Contains("worksheets", StringComparison.Ordinal) ? text.Replace(from, to, StringComparison.Ordinal) : text);
            }
        }

        return output.ToArray();
    }

    private static (TestWorkbook Workbook, List<(int Left, int Top, int Right, int Bottom)> Merges, HashSet<(int Column, int Row)> Serials) RandomWorkbook(Random random)
    {
        var workbook = new TestWorkbook
        {
            SharedStrings = random.Next(2) == 0,
            Prefixed = random.Next(3) == 0,
            WithoutReferences = random.Next(4) == 0,
        }.Sheet("诉求");
        var width = random.Next(1, 7);
        var grid = new Dictionary<int, object?[]>();
        var number = 0;
        for (var i = random.Next(1, 12); i > 0; i--)
        {
            number += random.Next(1, 4);
            grid[number] = [.. Enumerable.Range(0, random.Next(1, width + 1)).Select(_ => RandomCell(random))];
        }

        // Merged ranges that do not overlap; the cells they cover other than the first are blank, as Excel leaves them.
        // (Not with cells without references: MiniExcel's filling throws on those.)
        var taken = new HashSet<(int Column, int Row)>();
        var merges = new List<(int Left, int Top, int Right, int Bottom)>();
        for (var m = workbook.WithoutReferences ? 0 : random.Next(0, 3); m > 0 && number > 0; m--)
        {
            var top = random.Next(1, number + 1);
            var left = random.Next(0, width);
            var bottom = top + random.Next(0, 3);
            var right = left + random.Next(0, 2);
            var cells = (from r in Enumerable.Range(top, bottom - top + 1) from c in Enumerable.Range(left, right - left + 1) select (c, r)).ToList();
            if (cells.Count == 1 || cells.Any(taken.Contains) || !grid.ContainsKey(top))
            {
                continue;
            }

            taken.UnionWith(cells);
            foreach (var (c, r) in cells.Skip(1))
            {
                if (grid.TryGetValue(r, out var row) && c < row.Length)
                {
                    row[c] = null;
                }
            }

            workbook.Merge($"{CellValues.Reference(left, top)}:{CellValues.Reference(right, bottom)}");
            merges.Add((left, top, right, bottom));
        }

        foreach (var (row, cells) in grid)
        {
            workbook.Row(row, cells);
        }

        var serials = grid.SelectMany(r => r.Value.Select((cell, c) => (cell, c, r.Key)))
            .Where(x => x.cell is TestWorkbook.DateSerial).Select(x => (x.c, x.Key)).ToHashSet();
        return (workbook, merges, serials);
    }

    private static object? RandomCell(Random random) => random.Next(9) switch
    {
        0 => null,
        1 => Math.Round((random.NextDouble() - 0.3) * Math.Pow(10, random.Next(0, 12)), random.Next(0, 4)),
        2 => random.Next(2) == 0,
        3 => new TestWorkbook.DateSerial(Math.Round(random.Next(1, 60000) + random.NextDouble(), 6)),
        4 => $"=A1&\"{random.Next(100)}\"|{Texts[random.Next(Texts.Length)]}",
        _ => Texts[random.Next(Texts.Length)],
    };

    private static List<List<object?>> MiniExcelRows(byte[] bytes, bool fillMerges)
    {
        using var stream = new MemoryStream(bytes);
        var rows = new List<List<object?>>();
        foreach (IDictionary<string, object?> row in stream.Query(useHeaderRow: false, excelType: ExcelType.XLSX,
            configuration: new OpenXmlConfiguration { FillMergedCells = fillMerges }))
        {
            var cells = new List<object?>();
            foreach (var (column, value) in row)
            {
                var index = CellValues.ColumnIndex(column);
                while (cells.Count <= index)
                {
                    cells.Add(null);
                }

                cells[index] = value;
            }

            rows.Add(cells);
        }

        return rows;
    }

    private static Dictionary<int, IReadOnlyList<object?>> OurRows(byte[] bytes)
    {
        using var workbook = Xlsx.Open(new MemoryStream(bytes));
        return workbook.Rows(workbook.SheetNames[0]).ToDictionary(r => r.Number, r => r.Cells);
    }

    /// <summary>The same to an importer: the same text, and a date the same date. A number styled as a date (which
    /// MiniExcel reads as a number or a date) is the date Excel shows, which the importer reads as the same instant.</summary>
    private static bool Same(object? expected, object? actual, bool dateStyled) => (expected, actual) switch
    {
        (DateTime e, DateTime a) => Math.Abs((e - a).TotalMilliseconds) < 1,
        (double e, DateTime a) when dateStyled => Math.Abs((DateTime.FromOADate(e) - a).TotalMilliseconds) < 1,
        (_, DateTime) => false,
        _ => CellValues.Text(expected) == CellValues.Text(actual),
    };

    private static string Describe(object? value) =>
        value is null ? "blank" : FormattableString.Invariant($"{value.GetType().Name} «{Convert.ToString(value, CultureInfo.InvariantCulture)}»");
}
