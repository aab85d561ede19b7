using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Duban.Tests;

/// <summary>Learned routing over HTTP: suggest (any staff token) and retrain (admin) on the app's closed matters.</summary>
public abstract class RoutingApiTests(DubanApp app)
{
    private async Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(string? token, string path, object? body)
    {
        using var response = await app.Client(token).PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private async Task CloseAsync(string unit, string handlerToken, string title, string content)
    {
        var assigned = await PostAsync(app.SupervisorToken, "/api/matters", TestMatters.Assignment(unit) with { Title = title, Content = content });
        Assert.Equal(HttpStatusCode.Created, assigned.Status);
        var id = assigned.Body!["id"]!.GetValue<long>();
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(handlerToken, $"/api/matters/{id}/acknowledge", new { })).Status);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(handlerToken, $"/api/matters/{id}/complete", new { result = "已办结" })).Status);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(app.SupervisorToken, $"/api/matters/{id}/verify", new { accepted = true })).Status);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(app.SupervisorToken, $"/api/matters/{id}/close", new { })).Status);
    }

    [Fact]
    public async Task Suggest_IsUnknownUntilAnAdminRetrains_ThenNamesTheUnitWithItsConfidence()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(null, "/api/routing/suggest", new { text = "路灯不亮" })).Status);
        var blank = await PostAsync(app.TownshipToken, "/api/routing/suggest", new { text = "  " });
        Assert.Equal(HttpStatusCode.BadRequest, blank.Status);
        Assert.NotNull(blank.Body!["errors"]!["text"]);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(app.TownshipToken, "/api/routing/suggest", new { text = new string('路', 20_001) })).Status);

        var before = await PostAsync(app.TownshipToken, "/api/routing/suggest", new { text = "路灯不亮" });
        Assert.Equal(HttpStatusCode.OK, before.Status);
        Assert.True(before.Body!["unknown"]!.GetValue<bool>());
        Assert.Null(before.Body["unitCode"]);

        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(app.SupervisorToken, "/api/routing/retrain", null)).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await PostAsync(app.AdminToken, "/api/routing/retrain", null)).Status);

        await CloseAsync("K-T", app.TownshipToken, "背街小巷路灯不亮", "小巷路灯夜间不亮，请修复路灯。");
        await CloseAsync("K-T", app.TownshipToken, "村道路灯损坏", "村口道路路灯损坏多日。");
        await CloseAsync("C-ZJ", app.DepartmentToken, "老旧小区加装电梯", "居民申请加装电梯，审批缓慢。");
        await CloseAsync("C-ZJ", app.DepartmentToken, "小区电梯故障", "物业不修电梯，住建部门应监管。");

        var retrained = await PostAsync(app.AdminToken, "/api/routing/retrain", null);
        Assert.Equal(HttpStatusCode.OK, retrained.Status);
        Assert.Equal((4, 2), (retrained.Body!["examples"]!.GetValue<int>(), retrained.Body["units"]!.GetValue<int>()));

        var suggested = await PostAsync(app.DepartmentToken, "/api/routing/suggest", new { text = "路灯坏了\n小巷晚上路灯不亮" });
        Assert.Equal(HttpStatusCode.OK, suggested.Status);
        Assert.Equal(("K-T", "测试镇"), (suggested.Body!["unitCode"]!.GetValue<string>(), suggested.Body["unitName"]!.GetValue<string>()));
        Assert.InRange(suggested.Body["confidence"]!.GetValue<double>(), 0.5, 1);
        Assert.Null(suggested.Body["unknown"]);
    }
}

public sealed class RoutingApiTests_Sqlite(SqliteApp app) : RoutingApiTests(app), IClassFixture<SqliteApp>;

public sealed class RoutingApiTests_Postgres(PostgresApp app) : RoutingApiTests(app), IClassFixture<PostgresApp>;
