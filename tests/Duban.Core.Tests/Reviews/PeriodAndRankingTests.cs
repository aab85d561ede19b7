using Duban.Matters;
using Duban.Reviews;

namespace Duban.Tests.Reviews;

public sealed class ReviewPeriodTests
{
    private static readonly DateOnly Today = Parse.Date("2024-04-10");

    [Theory]
    [InlineData("2024-03", "2024-03-01", "2024-03-31", "2024年3月", "2024-02-01", "2024-02-29")]
    [InlineData("2024-W10", "2024-03-04", "2024-03-10", "2024年第10周", "2024-02-26", "2024-03-03")]
    [InlineData("2024-Q1", "2024-01-01", "2024-03-31", "2024年第一季度", "2023-10-01", "2023-12-31")]
    [InlineData("2023", "2023-01-01", "2023-12-31", "2023年", "2022-01-01", "2022-12-31")]
    [InlineData("2024-03-01_2024-03-15", "2024-03-01", "2024-03-15", "2024年3月1日至3月15日", "2024-02-15", "2024-02-29")]
    [InlineData("2020-W53", "2020-12-28", "2021-01-03", "2020年第53周", "2020-12-21", "2020-12-27")]
    public void Parse_ReadsEveryKind_AndKnowsThePeriodBefore(string key, string from, string to, string label, string previousFrom, string previousTo)
    {
        var period = ReviewPeriod.Parse(key, Today);
        Assert.Equal((Parse.Date(from), Parse.Date(to)), (period.From, period.To));
        Assert.Equal(label, period.Label);
        Assert.Equal(key, period.Key);
        Assert.Equal((Parse.Date(previousFrom), Parse.Date(previousTo)), (period.Previous().From, period.Previous().To));
    }

    [Theory]
    [InlineData("2024-13", "month")]
    [InlineData("2024-00", "month")]
    [InlineData("24-03", "period")]
    [InlineData("", "period")]
    [InlineData("2024-W54", "week")]
    [InlineData("2024-W53", "week")] // 2024 has 52 ISO weeks
    [InlineData("2024-W00", "week")]
    [InlineData("2024-Q5", "quarter")]
    [InlineData("2024-05", "month")] // after today
    [InlineData("2025", "year")]
    public void Parse_RefusesMalformedAndFuturePeriods_WithTheField(string key, string field)
    {
        var error = Assert.Throws<ValidationFailedException>(() => ReviewPeriod.Parse(key, Today));
        Assert.Contains(field, error.Errors.Keys);
        Assert.All(error.Errors.Values.SelectMany(v => v), m => Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", m));
    }

    [Fact]
    public void Range_RefusesAnEndBeforeTheStart_AnEndAfterToday_AndBadDates()
    {
        Assert.Contains("to", Assert.Throws<ValidationFailedException>(() => ReviewPeriod.ParseRange("2024-03-10", "2024-03-01", Today)).Errors.Keys);
        Assert.Contains("to", Assert.Throws<ValidationFailedException>(() => ReviewPeriod.ParseRange("2024-03-10", "2024-04-11", Today)).Errors.Keys);
        var both = Assert.Throws<ValidationFailedException>(() => ReviewPeriod.ParseRange("2024-02-30", null, Today));
        Assert.Equal(["from", "to"], both.Errors.Keys.Order());
        Assert.Equal(Today, ReviewPeriod.ParseRange("2024-04-01", "2024-04-10", Today).To);
    }

    [Fact]
    public void CurrentMonth_IsAllowed_AndHoldingFindsIt()
    {
        Assert.Equal(Parse.Date("2024-04-30"), ReviewPeriod.ParseMonth("2024-04", Today).To);
        Assert.Equal(ReviewPeriod.ParseWeek("2024-W15", Today), ReviewPeriod.Holding(PeriodKind.Week, Today));
        Assert.Equal(ReviewPeriod.ParseQuarter("2024-Q2", Today), ReviewPeriod.Holding(PeriodKind.Quarter, Today));
    }
}

public sealed class RankingTests
{
    private static UnitMetrics Rated(int satisfied, int dissatisfied) =>
        UnitMetrics.From(new UnitFacts { [Fact.RatedSatisfied] = satisfied, [Fact.RatedDissatisfied] = dissatisfied });

    private static RankingEntry Entry(long id, UnitMetrics now, UnitMetrics? before = null) => new(id, $"U{id:D2}", $"单位{id}", now, before);

    private static readonly ScoringRules SatisfactionOnly = new(new Dictionary<Metric, double> { [Metric.SatisfactionRate] = 1 }, ListSize: 1);

    [Fact]
    public void Rank_EqualScoresShareARank_AndUnscoredUnitsComeLastWithoutOne()
    {
        var group = Ranking.Rank("乡镇", [Entry(1, Rated(1, 1)), Entry(2, Rated(3, 0)), Entry(3, Rated(2, 2)), Entry(4, Rated(0, 0)), Entry(5, Rated(0, 1))],
            SatisfactionOnly);
        Assert.Equal([2L, 1, 3, 5, 4], group.Units.Select(u => u.Entry.UnitId));
        Assert.Equal([1, 2, 2, 4, null], group.Units.Select(u => u.Rank));
        Assert.Equal([100.0, 50, 50, 0, null], group.Units.Select(u => u.Score));
        Assert.Equal([2L], group.Red.Select(u => u.Entry.UnitId));
        Assert.Equal([5L], group.Black.Select(u => u.Entry.UnitId));
        Assert.Null(group.Note);
    }

    [Fact]
    public void RankChange_ComparesWithThePreviousPeriodAmongTheSameUnits()
    {
        var group = Ranking.Rank("县区", [Entry(1, Rated(1, 0), Rated(0, 1)), Entry(2, Rated(0, 1), Rated(1, 0)), Entry(3, Rated(1, 1))], SatisfactionOnly);
        var byId = group.Units.ToDictionary(u => u.Entry.UnitId);
        Assert.Equal((1, 2, 1), (byId[1].Rank!.Value, byId[1].PreviousRank!.Value, byId[1].RankChange!.Value));
        Assert.Equal(-2, byId[2].RankChange);
        Assert.Null(byId[3].RankChange); // nothing to compare with
    }

    [Fact]
    public void Lists_LongerThanTheGroup_TakeTheWholeGroupOnce_AndSaySo()
    {
        var rules = SatisfactionOnly with { ListSize = 5 };
        var group = Ranking.Rank("部门", [Entry(1, Rated(1, 0)), Entry(2, Rated(0, 1))], rules);
        Assert.Equal(2, group.Red.Count);
        Assert.Empty(group.Black);
        Assert.Contains("不足红黑榜的 5 个名额", group.Note);
    }

    [Fact]
    public void Score_IsTheWeightedAverageOverTheRatesAUnitHas()
    {
        var rules = new ScoringRules(new Dictionary<Metric, double> { [Metric.SatisfactionRate] = 3, [Metric.ResolutionRate] = 1 });
        var metrics = UnitMetrics.From(new UnitFacts { [Fact.RatedSatisfied] = 1, [Fact.CompleteOnTime] = 2, [Fact.Resolved] = 1 });
        Assert.Equal(87.5, rules.Score(metrics)); // (3 × 100 + 1 × 50) / 4
        Assert.Equal(100, rules.Score(Rated(1, 0))); // no completion: only satisfaction counts
        Assert.Null(rules.Score(UnitMetrics.From(new UnitFacts { [Fact.Assigned] = 4 })));
        Assert.NotEmpty(new ScoringRules(new Dictionary<Metric, double> { [Metric.Assigned] = 1 }).Problems());
    }
}
