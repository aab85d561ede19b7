using Duban.Assessment;
using Duban.Matters;
using Duban.Reviews;

namespace Duban.Tests.Assessment;

public sealed class SchemeRulesTests
{
    private static SchemeRules Rules(params MetricComponent[] components) => new(components, 0, [], null);

    [Fact]
    public void WeightsSummingToOne_AsDecimalsWithRoundingNoise_AreAccepted()
    {
        // Ten shares of 0.1 add up to 0.9999999999999999 in binary: still 100 %.
        var rules = Rules([.. Enum.GetValues<Metric>().Take(10).Select(m => new MetricComponent(m, 0.1, Floor: 0, Target: m == Metric.Assigned ? 100 : 1))]);
        Assert.Empty(rules.Problems());
    }

    [Fact]
    public void WeightsNotSummingToOne_AreRefusedWithTheSum()
    {
        var rules = Rules(new(Metric.OnTimeCompleteRate, 0.3), new(Metric.ResolutionRate, 0.35), new(Metric.SatisfactionRate, 0.3));
        var problem = Assert.Single(rules.Problems()["components"]);
        Assert.Contains("95%", problem, StringComparison.Ordinal);
        Assert.Throws<ValidationFailedException>(rules.Validate);
    }

    [Fact]
    public void UnknownMetric_RepeatedMetric_NegativeCap_ZeroPoints_FloorEqualTarget_RateOutsideZeroToOne_AreEachNamedByField()
    {
        var rules = new SchemeRules(
            [
                new((Metric)99, 0.2),
                new(Metric.ResolutionRate, 0.2),
                new(Metric.ResolutionRate, 0.2, Floor: 0.5, Target: 0.5),
                new(Metric.SatisfactionRate, 0.4, Floor: 60, Target: 95),
            ],
            0,
            [new(PointEvent.Accountability, -2, Cap: -10), new(PointEvent.Rebound, 0)],
            null);
        var problems = rules.Problems();
        Assert.Contains("components[0].metric", problems.Keys);
        Assert.Contains(problems["components"], p => p.Contains("重复", StringComparison.Ordinal));
        Assert.Contains("components[2].target", problems.Keys);
        Assert.Contains("components[3].floor", problems.Keys);
        Assert.Contains("pointRules[0].cap", problems.Keys);
        Assert.Contains("pointRules[1].points", problems.Keys);
    }

    [Fact]
    public void Judging_NeedsCriteria_AWeightUpToOne_AndAllTheWeightWithoutComponents()
    {
        Assert.Contains("judging.criteria", new SchemeRules([], 0, [], new JudgingRules(1, [])).Problems().Keys);
        Assert.Contains("judging.weight", new SchemeRules([], 0, [], new JudgingRules(0.4, [new("创新", 10)])).Problems().Keys);
        Assert.Contains("judging.weight", new SchemeRules([new(Metric.ResolutionRate, 1)], 0, [], new JudgingRules(1.5, [new("创新", 10)])).Problems().Keys);
        Assert.Empty(new SchemeRules([new(Metric.ResolutionRate, 1)], 0, [], new JudgingRules(0.4, [new("创新", 10), new("实效", 20)])).Problems());
    }

    [Theory]
    [InlineData(0.95, 100)]
    [InlineData(0.99, 100)]
    [InlineData(0.6, 0)]
    [InlineData(0.3, 0)]
    [InlineData(0.775, 50)]
    public void Linear_ZeroAtTheFloor_HundredAtTheTarget_ClampedOutside(double value, double points)
    {
        var component = new MetricComponent(Metric.OnTimeCompleteRate, 1, PointMapping.Linear, 0.6, 0.95);
        Assert.Equal(points, component.Points(value, [])!.Value, 9);
    }

    [Fact]
    public void Linear_WithTheFloorAboveTheTarget_ScoresACountWhereLessIsBetter()
    {
        var overdue = new MetricComponent(Metric.Overdue, 1, PointMapping.Linear, Floor: 10, Target: 0);
        Assert.Equal(100, overdue.Points(0, [])!.Value, 9);
        Assert.Equal(50, overdue.Points(5, [])!.Value, 9);
        Assert.Equal(0, overdue.Points(12, [])!.Value, 9);
        Assert.Null(overdue.Points(null, []));
    }

