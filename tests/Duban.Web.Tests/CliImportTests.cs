namespace Duban.Tests;

/// <summary><c>duban import appeals</c> as a person runs it: a report on stdout, progress on stderr, exit 0/1.</summary>
public sealed class CliImportTests
{
    private static Task<(int Exit, string Out, string Err)> RunAsync(params string[] args) => CliTests.RunAsync(args);

    [Fact]
    public async Task ImportAppeals_DryRunPrintsTheReport_ThenImportsOnce()
    {
        var folder = Directory.CreateTempSubdirectory("duban-cli-import-").FullName;
        var db = Path.Combine(folder, "duban.db");
        var units = Path.Combine(folder, "units.csv");
        var file = Path.Combine(folder, "appeals.csv");
        await File.WriteAllTextAsync(units, "code,name,parent_code,level\nC,测试市,,city\n");
        await File.WriteAllTextAsync(file, "留言主题,留言详情,留言时间\n路灯不亮,幸福路路灯坏了。,2024/3/1 9:00\n,没有标题。,2024-03-01\n积水,人民路积水。,2024年3月2日\n");
        Assert.Equal(0, (await RunAsync("units", "import", units, "--db", db)).Exit);

        var dry = await RunAsync("import", "appeals", file, "--dry-run", "--db", db);
        var first = await RunAsync("import", "appeals", file, "--db", db);
        var second = await RunAsync("import", "appeals", file, "--db", db);

        Assert.Equal(1, dry.Exit); // a rejected row makes the exit 1
        Assert.Contains("第 3 行 A3: 标题不能为空", dry.Out, StringComparison.Ordinal);
        Assert.Contains("试导入（未保存）：共 3 行，可导入 2，已导入过 0，有误 1", dry.Out, StringComparison.Ordinal);
        Assert.Contains("标题=留言主题(A)", dry.Err, StringComparison.Ordinal);
        Assert.Contains("导入完成：共 3 行，新保存 2，已导入过 0，拒绝 1", first.Out, StringComparison.Ordinal);
        Assert.Contains("已处理 3 行", first.Err, StringComparison.Ordinal);
        Assert.Contains("导入完成：共 3 行，新保存 0，已导入过 2，拒绝 1", second.Out, StringComparison.Ordinal);

        // The saved matters go into SQLite's keyword index (its own file) without a web host; nothing new, nothing added.
        Assert.Contains("关键词索引：已加入 2 件", first.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("关键词索引", dry.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("关键词索引", second.Err, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(folder, "duban.search.db")));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task ImportAppeals_RefusesAZipBombNamedXlsx_NamingTheLimit()
    {
        var folder = Directory.CreateTempSubdirectory("duban-cli-import-").FullName;
        var file = Path.Combine(folder, "bomb.xlsx");
        using (var zip = System.IO.Compression.ZipFile.Open(file, System.IO.Compression.ZipArchiveMode.Create))
        {
            await using var entry = zip.CreateEntry("xl/worksheets/sheet1.xml", System.IO.Compression.CompressionLevel.SmallestSize).Open();
            var zeros = new byte[1 << 20];
            for (var i = 0; i < 64; i++)
            {
                await entry.WriteAsync(zeros);
            }
        }

        var (exit, _, error) = await RunAsync("import", "appeals", file, "--db", Path.Combine(folder, "duban.db"));

        Assert.Equal(1, exit);
        Assert.Contains("压缩比", error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(folder, "duban.db")));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }
}
