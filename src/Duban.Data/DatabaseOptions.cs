using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;

namespace Duban.Data;

/// <summary>Which engine and where: <c>Database:Provider</c> (<c>sqlite</c> | <c>postgres</c>) and
/// <c>ConnectionStrings:Duban</c>.</summary>
public sealed record DatabaseOptions(DatabaseProvider Provider, string ConnectionString)
{
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

        return new DatabaseOptions(provider, connection);
    }

    /// <summary>Reads a provider name; null or empty means SQLite.</summary>
    public static DatabaseProvider? Parse(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" or "sqlite" => DatabaseProvider.Sqlite,
        "postgres" or "postgresql" or "npgsql" => DatabaseProvider.Postgres,
        _ => null,
    };

    /// <summary>Configures a DbContext for this database.</summary>
    public void Configure(DbContextOptionsBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (Provider == DatabaseProvider.Sqlite)
        {
            builder.UseSqlite(ConnectionString, o => o.MigrationsAssembly("Duban.Data.Sqlite").UseQuerySplittingBehavior(QuerySplittingBehavior.SplitQuery));
            builder.AddInterceptors(MatterSearch.Functions.Instance); // the keyword index's triggers call it
        }
        else
        {
            builder.UseNpgsql(ConnectionString, o => o.MigrationsAssembly("Duban.Data.Postgres").UseQuerySplittingBehavior(QuerySplittingBehavior.SplitQuery));
        }

        builder.AddInterceptors(NulTextGuard.Instance); // NUL in a code or key: a 400 on both engines, not a PostgreSQL error
    }

    /// <summary>For SQLite: the database file, whose folder must exist before the first connection.</summary>
    public string? SqliteFile =>
        Provider == DatabaseProvider.Sqlite ? new SqliteConnectionStringBuilder(ConnectionString).DataSource : null;
}

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}
