using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Duban.Data;

/// <summary>Which engine and where: <c>Database:Provider</c> (<c>sqlite</c> | <c>postgres</c>) and
/// <c>ConnectionStrings:Duban</c>; on PostgreSQL optionally <c>Database:ReadConnection</c>, a streaming replica that
/// serves the read-heavy pages (docs/SCALING.md).</summary>
public sealed record DatabaseOptions(DatabaseProvider Provider, string ConnectionString)
{
    /// <summary>The replica's connection string, or null: every request reads the primary.</summary>
    public string? ReadConnectionString { get; init; }

    /// <summary><c>Database:PreparedPageReads</c> (PostgreSQL, default on): a page shown on GET reads through
    /// connections that keep its statements prepared (<see cref="PageReads"/>).</summary>
    public bool PreparedPageReads { get; init; } = true;

    /// <summary>
    /// The connection string a page's GET reads through on PostgreSQL: Npgsql prepares a statement the second time a
    /// connection runs it and keeps it there, so PostgreSQL neither parses nor plans it again (at 1M matters the board
    /// spent ~3.5 ms of its ~19 in parse and plan; p50 / p95 17.5 / 22 → 13.5 / 16 ms, BENCHMARKS.md). Only page
    /// reads, and each such connection lives at most five minutes: after five runs PostgreSQL may keep one generic plan
    /// for a statement for the session's life, and a plan chosen while a table was small stays bad as it grows (an
    /// import's repeat look-up on one connection fell to 398 rows/s that way). Writes, imports, the API and the
    /// background jobs keep parsing and planning each command. An administrator's own <c>Max Auto Prepare</c> stands.
    /// </summary>
    public static string PageReads(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare > 0)
        {
            return connectionString;
        }

        builder.ApplicationName = string.IsNullOrEmpty(builder.ApplicationName) ? PageReadsName : $"{builder.ApplicationName} {PageReadsName}";
        builder.MaxAutoPrepare = 100;
        builder.AutoPrepareMinUsages = 2;
        if (builder.ConnectionLifetime is 0 or > PageReadLifetimeSeconds)
        {
            builder.ConnectionLifetime = PageReadLifetimeSeconds;
        }

