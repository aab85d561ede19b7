using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Duban.Data;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Tests;

/// <summary>The admin endpoints for outbound notifications: webhooks, the dead-letter list and retry.</summary>
public abstract class NotificationsApiTests(DubanApp app)
{
    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

    private async Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(string token, string path, object? body)
    {
        using var response = await app.Client(token).PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private async Task<(HttpStatusCode Status, JsonNode? Body)> GetAsync(string token, string path)
    {
        using var response = await app.Client(token).GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    [Fact]
    public async Task Webhooks_AreManagedByAdminsOnly_AndSecretsAreNeverShown()
    {
        var hook = new { url = WebhookReceiver.ClosedPort().AbsoluteUri, secret = "a-long-enough-secret", unit = "K" };
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(app.SupervisorToken, "/api/webhooks", hook)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(app.TownshipToken, "/api/webhooks")).Status);
        using (var anonymous = await app.Client().GetAsync("/api/webhooks"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        var bad = await PostAsync(app.AdminToken, "/api/webhooks", new { url = "ftp://example.test/x", secret = "short", unit = "NOPE" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.Equal(["secret", "unit", "url"], bad.Body!["errors"]!.AsObject().Select(e => e.Key).Order(StringComparer.Ordinal));

        var created = await PostAsync(app.AdminToken, "/api/webhooks", hook);
        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal("K", created.Body!["unit"]!.GetValue<string>());
        Assert.Null(created.Body["secret"]);
        var id = created.Body["id"]!.GetValue<long>();

        var list = await GetAsync(app.AdminToken, "/api/webhooks");
        var listed = list.Body!.AsArray().Single(w => w!["id"]!.GetValue<long>() == id)!;
        Assert.Equal(hook.url, listed["url"]!.GetValue<string>());
        Assert.True(listed["active"]!.GetValue<bool>());
        Assert.DoesNotContain("a-long-enough-secret", list.Body.ToJsonString(), StringComparison.Ordinal);

        using (var forbidden = await app.Client(app.SupervisorToken).DeleteAsync($"/api/webhooks/{id}"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        }

        using (var deleted = await app.Client(app.AdminToken).DeleteAsync($"/api/webhooks/{id}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        Assert.False((await GetAsync(app.AdminToken, "/api/webhooks")).Body!.AsArray().Single(w => w!["id"]!.GetValue<long>() == id)!["active"]!.GetValue<bool>());
    }

    [Fact]
    public async Task DeadLetters_AreListedForAdmins_WithTheLastError_AndCanBeRequeued()
    {
        var hook = await PostAsync(app.AdminToken, "/api/webhooks", new { url = WebhookReceiver.ClosedPort().AbsoluteUri, secret = "another-long-secret" });
        var hookId = hook.Body!["id"]!.GetValue<long>().ToString(CultureInfo.InvariantCulture);
        app.Clock.SetUtcNow(At("2024-06-03T10:00:00+08:00"));
        using (var assigned = await app.Client(app.SupervisorToken).PostAsJsonAsync("/api/matters", TestMatters.Assignment("K-T")))
        {
            var matterId = JsonNode.Parse(await assigned.Content.ReadAsStringAsync())!["id"]!.GetValue<long>();
            Assert.Equal(HttpStatusCode.OK, (await PostAsync(app.SupervisorToken, $"/api/matters/{matterId}/urge", new { message = "请尽快签收" })).Status);
        }

        // Attempts every two hours (past any backoff) until the default eight are spent.
        var summaries = new List<DeliverySummary>();
        for (var i = 0; i < 8; i++)
        {
            await using var scope = app.Services.CreateAsyncScope();
            summaries.Add(await scope.ServiceProvider.GetRequiredService<DeliverDue>().RunAsync(app.Clock.GetUtcNow()));
            app.Clock.Advance(TimeSpan.FromHours(2));
        }

        Assert.True(summaries[^1].Dead >= 1, string.Join(", ", summaries));
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(app.SupervisorToken, "/api/deliveries?status=dead")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await GetAsync(app.AdminToken, "/api/deliveries?status=lost")).Status);
        var dead = await GetAsync(app.AdminToken, "/api/deliveries?status=dead");
        Assert.Equal(HttpStatusCode.OK, dead.Status);
        var letter = dead.Body!.AsArray().Single(d => d!["target"]!.GetValue<string>() == hookId)!;
        Assert.Equal("webhook", letter["channel"]!.GetValue<string>());
        Assert.Equal("dead", letter["status"]!.GetValue<string>());
        Assert.Equal(8, letter["attempts"]!.GetValue<int>());
        Assert.False(string.IsNullOrEmpty(letter["lastError"]!.GetValue<string>()));
        Assert.StartsWith("【催办】", letter["noticeTitle"]!.GetValue<string>(), StringComparison.Ordinal);

        var id = letter["id"]!.GetValue<long>();
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(app.TownshipToken, $"/api/deliveries/{id}/retry", null)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(app.AdminToken, "/api/deliveries/999999/retry", null)).Status);
        var retried = await PostAsync(app.AdminToken, $"/api/deliveries/{id}/retry", null);
        Assert.Equal(HttpStatusCode.OK, retried.Status);
        Assert.Equal(("pending", 0), (retried.Body!["status"]!.GetValue<string>(), retried.Body["attempts"]!.GetValue<int>()));
        Assert.DoesNotContain((await GetAsync(app.AdminToken, "/api/deliveries?status=dead")).Body!.AsArray(), d => d!["id"]!.GetValue<long>() == id);
    }
}

public sealed class NotificationsApiTests_Sqlite(SqliteApp app) : NotificationsApiTests(app), IClassFixture<SqliteApp>;

public sealed class NotificationsApiTests_Postgres(PostgresApp app) : NotificationsApiTests(app), IClassFixture<PostgresApp>;

/// <summary>The SQLite app with the hosted delivery worker on, polling often.</summary>
public sealed class WorkerApp : DubanApp
{
    protected override string Engine => TestDatabase.Sqlite;

    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Delivery:Enabled", "true");
        builder.UseSetting("Delivery:Interval", "00:00:00.200");
    }
}

public sealed class DeliveryWorkerTests(WorkerApp app) : IClassFixture<WorkerApp>
{
    [Fact]
    public async Task TheHostedWorker_SendsANoticeToAWebhook_WithoutBeingAsked()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var hook = await app.Client(app.AdminToken).PostAsJsonAsync("/api/webhooks", new { url = receiver.Url.AbsoluteUri, secret = "worker-secret-0123456789" });
        Assert.Equal(HttpStatusCode.Created, hook.StatusCode);
        app.Clock.SetUtcNow(DateTimeOffset.Parse("2024-06-03T10:00:00+08:00", CultureInfo.InvariantCulture));
        using var assigned = await app.Client(app.SupervisorToken).PostAsJsonAsync("/api/matters", TestMatters.Assignment("K-T"));
        var matterId = JsonNode.Parse(await assigned.Content.ReadAsStringAsync())!["id"]!.GetValue<long>();
        using var urged = await app.Client(app.SupervisorToken).PostAsJsonAsync($"/api/matters/{matterId}/urge", new { message = "请尽快签收" });
        Assert.Equal(HttpStatusCode.OK, urged.StatusCode);

        await receiver.WaitForAsync(1, TimeSpan.FromSeconds(20));
        var body = JsonNode.Parse(receiver.Requests[0].Body)!;
        Assert.Equal(("urge", matterId), (body["event"]!.GetValue<string>(), body["matterId"]!.GetValue<long>()));
    }
}
