using Duban.Data;
using Duban.Matters;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Duban.Tests;

/// <summary>目标任务 in the browser: the office sets a target set and goals, a unit reports, the office confirms; the
/// import's dry run lists each row's problems; the cadres' board. Desktop and 390 px.</summary>
public sealed partial class BrowserTests
{
    [Fact]
    public async Task Office_SetsTargets_UnitReports_OfficeConfirms_AndTheTableShowsProgressAndRank()
    {
        var suffix = Suffix();
        var (supervisor, handler) = await PeopleAsync(suffix);
        var name = $"1441-{suffix}";

        var page = await NewPageAsync();
        await SignInAsync(page, supervisor.UserName!);
        await page.GetByRole(AriaRole.Link, new() { Name = "目标任务", Exact = true }).ClickAsync();
        await page.GetByLabel("名称", new() { Exact = true }).FillAsync(name);
        await page.GetByLabel("考核期间").SelectOptionAsync("2024");
        await page.GetByLabel("第1项任务名称").FillAsync("走访企业");
        await page.GetByLabel("第1项计量单位").FillAsync("家");
        await page.GetByLabel("第1项统计方式").SelectOptionAsync("包联走访");
        await page.GetByLabel("第2项任务名称").FillAsync("签约");
        await page.GetByLabel("第2项计量单位").FillAsync("个");
        await ScreenshotsAsync(page, "targets-index");
        await Button(page, "保存，下一步下达目标").ClickAsync();

        await Expect(page.Locator("h1")).ToContainTextAsync(name);
        foreach (var (item, goal) in new[] { ("签约（个，手工填报）", "10"), ("走访企业（家，包联走访）", "100") })
        {
            foreach (var unit in new[] { "unit:K-T", "unit:C-ZJ" })
            {
                await page.GetByLabel("任务", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = item });
                await page.GetByLabel("单位或包联干部").SelectOptionAsync(unit);
                await page.GetByLabel("目标数").FillAsync(goal);
                await Button(page, "下达").ClickAsync();
                await Expect(page.Locator("table.targets")).ToBeVisibleAsync();
            }
        }

        await Expect(page.Locator("table.targets tbody tr")).ToHaveCountAsync(4);
        var url = page.Url;
        await SignOutAsync(page);

        await SignInAsync(page, handler.UserName!);
        await page.GotoAsync(url);
        await Expect(page.Locator("table.targets tbody tr")).ToHaveCountAsync(2); // the town's own
        await page.GetByLabel("本次完成数量").FillAsync("-2");
        await page.GetByLabel("完成情况说明").FillAsync("与两家企业签订投资协议。");
        await Button(page, "提交填报").ClickAsync();
        await Expect(page.Locator(".error").Filter(new() { HasText = "填报数量不能为负数" })).ToBeVisibleAsync();
        await page.GetByLabel("本次完成数量").FillAsync("4");
        await page.Locator("#report-files").SetInputFilesAsync(
            new FilePayload { Name = "投资协议（盖章页）.pdf", MimeType = "application/pdf", Buffer = AttachmentsApiTests.Pdf });
        await Button(page, "提交填报").ClickAsync();
        await Expect(page.Locator("ul.reports")).ToContainTextAsync("待确认");
        await Expect(page.Locator("ul.reports ul.files")).ToContainTextAsync("投资协议（盖章页）.pdf");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "补充材料" })).ToBeVisibleAsync();
        await ScreenshotsAsync(page, "targets-report-files");
        await SignOutAsync(page);

        await SignInAsync(page, supervisor.UserName!);
        await page.GotoAsync(url);
        await Button(page, "确认").ClickAsync();
        await Expect(page.Locator("ul.reports")).ToContainTextAsync("已确认");
        await Expect(page.Locator("ul.reports ul.files")).ToContainTextAsync("投资协议（盖章页）.pdf"); // the office sees the evidence
        var town = page.Locator("table.targets tbody tr").Filter(new() { HasText = "签约" }).Filter(new() { HasText = "测试镇" });
        await Expect(town).ToContainTextAsync("4 个");
        await Expect(town).ToContainTextAsync("40%");
        await Expect(town).ToContainTextAsync("第 1 名");
        var bureau = page.Locator("table.targets tbody tr").Filter(new() { HasText = "签约" }).Filter(new() { HasText = "测试市住建局" });
        await Expect(bureau).ToContainTextAsync("第 2 名");
        await Expect(bureau).ToContainTextAsync("落后于序时进度");
        await ScreenshotsAsync(page, "targets-set");

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "导出 Excel" }).ClickAsync());
        Assert.EndsWith(".xlsx", download.SuggestedFilename, StringComparison.Ordinal);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<UserAccounts>().CreateAsync($"bl{suffix}", $"包联干部赵刚{suffix}", "K-T", [Role.Cadre], Password);
        }

        await page.GotoAsync("/Assessment/Targets/Cadres?period=2024");
        await Expect(page.Locator("h1")).ToContainTextAsync("包联干部考评");
        await Expect(page.Locator("table.targets")).ToContainTextAsync($"包联干部赵刚{suffix}");
        await ScreenshotsAsync(page, "targets-cadres");
    }

    [Fact]
    public async Task Office_DryRunsATargetsFile_AndSeesEachRowsProblems()
    {
        var suffix = Suffix();
        var (supervisor, _) = await PeopleAsync(suffix);
        var file = Path.Combine(Path.GetTempPath(), $"targets-{suffix}.csv");
        await File.WriteAllTextAsync(file, "目标任务,考核期间,任务,计量单位,统计方式,单位,包联干部,目标数\n"
            + $"导入{suffix},2024,督查检查,批次,,测试镇,,40\n导入{suffix},2024,督查检查,批次,,不存在的单位,,40\n导入{suffix},2024,签约,个,,测试镇,,0\n");

        var page = await NewPageAsync();
        await SignInAsync(page, supervisor.UserName!);
        await page.GotoAsync("/Assessment/Targets");
        await page.GetByLabel("选择文件（xlsx 或 CSV）").SetInputFilesAsync(file);
        await Button(page, "只检查").ClickAsync();

        var report = page.Locator(".import-report");
        await Expect(report).ToContainTextAsync("2 行有误");
        await Expect(report).ToContainTextAsync("没有「不存在的单位」这个单位。");
        await Expect(report).ToContainTextAsync("目标数须大于 0。");
        await ScreenshotsAsync(page, "targets-import");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = $"「导入{suffix}」" })).ToHaveCountAsync(0); // nothing stored
        File.Delete(file);
    }
}
