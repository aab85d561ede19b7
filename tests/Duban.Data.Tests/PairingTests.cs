using Duban.Data;
using Duban.Matters;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Tests;

public sealed class PairingTests
{
    private const string Code = "91410100MA00000001";

    private static async Task<Actor> CadreAsync(Storage s, string userName) => await s.RunAsync(async sp =>
    {
        var accounts = sp.GetRequiredService<UserAccounts>();
        var user = await accounts.CreateAsync(userName, $"干部{userName}", "K-T", [Role.Cadre], "cadre-password-1");
        return await accounts.ActorOfAsync(user);
    });

    private static Task<EnterpriseView> EnterpriseAsync(Storage s, string code = Code) =>
        s.RunAsync(sp => sp.GetRequiredService<Enterprises>().SaveAsync("示范机械有限公司", code, "K-T", s.Org.Supervisor));

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task ChangingTheCadre_EndsTheOldPairing_AndKeepsIt(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        var wang = await CadreAsync(s, "wang");
        await CadreAsync(s, "li");
        var enterprise = await EnterpriseAsync(s);

        await s.RunAsync(sp => sp.GetRequiredService<Enterprises>().PairAsync(enterprise.Id, "wang", "2024-01-02", s.Org.Supervisor));
        await s.RunAsync(sp => sp.GetRequiredService<Enterprises>().PairAsync(enterprise.Id, "wang", "2024-01-05", s.Org.Supervisor)); // same cadre: nothing changes
        await s.RunAsync(sp => sp.GetRequiredService<Enterprises>().PairAsync(enterprise.Id, "li", "2024-02-01", s.Org.Supervisor));
        var backwards = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            s.RunAsync(sp => sp.GetRequiredService<Enterprises>().PairAsync(enterprise.Id, "wang", "2024-01-15", s.Org.Supervisor)));
        await Assert.ThrowsAsync<ForbiddenException>(() =>
            s.RunAsync(sp => sp.GetRequiredService<Enterprises>().PairAsync(enterprise.Id, "wang", null, wang)));

