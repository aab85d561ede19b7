using Duban.Assessment;
using Duban.Matters;
using Duban.Reviews;

namespace Duban.Tests.Assessment;

public sealed class TargetsTests
{
    private static readonly DateOnly From = new(2024, 1, 1), To = new(2024, 12, 31);

    [Theory]
    [InlineData(1, null)]
    [InlineData(0.5, null)]
    [InlineData(0, "目标数须大于 0。")]
    [InlineData(-3, "目标数须大于 0。")]
    [InlineData(double.NaN, "目标数须大于 0。")]
    [InlineData(double.PositiveInfinity, "目标数须大于 0。")]
    public void GoalsAboveZero_AreAccepted(double goal, string? problem) => Assert.Equal(problem, Targets.GoalProblem(goal));

    [Theory]
    [InlineData(0, null)]
    [InlineData(12.5, null)]
    [InlineData(-1, "填报数量不能为负数。")]
    [InlineData(double.NaN, "填报数量不能为负数。")]
    public void ReportedAmounts_MayBeZero_NotNegative(double amount, string? problem) => Assert.Equal(problem, Targets.AmountProblem(amount));

    [Theory]
    [InlineData("手工填报", TargetSource.Manual)]
    [InlineData("包联走访", TargetSource.Visits)]
    [InlineData(" 办结事项 ", TargetSource.CompletedMatters)]
    [InlineData("批量办理", TargetSource.Batches)]
    [InlineData("completedMatters", TargetSource.CompletedMatters)]
    [InlineData("visits", TargetSource.Visits)]
    [InlineData("走访", null)]
    [InlineData("", null)]
    public void Sources_ParseFromTheirChineseOrWireNames(string text, TargetSource? expected) => Assert.Equal(expected, Targets.ParseSource(text));

    [Fact]
    public void OnlyVisitsAndReports_CanCountACadresTarget()
    {
        Assert.True(Targets.FitsCadre(TargetSource.Manual));
        Assert.True(Targets.FitsCadre(TargetSource.Visits));
        Assert.False(Targets.FitsCadre(TargetSource.CompletedMatters));
        Assert.False(Targets.FitsCadre(TargetSource.Batches));
    }

    [Theory]
    [InlineData("2024-03-31", true)]
    [InlineData("2024-04-10", true)] // the tenth day after the end: still open
    [InlineData("2024-04-11", false)]
    public void Reports_AreAccepted_UntilTenDaysAfterThePeriodEnds(string today, bool open)
    {
        var march = ReviewPeriod.ParseMonth("2024-03", new DateOnly(2024, 3, 1));
        var day = DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture);
        if (open)
        {
            Targets.EnsureOpen(march, day);
        }
        else
        {
            var refused = Assert.Throws<RuleConflictException>(() => Targets.EnsureOpen(march, day));
            Assert.Contains("2024-04-10", refused.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void DecidingAReportTwice_IsAConflict()
    {
        Targets.EnsurePending(TargetReportState.Pending);
        Assert.Equal("这条填报已确认，不能再次确认或退回。", Assert.Throws<RuleConflictException>(() => Targets.EnsurePending(TargetReportState.Confirmed)).Message);
        Assert.Equal("这条填报已退回，不能再次确认或退回。", Assert.Throws<RuleConflictException>(() => Targets.EnsurePending(TargetReportState.Rejected)).Message);
    }

    /// <summary>1441 in the middle of a leap year: 2024-07-01 is day 183 of 366, so 序时进度 is exactly 50%.</summary>
    [Fact]
    public void Standings_RankByCompletionWithinEachItem_TiesShare_AndFlagThoseBehindTheCalendar()
    {
        var today = new DateOnly(2024, 7, 1);
        var standings = Targets.Standings(
        [
            new TargetInput(1, ItemId: 10, Goal: 100, Done: 60), // 走访企业 100 家: 60%
            new TargetInput(2, ItemId: 10, Goal: 50, Done: 30),  // 60%: ties with 1
            new TargetInput(3, ItemId: 10, Goal: 100, Done: 49), // 49%: behind 50%
            new TargetInput(4, ItemId: 20, Goal: 10, Done: 5),   // 签约 10 个: 50%, ranked alone in its item
            new TargetInput(5, ItemId: 20, Goal: 10, Done: 12),  // exceeded: 120%
        ], From, To, today).ToDictionary(s => s.GoalId);

        Assert.Equal(0.5, standings[1].Progress.Expected);
        Assert.Equal([1, 1, 3, 2, 1], new long[] { 1, 2, 3, 4, 5 }.Select(g => standings[g].Rank));
        Assert.Equal([false, false, true, false, false], new long[] { 1, 2, 3, 4, 5 }.Select(g => standings[g].Progress.Behind));
        Assert.Equal(1.2, standings[5].Progress.Completion, 12);
    }

    [Theory]
    [InlineData(0.8, 0.9, 0.5, 73.33)]
    [InlineData(0.8, null, null, 80.0)]
    [InlineData(null, null, 1.5, 100.0)] // completion counts at most 100%
    [InlineData(1.0, 1.0, 2.0, 100.0)]
    [InlineData(null, null, null, null)]
    public void CadreScore_IsTheMeanOfWhatCanBeMeasured(double? resolution, double? satisfaction, double? completion, double? score) =>
        Assert.Equal(score, Targets.CadreScore(resolution, satisfaction, completion));
}
