using Duban.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Duban.Tests;

/// <summary>On PostgreSQL a page's GET reads through connections that keep its statements prepared, for five minutes
/// at most; everything else parses and plans each command (DatabaseOptions.PageReads).</summary>
public sealed class PageReadsTests
{
    [Fact]
    public void PageReads_PreparesOnSecondUse_AndLivesFiveMinutes()
    {
        var prepared = new NpgsqlConnectionStringBuilder(DatabaseOptions.PageReads("Host=db;Database=duban;Username=duban"));

        Assert.Equal((100, 2, 300), (prepared.MaxAutoPrepare, prepared.AutoPrepareMinUsages, prepared.ConnectionLifetime));
        Assert.Equal(("db", "duban", "duban-pages"), (prepared.Host, prepared.Database, prepared.ApplicationName));
    }

    [Theory]
    [InlineData(60, 60)]
    [InlineData(3600, 300)]
    public void PageReads_KeepsAShorterLifetime_ShortensALongerOne(int configured, int expected) =>
        Assert.Equal(expected, new NpgsqlConnectionStringBuilder(DatabaseOptions.PageReads($"Host=db;Connection Lifetime={configured}")).ConnectionLifetime);

    [Fact]
    public void PageReads_LeavesAnAdministratorsOwnPreparation()
    {
        const string own = "Host=db;Max Auto Prepare=20;Auto Prepare Min Usages=5";

        Assert.Same(own, DatabaseOptions.PageReads(own));
    }

    [Theory]
    [InlineData(true, false, true)]
    [InlineData(false, false, false)]
    [InlineData(true, true, false)]
    public async Task PostgresConnection_OfAPageRead_KeepsItsStatementsPrepared(bool pageRead, bool switchedOff, bool expected)
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Postgres);
        await using var services = await database.ServicesAsync(new FakeTimeProvider(),
            switchedOff ? new Dictionary<string, string?> { ["Database:PreparedPageReads"] = "false" } : null);
        await using var scope = services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ReadTarget>().PageRead = pageRead;
        var db = scope.ServiceProvider.GetRequiredService<DubanDbContext>();
        await db.Database.OpenConnectionAsync();
        for (var i = 0; i < 3; i++)
        {
            await db.Units.AsNoTracking().Where(u => u.Id > i).CountAsync();
        }

        var prepared = await db.Database.SqlQueryRaw<int>("SELECT count(*)::int AS \"Value\" FROM pg_prepared_statements").SingleAsync();

        Assert.Equal(expected, prepared > 0);
    }
}
