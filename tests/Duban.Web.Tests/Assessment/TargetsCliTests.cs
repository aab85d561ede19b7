namespace Duban.Tests;

/// <summary><c>duban assessment targets import</c>: each row's problems on stdout and exit 1, nothing stored; then a
/// valid file stored once.</summary>
public sealed class TargetsCliTests
{
    [Fact]
    public async Task ImportTargets_DryRunListsProblems_NothingStoredUntilAllRowsAreValid()
    {
        var folder = Directory.CreateTempSubdirectory("duban-cli-targets-").FullName;
        var db = Path.Combine(folder, "duban.db");
        var units = Path.Combine(folder, "units.csv");
        var bad = Path.Combine(folder, "bad.csv");
        var good = Path.Combine(folder, "good.csv");
        const string header = "目标任务,考核期间,任务,计量单位,统计方式,单位,包联干部,目标数\n";
        await File.WriteAllTextAsync(units, "code,name,parent_code,level\nC,测试市,,city\nK,测试县,C,county\n");
        await File.WriteAllTextAsync(bad, header + "1441,2024,走访企业,家,包联走访,测试县,,100\n1441,2024,签约,个,,NOWHERE,,10\n1441,2024,签约,个,,测试县,,-5\n");
        await File.WriteAllTextAsync(good, header + "1441,2024,走访企业,家,包联走访,测试县,,100\n1441,2024,签约,个,,测试县,,10\n");
        Assert.Equal(0, (await CliTests.RunAsync(["units", "import", units, "--db", db])).Exit);

        var dry = await CliTests.RunAsync(["assessment", "targets", "import", bad, "--dry-run", "--db", db]);
        var real = await CliTests.RunAsync(["assessment", "targets", "import", bad, "--db", db]);
        var check = await CliTests.RunAsync(["assessment", "targets", "import", good, "--dry-run", "--db", db]);
        var saved = await CliTests.RunAsync(["assessment", "targets", "import", good, "--db", db]);
        var again = await CliTests.RunAsync(["assessment", "targets", "import", good, "--db", db]);

        Assert.Equal(1, dry.Exit);
        Assert.Contains("第3行：没有「NOWHERE」这个单位。", dry.Out, StringComparison.Ordinal);
        Assert.Contains("第4行：目标数须大于 0。", dry.Out, StringComparison.Ordinal);
        Assert.Contains("共 3 行，有误 2 行，未保存", real.Out, StringComparison.Ordinal);
        Assert.Equal(1, real.Exit);
        Assert.Contains("共 2 行，有误 0 行，未保存：新增事项 2 项，新增目标 2 个", check.Out, StringComparison.Ordinal); // nothing was stored before
        Assert.Equal(0, saved.Exit);
        Assert.Contains("已保存：新增事项 2 项，新增目标 2 个，修改目标 0 个", saved.Out, StringComparison.Ordinal);
        Assert.Contains("已保存：新增事项 0 项，新增目标 0 个，修改目标 2 个", again.Out, StringComparison.Ordinal);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }
}
