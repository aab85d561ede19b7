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

    /// <summary>A first start killed during its migrations (before the database is switched to WAL) leaves a hot rollback
    /// journal. EF Core asks whether the database exists through a read-only connection, and the connection's set-up
    /// ran a statement there, which must roll the journal back and cannot: <c>attempt to write a readonly database</c>
    /// (the crash test's look at what a kill left; a start clears EF Core's lock row first, which rolls it back).</summary>
    [Fact]
    public async Task PendingMigrations_AfterAKillLeftAHotJournal_AreRead_AndMigrateRollsItBack()
    {
        await using var database = await TestDatabase.CreateEmptyAsync(TestDatabase.Sqlite);
        var file = new SqliteConnectionStringBuilder(database.ConnectionString).DataSource;
        var killed = Path.Combine(Path.GetTempPath(), $"duban-killed-{Guid.NewGuid():N}.db");
        try
        {
            await using (var connection = new SqliteConnection($"Data Source={killed};Pooling=False"))
            {
                await connection.OpenAsync();
                await using var command = connection.CreateCommand();
                // A cache of a few pages: the transaction spills pages into the file, so its journal is hot.
                command.CommandText = "CREATE TABLE probe (x INTEGER); INSERT INTO probe VALUES (1); PRAGMA cache_size=5;";
                await command.ExecuteNonQueryAsync();
                await using var transaction = connection.BeginTransaction();
                command.Transaction = transaction;
                command.CommandText = "WITH RECURSIVE n(x) AS (SELECT 2 UNION ALL SELECT x + 1 FROM n WHERE x < 200000) INSERT INTO probe SELECT x FROM n;";
                await command.ExecuteNonQueryAsync();
                // What a kill leaves: the file and its journal as they are in the middle of the transaction.
                File.Copy(killed, file);
                File.Copy(killed + "-journal", file + "-journal");
            }

            Assert.True(File.Exists(file + "-journal"));
            var options = new DbContextOptionsBuilder<DubanDbContext>();
            new DatabaseOptions(DatabaseProvider.Sqlite, database.ConnectionString).Configure(options);
            await using (var db = new DubanDbContext(options.Options))
            {
                Assert.NotEmpty(await db.Database.GetPendingMigrationsAsync()); // its first look is through a read-only connection
            }

            await using var services = await database.ServicesAsync(new FakeTimeProvider()).WaitAsync(TimeSpan.FromSeconds(60));

            await using var check = new SqliteConnection(database.ConnectionString + ";Pooling=False");
            await check.OpenAsync();
            await using var count = check.CreateCommand();
            count.CommandText = "SELECT count(*) FROM probe";
            Assert.Equal(1L, await count.ExecuteScalarAsync()); // the killed transaction was rolled back
        }
        finally
        {
            foreach (var suffix in new[] { "", "-journal" })
            {
                File.Delete(killed + suffix);
            }
        }
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
