using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Duban.Tests;

/// <summary>/api/assessment/targets and /api/assessment/cadres over real HTTP: the status codes, the field keys and the
/// reasons in Chinese, the import's dry run, and a report through to its confirmation.</summary>
public abstract class TargetsApiTests(DubanApp app)
{
    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    [Fact]
    public async Task ASet_ItsGoals_AReportAndItsConfirmation_WithEachRefusalInChinese()
    {
        var name = "1441-" + Guid.NewGuid().ToString("N")[..6];
        var office = app.Client(app.SupervisorToken);
        var town = app.Client(app.TownshipToken);
        object Set(double goal, string unit = "K-T", string period = "2024") => new
        {
            name, period,
            items = new[] { new { name = "走访企业", measure = "家", source = "包联走访" }, new { name = "签约", measure = "个", source = "手工填报" } },
            goals = new[] { new { item = "签约", unit, goal }, new { item = "走访企业", unit, goal = 100.0 } },
        };

        using var bad = await office.PostAsJsonAsync("/api/assessment/targets", Set(0, "NOWHERE", "2024-13"));
        using var badGoals = await office.PostAsJsonAsync("/api/assessment/targets", Set(0, "NOWHERE"));
        using var byTown = await town.PostAsJsonAsync("/api/assessment/targets", Set(10));
        using var created = await office.PostAsJsonAsync("/api/assessment/targets", Set(10));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("2024-13", (await JsonAsync(bad)).GetProperty("errors").GetProperty("period")[0].GetString(), StringComparison.Ordinal);
        var errors = (await JsonAsync(badGoals)).GetProperty("errors");
        Assert.Equal("目标数须大于 0。", errors.GetProperty("goals[0].goal")[0].GetString());
        Assert.Equal("没有「NOWHERE」这个单位。", errors.GetProperty("goals[0].unit")[0].GetString());
        Assert.Equal(HttpStatusCode.Forbidden, byTown.StatusCode);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        using var progress = await town.GetAsync(new Uri($"/api/assessment/targets/progress?set={Uri.EscapeDataString(name)}&period=2024", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, progress.StatusCode);
        var rows = (await JsonAsync(progress)).GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(2, rows.Count);
        var signing = rows.Single(r => r.GetProperty("item").GetString() == "签约");
        Assert.Equal("manual", signing.GetProperty("source").GetString());
        var goal = signing.GetProperty("goalId").GetInt64();

        using var negative = await town.PostAsJsonAsync($"/api/assessment/targets/{goal}/reports", new { amount = -1, note = "签约" });
        using var reported = await town.PostAsJsonAsync($"/api/assessment/targets/{goal}/reports", new { amount = 3, note = "签约 3 个，合同附后。" });
        Assert.Equal(HttpStatusCode.BadRequest, negative.StatusCode);
        Assert.Equal("填报数量不能为负数。", (await JsonAsync(negative)).GetProperty("errors").GetProperty("amount")[0].GetString());
        Assert.Equal(HttpStatusCode.Created, reported.StatusCode);
        var report = (await JsonAsync(reported)).GetProperty("id").GetInt64();

        using var rejectWithoutReason = await office.PostAsJsonAsync($"/api/assessment/targets/reports/{report}/reject", new { reason = "" });
        using var confirmByTown = await town.PostAsJsonAsync($"/api/assessment/targets/reports/{report}/confirm", new { });
        using var confirmed = await office.PostAsJsonAsync($"/api/assessment/targets/reports/{report}/confirm", new { });
        using var twice = await office.PostAsJsonAsync($"/api/assessment/targets/reports/{report}/confirm", new { });
        using var missing = await office.PostAsJsonAsync("/api/assessment/targets/reports/999999999/confirm", new { });
        Assert.Equal(HttpStatusCode.BadRequest, rejectWithoutReason.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, confirmByTown.StatusCode);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Equal("confirmed", (await JsonAsync(confirmed)).GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Equal("这条填报已确认，不能再次确认或退回。", (await JsonAsync(twice)).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        using var after = await office.GetAsync(new Uri($"/api/assessment/targets/progress?set={Uri.EscapeDataString(name)}", UriKind.Relative));
        var row = (await JsonAsync(after)).GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("goalId").GetInt64() == goal);
        Assert.Equal((3.0, 10.0, 0.3), (row.GetProperty("done").GetDouble(), row.GetProperty("goal").GetDouble(), row.GetProperty("completion").GetDouble()));
        Assert.True(row.TryGetProperty("expected", out _));
        Assert.True(row.TryGetProperty("behind", out _));
        Assert.Equal(1, row.GetProperty("rank").GetInt32());

        using var unknown = await office.GetAsync(new Uri("/api/assessment/targets/progress?set=没有这个", UriKind.Relative));
        using var badPeriod = await office.GetAsync(new Uri($"/api/assessment/targets/progress?set={Uri.EscapeDataString(name)}&period=20244", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badPeriod.StatusCode);
    }

    [Fact]
    public async Task Import_DryRunListsEachRowsProblems_ARealRunWithProblemsIs400_AndAValidFileIsStored()
    {
        var name = "导入-" + Guid.NewGuid().ToString("N")[..6];
        var office = app.Client(app.SupervisorToken);
        var header = "目标任务,考核期间,任务,计量单位,统计方式,单位,包联干部,目标数\n";
        var bad = header + $"{name},2024,谋划项目,个,,K-T,,40\n{name},2024,谋划项目,个,,NOWHERE,,40\n{name},2024,签约,个,,K-T,,-1\n";
        var good = header + $"{name},2024,谋划项目,个,,K-T,,40\n{name},2024,谋划项目,个,,测试市住建局,,40\n";
        HttpContent Csv(string text) => new ByteArrayContent(Encoding.UTF8.GetBytes(text)) { Headers = { ContentType = new("text/csv") } };

        using var dry = await office.PostAsync(new Uri("/api/assessment/targets/import?dryRun=true", UriKind.Relative), Csv(bad));
        using var real = await office.PostAsync(new Uri("/api/assessment/targets/import", UriKind.Relative), Csv(bad));
        using var byTown = await app.Client(app.TownshipToken).PostAsync(new Uri("/api/assessment/targets/import", UriKind.Relative), Csv(good));
        using var saved = await office.PostAsync(new Uri("/api/assessment/targets/import", UriKind.Relative), Csv(good));

        Assert.Equal(HttpStatusCode.OK, dry.StatusCode);
        var problems = (await JsonAsync(dry)).GetProperty("problems").EnumerateArray().ToList();
        Assert.Equal([3, 4], problems.Select(p => p.GetProperty("row").GetInt32()));
        Assert.Equal("没有「NOWHERE」这个单位。", problems[0].GetProperty("messages")[0].GetString());
        Assert.Equal(HttpStatusCode.BadRequest, real.StatusCode);
        Assert.Equal("目标数须大于 0。", (await JsonAsync(real)).GetProperty("errors").GetProperty("第4行")[0].GetString());
        Assert.Equal(HttpStatusCode.Forbidden, byTown.StatusCode);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.True((await JsonAsync(saved)).GetProperty("saved").GetBoolean());

        using var sets = await office.GetAsync(new Uri("/api/assessment/targets", UriKind.Relative));
        var set = (await JsonAsync(sets)).EnumerateArray().Single(s => s.GetProperty("name").GetString() == name);
        Assert.Equal("谋划项目", set.GetProperty("items")[0].GetProperty("name").GetString());
        Assert.Equal(2, set.GetProperty("items")[0].GetProperty("goals").GetInt32());
    }

    [Fact]
    public async Task Cadres_ForAPeriod_AndAPeriodThatDoesNotParse()
    {
        using var ok = await app.Client(app.SupervisorToken).GetAsync(new Uri("/api/assessment/cadres?period=2024-02", UriKind.Relative));
        using var bad = await app.Client(app.SupervisorToken).GetAsync(new Uri("/api/assessment/cadres?period=二月", UriKind.Relative));
        using var anonymous = await app.Client().GetAsync(new Uri("/api/assessment/cadres", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("2024-02", (await JsonAsync(ok)).GetProperty("period").GetProperty("key").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await JsonAsync(bad)).GetProperty("errors").TryGetProperty("period", out _));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }
}

public sealed class TargetsApiTests_Sqlite(SqliteApp app) : TargetsApiTests(app), IClassFixture<SqliteApp>;

public sealed class TargetsApiTests_Postgres(PostgresApp app) : TargetsApiTests(app), IClassFixture<PostgresApp>;
