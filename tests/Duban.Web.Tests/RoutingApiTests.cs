using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Duban.Data;
using Duban.Matters;
using Duban.Web.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Tests;

/// <summary>Learned routing over HTTP: suggest (any staff token) and retrain (admin) on the app's closed matters; the
/// suggestion on the appeal page; the admin page 分派规则 (rules, 试算, retraining).</summary>
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

    private async Task<string> AppealAsync(string title, string content)
    {
        var created = await PostAsync(app.SupervisorToken, "/api/appeals",
            new { title, content, category = "城乡建设", region = "K-T", contactName = "李四", contactPhone = "13900009876", channel = "hotline" });
        Assert.Equal(HttpStatusCode.Created, created.Status);
        return created.Body!["trackingCode"]!.GetValue<string>();
    }

    [Fact]
    public async Task Suggest_IsUnknownUntilAnAdminRetrains_ThenNamesTheUnitWithItsConfidence_OnTheApiAndTheAppealPage()
    {
        var appeal = await AppealAsync("巷子里路灯不亮", "我家门口小巷的路灯晚上不亮，请修复。");
        var supervisor = await PageSession.SignInAsync(app, "C-DC", Role.Supervisor);
        Assert.Contains("尚未训练模型", await supervisor.GetStringAsync($"/Lists/Appeal?code={appeal}"), StringComparison.Ordinal);

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

        var page = await supervisor.GetStringAsync($"/Lists/Appeal?code={appeal}");
        var card = page[page.IndexOf("id=\"routing-suggestion\"", StringComparison.Ordinal)..];
        Assert.Matches("建议承办单位：<strong>测试镇</strong> <span class=\"code\">K-T</span>，置信度 [5-9][0-9] ?%", card);
        var status = await (await PageSession.SignInAsync(app, "C", Role.Admin)).GetStringAsync("/admin/routing");
        Assert.Contains("<dt>训练样本</dt><dd>4 件已办结事项</dd>", status, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminPage_RetrainsInTheBackground_ThenShowsHowItEnded()
    {
        var admin = await PageSession.SignInAsync(app, "C", Role.Admin);
        var started = await admin.PostAsync("/admin/routing?handler=Retrain", []);
        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        Assert.Equal("/admin/routing#model", started.Headers.Location?.OriginalString);

        // The page answered before the training ended; it ends with a model or, without enough history, a refusal.
        var training = app.Services.GetRequiredService<TriageTraining>();
        var outcome = await Record.ExceptionAsync(() => training.Last!);
        var progress = JsonNode.Parse(await admin.GetStringAsync("/admin/routing?handler=Training"))!;
        Assert.False(progress["running"]!.GetValue<bool>());
        var page = await admin.GetStringAsync("/admin/routing");
        Assert.DoesNotContain("正在重新训练", page, StringComparison.Ordinal);
        if (outcome is null)
        {
            var summary = await training.Last!;
            Assert.Contains($"：{summary.Examples} 件已办结事项，{summary.Units} 个单位。", page, StringComparison.Ordinal);
        }
        else
        {
            Assert.IsType<RuleConflictException>(outcome);
            Assert.Contains("<p class=\"error\" role=\"alert\">已办结事项不足", page, StringComparison.Ordinal);
        }

        Assert.Contains("重新训练</button>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminPage_AddsEditsDisablesAndDeletesARule_WithErrorsBesideTheFields_AndTriesIt()
    {
        Assert.Equal(HttpStatusCode.Forbidden, (await (await PageSession.SignInAsync(app, "C-DC", Role.Supervisor)).Client.GetAsync(
            new Uri("/admin/routing", UriKind.Relative))).StatusCode);
        var admin = await PageSession.SignInAsync(app, "C", Role.Admin);
        Assert.Contains("href=\"/admin/routing\"", await admin.GetStringAsync("/"), StringComparison.Ordinal);

        var invalid = await admin.PostAsync("/admin/routing?handler=Save", new()
        {
            ["Rule.Name"] = "", ["Rule.EnterpriseCode"] = "123", ["Rule.LeadUnit"] = "NOPE",
        });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var errors = await invalid.Content.ReadAsStringAsync();
        Assert.Contains("规则名称不能为空。", errors, StringComparison.Ordinal);
        Assert.Contains("统一社会信用代码应为 18 位数字或大写字母。", errors, StringComparison.Ordinal);
        Assert.Contains("承办单位代码「NOPE」不存在或已停用。", errors, StringComparison.Ordinal);

        var added = await admin.PostAsync("/admin/routing?handler=Save", new()
        {
            ["Rule.Name"] = "井盖归住建", ["Rule.Priority"] = "5", ["Rule.Keywords"] = "井盖，窨井", ["Rule.LeadUnit"] = "C-ZJ",
        });
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        long id;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            id = (await scope.ServiceProvider.GetRequiredService<RoutingRules>().ListAsync()).Single(r => r.Name == "井盖归住建").Id;
        }

        var edit = await admin.GetStringAsync($"/admin/routing?edit={id}");
        Assert.Contains("value=\"井盖归住建\"", edit, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostAsync($"/admin/routing?handler=Save&edit={id}", new()
        {
            ["Rule.Name"] = "井盖窨井归住建", ["Rule.Priority"] = "5", ["Rule.Keywords"] = "井盖，窨井", ["Rule.LeadUnit"] = "C-ZJ",
        })).StatusCode);

        var trial = await admin.PostAsync("/admin/routing?handler=Trial", new() { ["Trial.Title"] = "路边井盖丢失", ["Trial.Content"] = "人行道上的井盖不见了。" });
        Assert.Equal(HttpStatusCode.OK, trial.StatusCode);
        var tried = await trial.Content.ReadAsStringAsync();
        Assert.Contains("按规则「井盖窨井归住建」交由", tried, StringComparison.Ordinal);
        Assert.Contains("智能分派建议", tried, StringComparison.Ordinal);
        var empty = await admin.PostAsync("/admin/routing?handler=Trial", new() { ["Trial.Region"] = "K-T" });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("请填写诉求标题或内容。", await empty.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostAsync($"/admin/routing?handler=Active&id={id}&active=false", [])).StatusCode);
        Assert.Contains("已停用", await admin.GetStringAsync("/admin/routing"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostAsync($"/admin/routing?handler=Delete&id={id}", [])).StatusCode);
        Assert.DoesNotContain("井盖窨井归住建", await admin.GetStringAsync("/admin/routing"), StringComparison.Ordinal);
    }
}

public sealed class RoutingApiTests_Sqlite(SqliteApp app) : RoutingApiTests(app), IClassFixture<SqliteApp>;

public sealed class RoutingApiTests_Postgres(PostgresApp app) : RoutingApiTests(app), IClassFixture<PostgresApp>;
