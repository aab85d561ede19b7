using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Duban.Data;
using Duban.Matters;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Duban.Tests;

/// <summary>The web host with SMS configured against a local 阿里云-like endpoint (<see cref="Sms"/>).</summary>
public sealed class ChannelsApp : DubanApp
{
    public PlatformServer Sms { get; } = PlatformServer.StartAsync("""{"Code":"OK","Message":"OK","BizId":"1^0","RequestId":"R"}""").GetAwaiter().GetResult();

    protected override string Engine => TestDatabase.Sqlite;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Sms:Enabled", "true");
        builder.UseSetting("Sms:AccessKeyId", "LTAI-browser");
        builder.UseSetting("Sms:AccessKeySecret", "browser-secret");
        builder.UseSetting("Sms:SignName", "测试县督查室");
        builder.UseSetting("Sms:TemplateCode", "SMS_000001");
        builder.UseSetting("Sms:Endpoint", Sms.Url("/"));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Sms.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

/// <summary>管理 → 群机器人与短信 in Chromium: an administrator adds a unit's 钉钉 robot (mistakes answered beside the
/// fields), tests it against a local robot endpoint (a refusal and a success, each in Chinese), turns SMS on, records a
/// person's mobile, sends a test text, and removes the robot; at 1280 and 390 px.</summary>
public sealed class ChannelsBrowserTests(ChannelsApp app, Chromium chromium) : IClassFixture<ChannelsApp>, IClassFixture<Chromium>
{
    private const string Password = "Duban-Test-2024!";
    private const string Token = "b1f2c3d4e5f60718293a4b5c6d7e8f90b1f2c3d4e5f60718293a4b5c6d7e8f90";
    private const string Secret = "SECf00dfeedc0ffee0123456789abcdef0123456789abcdef0123456789ab9dc";

    private async Task<IPage> NewPageAsync(int width)
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

    private static ILocator Button(ILocator scope, string name) => scope.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    private static Task<int> ScrollWidthAsync(IPage page) => page.EvaluateAsync<int>("document.documentElement.scrollWidth");

    [Fact]
    public async Task Admin_AddsARobot_TestsIt_TurnsSmsOn_RecordsAMobile_AndRemovesTheRobot()
    {
        await using var robot = await PlatformServer.StartAsync("""{"errcode":310000,"errmsg":"sign not match"}""");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var accounts = scope.ServiceProvider.GetRequiredService<UserAccounts>();
            await accounts.CreateAsync("channel-admin", "系统管理员", "C", [Role.Admin], Password);
            await accounts.CreateAsync("kt-liqiang", "镇承办李强", "K-T", [Role.Handler], Password);
        }

        var page = await NewPageAsync(1280);
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.GotoAsync("/login");
        await page.GetByLabel("用户名", new() { Exact = true }).FillAsync("channel-admin");
        await page.GetByLabel("密码", new() { Exact = true }).FillAsync(Password);
        await Button(page.Locator("body"), "登录").ClickAsync();
        await page.GetByRole(AriaRole.List, new() { Name = "管理" }).GetByRole(AriaRole.Link, new() { Name = "群机器人与短信" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "群机器人与短信", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByText("还没有单位设置群机器人或短信。")).ToBeVisibleAsync();

        // Nothing chosen: each mistake beside its field, in Chinese.
        var main = page.Locator("main");
        await Button(main, "添加").ClickAsync();
        await Expect(page.Locator("span[data-valmsg-for='unit']")).ToHaveTextAsync("请选择单位。");
        await Expect(page.Locator("span[data-valmsg-for='platform']")).ToHaveTextAsync("请选择平台：企业微信、钉钉或飞书。");
        await Expect(page.Locator("span[data-valmsg-for='url']")).ToHaveTextAsync("请粘贴机器人的 Webhook 地址（以 https:// 开头）。");
        await BrowserTests.ScreenshotsAsync(page, "admin-channels-errors");

        // 测试镇's 钉钉 robot, signed: its token and secret are never shown back in full.
        await page.GetByLabel("单位", new() { Exact = true }).SelectOptionAsync("K-T");
        await page.GetByLabel("平台", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "钉钉" });
        await page.GetByLabel("机器人的 Webhook 地址").FillAsync(robot.Url($"/robot/send?access_token={Token}"));
        await page.GetByLabel(new Regex("^签名密钥")).FillAsync(Secret);
        await Button(main, "添加").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("已为「测试镇」添加钉钉群机器人。请点「发测试消息」确认群里能收到。");
        var item = page.GetByRole(AriaRole.Listitem, new() { Name = "测试镇 · 钉钉群机器人" });
        await Expect(item).ToContainTextAsync("access_token=b1f2…8f90");
        await Expect(item).ToContainTextAsync("已设置（末四位 b9dc）");
        Assert.DoesNotContain(Token, await page.ContentAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, await page.ContentAsync(), StringComparison.Ordinal);

