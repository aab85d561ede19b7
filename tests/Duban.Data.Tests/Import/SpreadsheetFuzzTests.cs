using System.Text;
using Duban.Data;
using Duban.Matters;
using Duban.Tests.Fuzz;
using MiniExcelLibs;
using Xunit.Abstractions;

namespace Duban.Tests.Import;

/// <summary>
/// Fuzzing of the spreadsheet reader every importer uses (<see cref="Spreadsheet"/>: <see cref="Tabular.Xlsx"/> for xlsx, the CSV
/// reader with encoding detection): real files mutated byte by byte, opened and read to the end. Property: the only
/// exception is the importer's refusal of the file (<see cref="ValidationFailedException"/>), and every row read is
/// below the header. About 15 s of the default 60 (<see cref="Fuzzer"/>).
/// </summary>
public sealed class SpreadsheetFuzzTests(ITestOutputHelper output)
{
    private static byte[] Xlsx()
    {
        using var buffer = new MemoryStream();
        buffer.SaveAs(new[]
        {
            new Dictionary<string, object?> { ["标题"] = "噪音扰民", ["内容"] = "夜间施工", ["收到时间"] = new DateTime(2024, 3, 1, 9, 0, 0), ["点赞"] = 3 },
            new Dictionary<string, object?> { ["标题"] = "油烟", ["内容"] = "餐馆油烟", ["收到时间"] = "2024/3/2", ["点赞"] = 0.5 },
        });
        return buffer.ToArray();
    }

    private static readonly byte[][] Seeds =
    [
        Xlsx(),
        new TestWorkbook { SharedStrings = true, Prefixed = true }.Sheet("诉求").Row(1, "标题", "分类", "收到时间").Row(2, " 路灯", "城乡建设", new TestWorkbook.DateSerial(45352.375))
            .Row(4, "噪音 ", null, true).Merge("B2:B4").Build(),
        Encoding.UTF8.GetBytes("标题,内容,区域\r\n\"噪音, 扰民\",\"夜间\"\"施工\"\"\n噪音\",K-T\r\n"),
        [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("标题,内容\r\n甲,乙\r\n")],
        CodePagesEncodingProvider.Instance.GetEncoding(936)!.GetBytes("标题,内容\r\n甲,乙\r\n"),
    ];

    [Fact]
    public void MutatedFiles_AreReadOrRefusedWhole_NeverAnotherException()
    {
        var seeds = Fuzzer.Bytes(Seeds);
        Fuzzer.Run("spreadsheet", 0.25, random => (Bytes: seeds(random), Name: random.Next(3) == 0 ? "a.csv" : "a.xlsx"), input =>
        {
            using var stream = new MemoryStream(input.Bytes);
            try
            {
                var sheet = Spreadsheet.Open(stream, input.Name);
                foreach (var row in sheet.Rows)
                {
                    Assert.True(row.Number > sheet.HeaderRow);
                }
            }
            catch (ValidationFailedException)
            {
                // the documented refusal of the whole file
            }
        }, i => i.Bytes, output.WriteLine);
    }

    /// <summary>Regression (found by the fuzzer, seed 75973585): a UTF-16 CSV (found by its mark) with a broken
    /// surrogate escaped the reader as a DecoderFallbackException, a 500 on import; it is the refusal of the file.</summary>
    [Fact]
    public void Utf16CsvWithABrokenSurrogate_IsRefusedWhole()
    {
        using var stream = new MemoryStream(Convert.FromBase64String("//4HaJiYLACFUblbDQAKADJ1LABZTlsNAAoAMnUsAFlO4wAKAOMACgA="));
        var error = Assert.Throws<ValidationFailedException>(() => Spreadsheet.Open(stream, "a.csv").Rows.ToList());
        Assert.Contains("编码", error.Errors["file"][0], StringComparison.Ordinal);
    }
}
