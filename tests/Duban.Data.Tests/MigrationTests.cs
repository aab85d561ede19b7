using Duban.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Duban.Tests;

/// <summary>The schema is the model: each engine's migrations must build exactly what DubanDbContext maps.</summary>
public sealed class MigrationTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public void Model_HasNoChangeThatNoMigrationCovers(string engine)
    {
        // Configured as the app configures it, with this engine's migrations assembly; no connection is opened.
        var provider = DatabaseOptions.Parse(engine) ?? throw new ArgumentOutOfRangeException(nameof(engine));
        var options = new DbContextOptionsBuilder<DubanDbContext>();
        new DatabaseOptions(provider, provider == DatabaseProvider.Sqlite ? "Data Source=:memory:" : "Host=127.0.0.1;Database=unused")
            .Configure(options);
        using var db = new DubanDbContext(options.Options);

        Assert.False(db.Database.HasPendingModelChanges(),
            $"The model has changes that no {engine} migration covers: add one for each engine, named for the change (see SchemaExtras.cs).");
    }

    /// <summary>A migration killed on SQLite (SIGKILL, or an ordinary stop before the host runs) leaves EF Core's lock
    /// row behind; the next start used to wait on it forever with no log line.</summary>
    [Fact]
    public async Task Migrate_AfterAKilledMigrationLeftItsLockRow_ClearsItAndCompletes()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        await using (var connection = new SqliteConnection(database.ConnectionString + ";Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = """
                CREATE TABLE IF NOT EXISTS "__EFMigrationsLock" ("Id" INTEGER NOT NULL CONSTRAINT "PK___EFMigrationsLock" PRIMARY KEY, "Timestamp" TEXT NOT NULL);
                INSERT INTO "__EFMigrationsLock" ("Id", "Timestamp") VALUES (1, '2026-12-05 10:00:00+00:00');
                """;
            await command.ExecuteNonQueryAsync();
        }

        // Without the fix this waits forever; the bound only turns a hang into a failure.
        await using var services = await database.ServicesAsync(new FakeTimeProvider()).WaitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>Two processes starting on one SQLite file: the second waits for the first's migration guard, which the
    /// operating system frees when its holder ends.</summary>
    [Fact]
    public async Task MigrationGuard_IsHeldByOneAtATime()
    {
        var file = Path.Combine(Path.GetTempPath(), $"duban-guard-{Guid.NewGuid():N}.db");
        try
        {
            var first = await Database.HoldMigrationGuardAsync(file);
            var second = Database.HoldMigrationGuardAsync(file);
            Assert.False(second.IsCompleted);
            await first.DisposeAsync();
            await (await second.WaitAsync(TimeSpan.FromSeconds(30))).DisposeAsync();
        }
        finally
        {
            File.Delete(file + ".migrating");
        }
    }
}
