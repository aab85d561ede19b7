using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Duban.Data;
using Duban.Matters;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Duban.Tests;

/// <summary>管理: an administrator sets up units, people, an API token, next year's calendar and a webhook, and each
/// mistake is answered beside its field; then retrains the routing model and sees how it ended.</summary>
public sealed partial class BrowserTests
{
    [Fact]
    public async Task Admin_SetsUpUnitsPeopleTokenCalendarAndWebhook_MistakesAnsweredBesideTheField()
    {
        var suffix = Suffix();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<UserAccounts>().CreateAsync($"admin{suffix}", "系统管理员", "C", [Role.Admin], Password);
        }

        var page = await NewPageAsync();
        await SignInAsync(page, $"admin{suffix}");
        var menu = page.GetByRole(AriaRole.List, new() { Name = "管理" });

        // 单位: one by hand (its name forgotten first; the parent is picked by name), then two pasted as CSV, children
        // before their parent.
        await menu.GetByRole(AriaRole.Link, new() { Name = "单位" }).ClickAsync();
        await page.GetByLabel("代码", new() { Exact = true }).FillAsync($"V{suffix}");
        await page.GetByLabel("上级单位", new() { Exact = true }).SelectOptionAsync("K-T");
        await page.GetByLabel("层级", new() { Exact = true }).SelectOptionAsync("village");
        await Button(page, "保存").ClickAsync();
        await Expect(page.Locator("span[data-valmsg-for='name']")).Not.ToBeEmptyAsync();
        await Expect(page.GetByLabel("上级单位", new() { Exact = true })).ToHaveValueAsync("K-T"); // kept
        await page.GetByLabel("名称", new() { Exact = true }).FillAsync($"幸福村{suffix}");
        await Button(page, "保存").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"已保存单位 V{suffix}");
        await Expect(page.Locator(".unit-tree")).ToContainTextAsync($"幸福村{suffix}");
        await page.GetByLabel("或粘贴内容（CSV）", new() { Exact = true }).FillAsync($"""
            code,name,parent_code,level
            S{suffix},新风社区{suffix},J{suffix},village
            J{suffix},新风街道{suffix},K,township
            """);
        await Button(page, "导入").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "导入结果：保存 2 行，拒绝 0 行" })).ToBeVisibleAsync();
        await Expect(page.Locator(".unit-tree")).ToContainTextAsync($"新风社区{suffix}");
        await ScreenshotsAsync(page, "admin-units");

        // 用户与角色: a short password is refused beside the field, the form keeps what was typed.
        await menu.GetByRole(AriaRole.Link, new() { Name = "用户与角色" }).ClickAsync();
        await page.GetByLabel("用户名", new() { Exact = true }).FillAsync($"v{suffix}");
        await page.GetByLabel("姓名", new() { Exact = true }).FillAsync("村承办赵六");
        await page.GetByLabel("单位", new() { Exact = true }).SelectOptionAsync($"V{suffix}"); // listed by name
        await page.GetByLabel("角色", new() { Exact = true }).SelectOptionAsync("handler");
        await page.GetByLabel("初始密码（至少 10 位）", new() { Exact = true }).FillAsync("short");
        await Button(page, "创建").ClickAsync();
        await Expect(page.Locator("span[data-valmsg-for='Input.Password']")).Not.ToBeEmptyAsync();
        await Expect(page.GetByLabel("姓名", new() { Exact = true })).ToHaveValueAsync("村承办赵六");
        await page.GetByLabel("初始密码（至少 10 位）", new() { Exact = true }).FillAsync(Password);
        await Button(page, "创建").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"已创建用户 v{suffix}");
        var person = page.GetByRole(AriaRole.Row).Filter(new() { HasText = $"v{suffix}" });
        await Expect(person).ToContainTextAsync($"幸福村{suffix}");
        await Expect(person).ToContainTextAsync("承办人员");
        await person.GetByRole(AriaRole.Button, new() { Name = "锁定" }).ClickAsync();
        await Expect(person).ToContainTextAsync("已锁定");
        await person.GetByLabel($"v{suffix} 的新密码", new() { Exact = true }).FillAsync("Another-Pass-2024");
        await person.GetByRole(AriaRole.Button, new() { Name = "重置" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("解除锁定");
        await Expect(person).ToContainTextAsync("正常");
        await ScreenshotsAsync(page, "admin-users");

        // The new handler signs in with the reset password and lands on the village's (empty) workbench.
        var handler = await NewPageAsync();
        await SignInAsync(handler, $"v{suffix}", "Another-Pass-2024");
        await Expect(handler.GetByText("村承办赵六")).ToBeVisibleAsync();
        await handler.Context.CloseAsync();

        // The person moves to the township as its leader: unit and role changed from their row.
        await page.GotoAsync("/admin/users");
        person = page.GetByRole(AriaRole.Row).Filter(new() { HasText = $"v{suffix}" });
        await person.GetByText("修改单位和角色").ClickAsync();
        await person.GetByLabel($"v{suffix} 的单位", new() { Exact = true }).SelectOptionAsync("K-T");
        await person.GetByLabel($"v{suffix} 的角色", new() { Exact = true }).SelectOptionAsync("leader");
        await person.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"已修改 v{suffix} 的单位和角色");
        await Expect(person).ToContainTextAsync("测试镇");
        await Expect(person).ToContainTextAsync("领导");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var moved = Assert.Single(await scope.ServiceProvider.GetRequiredService<UserAccounts>().ListAsync(app.Clock.GetUtcNow()), u => u.UserName == $"v{suffix}");
            Assert.Equal("K-T", moved.UnitCode);
            Assert.Equal(["leader"], moved.Roles); // the handler role is gone
        }

        // API 令牌: shown once; it works on the API until revoked.
        await menu.GetByRole(AriaRole.Link, new() { Name = "API 令牌" }).ClickAsync();
        await page.GetByLabel("名称（用途）", new() { Exact = true }).FillAsync($"12345 热线 {suffix}");
        await page.GetByLabel("单位", new() { Exact = true }).SelectOptionAsync("C");
        await page.GetByLabel("角色", new() { Exact = true }).SelectOptionAsync("supervisor");
        await Button(page, "创建令牌").ClickAsync();
        var secret = (await page.Locator("code.secret").InnerTextAsync()).Trim();
        using var http = new HttpClient { BaseAddress = app.BaseAddress };
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/api/matters"))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(request)).StatusCode);
        }

        await page.GotoAsync("/admin/tokens");
        await page.GetByRole(AriaRole.Row).Filter(new() { HasText = $"12345 热线 {suffix}" }).GetByRole(AriaRole.Button, new() { Name = "吊销" }).ClickAsync();

        // 审计记录: who changed the person's unit and role is on the trail, by name, with what changed.
        await page.GetByRole(AriaRole.Link, new() { Name = "审计记录" }).ClickAsync();
        await page.GetByLabel("对象", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "单位" });
        await page.GetByLabel("操作", new() { Exact = true }).SelectOptionAsync("insert");
        await Button(page, "查询").ClickAsync();
        var unitRow = page.GetByRole(AriaRole.Row).Filter(new() { HasText = $"幸福村{suffix}" });
        await Expect(unitRow).ToContainTextAsync("系统管理员");
        await Expect(unitRow).ToContainTextAsync("新增");
        await ScreenshotsAsync(page, "audit-records");
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/api/matters"))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(request)).StatusCode);
        }

        // 节假日: broken JSON is refused with the reason; a notice for a year far ahead is saved and listed.
        await menu.GetByRole(AriaRole.Link, new() { Name = "节假日" }).ClickAsync();
        await page.GetByLabel("或粘贴 JSON", new() { Exact = true }).FillAsync("{ \"year\": 2099, ");
        await Button(page, "保存").ClickAsync();
        await Expect(page.Locator("span[data-valmsg-for='json']")).Not.ToBeEmptyAsync();
        await page.GetByLabel("或粘贴 JSON", new() { Exact = true }).FillAsync("""
            { "year": 2099, "papers": [], "days": [
              { "name": "元旦", "date": "2099-01-01", "isOffDay": true },
              { "name": "春节", "date": "2099-01-21", "isOffDay": true },
              { "name": "春节", "date": "2099-01-24", "isOffDay": false } ] }
            """);
        await Button(page, "保存").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("2099 年：放假 2 天，调休上班 1 天");
        await ScreenshotsAsync(page, "admin-calendar");

        // Webhook: an address that is not http(s) is refused beside the field; a good one is listed and can be stopped.
        await menu.GetByRole(AriaRole.Link, new() { Name = "Webhook" }).ClickAsync();
        await page.GetByLabel("地址（https://…）", new() { Exact = true }).FillAsync("ftp://hooks.example.test/feed");
        await page.GetByLabel("签名密钥").FillAsync("a-secret-of-some-length");
        await Button(page, "添加").ClickAsync();
        await Expect(page.Locator("span[data-valmsg-for='url']")).Not.ToBeEmptyAsync();
        var hook = $"https://hooks.example.test/{suffix}";
        await page.GetByLabel("地址（https://…）", new() { Exact = true }).FillAsync(hook);
        await page.GetByLabel("签名密钥").FillAsync("a-secret-of-some-length");
        await Button(page, "添加").ClickAsync();
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = hook });
        await Expect(row).ToHaveCountAsync(1);
        await row.GetByRole(AriaRole.Button, new() { Name = "停用" }).ClickAsync();
        await Expect(row.GetByRole(AriaRole.Button, new() { Name = "停用" })).ToHaveCountAsync(0);
        await ScreenshotsAsync(page, "admin-webhooks");

        // 时限与督办规则 is read-only and names where the rules are set.
        await menu.GetByRole(AriaRole.Link, new() { Name = "时限与督办规则" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Table).First).ToContainTextAsync("签收");
        await ScreenshotsAsync(page, "admin-rules");

        // 分派规则: 重新训练 runs in the background; the page polls it and then shows how it ended (a model, or too
        // little closed history, depending on what the other tests closed).
        await menu.GetByRole(AriaRole.Link, new() { Name = "分派规则" }).ClickAsync();
        await Button(page, "重新训练").ClickAsync();
        await Expect(page.GetByText(new Regex("已重新训练（|已办结事项不足"))).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Expect(page.GetByText("正在重新训练")).ToHaveCountAsync(0);
        await ScreenshotsAsync(page, "admin-routing");
        await page.Context.CloseAsync();

        Assert.Matches(new Regex("^[A-Za-z0-9_\\-\\.]{20,}$"), secret);
    }
}
