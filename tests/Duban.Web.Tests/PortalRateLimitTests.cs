using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;

namespace Duban.Tests;

/// <summary>The host with tight per-IP limits, so the limits can be reached in a test.</summary>
public sealed class TightLimitsApp : DubanApp
{
    protected override string Engine => TestDatabase.Sqlite;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Portal:LookupPerMinute", "3");
        builder.UseSetting("Portal:SubmitPerMinute", "2");
    }
}

/// <summary>The public surface is rate-limited per IP with a Chinese 429; staff traffic with a token is not.</summary>
public sealed class PortalRateLimitTests(TightLimitsApp app) : IClassFixture<TightLimitsApp>
{
    [Fact]
    public async Task Lookups_Past_TheLimit_Get429InChinese_StaffTokensDoNot()
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await app.Client().GetAsync("/api/appeals/2222-2222-2222");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.Contains("请一分钟后再试", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
            }
        }

        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.TooManyRequests], statuses);
        using var staff = await app.Client(app.SupervisorToken).GetAsync("/api/appeals/2222-2222-2222/details");
        Assert.Equal(HttpStatusCode.NotFound, staff.StatusCode);
    }

    [Fact]
    public async Task PortalPosts_Past_TheLimit_Get429()
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var content = new FormUrlEncodedContent(new Dictionary<string, string> { ["Form.Title"] = "t" });
            using var response = await app.Client().PostAsync("/portal", content);
            statuses.Add(response.StatusCode);
        }

        // Without an antiforgery token the first two are refused (400); the third never reaches the page.
        Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.TooManyRequests], statuses);
    }
}
