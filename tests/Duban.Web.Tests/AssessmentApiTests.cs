using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Duban.Cli;
using Microsoft.Extensions.Time.Testing;
using MiniExcelLibs;

namespace Duban.Tests;

/// <summary>/api/assessment over HTTP on the review scenario: schemes refused with the reason, results as JSON and xlsx,
/// what a unit may see, publication once; and <c>duban assessment compute</c>.</summary>
public sealed class AssessmentApiTests(ReportsApp app) : IClassFixture<ReportsApp>
{
    private static object Scheme(int year, params object[] components) => new
    {
        name = $"{year}年乡镇月度考评",
        group = "乡镇（街道）",
        period = "month",
        from = $"{year}-01-01",
        to = $"{year}-12-31",
        @base = 60,
        components,
        pointRules = new[] { new { @event = "overdueMilestone", points = -1, cap = 10 } },
    };

    private async Task<HttpResponseMessage> PostAsync(string token, string path, object body)
    {
        await app.ScenarioAsync();
        return await app.Client(token).PostAsJsonAsync(new Uri(path, UriKind.Relative), body);
    }

    private async Task<JsonNode> GetJsonAsync(string token, string path)
    {
        using var response = await app.Client(token).GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    [Fact]
    public async Task BadSchemes_Are400WithTheReasonByField_AndAUnitMayNotMakeOne()
    {
        using var weights = await PostAsync(app.SupervisorToken, "/api/assessment/schemes", Scheme(2030,
            new { metric = "onTimeCompleteRate", weight = 0.3 }, new { metric = "resolutionRate", weight = 0.35 }, new { metric = "satisfactionRate", weight = 0.3 }));
        Assert.Equal(HttpStatusCode.BadRequest, weights.StatusCode);
        var problem = JsonNode.Parse(await weights.Content.ReadAsStringAsync())!;
        Assert.Contains("95%", problem["errors"]!["components"]![0]!.GetValue<string>(), StringComparison.Ordinal);

        using var unknown = await PostAsync(app.SupervisorToken, "/api/assessment/schemes", Scheme(2031, new { metric = "happiness", weight = 1 }));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.NotNull(JsonNode.Parse(await unknown.Content.ReadAsStringAsync())!["errors"]!["components[0].metric"]);

        using var forbidden = await PostAsync(app.TownshipToken, "/api/assessment/schemes", Scheme(2032, new { metric = "resolutionRate", weight = 1 }));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);

        var all = await GetJsonAsync(app.SupervisorToken, "/api/assessment/schemes");
        Assert.DoesNotContain(all.AsArray(), s => s!["from"]!.GetValue<string>().StartsWith("203", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Results_AsJsonAndXlsx_AUnitSeesItsOwnParts_PublishedOnce()
    {
        using var created = await PostAsync(app.SupervisorToken, "/api/assessment/schemes", Scheme(2024,
            new { metric = "onTimeCompleteRate", weight = 0.5, mapping = "linear", floor = 0.6, target = 1 },
            new { metric = "satisfactionRate", weight = 0.5, mapping = "rank" }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!.GetValue<long>();

        var table = await GetJsonAsync(app.SupervisorToken, $"/api/assessment/results?scheme={id}&period=2024-03");
        Assert.False(table["published"]!.GetValue<bool>());
        var rows = table["rows"]!.AsArray();
        Assert.Equal("K-T", rows[0]!["unit"]!["code"]!.GetValue<string>());
        Assert.Equal(1, rows[0]!["rank"]!.GetValue<int>());
        Assert.Equal(160, rows[0]!["total"]!.GetValue<double>()); // 60 + 100, nothing overdue

        var township = await GetJsonAsync(app.TownshipToken, $"/api/assessment/results?scheme={id}&period=2024-03");
        Assert.All(township["rows"]!.AsArray().Where(r => r!["unit"]!["code"]!.GetValue<string>() != "K-T"),
            r => Assert.Empty(r!["components"]!.AsArray()));
        Assert.NotEmpty(township["rows"]!.AsArray().Single(r => r!["unit"]!["code"]!.GetValue<string>() == "K-T")!["components"]!.AsArray());

        using (var xlsx = await app.Client(app.SupervisorToken).GetAsync(new Uri($"/api/assessment/results?scheme={id}&period=2024-03&format=xlsx", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
            Assert.Equal("2024年乡镇月度考评2024年3月考评结果.xlsx", xlsx.Content.Headers.ContentDisposition!.FileNameStar);
            using var stream = new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync());
            var sheet = MiniExcel.Query(stream, useHeaderRow: true, sheetName: "考评结果").Cast<IDictionary<string, object?>>().ToList();
            Assert.Equal("测试镇", sheet[0]["单位"]);
            Assert.Equal(160.0, Convert.ToDouble(sheet[0]["总分"], System.Globalization.CultureInfo.InvariantCulture));
        }

        using var adjust = await PostAsync(app.SupervisorToken, "/api/assessment/adjustments",
            new { scheme = id, period = "2024-03", unit = "K-T4", points = 3, reason = "市委通报表扬" });
        Assert.Equal(HttpStatusCode.Created, adjust.StatusCode);
        using var publish = await PostAsync(app.SupervisorToken, "/api/assessment/results/publish", new { scheme = id, period = "2024-03" });
        Assert.Equal(HttpStatusCode.OK, publish.StatusCode);
        using var again = await PostAsync(app.SupervisorToken, "/api/assessment/results/publish", new { scheme = id, period = "2024-03" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("已经发布", JsonNode.Parse(await again.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        using var future = await app.Client(app.SupervisorToken).GetAsync(new Uri($"/api/assessment/results?scheme={id}&period=2024-13", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, future.StatusCode);

        // The command line prints the published table.
        var db = app.ConnectionString;
        var output = new StringWriter();
        var exit = await CliApp.RunAsync(["assessment", "compute", "--scheme", id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--period", "2024-03", "--db", db],
            output, new StringWriter(), new FakeTimeProvider(ReviewScenario.End));
        Assert.Equal(0, exit);
        Assert.Contains("已发布", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("1\t测试镇\t160.00", output.ToString(), StringComparison.Ordinal);
    }
}
