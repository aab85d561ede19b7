using System.IO.Compression;
using System.Text;
using Duban.Data;
using Duban.Matters;
using Duban.Tabular;
using Duban.Text;

namespace Duban.Tests.Import;

public sealed class SpreadsheetTests
{
    private static Spreadsheet Open(byte[] bytes, string name, string? sheet = null, SpreadsheetLimits? limits = null) =>
        Spreadsheet.Open(new MemoryStream(bytes), name, sheet, limits);

    private static string Rejection(Action open) => Assert.Single(Assert.Throws<ValidationFailedException>(open).Errors["file"]);

    [Fact]
    public void Xlsx_FillsMergedCells_ReadsCachedFormulaValues_KeepsRowNumbers_AndListsIgnoredSheets()
    {
        var bytes = new TestWorkbook()
            .Sheet("诉求")
            .Row(1, "标题", "分类", "收到时间", "合计")
            .Row(2, "路灯不亮", "城乡建设", new TestWorkbook.DateSerial(45352.375), "=1+1|2")
            .Row(3, "噪音扰民", null, "2024年3月1日", "=A3&\"!\"|噪音扰民!")
            .Row(5, "积水", "交通运输", "2024/3/1 9:00", null)
            .Merge("B2:B3")
            .Sheet("说明").Row(1, "填表说明")
            .Build();

        var sheet = Open(bytes, "诉求.xlsx");

        Assert.Equal("诉求", sheet.Sheet);
        Assert.Equal(["说明"], sheet.IgnoredSheets);
        Assert.Equal(["标题", "分类", "收到时间", "合计"], sheet.Header);
        var rows = sheet.Rows.ToList();
        Assert.Equal([2, 3, 5], rows.Select(r => r.Number));
        Assert.Equal("城乡建设", rows[1][1]); // B3 lies in the merge B2:B3
        Assert.Equal("2", CellValues.Text(rows[0][3]));
        Assert.Equal("噪音扰民!", rows[1][3]);
        Assert.True(CellValues.TryParseInstant(rows[0][2], out var serial));
        Assert.Equal(new DateTimeOffset(2024, 3, 1, 9, 0, 0, TimeSpan.FromHours(8)), serial);
        Assert.True(CellValues.TryParseInstant(rows[1][2], out var chinese));
        Assert.Equal(new DateTimeOffset(2024, 3, 1, 0, 0, 0, TimeSpan.FromHours(8)), chinese);
        Assert.True(CellValues.TryParseInstant(rows[2][2], out var slashed));
        Assert.Equal(serial, slashed);
    }

    [Fact]
    public void Xlsx_WithMoreSharedTextThanTheLimit_IsRefusedWhole_AskingForItToBeSplit()
    {
        var bytes = new TestWorkbook { SharedStrings = true }.Sheet("诉求").Row(1, "标题", "内容").Row(2, "路灯不亮", "人民路路灯不亮已有多日").Build();

        Assert.Equal(2, Open(bytes, "a.xlsx", limits: new SpreadsheetLimits { MaxSharedCharacters = 19 }).Rows.Single().Cells.Count);
        var refusal = Rejection(() => Open(bytes, "a.xlsx", limits: new SpreadsheetLimits { MaxSharedCharacters = 18 }));
        Assert.Equal("工作簿的文字超过 18 字，请拆分文件后分批导入。", refusal);
    }

    [Fact]
    public void Xlsx_ReadsANamedSheet_AndRefusesAnUnknownOne()
    {
        var bytes = new TestWorkbook().Sheet("一").Row(1, "甲").Row(2, "1").Sheet("二").Row(1, "乙").Row(2, "2").Build();

        var second = Open(bytes, "x.xlsx", "二");
        Assert.Equal(["乙"], second.Header);
        Assert.Equal(["一"], second.IgnoredSheets);
        var error = Assert.Throws<ValidationFailedException>(() => Open(bytes, "x.xlsx", "三"));
        Assert.Contains("一、二", error.Errors["sheet"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_InGbk_IsDetected_AndReadAsChinese()
    {
        var gbk = TextDecoding.Gb18030.GetBytes("标题,内容\r\n路灯不亮,\"人民路，夜间\"\"全黑\"\"\"\r\n");

        var sheet = Open(gbk, "gbk.csv");

        Assert.Equal("GB18030", sheet.Encoding);
        Assert.Equal(["标题", "内容"], sheet.Header);
        var row = Assert.Single(sheet.Rows);
        Assert.Equal(2, row.Number);
        Assert.Equal("人民路，夜间\"全黑\"", row[1]);
    }

    [Fact]
    public void Csv_InUtf8_WithOrWithoutBom_IsRead()
    {
        var text = "标题\n积水\n";
        Assert.Equal("积水", Open(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(text)).ToArray(), "a.csv").Rows.Single()[0]);
        Assert.Equal("积水", Open(Encoding.UTF8.GetBytes(text), "a.csv").Rows.Single()[0]);
    }

    [Fact]
    public void Csv_ThatNoEncodingDecodes_IsRefused()
    {
        byte[] garbage = [(byte)'a', (byte)',', 0xFF, 0xFF, 0xFF, (byte)'\n'];
        Assert.Contains("UTF-8", Rejection(() => Open(garbage, "bad.csv")), StringComparison.Ordinal);
    }

    [Fact]
    public void NotAZip_NamedXlsx_IsRefused()
    {
        Assert.Contains("不是有效的 xlsx", Rejection(() => Open(Encoding.UTF8.GetBytes("标题,内容\n"), "fake.xlsx")), StringComparison.Ordinal);
    }

    [Fact]
    public void ZipBomb_DisguisedAsXlsx_IsRefusedNamingTheRatio()
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = zip.CreateEntry("xl/worksheets/sheet1.xml", CompressionLevel.SmallestSize).Open();
            var zeros = new byte[1 << 20];
            for (var i = 0; i < 64; i++)
            {
                entry.Write(zeros);
            }
        }

        var message = Rejection(() => Open(buffer.ToArray(), "report.xlsx"));
        Assert.Contains("压缩比", message, StringComparison.Ordinal);
        Assert.Contains("200:1", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Zip_WithTooManyEntries_OrTooLargeInAll_IsRefusedNamingTheLimit()
    {
        var bytes = new TestWorkbook().Sheet("一").Row(1, "甲").Build();
        Assert.Contains("文件数", Rejection(() => Open(bytes, "x.xlsx", limits: new SpreadsheetLimits { MaxZipEntries = 3 })), StringComparison.Ordinal);
        Assert.Contains("总大小", Rejection(() => Open(bytes, "x.xlsx", limits: new SpreadsheetLimits { MaxUncompressedBytes = 100 })), StringComparison.Ordinal);
    }

    [Fact]
    public void RowsBeyondTheLimit_StopTheReading()
    {
        var csv = Encoding.UTF8.GetBytes("标题\n一\n二\n三\n");
        var sheet = Open(csv, "x.csv", limits: new SpreadsheetLimits { MaxRows = 2 });
        Assert.Contains("上限 2 行", Rejection(() => sheet.Rows.ToList()), StringComparison.Ordinal);
    }
}
