using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using SQLitePCL;

namespace Duban.Data;

/// <summary>
/// What every SQLite connection Duban opens gets, as it opens (a pooled connection keeps it; a read-only one gets nothing):
/// <list type="bullet">
/// <item>a 32 MB page cache: SQLite's default 2 MB holds the pages of a few hundred matters, and a unit's work list reads
/// its ~2,000 matters by id twice a page (tab counts, page) at a million matters (13 ms a read from the OS cache, 3.6 ms from a
/// 32 MB one; docs/BENCHMARKS.md). Filled only as pages are read, and emptied when another connection writes.</item>
/// <item>SQLite's own busy handler for as long as the connection's time-out: a writer that finds another's transaction
/// (the deadline sweep's page, a form's save) retries within a few milliseconds of the lock coming free. Without it
/// Microsoft.Data.Sqlite slept 150 ms at each try, and a batch of intake meeting the sweep left every request in it
/// waiting ~190 ms: p99 at a paced 1,000 actions/s 121–145 ms (docs/BENCHMARKS.md).</item>
/// <item><c>duban_terms</c>, which the migrations that filled the keyword index call (<see cref="MatterSearch"/>).</item>
/// </list>
/// </summary>
public sealed class SqliteConnections : DbConnectionInterceptor
{
    /// <summary>32 MB (a negative size is in KiB), per connection.</summary>
    private const string CachePragma = "PRAGMA cache_size=-32768";

    public static SqliteConnections Instance { get; } = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Prepare(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Prepare(connection);
        return Task.CompletedTask;
    }

    /// <summary>Also for a connection Duban opens outside EF (a bench's bulk loader).</summary>
    public static void Prepare(DbConnection connection)
    {
        if (connection is not SqliteConnection sqlite)
        {
            return;
        }

        // A read-only connection (EF Core's look at whether the database exists) runs nothing: a statement's first read
        // of a file a kill left with a hot journal must roll it back, which a read-only connection cannot.
        if (raw.sqlite3_db_readonly(sqlite.Handle, "main") == 1)
        {
            return;
        }

        using (var command = sqlite.CreateCommand())
        {
            command.CommandText = FormattableString.Invariant($"{CachePragma}; PRAGMA busy_timeout={sqlite.DefaultTimeout * 1000}");
            command.ExecuteNonQuery();
        }

        MatterSearch.RegisterTerms(sqlite);
    }
}
