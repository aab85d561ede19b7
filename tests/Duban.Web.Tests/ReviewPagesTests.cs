using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Duban.Data;
using Duban.Matters;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Duban.Tests;

/// <summary>
/// A host with two months of history among six city departments (one peer group), built once: February 2024 and
/// March 2024, where three departments were on time and three late in February, and the order changed in March, so
/// the March review has ranks, rises and falls, a red and a black list; one March matter of 测试市发改委 is never
/// acknowledged (overdue now). Today is 2 April 2024, so the review page opens on March; this month so far holds the
/// same complaint three times (a hot issue) and one other matter.
/// </summary>
public sealed class ReviewHistoryFixture : IAsyncLifetime
{
    public SqliteApp App { get; } = new();

    /// <summary>The six departments: code → (name, on-time matters of three in February, in March).</summary>
    public static readonly (string Code, string Name, int February, int March)[] Departments =
    [
        ("C-DC", "测试市委督查室", 1, 3),
        ("C-ZJ", "测试市住建局", 3, 2),
        ("C-JT", "测试市交通局", 3, 1),
        ("C-SW", "测试市水务局", 2, 1),
        ("C-WJ", "测试市卫健委", 1, 3),
        ("C-FG", "测试市发改委", 0, 0),
    ];

    public static readonly DateTimeOffset Today = DateTimeOffset.Parse("2024-04-02T10:00:00+08:00", CultureInfo.InvariantCulture);

    public IReadOnlyDictionary<string, long> UnitIds { get; private set; } = new Dictionary<string, long>();

    public async Task InitializeAsync()
    {
        await App.InitializeAsync();
        var ids = new Dictionary<string, long>(App.Org.UnitIds);
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var directory = scope.ServiceProvider.GetRequiredService<UnitDirectory>();
            foreach (var (code, name, _, _) in Departments.Where(d => !ids.ContainsKey(d.Code)))
            {
                ids[code] = (await directory.SaveAsync(new UnitInput(code, name, "C", "department"))).Id;
            }
        }

        UnitIds = ids;
        await MonthAsync("2024-02-19T09:00:00+08:00", d => d.February, leaveOneUnacknowledged: false);
        await MonthAsync("2024-03-11T09:00:00+08:00", d => d.March, leaveOneUnacknowledged: true);
        App.Clock.SetUtcNow(Today.AddHours(-1));
        await using (var scope = App.Services.CreateAsyncScope())
        {
            // This month so far: the same complaint three times (a hot issue) and one other matter.
            var assign = scope.ServiceProvider.GetRequiredService<AssignMatter>();
            for (var i = 0; i < 3; i++)
            {
                await assign.ExecuteAsync(TestMatters.Assignment("C-ZJ") with
                {
                    Title = $"人民路与建设路交叉口暴雨积水{i + 1}",
                    Content = "人民路与建设路交叉口每逢暴雨积水严重，行人车辆无法通行，请尽快疏通排水管网并加装排水设施。",
                }, App.Org.Supervisor);
            }

            await assign.ExecuteAsync(TestMatters.Assignment("C-JT") with { Title = "公交站台遮雨棚破损" }, App.Org.Supervisor);
        }