        Assert.Contains("2024-02-01", backwards.Errors["from"][0], StringComparison.Ordinal);
        var history = await s.RunAsync(sp => sp.GetRequiredService<Enterprises>().HistoryAsync(enterprise.Id, s.Org.Supervisor));
        Assert.Equal([("li", new DateOnly(2024, 2, 1), (DateOnly?)null), ("wang", new DateOnly(2024, 1, 2), new DateOnly(2024, 2, 1))],
            history.Select(p => (p.CadreUserName, p.From, p.To)));
        Assert.Empty(await s.RunAsync(sp => sp.GetRequiredService<Enterprises>().ListAsync(wang))); // no longer his
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task AVisitRaisingAProblem_RegistersAnAppealOnTheSpot_ThroughTheVisitChannel(string engine)
    {
        await using var s = await Storage.CreateAsync(engine, "2024-03-20T10:00:00+08:00");
        var wang = await CadreAsync(s, "wang");
        var enterprise = await EnterpriseAsync(s);
        await s.RunAsync(sp => sp.GetRequiredService<Enterprises>().PairAsync(enterprise.Id, "wang", "2024-03-01", s.Org.Supervisor));

        var visit = await s.RunAsync(sp => sp.GetRequiredService<Visits>().LogAsync(new VisitInput(enterprise.Id, "2024-03-19", "了解生产经营情况。",
            [new ProblemInput("厂区门前道路破损", "货车进出困难，请求修复。", "交通运输"), new ProblemInput(null, null, null)]), wang));

        var problem = Assert.Single(visit.Problems);
        Assert.NotNull(problem.TrackingCode);
        await s.RunAsync(async sp =>
        {
            var appeal = await sp.GetRequiredService<DubanDbContext>().Appeals.Include(a => a.Matter).SingleAsync();
            Assert.Equal(problem.AppealId, appeal.Id);
            Assert.Equal(MatterSource.Visit, appeal.Matter!.Source);
            Assert.Equal(Code, appeal.EnterpriseCode);
            Assert.Equal("示范机械有限公司", appeal.EnterpriseName);
            Assert.Equal(s.Org.UnitIds["K-T"], appeal.RegionUnitId);
        });
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task AVisit_IsRefusedWhole_WhenAProblemIsInvalid_OrTheCadreIsNotPairedThatDay(string engine)
    {
        await using var s = await Storage.CreateAsync(engine, "2024-03-20T10:00:00+08:00");
        var wang = await CadreAsync(s, "wang");
        var enterprise = await EnterpriseAsync(s);
        await s.RunAsync(sp => sp.GetRequiredService<Enterprises>().PairAsync(enterprise.Id, "wang", "2024-03-10", s.Org.Supervisor));

        var invalid = await Assert.ThrowsAsync<ValidationFailedException>(() => s.RunAsync(sp => sp.GetRequiredService<Visits>().LogAsync(
            new VisitInput(enterprise.Id, "2024-03-19", "走访。", [new ProblemInput("有标题", "有内容", "外星事务")]), wang)));
        await Assert.ThrowsAsync<ForbiddenException>(() => s.RunAsync(sp => sp.GetRequiredService<Visits>().LogAsync(
            new VisitInput(enterprise.Id, "2024-03-01", "配对之前的走访。", []), wang)));

        Assert.Contains("problems[0].category", invalid.Errors.Keys);
        Assert.Equal((0, 0), await s.RunAsync(async sp =>
        {
            var db = sp.GetRequiredService<DubanDbContext>();
            return (await db.Visits.CountAsync(), await db.Appeals.CountAsync());
        }));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Coverage_ListsEnterprisesNotVisitedInNDays_AndCadresWithoutAVisitThisMonth(string engine)
    {
        await using var s = await Storage.CreateAsync(engine, "2024-03-20T10:00:00+08:00");
        var wang = await CadreAsync(s, "wang");
        await CadreAsync(s, "li");
        var visited = await EnterpriseAsync(s);
        var forgotten = await EnterpriseAsync(s, "91410100MA00000002");
        var neverVisited = await EnterpriseAsync(s, "91410100MA00000003");
        foreach (var (e, cadre) in new[] { (visited, "wang"), (forgotten, "wang"), (neverVisited, "li") })
        {
            await s.RunAsync(sp => sp.GetRequiredService<Enterprises>().PairAsync(e.Id, cadre, "2024-01-01", s.Org.Supervisor));
        }

        await s.RunAsync(sp => sp.GetRequiredService<Visits>().LogAsync(new VisitInput(visited.Id, "2024-03-18", "例行走访。", []), wang));
        await s.RunAsync(sp => sp.GetRequiredService<Visits>().LogAsync(new VisitInput(forgotten.Id, "2024-02-01", "上次走访。", []), wang));

        var coverage = await s.RunAsync(sp => sp.GetRequiredService<Visits>().CoverageAsync(30, s.Org.Supervisor));

        Assert.Equal([(neverVisited.Id, (int?)null), (forgotten.Id, 48)], coverage.NotVisited.Select(e => (e.Id, e.DaysSince)));
        Assert.Equal(["干部li"], coverage.NoVisitsThisMonth.Select(c => c.Name));
        Assert.Equal(new DateOnly(2024, 3, 1), coverage.MonthStart);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task EnterprisesAndPairings_ImportFromCsv_RowByRow_Idempotently(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        await CadreAsync(s, "wang");
        var enterprises = "企业名称,统一社会信用代码,区域\n甲公司,91410100MA00000001,K-T\n乙公司,BAD,K-T\n丙公司,91410100MA00000003,NOWHERE\n"u8.ToArray();
        var pairings = "统一社会信用代码,干部,起始日期\n91410100MA00000001,wang,2024年1月2日\n91410100MA00000001,nobody,2024-01-03\n"u8.ToArray();

        async Task<IReadOnlyList<ImportRowResult>> Run(byte[] file, bool pairing) => await s.RunAsync(sp =>
        {
            var sheet = Spreadsheet.Open(new MemoryStream(file), "x.csv");
            var service = sp.GetRequiredService<Enterprises>();
            return pairing ? service.ImportPairingsAsync(sheet, s.Org.Supervisor) : service.ImportEnterprisesAsync(sheet, s.Org.Supervisor);
        });

        foreach (var _ in new[] { 1, 2 })
        {
            var e = await Run(enterprises, false);
            Assert.Equal([(2, RowOutcome.Saved, (string?)null), (3, RowOutcome.Rejected, "B3"), (4, RowOutcome.Rejected, "C4")], e.Select(r => (r.Row, r.Outcome, r.Cell)));
            var p = await Run(pairings, true);
            Assert.Equal([(2, RowOutcome.Saved, (string?)null), (3, RowOutcome.Rejected, "B3")], p.Select(r => (r.Row, r.Outcome, r.Cell)));
        }

        var rows = await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().EnterprisePairings.AsNoTracking().ToListAsync());
        Assert.Equal(new DateOnly(2024, 1, 2), Assert.Single(rows).From);
    }
}
