using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Duban.Data;
using Duban.Matters;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Tests.Assessment;

/// <summary>证明材料 on the target set page over real HTTP (cookie, antiforgery): a unit reports with a file, adds one
/// more while the report is pending, a forbidden type is refused on the page in Chinese with nothing stored, and once
/// the office confirmed the report the page refuses more (409) with the reason; the files' links download for the unit
/// and the office, and answer 404 to another unit.</summary>
public sealed partial class TargetsAttachmentPageTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    [GeneratedRegex("href=\"/attachments/(\\d+)\"")]
    private static partial Regex AttachmentLink();

    private static Task<HttpResponseMessage> PostFormAsync(PageSession session, string url, Dictionary<string, string> fields,
        params (string Name, byte[] Bytes)[] files)
    {
        var form = AttachmentsApiTests.Files([.. files.Select(f => (f.Name, f.Bytes, "application/octet-stream"))]);
        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }

        form.Add(new StringContent(session.Token), "__RequestVerificationToken");
        return session.Client.PostAsync(new Uri(url, UriKind.Relative), form);
    }

    private async Task<T> RunAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    [Fact]
    public async Task SetPage_ReportsWithFiles_AddsWhilePending_RefusesForbiddenTypesAndDecidedReports()
    {
        var saved = await RunAsync(sp => sp.GetRequiredService<TargetTasks>().SaveAsync(new TargetSetInput("二月签约", "2024-02", [new("签约", "个", "手工填报")],
            [new("签约", "K-T", null, 10)]), app.Org.Supervisor));
        var set = saved.SetId!.Value;
        var goal = (await RunAsync(sp => sp.GetRequiredService<TargetTasks>().ProgressAsync(set, app.Org.Supervisor))).Rows.Single().GoalId;
        var url = string.Create(CultureInfo.InvariantCulture, $"/Assessment/Targets/Set/{set}");
        var town = await PageSession.SignInAsync(app, "K-T", Role.Handler);
        Assert.Contains("证明材料", await town.GetStringAsync(url), StringComparison.Ordinal);
        Task<int> ReportsAsync() => RunAsync(sp => sp.GetRequiredService<DubanDbContext>().TargetReports.CountAsync());
        var report = new Dictionary<string, string>
        {
            ["GoalId"] = goal.ToString(CultureInfo.InvariantCulture), ["Amount"] = "2", ["Note"] = "签约 2 个，附合同。",
        };

        // A forbidden type: the reason on the page, what was typed stays, no report stored.
        var refused = await PostFormAsync(town, url + "?handler=Report", report, ("合同.exe", "MZ\x90\0"u8.ToArray()));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, refused.StatusCode);
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Matches("class=\"error\" role=\"alert\">[^<]*只能上传 PDF", html);
        Assert.Contains("签约 2 个，附合同。", html, StringComparison.Ordinal);
        Assert.Equal(0, await ReportsAsync());

        var response = await PostFormAsync(town, url + "?handler=Report", report, ("签约合同.pdf", AttachmentsApiTests.Pdf));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        html = await town.GetStringAsync(url);
        Assert.Contains("签约合同.pdf", html, StringComparison.Ordinal);
        var link = AttachmentLink().Match(html).Groups[1].Value;
        var reportId = await RunAsync(sp => sp.GetRequiredService<DubanDbContext>().TargetReports.Select(r => r.Id).SingleAsync());
        var id = reportId.ToString(CultureInfo.InvariantCulture);

        // One more while pending, through the report's own 补充材料 form.
        Assert.Contains("补充材料", html, StringComparison.Ordinal);
        response = await PostFormAsync(town, url + "?handler=Attach", new() { ["ReportId"] = id }, ("现场照片.png", AttachmentsApiTests.Png));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        html = await town.GetStringAsync(url);
        Assert.Equal(2, AttachmentLink().Matches(html).Count);

        // The unit and the office download; another unit gets 404.
        var office = await PageSession.SignInAsync(app, "C-DC", Role.Supervisor);
        foreach (var reader in new[] { town, office })
        {
            var download = await reader.Client.GetAsync(new Uri($"/attachments/{link}", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal(AttachmentsApiTests.Pdf, await download.Content.ReadAsByteArrayAsync());
        }

        Assert.Contains("签约合同.pdf", await office.GetStringAsync(url), StringComparison.Ordinal);
        var housing = await PageSession.SignInAsync(app, "C-ZJ", Role.Handler);
        Assert.Equal(HttpStatusCode.NotFound, (await housing.Client.GetAsync(new Uri($"/attachments/{link}", UriKind.Relative))).StatusCode);

        // Confirmed: no form any more, and a post is refused with the reason beside the report.
        await RunAsync(sp => sp.GetRequiredService<TargetTasks>().DecideAsync(reportId, true, null, app.Org.Supervisor));
        Assert.DoesNotContain("补充材料", await town.GetStringAsync(url), StringComparison.Ordinal);
        response = await PostFormAsync(town, url + "?handler=Attach", new() { ["ReportId"] = id }, ("补充.pdf", AttachmentsApiTests.Pdf));
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("这条填报已确认，不能再上传附件。", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(2, await RunAsync(sp => sp.GetRequiredService<DubanDbContext>().Attachments.CountAsync(a => a.TargetReportId == reportId)));
    }
}
