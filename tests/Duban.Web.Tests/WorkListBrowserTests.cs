using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Duban.Appeals;
using Duban.Data;
using Duban.Matters;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MiniExcelLibs;
using static Microsoft.Playwright.Assertions;

namespace Duban.Tests;

/// <summary>
/// Issue 16, the work list and its neighbours in the browser (1280 and 390 px): the 已退回 and 全部 tabs, search and
/// filters in the query string, sorting, the Excel export, 签收所选事项 offered only to those who may, lists that fit a
/// phone, 相似事项 that mean something, the warning before a duplicate is assigned, and forms sent twice made once.
/// </summary>
public sealed class WorkListBrowserTests(SqliteApp app, Chromium chromium) : IClassFixture<SqliteApp>, IClassFixture<Chromium>
{
    private const string Password = "Duban-Test-2024!";

    private static string Suffix() => Guid.NewGuid().ToString("N")[..6];

    private async Task<(User Supervisor, User Handler)> PeopleAsync(string suffix)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<UserAccounts>();
        var supervisor = await accounts.CreateAsync($"wd{suffix}", "督查员周洁", "C-DC", [Role.Supervisor], Password);
        var handler = await accounts.CreateAsync($"wk{suffix}", "镇承办陈磊", "K-T", [Role.Handler], Password);
        return (supervisor, handler);
    }

    private async Task<long> AssignAsync(User assigner, NewMatter input)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var actor = await scope.ServiceProvider.GetRequiredService<UserAccounts>().ActorOfAsync(assigner);
        return await scope.ServiceProvider.GetRequiredService<AssignMatter>().ExecuteAsync(input, actor);
    }

    private async Task ActAsync(User user, long id, MatterCommand command)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var actor = await scope.ServiceProvider.GetRequiredService<UserAccounts>().ActorOfAsync(user);
        await scope.ServiceProvider.GetRequiredService<ActOnMatter>().ExecuteAsync(id, command, null, actor);
    }

    private async Task<int> CountTitledAsync(string title)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DubanDbContext>().Matters.CountAsync(m => m.Title == title);
    }

    private async Task<IPage> NewPageAsync(int width = 1280)
    {
        var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.BaseAddress.ToString(),
            Locale = "zh-CN",
            TimezoneId = "Asia/Shanghai",
            ViewportSize = new ViewportSize { Width = width, Height = 900 },
            AcceptDownloads = true,
        });
        context.SetDefaultTimeout(10_000);
        return await context.NewPageAsync();
    }

    private static async Task SignInAsync(IPage page, string userName)
    {
        await page.GotoAsync("/login");
        await page.GetByLabel("用户名", new() { Exact = true }).FillAsync(userName);
        await page.GetByLabel("密码", new() { Exact = true }).FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "退出", Exact = true })).ToBeVisibleAsync();
    }

    private static ILocator Button(IPage page, string name) => page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    private static ILocator Tab(IPage page, string name) =>
        page.GetByRole(AriaRole.Navigation, new() { Name = "工作台分类" }).GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^" + name) });

    private static ILocator Row(IPage page, string title) =>
        page.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Link, new() { Name = title, Exact = true }) });

    /// <summary>The page at a phone's width is no wider than the phone.</summary>
    private static async Task AssertFitsPhoneAsync(IPage page, string name)
    {
        await page.SetViewportSizeAsync(390, 900);
        var width = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(width <= 390, $"{name} is {width}px wide at 390px.");
        await page.SetViewportSizeAsync(1280, 900);
    }

    [Fact]
    public async Task ReturnedMatter_HasItsTab_IsInAll_AndStaysOnTheSupervisionBoard()
    {
        var suffix = Suffix();
        var (supervisor, handler) = await PeopleAsync(suffix);
        var title = $"农贸市场占道经营整治 {suffix}";
        var id = await AssignAsync(supervisor, TestMatters.Assignment("K-T") with { Title = title, Content = $"市场周边占道经营反弹，请整治。{suffix}" });
        await ActAsync(handler, id, new MatterCommand(MatterAction.Return) { Note = "属市场监管局职责，请转办。" });

        var page = await NewPageAsync();
        await SignInAsync(page, supervisor.UserName!);
        await Tab(page, "已退回").ClickAsync();
        await Expect(Tab(page, "已退回")).ToHaveAttributeAsync("aria-current", "page");
        await Expect(Row(page, title)).ToContainTextAsync("已退回");
        await BrowserTests.ScreenshotsAsync(page, "worklist-returned");
        await Tab(page, "全部").ClickAsync();
        await Expect(Row(page, title)).ToHaveCountAsync(1);

        // On the board a returned matter is reassigned (转办), not pressed (催办): the unit has said it is not its own.
        // Returned matters are listed last, so on a busy board it is on a later page.
        await page.GotoAsync("/supervision");
        var next = page.GetByRole(AriaRole.Navigation, new() { Name = "超期与督办事项分页" }).GetByRole(AriaRole.Link, new() { Name = "下一页" });
        for (var pages = 0; pages < 100 && await Row(page, title).CountAsync() == 0 && await next.CountAsync() > 0; pages++)
        {
            await next.ClickAsync();
            await page.WaitForURLAsync(new Regex($"/supervision\\?p={pages + 2}#attention$"));
        }

        await Expect(Row(page, title)).ToContainTextAsync("已退回");
        await Expect(Row(page, title).GetByText("催办 / 督办")).ToHaveCountAsync(0);
        await Row(page, title).GetByRole(AriaRole.Link, new() { Name = "转办", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/matters/{id}#transfer-unit$"));
        await Expect(page.GetByLabel("转办给")).ToBeVisibleAsync();
        await page.GoBackAsync();
        await AssertFitsPhoneAsync(page, "supervision");
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData(1280)]
    [InlineData(390)]
    public async Task UnitPicker_OffersTheUnitsATypedTextFinds_WithoutShippingTheDirectory_AndTheListFilters(int width)
    {
        var suffix = Suffix();
        var (supervisor, _) = await PeopleAsync(suffix);
        var town = $"镇区路灯维修{suffix}";
        var city = $"市区井盖更换{suffix}";
        await AssignAsync(supervisor, TestMatters.Assignment("K-T") with { Title = town });
        await AssignAsync(supervisor, TestMatters.Assignment("C-ZJ") with { Title = city });

        var page = await NewPageAsync(width);
        await SignInAsync(page, supervisor.UserName!);
        await page.GotoAsync($"/?q={suffix}");
        await Expect(Row(page, city)).ToHaveCountAsync(1);
        var unit = page.GetByLabel("牵头单位");
        await Expect(unit.Locator("option[data-code]")).ToHaveCountAsync(0); // no unit shipped until one is looked for

        // Pinyin initials of 住建局 (zjj): the one unit found is chosen, as typing its full name would.
        var box = page.GetByLabel("查找单位");
        await box.FillAsync("zjj");
        await Expect(unit).ToHaveValueAsync("C-ZJ");
        // Part of a name: the units it finds, by name, to choose from.
        await box.FillAsync("测试");
        await Expect(unit.Locator("option[value='K-T']")).ToHaveCountAsync(1);
        await unit.SelectOptionAsync("K-T");
        await BrowserTests.ScreenshotsAsync(page, $"worklist-unit-picker-{width}");
        if (width < 400)
        {
            await AssertFitsPhoneAsync(page, "worklist-unit-picker-phone");
        }

        await Button(page, "查询").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("unit=K-T"));
        Assert.DoesNotContain("unit-q", page.Url, StringComparison.Ordinal); // with script the box is not sent
        await Expect(Row(page, town)).ToHaveCountAsync(1);
        await Expect(Row(page, city)).ToHaveCountAsync(0);
        await Expect(unit).ToHaveValueAsync("K-T"); // the chosen unit drawn again by the server
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task PersonFilter_SuggestsTheNamesItsTextFinds_WithoutShippingTheStaff()
    {
        var suffix = Suffix();
        var (supervisor, _) = await PeopleAsync(suffix);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<UserAccounts>().CreateAsync($"wz{suffix}", $"欧阳{suffix}", "C-ZJ", [Role.Handler], Password);
        }

        var page = await NewPageAsync();
        await SignInAsync(page, supervisor.UserName!);
        await page.GotoAsync("/");
        await Expect(page.Locator("#f-people option")).ToHaveCountAsync(0);
        var filter = page.Locator("#f-person");
        if (!await filter.IsVisibleAsync())
        {
            await page.Locator("summary", new() { HasText = "筛选" }).First.ClickAsync();
        }

        await filter.FillAsync($"oy{suffix}"); // pinyin initials of 欧阳
        await Expect(page.Locator($"#f-people option[value='欧阳{suffix}']")).ToHaveCountAsync(1);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task UnitPicker_WithoutScript_TheTypedTextNamesTheUnit_OrListsWhatItFinds()
    {
        var suffix = Suffix();
        var (supervisor, _) = await PeopleAsync(suffix);
        var town = $"镇区垃圾清运{suffix}";
        var city = $"市区绿化补种{suffix}";
        await AssignAsync(supervisor, TestMatters.Assignment("K-T") with { Title = town });
        await AssignAsync(supervisor, TestMatters.Assignment("C-ZJ") with { Title = city });
        var session = await PageSession.SignInAsync(app, "C-DC", Role.Supervisor);

        // The box alone, sent as unit-q: a name the one unit bears filters by it.
        var named = await session.GetStringAsync($"/?q={suffix}&unit-q={Uri.EscapeDataString("测试市住建局")}");
        Assert.Contains(city, named, StringComparison.Ordinal);
        Assert.DoesNotContain(town, named, StringComparison.Ordinal);
        Assert.Matches("<option value=\"C-ZJ\" selected=\"selected\"", named);

        // A text several units hold: nothing filtered yet, the units it found offered, and why.
        var several = await session.GetStringAsync($"/?q={suffix}&unit-q={Uri.EscapeDataString("测试")}");
        Assert.Contains(city, several, StringComparison.Ordinal);
        Assert.Contains(town, several, StringComparison.Ordinal);
        Assert.Contains("个单位，请在列表中选择一个。", several, StringComparison.Ordinal);
        Assert.Contains("<option value=\"K-T\"", several, StringComparison.Ordinal);

        // Then chosen from that list (the box still holding the text): the chosen one wins.
        var chosen = await session.GetStringAsync($"/?q={suffix}&unit=K-T&unit-q={Uri.EscapeDataString("测试")}");
        Assert.Contains(town, chosen, StringComparison.Ordinal);
        Assert.DoesNotContain(city, chosen, StringComparison.Ordinal);

        // The options the script asks for: by pinyin initials, only what was found.
        var options = await session.GetStringAsync("/units/options?q=zjj");
        Assert.Contains("data-code=\"C-ZJ\"", options, StringComparison.Ordinal);
        Assert.DoesNotContain("data-code=\"K-T\"", options, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WorkList_NextPage_CarriesTheLastRowsKey_AndListsEveryMatterOnce()
    {
        var suffix = Suffix();
        var (supervisor, _) = await PeopleAsync(suffix);
        var titles = new List<string>();
        for (var i = 0; i < 53; i++)
        {
            // Assigned at one instant: equal deadlines, so the key's deadline and id both count.
            titles.Add($"分页{suffix}-{i:00}");
            await AssignAsync(supervisor, TestMatters.Assignment("K-T") with { Title = titles[^1] });
        }

        var page = await NewPageAsync();
        await SignInAsync(page, supervisor.UserName!);
        await page.GotoAsync($"/?tab=all&q={suffix}");
        var rows = page.Locator("table.matters tbody tr td.title a");
        await Expect(rows).ToHaveCountAsync(50);
        var seen = (await rows.AllInnerTextsAsync()).ToList();
        var pager = page.GetByRole(AriaRole.Navigation, new() { Name = "分页" });
        await Expect(pager).ToContainTextAsync("第 1 / 2 页");
        await pager.GetByRole(AriaRole.Link, new() { Name = "下一页" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("p=2&after=\\d+&after-due=\\d+"));
        await Expect(rows).ToHaveCountAsync(3);
        await Expect(pager).ToContainTextAsync("第 2 / 2 页");
        await Expect(pager.GetByRole(AriaRole.Link, new() { Name = "下一页" })).ToHaveCountAsync(0);
        await BrowserTests.ScreenshotsAsync(page, "worklist-page-2");
        seen.AddRange(await rows.AllInnerTextsAsync());
        Assert.Equal(titles, seen.Select(t => t.Trim())); // each once, in the list's order (equal deadlines: by id)
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task WorkList_SearchesAndFiltersByTheQueryString_SortsByColumns_AndExportsTheSame()
    {
        var suffix = Suffix();
        var (supervisor, _) = await PeopleAsync(suffix);
        var town = $"集贸市场改造{suffix}";
        var city = $"市政道路{suffix}修补";
        var appeal = $"噪音扰民{suffix}";
        var townId = await AssignAsync(supervisor, TestMatters.Assignment("K-T") with { Title = town, Content = "集贸市场屋顶漏雨，请改造。" });
        await AssignAsync(supervisor, TestMatters.Assignment("C-ZJ") with { Title = city, Content = "主干道坑槽多处，请修补。" });
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        var appealId = await AssignAsync(supervisor, TestMatters.Assignment("K-T") with
        {
            Title = appeal, Kind = "appeal", Source = "hotline", Content = $"工地夜间施工噪音扰民，编号{suffix}。",
        });

        var page = await NewPageAsync();
        await SignInAsync(page, supervisor.UserName!);
        await page.GetByLabel("查找单位").FillAsync("试镇"); // the picker asks for the units a part of the name finds
        var unitOption = page.Locator("#f-unit option[value='K-T']");
        await Expect(unitOption).ToHaveCountAsync(1);
        Assert.Equal("测试镇", (await unitOption.InnerTextAsync()).Trim()); // chosen by name, not by code
        await page.GetByLabel("关键词").FillAsync(suffix);
        await page.GetByLabel("牵头单位").SelectOptionAsync("K-T");
        await Button(page, "查询").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"q={suffix}.*unit=K-T"));
        await Expect(Tab(page, "全部")).ToHaveAttributeAsync("aria-current", "page");
        await Expect(Row(page, town)).ToHaveCountAsync(1);
        await Expect(Row(page, appeal)).ToHaveCountAsync(1);
        await Expect(Row(page, city)).ToHaveCountAsync(0);
        await Expect(page.Locator(".toolbar")).ToContainTextAsync("共 2 件");

        // Sorted by a heading: 交办时间 newest first, then the other way.
        var table = page.GetByRole(AriaRole.Table);
        await table.GetByRole(AriaRole.Link, new() { Name = "交办时间" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("sort=assigned&dir=desc"));
        await Expect(page.Locator("table.matters tbody tr td.title a").First).ToHaveTextAsync(appeal);
        await page.GetByRole(AriaRole.Table).GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^交办时间") }).ClickAsync();
        await Expect(page.Locator("table.matters tbody tr td.title a").First).ToHaveTextAsync(town);
        await BrowserTests.ScreenshotsAsync(page, "worklist-filtered");

        // The link is the filter: opened elsewhere (another person with the link), the same list; kind narrows further.
        var shared = page.Url;
        var other = await NewPageAsync(390);
        await SignInAsync(other, supervisor.UserName!);
        await other.GotoAsync(shared + "&kind=appeal");
        await Expect(other.Locator("table.matters tbody tr td.title a")).ToHaveTextAsync([appeal]);
        await AssertFitsPhoneAsync(other, "worklist-filtered-phone");
        await other.Context.CloseAsync();

        // 导出 Excel: the same two matters, read back.
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "导出 Excel" }).ClickAsync());
        var path = Path.Combine(Path.GetTempPath(), $"worklist-{suffix}.xlsx");
        await download.SaveAsAsync(path);
        try
        {
            var rows = MiniExcel.Query(path, useHeaderRow: true, sheetName: MatterLedger.SheetName).Cast<IDictionary<string, object?>>().ToList();
            Assert.Equal(new[] { town, appeal }, rows.Select(r => (string)r["标题"]!));
            Assert.Equal(new[] { "交办事项", "诉求" }, rows.Select(r => (string)r["类型"]!));
            Assert.All(rows, r => Assert.Equal("测试镇", r["牵头单位"]));
        }
        finally
        {
            File.Delete(path);
        }

        // A bad value in a hand-made link is named, in Chinese, and the rest of the page still works.
        await page.GotoAsync($"/?status=lost&q={suffix}");
        await Expect(page.Locator("p.error[role=alert]")).ToContainTextAsync("未知状态");
        Assert.True(townId > 0 && appealId > townId);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task WorkList_OnAPhone_FoldsTheFilterBar()
    {
        var (supervisor, _) = await PeopleAsync(Suffix());
        var page = await NewPageAsync(390);
        await SignInAsync(page, supervisor.UserName!);
        await page.GotoAsync("/?tab=all");
        var bar = page.Locator("details.filter-bar");
        await Expect(bar).Not.ToHaveAttributeAsync("open", "");
        await page.GetByText("搜索与筛选").ClickAsync();
        await Expect(page.GetByLabel("关键词")).ToBeVisibleAsync();
        var width = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(width <= 390, $"the open filter bar is {width}px wide at 390px.");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task BulkAcknowledge_IsOfferedOnlyToThoseWhoMayAcknowledge()
    {
        var suffix = Suffix();
        var (supervisor, handler) = await PeopleAsync(suffix);
        var title = $"危房排查 {suffix}";
        await AssignAsync(supervisor, TestMatters.Assignment("K-T") with { Title = title, Content = $"汛前完成辖区危房排查。{suffix}" });

        // The office assigned it and sees it waiting, but only the lead unit acknowledges: no box, no button.
        var page = await NewPageAsync();
        await SignInAsync(page, supervisor.UserName!);
        await page.GotoAsync("/?tab=unacknowledged");
        await Expect(Row(page, title)).ToHaveCountAsync(1);
        await Expect(Row(page, title).GetByRole(AriaRole.Checkbox)).ToHaveCountAsync(0);
        await Expect(Button(page, "签收所选事项")).ToHaveCountAsync(0);
        await page.Context.CloseAsync();

        var unit = await NewPageAsync();
        await SignInAsync(unit, handler.UserName!);
        await unit.GotoAsync("/?tab=unacknowledged");
        await Row(unit, title).GetByRole(AriaRole.Checkbox).CheckAsync();
        await Button(unit, "签收所选事项").ClickAsync();
        await Expect(Row(unit, title)).ToContainTextAsync("已签收");
        await BrowserTests.ScreenshotsAsync(unit, "worklist-acknowledged");
        await unit.Context.CloseAsync();
    }

    [Fact]
    public async Task HandlingList_Pairing_AndSimilarMatters_FitAPhone()
    {
        var suffix = Suffix();
        var (supervisor, _) = await PeopleAsync(suffix);
        var code = ("914101" + suffix.ToUpperInvariant() + "000000000")[..18];
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var enterprises = scope.ServiceProvider.GetRequiredService<Enterprises>();
            await enterprises.SaveAsync($"宏达精密机械制造有限公司{suffix}", code, "K-T", app.Org.Supervisor);
            await scope.ServiceProvider.GetRequiredService<AppealIntake>().RegisterAsync(new AppealInput
            {
                Title = $"小区路灯不亮{suffix}",
                Content = "幸福路小区门口路灯坏了两周，夜间出行不便。",
                Category = AppealCategories.All[0],
                Region = "K-T",
                LeadUnit = "K-T",
                ContactName = "李女士",
                ContactPhone = "13912345678",
            }, new Intake(app.Org.Supervisor, MatterSource.Hotline));
        }

        var title = $"老旧小区加装电梯推进缓慢 {suffix}";
        var content = "城东片区老旧小区加装电梯项目审批环节多、推进缓慢，群众多次反映，请牵头单位梳理堵点、压实责任、加快推进。";
        var first = await AssignAsync(supervisor, TestMatters.Assignment("K-T") with { Title = title, Content = content });
        await AssignAsync(supervisor, TestMatters.Assignment("K-T") with { Title = $"{title}（再次反映）", Content = content + "近期又有群众来电。" });

        var page = await NewPageAsync();
        await SignInAsync(page, supervisor.UserName!);
        await page.GotoAsync("/Lists/Handling");
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "办理清单" })).ToContainTextAsync("测试镇");
        await BrowserTests.ScreenshotsAsync(page, "lists-handling");
        await AssertFitsPhoneAsync(page, "办理清单");

        await page.GotoAsync("/Pairing");
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "包联企业" })).ToContainTextAsync(code);
        await AssertFitsPhoneAsync(page, "包联");
        await page.SetViewportSizeAsync(390, 900);
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots", "pairing-phone.png"), FullPage = true });
        await page.SetViewportSizeAsync(1280, 900);

        await page.GotoAsync(string.Create(CultureInfo.InvariantCulture, $"/matters/{first}"));
        var similar = page.Locator("section.similar");
        await Expect(similar).ToContainTextAsync("（再次反映）");
        // The fetched section comes alone: one page header, not a second one inside the matter page.
        await Expect(page.GetByRole(AriaRole.Banner)).ToHaveCountAsync(1);
        await AssertFitsPhoneAsync(page, "相似事项");
        await page.SetViewportSizeAsync(390, 900);
        var titleCell = similar.Locator("td.title").First;
        var box = await titleCell.BoundingBoxAsync();
        Assert.True(box!.Width > 200, $"the similar matter's title is {box.Width}px wide at 390px (one character a line?).");
        await similar.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots", "similar-phone.png") });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task SimilarMatters_ListsOnlyProbableDuplicates_AndAssigningADuplicateWarnsFirst()
    {
        var suffix = Suffix();
        var (supervisor, _) = await PeopleAsync(suffix);
        var title = $"城南污水处理厂提标改造滞后 {suffix}";
        var content = "城南污水处理厂提标改造工程原定年底完工，目前土建进度不足四成，出水水质仍达不到一级A标准，请牵头单位倒排工期、加快施工。";
        var existing = await AssignAsync(supervisor, TestMatters.Assignment("K-T") with { Title = title, Content = content });
        // Shares some words (牵头单位, 加快) but is another problem: weakly alike, not listed.
        var weak = await AssignAsync(supervisor, TestMatters.Assignment("K-T") with
        {
            Title = $"城区学校周边交通秩序 {suffix}", Content = "上下学高峰城区学校周边车辆乱停乱放，请牵头单位加快整治，保障学生安全。",
        });

        var page = await NewPageAsync();
        await SignInAsync(page, supervisor.UserName!);
        await page.GotoAsync(string.Create(CultureInfo.InvariantCulture, $"/matters/{weak}"));
        await Expect(page.Locator("section.similar")).ToContainTextAsync("未发现相似事项");

        // 交办 the same problem again, retold: the form warns and names the open matter; 仍然交办 goes on.
        await page.GotoAsync("/assign");
        var retold = $"城南污水处理厂提标改造进度滞后 {suffix}";
        await page.GetByLabel("标题").FillAsync(retold);
        await page.GetByLabel("事项内容").FillAsync("城南污水处理厂提标改造工程原定年底完工，目前土建进度不足四成，出水仍达不到一级A标准，请倒排工期、加快施工。");
        await page.GetByLabel("目标任务").FillAsync("年底前完成提标改造");
        await page.GetByLabel("工作标准").FillAsync("出水稳定达到一级A标准");
        await page.GetByLabel("牵头：测试镇").CheckAsync();
        await Button(page, "交办").ClickAsync();
        var warning = page.Locator(".duplicate-warning");
        await Expect(warning).ToContainTextAsync("可能重复交办");
        await Expect(warning.GetByRole(AriaRole.Link)).ToContainTextAsync(title);
        Assert.Equal(0, await CountTitledAsync(retold));
        await Expect(page.GetByLabel("标题")).ToHaveValueAsync(retold);
        await BrowserTests.ScreenshotsAsync(page, "assign-duplicate-warning");
        await Button(page, "仍然交办").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/matters/\\d+$"));
        Assert.Equal(1, await CountTitledAsync(retold));

        await page.GotoAsync(string.Create(CultureInfo.InvariantCulture, $"/matters/{existing}"));
        await Expect(page.Locator("section.similar")).ToContainTextAsync(retold);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task AssignForms_SentTwiceWithTheSameKey_MakeOneSetOfMatters()
    {
        var suffix = Suffix();
        var office = await PageSession.SignInAsync(app, "C-DC", Role.Supervisor);
        static string Key(string html) => Regex.Match(html, "name=\"submissionKey\" value=\"([0-9a-f]{32})\"").Groups[1].Value;

        // 交办: the same form twice at once (a double click): one matter, both answers go to it.
        var key = Key(await office.GetStringAsync("/assign"));
        Assert.Equal(32, key.Length);
        var title = $"防汛物资储备检查 {suffix}";
        var form = new Dictionary<string, string>
        {
            ["submissionKey"] = key,
            ["Form.Title"] = title,
            ["Form.Content"] = $"汛期将至，请检查各镇防汛物资储备，{suffix}。",
            ["Form.Kind"] = "assignment",
            ["Form.Source"] = "meeting",
            ["Form.Goal"] = "物资储备到位",
            ["Form.Standard"] = "逐项登记、账实相符",
            ["Form.LeadUnit"] = "K-T",
            ["Form.Profile"] = "13710",
        };
        var twice = await Task.WhenAll(office.PostAsync("/assign", form), office.PostAsync("/assign", form));
        Assert.All(twice, r => Assert.Equal(HttpStatusCode.Redirect, r.StatusCode));
        Assert.Equal(twice[0].Headers.Location, twice[1].Headers.Location);
        Assert.Equal(1, await CountTitledAsync(title));

        // 从文稿交办: a speech's three matters, the assign step sent twice, stay three.
        var speech = $"刘涛强调，一要健全防汛机制{suffix}。二要排查风险隐患{suffix}。三要强化应急值守{suffix}。";
        var extracted = await office.PostAsync("/Assign/FromDocument?handler=Extract", new() { ["Text"] = speech });
        var drafts = await extracted.Content.ReadAsStringAsync();
        var docKey = Key(drafts);
        Assert.Equal(32, docKey.Length);
        var headings = new[] { $"健全防汛机制{suffix}", $"排查风险隐患{suffix}", $"强化应急值守{suffix}" };
        var fields = new Dictionary<string, string>
        {
            ["submissionKey"] = docKey,
            ["Text"] = speech,
            ["DocumentTitle"] = $"防汛工作会议讲话{suffix}",
            ["Defaults.LeadUnit"] = "K-T",
            ["Defaults.Goal"] = "按讲话要求抓好落实",
            ["Defaults.Standard"] = "每周报送进展",
        };
        for (var i = 0; i < headings.Length; i++)
        {
            fields[$"Drafts[{i}].Selected"] = "true";
            fields[$"Drafts[{i}].Title"] = headings[i];
            fields[$"Drafts[{i}].Content"] = headings[i] + "，层层压实责任。";
        }

        var first = await office.PostAsync("/Assign/FromDocument?handler=Assign", fields);
        var again = await office.PostAsync("/Assign/FromDocument?handler=Assign", fields);
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        foreach (var heading in headings)
        {
            Assert.Equal(1, await CountTitledAsync(heading));
        }

        // The resend is told so on the work list it lands on.
        var home = await office.GetStringAsync(again.Headers.Location!.ToString());
        Assert.Contains("这份表单已经提交过，没有重复交办。", WebUtility.HtmlDecode(home), StringComparison.Ordinal);
    }
}
