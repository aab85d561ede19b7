using System.Text.RegularExpressions;
using Duban.Data;
using Duban.Escalation;
using Duban.Matters;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Duban.Tests;

/// <summary>通知 (/Inbox) in a real browser: the menu's unread count, unread first and paged, marked read one by one or
/// all at once, for the reader alone. One test in the class, so the unit's notices are exactly the ones it sends.</summary>
public sealed class InboxBrowserTests(SqliteApp app, Chromium chromium) : IClassFixture<SqliteApp>, IClassFixture<Chromium>
{
    private const string Password = "Duban-Test-2024!";

    [Fact]
    public async Task Inbox_CountsUnreadInTheMenu_PagesThem_AndMarksReadOneAndAll()
    {
        // The village has no matters, so nothing else (the sweep's warnings) reaches its inbox while the test runs.
        Actor reader, colleague;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var accounts = scope.ServiceProvider.GetRequiredService<UserAccounts>();
            reader = await accounts.ActorOfAsync(await accounts.CreateAsync("inbox1", "村干部冯雪", "K-T-V", [Role.Handler], Password));
            colleague = await accounts.ActorOfAsync(await accounts.CreateAsync("inbox2", "村干部蒋军", "K-T-V", [Role.Handler], Password));
            var db = scope.ServiceProvider.GetRequiredService<DubanDbContext>();
            var now = app.Clock.GetUtcNow();
            for (var i = 1; i <= 21; i++)
            {
                db.Notices.Add(new Notice
                {
                    UnitId = app.Org.UnitIds["K-T-V"], Audience = Audience.Unit, Kind = EscalationKind.Urge,
                    Title = $"【催办】村道破损路面修补（{i}）", Body = $"督查员：第 {i} 次催办：请尽快修补。",
                    CreatedAt = now, DeliverAfter = now,
                });
                await db.SaveChangesAsync(); // one by one: ids in order, newest last
            }
        }

        async Task<int> UnreadAsync(Actor actor)
        {
            await using var scope = app.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<NoticeInbox>().UnreadCountAsync(actor);
        }

        var total = await UnreadAsync(reader);
        Assert.Equal(21, total);

        var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.BaseAddress.ToString(), Locale = "zh-CN", TimezoneId = "Asia/Shanghai",
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        context.SetDefaultTimeout(10_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/login");
        await page.GetByLabel("用户名", new() { Exact = true }).FillAsync("inbox1");
        await page.GetByLabel("密码", new() { Exact = true }).FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录", Exact = true }).ClickAsync();

        // The menu counts the unread notices; the inbox lists them unread first, 20 to a page.
        var link = page.GetByRole(AriaRole.Link, new() { Name = $"通知（{total} 条未读）", Exact = true });
        await Expect(link.Locator(".nav-count")).ToHaveTextAsync($"{total}");
        await link.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "通知", Level = 1 })).ToBeVisibleAsync();
        var items = page.Locator(".inbox-item");
        await Expect(items).ToHaveCountAsync(20);
        await Expect(items.First.Locator(".inbox-title")).ToContainTextAsync("【催办】");
        await Expect(items.First.Locator(".inbox-body")).ToHaveTextAsync("督查员：第 21 次催办：请尽快修补。"); // newest first
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "分页" })).ToContainTextAsync("第 1 / 2 页");
        await BrowserTests.ScreenshotsAsync(page, "inbox");

        // One marked read: counted one less, for this reader only, and it moves behind the unread ones.
        await items.First.GetByRole(AriaRole.Button, new() { Name = "标为已读" }).ClickAsync();
        await Expect(page.Locator("main > p.notice[role=status]")).ToHaveTextAsync("已标为已读。");
        await Expect(page.Locator("nav[aria-label=主导航] .nav-count")).ToHaveTextAsync($"{total - 1}");
        await Expect(items.First.Locator(".inbox-body")).ToHaveTextAsync("督查员：第 20 次催办：请尽快修补。");
        Assert.Equal(total, await UnreadAsync(colleague));
        await page.GetByRole(AriaRole.Link, new() { Name = "下一页" }).ClickAsync();
        await Expect(page.Locator(".inbox-item.read .inbox-body")).ToHaveTextAsync("督查员：第 21 次催办：请尽快修补。");

        // The 未读 tab, then all marked read at once.
        await page.GetByRole(AriaRole.Navigation, new() { Name = "通知分类" }).GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^未读") }).ClickAsync();
        await Expect(page.Locator(".inbox-item.read")).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Button, new() { Name = "全部标为已读" }).ClickAsync();
        await Expect(page.Locator("main > p.notice[role=status]")).ToHaveTextAsync($"已将 {total - 1} 条通知标为已读。");
        await Expect(page.Locator("nav[aria-label=主导航] .nav-count")).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "通知", Exact = true })).ToBeVisibleAsync();
        Assert.Equal(0, await UnreadAsync(reader));
        Assert.Equal(total, await UnreadAsync(colleague));
        await page.GotoAsync("/Inbox?show=unread");
        await Expect(page.Locator("#notices")).ToContainTextAsync("没有未读通知。");
        await BrowserTests.ScreenshotsAsync(page, "inbox-all-read");
        await context.CloseAsync();
    }
}
