using Duban.Data;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Duban.Tests;

/// <summary>
/// A fresh, migrated database on one engine: a temp SQLite file, or a new database on the throwaway PostgreSQL
/// that <c>test.sh</c> starts (<c>DUBAN_TEST_POSTGRES</c>), each a copy of a template migrated once per run.
/// Dropped on dispose.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string Sqlite = "sqlite", Postgres = "postgres";

    /// <summary>Every storage test runs once per engine.</summary>
    public static TheoryData<string> Engines => [Sqlite, Postgres];

    private readonly string? _postgresName;
    private readonly string? _sqliteFile;

    private TestDatabase(string engine, string connectionString, string? postgresName, string? sqliteFile)
    {
        Engine = engine;
        ConnectionString = connectionString;
        _postgresName = postgresName;
        _sqliteFile = sqliteFile;
    }

    public string Engine { get; }
    public string ConnectionString { get; }

    /// <summary>Settings that point Duban at this database.</summary>
    public Dictionary<string, string?> Settings => new()
    {
        ["Database:Provider"] = Engine,
        ["ConnectionStrings:Duban"] = ConnectionString,
        ["Demo:Seed"] = "false",
        ["Escalation:SweepEnabled"] = "false", // tests sweep explicitly, at the instants they choose
        ["Delivery:Enabled"] = "false", // and deliver explicitly too (DeliverDue.RunAsync)
    };

    /// <summary>
    /// A fresh database already at the current schema: a copy of a template that the real migrations built once per
    /// engine in this test run (an SQLite file copy, a PostgreSQL <c>CREATE DATABASE … TEMPLATE</c>). Migrating every
    /// test's database from nothing took most of the storage tests' time. <see cref="ServicesAsync"/> and the web host
    /// still call <see cref="Duban.Data.Database.MigrateAsync"/>, which finds nothing to apply.
    /// </summary>
    public static async Task<TestDatabase> CreateAsync(string engine)
    {
        if (engine == Sqlite)
        {
            var template = await SqliteTemplate.Value;
            var file = NewSqliteFile();
            File.Copy(template, file);
            return new TestDatabase(engine, $"Data Source={file}", null, file);
        }

        return await CreatePostgresAsync($"TEMPLATE \"{await PostgresTemplate.Value}\"");
    }

    /// <summary>A fresh, empty database (no schema), for a test of what migrates it: an SQLite path with no file yet,
    /// or an empty PostgreSQL database.</summary>
    public static async Task<TestDatabase> CreateEmptyAsync(string engine)
    {
        if (engine == Sqlite)
        {
            var file = NewSqliteFile();
            return new TestDatabase(engine, $"Data Source={file}", null, file);
        }

        return await CreatePostgresAsync("");
    }

    private static string SqliteFolder => Path.Combine(Path.GetTempPath(), "duban-tests");

    private static string NewSqliteFile()
    {
        Directory.CreateDirectory(SqliteFolder);
        return Path.Combine(SqliteFolder, $"{Guid.NewGuid():N}.db");
    }

    private static async Task<TestDatabase> CreatePostgresAsync(string template)
    {
        var name = $"duban_test_{Guid.NewGuid():N}";
        await OnServerAsync($"CREATE DATABASE \"{name}\" {template}");
        var builder = new NpgsqlConnectionStringBuilder(ServerConnectionString()) { Database = name };
        return new TestDatabase(Postgres, builder.ConnectionString, name, null);
    }

    // One template per engine per test process, made on first use; named per process so that the test assemblies
    // running side by side on one PostgreSQL never share (or drop) each other's.
    private static readonly string RunId = $"{Environment.ProcessId}_{Guid.NewGuid():N}"[..24];
    private static readonly Lazy<Task<string>> SqliteTemplate = new(MakeSqliteTemplateAsync);
    private static readonly Lazy<Task<string>> PostgresTemplate = new(MakePostgresTemplateAsync);

    private static async Task<string> MakeSqliteTemplateAsync()
    {
        Directory.CreateDirectory(SqliteFolder);
        var file = Path.Combine(SqliteFolder, $"template_{RunId}.db");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => DeleteSqliteFiles(file);

        // No pooling: when the migration's services are disposed every connection to the file is really closed, the
        // last close checkpoints the write-ahead log into the file and removes it, and a plain file copy is complete.
        await MigrateAsync(Sqlite, $"Data Source={file};Pooling=False");
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={file};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            await checkpoint.ExecuteNonQueryAsync();
        }

        if (new FileInfo(file + "-wal") is { Exists: true, Length: > 0 })
        {
            throw new InvalidOperationException($"{file}-wal was not checkpointed: a copy of the template would miss its last pages.");
        }

        return file;
    }

    private static async Task<string> MakePostgresTemplateAsync()
    {
        var server = ServerConnectionString();
        var name = $"duban_template_{RunId}";
        await OnServerAsync($"CREATE DATABASE \"{name}\"");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => DropPostgres(server, name);

        // No pooling: a database cannot be copied while anyone is connected to it, so nothing may stay open.
        await MigrateAsync(Postgres, new NpgsqlConnectionStringBuilder(server) { Database = name, Pooling = false }.ConnectionString);
        return name;
    }

    /// <summary>Runs one statement on the server's maintenance database (creating or dropping a database).</summary>
    private static async Task OnServerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ServerConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Runs the real migrations, as <see cref="ServicesAsync"/> and the web host do, and closes everything.</summary>
    private static async Task MigrateAsync(string engine, string connectionString)
    {
        var template = new TestDatabase(engine, connectionString, null, null);
        await using var services = await template.ServicesAsync(new FakeTimeProvider());
    }

    private static void DeleteSqliteFiles(string file)
    {
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(file + suffix);
        }
    }

    /// <summary>Best effort at process exit; the throwaway server is removed with its files anyway.</summary>
    private static void DropPostgres(string server, string name)
    {
        try
        {
            using var connection = new NpgsqlConnection(server);
            connection.Open();
            using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
            drop.ExecuteNonQuery();
        }
        catch (NpgsqlException)
        {
        }
    }

    /// <summary>A service provider over this database with a fake clock, schema migrated; <paramref name="settings"/>
    /// are laid over <see cref="Settings"/>.</summary>
    public async Task<ServiceProvider> ServicesAsync(FakeTimeProvider clock, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(Settings).AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<TimeProvider>(clock)
            .AddSingleton<IConfiguration>(configuration)
            .AddDubanData()
            .BuildServiceProvider();
        await using var scope = services.CreateAsyncScope();
        await Database.MigrateAsync(scope.ServiceProvider.GetRequiredService<DubanDbContext>(), scope.ServiceProvider.GetRequiredService<DatabaseOptions>());
        return services;
    }

    private static string ServerConnectionString() =>
        Environment.GetEnvironmentVariable("DUBAN_TEST_POSTGRES") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                "DUBAN_TEST_POSTGRES is not set: run the tests with ./test.sh, which starts a throwaway PostgreSQL.");

    public async ValueTask DisposeAsync()
    {
        if (_sqliteFile is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            DeleteSqliteFiles(_sqliteFile);
        }

        if (_postgresName is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await OnServerAsync($"DROP DATABASE IF EXISTS \"{_postgresName}\" WITH (FORCE)");
        }
    }
}
