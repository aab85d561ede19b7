using System.Text.RegularExpressions;
using Duban.Data;
using Duban.Matters;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MiniExcelLibs;
using static Microsoft.Playwright.Assertions;

namespace Duban.Tests;

/// <summary>批量交办 in a real browser: from the 交办 page to the import page, the template, a file with a bad row
/// (预检 says which, nothing can be imported), a good file (预检 → 确认导入 → 已交办 2 项 → the work list shows them).</summary>
public sealed class MatterImportBrowserTests(SqliteApp app, Chromium chromium) : IClassFixture<SqliteApp>, IClassFixture<Chromium>
{
    private const string Password = "Duban-Test-2024!";

    private static byte[] Workbook(params (string Title, string Lead)[] rows)
    {
        using var buffer = new MemoryStream();
        buffer.SaveAs(rows.Select(r => new Dictionary<string, object?>
        {
            ["标题"] = r.Title,
            ["内容（具体要求）"] = $"{r.Title}：梳理清单，按月报送进展。",
            ["目标任务"] = "年底前全面完成",
            ["工作标准"] = "群众认可，资料齐全",
            ["牵头单位"] = r.Lead,
            ["配合单位"] = "测试市住建局",
            ["办结期限"] = "2024年6月30日",
            ["序号备注"] = "忽略",
        }).ToList(), sheetName: "改革事项");
        return buffer.ToArray();
    }

    [Fact]
    public async Task Supervisor_ChecksAFile_FixesIt_AndImportsAllRowsAtOnce()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<UserAccounts>().CreateAsync($"imp{suffix}", "督查员周芳", "C-DC", [Role.Supervisor], Password);
        }

        var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.BaseAddress.ToString(), Locale = "zh-CN", TimezoneId = "Asia/Shanghai",
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/login");
        await page.GetByLabel("用户名", new() { Exact = true }).FillAsync($"imp{suffix}");
        await page.GetByLabel("密码", new() { Exact = true }).FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录", Exact = true }).ClickAsync();

        // From the 交办 page, and in the menu under 交办.
        await page.GotoAsync("/Assign");
        await page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Link, new() { Name = "批量交办", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/Import/Matters$"));
        await Expect(page.Locator("nav ul[aria-label=交办] a[href='/Import/Matters']")).ToHaveTextAsync("批量交办");
        await BrowserTests.ScreenshotsAsync(page, "import-matters");

        // The template: the header and an example, the units and the profiles.
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "下载模板（含单位名单和时限规则）" }).ClickAsync());
        await using (var template = new MemoryStream())
        {
            await (await download.CreateReadStreamAsync()).CopyToAsync(template);
            template.Position = 0;
            Assert.Equal(["交办事项", "单位名单", "时限规则"], template.GetSheetNames());
            template.Position = 0;
            var header = ((IDictionary<string, object?>)template.Query(sheetName: "交办事项").First()).Values.Select(v => v?.ToString()).ToList();
            Assert.Equal("标题", header[0]);
            Assert.Contains("牵头单位", header);
            template.Position = 0;
            var units = template.Query(useHeaderRow: true, sheetName: "单位名单").Cast<IDictionary<string, object?>>().Select(r => r["单位名称"]?.ToString()).ToList();
            Assert.Contains("测试镇", units);
        }

        // A file with one bad row: 预检 names the row and why; nothing can be imported.
        await page.Locator("#file").SetInputFilesAsync(new FilePayload
        {
            Name = "改革事项.xlsx", MimeType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Buffer = Workbook(($"社区养老服务改革{suffix}", "测试镇"), ($"河长制考核改革{suffix}", "无此单位")),
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "上传并预检" }).ClickAsync();
        var report = page.GetByRole(AriaRole.Table, new() { Name = "逐行结果" });
        await Expect(report.Locator("tbody tr")).ToHaveCountAsync(2);
        await Expect(report.Locator("tbody tr").Nth(0)).ToContainTextAsync("可导入");
        await Expect(report.Locator("tbody tr").Nth(0)).ToContainTextAsync("2024-06-30");
        await Expect(report.Locator("tbody tr").Nth(1)).ToContainTextAsync("找不到单位“无此单位”。");
        await Expect(page.Locator("#summary")).ToContainTextAsync("1 行有误");
        await Expect(page.Locator("#report")).ToContainTextAsync("这些列不导入：序号备注");
        await Expect(page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^确认导入") })).ToHaveCountAsync(0);
        await BrowserTests.ScreenshotsAsync(page, "import-matters-bad");
        Assert.Equal(0, await CountAsync(suffix));

        // The corrected file, uploaded from the report: 预检 passes and saves nothing; 确认导入 assigns both.
        await page.Locator("#file").SetInputFilesAsync(new FilePayload
        {
            Name = "改革事项.xlsx", MimeType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Buffer = Workbook(($"社区养老服务改革{suffix}", "测试镇"), ($"河长制考核改革{suffix}", "K-T")),
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "上传并预检" }).ClickAsync();
        await Expect(page.Locator("#summary")).ToHaveTextAsync("预检通过：共 2 行，可导入 2 项，尚未保存。");
        await BrowserTests.ScreenshotsAsync(page, "import-matters-check");
        Assert.Equal(0, await CountAsync(suffix));

        await page.GetByRole(AriaRole.Button, new() { Name = "确认导入（交办 2 项）" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "已交办 2 项" })).ToBeVisibleAsync();
        await Expect(page.Locator("main > p.notice[role=status]")).ToHaveTextAsync("已交办 2 项。");
        Assert.Equal(2, await CountAsync(suffix));
        await BrowserTests.ScreenshotsAsync(page, "import-matters-done");

        await page.GetByRole(AriaRole.Link, new() { Name = "在工作台查看今天交办的事项" }).ClickAsync();
        await Expect(page.GetByText($"社区养老服务改革{suffix}")).ToBeVisibleAsync();
        await Expect(page.GetByText($"河长制考核改革{suffix}")).ToBeVisibleAsync();
    }

    private async Task<int> CountAsync(string suffix)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DubanDbContext>().Matters.CountAsync(m => m.Title.EndsWith(suffix));
    }
}
