using Duban.Data;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Duban.Tests;

/// <summary>
/// A fresh, migrated database on one engine: a temp SQLite file, or a new database on the throwaway PostgreSQL
/// that <c>test.sh</c> starts (<c>DUBAN_TEST_POSTGRES</c>). Dropped on dispose.
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

    public static async Task<TestDatabase> CreateAsync(string engine)
    {
        if (engine == Sqlite)
        {
            var folder = Path.Combine(Path.GetTempPath(), "duban-tests");
            Directory.CreateDirectory(folder);
            var file = Path.Combine(folder, $"{Guid.NewGuid():N}.db");
            return new TestDatabase(engine, $"Data Source={file}", null, file);
        }

        var server = ServerConnectionString();
        var name = $"duban_test_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(server) { Database = name };
        return new TestDatabase(engine, builder.ConnectionString, name, null);
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
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                File.Delete(_sqliteFile + suffix);
            }
        }

        if (_postgresName is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(ServerConnectionString());
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_postgresName}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }
}
