using MiniExcelLibs;

namespace Duban.Tests;

/// <summary><c>duban import matters</c>: 预检 prints each row and saves nothing, a wrong row makes exit 1 and saves
/// nothing, the import assigns every row once.</summary>
public sealed class CliMatterImportTests
{
    private static Task<(int Exit, string Out, string Err)> RunAsync(params string[] args) => CliTests.RunAsync(args);

    [Fact]
    public async Task ImportMatters_DryRunThenImport_ThenTheSameFileAssignsNothingNew()
    {
        var folder = Directory.CreateTempSubdirectory("duban-cli-matters-").FullName;
        var db = Path.Combine(folder, "duban.db");
        var units = Path.Combine(folder, "units.csv");
        var good = Path.Combine(folder, "good.xlsx");
        var bad = Path.Combine(folder, "bad.xlsx");
        await File.WriteAllTextAsync(units, "code,name,parent_code,level\nC,测试市,,city\nC-ZJ,测试市住建局,C,department\n");
        const string due = "2024/5/31"; // the CLI tests' clock is 2024-03-06
        Dictionary<string, object?> Row(string title, string lead) => new()
        {
            ["标题"] = title, ["内容（具体要求）"] = title + "：按月报送进展", ["目标任务"] = "按期完成", ["工作标准"] = "群众认可", ["牵头单位"] = lead,
            ["办结期限"] = due,
        };
        await MiniExcel.SaveAsAsync(good, new[] { Row("社区食堂建设", "测试市住建局"), Row("农村道路养护", "C-ZJ") });
        await MiniExcel.SaveAsAsync(bad, new[] { Row("社区食堂建设", "测试市住建局"), Row("老旧管网改造", "测试乡") });
        Assert.Equal(0, (await RunAsync("units", "import", units, "--db", db)).Exit);

        var wrong = await RunAsync("import", "matters", bad, "--db", db);
        var dry = await RunAsync("import", "matters", good, "--dry-run", "--db", db);
        var first = await RunAsync("import", "matters", good, "--db", db);
        var second = await RunAsync("import", "matters", good, "--db", db);

        Assert.Equal(1, wrong.Exit);
        Assert.Contains("第 3 行 老旧管网改造 | 测试乡 |", wrong.Out, StringComparison.Ordinal);
        Assert.Contains("找不到单位“测试乡”。", wrong.Out, StringComparison.Ordinal);
        Assert.Contains("共 2 行，1 行有误", wrong.Out, StringComparison.Ordinal);
        Assert.Equal(0, dry.Exit);
        Assert.Contains("预检通过：共 2 行，可导入 2 项，尚未保存。", dry.Out, StringComparison.Ordinal);
        Assert.Equal(0, first.Exit);
        Assert.Contains("已交办 2 项。", first.Out, StringComparison.Ordinal);
        Assert.Contains("第 2 行 社区食堂建设 | 测试市住建局 | 2024-05-31 | 已交办 DB-2024-", first.Out, StringComparison.Ordinal);
        Assert.Contains("已交办 0 项，2 项此前已交办（未重复交办）。", second.Out, StringComparison.Ordinal);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }
}
