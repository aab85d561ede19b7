using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Duban.Data;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Tests.Assessment;

/// <summary>Files of a 自评申报 and of a 进度填报 over real HTTP with API tokens: upload (multipart, streamed like a matter's),
/// the listing with download links, the download, 404 for another unit, 409 once the entry is shortlisted or the report
/// decided, 413 for a file over the limit.</summary>
public sealed class AttachmentOwnersApiTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    private async Task<T> RunAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    private Task<HttpResponseMessage> PostAsync(string token, string path, HttpContent body) =>
        app.Client(token).PostAsync(new Uri(path, UriKind.Relative), body);

    private Task<HttpResponseMessage> GetAsync(string token, string path) => app.Client(token).GetAsync(new Uri(path, UriKind.Relative));

    [Fact]
    public async Task EntryFiles_UploadListDownload_404ForAnotherUnit_409AfterShortlisting_413WhenTooLarge()
    {
        var scheme = await RunAsync(sp => sp.GetRequiredService<AssessmentSchemes>().CreateAsync(new SchemeInput
        {
            Name = "乡镇月度考评", Group = "乡镇（街道）", Period = "month", From = new DateOnly(2024, 1, 1), To = new DateOnly(2024, 12, 31),
            Components = [new("onTimeCompleteRate", 0.5), new("satisfactionRate", 0.5)],
        }, app.Org.Supervisor));
        var created = await PostAsync(app.SupervisorToken, "/api/assessment/competitions", JsonContent.Create(new
        {
            name = "二月比拼", group = "乡镇（街道）", stages = new[] { new { period = "2024-02", label = "二月", weight = 1.0, scheme } },
            awards = new[] { new { name = "一等奖", count = 1 } }, publicityDays = 3,
        }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var competition = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var entered = await PostAsync(app.TownshipToken, $"/api/assessment/competitions/{competition}/entries",
            JsonContent.Create(new { stage = "2024-02", text = "二月按期办结全部交办事项。" }));
        Assert.Equal(HttpStatusCode.Created, entered.StatusCode);
        var entry = (await entered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var files = $"/api/assessment/competitions/entries/{entry}/attachments";

        // The unit uploads two files at once; 201 with both.
        var upload = await PostAsync(app.TownshipToken, files,
            AttachmentsApiTests.Files(("二月总结.pdf", AttachmentsApiTests.Pdf, "text/html"), ("现场.png", AttachmentsApiTests.Png, "application/octet-stream")));
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var added = await upload.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["二月总结.pdf", "现场.png"], added.EnumerateArray().Select(f => f.GetProperty("name").GetString()));
        var pdf = added[0].GetProperty("id").GetInt64();
        Assert.Equal($"/api/attachments/{pdf}", added[0].GetProperty("download").GetString());

        // The office sees them listed with the entry and downloads the bytes as uploaded, typed by their content.
        var view = await app.Client(app.SupervisorToken).GetFromJsonAsync<JsonElement>(new Uri($"/api/assessment/competitions/{competition}", UriKind.Relative));
        var listed = view.GetProperty("entries")[0].GetProperty("files");
        Assert.Equal(2, listed.GetArrayLength());
        Assert.Equal($"/api/attachments/{pdf}", listed[0].GetProperty("download").GetString());
        var download = await GetAsync(app.SupervisorToken, $"/api/attachments/{pdf}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/pdf", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal(AttachmentsApiTests.Pdf, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());

        // Another unit: 404 for the file, the list and the upload, as if none existed; the office may read but not add (403).
        await ProblemAsync(await GetAsync(app.DepartmentToken, $"/api/attachments/{pdf}"), HttpStatusCode.NotFound);
        await ProblemAsync(await GetAsync(app.DepartmentToken, files), HttpStatusCode.NotFound);
        await ProblemAsync(await PostAsync(app.DepartmentToken, files, AttachmentsApiTests.Files(("x.pdf", AttachmentsApiTests.Pdf, "application/pdf"))),
            HttpStatusCode.NotFound);
        await ProblemAsync(await PostAsync(app.SupervisorToken, files, AttachmentsApiTests.Files(("x.pdf", AttachmentsApiTests.Pdf, "application/pdf"))),
            HttpStatusCode.Forbidden);

        // Over the limit: 413 with the limit in Chinese, nothing added.
        var big = new byte[(20 * 1024 * 1024) + 1];
        "%PDF-"u8.CopyTo(big);
        var tooLarge = await ProblemAsync(await PostAsync(app.TownshipToken, files, AttachmentsApiTests.Files(("大文件.pdf", big, "application/pdf"))),
            HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("单个文件不能超过 20 MB", tooLarge.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // Shortlisted: 409 with the reason, and still two files.
        var decided = await PostAsync(app.SupervisorToken, $"/api/assessment/competitions/entries/{entry}/decide", JsonContent.Create(new { shortlisted = true }));
        Assert.Equal(HttpStatusCode.NoContent, decided.StatusCode);
        var late = await ProblemAsync(await PostAsync(app.TownshipToken, files, AttachmentsApiTests.Files(("补充.pdf", AttachmentsApiTests.Pdf, "application/pdf"))),
            HttpStatusCode.Conflict);
        Assert.Equal("该申报已入围，申报材料已经确定，不能再上传附件。", late.GetProperty("detail").GetString());
        var list = await app.Client(app.TownshipToken).GetFromJsonAsync<JsonElement>(new Uri(files, UriKind.Relative));
        Assert.Equal(2, list.GetArrayLength());
    }

    [Fact]
    public async Task ReportFiles_UploadListDownload_404ForAnotherUnit_409OnceDecided()
    {
        var saved = await RunAsync(sp => sp.GetRequiredService<TargetTasks>().SaveAsync(new TargetSetInput("签约任务", "2024-02", [new("签约", "个", "手工填报")],
            [new("签约", "K-T", null, 10), new("签约", "测试市住建局", null, 5)]), app.Org.Supervisor));
        var board = await RunAsync(sp => sp.GetRequiredService<TargetTasks>().ProgressAsync(saved.SetId!.Value, app.Org.Supervisor));
        var goal = board.Rows.Single(r => r.Owner.Name == "测试镇").GoalId;
        var reported = await PostAsync(app.TownshipToken, $"/api/assessment/targets/{goal}/reports", JsonContent.Create(new { amount = 2, note = "签约 2 个。" }));
        Assert.Equal(HttpStatusCode.Created, reported.StatusCode);
        var report = (await reported.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var files = $"/api/assessment/targets/reports/{report}/attachments";

        var upload = await PostAsync(app.TownshipToken, files, AttachmentsApiTests.Files(("合同.pdf", AttachmentsApiTests.Pdf, "application/pdf")));
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var id = (await upload.Content.ReadFromJsonAsync<JsonElement>())[0].GetProperty("id").GetInt64();

        var reports = await app.Client(app.SupervisorToken).GetFromJsonAsync<JsonElement>(new Uri($"/api/assessment/targets/{saved.SetId}/reports", UriKind.Relative));
        Assert.Equal("合同.pdf", reports[0].GetProperty("files")[0].GetProperty("name").GetString());
        Assert.Equal(AttachmentsApiTests.Pdf, await (await GetAsync(app.SupervisorToken, $"/api/attachments/{id}")).Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(app.TownshipToken, $"/api/attachments/{id}")).StatusCode);
        await ProblemAsync(await GetAsync(app.DepartmentToken, $"/api/attachments/{id}"), HttpStatusCode.NotFound);
        await ProblemAsync(await PostAsync(app.DepartmentToken, files, AttachmentsApiTests.Files(("x.pdf", AttachmentsApiTests.Pdf, "application/pdf"))),
            HttpStatusCode.NotFound);

        var confirmed = await PostAsync(app.SupervisorToken, $"/api/assessment/targets/reports/{report}/confirm", JsonContent.Create(new { reason = (string?)null }));
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        var late = await ProblemAsync(await PostAsync(app.TownshipToken, files, AttachmentsApiTests.Files(("补充.pdf", AttachmentsApiTests.Pdf, "application/pdf"))),
            HttpStatusCode.Conflict);
        Assert.Equal("这条填报已确认，不能再上传附件。", late.GetProperty("detail").GetString());
    }
}