        // The test message: the robot refuses (errcode in an HTTP 200), then accepts; each answer in Chinese.
        await Button(item, "发测试消息").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("测试消息未能发到钉钉群：钉钉答复错误 310000：未通过机器人的安全设置");
        await BrowserTests.ScreenshotsAsync(page, "admin-channels-refused");
        robot.Answer = """{"errcode":0,"errmsg":"ok"}""";
        await Button(item, "发测试消息").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("测试消息已发到钉钉群，钉钉答复成功。请确认已收到。");
        var sent = robot.Requests[^1];
        var timestamp = sent.Query["timestamp"];
        using (var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(Secret)))
        {
            Assert.Equal(Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(timestamp + "\n" + Secret))), sent.Query["sign"]);
        }

        Assert.Contains("督办系统测试消息", Encoding.UTF8.GetString(sent.Body), StringComparison.Ordinal);

        // SMS for 测试镇; 李强's mobile: a wrong one is refused beside his row, a right one is saved and shown masked.
        await page.GetByLabel("开通短信的单位", new() { Exact = true }).SelectOptionAsync("K-T");
        await Button(main, "开通短信").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("已为「测试镇」开通短信提醒：发给本单位登记了手机号的人员。");
        var sms = page.GetByRole(AriaRole.Listitem, new() { Name = "测试镇 · 短信" });
        await Expect(sms).ToContainTextAsync("登记了手机号的人员：0 人（共 1 人）");
        var person = page.GetByRole(AriaRole.List, new() { Name = "接收短信的人员" }).GetByRole(AriaRole.Listitem).Filter(new() { HasText = "镇承办李强" });
        await person.GetByLabel(new Regex("^镇承办李强")).FillAsync("12345");
        await Button(person, "保存").ClickAsync();
        await Expect(page.Locator("span[data-valmsg-for^='phone-']")).ToHaveTextAsync("请填写 11 位手机号（留空则清除）。");
        await person.GetByLabel(new Regex("^镇承办李强")).FillAsync("138 0013 8000");
        await Button(person, "保存").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("已保存镇承办李强的手机号 138****8000。");
        await Expect(sms).ToContainTextAsync("登记了手机号的人员：1 人（共 1 人）");
        await Expect(person).ToContainTextAsync("现为 138****8000");

        // A test text to the number typed: sent through the provider, answered in Chinese.
        await sms.GetByLabel("接收测试短信的手机号").FillAsync("13900139000");
        await Button(sms, "发测试消息").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("测试消息已发到 139****9000，阿里云短信答复成功。请确认已收到。");
        Assert.Contains("PhoneNumbers=13900139000", Encoding.UTF8.GetString(app.Sms.Requests[^1].Body), StringComparison.Ordinal);

        await BrowserTests.ScreenshotsAsync(page, "admin-channels");
        await page.SetViewportSizeAsync(390, 900);
        Assert.True(await ScrollWidthAsync(page) <= 390, $"the page is {await ScrollWidthAsync(page)} px wide at 390 px");
        await page.SetViewportSizeAsync(1280, 900);

        // Removing the robot (after a confirmation): gone from the list, with a message.
        await Button(item, "删除").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("已删除「测试镇」的钉钉群机器人。");
        await Expect(page.GetByRole(AriaRole.Listitem, new() { Name = "测试镇 · 钉钉群机器人" })).ToHaveCountAsync(0);
        await Expect(sms).ToBeVisibleAsync();
    }
}
