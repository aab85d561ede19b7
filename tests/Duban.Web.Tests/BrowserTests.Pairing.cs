using Duban.Data;
using Duban.Matters;
using Duban.Tests.Import;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Duban.Tests;

/// <summary>包联 and import pages in the browser.</summary>
public sealed partial class BrowserTests
{
    [Fact]
    public async Task Cadre_LogsAVisitRaisingAProblem_AndTheAppealExistsWithTheVisitChannel()
    {
        var suffix = Suffix();
        var code = ("914101" + suffix.ToUpperInvariant() + "000000000")[..18];
        long enterpriseId;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var accounts = scope.ServiceProvider.GetRequiredService<UserAccounts>();
            await accounts.CreateAsync($"bl{suffix}", "包联干部赵刚", "K-T", [Role.Cadre], Password);
            var enterprises = scope.ServiceProvider.GetRequiredService<Enterprises>();
            enterpriseId = (await enterprises.SaveAsync($"示范食品厂{suffix}", code, "K-T", app.Org.Supervisor)).Id;
            await enterprises.PairAsync(enterpriseId, $"bl{suffix}", "2024-02-01", app.Org.Supervisor);
        }

        var page = await NewPageAsync();
        await SignInAsync(page, $"bl{suffix}");
        await page.GetByRole(AriaRole.Link, new() { Name = "包联", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = $"示范食品厂{suffix}" }).First.ClickAsync();
        await page.GetByLabel("走访情况").FillAsync("了解春节后复工情况。");
        await page.Locator("#p0-title").FillAsync("厂区门前道路破损");
        await page.Locator("#p0-content").FillAsync("货车进出困难，请求修复。");
        await page.Locator("#p0-category").SelectOptionAsync("交通运输");
        await Button(page, "保存走访").ClickAsync();

        await Expect(page.Locator("ol.visits")).ToContainTextAsync("已登记诉求");
        await Expect(page.Locator("ol.visits")).ToContainTextAsync("包联走访");
        await ScreenshotsAsync(page, "pairing-enterprise");
        await using var check = app.Services.CreateAsyncScope();
        var appeal = await check.ServiceProvider.GetRequiredService<DubanDbContext>().Appeals.Include(a => a.Matter)
            .SingleAsync(a => a.EnterpriseCode == code);
        Assert.Equal(MatterSource.Visit, appeal.Matter!.Source);
        Assert.Equal("厂区门前道路破损", appeal.Matter.Title);
    }

    [Fact]
    public async Task Supervisor_UploadsAMessyWorkbook_DryRunsIt_AndSeesRejectedCells()
    {
        var suffix = Suffix();
        var (supervisor, _) = await PeopleAsync(suffix);
        var file = Path.Combine(Path.GetTempPath(), $"messy-{suffix}.xlsx");
        await File.WriteAllBytesAsync(file, AppealImportTests.MessyWorkbook());

        var page = await NewPageAsync();
        await SignInAsync(page, supervisor.UserName!);
        await page.GotoAsync("/Import/Appeals");
        await page.GetByLabel("xlsx 或 CSV 文件").SetInputFilesAsync(file);
        await Button(page, "上传并对应列").ClickAsync();
        await Expect(page.GetByLabel("标题", new() { Exact = true })).ToHaveValueAsync("1"); // guessed from the header
        await ScreenshotsAsync(page, "import-mapping");
        await Button(page, "试导入（只检查，不保存）").ClickAsync();

        await Expect(page.Locator("p.summary")).ToContainTextAsync("可导入 4", new() { Timeout = 30_000 });
        await Expect(page.Locator("table.rejected")).ToContainTextAsync("B5");
        await Expect(page.Locator("table.rejected")).ToContainTextAsync("外星事务");
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "下载报告（xlsx）" }).ClickAsync());
        Assert.EndsWith(".xlsx", download.SuggestedFilename, StringComparison.Ordinal);
        File.Delete(file);
    }
}
