using System.Globalization;
using System.Text.RegularExpressions;
using Duban.Data;
using Duban.Matters;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Duban.Tests;

/// <summary>
/// Debian's Chromium (<c>/usr/bin/chromium</c>, never a browser Playwright downloads), headless, driven through
/// Microsoft.Playwright; one browser per test class.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException(
                $"{ExecutablePath} is missing: apt-get install -y chromium fonts-noto-cjk (./test.sh does, as root).");
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
    }
}

/// <summary>
/// The pages as a person uses them, in a real browser against the real host on Kestrel (SQLite: the pages do not
/// depend on the engine). Saves full-page screenshots at desktop and phone widths to <c>DUBAN_SCREENSHOTS</c>
/// (default <c>TestResults/screenshots</c> beside the test assembly).
/// </summary>
public sealed partial class BrowserTests(SqliteApp app, Chromium chromium) : IClassFixture<SqliteApp>, IClassFixture<Chromium>
{
    private const int DesktopWidth = 1280, PhoneWidth = 390;
    private const string Password = "Duban-Test-2024!";

    private static readonly string ScreenshotFolder =
        Environment.GetEnvironmentVariable("DUBAN_SCREENSHOTS") is { Length: > 0 } folder
            ? folder
            : Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    /// <summary>Unique per call, so tests sharing the class's database never collide on names or titles.</summary>
    private static string Suffix() => Guid.NewGuid().ToString("N")[..6];

