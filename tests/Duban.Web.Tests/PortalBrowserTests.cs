using System.Text.RegularExpressions;
using Duban.Appeals;
using Duban.Data;
using Duban.Matters;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Duban.Tests;

/// <summary>A citizen on a phone (390×844): submits an appeal on the portal, checks it by code, rates it once completed.</summary>
public sealed class PortalBrowserTests(SqliteApp app, Chromium chromium) : IClassFixture<SqliteApp>, IClassFixture<Chromium>
{
    private async Task<IPage> PhoneAsync()
    {
        var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.BaseAddress.ToString(),
            Locale = "zh-CN",
            TimezoneId = "Asia/Shanghai",
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            IsMobile = true,
            HasTouch = true,
        });
        context.SetDefaultTimeout(10_000);
        return await context.NewPageAsync();
    }

    private async Task ActAsync(string trackingCode, Actor actor, MatterCommand command)
    {
        await using var scope = app.Services.CreateAsyncScope();
        TrackingCode.TryParse(trackingCode, out var bare);
        var matterId = await scope.ServiceProvider.GetRequiredService<DubanDbContext>().Appeals
            .Where(a => a.TrackingCode == bare).Select(a => a.MatterId).SingleAsync();
        await scope.ServiceProvider.GetRequiredService<ActOnMatter>().ExecuteAsync(matterId, command, null, actor);
    }

    [Fact]
    public async Task Citizen_SubmitsOnThePortal_ChecksByCode_AndRatesOnceCompleted()
    {
        var page = await PhoneAsync();
        await page.GotoAsync("/portal");
        await BrowserTests.ScreenshotsAsync(page, "portal-form");

        // Nothing filled in: the messages stand beside their fields, in Chinese.
        await page.GetByRole(AriaRole.Button, new() { Name = "提交", Exact = true }).ClickAsync();
        await Expect(page.Locator("#content-error")).ToHaveTextAsync("内容不能为空。");
        await Expect(page.Locator("#contactPhone-error")).ToHaveTextAsync("联系电话不能为空。");
        await Expect(page.Locator("#category-error")).ToHaveTextAsync("请选择诉求分类。");
        await BrowserTests.ScreenshotsAsync(page, "portal-errors");

        await page.GetByLabel("标题").FillAsync("<b>幸福路</b>路灯不亮");
        await page.GetByLabel("诉求内容").FillAsync("幸福路 12 号小区门口的路灯已经坏了两周，晚上出行很不安全，请尽快修复。");
        await page.GetByLabel("诉求分类").SelectOptionAsync("城乡建设");
        await page.GetByLabel("所属区域").SelectOptionAsync("K-T");
        await page.GetByLabel("联系人").FillAsync("李女士");
        await page.GetByLabel("联系电话").FillAsync("139 1234 5678");
        await page.GetByRole(AriaRole.Button, new() { Name = "提交", Exact = true }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/portal/submitted"));
        var code = (await page.Locator(".tracking-code").InnerTextAsync()).Trim();
        Assert.Matches("^[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$", code);
        await BrowserTests.ScreenshotsAsync(page, "portal-receipt");

        // Checked later by typing the code in lower case without dashes.
        await page.GotoAsync("/portal/track");
        await page.GetByLabel("查询码").FillAsync(code.Replace("-", "", StringComparison.Ordinal).ToLowerInvariant());
        await page.GetByRole(AriaRole.Button, new() { Name = "查询", Exact = true }).ClickAsync();
        var card = page.GetByRole(AriaRole.Region, new() { Name = "办理情况" });
        await Expect(card).ToContainTextAsync("已受理，待办理");
        await Expect(card.GetByRole(AriaRole.Heading, new() { Name = "<b>幸福路</b>路灯不亮" })).ToBeVisibleAsync(); // escaped, not bold
        Assert.DoesNotContain("5678", await page.ContentAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("李女士", await page.ContentAsync(), StringComparison.Ordinal);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "提交评价" })).ToHaveCountAsync(0);
        await BrowserTests.ScreenshotsAsync(page, "portal-track");

        // The receiving city handles it (no routing rule), reports, and the result is accepted.
        await ActAsync(code, app.Org.CityLeader, new MatterCommand(MatterAction.Acknowledge));
        await ActAsync(code, app.Org.CityLeader, new MatterCommand(MatterAction.Complete) { Note = "已更换灯具，夜间复查照明正常。" });
        await ActAsync(code, app.Org.CityLeader, new MatterCommand(MatterAction.Verify) { Accepted = true });

        await page.ReloadAsync();
        await Expect(card).ToContainTextAsync("已办结，待评价");
        await Expect(card).ToContainTextAsync("已更换灯具，夜间复查照明正常。");
        await page.GetByLabel("满意", new() { Exact = true }).CheckAsync();
        await BrowserTests.ScreenshotsAsync(page, "portal-rate");
        await page.GetByRole(AriaRole.Button, new() { Name = "提交评价" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("感谢您的评价！");
        await Expect(card).ToContainTextAsync("已评价");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "提交评价" })).ToHaveCountAsync(0);
        await BrowserTests.ScreenshotsAsync(page, "portal-rated");
    }

    [Fact]
    public async Task Supervisor_SeesTheListsMasked_RevealsOneContactAudited_AndExportsXlsx()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        string code;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<UserAccounts>().CreateAsync($"dc{suffix}", "督查员王敏", "C-DC", [Role.Supervisor], "Duban-Test-2024!");
            var registered = await scope.ServiceProvider.GetRequiredService<AppealIntake>().RegisterAsync(new AppealInput
            {
                Title = $"菜市场占道经营 {suffix}", Content = "早市摊贩占用人行道，行人只能走机动车道。", Category = "城乡建设",
                Region = "K-T", ContactName = "赵六", ContactPhone = "13700001234",
            }, new Intake(app.Org.TownshipHandler, MatterSource.Hotline));
            code = TrackingCode.Format(registered.TrackingCode);
        }

        var page = await PhoneAsync();
        await page.SetViewportSizeAsync(1280, 900);
        await page.GotoAsync("/login");
        await page.GetByLabel("用户名", new() { Exact = true }).FillAsync($"dc{suffix}");
        await page.GetByLabel("密码", new() { Exact = true }).FillAsync("Duban-Test-2024!");
        await page.GetByRole(AriaRole.Button, new() { Name = "登录", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "三单", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "诉求清单", Exact = true }).ClickAsync();

        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = code });
        await Expect(row).ToContainTextAsync("137****1234");
        await Expect(row).ToContainTextAsync("赵*");
        Assert.DoesNotContain("13700001234", await page.ContentAsync(), StringComparison.Ordinal);
        await BrowserTests.ScreenshotsAsync(page, "lists-appeals");

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "导出 Excel（脱敏）" }).ClickAsync());
        var rows = MiniExcelLibs.MiniExcel.Query(await download.PathAsync(), useHeaderRow: true, excelType: MiniExcelLibs.ExcelType.XLSX)
            .Cast<IDictionary<string, object>>().ToList();
        Assert.Equal("137****1234", rows.Single(r => (string)r["查询码"] == code)["联系电话"]);

        await row.GetByRole(AriaRole.Link, new() { Name = code }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "智能分派建议" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "查看完整联系方式（留痕）" }).ClickAsync();
        await Expect(page.GetByText("13700001234")).ToBeVisibleAsync();
        await BrowserTests.ScreenshotsAsync(page, "lists-appeal-revealed");

        await page.GotoAsync("/Lists/Handling");
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "办理清单" })).ToContainTextAsync("测试镇");
        await BrowserTests.ScreenshotsAsync(page, "lists-handling");

        await using var check = app.Services.CreateAsyncScope();
        TrackingCode.TryParse(code, out var bare);
        var audit = await check.ServiceProvider.GetRequiredService<DubanDbContext>().PersonalDataViews
            .Where(v => v.Appeal!.TrackingCode == bare).ToListAsync();
        Assert.Equal("page", Assert.Single(audit).Place);
    }
}