    [Fact]
    public void Rank_FirstHundred_LastZero_TiesShare_LowerIsBetterForCounts()
    {
        var rate = new MetricComponent(Metric.ResolutionRate, 1, PointMapping.Rank);
        double[] group = [0.9, 0.8, 0.8, 0.5];
        Assert.Equal(100, rate.Points(0.9, group));
        Assert.Equal(2 * 100.0 / 3, rate.Points(0.8, group)!.Value, 9);
        Assert.Equal(0, rate.Points(0.5, group));
        Assert.Equal(100, rate.Points(0.5, [0.5]));
        var overdue = new MetricComponent(Metric.Overdue, 1, PointMapping.Rank);
        Assert.Equal(100, overdue.Points(0, [0, 3, 7]));
        Assert.Equal(0, overdue.Points(7, [0, 3, 7]));
    }

    [Theory]
    [InlineData(-2, null, 7, -14, false)]
    [InlineData(-2, 10.0, 7, -10, true)]
    [InlineData(5, 10.0, 2, 10, false)]
    [InlineData(5, 8.0, 2, 8, true)]
    [InlineData(-2, 10.0, 0, 0, false)]
    public void PointRule_CountsTimesPoints_CappedEitherWay(double points, double? cap, long count, double expected, bool capped)
    {
        Assert.Equal((expected, capped), new PointRule(PointEvent.OverdueMilestone, points, cap).For(count));
    }
}

public sealed class ScoringTests
{
    private static UnitMetrics Metrics(long completeOnTime, long completeLate, long resolved, long satisfied, long dissatisfied,
        long feedbackLate = 0, long accountability = 0, long rebounds = 0)
    {
        var facts = new UnitFacts
        {
            [Fact.CompleteOnTime] = completeOnTime,
            [Fact.CompleteLate] = completeLate,
            [Fact.Resolved] = resolved,
            [Fact.RatedSatisfied] = satisfied,
            [Fact.RatedDissatisfied] = dissatisfied,
            [Fact.FeedbackLate] = feedbackLate,
        };
        return UnitMetrics.From(facts, rebounds, accountability);
    }

    private static AssessmentInput Unit(long id, UnitMetrics metrics, double? judged = null, params Adjustment[] adjustments) =>
        new(id, $"U{id}", $"单位{id}", metrics, new Dictionary<PointEvent, long>(), judged, adjustments);

    /// <summary>按时办结率 30 %, 解决率 35 %, 满意率 35 %, each linear from 0 to 1; 每个超期节点 −1 (at most −5); 每条问责
    /// −2; judges 40 %. Worked by hand.</summary>
    [Fact]
    public void Score_AddsEveryPart_AsWorkedByHand()
    {
        var rules = new SchemeRules(
            [new(Metric.OnTimeCompleteRate, 0.3), new(Metric.ResolutionRate, 0.35), new(Metric.SatisfactionRate, 0.35)],
            Base: 60,
            [new(PointEvent.OverdueMilestone, -1, Cap: 5), new(PointEvent.Accountability, -2)],
            new JudgingRules(0.4, [new("成效", 100)]));
        var a = Unit(1, Metrics(completeOnTime: 8, completeLate: 2, resolved: 9, satisfied: 3, dissatisfied: 1, feedbackLate: 5, accountability: 1),
            judged: 90, new Adjustment(1.5, "通报表扬加分"));
        var b = Unit(2, Metrics(completeOnTime: 10, completeLate: 0, resolved: 10, satisfied: 4, dissatisfied: 0));

        var rows = Scoring.Score(rules, [b, a]);

        var ra = rows.Single(r => r.Input.UnitId == 1);
        // Metric score: 0.3×80 + 0.35×90 + 0.35×75 = 24 + 31.5 + 26.25 = 81.75.
        Assert.Equal(81.75, ra.MetricScore);
        // Weighted: 0.6×81.75 + 0.4×90 = 49.05 + 36 = 85.05.
        Assert.Equal(85.05, ra.Weighted);
        // Overdue milestones: 2 late completions + 5 late feedbacks = 7 → −7, capped at −5; one accountability entry −2.
        Assert.Equal([(PointEvent.OverdueMilestone, 7L, -5.0, true), (PointEvent.Accountability, 1L, -2.0, false)],
            ra.Rules.Select(r => (r.Event, r.Count, r.Points, r.Capped)));
        // Total: 60 + 85.05 − 5 − 2 + 1.5 = 139.55.
        Assert.Equal(139.55, ra.Total);

        var rb = rows.Single(r => r.Input.UnitId == 2);
        // Not judged: the weighted score is the metric score alone (100), total 160.
        Assert.Equal((100.0, (double?)null, 100.0, 160.0), (rb.MetricScore!.Value, rb.JudgeScore, rb.Weighted, rb.Total));
        Assert.Equal([2L, 1L], rows.Select(r => r.Input.UnitId));
        Assert.Equal([1, 2], rows.Select(r => r.Rank!.Value));
    }

