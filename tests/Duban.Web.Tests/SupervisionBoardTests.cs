using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Duban.Data;
using Duban.Escalation;
using Duban.Matters;
using Duban.Web.Pages;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Duban.Tests;

/// <summary>督查室's 超期与督办 list pages through everything that needs attention, a page at a time, and an action sent
/// from a page comes back to it, over HTTP and in the browser (whose script carries the page into the 催办 form). A
/// database of its own, so the rows on the board are only this test's.</summary>
public sealed partial class SupervisionBoardTests(SqliteApp app, Chromium chromium) : IClassFixture<SqliteApp>, IClassFixture<Chromium>
{
    [Fact]
    public async Task Attention_PagesThroughEveryMatter_AndAnUrgeSentFromAPage_ReturnsToIt()
    {
        var supervised = new List<long>();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var assign = scope.ServiceProvider.GetRequiredService<AssignMatter>();
            var supervision = scope.ServiceProvider.GetRequiredService<Supervision>();
            for (var i = 0; i < SupervisionModel.AttentionPageSize + 5; i++)
            {
                var id = await assign.ExecuteAsync(TestMatters.Assignment("K-T") with { Title = $"背街小巷路灯维修 {i}" }, app.Org.Supervisor);
                await supervision.UrgeOrSuperviseAsync(id, EscalationKind.Supervise, SupervisionLevel.General, "列为一般督办", app.Org.Supervisor);
                supervised.Add(id);
            }
        }

        var supervisor = await PageSession.SignInAsync(app, "C-DC", Role.Supervisor);
        var first = await supervisor.GetStringAsync("/supervision");
        var second = await supervisor.GetStringAsync("/supervision?p=2");

        Assert.Equal(SupervisionModel.AttentionPageSize, AttentionIds(first).Count);
        Assert.Contains("第 1 / 2 页", first, StringComparison.Ordinal);
        Assert.Contains("href=\"/supervision?p=2#attention\">下一页", first, StringComparison.Ordinal);
        Assert.DoesNotContain(">上一页<", first, StringComparison.Ordinal);
        Assert.Equal(5, AttentionIds(second).Count);
        Assert.Contains("href=\"/supervision#attention\">上一页", second, StringComparison.Ordinal);
        Assert.DoesNotContain(">下一页<", second, StringComparison.Ordinal);
        Assert.Equal(supervised.Order(), AttentionIds(first).Concat(AttentionIds(second)).Order());

        // 催办 from page 2 (the board's script adds p to the form's address): back on page 2 afterwards.
        var sent = await supervisor.PostAsync(string.Create(CultureInfo.InvariantCulture, $"/supervision?handler=Urge&id={AttentionIds(second)[0]}&p=2"),
            new() { ["kind"] = "urge", ["message"] = "再催一次" });
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        Assert.Equal("/supervision?p=2", sent.Headers.Location!.OriginalString);

        // In the browser: 下一页, then 催办 a row of page 2 through the board's one form.
        const string Password = "Duban-Test-2024!";
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<UserAccounts>().CreateAsync("board-pager", "督查员刘洋", "C-DC", [Role.Supervisor], Password);
        }

        var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.BaseAddress.ToString(), Locale = "zh-CN", TimezoneId = "Asia/Shanghai", ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        context.SetDefaultTimeout(10_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/login");
        await page.GetByLabel("用户名", new() { Exact = true }).FillAsync("board-pager");
        await page.GetByLabel("密码", new() { Exact = true }).FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录", Exact = true }).ClickAsync();
        await page.GotoAsync("/supervision");
        var pager = page.GetByRole(AriaRole.Navigation, new() { Name = "超期与督办事项分页" });
        await Expect(pager).ToContainTextAsync("第 1 / 2 页");
        await pager.GetByRole(AriaRole.Link, new() { Name = "下一页" }).ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/supervision\?p=2#attention$"));
        var rows = page.GetByRole(AriaRole.Table, new() { Name = "超期与督办事项" }).Locator("tbody tr");
        await Expect(rows).ToHaveCountAsync(5);
        await BrowserTests.ScreenshotsAsync(page, "supervision-page-2");
        await rows.First.GetByRole(AriaRole.Link, new() { Name = "催办 / 督办" }).ClickAsync();
        await rows.First.GetByLabel("意见").FillAsync("请本周内办结");
        await rows.First.GetByRole(AriaRole.Button, new() { Name = "催办", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/supervision\?p=2$"));
        await Expect(page.GetByText("已催办。")).ToBeVisibleAsync();
        await Expect(rows).ToHaveCountAsync(5);
        await context.CloseAsync();
    }

    /// <summary>The matters listed in the board's 超期与督办 section, in order, each once.</summary>
    private static List<long> AttentionIds(string html)
    {
        var start = html.IndexOf("id=\"attention\"", StringComparison.Ordinal);
        var end = html.IndexOf("id=\"extensions\"", StringComparison.Ordinal);
        return MatterLink().Matches(html[start..end]).Select(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).Distinct().ToList();
    }

    [GeneratedRegex("href=\"/matters/([0-9]+)\"")]
    private static partial Regex MatterLink();
}
