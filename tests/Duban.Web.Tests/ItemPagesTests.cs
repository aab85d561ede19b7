using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Duban.Data;
using Duban.Matters;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Tests;

/// <summary>The work items' pages over HTTP: the ledger with colour words and counts, the new-item form (errors beside
/// the fields, one item for a form sent twice, refused to units), the item page (why its colour, 填报进度 changing it,
/// refusals in Chinese) and the xlsx download.</summary>
public abstract class ItemPagesTests(DubanApp app)
{
    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

    private async Task<long> CreateAsync(string title, string register = "key-work")
    {
        using var response = await app.Client(app.SupervisorToken).PostAsJsonAsync("/api/items", new
        {
            title,
            register,
            leadUnit = "K-T",
            coUnits = new[] { "C-ZJ" },
            plan = new[] { new { name = "方案印发", dueAt = "2025-03-31" }, new { name = "总结验收", dueAt = "2025-12-31" } },
            cycle = new { kind = "monthly", day = 25 },
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["item"]!["id"]!.GetValue<long>();
    }

    /// <summary>The sweep's part that moves colours with time (the stored colour lists and pages show).</summary>
    private async Task SweepColoursAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        await ItemColours.RefreshAsync(scope.ServiceProvider.GetRequiredService<DubanDbContext>(), scope.ServiceProvider.GetRequiredService<Rules>(),
            app.Clock.GetUtcNow());
    }

    [Fact]
    public async Task Ledger_ShowsColourWordsCountsAndFilters_AndDownloadsTheWorkbook()
    {
        app.Clock.SetUtcNow(At("2025-01-02T10:00:00+08:00"));
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var id = await CreateAsync($"优化营商环境{suffix}");
        await CreateAsync($"国企改革{suffix}", "reform");
        var office = await PageSession.SignInAsync(app, "C-DC", Role.Supervisor);

        var page = await office.GetStringAsync("/Items?register=key-work");
        Assert.Contains($"优化营商环境{suffix}", page, StringComparison.Ordinal);
        Assert.DoesNotContain($"国企改革{suffix}", page, StringComparison.Ordinal);
        Assert.Contains($"href=\"/Items/{id}\"", page, StringComparison.Ordinal);
        Assert.Contains("dot-green\" aria-hidden=\"true\"></span>绿", page, StringComparison.Ordinal); // never colour alone
        Assert.Contains("aria-current=\"page\">重点工作", page, StringComparison.Ordinal);
        Assert.Contains("工作事项</a>", page, StringComparison.Ordinal); // the menu entry
        Assert.DoesNotContain($"优化营商环境{suffix}", await office.GetStringAsync("/Items?register=key-work&colour=red"), StringComparison.Ordinal);
        Assert.Contains($"优化营商环境{suffix}", await office.GetStringAsync($"/Items?register=key-work&q={suffix}&unit=K-T&status=open"), StringComparison.Ordinal);

        using var xlsx = await office.Client.GetAsync(new Uri("/Items?handler=Ledger&register=key-work", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Content.Headers.ContentType?.MediaType);
        Assert.Contains("重点工作台账", xlsx.Content.Headers.ContentDisposition?.FileNameStar ?? "", StringComparison.Ordinal);

        using var api = await app.Client(app.SupervisorToken).GetAsync("/api/items/ledger?register=reform");
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        using var badApi = await app.Client(app.SupervisorToken).GetAsync("/api/items/ledger?register=budget");
        Assert.Equal(HttpStatusCode.BadRequest, badApi.StatusCode);
    }

    [Fact]
    public async Task NewItem_ShowsErrorsBesideTheFields_CreatesOnceWhenSentTwice_AndIsRefusedToUnits()
    {
        app.Clock.SetUtcNow(At("2025-01-02T10:00:00+08:00"));
        var office = await PageSession.SignInAsync(app, "C-DC", Role.Supervisor);
        var form = await office.GetStringAsync("/Items/New?register=project");
        Assert.Contains("Form.Nodes[5].Name", form, StringComparison.Ordinal); // six rows without script
        var key = System.Text.RegularExpressions.Regex.Match(form, "name=\"submissionKey\" value=\"([0-9a-f]{32})\"").Groups[1].Value;
        Assert.Equal(32, key.Length);

        using var refused = await office.PostAsync("/Items/New", new()
        {
            ["Form.Title"] = "城北污水处理厂扩建",
            ["Form.Register"] = "project",
            ["Form.LeadUnit"] = "K-T",
            ["Form.Nodes[0].Name"] = "立项", ["Form.Nodes[0].DueAt"] = "2025-03-31",
            ["Form.Nodes[1].Name"] = "", ["Form.Nodes[1].DueAt"] = "", // a blank row, as the browser sends it
            ["Form.Nodes[2].Name"] = "前期", ["Form.Nodes[2].DueAt"] = "2024-12-01",
            ["Form.Cycle"] = "monthly", ["Form.Day"] = "25",
            ["submissionKey"] = key,
        });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var html = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        Assert.Contains("节点日期不能早于计划开始日", html, StringComparison.Ordinal);
        // The message sits in the third row, where the date was typed.
        var third = html[html.IndexOf("id=\"node-date-2\"", StringComparison.Ordinal)..];
        Assert.True(third.IndexOf("节点日期不能早于", StringComparison.Ordinal) < third.IndexOf("node-name-3", StringComparison.Ordinal));

        var fields = new Dictionary<string, string>
        {
            ["Form.Title"] = $"城北污水处理厂扩建{key[..6]}",
            ["Form.Register"] = "project",
            ["Form.LeadUnit"] = "K-T",
            ["Form.Nodes[0].Name"] = "立项", ["Form.Nodes[0].DueAt"] = "2025-03-31",
            ["Form.Nodes[1].Name"] = "开工", ["Form.Nodes[1].DueAt"] = "2025-06-30",
            ["Form.Cycle"] = "weekly", ["Form.Weekday"] = "5",
            ["Form.People[0].Role"] = "responsible", ["Form.People[0].User"] = "other", ["Form.People[0].Name"] = "李局长",
            ["submissionKey"] = key,
        };
        var twice = await Task.WhenAll(office.PostAsync("/Items/New", fields), office.PostAsync("/Items/New", fields));
        Assert.All(twice, r => Assert.Equal(HttpStatusCode.Redirect, r.StatusCode));
        Assert.Equal(twice[0].Headers.Location, twice[1].Headers.Location);
        var items = JsonNode.Parse(await app.Client(app.SupervisorToken).GetStringAsync("/api/items?register=project"))!.AsArray();
        Assert.Single(items, i => i!["title"]!.GetValue<string>() == $"城北污水处理厂扩建{key[..6]}");

        var town = await PageSession.SignInAsync(app, "K-T", Role.Handler);
        using var forbidden = await town.Client.GetAsync(new Uri("/Items/New", UriKind.Relative));
        Assert.NotEqual(HttpStatusCode.OK, forbidden.StatusCode);
    }

    [Fact]
    public async Task ItemPage_SaysWhyItsColour_AndAReportChangesIt_RefusalsInChinese()
    {
        app.Clock.SetUtcNow(At("2025-01-02T10:00:00+08:00"));
        var id = await CreateAsync($"老旧小区改造{Guid.NewGuid():N}"[..12]);
        using (var ack = await app.Client(app.TownshipToken).PostAsJsonAsync($"/api/matters/{id}/acknowledge", new { }))
        {
            Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        }

        app.Clock.SetUtcNow(At("2025-02-20T10:00:00+08:00")); // 49 of 363 days: 序时进度 13%, and the 1-25 report is late
        await SweepColoursAsync();
        var town = await PageSession.SignInAsync(app, "K-T", Role.Handler);
        var page = WebUtility.HtmlDecode(await town.GetStringAsync($"/Items/{id}"));
        Assert.Contains("黄色", page, StringComparison.Ordinal);
        Assert.Contains("第1期进度填报已超期 26 天未填报；进度 0%，序时进度 13%。", page, StringComparison.Ordinal);
        Assert.Contains("填报进度", page, StringComparison.Ordinal);

        using var bad = await town.PostAsync($"/Items/{id}?handler=Progress", new() { ["percent"] = "140", ["done"] = "" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var refusedPage = WebUtility.HtmlDecode(await bad.Content.ReadAsStringAsync());
        Assert.Contains("完成进度必须是 0 到 100 之间的整数", refusedPage, StringComparison.Ordinal);
        Assert.Contains("请填写本期完成情况", refusedPage, StringComparison.Ordinal);

        using var ok = await town.PostAsync($"/Items/{id}?handler=Progress", new() { ["percent"] = "20", ["done"] = "完成入户调查", ["problems"] = "部分居民不同意" });
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        page = WebUtility.HtmlDecode(await town.GetStringAsync($"/Items/{id}"));
        Assert.Contains("绿色", page, StringComparison.Ordinal);
        Assert.Contains("进度 20%，序时进度 13%，按计划推进。", page, StringComparison.Ordinal);
        Assert.Contains("部分居民不同意", page, StringComparison.Ordinal);

        // The co-unit reports its share separately; the office may not report at all.
        var co = await PageSession.SignInAsync(app, "C-ZJ", Role.Handler);
        Assert.Contains("填报本单位进展", await co.GetStringAsync($"/Items/{id}"), StringComparison.Ordinal);
        using var share = await co.PostAsync($"/Items/{id}?handler=Progress", new() { ["percent"] = "60", ["done"] = "完成管网设计" });
        Assert.Equal(HttpStatusCode.Redirect, share.StatusCode);
        page = WebUtility.HtmlDecode(await town.GetStringAsync($"/Items/{id}"));
        Assert.Contains("配合单位进展", page, StringComparison.Ordinal);
        Assert.Contains("进度 20%", page, StringComparison.Ordinal);

        var office = await PageSession.SignInAsync(app, "C-DC", Role.Supervisor);
        var officePage = await office.GetStringAsync($"/Items/{id}");
        Assert.DoesNotContain("handler=Progress", officePage, StringComparison.Ordinal);
        Assert.Contains($"href=\"/matters/{id}\"", officePage, StringComparison.Ordinal);
        using var forbidden = await office.PostAsync($"/Items/{id}?handler=Progress", new() { ["percent"] = "30", ["done"] = "代报" });
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Contains("只有牵头单位和配合单位可以填报进度", WebUtility.HtmlDecode(await forbidden.Content.ReadAsStringAsync()), StringComparison.Ordinal);

        using var missing = await office.Client.GetAsync(new Uri("/Items/999999999", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}

public sealed class ItemPagesTests_Sqlite(SqliteApp app) : ItemPagesTests(app), IClassFixture<SqliteApp>;

public sealed class ItemPagesTests_Postgres(PostgresApp app) : ItemPagesTests(app), IClassFixture<PostgresApp>;
