using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Duban.Data;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Tests;

/// <summary>The web host adds new matters to SQLite's keyword index every two seconds (KeywordIndexer; the test clock
/// fakes the date, not the timers). Found before (MatterSearchTests) and after.</summary>
public sealed class KeywordIndexerTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    [Fact]
    public async Task ANewMatter_IsAddedToTheKeywordIndex_WithinSeconds()
    {
        var body = TestMatters.Assignment() with { Title = "雨污分流管网改造", Content = "东片区排水" };
        using var created = await app.Client(app.SupervisorToken).PostAsJsonAsync("/api/matters", body);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!.GetValue<long>();

        var waited = Stopwatch.StartNew();
        while (await IndexedThroughAsync() < id && waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(100);
        }

        Assert.True(await IndexedThroughAsync() >= id, "the keyword indexer did not run");
        Assert.Contains(id, await FoundAsync("分流管网"));
        Assert.DoesNotContain(id, await FoundAsync("分流水管"));
    }

    private async Task<long> IndexedThroughAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await MatterSearch.IndexedThroughAsync(scope.ServiceProvider.GetRequiredService<DubanDbContext>(), CancellationToken.None);
    }

    private async Task<List<long>> FoundAsync(string keyword)
    {
        var list = await app.Client(app.SupervisorToken).GetFromJsonAsync<JsonNode>("/api/matters?q=" + Uri.EscapeDataString(keyword));
        return [.. list!["items"]!.AsArray().Select(m => m!["id"]!.GetValue<long>())];
    }
}
