using System.Net;
using Duban.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Tests;

/// <summary>/healthz and /readyz, as a load balancer calls them: no sign-in, plain answers, 503 when not ready.</summary>
public sealed class HealthTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    [Fact]
    public async Task Healthz_AndReadyz_AnswerWithoutSignIn()
    {
        using var client = app.Client();
        using var live = await client.GetAsync("/healthz");
        using var ready = await client.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("ok", await live.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("ready", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Metrics_AreScrapedInPrometheusFormat_AndEveryAnswerCarriesItsRequestId()
    {
        using var client = app.Client(app.SupervisorToken);
        using var list = await client.GetAsync("/api/matters");
        using var metrics = await app.Client().GetAsync("/metrics");
        var text = await metrics.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Contains("http_server_request_duration_seconds_bucket", text, StringComparison.Ordinal); // requests and latencies
        Assert.Contains("duban_audit_records", text, StringComparison.Ordinal);
        Assert.Contains("duban_deliveries_dead", text, StringComparison.Ordinal);
        Assert.Contains("duban_import_queue", text, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(list.Headers.GetValues("X-Request-Id").Single()));
    }

    [Fact]
    public async Task Readyz_Is503_WhileAMigrationIsNotApplied()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DubanDbContext>();
        var last = (await db.Database.GetAppliedMigrationsAsync()).Last();
        await db.Database.ExecuteSqlRawAsync("DELETE FROM \"__EFMigrationsHistory\" WHERE \"MigrationId\" = {0}", last);
        try
        {
            using var client = app.Client();
            using var ready = await client.GetAsync("/readyz");

            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Equal("数据库还有 1 个迁移未执行。", await ready.Content.ReadAsStringAsync());
        }
        finally
        {
            await db.Database.ExecuteSqlRawAsync("INSERT INTO \"__EFMigrationsHistory\" (\"MigrationId\", \"ProductVersion\") VALUES ({0}, '10.0')", last);
        }
    }
}
