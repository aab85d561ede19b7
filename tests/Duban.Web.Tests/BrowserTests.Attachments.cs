using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Duban.Tests;

/// <summary>Attachments on the matter page in the browser.</summary>
public sealed partial class BrowserTests
{
    [Fact]
    public async Task Handler_AttachesFilesOnTheMatterPage_AndSeesThemListed()
    {
        var suffix = Suffix();
        var (supervisor, handler) = await PeopleAsync(suffix);
        var id = await AssignAsync(supervisor, $"整治背街小巷照明{suffix}", "K-T");
        var page = await NewPageAsync();
        await SignInAsync(page, handler.UserName!);
        await page.GotoAsync($"/matters/{id}");

        await page.GetByLabel("上传附件").SetInputFilesAsync(
        [
            new FilePayload { Name = "整改前现场照片.png", MimeType = "image/png", Buffer = AttachmentsApiTests.Png },
            new FilePayload { Name = "整改方案（初稿）.pdf", MimeType = "application/pdf", Buffer = AttachmentsApiTests.Pdf },
        ]);
        await Button(page, "上传").ClickAsync();

        var table = page.Locator("table.attachments");
        await Expect(table).ToContainTextAsync("整改前现场照片.png");
        await Expect(table).ToContainTextAsync("整改方案（初稿）.pdf");
        await Expect(table).ToContainTextAsync("镇承办李强");
        await Expect(page.Locator("table.history")).ToContainTextAsync("上传附件");

        // A forbidden type is refused beside the field, with the allowed types named.
        await page.GetByLabel("上传附件").SetInputFilesAsync(new FilePayload { Name = "工具.exe", MimeType = "application/octet-stream", Buffer = "MZ\x90\0"u8.ToArray() });
        await Button(page, "上传").ClickAsync();
        await Expect(page.Locator("#files-error")).ToContainTextAsync("只能上传 PDF");
        await ScreenshotsAsync(page, "matter-attachments");
    }
}
