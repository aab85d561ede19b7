using Duban.Data;
using Duban.Matters;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Duban.Tests.Assessment;

/// <summary>自评申报 with files in Chromium: a township enters with a file on the desktop, another on a 390 px phone (and a
/// file of a forbidden type is refused on the page in Chinese); the office sees both entries' files and downloads one;
/// a third township gets 404 for it.</summary>
public sealed partial class CompetitionPagesTests
{
    [Fact]
    public async Task Browser_UnitsAttachFilesToTheirEntries_OnDesktopAndPhone_TheOfficeDownloadsThem()
    {
        var scheme = await MonthlySchemeAsync();
        var competition = await RunAsync(sp => sp.GetRequiredService<AssessmentCompetitions>().CreateAsync(new CompetitionInput(
            "三月附件比拼", Townships, [new("2024-03", "三月", 1.0, scheme)], [new("一等奖", 1)], 3), App.Org.Supervisor));
        var url = FormattableString.Invariant($"/Assessment/Competitions/{competition}");

        // Desktop: the form takes the text and a file; the file is listed under the entry with its link.
        var town = await SignedInAsync("K-T", Role.Handler, "测试镇承办人", 1280);
        await town.GotoAsync(url);
        await town.GetByLabel("自评材料").FillAsync("三月按期办结全部交办事项，附工作总结。");
        await town.Locator("#enter-files").SetInputFilesAsync(
            new FilePayload { Name = "测试镇三月工作总结.pdf", MimeType = "application/pdf", Buffer = AttachmentsApiTests.Pdf });
        await Button(town, "提交申报").ClickAsync();
        await Expect(town.Locator("p.notice")).ToContainTextAsync("已提交自评申报和 1 个附件");
        var townEntry = town.Locator("ul.entries > li").Filter(new() { HasText = "测试镇" });
        await Expect(townEntry.Locator("ul.files")).ToContainTextAsync("测试镇三月工作总结.pdf");
        await BrowserTests.ScreenshotsAsync(town, "competition-entry-files");

        // Phone: a forbidden type is refused beside the form, what was typed stays; then a photo goes through, and one more
        // file is added to the entry before the office decides.
        var north = await SignedInAsync("K-T4", Role.Handler, "北山镇承办人", 390);
        await north.GotoAsync(url);
        await north.GetByLabel("自评材料").FillAsync("北山镇三月整改成效明显。");
        await north.Locator("#enter-files").SetInputFilesAsync(
            new FilePayload { Name = "工具.exe", MimeType = "application/octet-stream", Buffer = "MZ\x90\0"u8.ToArray() });
        await Button(north, "提交申报").ClickAsync();
        await Expect(north.Locator("#enter-refused")).ToContainTextAsync("只能上传 PDF");
        await Expect(north.GetByLabel("自评材料")).ToHaveValueAsync("北山镇三月整改成效明显。");
        await north.Locator("#enter-files").SetInputFilesAsync(
            new FilePayload { Name = "北山镇现场照片.png", MimeType = "image/png", Buffer = AttachmentsApiTests.Png });
        await Button(north, "提交申报").ClickAsync();
        var northEntry = north.Locator("ul.entries > li").Filter(new() { HasText = "北山镇" });
        await Expect(northEntry.Locator("ul.files")).ToContainTextAsync("北山镇现场照片.png");
        await northEntry.GetByLabel("补充附件").SetInputFilesAsync(
            new FilePayload { Name = "北山镇整改台账（补充）.pdf", MimeType = "application/pdf", Buffer = AttachmentsApiTests.Pdf });
        await northEntry.GetByRole(AriaRole.Button, new() { Name = "上传", Exact = true }).ClickAsync();
        await Expect(north.Locator("p.notice")).ToContainTextAsync("已上传 1 个附件");
        await Expect(north.Locator("ul.entries > li").Filter(new() { HasText = "北山镇" }).Locator("ul.files li")).ToHaveCountAsync(2);
        await BrowserTests.ScreenshotsAsync(north, "competition-entry-files-phone");

        // The office sees every entry's files and downloads one: the bytes as uploaded.
        var office = await SignedInAsync("C-DC", Role.Supervisor, "督查员王敏", 1280);
        await office.GotoAsync(url);
        var link = office.Locator("ul.entries > li").Filter(new() { HasText = "测试镇" }).GetByRole(AriaRole.Link, new() { Name = "测试镇三月工作总结.pdf" });
        await Expect(link).ToBeVisibleAsync();
        await Expect(office.Locator("ul.entries > li").Filter(new() { HasText = "北山镇" }).Locator("ul.files li")).ToHaveCountAsync(2);
        var href = await link.GetAttributeAsync("href");
        var download = await office.Context.APIRequest.GetAsync(href!);
        Assert.Equal(200, download.Status);
        Assert.Equal(AttachmentsApiTests.Pdf, await download.BodyAsync());
        await BrowserTests.ScreenshotsAsync(office, "competition-entry-files-office");

        // Once shortlisted, the unit's page offers no more upload; a third township cannot fetch the file.
        await office.Locator("ul.entries > li").Filter(new() { HasText = "北山镇" }).GetByRole(AriaRole.Button, new() { Name = "入围", Exact = true }).ClickAsync();
        await Expect(office.Locator("ul.entries > li").Filter(new() { HasText = "北山镇" })).ToContainTextAsync("入围");
        await north.ReloadAsync();
        await Expect(north.Locator("ul.entries > li").Filter(new() { HasText = "北山镇" }).GetByLabel("补充附件")).ToHaveCountAsync(0);
        var east = await SignedInAsync("K-T2", Role.Handler, "东风镇承办人", 390);
        Assert.Equal(404, (await east.Context.APIRequest.GetAsync(href!)).Status);
        await east.GotoAsync(url);
        await Expect(east.Locator("ul.entries")).Not.ToContainTextAsync("北山镇整改台账");
    }
}
