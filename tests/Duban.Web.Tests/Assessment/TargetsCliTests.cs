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
        Assert.Contains("rows=3 problems=2 saved=no", real.Out, StringComparison.Ordinal);
        Assert.Equal(1, real.Exit);
        Assert.Contains("rows=2 problems=0 saved=no items_added=2 goals_added=2", check.Out, StringComparison.Ordinal); // nothing was stored before
        Assert.Equal(0, saved.Exit);
        Assert.Contains("saved=yes items_added=2 goals_added=2 goals_changed=0", saved.Out, StringComparison.Ordinal);
        Assert.Contains("saved=yes items_added=0 goals_added=0 goals_changed=2", again.Out, StringComparison.Ordinal);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }
}
