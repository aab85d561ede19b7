using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Duban.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Duban.Tests;

/// <summary>`duban sweep` from outside: its one-line summary, idempotence, and two processes sharing one database.
/// One class per engine, so the two engines' process starts run side by side rather than in one long queue.</summary>
public abstract partial class SweepProcessTests(string engine)
{
    private static string DbArgument(TestDatabase database) =>
        database.Engine == TestDatabase.Sqlite ? database.ConnectionString["Data Source=".Length..] : database.ConnectionString;

    private static async Task AssignAsync(TestDatabase database, int count)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2024-03-04T09:00:00+08:00", CultureInfo.InvariantCulture));
        await using var services = await database.ServicesAsync(clock);
        var org = await TestOrganisation.CreateAsync(services);
        for (var i = 0; i < count; i++)
        {
            await using var scope = services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<AssignMatter>().ExecuteAsync(TestMatters.Assignment("K-T"), org.Supervisor);
        }
    }

    private static async Task<(int Exit, string Out, string Err)> DubanAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "duban.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    [GeneratedRegex(@"^预警 (\d+) 条，催办 (\d+) 条，督办 (\d+) 条，问责 (\d+) 条$")]
    private static partial Regex SummaryLine();

    private static int[] Counts(string output)
    {
        var match = SummaryLine().Match(output.Trim());
        Assert.True(match.Success, $"not a summary line: {output}");
        return [.. match.Groups.Values.Skip(1).Select(g => int.Parse(g.Value, CultureInfo.InvariantCulture))];
    }

    [Fact]
    public async Task SweepCommand_PrintsOneLine_AndIsIdempotentForTheSameInstant()
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await AssignAsync(database, 1);

        // Acknowledge (due Tue 03-05 24:00) is warned from 20:00 and urged at midnight.
        var first = await DubanAsync("sweep", "--now", "2024-03-06T08:00+08:00", "--db", DbArgument(database));
        var again = await DubanAsync("sweep", "--now", "2024-03-06T08:00+08:00", "--db", DbArgument(database));
        var bad = await DubanAsync("sweep", "--now", "someday", "--db", DbArgument(database));

        Assert.Equal(0, first.Exit);
        Assert.Equal("预警 1 条，催办 1 条，督办 0 条，问责 0 条", first.Out.Trim());
        Assert.Equal("预警 0 条，催办 0 条，督办 0 条，问责 0 条", again.Out.Trim());
        Assert.Equal(1, bad.Exit);
        Assert.Contains("someday", bad.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AccountabilityExport_WritesTheListAsASpreadsheet()
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await AssignAsync(database, 1);
        var file = Path.Combine(Path.GetTempPath(), $"duban-accountability-{Guid.NewGuid():N}.xlsx");
        var held = Path.ChangeExtension(file, ".held.xlsx");
        try
        {
            // Acknowledge due Tue 03-05 24:00; five working days later (06, 07, 08, 11, 12) it goes on the list.
            var sweep = await DubanAsync("sweep", "--now", "2024-03-13T00:00+08:00", "--db", DbArgument(database));
            var export = await DubanAsync("accountability", "export", file, "--db", DbArgument(database));
            var none = await DubanAsync("accountability", "export", held, "--status", "held", "--db", DbArgument(database));
            var bad = await DubanAsync("accountability", "export", held, "--status", "someday", "--db", DbArgument(database));

            Assert.Equal(1, Counts(sweep.Out)[3]);
            Assert.True(export.Exit == 0, export.Err);
            Assert.Equal($"已导出问责清单 1 条：{file}", export.Out.Trim());
            var row = Assert.Single(MiniExcelLibs.MiniExcel.Query(file, useHeaderRow: true).Cast<IDictionary<string, object>>());
            Assert.Equal(("DB-2024-000001", "测试镇", "签收超期", "待处理", "2024-03-13 00:00"),
                ((string)row["事项编号"], (string)row["责任单位"], (string)row["原因"], (string)row["状态"], (string)row["登记时间"]));
            Assert.Equal(0, none.Exit);
            Assert.Empty(MiniExcelLibs.MiniExcel.Query(held, useHeaderRow: true));
            Assert.Equal(1, bad.Exit);
            Assert.Contains("someday", bad.Err, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
            File.Delete(held);
        }
    }

    [Fact]
    public async Task TwoSweepingProcesses_OnOneDatabase_NeverActTwiceOnAMilestone()
    {
        const int matters = 400; // 1,200 milestones: several batches of 500 for the two processes to share
        await using var database = await TestDatabase.CreateAsync(engine);
        await AssignAsync(database, matters);

        // A month later every rung of every milestone has fallen due: 4 rungs × 3 stages × 400 matters.
        var runs = await Task.WhenAll(
            DubanAsync("sweep", "--now", "2024-04-08T09:00+08:00", "--db", DbArgument(database)),
            DubanAsync("sweep", "--now", "2024-04-08T09:00+08:00", "--db", DbArgument(database)));

        Assert.All(runs, r => Assert.True(r.Exit == 0, r.Err));
        var totals = runs.Select(r => Counts(r.Out)).Aggregate((a, b) => [.. a.Zip(b, (x, y) => x + y)]);
        Assert.Equal([3 * matters, 3 * matters, 3 * matters, 3 * matters], totals);

        var clock = new FakeTimeProvider();
        await using var services = await database.ServicesAsync(clock);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DubanDbContext>();
        Assert.Equal(12 * matters, await db.Escalations.CountAsync());
        Assert.Equal(12 * matters, await db.Escalations.Select(e => new { e.MilestoneId, e.Kind }).Distinct().CountAsync());
        Assert.Equal(3 * matters, await db.AccountabilityEntries.CountAsync());
        Assert.Equal(0, await db.Milestones.CountAsync(m => m.NextEscalationAt != null));
    }
}

public sealed class SweepProcessTests_Sqlite() : SweepProcessTests(TestDatabase.Sqlite);

public sealed class SweepProcessTests_Postgres() : SweepProcessTests(TestDatabase.Postgres);
