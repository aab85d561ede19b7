using System.Text.RegularExpressions;
using Duban.Data;
using Duban.Matters;
using DocumentFormat.OpenXml.Packaging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using W = DocumentFormat.OpenXml.Wordprocessing;

namespace Duban.Tests;

/// <summary>通知书 in a real browser: the office drafts a 交办通知书 from the matter page, a leader refuses a blank
/// return and approves, the office issues it (numbered), the paper prints alone and downloads as Word, and the lead
/// unit finds it in its inbox. Desktop and 390 px screenshots.</summary>
public sealed class NoticesBrowserTests(SqliteApp app, Chromium chromium) : IClassFixture<SqliteApp>, IClassFixture<Chromium>
{
    private const string Password = "Duban-Test-2024!";

    private static readonly string Folder =
        Environment.GetEnvironmentVariable("DUBAN_SCREENSHOTS") is { Length: > 0 } folder
            ? folder
            : Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    private async Task<IPage> SignInAsync(string userName)
    {
        var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.BaseAddress.ToString(), Locale = "zh-CN", TimezoneId = "Asia/Shanghai", AcceptDownloads = true,
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        context.SetDefaultTimeout(10_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/login");
        await page.GetByLabel("用户名", new() { Exact = true }).FillAsync(userName);
        await page.GetByLabel("密码", new() { Exact = true }).FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "退出", Exact = true })).ToBeVisibleAsync();
        return page;
    }

    private static ILocator Button(IPage page, string name) => page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    private static ILocator Done(IPage page) => page.Locator("main > p.notice[role=status]");

    [Fact]
    public async Task Office_Drafts_LeaderApproves_OfficeIssues_ThePaperPrintsAndDownloads_AndTheUnitReceivesIt()
    {
        long matter;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var accounts = scope.ServiceProvider.GetRequiredService<UserAccounts>();
            var office = await accounts.CreateAsync("ntdc", "督查员周静", "C-DC", [Role.Supervisor], Password);
            await accounts.CreateAsync("ntld", "副市长陈刚", "C", [Role.Leader], Password);
            await accounts.CreateAsync("ntkt", "镇承办吴磊", "K-T", [Role.Handler], Password);
            matter = await scope.ServiceProvider.GetRequiredService<AssignMatter>().ExecuteAsync(
                TestMatters.Assignment("K-T", "C-ZJ") with
                {
                    Title = "老旧小区雨污分流改造",
                    Content = "北门片区老旧小区雨污合流，雨天污水外溢，请牵头单位会同住建部门制定改造方案并组织施工。",
                },
                await accounts.ActorOfAsync(office));
        }

        // 拟办: from the matter page; a malformed phone is refused beside its field, nothing typed is lost.
        var page = await SignInAsync("ntdc");
        await page.GotoAsync($"/matters/{matter}");
        var card = page.Locator("#notice-papers");
        await Expect(card).ToContainTextAsync("还没有通知书。");
        await card.GetByRole(AriaRole.Link, new() { Name = "拟制交办通知书" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "拟制交办通知书", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByLabel("标题")).ToHaveValueAsync("关于交办“老旧小区雨污分流改造”的通知");
        await Expect(page.GetByLabel("抄送", new() { Exact = false })).ToHaveValueAsync("测试市住建局");
        await page.GetByLabel("办理要求").FillAsync("请于5个工作日内报送改造方案，明确施工时序和完成时间。");
        await page.GetByLabel("联系电话", new() { Exact = false }).FillAsync("请打电话");
        await Button(page, "保存草稿").ClickAsync();
        await Expect(page.Locator("#Form_Phone ~ .error")).ToContainTextAsync("联系电话只能填写号码");
        await Expect(page.GetByLabel("办理要求")).ToHaveValueAsync("请于5个工作日内报送改造方案，明确施工时序和完成时间。");
        await BrowserTests.ScreenshotsAsync(page, "notice-new-refused");
        await page.GetByLabel("联系电话", new() { Exact = false }).FillAsync("0571-87001234");
        await Button(page, "保存草稿").ClickAsync();
        await Expect(Done(page)).ToHaveTextAsync("已拟制，待领导审定。");
        await Expect(page.Locator(".paper .red-head")).ToHaveTextAsync("测试市委督查室交办通知书");
        await Expect(page.Locator(".paper .paper-number")).ToContainTextAsync("督交〔");
        await Expect(page.Locator(".paper")).ToContainTextAsync("五、办理要求。请于5个工作日内报送改造方案，明确施工时序和完成时间。");
        await Expect(Button(page, "下发")).ToHaveCountAsync(0); // not before 审定
        await Expect(page.Locator("#steps")).ToContainTextAsync("待领导审定");
        var paperUrl = page.Url;
        await page.Context.CloseAsync();

        // 审定: the leader's list opens on 待审定; a return without a reason is refused, then the leader approves.
        page = await SignInAsync("ntld");
        await page.GetByRole(AriaRole.Link, new() { Name = "通知书", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "办理步骤" }).GetByRole(AriaRole.Link, new() { Name = "待审定" }))
            .ToHaveAttributeAsync("aria-current", "page");
        await BrowserTests.ScreenshotsAsync(page, "notice-list-leader");
        await page.GetByRole(AriaRole.Link, new() { Name = "关于交办“老旧小区雨污分流改造”的通知" }).ClickAsync();
        await page.GetByText("退回修改").ClickAsync();
        await Button(page, "退回").ClickAsync();
        await Expect(page.Locator("p.error[role=alert]")).ToContainTextAsync("请填写退回理由。");
        await page.GetByLabel("退回理由").FillAsync("请写明施工期间的安全要求。");
        await Button(page, "退回").ClickAsync();
        await Expect(Done(page)).ToHaveTextAsync("已退回督查室修改。");
        await Expect(page.Locator("#steps")).ToContainTextAsync("理由：请写明施工期间的安全要求。");
        await page.Context.CloseAsync();

        // 修改: the office sees why, rewrites the 办理要求 and sends it back for 审定.
        page = await SignInAsync("ntdc");
        await page.GotoAsync(paperUrl);
        await Expect(Button(page, "下发")).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Link, new() { Name = "按意见修改" }).ClickAsync();
        await Expect(page.Locator("p.returned")).ToContainTextAsync("请写明施工期间的安全要求。");
        await page.GetByLabel("办理要求").FillAsync("请于5个工作日内报送改造方案，明确施工时序、完成时间和施工期间的安全措施。");
        await BrowserTests.ScreenshotsAsync(page, "notice-edit-returned");
        await Button(page, "保存并提交审定").ClickAsync();
        await Expect(Done(page)).ToHaveTextAsync("已修改，重新提交领导审定。");
        await page.Context.CloseAsync();

        page = await SignInAsync("ntld");
        await page.GotoAsync(paperUrl);
        await Expect(page.Locator(".paper")).ToContainTextAsync("施工期间的安全措施");
        await page.GetByLabel("审定意见", new() { Exact = false }).FillAsync("同意。");
        await Button(page, "审定同意").ClickAsync();
        await Expect(Done(page)).ToHaveTextAsync("已审定，督查室可以下发。");
        await Expect(page.Locator("#steps")).ToContainTextAsync("审定 副市长陈刚");
        await page.Context.CloseAsync();

        // 下发: numbered, signed by the leader, dated.
        page = await SignInAsync("ntdc");
        await page.GotoAsync(paperUrl);
        await Button(page, "下发").ClickAsync();
        await Expect(Done(page)).ToHaveTextAsync(new Regex(@"^已下发（督交〔2024〕\d+号），承办单位已在“通知”中收到。$"));
        var number = (await page.Locator(".paper .paper-number").TextContentAsync())!.Trim();
        Assert.Matches(@"^督交〔2024〕\d+号$", number);
        await Expect(page.Locator(".paper .paper-sign")).ToContainTextAsync("签发人：副市长陈刚");
        await Expect(page.Locator(".paper .paper-sign")).ToContainTextAsync("2024年2月8日");
        await Expect(page.Locator(".paper .paper-record")).ToContainTextAsync("抄送：测试市住建局");
        await BrowserTests.ScreenshotsAsync(page, "notice-paper");

        // Printing: only the paper (no menu, buttons, steps or message).
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        await Expect(page.Locator(".paper")).ToBeVisibleAsync();
        foreach (var hidden in new[] { "details.menu", ".topbar", "#steps", ".sheet-tools", "main > p.notice" })
        {
            await Expect(page.Locator(hidden)).ToBeHiddenAsync();
        }

        Directory.CreateDirectory(Folder);
        await page.PdfAsync(new() { Path = Path.Combine(Folder, "notice-print.pdf"), Format = "A4", PrintBackground = true });
        await page.EmulateMediaAsync(new() { Media = Media.Screen });

        // The Word file: the same paper, parsed back.
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "下载 Word" }).ClickAsync());
        Assert.Equal($"{number} 关于交办“老旧小区雨污分流改造”的通知.docx", download.SuggestedFilename);
        var docx = Path.Combine(Folder, "notice.docx");
        await download.SaveAsAsync(docx);
        using (var word = WordprocessingDocument.Open(docx, false))
        {
            var body = word.MainDocumentPart!.Document.Body!;
            var paragraphs = body.Elements<W.Paragraph>().Select(p => p.InnerText).ToList();
            Assert.Equal("测试市委督查室交办通知书", paragraphs[0]);
            Assert.Equal("C00000", body.Descendants<W.Run>().First().RunProperties!.Color!.Val!.Value);
            Assert.Contains(number, paragraphs);
            Assert.Contains("关于交办“老旧小区雨污分流改造”的通知", paragraphs);
            Assert.Contains("测试镇：", paragraphs);
            Assert.Contains(paragraphs, p => p.StartsWith("四、办理时限。签收：2024年2月", StringComparison.Ordinal));
            Assert.Contains("签发人：副市长陈刚", paragraphs);
            Assert.Contains("抄送：测试市住建局", paragraphs);
            Assert.Equal(11906U, body.Elements<W.SectionProperties>().Single().GetFirstChild<W.PageSize>()!.Width!.Value); // A4
        }

        await page.Context.CloseAsync();

        // The lead unit: the paper is in its 通知 and on the matter page.
        page = await SignInAsync("ntkt");
        await page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^通知") }).First.ClickAsync();
        var item = page.Locator(".inbox-item", new() { HasText = $"【交办通知书】{number}" });
        await Expect(item).ToHaveCountAsync(1);
        await page.GotoAsync($"/matters/{matter}");
        await Expect(page.Locator("#notice-papers")).ToContainTextAsync($"交办通知书 {number}");
        await Expect(page.Locator("#notice-papers").GetByRole(AriaRole.Link, new() { Name = "拟制交办通知书" })).ToHaveCountAsync(0);
        await page.Locator("#notice-papers").GetByRole(AriaRole.Link, new() { Name = $"交办通知书 {number}" }).ClickAsync();
        await Expect(page.Locator(".paper .paper-title")).ToHaveTextAsync("关于交办“老旧小区雨污分流改造”的通知");
        await Expect(Button(page, "下发")).ToHaveCountAsync(0);
        await page.SetViewportSizeAsync(390, 900);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Folder, "notice-paper-unit-phone.png"), FullPage = true });
        await page.Context.CloseAsync();
    }
}