    [Fact]
    public void Score_AMetricWithNothingBehindIt_CountsNeitherWay_AndAUnitWithNothingIsNotRanked()
    {
        var rules = new SchemeRules([new(Metric.ResolutionRate, 0.5), new(Metric.SatisfactionRate, 0.5)], 0, [], null);
        // Resolved all it completed; nobody rated it: the score is the resolution rate's points alone.
        var unrated = Unit(1, Metrics(completeOnTime: 4, completeLate: 0, resolved: 4, satisfied: 0, dissatisfied: 0));
        var idle = Unit(2, Metrics(0, 0, 0, 0, 0));
        var rows = Scoring.Score(rules, [unrated, idle]);
        Assert.Equal(100, rows[0].MetricScore);
        Assert.Null(rows[0].Components[1].Points);
        Assert.Equal((2L, (int?)null, 0.0), (rows[1].Input.UnitId, rows[1].Rank, rows[1].Total));
    }

    [Fact]
    public void Score_EqualTotalsShareARank_AndTheNextSkips()
    {
        var rules = new SchemeRules([new(Metric.ResolutionRate, 1)], 0, [], null);
        var rows = Scoring.Score(rules,
        [
            Unit(1, Metrics(2, 0, 1, 0, 0)),
            Unit(2, Metrics(2, 0, 2, 0, 0)),
            Unit(3, Metrics(4, 0, 2, 0, 0)),
        ]);
        Assert.Equal([(2L, 1), (1L, 2), (3L, 2)], rows.Select(r => (r.Input.UnitId, r.Rank!.Value)));
    }
}

public sealed class JudgingAndCompetitionTests
{
    private static readonly JudgingRules Criteria = new(1, [new("工作成效", 60), new("创新亮点", 40)]);

    [Fact]
    public void Total_IsTheCriteriaSummedOverTheirMaxima()
    {
        Assert.Equal(85, Judging.Total(Criteria, new Dictionary<string, double> { ["工作成效"] = 55, ["创新亮点"] = 30 }), 9);
    }

