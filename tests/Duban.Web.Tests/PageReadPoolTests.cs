using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Duban.Data;
using Duban.Matters;
using Npgsql;

namespace Duban.Tests;

/// <summary>On PostgreSQL a page shown on GET reads through the page-read pool (prepared statements, connections that
/// live five minutes, named <see cref="DatabaseOptions.PageReadsName"/>); the API and a form sent keep the other.</summary>
public sealed class PageReadPoolTests(PostgresApp app) : IClassFixture<PostgresApp>
{
    [Fact]
    public async Task PagesShown_ReadThroughThePageReadPool_ApiCallsAndFormsSent_DoNot()
    {
        using (var api = await app.Client(app.SupervisorToken).GetAsync(new Uri("/api/matters", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        }

        long matter;
        using (var created = await app.Client(app.SupervisorToken).PostAsJsonAsync("/api/matters", TestMatters.Assignment()))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            matter = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        }

        Assert.Empty(await PageReadQueriesAsync());

        var supervisor = await PageSession.SignInAsync(app, "C-DC", Role.Supervisor);
        await supervisor.GetStringAsync("/supervision");
        Assert.NotEmpty(await PageReadQueriesAsync());

        // 催办 from the board: a form sent, whose writes end in a COMMIT on whichever connection ran them.
        using var urged = await supervisor.PostAsync("/supervision?handler=Urge", new() { ["id"] = $"{matter}", ["kind"] = "urge", ["message"] = "请加快办理" });
        Assert.Equal(HttpStatusCode.Redirect, urged.StatusCode);
        Assert.All(await PageReadQueriesAsync(), q => Assert.DoesNotMatch(@"^\s*(INSERT|UPDATE|DELETE|COMMIT)", q));
    }

    /// <summary>The last statement of each open connection of this database's page-read pool.</summary>
    private async Task<List<string>> PageReadQueriesAsync()
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT query FROM pg_stat_activity WHERE datname = current_database() AND application_name = @name", connection);
        command.Parameters.AddWithValue("name", DatabaseOptions.PageReadsName);
        var queries = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            queries.Add(reader.GetString(0));
        }

        return queries;
    }
}
