using Duban.Data;
using System.Text;
using Duban.Matters;
using Duban.Tests.Import;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Tests;

public sealed class UnitAndTokenTests
{
    private const string Csv = """
        code,name,parent_code,level
        Z-T,后定义的上级镇,Z,township
        Z,新县,C,county
        Z-T-V,"村,带逗号",Z-T,village
        BAD1,坏层级,Z,galaxy
        BAD2,无上级,NOWHERE,township
        BAD3,村挂县,Z,village
        ,无代码,Z,township
        only,three,columns
        """;

    private static async Task<ImportReport> ImportAsync(IServiceProvider services, byte[] file, string name)
    {
        using var stream = new MemoryStream(file);
        return await services.GetRequiredService<UnitDirectory>().ImportAsync(Spreadsheet.Open(stream, name));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task ImportXlsx_WithoutHeader_InGbkCsvToo_SavesTheTree(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        // No header row; a code typed as a number arrives as a number cell.
        var workbook = new TestWorkbook().Sheet("单位")
            .Row(1, "X-T", "新镇", "X", "township")
            .Row(2, "X", "新县", "C", "county")
            .Row(3, 4101d, "数字代码村", "X-T", "village")
            .Build();

        var report = await s.RunAsync(sp => ImportAsync(sp, workbook, "单位.xlsx"));
        Assert.Equal(3, report.Saved);
        Assert.Equal([1, 2, 3], report.Lines.Select(l => l.Line));

        var gbk = Duban.Text.TextDecoding.Gb18030.GetBytes("代码,名称,上级单位代码,层级\nX-T-2,二村,X-T,village\n");
        var fromGbk = await s.RunAsync(sp => ImportAsync(sp, gbk, "units.csv"));
        Assert.Equal((1, 0), (fromGbk.Saved, fromGbk.Rejected));
        var names = await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().Units.AsNoTracking()
            .Where(u => u.Code.StartsWith("X") || u.Code == "4101").OrderBy(u => u.Code).Select(u => u.Name).ToListAsync());
        Assert.Equal(["数字代码村", "新县", "新镇", "二村"], names);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task ImportCsv_SavesGoodLines_ReportsBadOnes_AndIsIdempotent(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);

        var first = await s.RunAsync(sp => ImportAsync(sp, Encoding.UTF8.GetBytes(Csv), "units.csv"));
        var second = await s.RunAsync(sp => ImportAsync(sp, Encoding.UTF8.GetBytes(Csv), "units.csv"));

        Assert.Equal(3, first.Saved);
        Assert.Equal([5, 6, 7, 8, 9], first.Lines.Where(l => !l.Saved).Select(l => l.Line));
        Assert.Contains("层级", first.Lines.Single(l => l.Line == 5).Error, StringComparison.Ordinal);
        Assert.Contains("NOWHERE", first.Lines.Single(l => l.Line == 6).Error, StringComparison.Ordinal);
        Assert.Contains("村（社区）不能隶属于县（区）", first.Lines.Single(l => l.Line == 7).Error, StringComparison.Ordinal);
        Assert.Equal(first.Lines.Select(l => (l.Line, l.Saved)), second.Lines.Select(l => (l.Line, l.Saved)));

        var units = await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().Units.AsNoTracking().ToListAsync());
        Assert.Equal(TestOrganisation.Units.Length + 3, units.Count);
        var village = units.Single(u => u.Code == "Z-T-V");
        Assert.Equal("村,带逗号", village.Name);
        var ids = units.ToDictionary(u => u.Code, u => u.Id);
        Assert.Equal($"/{ids["C"]}/{ids["Z"]}/{ids["Z-T"]}/{ids["Z-T-V"]}/", village.Path);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task ApiToken_AuthenticatesAsItsUnitAndRole_OnlyByTheExactSecret(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        var secret = await s.RunAsync(sp => sp.GetRequiredService<ApiTokens>().CreateAsync("K-T", "handler", "12345 热线"));

        var actor = await s.RunAsync(sp => sp.GetRequiredService<ApiTokens>().AuthenticateAsync(secret));
        Assert.NotNull(actor);
        Assert.Equal(s.Org.UnitIds["K-T"], actor.UnitId);
        Assert.Equal([Role.Handler], actor.Roles);
        Assert.Null(await s.RunAsync(sp => sp.GetRequiredService<ApiTokens>().AuthenticateAsync(secret + "x")));
        Assert.Null(await s.RunAsync(sp => sp.GetRequiredService<ApiTokens>().AuthenticateAsync("not-a-token")));
        var stored = await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().ApiTokens.SingleAsync());
        Assert.DoesNotContain(secret, stored.SecretHash, StringComparison.Ordinal);

        var bad = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            s.RunAsync(sp => sp.GetRequiredService<ApiTokens>().CreateAsync("NOPE", "wizard", "")));
        Assert.Equal(["name", "role", "unit"], bad.Errors.Keys.Order());
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task DemoOrganisation_IsCreatedOnlyInAnEmptyDatabase_WithMattersAtEveryStage(string engine)
    {
        var database = await TestDatabase.CreateAsync(engine);
        await using var _ = database;
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.Parse("2024-03-13T15:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture));
        await using var services = await database.ServicesAsync(clock);

        await using var scope = services.CreateAsyncScope();
        var accounts = await scope.ServiceProvider.GetRequiredService<DemoOrganisation>().SeedIfEmptyAsync();
        var again = await scope.ServiceProvider.GetRequiredService<DemoOrganisation>().SeedIfEmptyAsync();

        Assert.Equal(["admin", "ducha", "renminlu", "shizhang", "zhujian"], accounts.Select(a => a.UserName).Order());
        Assert.Empty(again);
        var db = scope.ServiceProvider.GetRequiredService<DubanDbContext>();
        var statuses = await db.Matters.Select(m => m.Status).ToListAsync();
        Assert.Equal(5, statuses.Count);
        Assert.Contains(MatterStatus.Closed, statuses);
        Assert.Contains(MatterStatus.Reported, statuses);
        Assert.Contains(await db.Matters.ToListAsync(), m => m.NextDueAt < clock.GetUtcNow()); // one acknowledge overdue
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<User>>();
        var ducha = await users.FindByNameAsync("ducha");
        Assert.True(await users.CheckPasswordAsync(ducha!, accounts.Single(a => a.UserName == "ducha").Password));
    }
}