        return builder.ConnectionString;
    }

    /// <summary>What a page-read connection is called in <c>pg_stat_activity</c> (after the configured application name).</summary>
    public const string PageReadsName = "duban-pages";

    /// <summary>How long a page-read connection (and every generic plan it holds) lives, in seconds.</summary>
    public const int PageReadLifetimeSeconds = 300;

    public const string DefaultSqlite = "Data Source=data/duban.db";

    /// <summary>Reads the options; a bad provider name stops start-up with the key named.</summary>
    public static DatabaseOptions From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var providerText = configuration["Database:Provider"];
        var provider = Parse(providerText)
            ?? throw new InvalidOperationException(
                $"Database:Provider: \"{providerText}\" 不是 sqlite 或 postgres / must be sqlite or postgres");
        var connection = configuration.GetConnectionString("Duban");
        if (string.IsNullOrWhiteSpace(connection))
        {
            connection = provider == DatabaseProvider.Sqlite
                ? DefaultSqlite
                : throw new InvalidOperationException("ConnectionStrings:Duban: PostgreSQL 需要连接字符串");
        }

        var read = configuration["Database:ReadConnection"];
        if (!string.IsNullOrWhiteSpace(read) && provider != DatabaseProvider.Postgres)
        {
            throw new InvalidOperationException("Database:ReadConnection: 只读副本仅用于 PostgreSQL / a read replica needs PostgreSQL");
        }

        return new DatabaseOptions(provider, connection)
        {
            ReadConnectionString = string.IsNullOrWhiteSpace(read) ? null : read,
            PreparedPageReads = ConfigurationValues.Bool(configuration, "Database:PreparedPageReads", true),
        };
    }

    /// <summary>Reads a provider name; null or empty means SQLite.</summary>
    public static DatabaseProvider? Parse(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" or "sqlite" => DatabaseProvider.Sqlite,
        "postgres" or "postgresql" or "npgsql" => DatabaseProvider.Postgres,
        _ => null,
    };

    /// <summary>Configures a DbContext for this database: the primary, or the read replica when <paramref name="replica"/>
    /// and one is configured; with <paramref name="pageRead"/> on PostgreSQL through <see cref="PageReads"/>.</summary>
    public void Configure(DbContextOptionsBuilder builder, bool replica = false, bool pageRead = false)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (Provider == DatabaseProvider.Sqlite)
        {
            builder.UseSqlite(ConnectionString, o => o.MigrationsAssembly("Duban.Data.Sqlite").UseQuerySplittingBehavior(QuerySplittingBehavior.SplitQuery));
            builder.AddInterceptors(SqliteConnections.Instance); // a larger page cache, the keyword index's function
        }
        else
        {
            var connection = replica && ReadConnectionString is { } read ? read : ConnectionString;
            if (pageRead && PreparedPageReads)
            {
                connection = PageReads(connection); // a few microseconds a request; a separate pool of connections
            }

            builder.UseNpgsql(connection, o => o.MigrationsAssembly("Duban.Data.Postgres").UseQuerySplittingBehavior(QuerySplittingBehavior.SplitQuery));
        }

        builder.AddInterceptors(NulTextGuard.Instance); // NUL in a code or key: a 400 on both engines, not a PostgreSQL error

        // Counts that stop at a cap (MatterQueries.CountCap) take N rows in no order on purpose: ordering them would
        // make SQLite read in id order instead of along the index the condition names. Not a warning in the log.
        builder.ConfigureWarnings(w => w.Ignore(CoreEventId.RowLimitingOperationWithoutOrderByWarning));
    }

    /// <summary>For SQLite: the database file, whose folder must exist before the first connection.</summary>
    public string? SqliteFile =>
        Provider == DatabaseProvider.Sqlite ? new SqliteConnectionStringBuilder(ConnectionString).DataSource : null;
}

/// <summary>
/// The database context's options, built once for each place a context may read (the primary or the replica, a page's
/// GET or not) and shared by every context of the process. EF Core's own way builds them again for each scope, for
/// each request (5–6 % of the server's CPU in a write, docs/BENCHMARKS.md), though they never differ. They name the
/// logger factory rather than the application's services: with those EF Core copies the options at every context made
/// (another 1.3 %), to keep them out of its cache.
/// </summary>
public sealed class ContextOptions(ILoggerFactory logs, DatabaseOptions database, NoticeOutbox notices, FactLedger facts, AuditTrail audit)
{
    private readonly DbContextOptions<DubanDbContext>?[] _built = new DbContextOptions<DubanDbContext>?[4];

    /// <summary>The options for a context made where <paramref name="target"/> says it reads.</summary>
    public DbContextOptions<DubanDbContext> For(ReadTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var (replica, pageRead) = (target.Replica, target.PageRead);
        // Two requests may build the same options at once; either result is the same, and one is kept.
        return _built[(replica ? 2 : 0) + (pageRead ? 1 : 0)] ??= Build(replica, pageRead);
    }

    private DbContextOptions<DubanDbContext> Build(bool replica, bool pageRead)
    {
        var options = new DbContextOptionsBuilder<DubanDbContext>().UseLoggerFactory(logs);
        database.Configure(options, replica, pageRead);
        // The review counters first: they detect the changes once and switch detection off for the save, so the
        // outbox's and the audit's looks at the tracked entities do not walk them all again. Every saved event gets its
        // review counters, every saved notice its deliveries, every saved change its audit record (last: it records
        // what the others added).
        options.AddInterceptors(facts, notices, audit);
        return options.Options;
    }
}

/// <summary>Where this scope's (a request's) database context reads: the primary unless something decided, before the
/// context was made, that the replica will do (the web host's read routing, for the read-heavy pages).</summary>
public sealed class ReadTarget
{
    public bool Replica { get; set; }

    /// <summary>A page shown on GET: its statements may stay prepared (<see cref="DatabaseOptions.PageReads"/>).</summary>
    public bool PageRead { get; set; }
}

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}