        App.Clock.SetUtcNow(Today);
    }

    /// <summary>Three matters to each department; the on-time ones are acknowledged, reported and rated at once, the
    /// others two weeks later (late), except, when asked, one of 测试市发改委's, left untouched.</summary>
    private async Task MonthAsync(string start, Func<(string Code, string Name, int February, int March), int> onTime, bool leaveOneUnacknowledged)
    {
        App.Clock.SetUtcNow(DateTimeOffset.Parse(start, CultureInfo.InvariantCulture));
        var matters = new List<(string Code, long Id, bool OnTime)>();
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var assign = scope.ServiceProvider.GetRequiredService<AssignMatter>();
            foreach (var department in Departments)
            {
                for (var i = 0; i < 3; i++)
                {
                    var title = $"{start[..7]} {department.Name}督办事项{i + 1}";
                    var coUnits = department.Code == "C-ZJ" && i == 0 ? new[] { "C-SW" } : [];
                    var id = await assign.ExecuteAsync(TestMatters.Assignment(department.Code, coUnits) with { Title = title }, App.Org.Supervisor);
                    matters.Add((department.Code, id, i < onTime(department)));
                }
            }
        }

        App.Clock.Advance(TimeSpan.FromHours(1));
        await ActAsync(matters.Where(m => m.OnTime), Satisfaction.Satisfied);
        App.Clock.Advance(TimeSpan.FromDays(14));
        var late = matters.Where(m => !m.OnTime).ToList();
        if (leaveOneUnacknowledged)
        {
            late.Remove(late.Last(m => m.Code == "C-FG"));
        }

        await ActAsync(late, Satisfaction.Basically);
    }

    private async Task ActAsync(IEnumerable<(string Code, long Id, bool OnTime)> matters, Satisfaction rating)
    {
        foreach (var (code, id, _) in matters)
        {
            await using var scope = App.Services.CreateAsyncScope();
            var act = scope.ServiceProvider.GetRequiredService<ActOnMatter>();
            var handler = new Actor($"test:h{code}", "承办人", UnitIds[code], new HashSet<Role> { Role.Handler });
            await act.ExecuteAsync(id, new MatterCommand(MatterAction.Acknowledge), null, handler);
            await act.ExecuteAsync(id, new MatterCommand(MatterAction.Feedback) { Note = "已组织排查，正在整改。" }, null, handler);
            await act.ExecuteAsync(id, new MatterCommand(MatterAction.Complete) { Note = "已整改到位。" }, null, handler);
            await act.ExecuteAsync(id, new MatterCommand(MatterAction.Verify) { Accepted = true }, null, App.Org.Supervisor);
            await act.ExecuteAsync(id, new MatterCommand(MatterAction.Rate) { Satisfaction = rating }, null, App.Org.Supervisor);
        }
    }

    async Task IAsyncLifetime.DisposeAsync() => await ((IAsyncLifetime)App).DisposeAsync();
}

