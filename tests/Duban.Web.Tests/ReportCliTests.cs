using Duban.Cli;
using DocumentFormat.OpenXml.Packaging;
using Microsoft.Extensions.Time.Testing;
using MiniExcelLibs;

namespace Duban.Tests;

/// <summary><c>duban report …</c> on a database where the review scenario was played.</summary>
public sealed class ReportCliTests
{
    private static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CliApp.RunAsync(args, output, error, new FakeTimeProvider(ReviewScenario.End));
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Report_PrintsTheTable_WritesThePacks_RebuildsAndFolds()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        var clock = new FakeTimeProvider(ReviewScenario.At("2024-02-01T09:00:00+08:00"));
        ReviewScenario scenario;
        await using (var services = await database.ServicesAsync(clock))
        {
            scenario = await ReviewScenario.RunAsync(services, await TestOrganisation.CreateAsync(services), clock.SetUtcNow);
        }

        var db = database.ConnectionString;
        var folder = Directory.CreateTempSubdirectory("duban-report-");
        try
        {
            var (exit, output, error) = await RunAsync("report", "monthly", "--month", "2024-03", "--group", "乡镇（街道）", "--db", db);
            Assert.True(exit == 0, error);
            var lines = output.Split('\n', StringSplitOptions.TrimEntries);
            Assert.StartsWith("2024年3月讲评（2024-03-01 至 2024-03-31，计算日期 2024-04-02）", lines[0], StringComparison.Ordinal);
            Assert.Contains("【乡镇（街道）】", lines);
            Assert.StartsWith("排名\t位次变化\t单位\t得分\t交办数\t按时签收率", lines.Single(l => l.StartsWith("排名", StringComparison.Ordinal)), StringComparison.Ordinal);
            Assert.Contains(lines, l => l.StartsWith("1\t↑3\t测试镇\t100.00\t2\t100%", StringComparison.Ordinal));
            Assert.DoesNotContain(lines, l => l.Contains("测试市住建局", StringComparison.Ordinal)); // only the group asked for
            Assert.Contains("红榜：测试镇、东风镇、南湖镇", lines); // the default list size, 3
            Assert.Contains("黑榜：北山镇", lines);

            var (xlsx, docx, ledger) = (Path.Combine(folder.FullName, "讲评.xlsx"), Path.Combine(folder.FullName, "通报.docx"), Path.Combine(folder.FullName, "台账.xlsx"));
            (exit, _, error) = await RunAsync("report", "monthly", "--month", "2024-03", "--xlsx", xlsx, "--docx", docx,
                "--cases", scenario.March["K-T"][0], "--number", "4", "--db", db);
            Assert.True(exit == 0, error);
            Assert.Contains("乡镇（街道）", MiniExcel.GetSheetNames(xlsx));
            using (var document = WordprocessingDocument.Open(docx, false))
            {
                Assert.StartsWith("督查通报〔2024〕4号", document.MainDocumentPart!.Document!.Body!.InnerText, StringComparison.Ordinal);
            }

            (exit, output, error) = await RunAsync("report", "matters", "--xlsx", ledger, "--from", "2024-03-01", "--to", "2024-03-31", "--db", db);
            Assert.True(exit == 0, error);
            Assert.StartsWith("已导出事项 9 件", output, StringComparison.Ordinal);
            Assert.Equal(9, MiniExcel.Query(ledger, useHeaderRow: true).Count());

            (exit, output, error) = await RunAsync("report", "rebuild", "--db", db);
            Assert.True(exit == 0, error);
            Assert.Contains($"共 {scenario.Codes.Count} 件事项", output, StringComparison.Ordinal);
            Assert.Contains($"已重算 {scenario.Codes.Count} 件事项", error, StringComparison.Ordinal);
            (exit, output, _) = await RunAsync("report", "fold", "--db", db);
            Assert.Equal(0, exit);
            Assert.StartsWith("已汇总计数 0 条", output, StringComparison.Ordinal); // the rebuild folded everything

            // The same table after the rebuild: the counters kept as the work went equal the history replayed.
            var (_, again, _) = await RunAsync("report", "monthly", "--month", "2024-03", "--group", "乡镇（街道）", "--db", db);
            Assert.Equal(string.Join('\n', lines.Skip(1)), string.Join('\n', again.Split('\n', StringSplitOptions.TrimEntries).Skip(1)));

            (exit, _, error) = await RunAsync("report", "weekly", "--week", "2024-W99", "--db", db);
            Assert.Equal(1, exit);
            Assert.Contains("周次「2024-W99」无法识别", error, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
