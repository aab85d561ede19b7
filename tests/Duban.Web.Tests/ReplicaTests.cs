using System.Globalization;
using System.Net;
using Duban.Data;
using Duban.Matters;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Duban.Tests;

/// <summary>PostgreSQL with <c>Database:ReadConnection</c> pointing at the streaming replica test.sh starts
/// (<c>DUBAN_TEST_POSTGRES_REPLICA</c>, the same databases a moment later).</summary>
public sealed class ReplicaApp : DubanApp
{
    protected override string Engine => TestDatabase.Postgres;

    /// <summary>This app's database on the replica.</summary>
    public string ReplicaConnectionString
    {
        get
        {
            var replica = Environment.GetEnvironmentVariable("DUBAN_TEST_POSTGRES_REPLICA");
            Assert.False(string.IsNullOrEmpty(replica), "DUBAN_TEST_POSTGRES_REPLICA is not set: run the tests with ./test.sh, which starts the replica");
            var server = new NpgsqlConnectionStringBuilder(replica);
            return new NpgsqlConnectionStringBuilder(ConnectionString) { Host = server.Host, Port = server.Port }.ConnectionString;
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Database:ReadConnection", ReplicaConnectionString);
    }
}

/// <summary>
/// Reads from a streaming replica (issue 19, part 5): the lists are served by the replica, so with its replay paused a
/// person who did not act sees the list as it was; the person who acted reads the primary until the replica has
/// replayed past their write, and sees their action at once.
/// </summary>
public sealed class ReplicaTests(ReplicaApp app) : IClassFixture<ReplicaApp>
{
    private static async Task<string> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToString(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture)!;
    }

    /// <summary>Waits until the replica has replayed everything the primary has written so far.</summary>
    private async Task CaughtUpAsync()
    {
        var lsn = await ScalarAsync(app.ConnectionString, "SELECT pg_current_wal_lsn()::text");
        for (var i = 0; i < 200; i++)
        {
            if (await ScalarAsync(app.ReplicaConnectionString, $"SELECT pg_last_wal_replay_lsn() >= '{lsn}'::pg_lsn") == "True")
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"the replica did not replay up to {lsn} within 10 s");
    }

    [Fact]
    public async Task AListIsServedByTheReplica_AndAnActionShowsAtOnceToWhoeverActedIt()
    {
        var actor = await PageSession.SignInAsync(app, "K-T", Role.Handler);
        var colleague = await PageSession.SignInAsync(app, "K-T", Role.Handler);
        var title = $"副本读取 {Guid.NewGuid():N}";
        long id;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            id = await scope.ServiceProvider.GetRequiredService<AssignMatter>()
                .ExecuteAsync(TestMatters.Assignment("K-T") with { Title = title }, app.Org.Supervisor);
        }

        await CaughtUpAsync();
        Assert.Contains(title, await colleague.GetStringAsync("/?tab=unacknowledged"), StringComparison.Ordinal);

        await ScalarAsync(app.ReplicaConnectionString, "SELECT pg_wal_replay_pause()");
        try
        {
            var url = string.Create(CultureInfo.InvariantCulture, $"/matters/{id}");
            using var acknowledged = await actor.PostAsync(url, new() { ["action"] = "acknowledge" });
            Assert.True(acknowledged.StatusCode == HttpStatusCode.Redirect, await acknowledged.Content.ReadAsStringAsync());

            // The replica has not replayed the acknowledgement: the colleague's list, read there, still has it waiting.
            Assert.DoesNotContain(title, await colleague.GetStringAsync("/?tab=in-progress"), StringComparison.Ordinal);
            Assert.Contains(title, await colleague.GetStringAsync("/?tab=unacknowledged"), StringComparison.Ordinal);
            // The one who acknowledged reads the primary: it is in progress for them at once.
            Assert.Contains(title, await actor.GetStringAsync("/?tab=in-progress"), StringComparison.Ordinal);
            Assert.DoesNotContain(title, await actor.GetStringAsync("/?tab=unacknowledged"), StringComparison.Ordinal);
        }
        finally
        {
            await ScalarAsync(app.ReplicaConnectionString, "SELECT pg_wal_replay_resume()");
        }

        await CaughtUpAsync();
        Assert.Contains(title, await colleague.GetStringAsync("/?tab=in-progress"), StringComparison.Ordinal);
        Assert.Contains(title, await actor.GetStringAsync("/?tab=in-progress"), StringComparison.Ordinal);
    }
}
