using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Duban.Tests;

/// <summary>/api/weekly through the real pipeline: the session's life and its refusals as ProblemDetails.</summary>
public abstract class WeeklyApiTests(DubanApp app)
{
    private static async Task<JsonNode?> ReadAsync(HttpResponseMessage response) => JsonNode.Parse(await response.Content.ReadAsStringAsync());

    private async Task<(HttpStatusCode Status, JsonNode? Body, string? Type)> SendAsync(HttpMethod method, string path, string token, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await app.Client(token).SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), response.Content.Headers.ContentType?.MediaType);
    }

    private async Task<long> MatterAsync(string lead = "K-T", params string[] co)
    {
        using var response = await app.Client(app.SupervisorToken).PostAsJsonAsync("/api/matters", TestMatters.Assignment(lead, co));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await ReadAsync(response))!["id"]!.GetValue<long>();
    }

    private async Task<long> SessionAsync(string date = "2024-02-05")
    {
        var (status, body, _) = await SendAsync(HttpMethod.Post, "/api/weekly", app.SupervisorToken, new { date, meeting = "市委市政府重点工作周例会" });
        Assert.Equal(HttpStatusCode.Created, status);
        return body!["session"]!["id"]!.GetValue<long>();
    }

    [Fact]
    public async Task Session_CreateAddSendReport_ThroughTheApi()
    {
        var first = await SessionAsync("2024-01-29");
        var a = await MatterAsync("K-T", "C-ZJ");
        var b = await MatterAsync("C-ZJ");

        var (added, details, _) = await SendAsync(HttpMethod.Post, $"/api/weekly/{first}/matters", app.SupervisorToken, new { ids = new[] { a, b } });
        Assert.Equal(HttpStatusCode.OK, added);
        Assert.Equal(2, details!["matters"]!.AsArray().Count);
        Assert.Equal("draft", details["session"]!["status"]!.GetValue<string>());

        var (sent, afterSend, _) = await SendAsync(HttpMethod.Post, $"/api/weekly/{first}/send", app.SupervisorToken);
        Assert.Equal(HttpStatusCode.OK, sent);
        Assert.Equal("sent", afterSend!["session"]!["status"]!.GetValue<string>());
        Assert.Equal(["C-ZJ", "K-T"], afterSend["sheets"]!.AsArray().Select(x => x!["unit"]!["code"]!.GetValue<string>()).Order());

        // The township sees the session, its one matter and its own sheet only.
        var (seen, township, _) = await SendAsync(HttpMethod.Get, $"/api/weekly/{first}", app.TownshipToken);
        Assert.Equal(HttpStatusCode.OK, seen);
        Assert.Equal([a], township!["matters"]!.AsArray().Select(m => m!["id"]!.GetValue<long>()));
        Assert.False(township["canManage"]!.GetValue<bool>());
        var (inbox, notices, _) = await SendAsync(HttpMethod.Get, "/api/inbox", app.TownshipToken);
        Assert.Equal(HttpStatusCode.OK, inbox);
        Assert.Contains(notices!["items"]!.AsArray(), n => n!["link"]!.GetValue<string>() == $"/Weekly/{first}/Sheet?unit=K-T");

        var second = await SessionAsync("2024-02-05");
        var (reported, report, _) = await SendAsync(HttpMethod.Get, $"/api/weekly/{second}/report", app.SupervisorToken);
        Assert.Equal(HttpStatusCode.OK, reported);
        Assert.Equal(first, report!["session"]!["id"]!.GetValue<long>());
        Assert.Equal(2, report["session"]!["progress"]!["total"]!.GetValue<int>());
        Assert.Equal(0, report["session"]!["progress"]!["closed"]!.GetValue<int>());
        Assert.Equal("0%", report["session"]!["progress"]!["closedPercent"]!.GetValue<string>());
        var (listed, list, _) = await SendAsync(HttpMethod.Get, "/api/weekly", app.SupervisorToken);
        Assert.Equal(HttpStatusCode.OK, listed);
        Assert.Contains(list!.AsArray(), s => s!["id"]!.GetValue<long>() == second);
    }

    [Fact]
    public async Task Refusals_AreProblemDetails_WithTheRightStatus()
    {
        var session = await SessionAsync();
        var matter = await MatterAsync();

        var unknown = await SendAsync(HttpMethod.Get, "/api/weekly/987654", app.SupervisorToken);
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Equal("application/problem+json", unknown.Type);

        var empty = await SendAsync(HttpMethod.Post, $"/api/weekly/{session}/send", app.SupervisorToken);
        Assert.Equal(HttpStatusCode.BadRequest, empty.Status);
        Assert.NotNull(empty.Body!["errors"]!["matters"]);

        var invalid = await SendAsync(HttpMethod.Post, "/api/weekly", app.SupervisorToken, new { date = "明天", meeting = "" });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.Status);
        Assert.NotNull(invalid.Body!["errors"]!["date"]);

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, $"/api/weekly/{session}/matters", app.SupervisorToken, new { ids = new[] { matter } })).Status);
        var other = await SessionAsync();
        var taken = await SendAsync(HttpMethod.Post, $"/api/weekly/{other}/matters", app.SupervisorToken, new { ids = new[] { matter } });
        Assert.Equal(HttpStatusCode.Conflict, taken.Status);
        Assert.Contains("已纳入", taken.Body!["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        var byHandler = await SendAsync(HttpMethod.Post, "/api/weekly", app.TownshipToken, new { date = "2024-02-05", meeting = "周例会" });
        Assert.Equal(HttpStatusCode.Forbidden, byHandler.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, $"/api/weekly/{session}", app.TownshipToken)).Status); // a draft

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, $"/api/weekly/{session}/send", app.SupervisorToken)).Status);
        var twice = await SendAsync(HttpMethod.Post, $"/api/weekly/{session}/send", app.SupervisorToken);
        Assert.Equal(HttpStatusCode.Conflict, twice.Status);
        Assert.Equal("application/problem+json", twice.Type);
        Assert.Contains("不能再下发", twice.Body!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var remove = await SendAsync(HttpMethod.Delete, $"/api/weekly/{session}/matters/{matter}", app.SupervisorToken);
        Assert.Equal(HttpStatusCode.Conflict, remove.Status);
    }

    [Fact]
    public async Task Remove_WhileDraft_TakesTheMatterOut()
    {
        var session = await SessionAsync();
        var matter = await MatterAsync();
        await SendAsync(HttpMethod.Post, $"/api/weekly/{session}/matters", app.SupervisorToken, new { ids = new[] { matter } });

        var removed = await SendAsync(HttpMethod.Delete, $"/api/weekly/{session}/matters/{matter}", app.SupervisorToken);
        var again = await SendAsync(HttpMethod.Delete, $"/api/weekly/{session}/matters/{matter}", app.SupervisorToken);

        Assert.Equal(HttpStatusCode.NoContent, removed.Status);
        Assert.Equal(HttpStatusCode.NotFound, again.Status);
        Assert.Empty((await SendAsync(HttpMethod.Get, $"/api/weekly/{session}", app.SupervisorToken)).Body!["matters"]!.AsArray());
    }
}

public sealed class WeeklyApiTests_Sqlite(SqliteApp app) : WeeklyApiTests(app), IClassFixture<SqliteApp>;

public sealed class WeeklyApiTests_Postgres(PostgresApp app) : WeeklyApiTests(app), IClassFixture<PostgresApp>;
