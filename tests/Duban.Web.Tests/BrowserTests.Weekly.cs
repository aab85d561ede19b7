using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Duban.Tests;

/// <summary>周交办 in the browser: the office creates a session, picks matters, sends it; the unit opens its 交办单.</summary>
public sealed partial class BrowserTests
{
    [Fact]
    public async Task Office_CreatesAWeeklySession_PicksMatters_Sends_AndTheUnitOpensItsSheet()
    {
        var suffix = Suffix();
        var (supervisor, handler) = await PeopleAsync(suffix);
        await AssignAsync(supervisor, $"背街小巷路灯整改 {suffix}", "K-T", ["C-ZJ"]);
        await AssignAsync(supervisor, $"关于加快推进老旧小区雨污分流改造和背街小巷环境综合整治提升工作的事项 {suffix}", "K-T");
        await AssignAsync(supervisor, $"城区主干道交通拥堵治理 {suffix}", "C-ZJ");

        var page = await NewPageAsync();
        await SignInAsync(page, supervisor.UserName!);
        await page.GetByRole(AriaRole.Link, new() { Name = "周交办", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "周交办", Exact = true })).ToBeVisibleAsync();
        if (!await page.GetByLabel("会议日期").IsVisibleAsync())
        {
            await page.GetByText("新建周交办").ClickAsync(); // folded when sessions exist already
        }

        await page.GetByLabel("会议日期").FillAsync("2024-02-08");
        await page.GetByLabel("会议名称").FillAsync($"市委市政府重点工作周例会 {suffix}");
        await ScreenshotsAsync(page, "weekly-list");
        await Button(page, "建立").ClickAsync();

        await Expect(page.Locator("p.notice")).ToContainTextAsync("已建立周交办");
        var sessionUrl = page.Url;
        await page.GetByRole(AriaRole.Link, new() { Name = "添加已交办的事项" }).ClickAsync();
        await page.GetByLabel("查找事项").FillAsync(suffix);
        await Button(page, "查找").ClickAsync();
        await page.GetByRole(AriaRole.Checkbox, new() { NameRegex = new Regex("背街小巷路灯整改 " + suffix) }).CheckAsync();
        await page.GetByRole(AriaRole.Checkbox, new() { NameRegex = new Regex("雨污分流.*" + suffix) }).CheckAsync();
        await page.GetByRole(AriaRole.Checkbox, new() { NameRegex = new Regex("交通拥堵治理 " + suffix) }).CheckAsync();
        await ScreenshotsAsync(page, "weekly-add");
        await Button(page, "纳入所选事项").ClickAsync();

        await Expect(page.Locator("p.notice")).ToContainTextAsync("已纳入 3 项事项");
        await Expect(page.Locator("#matters")).ToContainTextAsync("牵头单位：测试镇（2 项）");
        // Take one out again while it is a draft.
        await page.Locator("#matters tr", new() { HasText = "交通拥堵治理" }).GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^移出") }).ClickAsync();
        await Expect(page.Locator("p.notice")).ToContainTextAsync("已移出");
        await Expect(page.Locator("#matters")).Not.ToContainTextAsync("交通拥堵治理");
        await page.Locator("details.confirm > summary").ClickAsync();
        await ScreenshotsAsync(page, "weekly-session-draft");
        await Button(page, "确认下发").ClickAsync();

        await Expect(page.Locator("p.notice")).ToContainTextAsync("已下发");
        await Expect(page.Locator(".session-head .badge")).ToHaveTextAsync("已下发");
        await Expect(page.Locator("details.confirm")).ToHaveCountAsync(0);
        await ScreenshotsAsync(page, "weekly-session-sent");

        // The next session reports on this one (上次交办落实情况).
        await page.GotoAsync("/Weekly");
        await page.GetByText("新建周交办").ClickAsync();
        await page.GetByLabel("会议日期").FillAsync("2024-02-19");
        await Button(page, "建立").ClickAsync();
        await Expect(page.Locator("#previous")).ToContainTextAsync("交办2项");
        await Expect(page.Locator("#previous")).ToContainTextAsync("测试镇：2 项未办结");
        await ScreenshotsAsync(page, "weekly-report");
        await SignOutAsync(page);

        // The township: its notice links to its own 交办单.
        await SignInAsync(page, handler.UserName!);
        await page.GotoAsync("/Weekly");
        await page.Locator("table.weekly").GetByRole(AriaRole.Link, new() { NameRegex = new Regex("第\\d+次周交办$") }).First.ClickAsync();
        await Expect(page).ToHaveURLAsync(sessionUrl);
        await Expect(page.Locator("#matters")).ToContainTextAsync("只列出本单位牵头或配合的事项");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "添加已交办的事项" })).ToHaveCountAsync(0);
        await page.Locator("#sheets").GetByRole(AriaRole.Link, new() { Name = "测试镇" }).ClickAsync();

        await Expect(page.Locator("article.sheet h1")).ToContainTextAsync("次周交办交办单");
        await Expect(page.Locator("article.sheet")).ToContainTextAsync("测试镇：");
        await Expect(page.Locator("article.sheet")).ToContainTextAsync($"背街小巷路灯整改 {suffix}（牵头）");
        await Expect(page.Locator("article.sheet")).ToContainTextAsync("目标任务");
        await Expect(page.Locator("article.sheet")).ToContainTextAsync("牵头：测试镇；配合：测试市住建局");
        await Expect(page.Locator("article.sheet")).Not.ToContainTextAsync("交通拥堵治理");
        await ScreenshotsAsync(page, "weekly-sheet");
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "下载 Word" }).ClickAsync());
        Assert.EndsWith("交办单（测试镇）.docx", download.SuggestedFilename, StringComparison.Ordinal);

        // Another unit's sheet is not theirs to open.
        var other = await page.GotoAsync(page.Url.Replace("unit=K-T", "unit=C-ZJ", StringComparison.Ordinal));
        Assert.Equal(404, other!.Status);
    }
}
