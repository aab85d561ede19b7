using System.Net;
using System.Text.Json.Nodes;
using Duban.Data;
using Duban.Reviews;
using DocumentFormat.OpenXml.Packaging;
using Microsoft.AspNetCore.Hosting;
using MiniExcelLibs;

namespace Duban.Tests;

/// <summary>The web host with the review scenario done once (red and black lists of one unit).</summary>
public sealed class ReportsApp : DubanApp
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ReviewScenario? _scenario;

    protected override string Engine => TestDatabase.Sqlite;

    public async Task<ReviewScenario> ScenarioAsync()
    {
        await _gate.WaitAsync();
        try
        {
            return _scenario ??= await ReviewScenario.RunAsync(Services, Org, Clock.SetUtcNow);
        }
        finally
        {
            _gate.Release();
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        foreach (var (key, value) in ReviewScenario.Settings)
        {
            builder.UseSetting(key, value);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _gate.Dispose();
        }

        base.Dispose(disposing);
    }
}

/// <summary>GET /api/reports/…?format=xlsx|docx and /api/reports/matters.xlsx: the files, their names, who may have them.</summary>
public sealed class ReportPacksApiTests(ReportsApp app) : IClassFixture<ReportsApp>
{
    private async Task<HttpResponseMessage> GetAsync(string token, string path)
    {
        await app.ScenarioAsync();
        return await app.Client(token).GetAsync(new Uri(path, UriKind.Relative));
    }

    [Fact]
    public async Task MonthlyXlsx_IsTheWorkbook_NamedInChinese()
    {
        using var response = await GetAsync(app.SupervisorToken, "/api/reports/monthly?month=2024-03&format=xlsx");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ReviewWorkbook.ContentType, response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("2024年3月讲评.xlsx", response.Content.Headers.ContentDisposition!.FileNameStar);
        using var stream = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        Assert.Contains("乡镇（街道）", MiniExcel.GetSheetNames(stream));
        var townships = MiniExcel.Query(stream, useHeaderRow: true, sheetName: "乡镇（街道）").Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(["测试镇", "东风镇", "南湖镇", "北山镇"], townships.Select(r => (string?)r["单位"]));
        Assert.Equal(1.0, townships[0][Metrics.Label(Metric.SatisfactionRate)]);
        Assert.Equal("↑3", townships[0]["位次变化"]);
    }

    [Fact]
    public async Task MonthlyDocx_IsTheBulletin_WithTheCasesAndNumberAsked()
    {
        var scenario = await app.ScenarioAsync();
        var code = scenario.March["K-T"][0];
        using var response = await GetAsync(app.SupervisorToken, $"/api/reports/monthly?month=2024-03&format=docx&cases={code}&number=7");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ReviewBulletin.ContentType, response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("2024年3月讲评通报.docx", response.Content.Headers.ContentDisposition!.FileNameStar);
        using var document = WordprocessingDocument.Open(new MemoryStream(await response.Content.ReadAsByteArrayAsync()), false);
        var text = document.MainDocumentPart!.Document!.Body!.InnerText;
        Assert.StartsWith("督查通报〔2024〕7号", text, StringComparison.Ordinal);
        Assert.Contains("关于2024年3月督查工作讲评情况的通报", text, StringComparison.Ordinal);
        Assert.Contains($"事项编号 {code}", text, StringComparison.Ordinal);
        Assert.Contains("测试市委督查室", text, StringComparison.Ordinal); // signed by the reader's unit
    }

    [Theory]
    [InlineData("/api/reports/weekly?week=2024-W09&format=xlsx", "2024年第9周讲评.xlsx")]
    [InlineData("/api/reports/quarterly?quarter=2024-Q1&format=docx", "2024年第一季度讲评通报.docx")]
    [InlineData("/api/reports/yearly?year=2024&format=xlsx", "2024年讲评.xlsx")]
    [InlineData("/api/reports/range?from=2024-03-01&to=2024-03-15&format=docx", "2024年3月1日至3月15日讲评通报.docx")]
    public async Task EveryPeriod_OffersBothFormats(string path, string fileName)
    {
        using var response = await GetAsync(app.AdminToken, path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(fileName, response.Content.Headers.ContentDisposition!.FileNameStar);
        Assert.True((await response.Content.ReadAsByteArrayAsync()).Length > 1000);
    }

    [Theory]
    [InlineData("/api/reports/monthly?month=2024-03&format=pdf", "format")]
    [InlineData("/api/reports/monthly?month=2024-03&format=docx&cases=DB-2024-999999", "cases")]
    [InlineData("/api/reports/monthly?month=2024-03&format=docx&number=三", "number")]
    [InlineData("/api/reports/matters.xlsx?from=2024-03-01", "to")]
    public async Task BadInput_Is400_NamingTheField(string path, string field)
    {
        using var response = await GetAsync(app.SupervisorToken, path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.NotNull(problem["errors"]![field]);
    }

    [Theory]
    [InlineData("xlsx")]
    [InlineData("docx")]
    public async Task AUnitsHandler_MayNotDownloadThePacks(string format)
    {
        using var response = await GetAsync(app.TownshipToken, $"/api/reports/monthly?month=2024-03&format={format}");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("只有督查室、领导和系统管理员可以下载", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // The review itself (as data) stays open to them, with only their own figures.
        using var json = await GetAsync(app.TownshipToken, "/api/reports/monthly?month=2024-03");
        Assert.Equal(HttpStatusCode.OK, json.StatusCode);
    }

    [Fact]
    public async Task MattersXlsx_IsTheLedgerOfWhatTheReaderMaySee()
    {
        var scenario = await app.ScenarioAsync();
        using var all = await GetAsync(app.SupervisorToken, "/api/reports/matters.xlsx");
        using var march = await GetAsync(app.SupervisorToken, "/api/reports/matters.xlsx?from=2024-03-01&to=2024-03-31");
        using var own = await GetAsync(app.TownshipToken, "/api/reports/matters.xlsx?from=2024-03-01&to=2024-03-31");

        foreach (var response in new[] { all, march, own })
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(MatterLedger.ContentType, response.Content.Headers.ContentType!.MediaType);
        }

        Assert.Equal("事项台账.xlsx", all.Content.Headers.ContentDisposition!.FileNameStar);
        Assert.Equal("2024年3月1日至3月31日事项台账.xlsx", march.Content.Headers.ContentDisposition!.FileNameStar);
        async Task<List<string>> Codes(HttpResponseMessage response) =>
            MiniExcel.Query(new MemoryStream(await response.Content.ReadAsByteArrayAsync()), useHeaderRow: true)
                .Cast<IDictionary<string, object?>>().Select(r => (string)r["编号"]!).ToList();
        Assert.Equal(scenario.Codes.Count, (await Codes(all)).Count);
        Assert.Equal(9, (await Codes(march)).Count);
        Assert.Equal(scenario.March["K-T"], (await Codes(own)).Order(StringComparer.Ordinal));
    }
}
