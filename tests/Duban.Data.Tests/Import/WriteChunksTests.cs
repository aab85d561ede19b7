using System.Diagnostics;
using Duban.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Tests.Import;

/// <summary>
/// A bulk writer's chunks leave SQLite's only write lock free long enough between them for a writer of another
/// process, waiting in SQLite's own busy handler (which polls every 100 ms once it has waited a while), to get in: an
/// import from the command line does not starve the running server's writes, whose turns it does not share. Real time,
/// not a moved clock: the busy handler's sleeps are SQLite's.
/// </summary>
public sealed class WriteChunksTests
{
    [Fact]
    public async Task AWriterOfAnotherProcess_WaitingForTheLock_GetsInBetweenTwoChunks()
    {
        await using var s = await Storage.CreateAsync(TestDatabase.Sqlite);
        await using var scope = s.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DubanDbContext>();
        await using var chunks = new WriteChunks(db, dryRun: false);
        await chunks.BeginAsync(default);
        await db.Database.ExecuteSqlRawAsync("CREATE TABLE bulk (n INTEGER)"); // the chunk now holds the write lock

        // The other process: its own connection, outside this process's turns, waiting up to 5 s for the lock.
        var clock = Stopwatch.StartNew();
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var other = Task.Run(async () =>
        {
            await using var connection = new SqliteConnection(s.Database.ConnectionString + ";Pooling=False");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA busy_timeout=5000";
            await command.ExecuteNonQueryAsync();
            command.CommandText = "CREATE TABLE other (n INTEGER)";
            waiting.SetResult();
            await command.ExecuteNonQueryAsync(); // a SqliteException (busy) here is the starvation
            return clock.Elapsed;
        });
        await waiting.Task;
        var started = clock.Elapsed;

        // The bulk writer writes row after row, as an import does: each new chunk writes at once.
        var commits = new List<TimeSpan>();
        var written = 0;
        while (!other.IsCompleted && clock.Elapsed < TimeSpan.FromSeconds(8))
        {
            await chunks.BeginAsync(default);
            await db.Database.ExecuteSqlRawAsync("INSERT INTO bulk VALUES ({0})", written++);
            if (await chunks.EndRowAsync(default))
            {
                commits.Add(clock.Elapsed);
            }
        }

        await chunks.CommitAsync(default);
        var done = await other;
        Assert.True(commits.Count > 0 && started < commits[0], $"the other writer started waiting at {started}, the first chunk ended at {commits.FirstOrDefault()}");
        Assert.True(done > commits[0] - WriteChunks.SqlitePause, $"the other writer got in at {done}, before the first chunk ended at {commits[0]}");
        Assert.True(commits.Count < 2 || done < commits[1], $"the other writer got in only at {done}, after the second chunk ({string.Join(", ", commits)})");
    }
}
