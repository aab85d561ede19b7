using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Duban.Data;
using Duban.Matters;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Tests;

/// <summary>领导批示件 over HTTP: register → assign → the units finish → draft → approve → send, the 409s (not all done,
/// stale version, send before approval), ProblemDetails per field, who sees what, the Word download and the leader's page.</summary>
public abstract class InstructionsApiTests(DubanApp app)
{
    private async Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(string token, string path, object body)
    {
        using var response = await app.Client(token).PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private async Task<(HttpStatusCode Status, JsonNode? Body)> GetAsync(string token, string path)
    {
        using var response = await app.Client(token).GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private static object Instruction(string text, long? leader = null) => new
    {
        leader,
        leaderName = leader is null ? "赵书记" : null,
        leaderTitle = "市委书记",
        instructedOn = "2025-03-03",
        text,
        sourceDocument = "《关于农贸市场改造进展情况的报告》",
        proposal = "拟请测试镇牵头办理，两周内报结果。",
        dueOn = "2025-03-17",
    };

    private async Task<long> RegisterAsync(string text, long? leader = null)
    {
        var (status, body) = await PostAsync(app.SupervisorToken, "/api/instructions", Instruction(text, leader));
        Assert.True(status == HttpStatusCode.Created, body?.ToJsonString());
        return body!["summary"]!["id"]!.GetValue<long>();
    }

    private async Task<JsonNode> AssignAsync(long id, params string[] units)
    {
        var (status, body) = await PostAsync(app.SupervisorToken, $"/api/instructions/{id}/assign",
            new { units, goal = "完成农贸市场提升改造", standard = "通过验收，商户满意" });
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        return body!;
    }

    private async Task FinishAsync(long matter, string token, string result)
    {
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(token, $"/api/matters/{matter}/acknowledge", new { })).Status);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(token, $"/api/matters/{matter}/complete", new { note = result })).Status);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(app.SupervisorToken, $"/api/matters/{matter}/verify", new { accepted = true })).Status);
    }

    [Fact]
    public async Task Register_Assign_Finish_Draft_Approve_Send_With409s()
    {
        app.Clock.SetUtcNow(DateTimeOffset.Parse("2025-03-04T10:00:00+08:00", CultureInfo.InvariantCulture));
        var id = await RegisterAsync("请测试镇抓紧推进农贸市场改造，两周内报结果。");
        var other = await RegisterAsync("请市住建局研究。");
        var details = await AssignAsync(id, "K-T");
        await AssignAsync(other, "C-ZJ");
        Assert.Equal("assigned", details["summary"]!["status"]!.GetValue<string>());
        var matter = details["matters"]![0]!["id"]!.GetValue<long>();

        // A unit sees what it was assigned and nothing else (not even that the other exists).
        var (_, townshipList) = await GetAsync(app.TownshipToken, "/api/instructions");
        Assert.Equal([id], townshipList!.AsArray().Select(i => i!["id"]!.GetValue<long>()));
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(app.TownshipToken, $"/api/instructions/{other}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(app.DepartmentToken, $"/api/instructions/{id}")).Status);
        Assert.Empty((await GetAsync(app.TownshipToken, $"/api/instructions/{id}")).Body!["reports"]!.AsArray());
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(app.TownshipToken, $"/api/instructions/{id}/report", new { action = "draft", partial = true, reason = "x" })).Status);

        // Not done: 409 for a final report, 400 for a partial one without a reason.
        var (conflict, problem) = await PostAsync(app.SupervisorToken, $"/api/instructions/{id}/report", new { action = "draft" });
        Assert.Equal(HttpStatusCode.Conflict, conflict);
        Assert.Contains("未办结", problem!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var (bad, noReason) = await PostAsync(app.SupervisorToken, $"/api/instructions/{id}/report", new { action = "draft", partial = true });
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.NotNull(noReason!["errors"]!["reason"]);

        await FinishAsync(matter, app.TownshipToken, "农贸市场改造已完工，商户全部回迁。");
        var (drafted, afterDraft) = await PostAsync(app.SupervisorToken, $"/api/instructions/{id}/report", new { action = "draft" });
        Assert.Equal(HttpStatusCode.OK, drafted);
        Assert.Equal("resultsIn", afterDraft!["summary"]!["status"]!.GetValue<string>());
        var report = afterDraft["reports"]!.AsArray().Single()!;
        Assert.Contains("农贸市场改造已完工", report["text"]!.GetValue<string>(), StringComparison.Ordinal);
        var version = afterDraft["version"]!.GetValue<int>();

        Assert.Equal(HttpStatusCode.Conflict, (await PostAsync(app.SupervisorToken, $"/api/instructions/{id}/report", new { action = "send" })).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await PostAsync(app.SupervisorToken, $"/api/instructions/{id}/report", new { action = "edit", text = "旧版本", version = version - 1 })).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(app.SupervisorToken, $"/api/instructions/{id}/report", new { action = "publish" })).Status);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(app.SupervisorToken, $"/api/instructions/{id}/report", new { action = "approve", version })).Status);
        var (sent, afterSend) = await PostAsync(app.SupervisorToken, $"/api/instructions/{id}/report", new { action = "send" });
        Assert.Equal(HttpStatusCode.OK, sent);
        Assert.Equal("reported", afterSend!["summary"]!["status"]!.GetValue<string>());
        Assert.Equal("sent", afterSend["reports"]![0]!["stage"]!.GetValue<string>());

        var (_, reported) = await GetAsync(app.SupervisorToken, "/api/instructions?status=reported&year=2025");
        Assert.Contains(reported!.AsArray(), i => i!["id"]!.GetValue<long>() == id);
        Assert.DoesNotContain(reported.AsArray(), i => i!["id"]!.GetValue<long>() == other);
        Assert.Equal(HttpStatusCode.BadRequest, (await GetAsync(app.SupervisorToken, "/api/instructions?status=done")).Status);

        using var docx = await app.Client(app.SupervisorToken).GetAsync($"/api/instructions/{id}/report.docx");
        Assert.Equal(HttpStatusCode.OK, docx.StatusCode);
        Assert.Equal(ReviewBulletin.ContentType, docx.Content.Headers.ContentType?.MediaType);
        Assert.Equal("PK"u8.ToArray(), (await docx.Content.ReadAsByteArrayAsync())[..2]);
    }

    [Fact]
    public async Task Register_BadFields_Are400PerField()
    {
        app.Clock.SetUtcNow(DateTimeOffset.Parse("2025-03-04T10:00:00+08:00", CultureInfo.InvariantCulture));
        var (status, problem) = await PostAsync(app.SupervisorToken, "/api/instructions", new { instructedOn = "昨天", dueOn = "2020-13-01", leader = 987654 });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var errors = problem!["errors"]!.AsObject();
        Assert.Equal(["dueOn", "instructedOn", "leader", "text"], errors.Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(app.TownshipToken, "/api/instructions", Instruction("越权"))).Status);
        var (assign, unknown) = await PostAsync(app.SupervisorToken, $"/api/instructions/{await RegisterAsync("请研究。")}/assign",
            new { units = new[] { "NOPE" }, goal = "g", standard = "s" });
        Assert.Equal(HttpStatusCode.BadRequest, assign);
        Assert.NotNull(unknown!["errors"]!["units"]);
    }

    [Fact]
    public async Task TheLeader_SeesOnlyTheirOwn_OnTheirPage()
    {
        app.Clock.SetUtcNow(DateTimeOffset.Parse("2025-03-04T10:00:00+08:00", CultureInfo.InvariantCulture));
        var name = "ld" + Guid.NewGuid().ToString("N")[..8];
        User leader;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            leader = await scope.ServiceProvider.GetRequiredService<UserAccounts>().CreateAsync(name, "钱市长" + name[2..6], "C", [Role.Leader], PageSession.Password);
        }

        var mine = await RegisterAsync("请测试镇研究" + name, leader.Id);
        var theirs = await RegisterAsync("别人的批示" + name);
        var client = PageSession.Browser(app);
        var login = await client.GetStringAsync(new Uri("/login", UriKind.Relative));
        var signIn = await client.PostAsync(new Uri("/login", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = name, ["Password"] = PageSession.Password, ["__RequestVerificationToken"] = PageSession.FormToken(login),
        }));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);

        using var register = await client.GetAsync(new Uri("/Instructions", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, register.StatusCode); // a leader's register is 「我的批示」
        var page = await client.GetStringAsync(new Uri("/Instructions/Mine", UriKind.Relative));
        Assert.Contains("请测试镇研究" + name, page, StringComparison.Ordinal);
        Assert.DoesNotContain("别人的批示" + name, page, StringComparison.Ordinal);
        using var hidden = await client.GetAsync(new Uri($"/Instructions/{theirs}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        var own = await client.GetStringAsync(new Uri($"/Instructions/{mine}", UriKind.Relative));
        Assert.DoesNotContain("生成报告草稿", own, StringComparison.Ordinal);
    }
}

public sealed class InstructionsApiTests_Sqlite(SqliteApp app) : InstructionsApiTests(app), IClassFixture<SqliteApp>;

public sealed class InstructionsApiTests_Postgres(PostgresApp app) : InstructionsApiTests(app), IClassFixture<PostgresApp>;
