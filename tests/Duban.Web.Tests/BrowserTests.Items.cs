using System.Globalization;
using System.Text.RegularExpressions;
using Duban.Calendar;
using Duban.Data;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Duban.Tests;

/// <summary>工作事项 in the browser: the office creates an item with four nodes (one row added by the page's script),
/// the township signs and, once it lags, reports progress and the colour turns from yellow to green; the ledger, the
/// form and the item page at desktop and phone widths.</summary>
public sealed partial class BrowserTests
{
    [Fact]
    public async Task Items_OfficeCreatesWithFourNodes_TownshipReports_ColourTurnsGreen()
    {
        var suffix = Suffix();
        var (supervisor, handler) = await PeopleAsync(suffix);
        var title = $"城北污水处理厂扩建{suffix}";
        var today = ChinaTime.DateOf(app.Clock.GetUtcNow());
        string Day(int days) => today.AddDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        var page = await NewPageAsync();
        await SignInAsync(page, supervisor.UserName!);
        await page.GetByRole(AriaRole.Link, new() { Name = "工作事项", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/Items$"));
        await page.GetByRole(AriaRole.Link, new() { Name = "重大项目" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "新建工作事项" }).ClickAsync();
        await Expect(page.Locator("#Form_Register")).ToHaveValueAsync("project");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "工作事项", Exact = true })).ToHaveAttributeAsync("aria-current", "page");

        await page.GetByLabel("工作任务").FillAsync(title);
        await page.GetByLabel("具体内容").FillAsync("新增日处理能力 5 万吨，配套管网 12 公里。");
        await page.Locator("#lead-K-T").CheckAsync();
        await page.Locator("#co-C-ZJ").CheckAsync();
        var nodes = new[] { ("立项", Day(50)), ("开工", Day(80)), ("主体完工", Day(120)), ("竣工", Day(150)) };
        for (var i = 0; i < 3; i++)
        {
            await page.Locator($"#node-name-{i}").FillAsync(nodes[i].Item1);
            await page.Locator($"#node-date-{i}").FillAsync(nodes[i].Item2);
        }

        // A seventh row by the page's script, then the fourth node in it; blank rows are not sent.
        await Button(page, "增加一行").ClickAsync();
        await page.Locator("#node-name-6").FillAsync(nodes[3].Item1);
        await page.Locator("#node-date-6").FillAsync(nodes[3].Item2);
        await page.Locator("#Form_Cycle").SelectOptionAsync("monthly");
        await page.Locator("#Form_Day").FillAsync("25");
        await page.Locator("#Form_People_1_user").SelectOptionAsync("other");
        await page.Locator("#Form_People_1_name").FillAsync($"李局长{suffix}");
        await ScreenshotsAsync(page, "items-new");
        await Button(page, "交办工作事项").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/Items/\\d+$"));
        var id = long.Parse(Regex.Match(page.Url, "/Items/(\\d+)$").Groups[1].Value, CultureInfo.InvariantCulture);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = title })).ToBeVisibleAsync();
        await Expect(page.Locator(".item-head .colour")).ToHaveTextAsync("绿色");
        await Expect(page.Locator("table.plan tbody tr")).ToHaveCountAsync(4);
        await Expect(page.Locator("table.plan tbody tr").Nth(3)).ToContainTextAsync("竣工");

        await page.GotoAsync("/Items?register=project");
        var row = page.Locator("table.items tbody tr", new() { HasText = title });
        await Expect(row).ToContainTextAsync("测试镇");
        await Expect(row).ToContainTextAsync($"李局长{suffix}");
        await Expect(row.Locator("td.state")).ToContainTextAsync("绿");
        await ScreenshotsAsync(page, "items-list");

        // The township signs on the matter page, then lags: 40 days on with nothing reported, past the 25th.
        var town = await NewPageAsync();
        await SignInAsync(town, handler.UserName!);
        await town.GotoAsync($"/matters/{id}");
        await Button(town, "签收").ClickAsync();
        app.Clock.Advance(TimeSpan.FromDays(40));
        await using (var scope = app.Services.CreateAsyncScope()) // the sweep's part: colours move with time
        {
            await ItemColours.RefreshAsync(scope.ServiceProvider.GetRequiredService<DubanDbContext>(),
                scope.ServiceProvider.GetRequiredService<Rules>(), app.Clock.GetUtcNow());
        }

        await SignInAsync(town, handler.UserName!); // 40 days idle: signed out
        await town.GotoAsync($"/Items/{id}");
        await Expect(town.Locator(".item-head .colour")).ToHaveTextAsync("黄色");
        await Expect(town.Locator(".item-head .reason")).ToContainTextAsync("序时进度");

        await town.GetByText("填报进度", new() { Exact = true }).ClickAsync();
        await town.GetByLabel("完成进度（%）").FillAsync("35");
        await town.GetByLabel("本期完成情况").FillAsync("完成可研编制和用地预审");
        await town.GetByLabel("存在问题").FillAsync("环评批复尚未取得");
        await ScreenshotsAsync(town, "items-report");
        await Button(town, "提交填报").ClickAsync();
        await Expect(town.Locator("p.notice")).ToHaveTextAsync("进度已填报。");
        await Expect(town.Locator(".item-head .colour")).ToHaveTextAsync("绿色");
        await Expect(town.Locator(".item-head .reason")).ToContainTextAsync("进度 35%");
        await Expect(town.Locator("article.report").First).ToContainTextAsync("环评批复尚未取得");
        await ScreenshotsAsync(town, "items-item");

        var phone = await NewPageAsync(PhoneWidth);
        await SignInAsync(phone, supervisor.UserName!);
        await phone.GotoAsync("/Items?register=project");
        await Expect(phone.Locator("table.items tbody tr", new() { HasText = title })).ToBeVisibleAsync();
        await ScreenshotsAsync(phone, "items-list-phone");
    }
}
