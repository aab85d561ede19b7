using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>Bringing a database to the current schema.</summary>
public static class Database
{
    /// <summary>
    /// Creates the SQLite folder, applies migrations (EF Core takes a lock, so several instances may start at
    /// once on PostgreSQL) and turns on SQLite's write-ahead log.
    /// </summary>
    public static async Task MigrateAsync(DubanDbContext db, DatabaseOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(options);
        if (options.SqliteFile is { } file && file != ":memory:")
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(file));
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }
        }

        await db.Database.MigrateAsync(cancellationToken);
        if (options.Provider == DatabaseProvider.Sqlite)
        {
            // WAL: readers never block the writer; a committed transaction survives kill -9.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
    }
}
