using Duban.Data;
using Microsoft.EntityFrameworkCore;

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
}
