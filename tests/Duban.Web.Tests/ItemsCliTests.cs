namespace Duban.Tests;

/// <summary><c>duban items import</c> as a person runs it: row-level errors on stdout, nothing stored when a row is
/// refused, a dry run that stores nothing, then the import (clock: 2024-03-06).</summary>
public sealed class ItemsCliTests
{
    private static Task<(int Exit, string Out, string Err)> RunAsync(params string[] args) => CliTests.RunAsync(args);

    [Fact]
    public async Task ItemsImport_ReportsRowErrors_DryRunStoresNothing_ThenImports()
    {
        var folder = Directory.CreateTempSubdirectory("duban-cli-items-").FullName;
        var db = Path.Combine(folder, "duban.db");
        var units = Path.Combine(folder, "units.csv");
        var bad = Path.Combine(folder, "bad.csv");
        var good = Path.Combine(folder, "good.csv");
        await File.WriteAllTextAsync(units, "code,name,parent_code,level\nC,测试市,,city\nC-ZJ,测试市住建局,C,department\n");
        const string Head = "序号,工作任务,牵头单位,责任领导,责任人,时间节点,报送周期\n";
        await File.WriteAllTextAsync(bad, Head + "1,城北污水处理厂扩建,测试市住建局,王副市长,李局长,立项 2024-03-31；开工 2024-06-30,每月25日\n2,老旧小区改造,测试市房管局,,,开工 2024-06-30,\n");
        await File.WriteAllTextAsync(good, Head + "1,城北污水处理厂扩建,测试市住建局,王副市长,李局长,立项 2024-03-31；开工 2024-06-30,每月25日\n");
        Assert.Equal(0, (await RunAsync("units", "import", units, "--db", db)).Exit);

        var refused = await RunAsync("items", "import", bad, "--register", "project", "--db", db);
        Assert.Equal(1, refused.Exit);
        Assert.Contains("第 3 行「牵头单位」：单位「测试市房管局」不存在", refused.Out, StringComparison.Ordinal);
        Assert.Contains("未导入任何事项", refused.Out, StringComparison.Ordinal);

        var dry = await RunAsync("items", "import", good, "--dry-run", "--db", db);
        Assert.Equal(0, dry.Exit);
        Assert.Contains("试导入：共 1 行，可导入 1 行", dry.Out, StringComparison.Ordinal);

        var unknown = await RunAsync("items", "import", good, "--register", "budget", "--db", db);
        Assert.Equal(1, unknown.Exit);
        Assert.Contains("未知台账", unknown.Err, StringComparison.Ordinal);

        var first = await RunAsync("items", "import", good, "--register", "project", "--db", db);
        Assert.Equal(0, first.Exit);
        Assert.Contains("已导入 1 项工作事项", first.Out, StringComparison.Ordinal);

        // Nothing came in before the real import: the matters list holds exactly one item.
        var list = await RunAsync("matters", "list", "--db", db);
        Assert.Equal(1, System.Text.RegularExpressions.Regex.Count(list.Out, "城北污水处理厂扩建"));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }
}