    [Fact]
    public void Total_RefusesAScoreOutsideTheScale_AMissingOne_AndAnUnknownOne()
    {
        var error = Assert.Throws<ValidationFailedException>(() =>
            Judging.Total(Criteria, new Dictionary<string, double> { ["工作成效"] = 61, ["其他"] = 1 }));
        Assert.Equal(["其他", "创新亮点", "工作成效"], error.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("0 到 60", error.Errors["工作成效"][0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(JudgeCombination.DropHighestAndLowest, new[] { 90.0, 70, 80, 100, 60 }, 80)]
    [InlineData(JudgeCombination.DropHighestAndLowest, new[] { 90.0, 90, 90, 60 }, 90)]
    [InlineData(JudgeCombination.DropHighestAndLowest, new[] { 90.0, 60 }, 75)]
    [InlineData(JudgeCombination.Mean, new[] { 90.0, 70, 80, 100, 60 }, 80)]
    [InlineData(JudgeCombination.Mean, new[] { 100.0, 70, 70 }, 80)]
    public void Combine_DropsOneHighestAndOneLowest_OnlyWithThreeJudgesOrMore(JudgeCombination combination, double[] totals, double expected)
    {
        Assert.Equal(expected, Judging.Combine(totals, combination)!.Value, 9);
    }

    /// <summary>比拼四季·夺锦赛: each quarter's score × 10 % (the four together 40 %) + the year-end's × 60 %, worked by hand.</summary>
    [Fact]
    public void Final_ReproducesTheFortySixtyExampleByHand_WithAwardsFromTheTop()
    {
        var stages = Competitions.QuartersAndYearEnd(2024);
        Assert.Empty(Competitions.Problems(stages, [new("一等奖", 1), new("二等奖", 1)]));
        var scores = new Dictionary<string, IReadOnlyDictionary<long, double>>
        {
            ["2024-Q1"] = new Dictionary<long, double> { [1] = 90, [2] = 80, [3] = 70 },
            ["2024-Q2"] = new Dictionary<long, double> { [1] = 85, [2] = 88, [3] = 75 },
            ["2024-Q3"] = new Dictionary<long, double> { [1] = 80, [2] = 92 }, // unit 3 not shortlisted: counts 0
            ["2024-Q4"] = new Dictionary<long, double> { [1] = 95, [2] = 86, [3] = 90 },
            ["2024"] = new Dictionary<long, double> { [1] = 88, [2] = 90, [3] = 99 },
        };

        var final = Competitions.Final(stages, scores, [new("一等奖", 1), new("二等奖", 1)]);

        // Unit 1: (90 + 85 + 80 + 95) × 0.1 + 88 × 0.6 = 35 + 52.8 = 87.8.
        // Unit 2: (80 + 88 + 92 + 86) × 0.1 + 90 × 0.6 = 34.6 + 54 = 88.6.
        // Unit 3: (70 + 75 + 0 + 90) × 0.1 + 99 × 0.6 = 23.5 + 59.4 = 82.9.
        Assert.Equal([(2L, 88.6, 1, "一等奖"), (1L, 87.8, 2, "二等奖"), (3L, 82.9, 3, (string?)null)],
            final.Select(f => (f.UnitId, f.Final, f.Rank, f.Award)));
        Assert.Null(final.Single(f => f.UnitId == 3).Stages[2]);
    }

    [Fact]
    public void Problems_WeightsNotSummingToOne_ARepeatedStage_AnAwardWithoutPlaces()
    {
        var problems = Competitions.Problems([new("2024-Q1", "第一季度", 0.4), new("2024", "年终", 0.5)], [new("一等奖", 0)]);
        Assert.Contains("90%", problems["stages"][0], StringComparison.Ordinal);
        Assert.Contains("awards", problems.Keys);
        Assert.Contains("重复", Competitions.Problems([new("2024", "年终", 0.5), new("2024", "年终", 0.5)], [])["stages"][0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2024-01-01", 0, 0.0027, true)] // 1 of 366 days elapsed, nothing done
    [InlineData("2024-07-01", 60, 0.5, false)] // 183 of 366 days, 60 of 100 done: ahead
    [InlineData("2024-07-01", 45, 0.5, true)]
    [InlineData("2024-12-31", 99, 1.0, true)]
    [InlineData("2025-03-01", 100, 1.0, false)]
    public void TargetProgress_ComparesCompletionWithTheShareOfTheYearElapsed(string today, double done, double expected, bool behind)
    {
        // 1441's first figure: visit 100 enterprises in the year.
        var progress = TargetProgress.Of(100, done, Parse.Date("2024-01-01"), Parse.Date("2024-12-31"), Parse.Date(today));
        Assert.Equal(expected, progress.Expected, 4);
        Assert.Equal(behind, progress.Behind);
    }
}
