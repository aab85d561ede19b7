using Duban.Assessment;
using Duban.Matters;
using Duban.Reviews;

namespace Duban.Tests.Assessment;

/// <summary>红黄牌: which cards are due from small tables of counts, including the yellow → red escalation.</summary>
public sealed class CardsTests
{
    private static readonly DateOnly Today = Parse.Date("2024-12-31");
    private static readonly CardRule ThreeOverdue = new(1, PointEvent.OverdueMilestone, 3, CardWindow.Month, CardColour.Yellow);
    private static readonly CardRule TwoYellows = new(2, null, 2, CardWindow.Quarter, CardColour.Red);
    private static readonly CardRule CriticismQuarter = new(3, PointEvent.Criticism, 2, CardWindow.Quarter, CardColour.Yellow);

    private static ReviewPeriod Month(string key) => ReviewPeriod.ParseMonth(key, Today);

    private static ReviewPeriod Quarter(string key) => ReviewPeriod.ParseQuarter(key, Today);

    private static WindowCounts Counts(ReviewPeriod window, params (long Unit, PointEvent Event, long Count)[] rows) =>
        new(window, rows.GroupBy(r => r.Unit).ToDictionary(g => g.Key,
            g => (IReadOnlyDictionary<PointEvent, long>)g.ToDictionary(r => r.Event, r => r.Count)));

    [Theory]
    [InlineData(2, 0)]
    [InlineData(3, 1)]
    [InlineData(7, 1)]
    public void AYellowCard_IsDueFromTheThreshold(long overdue, int cards)
    {
        var due = Cards.Due([ThreeOverdue], [Counts(Month("2024-03"), (10, PointEvent.OverdueMilestone, overdue))], []);

        Assert.Equal(cards, due.Count);
        if (cards == 1)
        {
            Assert.Equal((10L, "2024-03", overdue), (due[0].UnitId, due[0].Window.Key, due[0].Count));
        }
    }

    [Fact]
    public void OnlyTheRulesEventCounts()
    {
        var due = Cards.Due([ThreeOverdue], [Counts(Month("2024-03"), (10, PointEvent.Dissatisfied, 9), (11, PointEvent.OverdueMilestone, 3))], []);

        Assert.Equal([11L], due.Select(d => d.UnitId));
    }

    [Fact]
    public void IssuingAgain_GivesNothingNew_AndARevokedCardIsNotIssuedAgain()
    {
        var march = Month("2024-03");
        var counts = new[] { Counts(march, (10, PointEvent.OverdueMilestone, 4), (11, PointEvent.OverdueMilestone, 5)) };

        var due = Cards.Due([ThreeOverdue], counts, [new IssuedCard(1, 10, march, CardColour.Yellow, Revoked: false),
            new IssuedCard(1, 11, march, CardColour.Yellow, Revoked: true)]);

        Assert.Empty(due);
    }

    [Fact]
    public void TwoYellowsInAQuarter_GiveARed_CountingAnEarlierMonthsCardAndOneDueNow()
    {
        var (february, march, q1) = (Month("2024-02"), Month("2024-03"), Quarter("2024-Q1"));
        var issued = new[] { new IssuedCard(1, 10, february, CardColour.Yellow, false) };

        var due = Cards.Due([ThreeOverdue, TwoYellows],
            [Counts(march, (10, PointEvent.OverdueMilestone, 3), (11, PointEvent.OverdueMilestone, 3)), Counts(q1)], issued);

        Assert.Equal([(1L, 10L, "2024-03"), (1, 11, "2024-03"), (2, 10, "2024-Q1")], due.Select(d => (d.Rule.Id, d.UnitId, d.Window.Key)));
        Assert.Equal(2, due.Single(d => d.Rule.Colour == CardColour.Red).Count);
    }

    [Fact]
    public void YellowsAcrossAQuarterEnd_DoNotMakeARed()
    {
        // March is in Q1 and April in Q2: one yellow in each quarter.
        var issued = new[] { new IssuedCard(1, 10, Month("2024-03"), CardColour.Yellow, false) };

        var due = Cards.Due([ThreeOverdue, TwoYellows],
            [Counts(Month("2024-04"), (10, PointEvent.OverdueMilestone, 6)), Counts(Quarter("2024-Q2"))], issued);

        Assert.Equal([(1L, "2024-04")], due.Select(d => (d.Rule.Id, d.Window.Key)));
    }

    [Fact]
    public void ARevokedYellow_DoesNotCountTowardsARed()
    {
        var issued = new[]
        {
            new IssuedCard(1, 10, Month("2024-01"), CardColour.Yellow, Revoked: true),
            new IssuedCard(1, 10, Month("2024-02"), CardColour.Yellow, Revoked: false),
        };

        Assert.Empty(Cards.Due([ThreeOverdue, TwoYellows], [Counts(Month("2024-03")), Counts(Quarter("2024-Q1"))], issued));
    }

    [Fact]
    public void AQuarterlyEventRule_CountsTheQuarter_AndItsYellowCountsTowardsTheRed()
    {
        var q1 = Quarter("2024-Q1");
        var due = Cards.Due([ThreeOverdue, TwoYellows, CriticismQuarter],
            [Counts(Month("2024-03"), (10, PointEvent.OverdueMilestone, 3)), Counts(q1, (10, PointEvent.Criticism, 2), (11, PointEvent.Criticism, 1))], []);

        Assert.Equal([(1L, 10L, "2024-03"), (3, 10, "2024-Q1"), (2, 10, "2024-Q1")], due.Select(d => (d.Rule.Id, d.UnitId, d.Window.Key)));
    }

    [Fact]
    public void Windows_OfAMonth_AreItAndItsQuarter_AndOfAQuarter_ItsMonthsAndIt()
    {
        Assert.Equal(["2024-04", "2024-Q2"], Cards.Windows(Month("2024-04")).Select(w => w.Key));
        Assert.Equal(["2024-10", "2024-11", "2024-12", "2024-Q4"], Cards.Windows(Quarter("2024-Q4")).Select(w => w.Key));
        Assert.Throws<ValidationFailedException>(() => Cards.Windows(ReviewPeriod.ParseYear("2024", Today)));
    }

    [Theory]
    [InlineData("overdueMilestone", PointEvent.OverdueMilestone)]
    [InlineData("回头看反弹", PointEvent.Rebound)]
    [InlineData("criticism", PointEvent.Criticism)]
    [InlineData("yellowCard", null)]
    public void Triggers_ParseByWireNameOrChineseName(string text, PointEvent? expected) =>
        Assert.Equal(expected, CardRule.ParseTrigger(text));

    [Fact]
    public void BadRules_AreRefusedWithTheField()
    {
        Assert.Equal("trigger", Assert.Single(Assert.Throws<ValidationFailedException>(() => CardRule.ParseTrigger("迟到")).Errors.Keys));
        Assert.Equal("threshold", Assert.Single(Assert.Throws<ValidationFailedException>(() =>
            new CardRule(0, PointEvent.Rebound, 0, CardWindow.Month, CardColour.Yellow).Validate()).Errors.Keys));
        Assert.Equal("trigger", Assert.Single(Assert.Throws<ValidationFailedException>(() =>
            new CardRule(0, null, 2, CardWindow.Month, CardColour.Yellow).Validate()).Errors.Keys));
        Assert.Equal("一个月内超期节点达 3 个 → 黄牌", ThreeOverdue.Describe());
        Assert.Equal("一个季度内黄牌达 2 张 → 红牌", TwoYellows.Describe());
    }
}
