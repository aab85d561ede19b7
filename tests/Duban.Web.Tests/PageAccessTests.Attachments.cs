using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Duban.Data;
using Duban.Matters;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Tests;

/// <summary>Attachments through the pages: the matter page's upload form (cookie, antiforgery), the cookie download
/// route, and the public portal's optional files.</summary>
public sealed partial class PageAccessTests
{
    [GeneratedRegex("href=\"/attachments/(\\d+)\"")]
    private static partial Regex AttachmentLink();

    private static Task<HttpResponseMessage> UploadFormAsync(PageSession session, long matterId, params (string Name, byte[] Bytes)[] files)
    {
        var form = AttachmentsApiTests.Files([.. files.Select(f => (f.Name, f.Bytes, "application/octet-stream"))]);
        form.Add(new StringContent(session.Token), "__RequestVerificationToken");
        return session.Client.PostAsync(new Uri(string.Create(CultureInfo.InvariantCulture, $"/matters/{matterId}?handler=Upload"), UriKind.Relative), form);
    }

    [Fact]
    public async Task MatterPage_UploadsThroughTheForm_ListsAndDownloadsWithTheCookie()
    {
        var own = await AssignAsync("K-T");
        var handler = await SignInAsync("K-T", Role.Handler);
        var before = await handler.Client.GetStringAsync(new Uri($"/matters/{own}", UriKind.Relative));
        Assert.Contains("单个文件不超过 20 MB", before, StringComparison.Ordinal); // the limits are in the hint

        var response = await UploadFormAsync(handler, own, ("现场核查.pdf", AttachmentsApiTests.Pdf));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var page = await handler.Client.GetStringAsync(new Uri($"/matters/{own}", UriKind.Relative));
        Assert.Contains("现场核查.pdf", page, StringComparison.Ordinal);
        var link = AttachmentLink().Match(page).Groups[1].Value;
        var download = await handler.Client.GetAsync(new Uri($"/attachments/{link}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(AttachmentsApiTests.Pdf, await download.Content.ReadAsByteArrayAsync());

        // Another unit's handler: the file does not exist for them; signed out: the login page.
        var other = await SignInAsync("C-ZJ", Role.Handler);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Client.GetAsync(new Uri($"/attachments/{link}", UriKind.Relative))).StatusCode);
        using var anonymous = Browser();
        Assert.Equal(HttpStatusCode.Redirect, (await anonymous.GetAsync(new Uri($"/attachments/{link}", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task MatterPage_ForbiddenFile_ShowsTheReasonBesideTheField()
    {
        var own = await AssignAsync("K-T");
        var handler = await SignInAsync("K-T", Role.Handler);

        var response = await UploadFormAsync(handler, own, ("通知.exe", "MZ\x90\0"u8.ToArray()));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Matches("id=\"files-error\"[^>]*>[^<]*只能上传 PDF", page);
        Assert.Contains("暂无附件", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Portal_SubmissionWithAFile_AttachesItToTheAppealsMatter()
    {
        using var citizen = Browser();
        var formPage = await citizen.GetStringAsync(new Uri("/portal", UriKind.Relative));
        var form = AttachmentsApiTests.Files(("路灯照片.png", AttachmentsApiTests.Png, "image/png"));
        foreach (var (name, value) in new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = PageSession.FormToken(formPage),
            ["Form.Title"] = "小区路灯不亮（附照片）",
            ["Form.Content"] = "幸福小区 3 号楼前路灯已坏两周，夜间出行不便，见附件照片。",
            ["Form.Category"] = Duban.Appeals.AppealCategories.All[0],
            ["Form.ContactName"] = "王女士",
            ["Form.ContactPhone"] = "13800001111",
        })
        {
            form.Add(new StringContent(value), name);
        }

        // The field is named Files on the portal page.
        foreach (var part in form.Where(p => p.Headers.ContentDisposition?.Name == "files"))
        {
            part.Headers.ContentDisposition!.Name = "Files";
        }

        var response = await citizen.PostAsync(new Uri("/portal", UriKind.Relative), form);

        Assert.True(response.StatusCode == HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DubanDbContext>();
        var matterId = await db.Matters.Where(m => m.Title == "小区路灯不亮（附照片）").Select(m => m.Id).SingleAsync();
        var attachment = await db.Attachments.SingleAsync(a => a.MatterId == matterId);
        Assert.Equal(("路灯照片.png", "image/png"), (attachment.DisplayName, attachment.ContentType));
        Assert.Null(attachment.UploadedById);
    }
}
