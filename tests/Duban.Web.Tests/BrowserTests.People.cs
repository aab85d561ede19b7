using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Duban.Tests;

/// <summary>责任人员 and 专项行动 in the browser: the office sets up a campaign, assigns with people, changes them on the
/// matter page, opens a person's page and the campaign's page.</summary>
public sealed partial class BrowserTests
{
    [Fact]
    public async Task Office_AssignsWithPeopleAndACampaign_ThenThePersonAndCampaignPages()
    {
        var suffix = Suffix();
        var (supervisor, handler) = await PeopleAsync(suffix);
        var campaign = $"双拖欠专项治理 {suffix}";

        var page = await NewPageAsync();
        await SignInAsync(page, supervisor.UserName!);
        await page.GotoAsync("/Campaigns");
        await page.GetByLabel("名称").FillAsync(campaign);
        await page.GetByLabel("开始日期").FillAsync("2024-01-01");
        await page.GetByLabel("结束日期").FillAsync("2024-12-31");
        await page.GetByLabel("说明").FillAsync("清理拖欠中小企业账款和农民工工资");
        await Button(page, "设立").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = campaign })).ToBeVisibleAsync();

        await page.GotoAsync("/assign");
        await page.GetByLabel("标题").FillAsync($"拖欠工程款清偿 {suffix}");
        await page.GetByLabel("事项内容").FillAsync("某建筑企业反映区属项目拖欠工程款三百万元，请牵头单位核实并制定清偿计划。");
        await page.GetByLabel("目标任务").FillAsync("年底前清偿完毕");
        await page.GetByLabel("工作标准").FillAsync("企业确认到账");
        await page.Locator("#lead-K-T").CheckAsync();
        // Choosing the lead unit offers its people in every row, before any typing.
        var handlerId = handler.Id.ToString(CultureInfo.InvariantCulture);
        await Expect(page.Locator($"#Form_People_2_user option[value='{handlerId}']")).ToHaveCountAsync(1);
        await page.Locator("#Form_People_0_user").SelectOptionAsync("other");
        await page.Locator("#Form_People_0_name").FillAsync($"王副镇长{suffix}");
        await page.Locator("#Form_People_0_phone").FillAsync("13800001111");
        // 查找人员 by pinyin initials: lq (李强) asks for the chosen unit's people so named; nobody else is offered.
        var person = page.Locator("#Form_People_1_user");
        await page.Locator("#Form_People_1_user-q").FillAsync("lq");
        // (Choosing the unit asked for all its people first: wait for the answer to the typed text.)
        await page.WaitForFunctionAsync(
            "id => { const o = [...document.querySelectorAll('#Form_People_1_user option[data-py]')]; return o.some(x => x.value === id) && o.every(x => x.dataset.name === '镇承办李强'); }",
            handlerId);
        await person.SelectOptionAsync(handlerId);
        await page.GetByLabel(campaign).CheckAsync();
        var posted = await page.EvaluateAsync<string>("[...new FormData(document.querySelector('form.assign')).entries()].filter(([k]) => k.startsWith('Form.People')).map(([k, v]) => k + '=' + v).join('; ')");
        Assert.Contains("Form.People[0].Role=leadingOfficial", posted, StringComparison.Ordinal);
        Assert.Contains($"Form.People[1].User={handlerId}", posted, StringComparison.Ordinal);
        Assert.DoesNotContain("Search", posted, StringComparison.Ordinal); // with script the box is not sent
        await ScreenshotsAsync(page, "people-assign");
        await Button(page, "交办").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/matters/\\d+$"));

        var card = page.Locator("#people");
        await Expect(card.Locator("dt").First).ToHaveTextAsync("责任领导");
        await Expect(card.GetByRole(AriaRole.Link, new() { Name = $"王副镇长{suffix}" })).ToBeVisibleAsync();
        await Expect(card.GetByRole(AriaRole.Link, new() { Name = "镇承办李强" })).ToBeVisibleAsync();
        await Expect(card.GetByRole(AriaRole.Link, new() { Name = campaign })).ToBeVisibleAsync();

        // Change: a liaison added through a blank row; the history records it.
        await page.GetByText("更改责任人员").ClickAsync();
        // The lead unit's people are offered before any typing.
        await Expect(page.Locator($"#rows_2_user option[value='{handlerId}']")).ToHaveCountAsync(1);
        await page.Locator("#rows_2_role").SelectOptionAsync("liaison");
        await page.Locator("#rows_2_user").SelectOptionAsync("other");
        await page.Locator("#rows_2_name").FillAsync($"孙联络{suffix}");
        await page.GetByLabel("更改说明").FillAsync("增加联络员");
        await ScreenshotsAsync(page, "people-matter-change");
        await Button(page, "保存责任人员").ClickAsync();
        await Expect(card.GetByRole(AriaRole.Link, new() { Name = $"孙联络{suffix}" })).ToBeVisibleAsync();
        await Expect(HistoryActions(page).Last).ToHaveTextAsync("更改人员");
        await ScreenshotsAsync(page, "people-matter");

        await card.GetByRole(AriaRole.Link, new() { Name = "镇承办李强" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "作为责任人（1 件）" })).ToBeVisibleAsync();
        await Expect(page.Locator("p.meta")).ToContainTextAsync("共负责 1 件");
        await Expect(page.Locator("p.meta")).Not.ToContainTextAsync("@");
        await ScreenshotsAsync(page, "people-person");

        await page.GotoAsync("/Campaigns");
        await page.GetByRole(AriaRole.Link, new() { Name = campaign }).ClickAsync();
        await Expect(page.Locator(".campaign-counts dd").First).ToHaveTextAsync("1");
        await Expect(page.GetByText($"拖欠工程款清偿 {suffix}")).ToBeVisibleAsync();
        var review = page.GetByRole(AriaRole.Table, new() { Name = "本专项讲评" });
        await Expect(review).ToContainTextAsync("测试镇");
        await Expect(review.Locator("tbody td").Nth(4)).ToHaveTextAsync("0"); // nothing due yet, so nothing overdue
        await ScreenshotsAsync(page, "people-campaign");

        // The office renames it; deleting it is refused while it holds a matter, on the page, in Chinese.
        await page.GetByText("修改或删除本专项行动").ClickAsync();
        await page.Locator("#Form_Name").FillAsync($"清欠专项 {suffix}");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存修改" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"清欠专项 {suffix}" })).ToBeVisibleAsync();
        await page.GetByText("修改或删除本专项行动").ClickAsync();
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "删除专项行动" }).ClickAsync();
        await Expect(page.Locator("[role=alert]").First).ToContainTextAsync("还列有 1 件事项，不能删除");
        await Expect(page.Locator("#Form_Name")).ToHaveValueAsync($"清欠专项 {suffix}"); // the form still shows the campaign
        await ScreenshotsAsync(page, "people-campaign-edit");
    }
}