/// <summary>月讲评, its drill-down and the 驾驶舱, in Debian's Chromium at 1280 and 390 px, over <see cref="ReviewHistoryFixture"/>.</summary>
public sealed class ReviewPagesTests(ReviewHistoryFixture history, Chromium chromium, ITestOutputHelper output)
    : IClassFixture<ReviewHistoryFixture>, IClassFixture<Chromium>
{
    private const string Password = PageSession.Password;

    private DubanApp App => history.App;

    private async Task<string> PersonAsync(string unit, Role role)
    {
        var name = $"{role.ToString().ToLowerInvariant()}{Guid.NewGuid():N}"[..16];
        await using var scope = App.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<UserAccounts>().CreateAsync(name, role == Role.Handler ? "交通局承办人" : "督查员王敏", unit, [role], Password);
        return name;
    }

    private async Task<IPage> SignedInPageAsync(string unit, Role role, int width = 1280)
    {
        var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = App.BaseAddress.ToString(),
            Locale = "zh-CN",
            TimezoneId = "Asia/Shanghai",
            ViewportSize = new ViewportSize { Width = width, Height = 900 },
        });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/login");
        await page.GetByLabel("用户名", new() { Exact = true }).FillAsync(await PersonAsync(unit, role));
        await page.GetByLabel("密码", new() { Exact = true }).FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/$"));
        return page;
    }

    private static ILocator Group(IPage page, string name) => page.GetByRole(AriaRole.Region, new() { Name = name });

    /// <summary>A unit's row in the main table of its group (not the 配合 table under it).</summary>
    private static ILocator Row(IPage page, string unit) =>
        page.Locator("section.review-group > div.review-scroll table.review tbody tr").Filter(new() { Has = page.GetByRole(AriaRole.Rowheader, new() { Name = unit }) });

    private static ILocator Departments(IPage page) =>
        page.Locator("section.review-group").Filter(new() { Has = page.Locator("h2", new() { HasTextRegex = new Regex("^部门") }) });

    [Fact]
    public async Task Review_OpensOnLastMonth_WithRanksChangesListsAndEveryNumberLinked()
    {
        var page = await SignedInPageAsync("C-DC", Role.Supervisor);
        await page.GetByRole(AriaRole.Navigation, new() { Name = "主导航" }).GetByRole(AriaRole.Link, new() { Name = "月讲评与排名" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("2024年3月讲评");
        await Expect(page.GetByLabel("月份")).ToHaveValueAsync("2024-03");

        var table = Group(page, "部门讲评表，可左右滑动");
        await Expect(table).ToBeVisibleAsync();
        // 督查室 rose from 4th to 1st (shared with 卫健委); 交通局 fell from 1st to 4th.
        await Expect(Row(page, "测试市委督查室").Locator("td.rank")).ToHaveTextAsync("1");
        await Expect(Row(page, "测试市委督查室").Locator("td.change .up")).ToContainTextAsync("↑3");
        await Expect(Row(page, "测试市交通局").Locator("td.change .down")).ToContainTextAsync("↓");
        await Expect(Row(page, "测试市发改委").Locator("td.rank")).ToHaveTextAsync("6");
        await Expect(Row(page, "测试市发改委").Locator("td.change")).ToContainTextAsync("—");

        // 交办数 and every other figure of a unit is a link to the matters behind it; a rate with nothing behind it is "—".
        var cells = Row(page, "测试市住建局").Locator("td.num:not(.score)");
        Assert.Equal(Enum.GetValues<Duban.Reviews.Metric>().Length, await cells.CountAsync());
        foreach (var cell in await cells.AllAsync())
        {
            var text = (await cell.InnerTextAsync()).Trim();
            Assert.True(text == "—" || await cell.Locator("a[href^='/Reviews/Matters?']").CountAsync() == 1, $"「{text}」 is not a link");
        }

        await Expect(Row(page, "测试市住建局").Locator("td.num").Nth(1)).ToHaveTextAsync("3"); // 交办数

        var boards = Departments(page).Locator(".boards");
        await Expect(boards.Locator(".red-board")).ToContainTextAsync("测试市委督查室");
        await Expect(boards.Locator(".black-board")).ToContainTextAsync("测试市发改委");
        await Expect(boards.Locator(".red-board")).Not.ToContainTextAsync("测试市发改委");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "下载 Excel 台账" })).ToBeVisibleAsync();

        // The wide table scrolls inside its box at 390 px, and the unit column stays in view.
        await BrowserTests.ScreenshotsAsync(page, "reviews-month");
        await page.SetViewportSizeAsync(390, 900);
        var scroller = page.Locator(".review-scroll").First;
        Assert.True(await scroller.EvaluateAsync<bool>("e => e.scrollWidth > e.clientWidth"), "the table should scroll inside its box on a phone");
        await scroller.EvaluateAsync("e => { e.scrollLeft = 400; }");
        var unitCell = Row(page, "测试市住建局").GetByRole(AriaRole.Rowheader);
        var box = await unitCell.BoundingBoxAsync();
        var frame = await scroller.BoundingBoxAsync();
        Assert.True(box!.X - frame!.X < 2, $"the unit column should stick to the left edge, it is at {box.X - frame.X}px");
        await Departments(page).ScreenshotAsync(new() { Path = Path.Combine(Shots, "reviews-month-phone-scrolled.png") });
    }

    private static string Shots => Environment.GetEnvironmentVariable("DUBAN_SCREENSHOTS") is { Length: > 0 } folder
        ? folder
        : Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    [Fact]
    public async Task DrillDown_RowsAddUpToTheNumberTheReviewShows()
    {
        var page = await SignedInPageAsync("C-DC", Role.Supervisor);
        await page.GotoAsync("/Reviews?period=2024-03");
        // 按时办结率 of 住建局 in March: two of three on time.
        var rate = Row(page, "测试市住建局").Locator("td.num").Nth(4);
        await Expect(rate).ToHaveTextAsync("66.7%");
        await rate.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("测试市住建局 · 按时办结率");
        await Expect(page.Locator(".drill-number strong")).ToHaveTextAsync("66.7%");
        await Expect(page.Locator("table.drill tbody tr")).ToHaveCountAsync(3);
        await Expect(page.Locator(".adds-up")).ToContainTextAsync("按时办结 2 ÷");
        await Expect(page.Locator(".adds-up")).ToContainTextAsync("3 = 66.7%");
        await Expect(page.Locator(".adds-up")).ToContainTextAsync("与讲评表中的 66.7% 一致");
        await BrowserTests.ScreenshotsAsync(page, "reviews-drilldown");

        // 超期件数 of 发改委: two late and the one never acknowledged, which is overdue.
        await page.GotoAsync("/Reviews?period=2024-03");
        var overdue = Row(page, "测试市发改委").Locator("td.num").Nth(6);
        await Expect(overdue).ToHaveTextAsync("3");
        await overdue.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(page.Locator("table.drill tbody tr")).ToHaveCountAsync(3);
        await Expect(page.Locator("table.drill tfoot")).ToContainTextAsync("合计");
        await Expect(page.Locator(".adds-up.ok")).ToContainTextAsync("合计 3，与讲评表中的 3 一致");
        await Expect(page.Locator("table.drill tbody")).ToContainTextAsync("2024-03 测试市发改委督办事项3");
    }

    [Fact]
    public async Task Review_EmptyPeriod_SaysSoAndPickerKeepsTheChoice()
    {
        var page = await SignedInPageAsync("C-DC", Role.Supervisor);
        await page.GotoAsync("/Reviews");
        await page.GetByRole(AriaRole.Radio, new() { Name = "季度" }).CheckAsync();
        await page.Locator("select#quarter").SelectOptionAsync("2023-Q4");
        await page.GetByRole(AriaRole.Button, new() { Name = "查看讲评" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("2023年第四季度讲评");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync(Review.EmptyNote);
        await Expect(page.Locator("table.review")).ToHaveCountAsync(0);
        await BrowserTests.ScreenshotsAsync(page, "reviews-empty");

        // A future month is refused beside the field, in Chinese, with the page still there.
        var response = await page.GotoAsync("/Reviews?kind=month&month=2024-05");
        Assert.Equal(400, response!.Status);
        await Expect(page.Locator(".review-picker")).ToContainTextAsync("还没有到");
    }

    [Fact]
    public async Task UnitReader_SeesOwnFiguresAndOnlyTheRanksOfOthers()
    {
        var page = await SignedInPageAsync("C-JT", Role.Handler);
        await page.GotoAsync("/Reviews");
        await Expect(page.GetByLabel("单位分组")).ToHaveCountAsync(0);
        await Expect(page.Locator("ul.kpis")).ToHaveCountAsync(0);
        var own = Row(page, "测试市交通局");
        await Expect(own.Locator(".mine")).ToHaveTextAsync("本单位");
        await Expect(own.Locator("td.num a")).Not.ToHaveCountAsync(0);
        var other = Row(page, "测试市住建局");
        await Expect(other.Locator("td.rank")).Not.ToHaveTextAsync("—");
        await Expect(other.Locator("td.hidden-figures")).ToHaveTextAsync("仅公开排名");
        await Expect(other.Locator("a")).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "下载 Excel 台账" })).ToHaveCountAsync(0);
        await BrowserTests.ScreenshotsAsync(page, "reviews-unit-reader");

        // Another unit's drill-down is not there for this reader, and neither is the dashboard.
        var response = await page.GotoAsync($"/Reviews/Matters?unit={history.UnitIds["C-ZJ"]}&period=2024-03&metric=assigned&role=lead");
        Assert.Equal(404, response!.Status);
        response = await page.GotoAsync("/Dashboard");
        Assert.Equal(403, response!.Status);
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "主导航" }).GetByRole(AriaRole.Link, new() { Name = "驾驶舱" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Dashboard_DrawsChartsWithTables_AndTheDisplayRefreshesByItself()
    {
        var page = await SignedInPageAsync("C-DC", Role.Supervisor);
        await page.GetByRole(AriaRole.Navigation, new() { Name = "主导航" }).GetByRole(AriaRole.Link, new() { Name = "驾驶舱" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("驾驶舱");
        foreach (var id in new[] { "chart-status", "chart-overdue", "chart-trend", "chart-kinds" })
        {
            await Expect(page.Locator($"#{id} canvas")).ToHaveCountAsync(1);
        }

        await Expect(page.Locator("#chart-overdue")).ToHaveAttributeAsync("aria-label", new Regex("测试市发改委 1 件"));
        await Expect(page.Locator("#kpi-overdue")).ToHaveTextAsync("1");
        await Expect(page.Locator("#hot-list li")).ToHaveCountAsync(1);
        await Expect(page.Locator("#hot-list li")).ToContainTextAsync("同类 3 件");
        var trend = page.Locator("section[aria-labelledby=h-trend] details");
        await Expect(trend.Locator("table")).Not.ToBeVisibleAsync();
        await trend.Locator("summary").ClickAsync();
        await Expect(trend.Locator("table")).ToBeVisibleAsync();
        await Expect(trend.Locator("tbody tr")).ToHaveCountAsync(12);
        await Expect(trend.Locator("tbody tr").Filter(new() { HasText = "2024年3月" })).ToContainTextAsync("18");
        // On 2 April nothing is ranked yet this month: the lists are March's, and the heading says so.
        await Expect(page.Locator("#lists-period")).ToHaveTextAsync("2024年3月（本月尚无排名）");
        await Expect(page.Locator("#lists .red-board")).ToContainTextAsync("测试市委督查室");
        await Expect(page.Locator("#lists .black-board")).ToContainTextAsync("测试市发改委");
        await BrowserTests.ScreenshotsAsync(page, "dashboard");

        await page.GetByRole(AriaRole.Link, new() { Name = "大屏模式" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("screen=1"));
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "主导航" })).ToHaveCountAsync(0);
        await Expect(page.Locator("#dash-refresh")).ToContainTextAsync("最后刷新");
        var before = int.Parse(await page.Locator("#kpi-total").InnerTextAsync(), NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        await using (var scope = App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<AssignMatter>().ExecuteAsync(
                TestMatters.Assignment("C-ZJ") with { Title = "大屏刷新测试事项" }, App.Org.Supervisor);
        }

        await page.EvaluateAsync("() => window.dubanDashboardRefresh()");
        await Expect(page.Locator("#kpi-total")).ToHaveTextAsync((before + 1).ToString(CultureInfo.InvariantCulture));
        await Expect(page.Locator("#dash-refresh")).ToContainTextAsync("最后刷新");
        await page.SetViewportSizeAsync(1920, 1080);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Shots, "dashboard-screen-1920.png") });
        await BrowserTests.ScreenshotsAsync(page, "dashboard-screen");
    }

    [Fact]
    public async Task DashboardApi_AnswersTheOfficeQuickly_AndRefusesAUnit()
    {
        using var office = App.Client(App.SupervisorToken);
        var watch = Stopwatch.StartNew();
        var response = await office.GetAsync(new Uri("/api/reports/dashboard", UriKind.Relative));
        var first = watch.ElapsedMilliseconds;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        watch.Restart();
        for (var i = 0; i < 5; i++)
        {
            (await office.GetAsync(new Uri("/api/reports/dashboard", UriKind.Relative))).EnsureSuccessStatusCode();
        }

        output.WriteLine($"GET /api/reports/dashboard: first {first} ms, then {watch.ElapsedMilliseconds / 5} ms on average");
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(json.GetProperty("total").GetInt64() >= 36);
        var fg = json.GetProperty("overdueByUnit").EnumerateArray().Single(u => u.GetProperty("code").GetString() == "C-FG");
        Assert.Equal(1, fg.GetProperty("count").GetInt64());
        var march = json.GetProperty("trend").EnumerateArray().Single(m => m.GetProperty("key").GetString() == "2024-03");
        Assert.Equal(18, march.GetProperty("assigned").GetInt64());
        Assert.Equal(12, json.GetProperty("trend").GetArrayLength());
        Assert.Contains(json.GetProperty("statuses").EnumerateArray(), s => s.GetProperty("label").GetString() == "已回访");

        using var unit = App.Client(App.DepartmentToken);
        var refused = await unit.GetAsync(new Uri("/api/reports/dashboard", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("驾驶舱供领导和督查室使用", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PackLink_HandsTheRequestToTheReportsApi_ForTheSignedInPerson()
    {
        var session = await PageSession.SignInAsync(App, "C-DC", Role.Supervisor);
        var viaPage = await session.Client.GetAsync(new Uri("/Reviews?handler=Pack&format=xlsx&period=2024-03", UriKind.Relative));
        using var api = App.Client(App.SupervisorToken);
        var viaApi = await api.GetAsync(new Uri("/api/reports/monthly?month=2024-03&format=xlsx", UriKind.Relative));
        Assert.Equal(viaApi.StatusCode, viaPage.StatusCode);
        Assert.Equal(viaApi.Content.Headers.ContentType?.MediaType, viaPage.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, viaPage.StatusCode);
        // The same workbook: the same sheets and cells (the zip's bytes may differ by its timestamps).
        static List<string> Cells(byte[] file)
        {
            using var stream = new MemoryStream(file);
            return MiniExcelLibs.MiniExcel.GetSheetNames(stream).SelectMany(sheet =>
            {
                stream.Position = 0;
                return MiniExcelLibs.MiniExcel.Query(stream, sheetName: sheet).Cast<IDictionary<string, object?>>()
                    .Select(row => sheet + ":" + string.Join("|", row.Values.Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture))));
            }).ToList();
        }

        var apiCells = Cells(await viaApi.Content.ReadAsByteArrayAsync());
        Assert.NotEmpty(apiCells);
        Assert.Equal(apiCells, Cells(await viaPage.Content.ReadAsByteArrayAsync()));
    }
}

/// <summary>The dashboard's grouped queries on PostgreSQL (the browser tests run on SQLite).</summary>
public sealed class DashboardApiPostgresTests(PostgresApp app) : IClassFixture<PostgresApp>
{
    [Fact]
    public async Task Dashboard_CountsByStatusKindUnitAndMonth()
    {
        app.Clock.SetUtcNow(DateTimeOffset.Parse("2024-03-11T09:00:00+08:00", CultureInfo.InvariantCulture));
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var assign = scope.ServiceProvider.GetRequiredService<AssignMatter>();
            await assign.ExecuteAsync(TestMatters.Assignment("C-ZJ") with { Title = "积水点整治" }, app.Org.Supervisor);
            await assign.ExecuteAsync(TestMatters.Assignment("K-T") with { Title = "路灯整改" }, app.Org.Supervisor);
        }

        app.Clock.SetUtcNow(DateTimeOffset.Parse("2024-04-02T10:00:00+08:00", CultureInfo.InvariantCulture));
        using var office = app.Client(app.SupervisorToken);
        var json = await office.GetFromJsonAsync<JsonElement>(new Uri("/api/reports/dashboard", UriKind.Relative));
        Assert.Equal(2, json.GetProperty("total").GetInt64());
        Assert.Equal(2, json.GetProperty("overdue").GetInt64());
        Assert.Equal(2, json.GetProperty("statuses").EnumerateArray().Single(s => s.GetProperty("key").GetString() == "assigned").GetProperty("count").GetInt64());
        Assert.Equal(2, json.GetProperty("kinds").EnumerateArray().Single(s => s.GetProperty("key").GetString() == "assignment").GetProperty("count").GetInt64());
        Assert.Equal(new[] { "C-ZJ", "K-T" }, json.GetProperty("overdueByUnit").EnumerateArray().Select(u => u.GetProperty("code").GetString()!).Order().ToArray());
        var march = json.GetProperty("trend").EnumerateArray().Single(m => m.GetProperty("key").GetString() == "2024-03");
        Assert.Equal(2, march.GetProperty("assigned").GetInt64());
        Assert.Equal(2, march.GetProperty("overdue").GetInt64()); // both completions due in March and missing
    }
}
