using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Duban.Matters;

namespace Duban.Tests.Assessment;

/// <summary>/api/assessment citations, card rules, cards and interviews through the real pipeline, with the refusals as
/// ProblemDetails in Chinese.</summary>
public abstract class CardsApiTests(DubanApp app)
{
    private async Task<(HttpStatusCode Status, JsonNode? Body, string? Type)> SendAsync(HttpMethod method, string path, string token, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await app.Client(token).SendAsync(request);
        var type = response.Content.Headers.ContentType?.MediaType;
        if (type is not null && !type.Contains("json", StringComparison.Ordinal))
        {
            return (response.StatusCode, null, type);
        }

        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), type);
    }

    private long Unit(string code) => app.Org.UnitIds[code];

    [Fact]
    public async Task Citation_CreatePublishDocx_AndTheRefusals()
    {
        var (created, citation, _) = await SendAsync(HttpMethod.Post, "/api/assessment/citations", app.SupervisorToken, new
        {
            kind = "commendation",
            units = new[] { new { unitId = Unit("K-T"), reason = "按时办结率 100%" } },
        });
        Assert.Equal(HttpStatusCode.Created, created);
        var id = citation!["id"]!.GetValue<long>();
        Assert.Matches(@"^督查通报〔2024〕\d+号$", citation["number"]!.GetValue<string>());
        Assert.False(citation["published"]!.GetValue<bool>());

        var (docx, _, type) = await SendAsync(HttpMethod.Get, $"/api/assessment/citations/{id}/docx", app.SupervisorToken);
        Assert.Equal((HttpStatusCode.OK, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"), (docx, type));
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, $"/api/assessment/citations/{id}", app.TownshipToken)).Status); // a draft

        var (published, after, _) = await SendAsync(HttpMethod.Post, $"/api/assessment/citations/{id}/publish", app.SupervisorToken);
        Assert.Equal(HttpStatusCode.OK, published);
        Assert.True(after!["published"]!.GetValue<bool>());
        var twice = await SendAsync(HttpMethod.Post, $"/api/assessment/citations/{id}/publish", app.SupervisorToken);
        Assert.Equal(HttpStatusCode.Conflict, twice.Status);
        Assert.Contains("不能重复发布", twice.Body!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var (_, inbox, _) = await SendAsync(HttpMethod.Get, "/api/inbox", app.TownshipToken);
        Assert.Contains(inbox!["items"]!.AsArray(), n => n!["link"]!.GetValue<string>() == $"/Assessment/Citations/{id}");
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, $"/api/assessment/citations/{id}", app.TownshipToken)).Status);

        var empty = await SendAsync(HttpMethod.Post, "/api/assessment/citations", app.SupervisorToken, new { kind = "criticism", units = Array.Empty<object>() });
        Assert.Equal(HttpStatusCode.BadRequest, empty.Status);
        Assert.Contains("至少选择一个单位", empty.Body!["errors"]!["units"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        var handler = await SendAsync(HttpMethod.Post, "/api/assessment/citations", app.TownshipToken, new { kind = "criticism", units = new[] { new { unitId = Unit("K-T"), reason = "x" } } });
        Assert.Equal(HttpStatusCode.Forbidden, handler.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Post, "/api/assessment/citations/999999/publish", app.SupervisorToken)).Status);
    }

    [Fact]
    public async Task Rules_Issue_List_Revoke_AndTheRefusals()
    {
        var bad = await SendAsync(HttpMethod.Put, "/api/assessment/card-rules", app.SupervisorToken, new
        {
            rules = new object[] { new { trigger = "criticism", threshold = 0, window = "month", colour = "yellow" }, new { trigger = "lateness", threshold = 2, window = "month", colour = "yellow" } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.Contains("1 至 1000", bad.Body!["errors"]!["rules[0].threshold"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("不认识的触发事项", bad.Body["errors"]!["rules[1].trigger"]![0]!.GetValue<string>(), StringComparison.Ordinal);

        var (saved, rules, _) = await SendAsync(HttpMethod.Put, "/api/assessment/card-rules", app.SupervisorToken, new
        {
            rules = new object[] { new { trigger = "criticism", threshold = 1, window = "month", colour = "yellow" }, new { trigger = "yellowCard", threshold = 1, window = "quarter", colour = "red" } },
        });
        Assert.Equal(HttpStatusCode.OK, saved);
        Assert.Equal(["一个月内通报批评达 1 个 → 黄牌", "一个季度内黄牌达 1 张 → 红牌"], rules!.AsArray().Select(r => r!["description"]!.GetValue<string>()));

        var (_, citation, _) = await SendAsync(HttpMethod.Post, "/api/assessment/citations", app.SupervisorToken, new
        {
            kind = "criticism",
            units = new[] { new { unitId = Unit("K"), reason = "回头看反弹 2 件" } },
        });
        await SendAsync(HttpMethod.Post, $"/api/assessment/citations/{citation!["id"]}/publish", app.SupervisorToken);

        var (issued, cards, _) = await SendAsync(HttpMethod.Post, "/api/assessment/cards/issue?period=2024-02", app.SupervisorToken);
        Assert.Equal(HttpStatusCode.OK, issued);
        var county = cards!.AsArray().Where(c => c!["unit"]!["code"]!.GetValue<string>() == "K").ToList();
        Assert.Equal(["yellow", "red"], county.Select(c => c!["colour"]!.GetValue<string>()));
        Assert.Empty((await SendAsync(HttpMethod.Post, "/api/assessment/cards/issue?period=2024-02", app.SupervisorToken)).Body!.AsArray());
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(HttpMethod.Post, "/api/assessment/cards/issue?period=2024", app.SupervisorToken)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Post, "/api/assessment/cards/issue?period=2024-02", app.TownshipToken)).Status);

        var red = county[1]!["id"]!.GetValue<long>();
        var (_, interviews, _) = await SendAsync(HttpMethod.Get, $"/api/assessment/interviews?status=open&unit={Unit("K")}", app.SupervisorToken);
        Assert.Contains(interviews!.AsArray(), i => i!["cardId"]?.GetValue<long>() == red);
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(HttpMethod.Post, $"/api/assessment/cards/{red}/revoke", app.SupervisorToken, new { reason = "误发" })).Status);
        var again = await SendAsync(HttpMethod.Post, $"/api/assessment/cards/{red}/revoke", app.SupervisorToken, new { reason = "误发" });
        Assert.Equal(HttpStatusCode.Conflict, again.Status);
        var (_, listed, _) = await SendAsync(HttpMethod.Get, "/api/assessment/cards?period=2024-02", app.SupervisorToken);
        Assert.Equal("误发", listed!.AsArray().Single(c => c!["id"]!.GetValue<long>() == red)!["revokeReason"]!.GetValue<string>());
        // Its 约谈 entry is closed with the reason, not deleted: on the list under 已关闭, and on the page.
        var (_, closed, _) = await SendAsync(HttpMethod.Get, $"/api/assessment/interviews?status=closed&unit={Unit("K")}", app.SupervisorToken);
        var entry = closed!.AsArray().Single(i => i!["cardId"]?.GetValue<long>() == red)!;
        Assert.Equal(("已关闭", "红牌已撤销：误发"), (entry["statusName"]!.GetValue<string>(), entry["notes"]!.GetValue<string>()));
        var office = await PageSession.SignInAsync(app, "C-DC", Role.Supervisor);
        var page = await office.GetStringAsync("/Assessment/Interviews?status=closed");
        Assert.Contains("红牌已撤销：误发", page, StringComparison.Ordinal);
        Assert.Contains(">已关闭</span>", page, StringComparison.Ordinal);
        // The township sees no card of the county.
        var (_, township, _) = await SendAsync(HttpMethod.Get, "/api/assessment/cards?period=2024-02", app.TownshipToken);
        Assert.DoesNotContain(township!.AsArray(), c => c!["unit"]!["code"]!.GetValue<string>() == "K");
    }

    [Fact]
    public async Task Interview_AddRecordExport_AndRecordingTwiceIsAConflict()
    {
        using var matter = await app.Client(app.SupervisorToken).PostAsJsonAsync("/api/matters", TestMatters.Assignment("C-ZJ"));
        var matterId = JsonNode.Parse(await matter.Content.ReadAsStringAsync())!["id"]!.GetValue<long>();
        var (added, entry, _) = await SendAsync(HttpMethod.Post, "/api/assessment/interviews", app.SupervisorToken, new { unitId = Unit("C-ZJ"), reason = "不满意评价集中" });
        Assert.Equal(HttpStatusCode.Created, added);
        var id = entry!["id"]!.GetValue<long>();

        var record = new { personName = "王五", personPost = "局长", heldOn = "2024-02-08", matterIds = new[] { matterId }, notes = "要求逐件回访整改。" };
        var (recorded, closed, _) = await SendAsync(HttpMethod.Post, $"/api/assessment/interviews/{id}/record", app.SupervisorToken, record);
        Assert.Equal(HttpStatusCode.OK, recorded);
        Assert.Equal(("closed", "王五"), (closed!["status"]!.GetValue<string>(), closed["personName"]!.GetValue<string>()));
        var twice = await SendAsync(HttpMethod.Post, $"/api/assessment/interviews/{id}/record", app.SupervisorToken, record);
        Assert.Equal(HttpStatusCode.Conflict, twice.Status);
        Assert.Contains("不能重复登记", twice.Body!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(HttpMethod.Get, "/api/assessment/interviews?status=maybe", app.SupervisorToken)).Status);

        var (export, _, type) = await SendAsync(HttpMethod.Get, "/api/assessment/interviews?status=closed&format=xlsx", app.SupervisorToken);
        Assert.Equal((HttpStatusCode.OK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (export, type));
        var (_, own, _) = await SendAsync(HttpMethod.Get, "/api/assessment/interviews", app.DepartmentToken);
        Assert.All(own!.AsArray(), i => Assert.Equal("C-ZJ", i!["unit"]!["code"]!.GetValue<string>()));
    }
}

public sealed class CardsApiTests_Sqlite(SqliteApp app) : CardsApiTests(app), IClassFixture<SqliteApp>;

public sealed class CardsApiTests_Postgres(PostgresApp app) : CardsApiTests(app), IClassFixture<PostgresApp>;
