using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Duban.Tests;

/// <summary>The HTTP contract, through the real pipeline on a real socket; runs once per engine.</summary>
public abstract class ApiTests(DubanApp app)
{
    private async Task<JsonNode> AssignAsync(object? body = null)
    {
        using var response = await app.Client(app.SupervisorToken).PostAsJsonAsync("/api/matters", body ?? TestMatters.Assignment());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await ReadAsync(response))!;
    }

    private static async Task<JsonNode?> ReadAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync());

    private async Task<(HttpStatusCode Status, JsonNode? Body, string? ContentType)> PostAsync(string token, string path, object? body = null)
    {
        using var response = await app.Client(token).PostAsJsonAsync(path, body ?? new { });
        return (response.StatusCode, await ReadAsync(response), response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task PostMatter_Returns201_WithCodeStatusAndMilestonesInShanghaiTime()
    {
        app.Clock.SetUtcNow(DateTimeOffset.Parse("2024-02-08T10:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture));
        using var response = await app.Client(app.SupervisorToken).PostAsJsonAsync("/api/matters", TestMatters.Assignment("K-T", "C-ZJ"));
        var matter = (await ReadAsync(response))!;

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/api/matters/{matter["id"]}", response.Headers.Location?.ToString());
        Assert.Matches(@"^DB-2024-\d{6}$", matter["code"]!.GetValue<string>());
        Assert.Equal("assigned", matter["status"]!.GetValue<string>());
        var milestones = matter["milestones"]!.AsArray();
        Assert.Equal(["acknowledge", "feedback", "complete"], milestones.Select(m => m!["stage"]!.GetValue<string>()));
        Assert.Equal(["2024-02-10T00:00:00+08:00", "2024-02-20T00:00:00+08:00", "2024-02-24T00:00:00+08:00"],
            milestones.Select(m => m!["dueAt"]!.GetValue<string>()));
        Assert.All(milestones, m => Assert.Equal("pending", m!["status"]!.GetValue<string>()));
        Assert.Equal("C-ZJ", matter["coUnits"]![0]!["code"]!.GetValue<string>());
        Assert.Equal("assign", matter["events"]![0]!["action"]!.GetValue<string>());
    }

    [Fact]
    public async Task Lifecycle_ThroughTheApi_FromAssignToClose()
    {
        var id = (await AssignAsync())["id"]!.GetValue<long>();
        var steps = new (string Token, string Action, object Body, string Status)[]
        {
            (app.TownshipToken, "acknowledge", new { }, "acknowledged"),
            (app.TownshipToken, "feedback", new { note = "已排查 12 条巷道" }, "acknowledged"),
            (app.TownshipToken, "complete", new { result = "全部修复" }, "reported"),
            (app.SupervisorToken, "verify", new { accepted = true, note = "核查属实" }, "verified"),
            (app.SupervisorToken, "close", new { }, "closed"),
        };
        foreach (var (token, action, body, status) in steps)
        {
            var (code, matter, _) = await PostAsync(token, $"/api/matters/{id}/{action}", body);
            Assert.Equal(HttpStatusCode.OK, code);
            Assert.Equal(status, matter!["status"]!.GetValue<string>());
        }

        var final = await ReadAsync(await app.Client(app.SupervisorToken).GetAsync($"/api/matters/{id}"));
        Assert.Equal(["assign", "acknowledge", "feedback", "complete", "verify", "close"],
            final!["events"]!.AsArray().Select(e => e!["action"]!.GetValue<string>()));
        Assert.All(final["milestones"]!.AsArray(), m => Assert.Equal("metOnTime", m!["status"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Appeal_ClosesOnlyAfterRating_AndDissatisfiedReopens()
    {
        var id = (await AssignAsync(new { title = "噪音扰民", content = "夜间施工", kind = "appeal", leadUnit = "K-T" }))["id"]!.GetValue<long>();
        await PostAsync(app.TownshipToken, $"/api/matters/{id}/acknowledge");
        await PostAsync(app.TownshipToken, $"/api/matters/{id}/complete", new { result = "已约谈施工方" });
        await PostAsync(app.SupervisorToken, $"/api/matters/{id}/verify", new { accepted = true });

        var early = await PostAsync(app.SupervisorToken, $"/api/matters/{id}/close");
        Assert.Equal(HttpStatusCode.Conflict, early.Status);
        Assert.Equal("verified", early.Body!["matterStatus"]!.GetValue<string>());

        var unhappy = await PostAsync(app.SupervisorToken, $"/api/matters/{id}/rate", new { satisfaction = "dissatisfied", note = "仍有噪音" });
        Assert.Equal("acknowledged", unhappy.Body!["status"]!.GetValue<string>());
        Assert.Equal(1, unhappy.Body["reopenCount"]!.GetValue<int>());
        await PostAsync(app.TownshipToken, $"/api/matters/{id}/complete", new { result = "已加装隔音屏" });
        await PostAsync(app.SupervisorToken, $"/api/matters/{id}/verify", new { accepted = true });
        await PostAsync(app.SupervisorToken, $"/api/matters/{id}/rate", new { satisfaction = "basically" });
        var closed = await PostAsync(app.SupervisorToken, $"/api/matters/{id}/close");
        Assert.Equal("closed", closed.Body!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task InvalidTransition_Is409_SayingTheStatusAndWhatIsAllowed()
    {
        var id = (await AssignAsync())["id"]!.GetValue<long>();

        var (status, problem, type) = await PostAsync(app.TownshipToken, $"/api/matters/{id}/complete", new { result = "完成" });

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("application/problem+json", type);
        Assert.Equal("assigned", problem!["matterStatus"]!.GetValue<string>());
        // attach: files go through POST /api/matters/{id}/attachments.
        Assert.Equal(["acknowledge", "return", "attach"], problem["allowed"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Contains("待签收", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongUnit_CoUnitGets403_UnrelatedUnitGets404()
    {
        var id = (await AssignAsync(TestMatters.Assignment("K-T", "C-ZJ")))["id"]!.GetValue<long>();
        var other = (await AssignAsync(TestMatters.Assignment("K-T")))["id"]!.GetValue<long>();

        var coUnit = await PostAsync(app.DepartmentToken, $"/api/matters/{id}/acknowledge");
        var unrelated = await PostAsync(app.DepartmentToken, $"/api/matters/{other}/acknowledge");
        using var peek = await app.Client(app.DepartmentToken).GetAsync($"/api/matters/{other}");

        Assert.Equal(HttpStatusCode.Forbidden, coUnit.Status);
        Assert.Contains("牵头单位", coUnit.Body!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unrelated.Status);
        Assert.Equal(HttpStatusCode.NotFound, peek.StatusCode);
        var verifyByUnit = await PostAsync(app.TownshipToken, $"/api/matters/{id}/close");
        Assert.Equal(HttpStatusCode.Forbidden, verifyByUnit.Status);
    }

    [Fact]
    public async Task BadInput_Is400_WithFieldErrors_AndWritesNothing()
    {
        var before = await ReadAsync(await app.Client(app.AdminToken).GetAsync("/api/matters?pageSize=1"));

        var missing = await PostAsync(app.SupervisorToken, "/api/matters", new { title = "只有标题", kind = "assignment", leadUnit = "NOPE", dueAt = "1999-01-01" });
        var badKind = await PostAsync(app.SupervisorToken, "/api/matters", new { title = "t", content = "c", kind = "wizardry", leadUnit = "K-T" });
        var badProfile = await PostAsync(app.SupervisorToken, "/api/matters", new { title = "t", content = "c", kind = "appeal", leadUnit = "K-T", profile = "99" });

        Assert.Equal(HttpStatusCode.BadRequest, missing.Status);
        Assert.Equal(["content", "dueAt", "goal", "leadUnit", "standard"],
            missing.Body!["errors"]!.AsObject().Select(p => p.Key).Order());
        Assert.Contains("NOPE", missing.Body["errors"]!["leadUnit"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(["kind"], badKind.Body!["errors"]!.AsObject().Select(p => p.Key));
        Assert.Equal(["profile"], badProfile.Body!["errors"]!.AsObject().Select(p => p.Key));
        var after = await ReadAsync(await app.Client(app.AdminToken).GetAsync("/api/matters?pageSize=1"));
        Assert.Equal(before!["total"]!.GetValue<int>(), after!["total"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("{\"title\": ")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"title\": 42, \"complex\": \"yes\"}")]
    public async Task MalformedJson_Is400ProblemDetails(string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await app.Client(app.SupervisorToken).PostAsync("/api/matters", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(400, (await ReadAsync(response))!["status"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("/api/matters/999999999", HttpStatusCode.NotFound)]
    [InlineData("/api/matters?status=done", HttpStatusCode.BadRequest)]
    [InlineData("/api/matters?overdue=maybe", HttpStatusCode.BadRequest)]
    [InlineData("/api/matters?pageSize=100000", HttpStatusCode.BadRequest)]
    [InlineData("/api/matters?page=0", HttpStatusCode.BadRequest)]
    [InlineData("/api/matters?dueBefore=tomorrow", HttpStatusCode.BadRequest)]
    [InlineData("/api/calendar/2024-13-45", HttpStatusCode.BadRequest)]
    public async Task BadQueries_AreProblemDetails_Not500(string path, HttpStatusCode expected)
    {
        using var response = await app.Client(app.SupervisorToken).GetAsync(path);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task UnknownAction_Is404_AndPostOnUnknownMatterIs404()
    {
        var id = (await AssignAsync())["id"]!.GetValue<long>();

        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(app.TownshipToken, $"/api/matters/{id}/explode")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(app.TownshipToken, $"/api/matters/{id}/assign")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(app.TownshipToken, "/api/matters/987654321/acknowledge")).Status);
    }

    [Fact]
    public async Task StaleVersion_Is409_WithTheCurrentVersion()
    {
        var id = (await AssignAsync())["id"]!.GetValue<long>();
        await PostAsync(app.TownshipToken, $"/api/matters/{id}/acknowledge", new { version = 1 });

        var stale = await PostAsync(app.TownshipToken, $"/api/matters/{id}/feedback", new { note = "进展", version = 1 });
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/matters/{id}/feedback") { Content = JsonContent.Create(new { note = "进展" }) };
        request.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        using var ifMatch = await app.Client(app.TownshipToken).SendAsync(request);

        Assert.Equal(HttpStatusCode.Conflict, stale.Status);
        Assert.Equal(2, stale.Body!["currentVersion"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.Conflict, ifMatch.StatusCode);
        var current = await PostAsync(app.TownshipToken, $"/api/matters/{id}/feedback", new { note = "进展", version = 2 });
        Assert.Equal(HttpStatusCode.OK, current.Status);
    }

    [Fact]
    public async Task PreferReturnMinimal_AnswersNoContent_WithTheNewVersionAsETag_ForTheNextIfMatch()
    {
        var id = (await AssignAsync())["id"]!.GetValue<long>();
        async Task<HttpResponseMessage> Act(string action, object body, string? ifMatch)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"/api/matters/{id}/{action}") { Content = JsonContent.Create(body) };
            request.Headers.TryAddWithoutValidation("Prefer", "respond-async, RETURN=minimal");
            if (ifMatch is not null)
            {
                request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
            }

            return await app.Client(app.TownshipToken).SendAsync(request);
        }

        using var acknowledged = await Act("acknowledge", new { }, null);
        Assert.Equal(HttpStatusCode.NoContent, acknowledged.StatusCode);
        Assert.Equal("\"2\"", acknowledged.Headers.ETag?.Tag);
        Assert.Equal("return=minimal", Assert.Single(acknowledged.Headers.GetValues("Preference-Applied")));
        Assert.Empty(await acknowledged.Content.ReadAsByteArrayAsync());

        using var next = await Act("feedback", new { note = "已现场查看" }, acknowledged.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.NoContent, next.StatusCode);
        Assert.Equal("\"3\"", next.Headers.ETag?.Tag);
        using var stale = await Act("feedback", new { note = "过时" }, acknowledged.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);

        // Without the preference the answer is the matter, as before: both actions are in its history.
        var details = await PostAsync(app.TownshipToken, $"/api/matters/{id}/feedback", new { note = "进展", version = 3 });
        Assert.Equal(HttpStatusCode.OK, details.Status);
        Assert.Equal(4, details.Body!["version"]!.GetValue<int>());
        Assert.Equal(["assign", "acknowledge", "feedback", "feedback"], details.Body["events"]!.AsArray().Select(e => e!["action"]!.GetValue<string>()));
    }

    [Fact]
    public async Task RacingActions_OneWins_TheOtherIs409_NeverA500()
    {
        for (var round = 0; round < 5; round++)
        {
            var id = (await AssignAsync())["id"]!.GetValue<long>();
            var results = await Task.WhenAll(
                PostAsync(app.TownshipToken, $"/api/matters/{id}/acknowledge"),
                PostAsync(app.TownshipToken, $"/api/matters/{id}/return", new { reason = "不属本单位" }));

            Assert.Equal(1, results.Count(r => r.Status == HttpStatusCode.OK));
            Assert.Equal(1, results.Count(r => r.Status == HttpStatusCode.Conflict));
            var matter = await ReadAsync(await app.Client(app.SupervisorToken).GetAsync($"/api/matters/{id}"));
            Assert.Equal(2, matter!["events"]!.AsArray().Count);
        }
    }

    [Fact]
    public async Task OverdueList_FollowsTheClock()
    {
        app.Clock.SetUtcNow(DateTimeOffset.Parse("2024-03-04T09:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture));
        var id = (await AssignAsync())["id"]!.GetValue<long>();
        app.Clock.SetUtcNow(DateTimeOffset.Parse("2024-03-06T08:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture));

        var page = await ReadAsync(await app.Client(app.TownshipToken).GetAsync("/api/matters?overdue=true&pageSize=200"));

        var item = page!["items"]!.AsArray().Single(m => m!["id"]!.GetValue<long>() == id)!;
        Assert.True(item["overdue"]!.GetValue<bool>());
        Assert.Equal("overdue", item["milestones"]![0]!["status"]!.GetValue<string>());
        var mine = await ReadAsync(await app.Client(app.DepartmentToken).GetAsync("/api/matters?overdue=true&pageSize=200"));
        Assert.DoesNotContain(mine!["items"]!.AsArray(), m => m!["id"]!.GetValue<long>() == id);
    }

    [Fact]
    public async Task Authentication_MissingOrBadTokenIs401_UnitsNeedAdmin()
    {
        using var anonymous = await app.Client().GetAsync("/api/matters");
        using var forged = await app.Client("dbn_forged").GetAsync("/api/matters");
        var notAdmin = await PostAsync(app.SupervisorToken, "/api/units", new { code = "X", name = "新单位", parentCode = "C", level = "department" });
        var admin = await PostAsync(app.AdminToken, "/api/units", new { code = "C-JT", name = "测试市交通局", parentCode = "C", level = "department" });
        var badUnit = await PostAsync(app.AdminToken, "/api/units", new { code = "C-X", name = "挂错层级", parentCode = "K-T-V", level = "county" });
        var units = await ReadAsync(await app.Client(app.TownshipToken).GetAsync("/api/units"));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, notAdmin.Status);
        Assert.Equal(HttpStatusCode.Created, admin.Status);
        Assert.Equal(HttpStatusCode.BadRequest, badUnit.Status);
        Assert.Contains(units!.AsArray(), u => u!["code"]!.GetValue<string>() == "C-JT");
    }

    [Fact]
    public async Task OpenApiDocument_AndCalendar_AreServed()
    {
        var openApi = await ReadAsync(await app.Client().GetAsync("/openapi/v1.json"));
        var day = await ReadAsync(await app.Client(app.TownshipToken).GetAsync("/api/calendar/2024-02-18"));
        var future = await ReadAsync(await app.Client(app.TownshipToken).GetAsync("/api/calendar/2031-03-03"));

        Assert.NotNull(openApi!["paths"]!["/api/matters/{id}/{action}"]);
        Assert.True(day!["isWorkingDay"]!.GetValue<bool>());
        Assert.Equal("makeUpWorkday", day["kind"]!.GetValue<string>());
        Assert.False(future!["isCertain"]!.GetValue<bool>());
    }
}

public sealed class ApiTests_Sqlite(SqliteApp app) : ApiTests(app), IClassFixture<SqliteApp>;

public sealed class ApiTests_Postgres(PostgresApp app) : ApiTests(app), IClassFixture<PostgresApp>;

// Hostile and careless input (were HostileInputTests): Hostile/corpus.tsv, run by HostileCorpusTests on both engines.

public abstract class StoredTextTests(DubanApp app)
{
    [Theory]
    [InlineData("{\"note\": \"进展\\u0000说明\"}", "进展说明")]
    [InlineData("{\"note\": \"\\u0007响铃\\r\\n换行\\t制表\"}", "响铃\r\n换行\t制表")]
    public async Task ControlCharactersAndBrokenSurrogates_AreCleanedBeforeStorage(string json, string stored)
    {
        using var created = await app.Client(app.SupervisorToken).PostAsync("/api/matters", new StringContent(
            "{\"title\":\"标题\\u0000\",\"content\":\"c\",\"goal\":\"g\",\"standard\":\"s\",\"leadUnit\":\"K-T\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!.GetValue<long>();
        using (await app.Client(app.TownshipToken).PostAsync($"/api/matters/{id}/acknowledge", null))
        {
        }

        using var response = await app.Client(app.TownshipToken).PostAsync($"/api/matters/{id}/feedback", new StringContent(json, Encoding.UTF8, "application/json"));
        var matter = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("标题", matter["title"]!.GetValue<string>());
        Assert.Equal(stored, matter["events"]![2]!["note"]!.GetValue<string>());
    }

    [Fact]
    public async Task BrokenSurrogateInJson_Is400()
    {
        using var response = await app.Client(app.SupervisorToken).PostAsync("/api/matters", new StringContent(
            "{\"title\":\"半个代理\\ud800对\",\"content\":\"c\",\"goal\":\"g\",\"standard\":\"s\",\"leadUnit\":\"K-T\"}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}

public sealed class StoredTextTests_Sqlite(SqliteApp app) : StoredTextTests(app), IClassFixture<SqliteApp>;

public sealed class StoredTextTests_Postgres(PostgresApp app) : StoredTextTests(app), IClassFixture<PostgresApp>;
