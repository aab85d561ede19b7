using System.Data.Common;
using Duban.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Duban.Bench;

/// <summary>A clock the bench sets; the product reads time only through <see cref="TimeProvider"/>.</summary>
internal sealed class BenchClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now.ToUniversalTime();
}

/// <summary>
/// A fresh, migrated database of the bench's own: a temp SQLite file (WAL, as the product sets it) or a new
/// database on the PostgreSQL server given. Deleted or dropped on dispose.
/// </summary>
internal sealed class BenchDatabase : IAsyncDisposable
{
    public const string Sqlite = "sqlite", Postgres = "postgres";

    private readonly string? _server;
    private readonly string? _postgresName;
    private readonly string? _sqliteFile;
    private ServiceProvider? _services;

    private BenchDatabase(string engine, string connectionString, string? server, string? postgresName, string? sqliteFile)
    {
        Engine = engine;
        ConnectionString = connectionString;
        _server = server;
        _postgresName = postgresName;
        _sqliteFile = sqliteFile;
    }

    public string Engine { get; }
    public string ConnectionString { get; }

    /// <summary>The database file on SQLite.</summary>
    public string? SqliteFile => _sqliteFile;

    /// <summary>Records the commands run while <see cref="CommandCapture.Enabled"/>, for <c>--explain</c>.</summary>
    public CommandCapture Capture { get; } = new();

    /// <summary>Counts the commands run while <see cref="CommandTimer.Enabled"/> and the time spent in them.</summary>
    public CommandTimer Timer { get; } = new();

    public static async Task<BenchDatabase> CreateAsync(string engine, string? postgresServer, CancellationToken cancellationToken)
    {
        if (engine == Sqlite)
        {
            var file = Path.Combine(Path.GetTempPath(), $"duban-bench-{Guid.NewGuid():N}.db");
            return new BenchDatabase(engine, new SqliteConnectionStringBuilder { DataSource = file }.ConnectionString, null, null, file);
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(postgresServer);
        var name = $"duban_bench_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(postgresServer))
        {
            await connection.OpenAsync(cancellationToken);
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        var builder = new NpgsqlConnectionStringBuilder(postgresServer) { Database = name };
        return new BenchDatabase(engine, builder.ConnectionString, postgresServer, name, null);
    }

    /// <summary>The product's services over this database (as the web host builds them), schema migrated.</summary>
    public async Task<ServiceProvider> ServicesAsync(TimeProvider clock, CancellationToken cancellationToken)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = Engine,
            ["ConnectionStrings:Duban"] = ConnectionString,
            ["Demo:Seed"] = "false",
        }).Build();
        var services = new ServiceCollection()
            .AddSingleton(clock)
            .AddSingleton<IConfiguration>(configuration)
            .AddDubanData();
        services.ConfigureDbContext<DubanDbContext>((_, options) => options.AddInterceptors(Capture, Timer));
        _services = services.BuildServiceProvider();
        await using var scope = _services.CreateAsyncScope();
        await Database.MigrateAsync(scope.ServiceProvider.GetRequiredService<DubanDbContext>(),
            scope.ServiceProvider.GetRequiredService<DatabaseOptions>(), cancellationToken);
        return _services;
    }

    /// <summary>
    /// A plain connection of the bench's own, never pooled, so nothing set on it reaches the product's connections.
    /// With <paramref name="forLoad"/> it trades durability for speed (SQLite <c>synchronous=OFF</c> and a 256 MB page
    /// cache, PostgreSQL <c>synchronous_commit=off</c>): for bulk loading only, never for a measured call.
    /// </summary>
    public async Task<DbConnection> OpenAsync(bool forLoad, CancellationToken cancellationToken)
    {
        DbConnection connection = Engine == Sqlite
            ? new SqliteConnection(new SqliteConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString)
            : new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        SqliteConnections.Prepare(connection); // the keyword index's triggers call its function
        if (forLoad)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = Engine == Sqlite
                ? "PRAGMA synchronous=OFF; PRAGMA cache_size=-262144;"
                : "SET synchronous_commit = off;";
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return connection;
    }

    /// <summary>Refreshes the planner's statistics after a bulk load, as autovacuum or <c>PRAGMA optimize</c> would.</summary>
    public async Task AnalyzeAsync(CancellationToken cancellationToken)
    {
        await using var scope = _services!.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DubanDbContext>();
        await db.Database.ExecuteSqlRawAsync("ANALYZE;", cancellationToken);
    }

    /// <summary>The engine's plan for a captured command (<c>EXPLAIN QUERY PLAN</c> on SQLite, <c>EXPLAIN ANALYZE</c>
    /// on PostgreSQL), and the median time of running the command itself five times.</summary>
    public async Task<(IReadOnlyList<string> Plan, double MedianMs)> ExplainAsync(CapturedCommand command, CancellationToken cancellationToken)
    {
        await using var scope = _services!.CreateAsyncScope();
        var connection = scope.ServiceProvider.GetRequiredService<DubanDbContext>().Database.GetDbConnection();
        await connection.OpenAsync(cancellationToken);
        var lines = new List<string>();
        await using (var explain = Command(connection, (Engine == Sqlite ? "EXPLAIN QUERY PLAN " : "EXPLAIN (ANALYZE, BUFFERS) ") + command.Sql, command))
        await using (var reader = await explain.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                // SQLite: id, parent, notused, detail; PostgreSQL: one text column.
                lines.Add(Engine == Sqlite ? reader.GetString(3) : reader.GetString(0));
            }
        }

        var times = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            var start = System.Diagnostics.Stopwatch.GetTimestamp();
            await using var run = Command(connection, command.Sql, command);
            await using var reader = await run.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                // Read every row, as EF does.
            }

            times.Add(Percentiles.Milliseconds(start, System.Diagnostics.Stopwatch.GetTimestamp()));
        }

        return (lines, Percentiles.Of(times, 50));
    }

    private static DbCommand Command(DbConnection connection, string sql, CapturedCommand captured)
    {
        var command = connection.CreateCommand();
#pragma warning disable CA2100 // The text is a query the product itself just ran.
        command.CommandText = sql;
#pragma warning restore CA2100
        foreach (var (name, value, type) in captured.Parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            parameter.DbType = type;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    public async ValueTask DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        if (_sqliteFile is not null)
        {
            SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm", ".migrating" })
            {
                File.Delete(_sqliteFile + suffix);
            }
        }

        if (_postgresName is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(_server);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_postgresName}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }
}

