using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Duban.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Tests;

/// <summary>The web host adds new matters to the keyword index every two seconds (KeywordIndexer; the test clock fakes
/// the date, not the timers): SQLite's file, PostgreSQL's table from its log. Found before (MatterSearchTests) and
/// after.</summary>
public abstract class KeywordIndexerTests(DubanApp app)
{
    [Fact]
    public async Task ANewMatter_IsAddedToTheKeywordIndex_WithinSeconds()
    {
        var body = TestMatters.Assignment() with { Title = "雨污分流管网改造", Content = "东片区排水" };
        using var created = await app.Client(app.SupervisorToken).PostAsJsonAsync("/api/matters", body);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!.GetValue<long>();

        var waited = Stopwatch.StartNew();
        while (!await IndexedAsync(id) && waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(100);
        }

        Assert.True(await IndexedAsync(id), "the keyword indexer did not run");
        Assert.Contains(id, await FoundAsync("分流管网"));
        Assert.DoesNotContain(id, await FoundAsync("分流水管"));
    }

    /// <summary>Whether the index answers for the matter without the substring test: on SQLite its file's mark has
    /// passed it; on PostgreSQL its pairs are in the table and it is off the log.</summary>
    private async Task<bool> IndexedAsync(long id)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DubanDbContext>();
        return db.Database.IsSqlite()
            ? await MatterSearch.IndexedThroughAsync(db, CancellationToken.None) >= id
            : await db.Database.SqlQuery<bool>($"""
                SELECT EXISTS (SELECT 1 FROM matter_search WHERE "MatterId" = {id})
                   AND NOT EXISTS (SELECT 1 FROM matter_search_changes WHERE "MatterId" = {id}) AS "Value"
                """).SingleAsync();
    }

    private async Task<List<long>> FoundAsync(string keyword)
    {
        var list = await app.Client(app.SupervisorToken).GetFromJsonAsync<JsonNode>("/api/matters?q=" + Uri.EscapeDataString(keyword));
        return [.. list!["items"]!.AsArray().Select(m => m!["id"]!.GetValue<long>())];
    }
}

public sealed class KeywordIndexerTests_Sqlite(SqliteApp app) : KeywordIndexerTests(app), IClassFixture<SqliteApp>;

public sealed class KeywordIndexerTests_Postgres(PostgresApp app) : KeywordIndexerTests(app), IClassFixture<PostgresApp>;
