using Duban.Data;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Duban.Tests;

/// <summary>The whole journey in one browser, as the issue tells it: a speech becomes matters, the township handles
/// them, the supervision office verifies, and a citizen's appeal goes the same way and is rated on the portal.</summary>
public sealed partial class BrowserTests
{
    [Fact]
    public async Task Journey_SpeechToMatters_HandlerCompletes_SupervisorVerifies_CitizenRatesOnThePortal()
    {
        var suffix = Suffix();
        var (supervisor, handler) = await PeopleAsync(suffix);
        var heading = $"整治背街小巷{suffix}";
        var appealTitle = $"幸福路路灯不亮 {suffix}";
        await using (var scope = app.Services.CreateAsyncScope())
        {
            // 分层分级: appeals naming this road go straight to the township.
            await scope.ServiceProvider.GetRequiredService<RoutingRules>().CreateAsync(new RoutingRuleInput
            {
                Name = $"幸福路{suffix}",
                Keywords = $"幸福路{suffix}",
                LeadUnit = "K-T",
            });
        }

        // 1. The supervisor pastes a speech and assigns what it asks for.
        var page = await NewPageAsync();
        await SignInAsync(page, supervisor.UserName!);
        await page.GetByRole(AriaRole.Link, new() { Name = "从文稿交办" }).ClickAsync();
        await page.GetByLabel("文稿内容").FillAsync($"""
            市 委 书 记 刘 涛 主 持 召 开 城 市 管 理 工 作 会 议 。
            刘涛强调，一要{heading}。路灯、井盖、占道经营问题逐条销号。二要压实属地责任{suffix}。
            """);
        await Button(page, "分解任务").ClickAsync();
        await Expect(page.Locator("#Drafts_0__Title")).ToHaveValueAsync(heading);
        await page.GetByLabel("文稿标题").FillAsync($"城市管理工作会议讲话 {suffix}");
        await page.GetByLabel("会议日期").FillAsync("2024-02-08");
        await page.Locator("#Defaults_LeadUnit").SelectOptionAsync("K-T");
        await page.Locator("#Defaults_Goal").FillAsync("背街小巷问题全部整改到位");
        await page.Locator("#Defaults_Standard").FillAsync("逐条销号，群众认可");
        await page.Locator("#Drafts_1__Selected").UncheckAsync();
        await Button(page, "交办所选事项").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = heading })).ToBeVisibleAsync();
        await SignOutAsync(page);

        // 2. A citizen on a phone raises a problem on the portal.
        var phone = await NewPageAsync(PhoneWidth);
        await phone.GotoAsync("/portal");
        await phone.GetByLabel("标题").FillAsync(appealTitle);
        await phone.GetByLabel("诉求内容").FillAsync($"幸福路{suffix} 12 号门口路灯坏了两周，夜里出行不安全。");
        await phone.GetByLabel("诉求分类").SelectOptionAsync("城乡建设");
        await phone.GetByLabel("联系人").FillAsync("李女士");
        await phone.GetByLabel("联系电话").FillAsync("13912345678");
        await phone.GetByRole(AriaRole.Button, new() { Name = "提交", Exact = true }).ClickAsync();
        var code = (await phone.Locator(".tracking-code").InnerTextAsync()).Trim();

        // 3. The township handler finds both on the workbench, and acknowledges, reports progress and completes each.
        await SignInAsync(page, handler.UserName!);
        foreach (var title in new[] { heading, appealTitle })
        {
            await page.GotoAsync("/");
            await page.GetByRole(AriaRole.Link, new() { Name = title, Exact = true }).ClickAsync();
            await Expect(Badge(page)).ToHaveTextAsync("待签收");
            await Button(page, "签收").ClickAsync();
            await Expect(Badge(page)).ToHaveTextAsync("办理中");
            await page.GetByLabel("进展情况").FillAsync("已现场查看，正在组织维修。");
            await Button(page, "进展反馈").ClickAsync();
            await page.GetByLabel("办理结果").FillAsync("路灯已全部修复，夜间复查照明正常。");
            await Button(page, "申请办结").ClickAsync();
            await Expect(Badge(page)).ToHaveTextAsync("待审核");
            await Expect(HistoryActions(page)).ToHaveTextAsync(["交办", "签收", "进展反馈", "申请办结"]);
        }

        await SignOutAsync(page);

        // 4. The supervisor verifies both from the 待审核 tab.
        await SignInAsync(page, supervisor.UserName!);
        var verified = new List<string>();
        foreach (var title in new[] { heading, appealTitle })
        {
            await page.GotoAsync("/");
            await Tab(page, "待审核").ClickAsync();
            await page.GetByRole(AriaRole.Link, new() { Name = title, Exact = true }).ClickAsync();
            await page.GetByLabel("审核意见").FillAsync("经核查已整改到位。");
            await page.GetByLabel("通过").CheckAsync();
            await Button(page, "办结审核").ClickAsync();
            await Expect(Badge(page)).ToHaveTextAsync("已审核");
            verified.Add(page.Url);
        }

        await ScreenshotsAsync(page, "journey-appeal-verified");

        // 5. The citizen sees the public reply and rates it once.
        await phone.GotoAsync("/portal/track");
        await phone.GetByLabel("查询码").FillAsync(code);
        await phone.GetByRole(AriaRole.Button, new() { Name = "查询", Exact = true }).ClickAsync();
        var card = phone.GetByRole(AriaRole.Region, new() { Name = "办理情况" });
        await Expect(card).ToContainTextAsync("已办结，待评价");
        await Expect(card).ToContainTextAsync("路灯已全部修复");
        await Expect(card).ToContainTextAsync("测试镇");
        await phone.GetByLabel("满意", new() { Exact = true }).CheckAsync();
        await phone.GetByRole(AriaRole.Button, new() { Name = "提交评价" }).ClickAsync();
        await Expect(phone.GetByRole(AriaRole.Status)).ToHaveTextAsync("感谢您的评价！");

        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "办理记录" })).ToContainTextAsync("网上诉求平台（测试市）");

        // 6. The supervisor sees the rating in the appeal's history and closes the speech's matter off (销号).
        await page.ReloadAsync();
        await Expect(HistoryActions(page)).ToHaveTextAsync(["交办", "签收", "进展反馈", "申请办结", "办结审核", "回访评价"]);
        await page.GotoAsync(verified[0]);
        await Button(page, "销号").ClickAsync();
        await Button(page, "确认销号").ClickAsync(); // 销号 asks first (issue 16)
        await Expect(Badge(page)).ToHaveTextAsync("已销号");
        await phone.Context.CloseAsync();
        await page.Context.CloseAsync();
    }
}
