using System.Text.RegularExpressions;
using Duban.Data;
using Duban.Matters;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Duban.Tests.Assessment;

/// <summary>比拼 in Debian's Chromium: the office makes a competition on the desktop, a township enters on a 390 px
/// phone, the office shortlists it and the leaderboards show it.</summary>
public sealed partial class CompetitionPagesTests
{
    private async Task<IPage> SignedInAsync(string unit, Role role, string displayName, int width)
    {
        var name = $"{role.ToString().ToLowerInvariant()}{Guid.NewGuid():N}"[..16];
        await using (var scope = App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<UserAccounts>().CreateAsync(name, displayName, unit, [role], PageSession.Password);
        }

        var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = App.BaseAddress.ToString(), Locale = "zh-CN", TimezoneId = "Asia/Shanghai",
            ViewportSize = new ViewportSize { Width = width, Height = 860 }, IsMobile = width < 500, HasTouch = width < 500,
        });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/login");
        await page.GetByLabel("用户名", new() { Exact = true }).FillAsync(name);
        await page.GetByLabel("密码", new() { Exact = true }).FillAsync(PageSession.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/$"));
        return page;
    }

    private static ILocator Button(IPage page, string name) => page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    [Fact]
    public async Task Browser_OfficeMakesACompetition_ATownshipEntersOnAPhone_TheLeaderboardsShowIt()
    {
        await MonthlySchemeAsync();
        var office = await SignedInAsync("C-DC", Role.Supervisor, "督查员王敏", 1280);
        await office.GetByRole(AriaRole.Navigation, new() { Name = "主导航" }).GetByRole(AriaRole.Link, new() { Name = "比拼" }).ClickAsync();
        await office.GetByLabel("比拼名称").FillAsync("比拼两月·夺锦赛");
        await office.GetByLabel("参赛分组").SelectOptionAsync(Townships);
        await office.GetByLabel("第 1 阶段：考评时段").SelectOptionAsync(new SelectOptionValue { Label = "2024年2月 · 乡镇月度比拼办法" });
        await office.Locator("#stage-0-label").FillAsync("二月");
        await office.Locator("#stage-0-weight").FillAsync("40");
        await office.GetByLabel("第 2 阶段：考评时段").SelectOptionAsync(new SelectOptionValue { Label = "2024年3月 · 乡镇月度比拼办法" });
        await office.Locator("#stage-1-label").FillAsync("三月");
        await office.Locator("#stage-1-weight").FillAsync("50");
        await office.Locator("#award-0-name").FillAsync("金奖");
        await office.Locator("#award-0-count").FillAsync("1");
        await Button(office, "新建比拼").ClickAsync();
        await Expect(office.Locator("#stages-error")).ToHaveTextAsync("各阶段权重之和须为 100%，现为 90%。");
        await Expect(office.Locator("#stage-1-weight")).ToHaveValueAsync("50");
        await BrowserTests.ScreenshotsAsync(office, "competition-new-refused");
        await office.Locator("#stage-1-weight").FillAsync("60");
        await Button(office, "新建比拼").ClickAsync();
        await Expect(office.Locator("h1")).ToContainTextAsync("比拼两月·夺锦赛");
        await Expect(office.Locator("p.notice")).ToContainTextAsync("已新建比拼");
        var url = office.Url;

        var town = await SignedInAsync("K-T", Role.Handler, "测试镇承办人", 390);
        await town.GotoAsync(url);
        await town.GetByLabel("申报阶段").SelectOptionAsync(new SelectOptionValue { Label = "三月" });
        await town.GetByLabel("自评材料").FillAsync("三月按期办结全部交办事项，群众满意率明显提升。");
        await Button(town, "提交申报").ClickAsync();
        await Expect(town.Locator("p.notice")).ToContainTextAsync("已提交自评申报");
        await Expect(town.Locator("ul.entries")).ToContainTextAsync("待筛选");
        await BrowserTests.ScreenshotsAsync(town, "competition-entry-phone");

        await office.ReloadAsync();
        var entry = office.Locator("ul.entries > li").Filter(new() { HasText = "测试镇" });
        await entry.GetByRole(AriaRole.Button, new() { Name = "入围", Exact = true }).ClickAsync();
        await Expect(office.Locator("ul.entries")).ToContainTextAsync("入围");
        await Expect(office.Locator("table.standings tbody tr")).ToHaveCountAsync(1);
        await Expect(office.Locator("table.standings tbody tr").First).ToContainTextAsync("金奖");
        await Expect(office.Locator("#board-2024-03 + ol")).ToContainTextAsync("测试镇");
        await office.GetByText("发布公示", new() { Exact = true }).ClickAsync();
        await BrowserTests.ScreenshotsAsync(office, "competition-office");

        await town.ReloadAsync();
        await Expect(town.Locator("table.standings tr.reader")).ToContainTextAsync("测试镇");
        await BrowserTests.ScreenshotsAsync(town, "competition-standings-phone");
    }
}
