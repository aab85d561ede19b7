using System.Text.RegularExpressions;
using Duban.Data;
using Duban.Matters;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Duban.Tests.Assessment;

/// <summary>The 考评 pages in Debian's Chromium: the office writes a scheme with the live weight sum, three judges
/// score on 390 px phones, the office watches who has scored and closes the session.</summary>
public sealed partial class AssessmentPagesTests
{
    private const string Password = PageSession.Password;

    private async Task<string> PersonAsync(string unit, Role role, string displayName)
    {
        var name = $"{role.ToString().ToLowerInvariant()}{Guid.NewGuid():N}"[..16];
        await using var scope = App.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<UserAccounts>().CreateAsync(name, displayName, unit, [role], Password);
        return name;
    }

    private async Task<IPage> SignedInAsync(string userName, int width)
    {
        var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = App.BaseAddress.ToString(),
            Locale = "zh-CN",
            TimezoneId = "Asia/Shanghai",
            ViewportSize = new ViewportSize { Width = width, Height = 860 },
            IsMobile = width < 500,
            HasTouch = width < 500,
        });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/login");
        await page.GetByLabel("用户名", new() { Exact = true }).FillAsync(userName);
        await page.GetByLabel("密码", new() { Exact = true }).FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/$"));
        return page;
    }

    private static ILocator Button(IPage page, string name) => page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    [Fact]
    public async Task Browser_OfficeWritesAScheme_ThreeJudgesScoreOnPhones_OfficeClosesTheSession()
    {
        var office = await SignedInAsync(await PersonAsync("C-DC", Role.Supervisor, "督查员王敏"), 1280);

        // The scheme: rows added by script, the weights summed as they are typed.
        await office.GetByRole(AriaRole.Navigation, new() { Name = "主导航" }).GetByRole(AriaRole.Link, new() { Name = "考评办法" }).ClickAsync();
        await office.GetByRole(AriaRole.Link, new() { Name = "新建考评办法" }).ClickAsync();
        await office.GetByLabel("办法名称", new() { Exact = true }).FillAsync("乡镇季度比拼");
        await office.GetByLabel("考评对象").SelectOptionAsync(Townships);
        await office.GetByLabel("考评周期").SelectOptionAsync(new SelectOptionValue { Label = "季度" });
        await office.GetByLabel("起始日期").FillAsync("2024-01-01");
        await office.GetByLabel("截止日期").FillAsync("2024-12-31");
        await office.GetByLabel("指标（第 1 行）").SelectOptionAsync(new SelectOptionValue { Label = "按时办结率" });
        await office.GetByLabel("权重（%，第 1 行）").FillAsync("60");
        await office.GetByLabel("指标（第 2 行）").SelectOptionAsync(new SelectOptionValue { Label = "满意率" });
        await office.GetByLabel("权重（%，第 2 行）").FillAsync("30");
        await Expect(office.Locator("#weight-sum")).ToHaveTextAsync("权重合计：90%");
        await Expect(office.Locator("#weight-sum")).ToHaveClassAsync(new Regex("off"));
        await Button(office, "再加一项指标").ClickAsync();
        await office.GetByLabel("指标（第 3 行）").SelectOptionAsync(new SelectOptionValue { Label = "超期件数" });
        await Expect(office.Locator("tbody[data-list=components] tr").Nth(2).Locator(".rate-unit").First).ToHaveTextAsync("");
        await office.GetByLabel("权重（%，第 3 行）").FillAsync("10");
        await Expect(office.Locator("#weight-sum")).ToHaveTextAsync("权重合计：100%");
        await office.GetByLabel("起评值（第 3 行）").FillAsync("5");
        await office.GetByLabel("目标值（第 3 行）").FillAsync("0");
        await office.GetByLabel("积分事项（第 1 行）").SelectOptionAsync(new SelectOptionValue { Label = "问责" });
        await office.GetByLabel("每次分值（第 1 行）").FillAsync("-2");
        await office.GetByLabel("封顶（第 1 行）").FillAsync("6");
        await office.GetByLabel("本办法设评委打分").CheckAsync();
        await office.GetByLabel("评委打分权重（%）").FillAsync("40");
        await office.GetByLabel("评分项名称（第 1 行）").FillAsync("工作成效");
        await office.GetByLabel("满分（第 1 行）").FillAsync("60");
        await Button(office, "再加一个评分项").ClickAsync();
        await office.GetByLabel("评分项名称（第 2 行）").FillAsync("创新亮点");
        await office.GetByLabel("满分（第 2 行）").FillAsync("40");
        await BrowserTests.ScreenshotsAsync(office, "assessment-scheme");
        await Button(office, "保存考评办法").ClickAsync();
        await Expect(office.Locator("p.notice")).ToContainTextAsync("已制定考评办法「乡镇季度比拼」");
        await Expect(office.Locator("table.schemes")).ToContainTextAsync("季度");
        await BrowserTests.ScreenshotsAsync(office, "assessment-schemes");

        // Three judges from three units; the office opens a session for three townships.
        var judges = new[] { ("K", "评委张华"), ("C-ZJ", "评委李娜"), ("C", "评委陈刚") };
        var judgeNames = new List<string>();
        foreach (var (unit, name) in judges)
        {
            judgeNames.Add(await PersonAsync(unit, Role.Handler, name));
        }

        await office.GetByRole(AriaRole.Navigation, new() { Name = "主导航" }).GetByRole(AriaRole.Link, new() { Name = "评审打分" }).ClickAsync();
        await office.GetByRole(AriaRole.Link, new() { Name = "开启评审" }).ClickAsync();
        await Expect(office.GetByLabel("考评办法", new() { Exact = true })).ToHaveTextAsync($"乡镇季度比拼（{Townships}）"); // the only scheme with 评委打分
        await office.GetByLabel("考评时段").SelectOptionAsync(new SelectOptionValue { Label = "2024年第一季度" });
        await office.GetByLabel("评审名称").FillAsync("第一季度比拼现场评审");
        foreach (var unit in new[] { "测试镇", "东风镇", "南湖镇" })
        {
            await office.GetByRole(AriaRole.Checkbox, new() { Name = unit, Exact = true }).CheckAsync();
        }

        foreach (var (_, name) in judges)
        {
            await office.GetByLabel("按姓名或单位查找").FillAsync(name);
            await office.GetByRole(AriaRole.Checkbox, new() { NameRegex = new Regex("^" + name) }).CheckAsync();
        }

        await office.GetByLabel("按姓名或单位查找").FillAsync("");
        await BrowserTests.ScreenshotsAsync(office, "assessment-judging-open");
        await Button(office, "开启评审").ClickAsync();
        await Expect(office.Locator("p.notice")).ToContainTextAsync("已开启评审");
        await Expect(office.Locator("#h-who")).ToContainTextAsync("已交 0 / 9 份");
        var sessionUrl = office.Url;

        // Each judge on a phone: one unit at a time, the maximum beside each criterion, a confirmation before 提交.
        var scores = new[]
        {
            new[] { (50, 30), (40, 30), (30, 20) }, // 张华: 测试镇 80, 东风镇 70, 南湖镇 50
            new[] { (55, 35), (45, 30), (35, 25) }, // 李娜: 90, 75, 60
            new[] { (40, 20), (50, 35), (30, 10) }, // 陈刚: 60, 85, 40
        };
        for (var j = 0; j < 3; j++)
        {
            var phone = await SignedInAsync(judgeNames[j], 390);
            await phone.GotoAsync("/Assessment/Judging");
            await phone.GetByRole(AriaRole.Link, new() { Name = "第一季度比拼现场评审" }).ClickAsync();
            await Expect(phone.Locator(".judge-card .judge-progress")).ToHaveTextAsync("已评 0/3");
            for (var u = 0; u < 3; u++)
            {
                var unitName = await phone.Locator(".score-form .unit-name").InnerTextAsync();
                var order = Array.IndexOf(["测试镇", "东风镇", "南湖镇"], unitName);
                Assert.True(order >= 0, $"unexpected unit {unitName}");
                await Expect(phone.GetByLabel("工作成效")).ToHaveAttributeAsync("inputmode", "decimal");
                await Expect(phone.Locator(".score-field label").First).ToContainTextAsync("满分 60");
                if (j == 0 && u == 0)
                {
                    // Out of range: answered beside the criterion, nothing stored.
                    await phone.GetByLabel("工作成效").FillAsync("75");
                    await phone.GetByLabel("创新亮点").FillAsync("30");
                    await phone.GetByText("提交评分", new() { Exact = true }).ClickAsync();
                    await Button(phone, "确认提交").ClickAsync();
                    await Expect(phone.Locator(".score-field").First.Locator(".field-error")).ToContainTextAsync("「工作成效」的分数须在 0 到 60 之间");
                    await Expect(phone.Locator(".judge-card .judge-progress")).ToHaveTextAsync("已评 0/3");
                }

                await phone.GetByLabel("工作成效").FillAsync(scores[j][order].Item1.ToString(System.Globalization.CultureInfo.InvariantCulture));
                await phone.GetByLabel("创新亮点").FillAsync(scores[j][order].Item2.ToString(System.Globalization.CultureInfo.InvariantCulture));
                await phone.GetByText("提交评分", new() { Exact = true }).ClickAsync();
                await Expect(phone.Locator("#confirm-score")).ToContainTextAsync("提交后分数不能修改");
                if (j == 0 && u == 1)
                {
                    await BrowserTests.ScreenshotsAsync(phone, "assessment-judge-phone");
                    await phone.SetViewportSizeAsync(390, 860);
                }

                await Button(phone, "确认提交").ClickAsync();
                await Expect(phone.Locator("p.notice[role=status]")).ToContainTextAsync($"已提交对{unitName}的评分");
                await Expect(phone.Locator(".judge-card .judge-progress")).ToHaveTextAsync($"已评 {u + 1}/3");
            }

            await Expect(phone.Locator(".done-all")).ToContainTextAsync("您已完成全部 3 个单位的打分");
            // Only their own scores while the session is open.
            await Expect(phone.Locator("table.my-scores tbody tr")).ToHaveCountAsync(3);
            await Expect(phone.Locator("#h-all")).ToHaveCountAsync(0);
            await Expect(phone.Locator("#h-who")).ToHaveCountAsync(0);
            if (j == 2)
            {
                await BrowserTests.ScreenshotsAsync(phone, "assessment-judge-done");
                await phone.SetViewportSizeAsync(390, 860);
            }

            await phone.Context.CloseAsync();
        }

        // The office sees who has scored, never the scores, then closes the session.
        await office.GotoAsync(sessionUrl);
        await Expect(office.Locator("#h-who")).ToContainTextAsync("已交 9 / 9 份");
        await Expect(office.Locator("ul.judge-status")).ToContainTextAsync("评委李娜 已评 3/3");
        await Expect(office.Locator("main")).Not.ToContainTextAsync("折合百分制");
        await office.GetByText("结束评审", new() { Exact = true }).ClickAsync();
        await BrowserTests.ScreenshotsAsync(office, "assessment-judging-office");
        await Button(office, "确认结束评审").ClickAsync();
        await Expect(office.Locator("p.notice")).ToContainTextAsync("评审已结束");

        // Combined: drop the highest and the lowest of three → the middle judge's total.
        var result = office.Locator("table.judged tbody tr");
        await Expect(result.Nth(0)).ToContainTextAsync("测试镇");
        await Expect(result.Nth(0).Locator("td.combined")).ToHaveTextAsync("80.00");
        await Expect(result.Nth(1)).ToContainTextAsync("东风镇");
        await Expect(result.Nth(1).Locator("td.combined")).ToHaveTextAsync("75.00");
        await Expect(result.Nth(2).Locator("td.combined")).ToHaveTextAsync("50.00");
        await Expect(office.Locator("table.all-scores").First).ToContainTextAsync("评委陈刚");
        await BrowserTests.ScreenshotsAsync(office, "assessment-judging-closed");

        // The judged score counts in the quarter's results (加权得分 = 指标 × 60% + 评委 × 40%).
        await office.GotoAsync("/Assessment/Results");
        await office.GetByLabel("考评办法", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = $"乡镇季度比拼（{Townships} · 季度）" });
        await Expect(office.GetByLabel("季度", new() { Exact = true })).ToHaveValueAsync("2024-Q1");
        await Expect(office.Locator("table.results thead")).ToContainTextAsync("评委得分");
        var township = office.Locator("table.results tbody tr").Filter(new() { Has = office.GetByRole(AriaRole.Rowheader, new() { Name = "测试镇" }) });
        await Expect(township).ToContainTextAsync("80.00");
        await BrowserTests.ScreenshotsAsync(office, "assessment-results");
    }
}