/// <summary>A command as the product sent it, with its parameter values.</summary>
internal sealed record CapturedCommand(string Sql, IReadOnlyList<(string Name, object? Value, System.Data.DbType Type)> Parameters);

/// <summary>Records reader commands while enabled; otherwise costs one flag check per command.</summary>
internal sealed class CommandCapture : DbCommandInterceptor
{
    private readonly List<CapturedCommand> _commands = [];

    public bool Enabled { get; set; }

    public IReadOnlyList<CapturedCommand> Take()
    {
        var taken = _commands.ToList();
        _commands.Clear();
        return taken;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (Enabled)
        {
            _commands.Add(new CapturedCommand(command.CommandText,
                command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, (object?)p.Value, p.DbType)).ToList()));
        }

        return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
    }
}

/// <summary>Sums, while enabled, each command's time from execution until its reader is disposed (readers) or it
/// returns (other commands): the time spent in the database and its driver, as opposed to EF and the caller.</summary>
internal sealed class CommandTimer : DbCommandInterceptor
{
    private long _count;
    private TimeSpan _total;

    public bool Enabled { get; set; }

    public void Reset()
    {
        _count = 0;
        _total = TimeSpan.Zero;
    }

    public (long Count, double Milliseconds) Snapshot() => (_count, _total.TotalMilliseconds);

    private void Add(TimeSpan duration)
    {
        if (Enabled)
        {
            _count++;
            _total += duration;
        }
    }

    public override InterceptionResult DataReaderDisposing(DbCommand command, DataReaderDisposingEventData eventData, InterceptionResult result)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        Add(eventData.Duration);
        return base.DataReaderDisposing(command, eventData, result);
    }

    public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        Add(eventData.Duration);
        return base.NonQueryExecutedAsync(command, eventData, result, cancellationToken);
    }

    public override ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        Add(eventData.Duration);
        return base.ScalarExecutedAsync(command, eventData, result, cancellationToken);
    }
}
