using Duban.Data;
using Microsoft.EntityFrameworkCore;

namespace Duban.Tests;

/// <summary>Connections the app opens on SQLite carry the larger page cache (SQLite's default is 2 MB) and SQLite's own
/// busy handler (Microsoft.Data.Sqlite's retries sleep 150 ms each).</summary>
public sealed class SqliteConnectionsTests
{
    [Fact]
    public async Task Connection_OpenedAsTheAppConfiguresIt_Has32MegabytesOfPageCache()
    {
        var options = new DbContextOptionsBuilder<DubanDbContext>();
        new DatabaseOptions(DatabaseProvider.Sqlite, "Data Source=:memory:").Configure(options);
        await using var db = new DubanDbContext(options.Options);
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "PRAGMA cache_size";

        Assert.Equal(-32768L, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Connection_OpenedAsTheAppConfiguresIt_WaitsForTheWriteLockAsLongAsItsTimeout()
    {
        var options = new DbContextOptionsBuilder<DubanDbContext>();
        new DatabaseOptions(DatabaseProvider.Sqlite, "Data Source=:memory:;Default Timeout=7").Configure(options);
        await using var db = new DubanDbContext(options.Options);
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "PRAGMA busy_timeout";

        Assert.Equal(7000L, await command.ExecuteScalarAsync());
    }
}
