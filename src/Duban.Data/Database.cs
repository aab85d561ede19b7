using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Duban.Data;

/// <summary>Bringing a database to the current schema.</summary>
public static class Database
{
    /// <summary>How often a start that finds another process migrating the same SQLite file looks again.</summary>
    private static readonly TimeSpan GuardRetry = TimeSpan.FromMilliseconds(200);

    // Another holder, as FileStream reports it: Windows' sharing and lock violations; on Unix flock's EWOULDBLOCK
    // (EAGAIN, 11 on Linux, 35 on macOS).
    private const int SharingViolation = 32, LockViolation = 33, WouldBlockLinux = 11, WouldBlockMac = 35;

    /// <summary>
    /// Creates the SQLite folder, applies migrations and turns on SQLite's write-ahead log. On PostgreSQL under
    /// <see cref="HoldStartupLockAsync"/>, so several instances may start at once. On SQLite EF's lock is a row that a
    /// killed migration leaves behind, and every later start would wait on it forever: see
    /// <see cref="HoldMigrationGuardAsync"/>.
    /// </summary>
    public static async Task MigrateAsync(DubanDbContext db, DatabaseOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Provider != DatabaseProvider.Sqlite || options.SqliteFile is not { } file || file == ":memory:")
        {
            await using (await HoldStartupLockAsync(db, options, cancellationToken))
            {
                // Npgsql's migrator reads the history before creating it, and a new database logged that failed read
                // as an error at every first start (npgsql/efcore.pg#3407): the table is made first.
                await db.Database.ExecuteSqlRawAsync(db.GetService<IHistoryRepository>().GetCreateIfNotExistsScript(), cancellationToken);
                await db.Database.MigrateAsync(cancellationToken);
            }

            return;
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(file));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        await using (await HoldMigrationGuardAsync(file, cancellationToken))
        {
            await ClearStaleMigrationLockAsync(db, cancellationToken);
            await db.Database.MigrateAsync(cancellationToken);
        }

        // WAL: readers never block the writer; a committed transaction survives kill -9.
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);

        // Statistics for the planner where they are missing or stale (a new index, a table grown tenfold): without
        // them SQLite guesses, and at a million matters a wrong guess reads the whole table. Cheap when nothing is due.
        await db.Database.ExecuteSqlRawAsync("PRAGMA optimize=0x10002;", cancellationToken);
    }

    /// <summary>
    /// On PostgreSQL, a session advisory lock that a process holds while it prepares the database (migrations, the
    /// demo, the first Data Protection key), so instances started at once take turns and the later ones find the work
    /// done; the server frees it if the process dies. EF Core's own migration lock is not enough: two processes on an
    /// empty database each applied the second migration (<c>relation "assessment_schemes" already exists</c>, and one
    /// start-up failed; TwoInstancesTests). Taken again on the same connection, it nests. Nothing to hold on SQLite.
    /// </summary>
    public static async Task<IAsyncDisposable> HoldStartupLockAsync(DubanDbContext db, DatabaseOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Provider != DatabaseProvider.Postgres)
        {
            return NoLock.Instance;
        }

        var opened = db.Database.GetDbConnection().State != System.Data.ConnectionState.Open;
        await db.Database.OpenConnectionAsync(cancellationToken);
        // Asked again and again rather than waited for: a first start migrating and seeding an empty database outlasts
        // the command time-out on a busy machine.
        while (!await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_lock({StartupLock}) AS \"Value\"").SingleAsync(cancellationToken))
        {
            await Task.Delay(GuardRetry, cancellationToken);
        }

        return new StartupLockHold(db, opened);
    }

    /// <summary>"DUBANSTA" as a number: apart from the audit chain's lock.</summary>
    private const long StartupLock = 0x4455_4241_4E53_5441;

    /// <summary>Unlocks once (a nested hold leaves the outer one locked) and closes the connection only if it opened it.</summary>
    private sealed class StartupLockHold(DubanDbContext db, bool opened) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({StartupLock})");
            }
            finally
            {
                if (opened)
                {
                    await db.Database.CloseConnectionAsync();
                }
            }
        }
    }

    private sealed class NoLock : IAsyncDisposable
    {
        public static readonly NoLock Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    /// <summary>
    /// The migration guard of a SQLite file: an exclusive lock on the empty file <c>FILE.migrating</c> beside it, which the operating system
    /// releases when its holder dies, however it dies. Every Duban process takes it before migrating, so whoever holds
    /// it is the only one migrating, and an EF lock row it finds was left by a process that no longer runs. Waits
    /// (without end, but cancellably) while a live process holds it.
    /// </summary>
    public static async Task<IAsyncDisposable> HoldMigrationGuardAsync(string sqliteFile, CancellationToken cancellationToken = default)
    {
        var path = Path.GetFullPath(sqliteFile) + ".migrating";
        while (true)
        {
            try
            {
                // FileShare.None is an exclusive flock on Linux and a sharing lock on Windows: both end with the
                // process. The file stays (deleting it on close would let two processes lock two different files).
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException e) when ((e.HResult & 0xFFFF) is SharingViolation or LockViolation or WouldBlockLinux or WouldBlockMac)
            {
                await Task.Delay(GuardRetry, cancellationToken);
            }
        }
    }

    /// <summary>Deletes EF Core's SQLite migration lock row; only safe under <see cref="HoldMigrationGuardAsync"/>.</summary>
    private static async Task ClearStaleMigrationLockAsync(DubanDbContext db, CancellationToken cancellationToken)
    {
        var table = await db.Database
            .SqlQueryRaw<int>("SELECT count(*) AS \"Value\" FROM sqlite_master WHERE type = 'table' AND name = '__EFMigrationsLock'")
            .SingleAsync(cancellationToken);
        if (table > 0)
        {
            await db.Database.ExecuteSqlRawAsync("DELETE FROM \"__EFMigrationsLock\";", cancellationToken);
        }
    }
}
