using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Duban.Data;

/// <summary>A larger page cache on each SQLite connection as it opens (a pooled connection keeps it): SQLite's default
/// 2 MB holds the pages of a few hundred matters, and a unit's work list reads its ~2,000 matters by id three times a
/// page at a million matters (13 ms a read from the OS cache, 3.6 ms from a 32 MB one; docs/BENCHMARKS.md).</summary>
public sealed class SqliteCache : DbConnectionInterceptor
{
    /// <summary>32 MB (a negative size is in KiB), per connection: filled only as pages are read, and emptied when
    /// another connection writes.</summary>
    private const string Pragma = "PRAGMA cache_size=-32768";

    public static SqliteCache Instance { get; } = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private static void Apply(DbConnection connection)
    {
        if (connection is SqliteConnection sqlite)
        {
            using var command = sqlite.CreateCommand();
            command.CommandText = Pragma;
            command.ExecuteNonQuery();
        }
    }
}
