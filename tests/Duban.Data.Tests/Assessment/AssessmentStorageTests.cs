using Duban.Assessment;
using Duban.Data;
using Duban.Matters;
using Duban.Reviews;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Tests.Assessment;

/// <summary>Schemes, results, adjustments and judging as stored: on the review scenario's townships (two months of
/// known work, see <see cref="ReviewScenario"/>), on both engines.</summary>
public sealed class AssessmentStorageTests
{
    private const string Townships = "乡镇（街道）";

    private static SchemeInput Monthly(string name = "乡镇月度考评", JudgingInput? judging = null) => new()
    {
        Name = name,
        Group = Townships,
        Period = "month",
        From = new DateOnly(2024, 1, 1),
        To = new DateOnly(2024, 12, 31),
        Components = [new("onTimeCompleteRate", 0.5), new("satisfactionRate", 0.5)],
        PointRules = [new("overdueMilestone", -1, 10)],
        Judging = judging,
    };

    private static async Task<Storage> ScenarioAsync(string engine)
    {
        var s = await Storage.CreateAsync(engine, "2024-02-01T09:00:00+08:00", ReviewScenario.Settings);
        await ReviewScenario.RunAsync(s.Services, s.Org, s.Clock.SetUtcNow);
        return s;
    }

    private static Task<long> CreateAsync(Storage s, SchemeInput input) =>
        s.RunAsync(sp => sp.GetRequiredService<AssessmentSchemes>().CreateAsync(input, s.Org.Supervisor));

