using System.Text.RegularExpressions;
using Duban.Data;
using Duban.Matters;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Duban.Tests;

/// <summary>问责清单 worked on the pages: 列入问责 from the matter's page (a reason is required), the entry on the list
/// with its history, 约谈, 撤销 only with a reason, the status tabs, and 人工列入 from the list by the matter's code.</summary>
public sealed class AccountabilityBrowserTests(SqliteApp app, Chromium chromium) : IClassFixture<SqliteApp>, IClassFixture<Chromium>
{
    private const string Password = "Duban-Test-2024!";

    [Fact]
    public async Task Supervisor_ListsAMatterByHand_Interviews_AndWithdrawsOnlyWithAReason()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        long first, second;
        string secondCode;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var accounts = scope.ServiceProvider.GetRequiredService<UserAccounts>();
            var user = await accounts.CreateAsync($"acc{suffix}", "督查员孙磊", "C-DC", [Role.Supervisor], Password);
            var actor = await accounts.ActorOfAsync(user);
            var assign = scope.ServiceProvider.GetRequiredService<AssignMatter>();
            first = await assign.ExecuteAsync(TestMatters.Assignment("K-T", "C-ZJ") with { Title = $"农村人居环境整治{suffix}" }, actor);
            second = await assign.ExecuteAsync(TestMatters.Assignment("K-T") with { Title = $"校园周边交通整治{suffix}" }, actor);
            secondCode = await scope.ServiceProvider.GetRequiredService<DubanDbContext>().Matters.Where(m => m.Id == second).Select(m => m.Code).SingleAsync();
        }

        var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.BaseAddress.ToString(), Locale = "zh-CN", TimezoneId = "Asia/Shanghai",
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/login");
        await page.GetByLabel("用户名", new() { Exact = true }).FillAsync($"acc{suffix}");
        await page.GetByLabel("密码", new() { Exact = true }).FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录", Exact = true }).ClickAsync();

        // 列入问责 from the matter's page: without a reason it is refused, in Chinese, and nothing is listed.
        await page.GotoAsync($"/matters/{first}");
        await page.Locator("#accountability summary").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "列入问责清单" }).ClickAsync();
        await Expect(page.Locator("#accountability")).ToContainTextAsync("请写明列入问责的理由。");
        await Expect(page.Locator("#accountability details")).ToHaveAttributeAsync("open", "open");
        await page.Locator("#acc-unit").SelectOptionAsync(new SelectOptionValue { Label = "测试市住建局（配合）" });
        await page.GetByLabel("列入理由").FillAsync("配合单位三次催办未反馈");
        await BrowserTests.ScreenshotsAsync(page, "matter-accountability");
        await page.GetByRole(AriaRole.Button, new() { Name = "列入问责清单" }).ClickAsync();

        // On the list (待处理), with its history: who put it there, when, why.
        await Expect(page).ToHaveURLAsync(new Regex("/Lists/Accountability\\?status=pending"));
        await Expect(page.Locator("main > p.notice[role=status]")).ToHaveTextAsync("已列入问责清单。");
        var entry = page.Locator("article.acc-entry", new() { HasText = $"农村人居环境整治{suffix}" });
        await Expect(entry).ToContainTextAsync("单位：测试市住建局");
        await Expect(entry).ToContainTextAsync("原因：人工列入");
        await Expect(entry.Locator(".acc-history li")).ToHaveTextAsync(new Regex("督查员孙磊：列入。配合单位三次催办未反馈$"));

        // 约谈 with a note.
        await entry.Locator("summary", new() { HasText = "处理" }).ClickAsync();
        await entry.GetByLabel("约谈", new() { Exact = true }).CheckAsync();
        await entry.GetByLabel("说明", new() { Exact = true }).FillAsync("已约谈住建局分管负责人");
        await entry.GetByRole(AriaRole.Button, new() { Name = "提交" }).ClickAsync();
        await Expect(page.Locator("main > p.notice[role=status]")).ToHaveTextAsync("已记为「已约谈」。");
        await Expect(entry).ToHaveCountAsync(0); // it left the 待处理 tab
        await page.GetByRole(AriaRole.Navigation, new() { Name = "按状态" }).GetByRole(AriaRole.Link, new() { Name = "已约谈" }).ClickAsync();
        await Expect(entry.Locator(".pill")).ToHaveTextAsync("已约谈");
        await Expect(entry.Locator(".acc-history li")).ToHaveCountAsync(2);
        await Expect(entry.Locator(".acc-history li").Nth(1)).ToContainTextAsync("督查员孙磊：已约谈。已约谈住建局分管负责人");

        // 撤销 needs a reason: refused in Chinese, the form stays open; with one it is withdrawn.
        await entry.Locator("summary", new() { HasText = "处理" }).ClickAsync();
        await entry.GetByLabel("撤销（须说明理由）").CheckAsync();
        await entry.GetByRole(AriaRole.Button, new() { Name = "提交" }).ClickAsync();
        await Expect(page.Locator("p.error[role=alert]")).ToHaveTextAsync("未执行：撤销必须说明理由。");
        await Expect(entry.Locator("details.row-form")).ToHaveAttributeAsync("open", "open");
        await BrowserTests.ScreenshotsAsync(page, "accountability-withdraw-refused");
        await entry.GetByLabel("说明", new() { Exact = true }).FillAsync("核实为系统外原因，已协调解决");
        await entry.GetByRole(AriaRole.Button, new() { Name = "提交" }).ClickAsync();
        await Expect(page.Locator("main > p.notice[role=status]")).ToHaveTextAsync("已撤销，理由已记入处理记录。");
        await page.GotoAsync("/Lists/Accountability?status=withdrawn");
        await Expect(entry.Locator(".pill")).ToHaveTextAsync("已撤销");
        await Expect(entry.Locator("details.row-form")).ToHaveCountAsync(0);

        // 人工列入 from the list: the matter picked by its code (the picker offers code and title).
        await page.GotoAsync("/Lists/Accountability");
        await page.Locator("details.acc-add summary").ClickAsync();
        await page.GetByLabel("列入理由").FillAsync("交通整治进度滞后");
        await page.GetByRole(AriaRole.Button, new() { Name = "列入问责清单" }).ClickAsync();
        await Expect(page.Locator("p.error[role=alert]")).ToContainTextAsync("请选择事项");
        await Expect(page.Locator($"#matter-choices option[value='{secondCode} 校园周边交通整治{suffix}']")).ToHaveCountAsync(1);
        await page.Locator("#add-matter").FillAsync($"{secondCode} 校园周边交通整治{suffix}");
        await page.GetByRole(AriaRole.Button, new() { Name = "列入问责清单" }).ClickAsync();
        await Expect(page.Locator("main > p.notice[role=status]")).ToHaveTextAsync("已列入问责清单。");
        var listed = page.Locator("article.acc-entry", new() { HasText = $"校园周边交通整治{suffix}" });
        await Expect(listed).ToContainTextAsync("单位：测试镇");
        await BrowserTests.ScreenshotsAsync(page, "accountability-list");
    }
}
