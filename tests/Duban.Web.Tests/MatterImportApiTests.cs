using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using MiniExcelLibs;

namespace Duban.Tests;

/// <summary><c>POST /api/matters/import</c> (a bad file is a 400, never a 500; 预检 saves nothing; a bad row is a 422
/// and nothing is saved) and <c>POST /api/matters/{id}/accountability</c> (人工列入).</summary>
public sealed class MatterImportApiTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    private static byte[] Workbook(params (string Title, string Lead)[] rows)
    {
        using var buffer = new MemoryStream();
        buffer.SaveAs(rows.Select(r => new Dictionary<string, object?>
        {
            ["标题"] = r.Title, ["内容"] = $"{r.Title}的具体要求", ["目标任务"] = "按期完成", ["工作标准"] = "群众认可", ["牵头单位"] = r.Lead,
            ["办结期限"] = "2024/6/30",
        }).ToList());
        return buffer.ToArray();
    }

    private async Task<(HttpStatusCode Status, JsonNode? Body)> UploadAsync(byte[] file, string query, string? token = null, string name = "事项.xlsx")
    {
        using var form = new MultipartFormDataContent();
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        form.Add(content, "file", name);
        using var response = await app.Client(token ?? app.SupervisorToken).PostAsync("/api/matters/import" + query, form);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private async Task<int> CountAsync(string title)
    {
        using var response = await app.Client(app.SupervisorToken).GetAsync("/api/matters?q=" + Uri.EscapeDataString(title));
        return (await response.Content.ReadFromJsonAsync<JsonNode>())!["total"]!.GetValue<int>();
    }

    [Fact]
    public async Task BadFiles_Are400_WithTheReasonOnFile()
    {
        var (notXlsx, body) = await UploadAsync(Encoding.UTF8.GetBytes("PK? not really"), "?dryRun=true", name: "a.xlsx");
        Assert.Equal(HttpStatusCode.BadRequest, notXlsx);
        Assert.NotNull(body!["errors"]!["file"]);

        using var json = await app.Client(app.SupervisorToken).PostAsJsonAsync("/api/matters/import", new { });
        Assert.Equal(HttpStatusCode.BadRequest, json.StatusCode);

        using var noHeader = new MemoryStream();
        noHeader.SaveAs(new[] { new Dictionary<string, object?> { ["甲"] = 1, ["乙"] = 2 } });
        var (status, problem) = await UploadAsync(noHeader.ToArray(), "");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith("没有找到表头", problem!["errors"]!["file"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DryRun_SavesNothing_ABadRowIs422_AndACleanFileIsAssigned()
    {
        var title = "API批量" + Guid.NewGuid().ToString("N")[..6];
        var (checkStatus, check) = await UploadAsync(Workbook((title + "甲", "测试镇"), (title + "乙", "K-T")), "?dryRun=true");
        Assert.Equal(HttpStatusCode.OK, checkStatus);
        Assert.Equal("valid", check!["rows"]![0]!["outcome"]!.GetValue<string>());
        Assert.Equal(0, await CountAsync(title));

        var (badStatus, bad) = await UploadAsync(Workbook((title + "甲", "测试镇"), (title + "丙", "没有")), "?dryRun=false");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badStatus);
        Assert.Equal("找不到单位“没有”。", bad!["rows"]![1]!["reasons"]![0]!.GetValue<string>());
        Assert.Equal(0, await CountAsync(title));

        var (status, report) = await UploadAsync(Workbook((title + "甲", "测试镇"), (title + "乙", "K-T")), "");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("assigned", report!["rows"]![1]!["outcome"]!.GetValue<string>());
        Assert.Equal(2, await CountAsync(title));

        var (handler, _) = await UploadAsync(Workbook((title + "丁", "测试镇")), "", app.TownshipToken);
        Assert.Equal(HttpStatusCode.Forbidden, handler);
    }

    [Fact]
    public async Task ManualAccountabilityEntry_ByTheOffice_NeedsAReason()
    {
        using var assigned = await app.Client(app.SupervisorToken).PostAsJsonAsync("/api/matters",
            TestMatters.Assignment() with { Title = "API人工列入" + Guid.NewGuid().ToString("N")[..6] });
        var id = (await assigned.Content.ReadFromJsonAsync<JsonNode>())!["id"]!.GetValue<long>();
        var path = $"/api/matters/{id}/accountability";

        using var noReason = await app.Client(app.SupervisorToken).PostAsJsonAsync(path, new { });
        using var byHandler = await app.Client(app.TownshipToken).PostAsJsonAsync(path, new { note = "自己列自己" });
        using var created = await app.Client(app.SupervisorToken).PostAsJsonAsync(path, new { note = "多次催办未签收", stage = "acknowledge" });

        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byHandler.StatusCode);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var list = await app.Client(app.SupervisorToken).GetAsync("/api/accountability?status=pending");
        var entries = (await list.Content.ReadFromJsonAsync<JsonArray>())!;
        Assert.Contains(entries, e => e!["matterId"]!.GetValue<long>() == id && e["reason"]!.GetValue<string>() == "manual");
    }
}
