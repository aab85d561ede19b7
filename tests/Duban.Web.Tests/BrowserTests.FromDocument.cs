using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Duban.Tests;

/// <summary>从文稿交办: from a pasted speech to assigned matters, in the browser.</summary>
public sealed partial class BrowserTests
{
    [Fact]
    public async Task FromDocument_PastedSpeech_BecomesDrafts_CompletedAndAssignedTogether()
    {
        var suffix = Suffix();
        var (supervisor, handler) = await PeopleAsync(suffix);
        var speech = $"""
            本 报 讯 （记 者 李 丹） 全 市 重 点 工 作 推 进 会 召 开 。
            刘涛强调，一要健全完善机制{suffix}。交办事项要做到“四明确、清单化”。
            二要夯实基层基础{suffix}。推动阶段性任务高效落实。三要强化督查问效{suffix}。严格督查考评。
            """;
        var headings = new[] { $"健全完善机制{suffix}", $"夯实基层基础{suffix}", $"强化督查问效{suffix}" };

        var page = await NewPageAsync();
        await SignInAsync(page, supervisor.UserName!);
        await page.GetByRole(AriaRole.Link, new() { Name = "从文稿交办" }).ClickAsync();
        await page.GetByLabel("文稿内容").FillAsync(speech);
        await Button(page, "分解任务").ClickAsync();

        var drafts = page.GetByRole(AriaRole.Table, new() { Name = "任务草稿" });
        await Expect(drafts.Locator("tbody tr")).ToHaveCountAsync(3);
        for (var i = 0; i < 3; i++)
        {
            await Expect(page.Locator($"#Drafts_{i}__Title")).ToHaveValueAsync(headings[i]);
        }

        await Expect(page.Locator("#Drafts_0__Content")).ToHaveValueAsync($"健全完善机制{suffix}。交办事项要做到“四明确、清单化”。");

        // Without the document's title, or without the 四明确, nothing is assigned; each row says what it lacks,
        // beside the field.
        await Button(page, "交办所选事项").ClickAsync();
        await Expect(page.Locator("span[data-valmsg-for='DocumentTitle']")).ToHaveTextAsync("请填写文稿标题，它将记为事项来源。");
        await page.GetByLabel("文稿标题").FillAsync($"全市重点工作推进会讲话 {suffix}");
        await Button(page, "交办所选事项").ClickAsync();
        await Expect(page.GetByText("有事项未通过检查，本批均未交办。")).ToBeVisibleAsync();
        await Expect(page.Locator("span[data-valmsg-for='Drafts[1].Goal']")).ToHaveTextAsync("目标任务不能为空。");
        await Expect(page.Locator("span[data-valmsg-for='Drafts[2].LeadUnit']")).ToHaveTextAsync("必须指定牵头单位。");

        // The shared default row fills the blank fields of every draft; the third draft is left out.
        await page.GetByLabel("会议日期").FillAsync("2024-02-08");
        await page.Locator("#Defaults_LeadUnit").SelectOptionAsync("K-T");
        await page.Locator("#Defaults_Goal").FillAsync("按讲话要求抓好落实");
        await page.Locator("#Defaults_Standard").FillAsync("每周报送进展，月底前完成");
        await page.Locator("#Drafts_1__LeadUnit").SelectOptionAsync("C-ZJ");
        await page.Locator("#Drafts_2__Selected").UncheckAsync();
        await ScreenshotsAsync(page, "from-document");
        await Button(page, "交办所选事项").ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/$"));
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = headings[0] })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = headings[1] })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = headings[2] })).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Link, new() { Name = headings[1] }).ClickAsync();
        await Expect(page.GetByText("按讲话要求抓好落实")).ToBeVisibleAsync();
        await Expect(page.GetByText("牵头：测试市住建局")).ToBeVisibleAsync();
        await Expect(page.GetByText("会议", new() { Exact = false }).First).ToBeVisibleAsync();
        await page.Context.CloseAsync();

        // A handler neither sees the link nor gets the page.
        var other = await NewPageAsync();
        await SignInAsync(other, handler.UserName!);
        await Expect(other.GetByRole(AriaRole.Link, new() { Name = "从文稿交办" })).ToHaveCountAsync(0);
        var response = await other.GotoAsync("/Assign/FromDocument");
        Assert.Equal(403, response!.Status);
        await other.Context.CloseAsync();
    }
}
