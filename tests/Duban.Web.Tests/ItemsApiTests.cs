using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Duban.Tests;

/// <summary>Work items over HTTP: create with a plan, list by register and colour, report, add and meet nodes, move a
/// node through the extension endpoints, and Chinese ProblemDetails with field keys.</summary>
public abstract class ItemsApiTests(DubanApp app)
{
    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

    private async Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(string token, string path, object body)
    {
        using var response = await app.Client(token).PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private async Task<JsonNode> GetAsync(string token, string path) => JsonNode.Parse(await app.Client(token).GetStringAsync(path))!;

    private static object Item(string register = "key-work") => new
    {
        title = "优化营商环境三年行动",
        register,
        leadUnit = "K-T",
        coUnits = new[] { "C-ZJ" },
        plan = new[] { new { name = "方案印发", dueAt = "2025-03-31" }, new { name = "中期评估", dueAt = "2025-06-30" }, new { name = "总结验收", dueAt = "2025-12-31" } },
        cycle = new { kind = "monthly", day = 25 },
    };

    [Fact]
    public async Task Create_List_Report_Meet_AndMoveANode()
    {
        app.Clock.SetUtcNow(At("2025-01-02T10:00:00+08:00"));
        var (status, created) = await PostAsync(app.SupervisorToken, "/api/items", Item());
        Assert.Equal(HttpStatusCode.Created, status);
        var id = created!["item"]!["id"]!.GetValue<long>();
        Assert.Equal("green", created["item"]!["colour"]!.GetValue<string>());
        Assert.Equal(3, created["nodes"]!.AsArray().Count);

        var keyWork = (await GetAsync(app.SupervisorToken, "/api/items?register=key-work&colour=green")).AsArray();
        Assert.Contains(keyWork, i => i!["id"]!.GetValue<long>() == id);
        Assert.DoesNotContain((await GetAsync(app.SupervisorToken, "/api/items?register=reform")).AsArray(), i => i!["id"]!.GetValue<long>() == id);
        Assert.DoesNotContain((await GetAsync(app.SupervisorToken, "/api/items?register=key-work&colour=yellow")).AsArray(), i => i!["id"]!.GetValue<long>() == id);

        Assert.Equal(HttpStatusCode.OK, (await PostAsync(app.TownshipToken, $"/api/matters/{id}/acknowledge", new { })).Status);
        app.Clock.SetUtcNow(At("2025-01-20T10:00:00+08:00"));
        var (bad, problem) = await PostAsync(app.TownshipToken, $"/api/items/{id}/progress", new { percent = 140, done = "印发方案" });
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.Contains("0 到 100", problem!["errors"]!["percent"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        var (ok, reported) = await PostAsync(app.TownshipToken, $"/api/items/{id}/progress",
            new { percent = 20, done = "起草方案", problems = "部门意见不一", next = "召开协调会", files = Array.Empty<long>() });
        Assert.Equal(HttpStatusCode.OK, ok);
        Assert.Equal(20, reported!["item"]!["percent"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(app.SupervisorToken, $"/api/items/{id}/progress", new { percent = 30, done = "代报" })).Status);

        Assert.Equal(HttpStatusCode.OK, (await PostAsync(app.SupervisorToken, $"/api/items/{id}/nodes", new { name = "征求意见", dueAt = "2025-02-28" })).Status);
        var (met, afterMeet) = await PostAsync(app.TownshipToken, $"/api/items/{id}/nodes/4/meet", new { note = "已征求 12 个部门意见" });
        Assert.Equal(HttpStatusCode.OK, met);
        Assert.Equal("metOnTime", afterMeet!["nodes"]!.AsArray().Single(n => n!["name"]!.GetValue<string>() == "征求意见")!["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Conflict, (await PostAsync(app.TownshipToken, $"/api/items/{id}/nodes/4/meet", new { note = "再报" })).Status);

        var (requested, request) = await PostAsync(app.TownshipToken, $"/api/matters/{id}/extensions", new { node = 2, dueAt = "2025-07-31", reason = "评估机构未到位" });
        Assert.Equal(HttpStatusCode.Created, requested);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(app.SupervisorToken, $"/api/extensions/{request!["id"]}/decide", new { approve = true })).Status);
        var item = await GetAsync(app.SupervisorToken, $"/api/items/{id}");
        Assert.Equal("2025-07-31", item["nodes"]!.AsArray().Single(n => n!["name"]!.GetValue<string>() == "中期评估")!["date"]!.GetValue<string>());

        // The matter page (where notices link) shows the plan's nodes by name.
        var session = await PageSession.SignInAsync(app, "C-DC", Duban.Matters.Role.Supervisor);
        var page = await session.GetStringAsync($"/matters/{id}");
        Assert.Contains("按节点计划", page, StringComparison.Ordinal);
        Assert.Contains("中期评估", page, StringComparison.Ordinal);
        Assert.Contains("第2期进度填报", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadPlans_AnswerWithFieldKeysInChinese()
    {
        app.Clock.SetUtcNow(At("2025-01-02T10:00:00+08:00"));
        var (status, problem) = await PostAsync(app.SupervisorToken, "/api/items", new
        {
            title = "改革事项",
            register = "reform",
            leadUnit = "K-T",
            plan = new[] { new { name = "启动", dueAt = "2025-02-01" }, new { name = "试点", dueAt = "2025-05-01" }, new { name = "推开", dueAt = "2024-12-31" } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("不能早于计划开始日", problem!["errors"]!["plan[2].dueAt"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        (status, problem) = await PostAsync(app.SupervisorToken, "/api/items", new { title = "无节点", register = "meeting", leadUnit = "K-T", plan = Array.Empty<object>() });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("至少要有一个时间节点", problem!["errors"]!["plan"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        using var list = await app.Client(app.SupervisorToken).GetAsync("/api/items?colour=purple");
        Assert.Equal(HttpStatusCode.BadRequest, list.StatusCode);
    }
}

public sealed class ItemsApiTests_Sqlite(SqliteApp app) : ItemsApiTests(app), IClassFixture<SqliteApp>;

public sealed class ItemsApiTests_Postgres(PostgresApp app) : ItemsApiTests(app), IClassFixture<PostgresApp>;
