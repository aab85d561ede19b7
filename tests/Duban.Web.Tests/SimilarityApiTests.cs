using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Duban.Tests;

/// <summary>Similar matters, batches and hot issues over real HTTP.</summary>
public abstract class SimilarityApiTests(DubanApp app)
{
    private const string Flooding = "暴雨后人民路与建设路交叉口积水严重，车辆熄火，行人无法通行，请尽快疏通排水管网。";

    private async Task<long> AssignAsync(string title, string content, string lead = "K-T")
    {
        using var response = await app.Client(app.SupervisorToken).PostAsJsonAsync("/api/matters", TestMatters.Assignment(lead) with { Title = title, Content = content });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!.GetValue<long>();
    }

    private async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(string token, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await app.Client(token).SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    [Fact]
    public async Task Similar_ListsLikeMattersWithScores_OnlyThoseTheCallerMaySee()
    {
        var typical = await AssignAsync("人民路积水点整治", Flooding);
        var sameTown = await AssignAsync("人民路口积水", "暴雨后人民路与建设路交叉口积水严重，行人无法通行，请疏通排水管网！");
        var otherUnit = await AssignAsync("建设路积水问题", "暴雨后人民路与建设路交叉口积水严重，车辆熄火，请尽快疏通排水管网。", lead: "C-ZJ");
        var unrelated = await AssignAsync("学校门口摊贩占道", "放学时段校门口流动摊贩占道经营，影响学生安全。");

        var (status, list) = await SendAsync(app.SupervisorToken, HttpMethod.Get, $"/api/matters/{typical}/similar?top=10");
        Assert.Equal(HttpStatusCode.OK, status);
        var ids = list!.AsArray().Select(m => m!["id"]!.GetValue<long>()).ToList();
        Assert.DoesNotContain(typical, ids);
        Assert.Contains(sameTown, ids);
        Assert.Contains(otherUnit, ids);
        Assert.True(ids.IndexOf(otherUnit) < (ids.Contains(unrelated) ? ids.IndexOf(unrelated) : int.MaxValue));
        var first = list.AsArray()[0]!;
        Assert.InRange(first["score"]!.GetValue<double>(), 0.3, 1.0);
        Assert.NotNull(first["code"]);
        Assert.NotNull(first["title"]);
        Assert.Equal("assigned", first["status"]!.GetValue<string>());
        Assert.NotNull(first["leadUnit"]!["code"]);

        // The township handler never sees the department's matter, not even in a similar list.
        var (_, townList) = await SendAsync(app.TownshipToken, HttpMethod.Get, $"/api/matters/{typical}/similar");
        var townIds = townList!.AsArray().Select(m => m!["id"]!.GetValue<long>()).ToList();
        Assert.Contains(sameTown, townIds);
        Assert.DoesNotContain(otherUnit, townIds);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(app.DepartmentToken, HttpMethod.Get, $"/api/matters/{typical}/similar")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(app.SupervisorToken, HttpMethod.Get, $"/api/matters/{typical}/similar?top=0")).Status);
    }

    [Fact]
    public async Task CompletingABatch_CompletesEachMemberThroughTheLifecycle_AndReportsTheRest()
    {
        const string Lights = "背街小巷多处路灯夜间不亮，老人和学生夜归不便，请排查修复。";
        var typical = await AssignAsync("幸福巷路灯不亮", "幸福巷" + Lights);
        var acknowledged = await AssignAsync("光明巷路灯不亮", "光明巷" + Lights);
        var notAcknowledged = await AssignAsync("和平巷路灯不亮", "和平巷" + Lights);
        foreach (var id in new[] { typical, acknowledged })
        {
            Assert.Equal(HttpStatusCode.OK, (await SendAsync(app.TownshipToken, HttpMethod.Post, $"/api/matters/{id}/acknowledge", new { })).Status);
        }

        var batchBody = new { typicalMatterId = typical, memberIds = new[] { acknowledged, notAcknowledged } };
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(app.TownshipToken, HttpMethod.Post, "/api/batches", batchBody)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(app.SupervisorToken, HttpMethod.Post, "/api/batches", new { typicalMatterId = typical, memberIds = new[] { 999_999L } })).Status);
        var (created, batch) = await SendAsync(app.SupervisorToken, HttpMethod.Post, "/api/batches", batchBody);
        Assert.Equal(HttpStatusCode.Created, created);
        var batchId = batch!["id"]!.GetValue<long>();
        Assert.Equal(3, batch["members"]!.AsArray().Count);
        Assert.True(batch["members"]![0]!["typical"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(app.DepartmentToken, HttpMethod.Get, $"/api/batches/{batchId}")).Status);

        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(app.TownshipToken, HttpMethod.Post, $"/api/batches/{batchId}/complete", new { answer = " " })).Status);
        var (status, result) = await SendAsync(app.TownshipToken, HttpMethod.Post, $"/api/batches/{batchId}/complete", new { answer = "已更换灯具，夜间复查全部点亮。" });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, result!["completed"]!.GetValue<int>());
        Assert.Equal(1, result["skipped"]!.GetValue<int>());
        var skipped = result["outcomes"]!.AsArray().Single(o => o!["outcome"]!.GetValue<string>() == "skipped")!;
        Assert.Equal(notAcknowledged, skipped["matterId"]!.GetValue<long>());

        // Each completed member has its own completion event and goes on to its own verification and rating.
        foreach (var id in new[] { typical, acknowledged })
        {
            var (_, matter) = await SendAsync(app.SupervisorToken, HttpMethod.Get, $"/api/matters/{id}");
            Assert.Equal("reported", matter!["status"]!.GetValue<string>());
            var complete = matter["events"]!.AsArray().Single(e => e!["action"]!.GetValue<string>() == "complete")!;
            Assert.Equal("已更换灯具，夜间复查全部点亮。", complete["note"]!.GetValue<string>());
            Assert.Contains("verify", matter["allowedActions"]!.AsArray().Select(a => a!.GetValue<string>()));
        }

        var (_, untouched) = await SendAsync(app.SupervisorToken, HttpMethod.Get, $"/api/matters/{notAcknowledged}");
        Assert.Equal("assigned", untouched!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task HotIssues_GroupLikeMattersInThePeriodAndRegion()
    {
        var ids = new List<long>();
        foreach (var place in new[] { "东", "西", "南" })
        {
            ids.Add(await AssignAsync($"丽发新城{place}侧搅拌站扰民", $"丽发新城小区{place}侧新建搅拌站，白天晚上噪音很大，扬尘污染严重，请相关部门尽快处理。"));
        }

        var (status, hot) = await SendAsync(app.SupervisorToken, HttpMethod.Get, "/api/hot-issues?from=2000-01-01&to=2100-01-01&region=K");
        Assert.Equal(HttpStatusCode.OK, status);
        var issue = hot!.AsArray().First(h => h!["matters"]!.AsArray().Any(m => m!["id"]!.GetValue<long>() == ids[0]))!;
        Assert.Equal(ids, issue["matters"]!.AsArray().Select(m => m!["id"]!.GetValue<long>()).Order());
        Assert.Equal(3, issue["count"]!.GetValue<int>());

        var (_, elsewhere) = await SendAsync(app.SupervisorToken, HttpMethod.Get, "/api/hot-issues?from=2000-01-01&to=2100-01-01&region=C-ZJ");
        Assert.DoesNotContain(elsewhere!.AsArray().SelectMany(h => h!["matters"]!.AsArray()), m => ids.Contains(m!["id"]!.GetValue<long>()));
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(app.SupervisorToken, HttpMethod.Get, "/api/hot-issues?from=someday&to=2100-01-01")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(app.SupervisorToken, HttpMethod.Get, "/api/hot-issues?from=2000-01-01&to=2100-01-01&region=NOPE")).Status);
    }

    [Fact]
    public async Task HotIssues_RankByTheAppealsPublicSupport()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        foreach (var (place, likes) in new[] { ("东", 5), ("西", 7), ("南", 1) })
        {
            var (status, _) = await SendAsync(app.SupervisorToken, HttpMethod.Post, "/api/appeals", new
            {
                title = $"锦绣{suffix}小区{place}门垃圾站异味",
                content = $"锦绣{suffix}小区{place}门垃圾站长期不清运，夏天异味很重，蚊蝇多，请环卫部门每天清运并消杀。",
                category = "环境保护",
                region = "K-T",
                contactName = "周先生",
                contactPhone = place switch { "东" => "13900000001", "西" => "13900000002", _ => "13900000003" },
                likes,
            });
            Assert.Equal(HttpStatusCode.Created, status);
        }

        var (_, hot) = await SendAsync(app.SupervisorToken, HttpMethod.Get, "/api/hot-issues?from=2000-01-01&to=2100-01-01");
        var issue = hot!.AsArray().Single(h => h!["typical"]!["title"]!.GetValue<string>().Contains($"锦绣{suffix}", StringComparison.Ordinal))!;
        Assert.Equal(3, issue["count"]!.GetValue<int>());
        Assert.Equal(13, issue["likes"]!.GetValue<int>());
    }
}

public sealed class SimilarityApiTests_Sqlite(SqliteApp app) : SimilarityApiTests(app), IClassFixture<SqliteApp>;

public sealed class SimilarityApiTests_Postgres(PostgresApp app) : SimilarityApiTests(app), IClassFixture<PostgresApp>;
