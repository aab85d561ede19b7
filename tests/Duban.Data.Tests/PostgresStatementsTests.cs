using Duban.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Duban.Tests;

/// <summary>On PostgreSQL the app's commands are prepared once per connection after a second use, not parsed and
/// planned on every request (docs/BENCHMARKS.md, "Prepared statements").</summary>
public sealed class PostgresStatementsTests
{
    [Fact]
    public async Task ACommandUsedTwice_IsPreparedOnItsConnection()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Postgres);
        await using var services = await database.ServicesAsync(new FakeTimeProvider());
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DubanDbContext>();
        await db.Database.OpenConnectionAsync();
        for (var i = 0; i < 3; i++)
        {
            await db.Units.AsNoTracking().Where(u => u.Code == "K001-T" + i).ToListAsync();
        }

        var prepared = await db.Database.SqlQueryRaw<string>("SELECT statement AS \"Value\" FROM pg_prepared_statements").ToListAsync();
        Assert.Contains(prepared, s => s.Contains("FROM units", StringComparison.Ordinal));
    }

    [Fact]
    public void TheConnectionStringsOwnSetting_IsKept()
    {
        const string off = "Host=127.0.0.1;Database=d;Max Auto Prepare=0";
        Assert.Equal(off, DatabaseOptions.PreparedStatements(off));
        Assert.Equal(50, new NpgsqlConnectionStringBuilder(DatabaseOptions.PreparedStatements("Host=127.0.0.1;Database=d;Max Auto Prepare=50")).MaxAutoPrepare);

        var plain = new NpgsqlConnectionStringBuilder(DatabaseOptions.PreparedStatements("Host=127.0.0.1;Database=d"));
        Assert.Equal(DatabaseOptions.PreparedPerConnection, plain.MaxAutoPrepare);
        Assert.Equal("d", plain.Database);
    }
}
