using System.Globalization;
using System.Text.RegularExpressions;
using Duban.Data;
using Duban.Data.Access;
using Duban.Data.Matters;
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
                $"{ExecutablePath} is missing: apt-get install -y chromium fonts-noto-cjk (as .ci/run does).");
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

    private static ILocator Badge(IPage page) => page.Locator("h1 + p .badge");

    /// <summary>The action column of the 办理记录 table, oldest first.</summary>
    private static ILocator HistoryActions(IPage page) =>
        page.GetByRole(AriaRole.Table, new() { Name = "办理记录" }).Locator("tbody tr td:nth-child(2)");

    /// <summary>
    /// Full-page screenshots at desktop and phone widths. At both widths the page itself must not scroll sideways,
    /// and every field must have a label.
    /// </summary>
    private static async Task ScreenshotsAsync(IPage page, string name)
    {
        var unlabelled = await page.EvaluateAsync<string[]>(
            "[...document.querySelectorAll('input:not([type=hidden]), textarea, select')]" +
            ".filter(e => !e.labels || e.labels.length === 0).map(e => e.outerHTML)");
        Assert.Empty(unlabelled);
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
    public async Task Lifecycle_HandlerAcknowledgesReportsAndCompletes_SupervisorVerifies()
    {
        var suffix = Suffix();
        var (supervisor, handler) = await PeopleAsync(suffix);
        var title = $"背街小巷路灯整改 {suffix}";
        // A fuller work list for the screenshots: a long title with a co-unit, and a matter left unacknowledged
        // until its first deadline has passed.
        await AssignAsync(supervisor, $"关于进一步做好农村人居环境整治提升暨“四好农村路”养护管理工作的督办事项 {suffix}", "K-T", ["C-ZJ"]);
        app.Clock.Advance(TimeSpan.FromDays(2));
        var id = await AssignAsync(supervisor, title, "K-T");

        var page = await NewPageAsync();
        await page.GotoAsync("/login");
        await ScreenshotsAsync(page, "login");
        await SignInAsync(page, handler.UserName!);

        await Expect(page).ToHaveURLAsync(new Regex("/$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "工作台" })).ToBeVisibleAsync();
        await Expect(page.GetByText("镇承办李强")).ToBeVisibleAsync();
        var row = page.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Link, new() { Name = title, Exact = true }) });
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync("测试镇");
        await Expect(row).ToContainTextAsync("待签收");
        await ScreenshotsAsync(page, "worklist");

        await row.GetByRole(AriaRole.Link, new() { Name = title, Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/matters/{id}$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(title);
        await Expect(Badge(page)).ToHaveTextAsync("待签收");
        await Expect(Button(page, "申请办结")).ToHaveCountAsync(0);

        await Button(page, "签收").ClickAsync();
        await Expect(Badge(page)).ToHaveTextAsync("办理中");
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
