using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Duban.Data;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Duban.Tests;

/// <summary>
/// Writers never starve each other on SQLite's single write lock: a long appeal import and a long unit import run
/// while 20 clients keep registering appeals over HTTP, and every client's write succeeds (imports commit in short
/// chunks; a writer that still waits too long would get 503 with Retry-After, never a 500). The rows per import are
/// 2,000 by default; DUBAN_STARVE_ROWS=10000 is the long variant.
/// </summary>
public sealed class WritersTests(SqliteApp app, ITestOutputHelper output) : IClassFixture<SqliteApp>
{
    private static int Rows => int.TryParse(Environment.GetEnvironmentVariable("DUBAN_STARVE_ROWS"), CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 2000;

    [Fact]
    public async Task LongImports_WhileTwentyClientsWrite_NoClientWriteFails()
    {
        var rows = Rows;
        var appeals = new StringBuilder("编号,标题,内容,分类,收到时间\n");
        var units = new StringBuilder("code,name,parent_code,level\n");
        for (var i = 0; i < rows; i++)
        {
            appeals.Append(CultureInfo.InvariantCulture, $"W-{i},路灯不亮 {i},幸福路 {i} 号门口路灯坏了。,城乡建设,2024-02-01\n");
            units.Append(CultureInfo.InvariantCulture, $"WS{i},写入测试村{i},K-T,village\n");
        }

        var importing = Stopwatch.StartNew();
        var import = Task.Run(async () =>
        {
            await using var scope = app.Services.CreateAsyncScope();
            var sheet = Spreadsheet.Open(new MemoryStream(Encoding.UTF8.GetBytes(appeals.ToString())), "appeals.csv");
            var report = await scope.ServiceProvider.GetRequiredService<AppealImport>()
                .RunAsync(sheet, ColumnMapping.Guess(sheet.Header, null), new AppealImportOptions(), app.Org.Supervisor);
            await using var second = app.Services.CreateAsyncScope();
            var unitReport = await second.ServiceProvider.GetRequiredService<UnitDirectory>()
                .ImportAsync(Spreadsheet.Open(new MemoryStream(Encoding.UTF8.GetBytes(units.ToString())), "units.csv"));
            return (report.Saved, Units: unitReport.Lines.Count(l => l.Saved));
        });

        var statuses = new List<HttpStatusCode>();
        var slowest = TimeSpan.Zero;
        var clients = Enumerable.Range(0, 20).Select(c => Task.Run(async () =>
        {
            using var http = app.Client(app.SupervisorToken);
            var mine = new List<(HttpStatusCode, TimeSpan)>();
            // Bounded: until the imports end, at most 400 writes per client.
            for (var i = 0; i < 400 && !import.IsCompleted; i++)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await http.PostAsJsonAsync(new Uri("/api/appeals", UriKind.Relative), new
                {
                    title = $"并发写入 {c}-{i}", content = "写入饥饿测试：导入进行中提交的诉求。", category = "城乡建设", region = "K-T",
                    contactName = "张三", contactPhone = "13800138000",
                });
                mine.Add((response.StatusCode, Stopwatch.GetElapsedTime(started)));
            }

            return mine;
        })).ToList();

        var (saved, savedUnits) = await import;
        importing.Stop();
        foreach (var client in await Task.WhenAll(clients))
        {
            statuses.AddRange(client.Select(c => c.Item1));
            slowest = client.Select(c => c.Item2).Append(slowest).Max();
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{rows} appeals + {rows} units imported in {importing.Elapsed.TotalSeconds:F1} s while 20 clients wrote {statuses.Count} appeals; slowest {slowest.TotalMilliseconds:F0} ms; failures {statuses.Count(s => s != HttpStatusCode.Created)}"));
        Assert.Equal(rows, saved);
        Assert.Equal(rows, savedUnits);
        Assert.True(statuses.Count >= 20, $"the clients wrote only {statuses.Count} times");
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Created, s));
        await using var check = app.Services.CreateAsyncScope();
        Assert.True(await check.ServiceProvider.GetRequiredService<AuditVerifier>().VerifyAsync() is { ChainBreak: null });
    }
}