    private async Task<(User Supervisor, User Handler)> PeopleAsync(string suffix)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<UserAccounts>();
        var supervisor = await accounts.CreateAsync($"dc{suffix}", "督查员王敏", "C-DC", [Role.Supervisor], Password);
        var handler = await accounts.CreateAsync($"kt{suffix}", "镇承办李强", "K-T", [Role.Handler], Password);
        return (supervisor, handler);
    }

    private async Task<long> AssignAsync(User assigner, string title, string lead, IReadOnlyList<string>? coUnits = null)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var actor = await scope.ServiceProvider.GetRequiredService<UserAccounts>().ActorOfAsync(assigner);
        return await scope.ServiceProvider.GetRequiredService<AssignMatter>().ExecuteAsync(
            TestMatters.Assignment(lead, [.. coUnits ?? []]) with { Title = title }, actor);
    }

    private async Task<IPage> NewPageAsync(int width = DesktopWidth)
    {
        var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.BaseAddress.ToString(),
            Locale = "zh-CN",
            TimezoneId = "Asia/Shanghai",
            ViewportSize = new ViewportSize { Width = width, Height = 900 },
        });
        context.SetDefaultTimeout(10_000);
        return await context.NewPageAsync();
    }

    private static async Task SignInAsync(IPage page, string userName, string password = Password)
    {
        await page.GotoAsync("/login");
        await page.GetByLabel("用户名", new() { Exact = true }).FillAsync(userName);
        await page.GetByLabel("密码", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录", Exact = true }).ClickAsync();
    }

    private static async Task SignOutAsync(IPage page)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "退出", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/login$"));
    }

    private static ILocator Button(IPage page, string name) => page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    /// <summary>Whether the focused element draws an outline of at least 2px (keyboard focus must stay visible).</summary>
    private static Task<bool> FocusRingVisibleAsync(IPage page) => page.EvaluateAsync<bool>(
        "(() => { const s = getComputedStyle(document.activeElement); return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2; })()");

    private static ILocator Tab(IPage page, string name) =>
        page.GetByRole(AriaRole.Navigation, new() { Name = "工作台分类" }).GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^" + name) });

    private static ILocator Badge(IPage page) => page.Locator("h1 + p .badge");

    /// <summary>The action column of the 办理记录 table, oldest first.</summary>
    private static ILocator HistoryActions(IPage page) =>
        page.GetByRole(AriaRole.Table, new() { Name = "办理记录" }).Locator("tbody tr td:nth-child(2)");

    /// <summary>
    /// Visible text whose colour against the background behind it falls below WCAG 2 AA: 4.5:1, or 3:1 for large text
    /// (24px, or 18.66px bold). The background is the first opaque one among the element and its ancestors.
    /// </summary>
    private const string ContrastScript = """
        (() => {
          const rgb = c => (c.match(/[\d.]+/g) || []).map(Number);
          const lum = ([r, g, b]) => [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); })
            .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
          const background = e => {
            for (; e; e = e.parentElement) {
              const c = rgb(getComputedStyle(e).backgroundColor);
              if (c.length === 3 || c[3] === 1) return c.slice(0, 3);
            }
            return [255, 255, 255];
          };
          const bad = [];
          for (const e of document.querySelectorAll('body *')) {
            if (![...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
            const s = getComputedStyle(e), box = e.getBoundingClientRect();
            if (s.visibility === 'hidden' || box.width === 0 || box.height === 0 || e.closest('[aria-hidden=true]')) continue;
            const fg = rgb(s.color), alpha = fg.length === 4 ? fg[3] * parseFloat(s.opacity) : parseFloat(s.opacity);
            const bg = background(e);
            const shown = fg.slice(0, 3).map((v, i) => v * alpha + bg[i] * (1 - alpha));
            const [a, b] = [lum(shown), lum(bg)].sort((x, y) => y - x);
            const ratio = (a + 0.05) / (b + 0.05), size = parseFloat(s.fontSize), bold = parseInt(s.fontWeight, 10) >= 700;
            const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
            if (ratio < needed) bad.push(`${ratio.toFixed(2)} < ${needed}: <${e.tagName.toLowerCase()} class="${e.className}"> ${e.textContent.trim().slice(0, 40)}`);
          }
          return bad;
        })()
        """;

    /// <summary>
    /// Full-page screenshots at desktop and phone widths. At both widths the page itself must not scroll sideways,
    /// and every field must have a label.
    /// </summary>
    internal static async Task ScreenshotsAsync(IPage page, string name)
    {
        var unlabelled = await page.EvaluateAsync<string[]>(
            "[...document.querySelectorAll('input:not([type=hidden]), textarea, select')]" +
            ".filter(e => !e.labels || e.labels.length === 0).map(e => e.outerHTML)");
        Assert.Empty(unlabelled);
        var lowContrast = await page.EvaluateAsync<string[]>(ContrastScript);
        Assert.True(lowContrast.Length == 0, $"{name}: text below WCAG AA contrast:\n" + string.Join("\n", lowContrast));
        Directory.CreateDirectory(ScreenshotFolder);
        foreach (var (width, label) in new[] { (DesktopWidth, "desktop"), (PhoneWidth, "phone") })
        {
            await page.SetViewportSizeAsync(width, 900);
            await page.ScreenshotAsync(new PageScreenshotOptions
            {
                Path = Path.Combine(ScreenshotFolder, $"{name}-{label}.png"),
                FullPage = true,
            });
            var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - window.innerWidth");
            Assert.True(overflow <= 0, $"{name} at {width}px is {overflow}px wider than the window.");
        }

        await page.SetViewportSizeAsync(DesktopWidth, 900);
    }

    [Fact]
    public async Task Lifecycle_SupervisorAssigns_HandlerAcknowledgesInBulkAndReports_SupervisorVerifiesAndCloses()
    {
        var suffix = Suffix();
        var (supervisor, handler) = await PeopleAsync(suffix);
        var title = $"背街小巷路灯整改 {suffix}";
        // A fuller work list for the screenshots: a long title with a co-unit, and a matter left unacknowledged
        // until its first deadline has passed.
        await AssignAsync(supervisor, $"关于进一步做好农村人居环境整治提升暨“四好农村路”养护管理工作的督办事项 {suffix}", "K-T", ["C-ZJ"]);
        app.Clock.Advance(TimeSpan.FromDays(2));

        var page = await NewPageAsync();
        await page.GotoAsync("/login");
        await ScreenshotsAsync(page, "login");

        // 交办 through the form: a missing 四明确 field is refused beside the field, then the full form goes through.
        await SignInAsync(page, supervisor.UserName!);
        await page.GetByRole(AriaRole.Link, new() { Name = "交办事项", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "交办事项", Level = 1 })).ToBeVisibleAsync();
        await page.GetByLabel("标题").FillAsync(title);
        // Worded unlike the other matters of this class (TestMatters' content), which the form would rightly flag as a likely duplicate.
        await page.GetByLabel("事项内容").FillAsync("东关片区背街小巷照明设施老化，夜间多处漆黑，请逐巷排查、更换灯具。");
        await Button(page, "交办").ClickAsync();
        await Expect(page.Locator("#Form_Goal ~ .error").First).ToContainTextAsync("不能为空");
        await Expect(page.GetByLabel("标题")).ToHaveValueAsync(title);
        await page.GetByLabel("目标任务").FillAsync("辖区背街小巷路灯全部恢复照明");
        await page.GetByLabel("工作标准").FillAsync("夜间复查无暗点，群众认可");
        await page.GetByLabel("查找单位").FillAsync("csz"); // 测试镇 by its pinyin initials
        await Expect(page.Locator("#unit-tree li[data-code='C-ZJ']")).ToBeHiddenAsync();
        await page.GetByLabel("牵头：测试镇").CheckAsync();
        await ScreenshotsAsync(page, "assign");
        await Button(page, "交办").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/matters/\\d+$"));
        var id = long.Parse(page.Url[(page.Url.LastIndexOf('/') + 1)..], CultureInfo.InvariantCulture);
        await Expect(Badge(page)).ToHaveTextAsync("待签收");
        await SignOutAsync(page);

        await SignInAsync(page, handler.UserName!);
        await Expect(page).ToHaveURLAsync(new Regex("/$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "工作台" })).ToBeVisibleAsync();
        await Expect(page.GetByText("镇承办李强")).ToBeVisibleAsync();
        var row = page.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Link, new() { Name = title, Exact = true }) });
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync("测试镇");
        await Expect(row).ToContainTextAsync("待签收");
        await Expect(Tab(page, "待签收")).ToHaveAttributeAsync("aria-current", "page");
        await Expect(row.Locator(".count")).ToHaveTextAsync(new Regex("^剩 "));
        await ScreenshotsAsync(page, "worklist");

        // 批量签收: tick the matter, acknowledge; the row reports its own outcome.
        await row.GetByLabel(new Regex("^选择")).CheckAsync();
        await Button(page, "签收所选事项").ClickAsync();
        await Expect(row).ToContainTextAsync("已签收");

        await row.GetByRole(AriaRole.Link, new() { Name = title, Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/matters/{id}$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(title);
        await Expect(Badge(page)).ToHaveTextAsync("办理中");
        await Expect(Button(page, "签收")).ToHaveCountAsync(0);
        await Expect(HistoryActions(page)).ToHaveTextAsync(["交办", "签收"]);

        await page.GetByLabel("进展情况").FillAsync("已排查 12 条巷道，更换灯具 30 盏。");
        await Button(page, "进展反馈").ClickAsync();
        await Expect(HistoryActions(page)).ToHaveTextAsync(["交办", "签收", "进展反馈"]);
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "办理记录" })).ToContainTextAsync("已排查 12 条巷道");
        await ScreenshotsAsync(page, "matter-handler");

        await page.GetByLabel("办理结果").FillAsync("全部路灯已修复，夜间复查无暗点。");
        await Button(page, "申请办结").ClickAsync();
        await Expect(Badge(page)).ToHaveTextAsync("待审核");
        await Expect(Button(page, "办结审核")).ToHaveCountAsync(0);
        await SignOutAsync(page);

        await SignInAsync(page, supervisor.UserName!);
        await Expect(page.GetByText("督查员王敏")).ToBeVisibleAsync();
        await Tab(page, "待审核").ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = title, Exact = true }).ClickAsync();
        await Expect(Badge(page)).ToHaveTextAsync("待审核");
        await ScreenshotsAsync(page, "matter-supervisor");
        await page.GetByLabel("审核意见").FillAsync("核查属实。");
        await page.GetByLabel("通过").CheckAsync();
        await Expect(page.GetByLabel("通过")).ToBeCheckedAsync();
        await Button(page, "办结审核").ClickAsync();

        await Expect(Badge(page)).ToHaveTextAsync("已审核");
        await Expect(HistoryActions(page)).ToHaveTextAsync(["交办", "签收", "进展反馈", "申请办结", "办结审核"]);
        await ScreenshotsAsync(page, "matter-verified");
        await Button(page, "销号").ClickAsync();
        await Button(page, "确认销号").ClickAsync(); // 销号 asks first (issue 16)
        await Expect(Badge(page)).ToHaveTextAsync("已销号");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task SupervisionBoard_UrgesAnOverdueMatter_AndTheUnitSeesTheMark()
    {
        var suffix = Suffix();
        var (supervisor, _) = await PeopleAsync(suffix);
        var title = $"河道垃圾清理 {suffix}";
        var id = await AssignAsync(supervisor, title, "K-T");
        app.Clock.Advance(TimeSpan.FromDays(20)); // far past the acknowledge deadline, even across the longest holiday (the clock is shared)

        var page = await NewPageAsync();
        await SignInAsync(page, supervisor.UserName!);
        await page.GetByRole(AriaRole.Link, new() { Name = "督查室", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "督查室", Level = 1 })).ToBeVisibleAsync();
        var row = page.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Link, new() { Name = title, Exact = true }) });
        await Expect(row.Locator(".count")).ToHaveTextAsync(new Regex("^超期 \\d+ 个工作日"));
        // A row carries a link, not a form (the board's one form is copied in when it is pressed); without script the
        // link opens the matter's own 催办 section.
        await Expect(row.Locator("form")).ToHaveCountAsync(0);
        await Expect(row.GetByRole(AriaRole.Link, new() { Name = "催办 / 督办" }))
            .ToHaveAttributeAsync("href", string.Create(CultureInfo.InvariantCulture, $"/matters/{id}#urge"));
        await ScreenshotsAsync(page, "supervision-rows");
        await row.GetByText("催办 / 督办").ClickAsync();
        await Expect(row.GetByLabel("意见")).ToBeFocusedAsync();
        // An empty message is refused beside the field.
        await row.GetByLabel("意见").FillAsync(" ");
        await row.GetByRole(AriaRole.Button, new() { Name = "督办", Exact = true }).ClickAsync();
        row = page.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Link, new() { Name = title, Exact = true }) });
        await Expect(row).ToContainTextAsync("请填写催办/督办意见");
        await row.GetByLabel("意见").FillAsync("请于今日内签收并反馈整改计划。");
        await row.GetByLabel("督办级别").SelectOptionAsync("key");
        await ScreenshotsAsync(page, "supervision");
        await row.GetByRole(AriaRole.Button, new() { Name = "督办", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("已重点督办");

        await page.GotoAsync(string.Create(CultureInfo.InvariantCulture, $"/matters/{id}"));
        await Expect(page.Locator("h1 + p")).ToContainTextAsync("重点督办");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task StaleForm_ShowsWhatOthersChanged_AndKeepsTheDraft()
    {
        var suffix = Suffix();
        var (supervisor, handler) = await PeopleAsync(suffix);
        var id = await AssignAsync(supervisor, $"菜市场改造 {suffix}", "K-T");
        var page = await NewPageAsync();
        await SignInAsync(page, handler.UserName!);
        await page.GotoAsync(string.Create(CultureInfo.InvariantCulture, $"/matters/{id}"));
        await Button(page, "签收").ClickAsync();
        await Expect(Badge(page)).ToHaveTextAsync("办理中");
        await page.GetByLabel("进展情况").FillAsync("摊位已腾退一半。");

        // Meanwhile a colleague of the same unit feeds back first.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var accounts = scope.ServiceProvider.GetRequiredService<UserAccounts>();
            var actor = await accounts.ActorOfAsync(handler);
            await scope.ServiceProvider.GetRequiredService<ActOnMatter>().ExecuteAsync(id,
                new MatterCommand(MatterAction.Feedback) { Note = "同事：已完成摊位登记。" }, null, actor with { Name = "同事张三" });
        }

        await Button(page, "进展反馈").ClickAsync();

        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("已被他人更新");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("同事：已完成摊位登记。");
        await Expect(page.GetByLabel("进展情况")).ToHaveValueAsync("摊位已腾退一半。");
        await Expect(HistoryActions(page)).ToHaveTextAsync(["交办", "签收", "进展反馈"]);
        await ScreenshotsAsync(page, "matter-stale");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task WrongPassword_ShowsTheError_AndStaysSignedOut()
    {
        var (_, handler) = await PeopleAsync(Suffix());
        var page = await NewPageAsync();

        await SignInAsync(page, handler.UserName!, "not-the-password");

        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("用户名或密码错误");
        await Expect(page).ToHaveURLAsync(new Regex("/login"));
        await Expect(Button(page, "退出")).ToHaveCountAsync(0);
        await ScreenshotsAsync(page, "login-error");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task AnotherUnitsMatter_Is404_ForTheHandler()
    {
        var suffix = Suffix();
        var (supervisor, handler) = await PeopleAsync(suffix);
        var title = $"住建局专项整治 {suffix}";
        var id = await AssignAsync(supervisor, title, "C-ZJ");
        var page = await NewPageAsync();
        await SignInAsync(page, handler.UserName!);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "工作台" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = title })).ToHaveCountAsync(0);

        var response = await page.GotoAsync(string.Create(CultureInfo.InvariantCulture, $"/matters/{id}"));

        Assert.Equal(404, response!.Status);
        await Expect(page.GetByText(title)).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Anonymous_IsSentToLogin_AndSignsInWithTheKeyboard()
    {
        var (_, handler) = await PeopleAsync(Suffix());
        var page = await NewPageAsync();

        await page.GotoAsync("/");

        await Expect(page).ToHaveURLAsync(new Regex("/login\\?ReturnUrl=%2F$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "登录督办平台" })).ToBeVisibleAsync();
        await Expect(page.GetByLabel("用户名", new() { Exact = true })).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(handler.UserName!);
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByLabel("密码", new() { Exact = true })).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(Password);
        await page.Keyboard.PressAsync("Tab");
        await Expect(Button(page, "登录")).ToBeFocusedAsync();
        Assert.True(await FocusRingVisibleAsync(page), "The focused sign-in button shows no focus outline.");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(new Regex("/$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "工作台" })).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }
}
