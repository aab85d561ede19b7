using System.Text;
using Duban.Assessment;
using Duban.Data;
using Duban.Matters;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Tests.Assessment;

/// <summary>目标任务 as stored: sets and goals, reports and decisions, progress counted from visits, completed matters,
/// batches and confirmed reports, the import, and the cadres' board, on both engines.</summary>
public sealed class TargetsStorageTests
{
    private static async Task<Actor> CadreAsync(Storage s, string userName) => await s.RunAsync(async sp =>
    {
        var accounts = sp.GetRequiredService<UserAccounts>();
        var user = await accounts.CreateAsync(userName, $"干部{userName}", "K-T", [Role.Cadre], "cadre-password-1");
        return await accounts.ActorOfAsync(user);
    });

    private static Task<TargetSaveResult> SaveAsync(Storage s, TargetSetInput input, Actor? actor = null) =>
        s.RunAsync(sp => sp.GetRequiredService<TargetTasks>().SaveAsync(input, actor ?? s.Org.Supervisor));

    private static Task<TargetBoard> ProgressAsync(Storage s, long set, Actor actor) =>
        s.RunAsync(sp => sp.GetRequiredService<TargetTasks>().ProgressAsync(set, actor));

    private static Task<TargetReportView> ReportAsync(Storage s, long goal, double? amount, Actor actor, string note = "签约项目 4 个，附合同扫描件。") =>
        s.RunAsync(sp => sp.GetRequiredService<TargetTasks>().ReportAsync(goal, amount, note, actor));

    private static Task<TargetReportView> DecideAsync(Storage s, long report, bool confirm, string? reason = null) =>
        s.RunAsync(sp => sp.GetRequiredService<TargetTasks>().DecideAsync(report, confirm, reason, s.Org.Supervisor));

    private static Task<int> CountAsync(Storage s) => s.RunAsync(async sp =>
    {
        var db = sp.GetRequiredService<DubanDbContext>();
        return await db.TargetSets.CountAsync() + await db.TargetItems.CountAsync() + await db.TargetGoals.CountAsync();
    });