    private static Task<AssessmentTable> ResultsAsync(Storage s, long scheme, string period, Actor? actor = null) =>
        s.RunAsync(sp => sp.GetRequiredService<AssessmentResults>().GetAsync(scheme, period, actor ?? s.Org.Supervisor));

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Schemes_RefuseEveryBadInputWithItsField_AndStoreNothing(string engine)
    {
        await using var s = await Storage.CreateAsync(engine, "2024-04-02T10:00:00+08:00");
        await CreateAsync(s, Monthly());

        async Task<IReadOnlyDictionary<string, string[]>> Refused(SchemeInput input) =>
            (await Assert.ThrowsAsync<ValidationFailedException>(() => CreateAsync(s, input))).Errors;

        Assert.Contains("95%", (await Refused(Monthly("二") with
        {
            From = new DateOnly(2025, 1, 1), To = null,
            Components = [new("onTimeCompleteRate", 0.3), new("resolutionRate", 0.35), new("satisfactionRate", 0.3)],
        }))["components"][0], StringComparison.Ordinal);
        Assert.Contains("components[0].metric", (await Refused(Monthly("三") with { From = new DateOnly(2025, 1, 1), Components = [new("火星指标", 1)] })).Keys);
        Assert.Contains("pointRules[0].cap", (await Refused(Monthly("四") with { From = new DateOnly(2025, 1, 1), PointRules = [new("accountability", -2, -5)] })).Keys);
        Assert.Contains("重叠", (await Refused(Monthly("五") with { From = new DateOnly(2024, 6, 1), To = null }))["from"][0], StringComparison.Ordinal);
        Assert.Contains("group", (await Refused(Monthly("六") with { Group = "火星" })).Keys);
        Assert.Contains("period", (await Refused(Monthly("七") with { Period = "decade" })).Keys);
        await Assert.ThrowsAsync<ForbiddenException>(() => s.RunAsync(sp => sp.GetRequiredService<AssessmentSchemes>().CreateAsync(Monthly("八"), s.Org.TownshipHandler)));

        Assert.Equal(1, await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().AssessmentSchemes.CountAsync()));
        Assert.Equal(1, await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().AssessmentSchemeVersions.CountAsync()));
    }

    /// <summary>March of the scenario: 测试镇 did everything on time and was rated 满意, 北山镇 did nothing. Each row's parts
    /// are the review's metrics put through the scheme; published once, frozen against a revision.</summary>
    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Results_ScoreTheReviewMetrics_PublishOnce_AndStayFrozenWhenTheSchemeChanges(string engine)
    {
        await using var s = await ScenarioAsync(engine);
        var id = await CreateAsync(s, Monthly());
        var table = await ResultsAsync(s, id, "2024-03");
        var review = await s.RunAsync(sp => sp.GetRequiredService<ReviewQueries>().GetAsync(ReviewPeriod.ParseMonth("2024-03", sp.GetRequiredService<ReviewQueries>().Today),
            Townships, s.Org.Supervisor));

        Assert.False(table.Published);
        Assert.Equal(review.Rows.Select(r => r.Unit.Code).Order(StringComparer.Ordinal), table.Rows.Select(r => r.Code).Order(StringComparer.Ordinal));
        foreach (var row in table.Rows)
        {
            var metrics = review.Rows.Single(r => r.Unit.Id == row.UnitId).Metrics!;
            Assert.Equal(metrics.Value(Metric.OnTimeCompleteRate), row.Components[0].Value);
            Assert.Equal(metrics.Value(Metric.SatisfactionRate), row.Components[1].Value);
            var overdue = Scoring.Count(PointEvent.OverdueMilestone, metrics, new Dictionary<PointEvent, long>());
            Assert.Equal((overdue, -Math.Min(overdue, 10)), (row.Rules[0].Count, row.Rules[0].Points));
            Assert.Equal(Scoring.Round(row.Base!.Value + row.Weighted!.Value + row.Rules.Sum(r => r.Points) + row.Adjustment!.Value), row.Total);
        }

        var best = table.Rows.Single(r => r.Code == "K-T");
        Assert.Equal((100.0, 0L, 100.0, 1), (best.MetricScore!.Value, best.Rules[0].Count, best.Total, best.Rank!.Value));
        var idle = table.Rows.Single(r => r.Code == "K-T4");
        Assert.True(idle.Rules[0].Count > 0, "北山镇 let milestones pass in March");
        Assert.Equal(table.Rows.Max(r => r.Rank), idle.Rank);

        // A commendation published on 2 April counts under a 通报表扬 rule in the second quarter, not in the first.
        var citation = await s.RunAsync(sp => sp.GetRequiredService<CitationBook>().CreateAsync(
            new NewCitation("commendation", [new CitationUnitInput(idle.UnitId, "主动认领整改任务")]), s.Org.Supervisor));
        await s.RunAsync(sp => sp.GetRequiredService<CitationBook>().PublishAsync(citation, s.Org.Supervisor));
        var cited = await CreateAsync(s, Monthly("乡镇表扬加分") with { Period = "quarter", PointRules = [new("commendation", 2, null)] });
        Assert.Equal(0, (await ResultsAsync(s, cited, "2024-Q1")).Rows.Single(r => r.Code == "K-T4").Rules.Single().Count);
        var second = (await ResultsAsync(s, cited, "2024-Q2")).Rows.Single(r => r.Code == "K-T4").Rules.Single();
        Assert.Equal((PointEvent.Commendation, 1L, 2.0), (second.Event, second.Count, second.Points));

        // A unit reader sees its own parts, and only the others' totals and ranks.
        var township = await ResultsAsync(s, id, "2024-03", s.Org.TownshipHandler);
        Assert.True(township.Rows.Single(r => r.Code == "K-T").Detailed);
        Assert.All(township.Rows.Where(r => r.Code != "K-T"), r => Assert.Equal((false, (double?)null, 0), (r.Detailed, r.MetricScore, r.Components.Count)));

        // An adjustment counts, then the result is published and frozen.
        await s.RunAsync(sp => sp.GetRequiredService<AssessmentResults>().AdjustAsync(id, "2024-03", idle.UnitId, 2.5, "获市委通报表扬", s.Org.Supervisor));
        var adjusted = (await ResultsAsync(s, id, "2024-03")).Rows.Single(r => r.Code == "K-T4");
        Assert.Equal(Scoring.Round(idle.Total + 2.5), adjusted.Total);
        var published = await s.RunAsync(sp => sp.GetRequiredService<AssessmentResults>().PublishAsync(id, "2024-03", s.Org.Supervisor));
        Assert.True(published.Published);

        await s.RunAsync(sp => sp.GetRequiredService<AssessmentSchemes>().ReviseAsync(id, Monthly() with
        {
            Components = [new("onTimeAcknowledgeRate", 1)], PointRules = [], Note = "改为只考核按时签收",
        }, 1, s.Org.Supervisor));
        var frozen = await ResultsAsync(s, id, "2024-03");
        Assert.Equal((true, 1), (frozen.Published, frozen.Version));
        Assert.Equal(published.Rows.Select(r => (r.Code, r.Total, r.Rank)), frozen.Rows.Select(r => (r.Code, r.Total, r.Rank)));
        var february = await ResultsAsync(s, id, "2024-02");
        Assert.Equal((false, 2, Metric.OnTimeAcknowledgeRate), (february.Published, february.Version, february.Rows[0].Components.Single().Metric));

        await Assert.ThrowsAsync<RuleConflictException>(() => s.RunAsync(sp => sp.GetRequiredService<AssessmentResults>().PublishAsync(id, "2024-03", s.Org.Supervisor)));
        await Assert.ThrowsAsync<RuleConflictException>(() => s.RunAsync(sp => sp.GetRequiredService<AssessmentResults>().PublishAsync(id, "2024-04", s.Org.Supervisor)));
        await Assert.ThrowsAsync<RuleConflictException>(() =>
            s.RunAsync(sp => sp.GetRequiredService<AssessmentResults>().AdjustAsync(id, "2024-03", idle.UnitId, 1, "迟到的调整", s.Org.Supervisor)));
        await Assert.ThrowsAsync<RuleConflictException>(() => s.RunAsync(sp => sp.GetRequiredService<AssessmentSchemes>().ReviseAsync(id, Monthly(), 1, s.Org.Supervisor)));
        await Assert.ThrowsAsync<ValidationFailedException>(() => ResultsAsync(s, id, "2023-12")); // before the scheme's dates
        await Assert.ThrowsAsync<ValidationFailedException>(() => ResultsAsync(s, id, "2024-Q1")); // not a month
        Assert.Equal(1, await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().AssessmentResults.CountAsync()));
    }

    /// <summary>Three judges score two townships; while open each sees only their own; a second score, a score out of
    /// range and a score after closing are refused; once closed, the scores combine into the results.</summary>
    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Judging_JudgesScoreOnce_SeeOnlyTheirOwnWhileOpen_AndClosedScoresCount(string engine)
    {
        await using var s = await ScenarioAsync(engine);
        var id = await CreateAsync(s, Monthly(judging: new JudgingInput(0.4, [new("工作成效", 60), new("创新亮点", 40)], "dropHighestAndLowest")));
        var judges = await s.RunAsync(async sp =>
        {
            var db = sp.GetRequiredService<DubanDbContext>();
            var users = Enumerable.Range(1, 3).Select(i => new User
            {
                UserName = $"judge{i}", DisplayName = $"评委{"一二三"[i - 1]}", UnitId = s.Org.Supervisor.UnitId,
            }).ToList();
            db.Users.AddRange(users);
            await db.SaveChangesAsync();
            return users.Select(u => new Actor($"user:{u.Id}", u.DisplayName, u.UnitId, new HashSet<Role> { Role.Handler })).ToList();
        });
        var units = await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().Units.Where(u => u.Code == "K-T" || u.Code == "K-T4")
            .ToDictionaryAsync(u => u.Code, u => u.Id));
        var session = await s.RunAsync(sp => sp.GetRequiredService<JudgingSessions>().OpenAsync(
            new NewJudgingSession(id, "2024-03", "三月现场评审", [units["K-T"], units["K-T4"]], judges.Select(j => long.Parse(j.Id[5..], System.Globalization.CultureInfo.InvariantCulture)).ToList()),
            s.Org.Supervisor));

        Task Score(Actor judge, string unit, double a, double b) => s.RunAsync(sp => sp.GetRequiredService<JudgingSessions>()
            .ScoreAsync(session, units[unit], new Dictionary<string, double> { ["工作成效"] = a, ["创新亮点"] = b }, judge));

        await Score(judges[0], "K-T", 54, 36); // 90
        await Score(judges[1], "K-T", 48, 32); // 80
        await Score(judges[2], "K-T", 30, 10); // 40
        await Score(judges[0], "K-T4", 30, 20); // 50
        var own = await s.RunAsync(sp => sp.GetRequiredService<JudgingSessions>().GetAsync(session, judges[1]));
        Assert.Equal([80.0], own.Scores.Select(x => x.Total));
        Assert.All((await s.RunAsync(sp => sp.GetRequiredService<JudgingSessions>().GetAsync(session, s.Org.Supervisor))).Entries, e => Assert.Null(e.Combined));

        await Assert.ThrowsAsync<RuleConflictException>(() => Score(judges[0], "K-T", 50, 30));
        var outOfRange = await Assert.ThrowsAsync<ValidationFailedException>(() => Score(judges[1], "K-T4", 61, 10));
        Assert.Contains("工作成效", outOfRange.Errors.Keys);
        await Assert.ThrowsAsync<ForbiddenException>(() => Score(s.Org.TownshipHandler, "K-T", 50, 30));
        await Assert.ThrowsAsync<NotFoundException>(() => s.RunAsync(sp => sp.GetRequiredService<JudgingSessions>().GetAsync(session, s.Org.TownshipHandler)));

        // Open sessions do not count yet.
        Assert.Null((await ResultsAsync(s, id, "2024-03")).Rows.Single(r => r.Code == "K-T").JudgeScore);

        await s.RunAsync(sp => sp.GetRequiredService<JudgingSessions>().CloseAsync(session, s.Org.Supervisor));
        await Assert.ThrowsAsync<RuleConflictException>(() => Score(judges[1], "K-T4", 30, 10));
        var closed = await s.RunAsync(sp => sp.GetRequiredService<JudgingSessions>().GetAsync(session, judges[1]));
        Assert.Equal(4, closed.Scores.Count);

        // K-T: 90, 80, 40 → drop 90 and 40 → 80; weighted 0.6 × 100 + 0.4 × 80 = 92. K-T4: one judge, 50.
        var table = await ResultsAsync(s, id, "2024-03");
        var kt = table.Rows.Single(r => r.Code == "K-T");
        Assert.Equal((80.0, 92.0), (kt.JudgeScore!.Value, kt.Weighted!.Value));
        Assert.Equal(50, table.Rows.Single(r => r.Code == "K-T4").JudgeScore);
        Assert.Equal(4, await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().JudgeScores.CountAsync()));
    }

    /// <summary>February × 40 % + March × 60 % (the seeds' rule in small): entries, shortlisting, the final worked out from
    /// the stages' results by hand, 公示 with an objection, and the final ranking only after the publicity and the answer.</summary>
    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Competition_FinalIsTheWeightedStages_ObjectionsOnlyInThePublicity_FixedAfterIt(string engine)
    {
        await using var s = await ScenarioAsync(engine);
        var scheme = await CreateAsync(s, Monthly());
        var units = await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().Units.Where(u => u.Code.StartsWith("K-T"))
            .ToDictionaryAsync(u => u.Code, u => u.Id));
        Actor Handler(string unit) => new($"test:{unit}", $"{unit}承办", units[unit], new HashSet<Role> { Role.Handler });
        AssessmentCompetitions Competitions(IServiceProvider sp) => sp.GetRequiredService<AssessmentCompetitions>();

        var bad = await Assert.ThrowsAsync<ValidationFailedException>(() => s.RunAsync(sp => Competitions(sp).CreateAsync(new CompetitionInput(
            "比拼", Townships, [new("2024-02", null, 0.4, scheme), new("2024-03", null, 0.5, scheme)], [new("一等奖", 1)], 5), s.Org.Supervisor)));
        Assert.Contains("90%", bad.Errors["stages"][0], StringComparison.Ordinal);

        var id = await s.RunAsync(sp => Competitions(sp).CreateAsync(new CompetitionInput(
            "乡镇比拼夺锦赛", Townships, [new("2024-02", "二月", 0.4, scheme), new("2024-03", "三月", 0.6, scheme)], [new("一等奖", 1), new("二等奖", 1)], 3),
            s.Org.Supervisor));
        var entries = new Dictionary<(string, string), long>();
        foreach (var (unit, stage) in new[] { ("K-T", "2024-02"), ("K-T", "2024-03"), ("K-T4", "2024-02"), ("K-T4", "2024-03"), ("K-T2", "2024-03") })
        {
            entries[(unit, stage)] = await s.RunAsync(sp => Competitions(sp).EnterAsync(id, stage, $"{unit}{stage}自评：按期完成整改任务", Handler(unit)));
        }

        await Assert.ThrowsAsync<RuleConflictException>(() => s.RunAsync(sp => Competitions(sp).EnterAsync(id, "2024-03", "再报一次", Handler("K-T"))));
        await Assert.ThrowsAsync<ValidationFailedException>(() => s.RunAsync(sp => Competitions(sp).DecideAsync(entries[("K-T2", "2024-03")], false, "", s.Org.Supervisor)));
        foreach (var (key, entry) in entries)
        {
            await s.RunAsync(sp => Competitions(sp).DecideAsync(entry, key.Item1 != "K-T2", key.Item1 == "K-T2" ? "材料不全" : null, s.Org.Supervisor));
        }

        var february = await ResultsAsync(s, scheme, "2024-02");
        var march = await ResultsAsync(s, scheme, "2024-03");
        double Final(string unit) => Scoring.Round(0.4 * february.Rows.Single(r => r.Code == unit).Total + 0.6 * march.Rows.Single(r => r.Code == unit).Total);
        var view = await s.RunAsync(sp => Competitions(sp).GetAsync(id, s.Org.Supervisor));
        Assert.Equal(new[] { "K-T", "K-T4" }.OrderByDescending(Final), view.Standings.Select(x => x.Unit.Code));
        Assert.All(view.Standings, x => Assert.Equal(Final(x.Unit.Code), x.Final));
        Assert.Equal(["一等奖", "二等奖"], view.Standings.Select(x => x.Award));

        await Assert.ThrowsAsync<RuleConflictException>(() => s.RunAsync(sp => Competitions(sp).ObjectAsync(id, "过早的异议", Handler("K-T4"))));
        await s.RunAsync(sp => Competitions(sp).PublishAsync(id, s.Org.Supervisor));
        var objection = await s.RunAsync(sp => Competitions(sp).ObjectAsync(id, "三月得分未计入我镇的整改成效", Handler("K-T4")));
        await Assert.ThrowsAsync<RuleConflictException>(() => s.RunAsync(sp => Competitions(sp).FinalizeAsync(id, s.Org.Supervisor)));
        s.Clock.Advance(TimeSpan.FromDays(4));
        await Assert.ThrowsAsync<RuleConflictException>(() => s.RunAsync(sp => Competitions(sp).ObjectAsync(id, "逾期的异议", Handler("K-T2"))));
        await Assert.ThrowsAsync<RuleConflictException>(() => s.RunAsync(sp => Competitions(sp).FinalizeAsync(id, s.Org.Supervisor)));
        await s.RunAsync(sp => Competitions(sp).AnswerAsync(objection, "经复核，三月得分已按考评办法计算，维持原排名。", s.Org.Supervisor));
        await s.RunAsync(sp => Competitions(sp).FinalizeAsync(id, s.Org.Supervisor));

        var final = await s.RunAsync(sp => Competitions(sp).GetAsync(id, Handler("K-T2")));
        Assert.Equal(CompetitionStatus.Final, final.Status);
        Assert.Equal(view.Standings.Select(x => (x.Unit.Code, x.Final, x.Rank)), final.Standings.Select(x => (x.Unit.Code, x.Final, x.Rank)));
        Assert.Empty(final.Objections); // K-T2 filed none; K-T4's is not shown to it
        Assert.Equal("材料不全", final.Entries.Single(e => e.Unit.Code == "K-T2").Reason);
    }
}
