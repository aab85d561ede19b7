using Duban.Data;
using Microsoft.EntityFrameworkCore;

namespace Duban.Tests;

/// <summary>Connections the app opens on SQLite carry the larger page cache (SQLite's default is 2 MB) and SQLite's own
/// busy handler (Microsoft.Data.Sqlite's retries sleep 150 ms each).</summary>
public sealed class SqliteConnectionsTests
{
    [Fact]
    public async Task Connection_OpenedAsTheAppConfiguresIt_Has32MegabytesOfPageCache() =>
        Assert.Equal(-32768L, await PragmaAsync("Data Source=:memory:", "cache_size"));

    [Fact]
    public async Task Connection_OpenedAsTheAppConfiguresIt_WaitsForTheWriteLockAsLongAsItsTimeout() =>
        Assert.Equal(7000L, await PragmaAsync("Data Source=:memory:;Default Timeout=7", "busy_timeout"));

    /// <summary>A pragma's value on a connection opened through the app's configuration.</summary>
    private static async Task<object?> PragmaAsync(string connectionString, string pragma)
    {
        var options = new DbContextOptionsBuilder<DubanDbContext>();
        new DatabaseOptions(DatabaseProvider.Sqlite, connectionString).Configure(options);
        await using var db = new DubanDbContext(options.Options);
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "PRAGMA " + pragma;
        return await command.ExecuteScalarAsync();
    }
}
