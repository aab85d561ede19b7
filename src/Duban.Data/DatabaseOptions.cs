using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;

namespace Duban.Data;

/// <summary>Which engine and where: <c>Database:Provider</c> (<c>sqlite</c> | <c>postgres</c>) and
/// <c>ConnectionStrings:Duban</c>; on PostgreSQL optionally <c>Database:ReadConnection</c>, a streaming replica that
/// serves the read-heavy pages (docs/SCALING.md).</summary>
public sealed record DatabaseOptions(DatabaseProvider Provider, string ConnectionString)
{
    /// <summary>The replica's connection string, or null: every request reads the primary.</summary>
    public string? ReadConnectionString { get; init; }

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

        return new DatabaseOptions(provider, connection) { ReadConnectionString = string.IsNullOrWhiteSpace(read) ? null : read };
    }

    /// <summary>Reads a provider name; null or empty means SQLite.</summary>
    public static DatabaseProvider? Parse(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" or "sqlite" => DatabaseProvider.Sqlite,
        "postgres" or "postgresql" or "npgsql" => DatabaseProvider.Postgres,
        _ => null,
    };

    /// <summary>Configures a DbContext for this database: the primary, or the read replica when <paramref name="replica"/>
    /// and one is configured.</summary>
    public void Configure(DbContextOptionsBuilder builder, bool replica = false)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (Provider == DatabaseProvider.Sqlite)
        {
            builder.UseSqlite(ConnectionString, o => o.MigrationsAssembly("Duban.Data.Sqlite").UseQuerySplittingBehavior(QuerySplittingBehavior.SplitQuery));
            builder.AddInterceptors(SqliteConnections.Instance); // a larger page cache, the keyword index's function
        }
        else
        {
            builder.UseNpgsql(replica && ReadConnectionString is { } read ? read : ConnectionString, o => o.MigrationsAssembly("Duban.Data.Postgres").UseQuerySplittingBehavior(QuerySplittingBehavior.SplitQuery));
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

/// <summary>Where this scope's (a request's) database context reads: the primary unless something decided, before the
/// context was made, that the replica will do (the web host's read routing, for the read-heavy pages).</summary>
public sealed class ReadTarget
{
    public bool Replica { get; set; }
}

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}