    private static readonly TargetItemInput[] Items1441 =
    [
        new("走访企业", "家", "包联走访"), new("谋划项目", "个", null), new("办结事项", "件", "办结事项"), new("签约", "个", "手工填报"),
    ];

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task BadInput_IsRefusedByField_InChinese_AndNothingIsStored(string engine)
    {
        await using var s = await Storage.CreateAsync(engine, "2024-03-20T10:00:00+08:00");
        await CadreAsync(s, "wang");

        var period = await Assert.ThrowsAsync<ValidationFailedException>(() => SaveAsync(s, new("1441", "2024-13", Items1441, [])));
        var goals = await Assert.ThrowsAsync<ValidationFailedException>(() => SaveAsync(s, new("1441", "2024-03", Items1441,
        [
            new("签约", "K-T", null, 0), new("签约", "NOWHERE", null, 10), new("办结事项", null, "wang", 5), new("签约", "K-T", null, 10),
            new("签约", "K-T", null, 12), new("招商", "K-T", null, 1),
        ])));
        var sources = await Assert.ThrowsAsync<ValidationFailedException>(() => SaveAsync(s, new("1441", "2024-03", [new("签约", "个", "问卷")], [])));
        await Assert.ThrowsAsync<ForbiddenException>(() => SaveAsync(s, new("1441", "2024-03", Items1441, []), s.Org.TownshipHandler));

        Assert.Contains("2024-13", Assert.Single(period.Errors["period"]), StringComparison.Ordinal);
        Assert.Equal("目标数须大于 0。", goals.Errors["goals[0].goal"].Single());
        Assert.Equal("没有「NOWHERE」这个单位。", goals.Errors["goals[1].unit"].Single());
        Assert.Equal("「办结事项」按办结事项统计，只能下达给单位。", goals.Errors["goals[2].item"].Single());
        Assert.Contains("重复", goals.Errors["goals[4].item"].Single(), StringComparison.Ordinal);
        Assert.Equal("目标任务中没有「招商」这项任务。", goals.Errors["goals[5].item"].Single());
        Assert.False(goals.Errors.ContainsKey("goals[3].goal"));
        Assert.Contains("手工填报", sources.Errors["items[0].source"].Single(), StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync(s));

        // Targets are set ahead: a later quarter is accepted (a review of it would not be).
        Assert.NotNull((await SaveAsync(s, new("1441", "2025-Q2", Items1441, []))).SetId);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task ReportedAmounts_CountOnlyOnceConfirmed_EachDecidedOnce_AndRanksShareTies(string engine)
    {
        await using var s = await Storage.CreateAsync(engine, "2024-03-20T10:00:00+08:00");
        var saved = await SaveAsync(s, new("1441", "2024-03", Items1441,
            [new("签约", "K-T", null, 10), new("签约", "测试市住建局", null, 5), new("签约", "K-T-V", null, 20)]));
        var set = saved.SetId!.Value;
        var board = await ProgressAsync(s, set, s.Org.Supervisor);
        var town = board.Rows.Single(r => r.Owner.Name == "测试镇").GoalId;
        var bureau = board.Rows.Single(r => r.Owner.Name == "测试市住建局").GoalId;

        var negative = await Assert.ThrowsAsync<ValidationFailedException>(() => ReportAsync(s, town, -1, s.Org.TownshipHandler));
        await Assert.ThrowsAsync<NotFoundException>(() => ReportAsync(s, bureau, 1, s.Org.TownshipHandler)); // not the town's
        var first = await ReportAsync(s, town, 4, s.Org.TownshipHandler);
        var second = await ReportAsync(s, town, 3, s.Org.TownshipHandler);
        var third = await ReportAsync(s, town, 2, s.Org.TownshipHandler);
        await ReportAsync(s, bureau, 2, s.Org.CityDepartmentHandler);
        var noReason = await Assert.ThrowsAsync<ValidationFailedException>(() => DecideAsync(s, second.Id, false));
        await DecideAsync(s, first.Id, true);
        var rejected = await DecideAsync(s, second.Id, false, "合同未盖章，不予认定。");
        var twice = await Assert.ThrowsAsync<RuleConflictException>(() => DecideAsync(s, first.Id, false, "改主意"));
        await Assert.ThrowsAsync<ForbiddenException>(() => s.RunAsync(sp => sp.GetRequiredService<TargetTasks>().DecideAsync(third.Id, true, null, s.Org.TownshipHandler)));
        var bureauReport = (await s.RunAsync(sp => sp.GetRequiredService<TargetTasks>().ReportsAsync(set, s.Org.Supervisor))).Single(r => r.GoalId == bureau);
        await DecideAsync(s, bureauReport.Id, true);

        Assert.Equal("填报数量不能为负数。", negative.Errors["amount"].Single());
        Assert.Equal("退回须写明原因。", noReason.Errors["reason"].Single());
        Assert.Equal("这条填报已确认，不能再次确认或退回。", twice.Message);
        Assert.Equal((TargetReportState.Rejected, "合同未盖章，不予认定。", "督查员"), (rejected.State, rejected.Reason, rejected.DecidedByName));

        board = await ProgressAsync(s, set, s.Org.Supervisor);
        var rows = board.Rows.ToDictionary(r => r.Owner.Name);
        // 4 of 10 and 2 of 5 are both 40%: they share the first place; the village has nothing: third.
        Assert.Equal((4.0, 10.0, 0.4, 1, 2.0), (rows["测试镇"].Done, rows["测试镇"].Goal, rows["测试镇"].Completion, rows["测试镇"].Rank, rows["测试镇"].Pending));
        Assert.Equal((2.0, 0.4, 1), (rows["测试市住建局"].Done, rows["测试市住建局"].Completion, rows["测试市住建局"].Rank));
        Assert.Equal((0.0, 3), (rows["测试村"].Done, rows["测试村"].Rank));
        Assert.Equal(20.0 / 31, rows["测试镇"].Expected, 12); // the 20th of 31 days
        Assert.True(rows["测试镇"].Behind);

        // Every report and decision is kept; a unit sees its own rows, a leader those under them.
        Assert.Equal(4, (await s.RunAsync(sp => sp.GetRequiredService<TargetTasks>().ReportsAsync(set, s.Org.Supervisor))).Count);
        Assert.Equal(["测试镇"], (await ProgressAsync(s, set, s.Org.TownshipHandler)).Rows.Select(r => r.Owner.Name));
        Assert.Equal(3, (await ProgressAsync(s, set, s.Org.CityLeader)).Rows.Count);
        Assert.Equal(3, (await s.RunAsync(sp => sp.GetRequiredService<TargetTasks>().ReportsAsync(set, s.Org.TownshipHandler))).Count);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task ReportsAndDecisions_StopTenDaysAfterThePeriodEnds(string engine)
    {
        await using var s = await Storage.CreateAsync(engine, "2024-03-20T10:00:00+08:00");
        var january = (await SaveAsync(s, new("1441", "2024-01", Items1441, [new("签约", "K-T", null, 10)]))).SetId!.Value;
        var march = (await SaveAsync(s, new("1441", "2024-03", Items1441, [new("签约", "K-T", null, 10)]))).SetId!.Value;
        var januaryGoal = (await ProgressAsync(s, january, s.Org.Supervisor)).Rows.Single().GoalId;
        var marchGoal = (await ProgressAsync(s, march, s.Org.Supervisor)).Rows.Single().GoalId;

        var closed = await Assert.ThrowsAsync<RuleConflictException>(() => ReportAsync(s, januaryGoal, 1, s.Org.TownshipHandler));
        s.Clock.Advance(TimeSpan.FromDays(21)); // 2024-04-10: the tenth day after March
        var late = await ReportAsync(s, marchGoal, 1, s.Org.TownshipHandler);
        var pending = await ReportAsync(s, marchGoal, 2, s.Org.TownshipHandler);
        await DecideAsync(s, late.Id, true);
        s.Clock.Advance(TimeSpan.FromDays(1)); // 04-11
        var tooLate = await Assert.ThrowsAsync<RuleConflictException>(() => ReportAsync(s, marchGoal, 1, s.Org.TownshipHandler));
        await Assert.ThrowsAsync<RuleConflictException>(() => DecideAsync(s, pending.Id, true));

        Assert.Contains("2024-02-10", closed.Message, StringComparison.Ordinal);
        Assert.Contains("2024-04-10", tooLate.Message, StringComparison.Ordinal);
        Assert.Equal(1.0, (await ProgressAsync(s, march, s.Org.Supervisor)).Rows.Single().Done);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Progress_IsCountedFromVisits_CompletedMatters_AndBatches_InThePeriod(string engine)
    {
        await using var s = await Storage.CreateAsync(engine, "2024-01-08T09:00:00+08:00");
        var wang = await CadreAsync(s, "wang");
        var enterprise = await s.RunAsync(sp => sp.GetRequiredService<Enterprises>().SaveAsync("示范机械有限公司", "91410100MA00000001", "K-T", s.Org.Supervisor));
        await s.RunAsync(sp => sp.GetRequiredService<Enterprises>().PairAsync(enterprise.Id, "wang", "2023-12-01", s.Org.Supervisor));
        foreach (var day in new[] { "2023-12-15", "2024-01-02", "2024-01-05" })
        {
            await s.RunAsync(sp => sp.GetRequiredService<Visits>().LogAsync(new VisitInput(enterprise.Id, day, "走访了解生产经营情况。", []), wang));
        }

        var done = await s.RunAsync(sp => sp.GetRequiredService<AssignMatter>().ExecuteAsync(TestMatters.Assignment("K-T"), s.Org.Supervisor));
        var open = await s.RunAsync(sp => sp.GetRequiredService<AssignMatter>().ExecuteAsync(TestMatters.Assignment("K-T"), s.Org.Supervisor));
        await s.RunAsync(sp => sp.GetRequiredService<ActOnMatter>().ExecuteAsync(done, new MatterCommand(MatterAction.Acknowledge), null, s.Org.TownshipHandler));
        await s.RunAsync(sp => sp.GetRequiredService<ActOnMatter>().ExecuteAsync(done, new MatterCommand(MatterAction.Complete) { Note = "已办结" }, null, s.Org.TownshipHandler));
        await s.RunAsync(sp => sp.GetRequiredService<Batches>().CreateAsync(new NewBatch(done, [open]), s.Org.Supervisor));

        var set = (await SaveAsync(s, new("1441", "2024",
            [new("走访企业", "家", "包联走访"), new("办结事项", "件", "办结事项"), new("批量办理", "批", "批量办理")],
            [
                new("走访企业", "K-T", null, 4), new("走访企业", null, "wang", 2), new("走访企业", "C-ZJ", null, 4),
                new("办结事项", "K-T", null, 10), new("批量办理", "C-DC", null, 2),
            ]))).SetId!.Value;

        var rows = (await ProgressAsync(s, set, s.Org.Supervisor)).Rows.ToDictionary(r => (r.Item, r.Owner.Name));
        Assert.Equal(2.0, rows[("走访企业", "测试镇")].Done); // the cadre works for the town; December's visit is outside 2024
        Assert.Equal(2.0, rows[("走访企业", "干部wang")].Done);
        Assert.Equal(0.0, rows[("走访企业", "测试市住建局")].Done);
        Assert.Equal("测试镇", rows[("走访企业", "干部wang")].Owner.UnitName);
        Assert.Equal(1, rows[("走访企业", "干部wang")].Rank); // 2 of 2 = 100%
        Assert.Equal(1.0, rows[("办结事项", "测试镇")].Done);
        Assert.Equal(1.0, rows[("批量办理", "测试市委督查室")].Done);

        // The cadre alone sees only their own target.
        Assert.Equal([("走访企业", "干部wang")], (await ProgressAsync(s, set, wang)).Rows.Select(r => (r.Item, r.Owner.Name)));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Import_ListsEachRowsProblems_StoresNothingUnlessAllAreValid_AndChangesGoalsGivenAgain(string engine)
    {
        await using var s = await Storage.CreateAsync(engine, "2024-03-20T10:00:00+08:00");
        await CadreAsync(s, "wang");
        const string header = "目标任务,考核期间,任务,计量单位,统计方式,单位,包联干部,目标数\n";
        var bad = header + "1441,2024,走访企业,家,包联走访,K-T,,100\n" + "1441,2024,签约,个,,K-T,,0\n" + "1441,2024,签约,个,,NOWHERE,,10\n"
            + "1441,2024-13,签约,个,,K-T,,10\n" + "1441,2024,签约,个,,C-ZJ,,十\n";
        var good = header + "1441,2024,走访企业,家,包联走访,K-T,,100\n" + "1441,2024,走访企业,家,包联走访,测试市住建局,,80\n"
            + "1441,2024,签约,个,,K-T,,10\n" + "1441,2024,走访企业,家,包联走访,,wang,20\n";

        Task<TargetImportReport> Run(string csv, bool dryRun) => s.RunAsync(sp =>
            sp.GetRequiredService<TargetImport>().RunAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)), "1441.csv", dryRun, s.Org.Supervisor));

        var dry = await Run(bad, true);
        var real = await Run(bad, false);
        Assert.Equal(0, await CountAsync(s));
        Assert.False(real.Saved);
        Assert.Equal([3, 4, 5, 6], dry.Problems.Select(p => p.Row));
        Assert.Equal("目标数须大于 0。", dry.Problems[0].Messages.Single());
        Assert.Equal("没有「NOWHERE」这个单位。", dry.Problems[1].Messages.Single());
        Assert.Contains("2024-13", dry.Problems[2].Messages.Single(), StringComparison.Ordinal);
        Assert.Contains("目标数「十」不是数字。", dry.Problems[3].Messages);

        var check = await Run(good, true);
        Assert.Equal((0, 2, 4), (check.Problems.Count, check.Result!.ItemsAdded, check.Result.GoalsAdded));
        Assert.Equal(0, await CountAsync(s));
        var saved = await Run(good, false);
        Assert.True(saved.Saved);
        var again = await Run(good.Replace(",,10\n", ",,12\n", StringComparison.Ordinal), false);
        Assert.Equal((0, 0, 4), (again.Result!.ItemsAdded, again.Result.GoalsAdded, again.Result.GoalsChanged)); // every goal given again is changed

        var rows = (await ProgressAsync(s, saved.Result!.SetId!.Value, s.Org.Supervisor)).Rows;
        Assert.Equal(4, rows.Count);
        Assert.Equal(12.0, rows.Single(r => r.Item == "签约").Goal);
        Assert.Equal(TargetSource.Manual, rows.Single(r => r.Item == "签约").Source);
        Assert.Equal(80.0, rows.Single(r => r.Owner.Name == "测试市住建局").Goal);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task CadresBoard_CountsTheirEnterprisesAppeals_Visits_AndTargets_Ranked(string engine)
    {
        await using var s = await Storage.CreateAsync(engine, "2024-03-20T10:00:00+08:00");
        var wang = await CadreAsync(s, "wang");
        var li = await CadreAsync(s, "li");
        var first = await s.RunAsync(sp => sp.GetRequiredService<Enterprises>().SaveAsync("甲公司", "91410100MA00000001", "K-T", s.Org.Supervisor));
        var second = await s.RunAsync(sp => sp.GetRequiredService<Enterprises>().SaveAsync("乙公司", "91410100MA00000002", "K-T", s.Org.Supervisor));
        await s.RunAsync(sp => sp.GetRequiredService<Enterprises>().PairAsync(first.Id, "wang", "2024-03-01", s.Org.Supervisor));
        await s.RunAsync(sp => sp.GetRequiredService<Enterprises>().PairAsync(second.Id, "li", "2024-03-01", s.Org.Supervisor));
        await s.RunAsync(sp => sp.GetRequiredService<Visits>().LogAsync(new VisitInput(first.Id, "2024-03-05", "走访。",
            [new ProblemInput("厂区门前道路破损", "货车进出困难，请求修复。", "交通运输")]), wang));
        await s.RunAsync(sp => sp.GetRequiredService<Visits>().LogAsync(new VisitInput(first.Id, "2024-03-06", "回访。", []), wang));
        await SaveAsync(s, new("包联走访", "2024-03", [new("走访企业", "家", "包联走访")], [new("走访企业", null, "wang", 4), new("走访企业", null, "li", 4)]));

        var board = await s.RunAsync(sp => sp.GetRequiredService<CadreBoard>().GetAsync("2024-03", s.Org.Supervisor));
        var rows = board.Rows.ToDictionary(r => r.Name);
        Assert.Equal((1, 1, 2, 1, 0.5, 1), (rows["干部wang"].Enterprises, rows["干部wang"].Appeals, rows["干部wang"].Visits, rows["干部wang"].Targets,
            rows["干部wang"].Completion, rows["干部wang"].BehindTargets));
        Assert.Null(rows["干部wang"].Satisfaction); // not rated yet
        Assert.Equal(50.0, rows["干部wang"].Score);
        Assert.Equal((1, 0, 0, 0.0, 2), (rows["干部li"].Enterprises, rows["干部li"].Appeals, rows["干部li"].Visits, rows["干部li"].Score, rows["干部li"].Rank));
        Assert.Equal(["干部wang", "干部li"], board.Rows.Select(r => r.Name));
        Assert.Equal(["干部li"], (await s.RunAsync(sp => sp.GetRequiredService<CadreBoard>().GetAsync("2024-03", li))).Rows.Select(r => r.Name));
        await Assert.ThrowsAsync<ValidationFailedException>(() => s.RunAsync(sp => sp.GetRequiredService<CadreBoard>().GetAsync("三月", s.Org.Supervisor)));
    }
}
