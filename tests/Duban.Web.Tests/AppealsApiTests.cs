using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Duban.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Tests;

/// <summary>The appeal channels, idempotency, repeats, masking and routing through real HTTP; once per engine.</summary>
public abstract class AppealsApiTests(DubanApp app)
{
    private static object Appeal(string phone, string title = "小区门口路灯不亮", string? channel = null, string category = "城乡建设") => new
    {
        title,
        content = "幸福路 12 号小区门口的路灯已经坏了两周，晚上出行很不安全，请尽快修复。",
        category,
        region = "K-T",
        contactName = "张三",
        contactPhone = phone,
        channel,
    };

    private async Task<(HttpStatusCode Status, JsonNode Body)> PostAsync(object body, string? key = null, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/appeals") { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        using var response = await app.Client(token ?? app.SupervisorToken).SendAsync(request);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    private async Task<(HttpStatusCode Status, string Text)> GetAsync(string path, string? token = null)
    {
        using var response = await app.Client(token).GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string Phone(int n) => $"1390000{n:D4}";

    [Theory]
    [InlineData("web", "web")]
    [InlineData("hotline", "hotline")]
    [InlineData("offline", "offline")]
    [InlineData("visit", "visit")]
    [InlineData("import", "import")]
    [InlineData(null, "web")]
    public async Task EveryChannel_Registers201_WithATrackingCodeThePublicCanRead(string? channel, string stored)
    {
        var phone = Phone(100 + (channel?.Length ?? 0) + (stored == "web" && channel is null ? 50 : 0));
        var (status, body) = await PostAsync(Appeal(phone, $"渠道测试 {channel}", channel));

        Assert.Equal(HttpStatusCode.Created, status);
        var code = body["trackingCode"]!.GetValue<string>();
        Assert.Matches("^[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$", code);
        var (lookup, text) = await GetAsync($"/api/appeals/{code.Replace("-", "", StringComparison.Ordinal).ToLowerInvariant()}");
        Assert.Equal(HttpStatusCode.OK, lookup);
        var view = JsonNode.Parse(text)!;
        Assert.Equal(stored, view["channel"]!.GetValue<string>());
        Assert.Equal("assigned", view["status"]!.GetValue<string>());
        Assert.DoesNotContain(phone, text, StringComparison.Ordinal);
        Assert.DoesNotContain(phone[^4..], text, StringComparison.Ordinal);
        Assert.DoesNotContain("张三", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SameIdempotencyKey_SameBody_ReturnsTheSameAppeal_DifferentBodyIs409()
    {
        var first = await PostAsync(Appeal(Phone(201)), "hotline-call-201");
        var again = await PostAsync(Appeal(Phone(201)), "hotline-call-201");
        var other = await PostAsync(Appeal(Phone(201), "另一件事"), "hotline-call-201");

        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal(first.Body["trackingCode"]!.GetValue<string>(), again.Body["trackingCode"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Conflict, other.Status);
        Assert.Equal(1, await CountAsync(Phone(201)));
    }

    [Fact]
    public async Task TwoConcurrentRequestsWithOneKey_MakeOneAppeal()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => PostAsync(Appeal(Phone(202)), "race-202")));

        Assert.All(results, r => Assert.Contains(r.Status, new[] { HttpStatusCode.Created, HttpStatusCode.OK }));
        Assert.Single(results, r => r.Status == HttpStatusCode.Created);
        Assert.Single(results.Select(r => r.Body["trackingCode"]!.GetValue<string>()).Distinct());
        Assert.Equal(1, await CountAsync(Phone(202)));
    }

    [Theory]
    [InlineData("content", "{\"title\":\"t\",\"content\":\"   \\n\\t \",\"category\":\"城乡建设\",\"contactName\":\"a\",\"contactPhone\":\"13900000001\"}")]
    [InlineData("contactPhone", "{\"title\":\"t\",\"content\":\"c\",\"category\":\"城乡建设\",\"contactName\":\"a\",\"contactPhone\":\"12345abc\"}")]
    [InlineData("contactPhone", "{\"title\":\"t\",\"content\":\"c\",\"category\":\"城乡建设\",\"contactName\":\"a\",\"contactPhone\":\"1390000000\"}")]
    [InlineData("category", "{\"title\":\"t\",\"content\":\"c\",\"category\":\"外星人\",\"contactName\":\"a\",\"contactPhone\":\"13900000001\"}")]
    [InlineData("channel", "{\"title\":\"t\",\"content\":\"c\",\"category\":\"城乡建设\",\"contactName\":\"a\",\"contactPhone\":\"13900000001\",\"channel\":\"meeting\"}")]
    [InlineData("region", "{\"title\":\"t\",\"content\":\"c\",\"category\":\"城乡建设\",\"contactName\":\"a\",\"contactPhone\":\"13900000001\",\"region\":\"nowhere\"}")]
    public async Task BadInput_Is400_NamingTheField(string field, string json)
    {
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        using var response = await app.Client(app.SupervisorToken).PostAsync("/api/appeals", content);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(body["errors"]![field]);
    }

    [Fact]
    public async Task OneMegabyteTitle_Is400OnTitle_AndThreeMegabytesIs413()
    {
        var (status, body) = await PostAsync(new { title = new string('x', 1024 * 1024), content = "c", category = "城乡建设", contactName = "a", contactPhone = Phone(203) });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(body["errors"]!["title"]);

        // Expect: 100-continue: the server refuses on the length before the body is sent. Sent at once, the body raced
        // the server's early 413 and its closing of the connection, and the client sometimes saw only a broken pipe.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/appeals")
        {
            Content = new StringContent($"{{\"title\":\"{new string('x', 3 * 1024 * 1024)}\"}}", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.ExpectContinue = true;
        using var response = await app.Client(app.SupervisorToken).SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task ScriptInFields_IsStoredAsText()
    {
        var (status, body) = await PostAsync(Appeal(Phone(204), "<script>alert(1)</script>路灯"));
        var (_, text) = await GetAsync($"/api/appeals/{body["trackingCode"]}");

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("<script>alert(1)</script>路灯", JsonNode.Parse(text)!["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task SamePhoneSameProblem_IsLinkedAsRepeat_OtherPhoneOrOtherProblemIsNot()
    {
        var first = await PostAsync(Appeal(Phone(205), "幸福路路灯坏了"));
        app.Clock.Advance(TimeSpan.FromDays(3));
        var repeat = await PostAsync(Appeal(Phone(205), "幸福路路灯还是坏的"));
        var otherPhone = await PostAsync(Appeal(Phone(206), "幸福路路灯坏了"));
        var otherProblem = await PostAsync(new
        {
            title = "孩子入学报名咨询", content = "请问今年秋季小学入学报名需要准备哪些材料，户口不在本区能否报名？", category = "教育文体",
            contactName = "张三", contactPhone = Phone(205),
        });

        Assert.Equal(first.Body["trackingCode"]!.GetValue<string>(), repeat.Body["repeatOf"]!.GetValue<string>());
        Assert.Null(otherPhone.Body["repeatOf"]);
        Assert.Null(otherProblem.Body["repeatOf"]);
        var (_, details) = await GetAsync($"/api/appeals/{repeat.Body["trackingCode"]}/details", app.SupervisorToken);
        Assert.Equal(first.Body["matterCode"]!.GetValue<string>(), JsonNode.Parse(details)!["repeatOf"]!["matterCode"]!.GetValue<string>());
    }

    [Fact]
    public async Task ContactData_IsMaskedForOthers_FullForTheHandlingUnit_AndEveryFullViewIsAudited()
    {
        using (var rule = await app.Client(app.AdminToken).PostAsJsonAsync("/api/routing-rules",
                   new { name = "隐私测试规则", keywords = "隐私测试专用", leadUnit = "K-T", priority = 10 }))
        {
            Assert.Equal(HttpStatusCode.Created, rule.StatusCode);
        }

        var (_, created) = await PostAsync(Appeal(Phone(207), "隐私测试专用：路灯"));
        var code = created["trackingCode"]!.GetValue<string>();
        Assert.Equal("测试镇", created["leadUnit"]!.GetValue<string>());

        var (_, masked) = await GetAsync($"/api/appeals/{code}/details", app.TownshipToken);
        Assert.Equal("139****0207", JsonNode.Parse(masked)!["contactPhone"]!.GetValue<string>());
        Assert.Equal("张*", JsonNode.Parse(masked)!["contactName"]!.GetValue<string>());
        var (denied, _) = await GetAsync($"/api/appeals/{code}/contact", app.DepartmentToken);
        Assert.Equal(HttpStatusCode.NotFound, denied); // the department does not even see the appeal
        var (full, contact) = await GetAsync($"/api/appeals/{code}/contact", app.TownshipToken);
        Assert.Equal(HttpStatusCode.OK, full);
        Assert.Equal(Phone(207), JsonNode.Parse(contact)!["contactPhone"]!.GetValue<string>());
        var (supervisor, _) = await GetAsync($"/api/appeals/{code}/contact", app.SupervisorToken);
        Assert.Equal(HttpStatusCode.OK, supervisor);

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DubanDbContext>();
        var views = await db.PersonalDataViews.Where(v => v.Appeal!.ContactPhone == Phone(207)).OrderBy(v => v.Id).ToListAsync();
        Assert.Equal(["token:2", "token:1"], views.Select(v => v.ActorId));
    }

    [Fact]
    public async Task RoutingRules_AdminOnly_ValidatedAndTried()
    {
        using var forbidden = await app.Client(app.SupervisorToken).GetAsync("/api/routing-rules");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);

        using var bad = await app.Client(app.AdminToken).PostAsJsonAsync("/api/routing-rules", new { name = "", category = "外星人", leadUnit = "nowhere" });
        var errors = JsonNode.Parse(await bad.Content.ReadAsStringAsync())!["errors"]!;
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.NotNull(errors["name"]);
        Assert.NotNull(errors["category"]);
        Assert.NotNull(errors["leadUnit"]);

        using var created = await app.Client(app.AdminToken).PostAsJsonAsync("/api/routing-rules",
            new { name = "县里的环保件", category = "环境保护", region = "K", leadUnit = "C-ZJ" });
        var rule = JsonNode.Parse(await created.Content.ReadAsStringAsync())!;
        Assert.Equal("department", rule["level"]!.GetValue<string>());

        using var trial = await app.Client(app.AdminToken).PostAsJsonAsync("/api/routing-rules/trial",
            new { title = "噪音", content = "工地夜间施工", category = "环境保护", region = "K-T-V" });
        Assert.Equal(rule["id"]!.GetValue<long>(), JsonNode.Parse(await trial.Content.ReadAsStringAsync())!["rule"]!["id"]!.GetValue<long>());

        using var off = await app.Client(app.AdminToken).PutAsJsonAsync($"/api/routing-rules/{rule["id"]}", new { active = false });
        Assert.False(JsonNode.Parse(await off.Content.ReadAsStringAsync())!["active"]!.GetValue<bool>());
        using var gone = await app.Client(app.AdminToken).DeleteAsync($"/api/routing-rules/{rule["id"]}");
        Assert.Equal(HttpStatusCode.NoContent, gone.StatusCode);
    }

    [Fact]
    public async Task Citizen_RatesOnceAfterCompletion_ThroughTheLifecycle()
    {
        var (_, created) = await PostAsync(Appeal(Phone(208), "评价测试"));
        var code = created["trackingCode"]!.GetValue<string>();
        var id = created["matterId"]!.GetValue<long>();
        using (var early = await app.Client().PostAsJsonAsync($"/api/appeals/{code}/rate", new { satisfaction = "satisfied" }))
        {
            Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        }

        // Without a rule the supervision office that received it also handles it (首接首办).
        foreach (var (action, body) in new (string, object)[] { ("acknowledge", new { }), ("complete", new { result = "已修复路灯。" }), ("verify", new { accepted = true }) })
        {
            using var step = await app.Client(app.SupervisorToken).PostAsJsonAsync($"/api/matters/{id}/{action}", body);
            Assert.Equal(HttpStatusCode.OK, step.StatusCode);
        }

        using var rated = await app.Client().PostAsJsonAsync($"/api/appeals/{code}/rate", new { satisfaction = "satisfied", note = "很快" });
        var view = JsonNode.Parse(await rated.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.OK, rated.StatusCode);
        Assert.Equal("rated", view["status"]!.GetValue<string>());
        Assert.Equal("已修复路灯。", view["publicReply"]!.GetValue<string>());
        using var twice = await app.Client().PostAsJsonAsync($"/api/appeals/{code}/rate", new { satisfaction = "dissatisfied" });
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
    }

    [Fact]
    public async Task LeadUnit_EscalatesToTheLevelAbove_WithAReason_AsOneTransferEvent()
    {
        using (var rule = await app.Client(app.AdminToken).PostAsJsonAsync("/api/routing-rules",
                   new { name = "上报测试规则", keywords = "上报测试专用", leadUnit = "K-T", priority = 10 }))
        {
            Assert.Equal(HttpStatusCode.Created, rule.StatusCode);
        }

        var (_, created) = await PostAsync(Appeal(Phone(209), "上报测试专用：跨镇污水"));
        var code = created["trackingCode"]!.GetValue<string>();
        using (var noReason = await app.Client(app.TownshipToken).PostAsJsonAsync($"/api/appeals/{code}/escalate", new { reason = " " }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        }

        using (var stranger = await app.Client(app.DepartmentToken).PostAsJsonAsync($"/api/appeals/{code}/escalate", new { reason = "x" }))
        {
            Assert.Equal(HttpStatusCode.NotFound, stranger.StatusCode);
        }

        using var escalated = await app.Client(app.TownshipToken).PostAsJsonAsync($"/api/appeals/{code}/escalate", new { reason = "涉及两个镇，超出本镇权限。" });
        Assert.Equal(HttpStatusCode.OK, escalated.StatusCode);
        Assert.Equal("测试县", JsonNode.Parse(await escalated.Content.ReadAsStringAsync())!["handlingUnit"]!.GetValue<string>());

        using var matter = await app.Client(app.SupervisorToken).GetAsync($"/api/matters/{created["matterId"]}");
        var events = JsonNode.Parse(await matter.Content.ReadAsStringAsync())!["events"]!.AsArray();
        var hop = events[^1]!;
        Assert.Equal("transfer", hop["action"]!.GetValue<string>());
        Assert.True(hop["data"]!["escalated"]!.GetValue<bool>());
        Assert.Equal("涉及两个镇，超出本镇权限。", hop["note"]!.GetValue<string>());
    }

    [Fact]
    public async Task UnknownOrMalformedCode_Is404()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("/api/appeals/2222-2222-2222")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("/api/appeals/' OR 1=1 --")).Status);
    }

    private async Task<int> CountAsync(string phone)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DubanDbContext>().Appeals.CountAsync(a => a.ContactPhone == phone);
    }
}

public sealed class AppealsApiTests_Sqlite(SqliteApp app) : AppealsApiTests(app), IClassFixture<SqliteApp>;

public sealed class AppealsApiTests_Postgres(PostgresApp app) : AppealsApiTests(app), IClassFixture<PostgresApp>;
