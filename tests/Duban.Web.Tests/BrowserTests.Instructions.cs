using System.Globalization;
using System.Text.RegularExpressions;
using Duban.Data;
using Duban.Matters;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Duban.Tests;

/// <summary>领导批示件 in the browser: the office registers an instruction for a leader, assigns it to two units, the
/// units finish, the office drafts, approves and sends the report; the leader finds it on 「我的批示」.</summary>
public sealed partial class BrowserTests
{
    [Fact]
    public async Task Instructions_Register_Assign_Report_AndTheLeadersPage()
    {
        app.Clock.SetUtcNow(DateTimeOffset.Parse("2024-02-08T10:00:00+08:00", CultureInfo.InvariantCulture));
        var suffix = Suffix();
        var (supervisor, _) = await PeopleAsync(suffix);
        User leader;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            leader = await scope.ServiceProvider.GetRequiredService<UserAccounts>().CreateAsync($"ld{suffix}", $"赵书记{suffix}", "C", [Role.Leader], Password);
        }

        var page = await NewPageAsync();
        await SignInAsync(page, supervisor.UserName!);
        await page.GotoAsync("/Instructions/New");
        await page.GetByLabel("批示领导").SelectOptionAsync(leader.Id.ToString(CultureInfo.InvariantCulture));
        await page.GetByLabel("职务").FillAsync("市委书记");
        await page.GetByLabel("批示日期").FillAsync("2024-02-06");
        await page.GetByLabel("批示原文").FillAsync("老旧小区加装电梯是民生实事，请市住建局牵头、测试镇配合，摸清底数，拿出方案，两周内报结果。");
        await page.GetByLabel("来文标题").FillAsync("《关于老旧小区加装电梯情况的报告》");
        await page.GetByLabel("拟办意见").FillAsync("拟请市住建局、测试镇分别牵头办理，2月20日前报送结果。");
        await page.GetByLabel("报结果时限").FillAsync("2024-02-20");
        await ScreenshotsAsync(page, "instruction-new");
        await Button(page, "登记").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/Instructions/\\d+$"));
        var id = long.Parse(new Uri(page.Url).Segments[^1], CultureInfo.InvariantCulture);
        await Expect(page.Locator("h1")).ToContainTextAsync("批示〔2024〕");
        await Expect(page.Locator("h1")).ToContainTextAsync("登记");

        // 交办: a missing clause is shown beside its field, then two lead units.
        await page.Locator("#lead-C-ZJ").CheckAsync();
        await page.Locator("#lead-K-T").CheckAsync();
        await Button(page, "交办").ClickAsync();
        await Expect(page.Locator("[data-valmsg-for='Assign.Goal']")).ToContainTextAsync("目标任务不能为空");
        await page.GetByLabel("目标任务").FillAsync("摸清加装电梯需求，提出实施方案");
        await page.GetByLabel("工作标准").FillAsync("形成书面方案，经分管领导审定");
        await ScreenshotsAsync(page, "instruction-assign");
        await Button(page, "交办").ClickAsync();
        var matters = page.GetByRole(AriaRole.Table, new() { Name = "交办事项" });
        await Expect(matters.Locator("tbody tr")).ToHaveCountAsync(2);
        await Expect(page.Locator("h1")).ToContainTextAsync("已交办");

        // The units finish (through the lifecycle, as their own pages would).
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var links = scope.ServiceProvider.GetRequiredService<DubanDbContext>().InstructionMatters.Where(m => m.InstructionId == id).OrderBy(m => m.Position)
                .Select(m => m.MatterId).ToList();
            var act = scope.ServiceProvider.GetRequiredService<ActOnMatter>();
            foreach (var (matter, handler, result) in new[]
            {
                (links[0], app.Org.CityDepartmentHandler, "已完成全市 1,260 个老旧小区摸底，形成《加装电梯三年实施方案》。"),
                (links[1], app.Org.TownshipHandler, "已走访辖区 12 个小区，征求意见 300 户，同意率 92%。"),
            })
            {
                await act.ExecuteAsync(matter, new MatterCommand(MatterAction.Acknowledge), null, handler);
                await act.ExecuteAsync(matter, new MatterCommand(MatterAction.Complete) { Note = result }, null, handler);
                await act.ExecuteAsync(matter, new MatterCommand(MatterAction.Verify) { Accepted = true }, null, app.Org.Supervisor);
            }
        }

        await page.ReloadAsync();
        await Expect(page.Locator("h1")).ToContainTextAsync("待报告");
        await Button(page, "生成报告草稿").ClickAsync();
        var text = page.GetByLabel("报告正文");
        await Expect(text).ToHaveValueAsync(new Regex("已完成全市 1,260 个老旧小区摸底"));
        await ScreenshotsAsync(page, "instruction-report-draft");
        await Button(page, "审核通过").ClickAsync();
        await Button(page, "报送领导").ClickAsync();
        await Expect(page.Locator("h1")).ToContainTextAsync("已报告");
        await Expect(page.Locator("#report .pill-ok").First).ToHaveTextAsync("已报送");
        await ScreenshotsAsync(page, "instruction-reported");

        await page.GotoAsync($"/Instructions/{id}/Print");
        await Expect(page.Locator(".print-sheet h1")).ToHaveTextAsync($"关于落实赵书记{suffix}同志批示的办理结果报告");
        await ScreenshotsAsync(page, "instruction-print");

        await page.GotoAsync("/Instructions");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "领导批示" })).ToHaveAttributeAsync("aria-current", "page");
        await ScreenshotsAsync(page, "instruction-register");
        await SignOutAsync(page);

        await SignInAsync(page, leader.UserName!);
        await page.GotoAsync("/Instructions");
        await Expect(page).ToHaveURLAsync(new Regex("/Instructions/Mine$"));
        var row = page.GetByRole(AriaRole.Table, new() { Name = "我的批示" }).Locator("tbody tr");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync("已报告");
        await ScreenshotsAsync(page, "instruction-mine");
        await row.GetByRole(AriaRole.Link).First.ClickAsync();
        await Expect(page.Locator(".report-text")).ToContainTextAsync("已走访辖区 12 个小区");
        await Expect(Button(page, "生成报告草稿")).ToHaveCountAsync(0);
    }
}
