using Microsoft.Data.Sqlite;
using Npgsql;

namespace Duban.Data;

/// <summary>
/// Whether a failure means "the database is busy, try again shortly" rather than a bug: SQLite's write lock still
/// held when the busy timeout ran out (SQLITE_BUSY, SQLITE_LOCKED), or PostgreSQL giving up on a lock, a
/// serialisation conflict or a deadlock, or the connection pool exhausted. The web answers these 503 with
/// Retry-After; anything else stays a 500.
/// </summary>
public static class DatabaseBusy
{
    /// <summary>Seconds a client should wait before retrying.</summary>
    public const int RetryAfterSeconds = 2;

    public static bool Is(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SqliteException { SqliteErrorCode: 5 or 6 }: // SQLITE_BUSY, SQLITE_LOCKED (extended codes keep the low byte)
                    return true;
                case SqliteException sqlite when (sqlite.SqliteExtendedErrorCode & 0xFF) is 5 or 6:
                    return true;
                case PostgresException { SqlState: "40001" or "40P01" or "55P03" or "57014" }:
                    return true;
                case NpgsqlException { InnerException: TimeoutException }:
                    return true;
            }
        }

        return false;
    }
}
