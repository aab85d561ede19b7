using System.Globalization;
using System.Text.RegularExpressions;
using Duban.Calendar;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Duban.Tests;

/// <summary>考评 in the browser: the office makes and publishes a 通报批评, sets the card rules, issues cards (a red one
/// puts the town on the 约谈 list) and records the interview; the town sees its card.</summary>
public sealed partial class BrowserTests
{
    [Fact]
    public async Task Office_PublishesACriticism_IssuesCards_AndRecordsTheInterview_AndTheTownSeesItsCard()
    {
        var suffix = Suffix();
        var (supervisor, handler) = await PeopleAsync(suffix);
        await AssignAsync(supervisor, $"农贸市场周边占道经营整治 {suffix}", "K-T");
        var month = ChinaTime.DateOf(app.Clock.GetUtcNow()).ToString("yyyy-MM", CultureInfo.InvariantCulture);

        var page = await NewPageAsync();
        await SignInAsync(page, supervisor.UserName!);
        await page.GetByRole(AriaRole.Link, new() { Name = "通报", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "通报表扬与通报批评" })).ToBeVisibleAsync();
        if (!await page.GetByLabel("第 1 个单位", new() { Exact = true }).IsVisibleAsync())
        {
            await page.GetByText("制作通报").ClickAsync();
        }

        await page.GetByLabel("通报批评").CheckAsync();
        await page.GetByLabel("第 1 个单位", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "　　　　测试镇" });
        await page.GetByLabel("第 1 个单位的通报事由").FillAsync($"交办事项超期未签收、未办结 {suffix}");
        await page.GetByLabel("第 2 个单位", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "　测试市住建局" });
        await ScreenshotsAsync(page, "citations-new");
        await Button(page, "生成通报草稿").ClickAsync();
        await Expect(page.Locator(".field-validation-error").First).ToContainTextAsync("请填写这个单位的通报事由");
        await page.GetByLabel("第 2 个单位", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "（不选）" });
        await Button(page, "生成通报草稿").ClickAsync();

        await Expect(page.Locator("p.notice")).ToContainTextAsync("已生成通报草稿");
        await Expect(page.Locator("article.sheet h1")).ToHaveTextAsync("关于对测试镇予以通报批评的通报");
        await Expect(page.Locator("article.sheet")).ToContainTextAsync(suffix);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "下载 Word 文档" })).ToBeVisibleAsync();
        await ScreenshotsAsync(page, "citation-draft");
        await Button(page, "发布并通知 1 个单位").ClickAsync();
        await Expect(page.Locator("p.notice")).ToContainTextAsync("已发布");
        await Expect(page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^发布") })).ToHaveCountAsync(0);

        // The rules: a criticism in a month gives a yellow card, one yellow in a quarter a red.
        await page.GetByRole(AriaRole.Link, new() { Name = "红黄牌", Exact = true }).ClickAsync();
        await page.GotoAsync($"/Assessment/Cards?period={month}");
        await page.GetByText("修改规则").ClickAsync();
        await page.GetByLabel("第 1 条规则的触发事项").SelectOptionAsync("criticism");
        await page.GetByLabel("第 1 条规则的触发数量").FillAsync("1");
        await page.GetByLabel("第 2 条规则的统计周期").SelectOptionAsync("quarter");
        await page.GetByLabel("第 2 条规则的触发事项").SelectOptionAsync("yellowCard");
        await page.GetByLabel("第 2 条规则的触发数量").FillAsync("1");
        await page.GetByLabel("第 2 条规则发的牌").SelectOptionAsync("red");
        await Button(page, "保存规则").ClickAsync();
        await Expect(page.Locator("p.notice")).ToContainTextAsync("已保存红黄牌规则");
        await Expect(page.Locator("#rules")).ToContainTextAsync("一个季度内黄牌达 1 张 → 红牌");
        await Button(page, "按规则发牌").ClickAsync();
        await Expect(page.Locator("p.notice")).ToContainTextAsync("已发放 1 张黄牌、1 张红牌");
        await Expect(page.Locator("table.list").First).ToContainTextAsync("通报批评 1 个");
        await ScreenshotsAsync(page, "cards");
        await Button(page, "按规则发牌").ClickAsync();
        await Expect(page.Locator("p.notice")).ToContainTextAsync("没有新的应发红黄牌");

        // The red card's entry on the 约谈 list: record it.
        await page.GetByRole(AriaRole.Link, new() { Name = "约谈名单", Exact = true }).First.ClickAsync();
        var row = page.Locator("table.list tr", new() { HasText = "测试镇" });
        await row.GetByText("登记约谈").ClickAsync();
        await row.GetByLabel("被约谈人姓名").FillAsync("赵刚");
        await row.GetByLabel("职务").FillAsync("镇长");
        await row.GetByLabel(new Regex($"农贸市场周边占道经营整治 {suffix}")).CheckAsync();
        await row.GetByLabel("约谈情况").FillAsync("指出超期问题，要求一周内全部签收并报送整改方案。");
        await ScreenshotsAsync(page, "interviews-open");
        await row.GetByRole(AriaRole.Button, new() { Name = "登记并关闭" }).ClickAsync();
        await Expect(page.Locator("p.notice")).ToContainTextAsync("已登记约谈情况");
        await Expect(page.Locator("table.list")).ToContainTextAsync("约谈 赵刚（镇长）");
        await ScreenshotsAsync(page, "interviews-closed");
        await SignOutAsync(page);

        // The town: its card and the published criticism.
        await SignInAsync(page, handler.UserName!);
        await page.GotoAsync($"/Assessment/Cards?period={month}");
        await Expect(page.Locator("table.list").First).ToContainTextAsync("测试镇");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "按规则发牌" })).ToHaveCountAsync(0);
        await ScreenshotsAsync(page, "cards-town");
        await page.GotoAsync("/Assessment/Citations");
        await Expect(page.Locator("table.list")).ToContainTextAsync("关于对测试镇予以通报批评的通报");
    }
}
