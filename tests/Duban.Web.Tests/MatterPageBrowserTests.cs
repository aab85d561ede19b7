using System.Globalization;
using System.Text.RegularExpressions;
using Duban.Calendar;
using Duban.Data;
using Duban.Matters;
using Duban.TimeLimits;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Duban.Tests;

/// <summary>
/// The matter page's actions in a real browser (issue 16): 催办/督办 from the page into the history and the unit's 通知,
/// 挂牌督办 for leaders only, 延期 applied for by the unit and decided by the office, 销号 confirmed first, 转办 to a unit
/// picked by name, and the township handler's day on a phone (签收, 反馈 with a camera photo and the place, 申请办结).
/// The class's clock is never moved.
/// </summary>
public sealed class MatterPageBrowserTests(SqliteApp app, Chromium chromium) : IClassFixture<SqliteApp>, IClassFixture<Chromium>
{
    private const string Password = "Duban-Test-2024!";

    private static string Suffix() => Guid.NewGuid().ToString("N")[..6];

    private async Task<User> UserAsync(string userName, string name, string unit, Role role)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UserAccounts>().CreateAsync(userName, name, unit, [role], Password);
    }

    private async Task<long> AssignAsync(Actor assigner, string title, string lead)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AssignMatter>().ExecuteAsync(TestMatters.Assignment(lead) with { Title = title }, assigner);
    }

    private async Task ActAsync(long id, Actor actor, MatterCommand command)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ActOnMatter>().ExecuteAsync(id, command, null, actor);
    }

    private async Task<MilestoneView> CompletionAsync(long id)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var details = await scope.ServiceProvider.GetRequiredService<MatterQueries>().GetAsync(id, app.Org.Admin);
        return details.Milestones.Single(m => m.Stage == Stage.Complete);
    }

    private async Task<IPage> NewPageAsync(bool phone = false)
    {
        var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.BaseAddress.ToString(),
            Locale = "zh-CN",
            TimezoneId = "Asia/Shanghai",
            ViewportSize = phone ? new ViewportSize { Width = 390, Height = 844 } : new ViewportSize { Width = 1280, Height = 900 },
            IsMobile = phone,
            HasTouch = phone,
            Permissions = phone ? new[] { "geolocation" } : Array.Empty<string>(),
            Geolocation = phone ? new Geolocation { Latitude = 30.27415f, Longitude = 120.15515f, Accuracy = 20 } : null,
        });
        context.SetDefaultTimeout(10_000);
        return await context.NewPageAsync();
    }

    private static async Task SignInAsync(IPage page, User user)
    {
        await page.GotoAsync("/login");
        await page.GetByLabel("用户名", new() { Exact = true }).FillAsync(user.UserName!);
        await page.GetByLabel("密码", new() { Exact = true }).FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录", Exact = true }).ClickAsync();
        await Expect(page).Not.ToHaveURLAsync(new Regex("/login"));
    }

    private static ILocator Button(IPage page, string name) => page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    private static ILocator Done(IPage page) => page.Locator("main > p.notice[role=status]");

    private static ILocator History(IPage page) => page.GetByRole(AriaRole.Table, new() { Name = "办理记录" });

    private static async Task<IReadOnlyList<string>> LevelsAsync(IPage page) =>
        await page.GetByLabel("督办级别", new() { Exact = true }).Locator("option").AllInnerTextsAsync();

    [Fact]
    public async Task Urge_FromTheMatterPage_ShowsInTheHistoryAndTheUnitsInbox_ListedOnlyForLeaders()
    {
        var suffix = Suffix();
        var office = await UserAsync($"mo{suffix}", "督查员周洁", "C-DC", Role.Supervisor);
        var leader = await UserAsync($"ml{suffix}", "副市长陈刚", "C", Role.Leader);
        var handler = await UserAsync($"mh{suffix}", "镇承办吴丽", "K-T", Role.Handler);
        var title = $"农贸市场周边占道经营整治 {suffix}";
        var id = await AssignAsync(app.Org.Supervisor, title, "K-T");

        // The office: 一般督办 and 重点督办 only; a 重点督办 with its text goes into the history at once.
        var page = await NewPageAsync();
        await SignInAsync(page, office);
        await page.GotoAsync($"/matters/{id}");
        await page.GetByText("催办 / 督办", new() { Exact = true }).ClickAsync();
        Assert.Equal(["一般督办", "重点督办"], await LevelsAsync(page));
        await page.GetByLabel("意见", new() { Exact = true }).FillAsync("请本周五前拿出整治方案，报督查室。");
        await page.GetByLabel("督办级别", new() { Exact = true }).SelectOptionAsync("key");
        await Button(page, "督办").ClickAsync();
        await Expect(Done(page)).ToHaveTextAsync("已重点督办，牵头单位已收到通知。");
        var row = History(page).Locator("tbody tr").Filter(new() { HasText = "请本周五前拿出整治方案" });
        await Expect(row.Locator("td.action")).ToHaveTextAsync("重点督办");
        await Expect(row.Locator("td.actor")).ToHaveTextAsync("督查员周洁");
        await page.GetByText("催办 / 督办", new() { Exact = true }).ClickAsync();
        await page.GetByLabel("意见", new() { Exact = true }).FillAsync("群众又有反映，请加快进度。");
        await Button(page, "催办").ClickAsync();
        await Expect(Done(page)).ToHaveTextAsync("已催办，牵头单位已收到通知。");
        await Expect(History(page).Locator("tbody tr").Last.Locator("td.action")).ToHaveTextAsync("催办");
        await Expect(History(page).Locator("tbody tr").Last.Locator("td.note")).ToHaveTextAsync("群众又有反映，请加快进度。");
        await page.GetByText("催办 / 督办", new() { Exact = true }).ClickAsync();
        await BrowserTests.ScreenshotsAsync(page, "matter-urge-office");
        await page.Context.CloseAsync();

        // A leader is offered 挂牌督办 and may use it.
        page = await NewPageAsync();
        await SignInAsync(page, leader);
        await page.GotoAsync($"/matters/{id}");
        await page.GetByText("催办 / 督办", new() { Exact = true }).ClickAsync();
        Assert.Equal(["一般督办", "重点督办", "挂牌督办"], await LevelsAsync(page));
        await page.GetByLabel("意见", new() { Exact = true }).FillAsync("列为挂牌督办，月底前整治到位。");
        await page.GetByLabel("督办级别", new() { Exact = true }).SelectOptionAsync("listed");
        await Button(page, "督办").ClickAsync();
        await Expect(Done(page)).ToHaveTextAsync("已挂牌督办，牵头单位已收到通知。");
        await Expect(page.Locator("h1 + p")).ToContainTextAsync("挂牌督办");
        await page.Context.CloseAsync();

        // The lead unit: the menu counts the unread notices, the inbox has the texts, the history too; no urge form.
        page = await NewPageAsync();
        await SignInAsync(page, handler);
        var inboxLink = page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^通知") });
        await Expect(inboxLink.Locator(".nav-count")).ToHaveTextAsync(new Regex("^[1-9][0-9]*$"));
        await inboxLink.ClickAsync();
        var notice = page.Locator(".inbox-item").Filter(new() { HasText = "请本周五前拿出整治方案" });
        await Expect(notice.Locator(".inbox-title")).ToContainTextAsync($"【重点督办】");
        await Expect(notice.Locator(".inbox-title")).ToContainTextAsync(title);
        await Expect(notice.Locator(".pill")).ToHaveTextAsync("未读");
        await notice.GetByRole(AriaRole.Button, new() { Name = "查看事项" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/matters/{id}$"));
        await Expect(History(page)).ToContainTextAsync("列为挂牌督办，月底前整治到位。");
        await Expect(page.GetByText("催办 / 督办", new() { Exact = true })).ToHaveCountAsync(0);
        await page.GotoAsync("/Inbox");
        await Expect(page.Locator(".inbox-item").Filter(new() { HasText = "请本周五前拿出整治方案" }).Locator(".pill")).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Extension_AppliedForByTheUnit_ApprovedWithAnotherDate_MovesTheDeadline()
    {
        var suffix = Suffix();
        var office = await UserAsync($"xo{suffix}", "督查员林芳", "C-DC", Role.Supervisor);
        var handler = await UserAsync($"xh{suffix}", "镇承办郑伟", "K-T", Role.Handler);
        var id = await AssignAsync(app.Org.Supervisor, $"老旧小区加装电梯 {suffix}", "K-T");
        var due = DateOnly.FromDateTime(MatterPageDates.Day((await CompletionAsync(id)).DueAt));
        var asked = due.AddDays(10);
        var granted = due.AddDays(14);

        // The lead unit applies: which milestone, the new date from a date picker, the reason.
        var page = await NewPageAsync();
        await SignInAsync(page, handler);
        await page.GotoAsync($"/matters/{id}");
        var card = page.Locator("#extensions");
        await card.GetByText("申请延期", new() { Exact = true }).ClickAsync(); // folded below the day's actions
        await card.GetByLabel("延期的节点").SelectOptionAsync("complete");
        await card.GetByLabel("延期至").FillAsync(asked.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await BrowserTests.ScreenshotsAsync(page, "matter-extension-apply");
        await card.GetByLabel("延期理由").FillAsync(" "); // blank: the server refuses it
        await Button(page, "提交延期申请").ClickAsync();
        await Expect(card.Locator(".field-validation-error")).ToHaveTextAsync("必须说明延期理由。"); // refused beside the field, the date kept
        await Expect(card.GetByLabel("延期至")).ToHaveValueAsync(asked.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await card.GetByLabel("延期理由").FillAsync("需协调供电、燃气管线迁改，施工单位进场延后。");
        await Button(page, "提交延期申请").ClickAsync();
        await Expect(Done(page)).ToHaveTextAsync("已提交延期申请，等待交办方审批。");
        await Expect(card.Locator(".extension-request .pill")).ToHaveTextAsync("待审批");
        await page.Context.CloseAsync();

        // The office finds it in its 通知 and approves it on the matter page with a later date than asked.
        page = await NewPageAsync();
        await SignInAsync(page, office);
        await page.GotoAsync("/Inbox");
        var pending = page.Locator("#extensions .inbox-item").Filter(new() { HasText = "需协调供电、燃气管线迁改" });
        await pending.GetByRole(AriaRole.Link, new() { Name = "去审批" }).ClickAsync();
        card = page.Locator("#extensions");
        var date = card.Locator("input[type=date][name=dueAt]");
        await Expect(date).ToHaveValueAsync(asked.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)); // the date asked for, to change or keep
        await Expect(Button(page, "批准延期")).ToHaveCountAsync(1); // the decision's; no second, field-less one
        await date.FillAsync(granted.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await card.GetByLabel("审批意见").FillAsync("同意，请倒排工期。");
        await BrowserTests.ScreenshotsAsync(page, "matter-extension-decide");
        await Button(page, "批准延期").ClickAsync();
        await Expect(Done(page)).ToHaveTextAsync($"已批准延期，期限延至 {granted.Month}月{granted.Day}日 24:00，申请单位已收到通知。");
        await Expect(card.Locator(".extension-request .pill")).ToHaveTextAsync("已批准");
        await Expect(page.Locator("ol.timeline li").Filter(new() { HasText = "办结" })).ToContainTextAsync($"{granted.Month}月{granted.Day}日 24:00");
        await Expect(History(page).Locator("tbody tr").Last.Locator("td.action")).ToHaveTextAsync("批准延期");
        Assert.Equal(ChinaTime.EndOf(granted), (await CompletionAsync(id)).DueAt);
        await page.Context.CloseAsync();

        page = await NewPageAsync();
        await SignInAsync(page, handler);
        await page.GotoAsync("/Inbox");
        await Expect(page.Locator(".inbox-item").Filter(new() { HasText = "【延期已批准】" }).First).ToContainTextAsync($"{granted.Month}月{granted.Day}日 24:00");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Extension_RefusedWithAReason_AndTheOfficesOwnExtensionHasItsFields()
    {
        var suffix = Suffix();
        var office = await UserAsync($"ro{suffix}", "督查员何静", "C-DC", Role.Supervisor);
        var handler = await UserAsync($"rh{suffix}", "镇承办孙涛", "K-T", Role.Handler);
        var id = await AssignAsync(app.Org.Supervisor, $"集镇污水管网改造 {suffix}", "K-T");
        var original = (await CompletionAsync(id)).DueAt;
        var due = DateOnly.FromDateTime(MatterPageDates.Day(original));

        var page = await NewPageAsync();
        await SignInAsync(page, handler);
        await page.GotoAsync($"/matters/{id}");
        var card = page.Locator("#extensions");
        await card.GetByText("申请延期", new() { Exact = true }).ClickAsync(); // folded below the day's actions
        await card.GetByLabel("延期的节点").SelectOptionAsync("complete");
        await card.GetByLabel("延期至").FillAsync(due.AddDays(30).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await card.GetByLabel("延期理由").FillAsync("雨季无法开挖。");
        await Button(page, "提交延期申请").ClickAsync();
        await Expect(Done(page)).ToHaveTextAsync("已提交延期申请，等待交办方审批。");
        await page.Context.CloseAsync();

        // Refusing takes a reason; the request then shows it, and the unit is told why.
        page = await NewPageAsync();
        await SignInAsync(page, office);
        await page.GotoAsync($"/matters/{id}");
        card = page.Locator("#extensions");
        await Button(page, "不予延期").ClickAsync();
        await Expect(card.Locator(".decide .field-validation-error")).ToHaveTextAsync("不予延期须说明理由。");
        await card.GetByLabel("审批意见").FillAsync("可先行施工不受雨季影响的路段，维持原期限。");
        await Button(page, "不予延期").ClickAsync();
        await Expect(Done(page)).ToHaveTextAsync("已不予延期，申请单位已收到通知和理由。");
        await Expect(card.Locator(".extension-request .pill")).ToHaveTextAsync("不予延期");
        await Expect(card.Locator(".extension-request")).ToContainTextAsync("可先行施工不受雨季影响的路段");
        Assert.Equal(original, (await CompletionAsync(id)).DueAt);

        // With nothing pending, the office's own 批准延期 names the milestone and the date (it used to have no fields
        // and answer "请指定延期的节点和新的期限。").
        var extend = page.Locator("form.action").Filter(new() { Has = Button(page, "批准延期") });
        await extend.GetByLabel("延期的节点").SelectOptionAsync("complete");
        await extend.GetByLabel("新的期限").FillAsync(due.AddDays(5).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await BrowserTests.ScreenshotsAsync(page, "matter-extension-refused");
        await Button(page, "批准延期").ClickAsync();
        await Expect(Done(page)).ToHaveTextAsync("已延期，新的期限已生效。");
        await Expect(page.GetByText("请指定延期的节点和新的期限。")).ToHaveCountAsync(0);
        Assert.Equal(ChinaTime.EndOf(due.AddDays(5)), (await CompletionAsync(id)).DueAt);
        await page.Context.CloseAsync();

        page = await NewPageAsync();
        await SignInAsync(page, handler);
        await page.GotoAsync("/Inbox");
        await Expect(page.Locator(".inbox-item").Filter(new() { HasText = "【延期未批准】" }).First).ToContainTextAsync("可先行施工不受雨季影响的路段");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Transfer_PicksAUnitByName_AndCloseAsksForConfirmation()
    {
        var suffix = Suffix();
        var office = await UserAsync($"co{suffix}", "督查员马云霞", "C-DC", Role.Supervisor);
        var title = $"城区停车位规划 {suffix}";
        var id = await AssignAsync(app.Org.Supervisor, title, "K-T");

        // 转办 to a unit chosen by its name, never a typed code: its pinyin initials (zjj, 住建局) leave it alone in the
        // list and choose it.
        var page = await NewPageAsync();
        await SignInAsync(page, office);
        await page.GotoAsync($"/matters/{id}");
        var transfer = page.GetByLabel("转办给");
        Assert.Equal("SELECT", await transfer.EvaluateAsync<string>("e => e.tagName"));
        await page.Locator("form:has(#transfer-unit)").GetByLabel("查找单位").FillAsync("zjj");
        await Expect(transfer).ToHaveValueAsync("C-ZJ");
        Assert.Equal(["测试市住建局"], await transfer.EvaluateAsync<string[]>(
            "s => [...s.querySelectorAll('option[data-py]')].filter(o => getComputedStyle(o).display !== 'none').map(o => o.textContent.trim())"));
        await BrowserTests.ScreenshotsAsync(page, "matter-transfer-picker");
        await page.Locator("#note-transfer").FillAsync("停车规划属住建部门职责。");
        await Button(page, "转办").ClickAsync();
        await Expect(Done(page)).ToHaveTextAsync("已转办，新的牵头单位已收到通知。");
        await Expect(page.Locator("dl.four").First).ToContainTextAsync("牵头：测试市住建局");

        var department = app.Org.CityDepartmentHandler;
        await ActAsync(id, department, new MatterCommand(MatterAction.Acknowledge));
        await ActAsync(id, department, new MatterCommand(MatterAction.Complete) { Note = "已完成城区停车位规划编制。" });
        await ActAsync(id, app.Org.Supervisor, new MatterCommand(MatterAction.Verify) { Accepted = true, Note = "属实。" });

        // 销号 and 重新办理 look different; 销号 asks first, and 取消 leaves the matter as it was.
        await page.ReloadAsync();
        await Expect(Button(page, "销号")).ToHaveClassAsync("primary");
        await Expect(Button(page, "重新办理")).ToHaveClassAsync("danger");
        await Button(page, "销号").ClickAsync();
        var confirm = page.GetByRole(AriaRole.Dialog);
        await Expect(confirm).ToBeVisibleAsync();
        await Expect(confirm).ToContainTextAsync("确认销号？");
        await BrowserTests.ScreenshotsAsync(page, "matter-close-confirm");
        await confirm.GetByRole(AriaRole.Button, new() { Name = "取消" }).ClickAsync();
        await Expect(confirm).ToBeHiddenAsync();
        await Expect(page.Locator("h1 + p .badge")).ToHaveTextAsync("已审核");
        await Button(page, "销号").ClickAsync();
        await Button(page, "确认销号").ClickAsync();
        await Expect(Done(page)).ToHaveTextAsync("已销号，事项办结归档。");
        await Expect(page.Locator("h1 + p .badge")).ToHaveTextAsync("已销号");
        await BrowserTests.ScreenshotsAsync(page, "matter-closed");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task HandlersPhoneDay_Acknowledge_FeedbackWithACameraPhotoAndThePlace_Complete()
    {
        var suffix = Suffix();
        var handler = await UserAsync($"ph{suffix}", "镇承办钱敏", "K-T", Role.Handler);
        var id = await AssignAsync(app.Org.Supervisor, $"背街小巷路灯修复 {suffix}", "K-T");

        var page = await NewPageAsync(phone: true);
        await SignInAsync(page, handler);
        await page.GotoAsync($"/matters/{id}");
        await Button(page, "签收").ClickAsync();
        await Expect(Done(page)).ToHaveTextAsync("已签收。");

        // 反馈: the camera's photo (capture), and the place when the phone allows it; both go in the same post.
        var photo = page.GetByLabel("现场照片");
        Assert.Equal("image/*", await photo.GetAttributeAsync("accept"));
        Assert.Equal("environment", await photo.GetAttributeAsync("capture"));
        await page.GetByLabel("进展情况").FillAsync("已更换灯具 12 盏，剩余 3 盏待供电所接线。");
        await photo.SetInputFilesAsync(new FilePayload { Name = "现场.png", MimeType = "image/png", Buffer = AttachmentsApiTests.Png });
        await Button(page, "获取当前位置").ClickAsync();
        await Expect(page.GetByLabel("位置")).ToHaveValueAsync(new Regex("^位置：纬度 30\\.274\\d+，经度 120\\.155\\d+"));
        await BrowserTests.ScreenshotsAsync(page, "matter-phone-feedback");
        await page.SetViewportSizeAsync(390, 844); // the screenshots end at desktop width
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= 390"));
        await Button(page, "进展反馈").ClickAsync();
        await Expect(Done(page)).ToHaveTextAsync("已提交进展反馈，附照片 1 张。");
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "附件" })).ToContainTextAsync("现场.png");
        await Expect(History(page)).ToContainTextAsync("已更换灯具 12 盏");
        await Expect(History(page)).ToContainTextAsync("位置：纬度 30.274");

        await page.GetByLabel("办理结果").FillAsync("15 盏路灯全部恢复照明，夜间复查无暗点。");
        await Button(page, "申请办结").ClickAsync();
        await Expect(Done(page)).ToHaveTextAsync("已申请办结，等待交办方审核。");
        await BrowserTests.ScreenshotsAsync(page, "matter-phone-completed");
        await page.SetViewportSizeAsync(390, 844);
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= 390"));
        await page.Context.CloseAsync();
    }
}

/// <summary>Deadlines as the day a person writes (24:00 of a day is that day).</summary>
internal static class MatterPageDates
{
    public static DateTime Day(DateTimeOffset due)
    {
        var local = ChinaTime.ToLocal(due);
        return (local.TimeOfDay == TimeSpan.Zero ? local.AddDays(-1) : local).DateTime;
    }
}
