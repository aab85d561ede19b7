using Duban.Calendar;
using Duban.Escalation;
using Duban.Matters;
using Duban.TimeLimits;

namespace Duban.Tests.Escalation;

public sealed class EscalationChainTests
{
    private static readonly WorkingCalendar Calendar = WorkingCalendar.China;

    // Acknowledge milestone of a matter assigned Thu 2024-02-08 10:00: due 02-10 00:00 (end of Fri 02-09), warning from 02-09 20:00.
    private static readonly Milestone Acknowledge = new(Stage.Acknowledge,
        Parse.Instant("2024-02-10T00:00:00+08:00"), Parse.Instant("2024-02-09T20:00:00+08:00"), false, null);

    [Theory]
    [InlineData(EscalationKind.Warning, "2024-02-09T20:00:00+08:00")]
    [InlineData(EscalationKind.Urge, "2024-02-10T00:00:00+08:00")]
    [InlineData(EscalationKind.Supervise, "2024-02-19T00:00:00+08:00")] // one working day after Fri 02-09: the make-up Sunday 02-18
    [InlineData(EscalationKind.Accountability, "2024-02-23T00:00:00+08:00")] // five: 18, 19, 20, 21, 22
    public void InstantOf_CountsWorkingDaysAfterDue_AcrossTheSpringFestival(EscalationKind kind, string expected)
    {
        var step = EscalationChain.Default.Steps.Single(s => s.Kind == kind);

        Assert.Equal(Parse.Instant(expected), EscalationChain.InstantOf(step, Acknowledge, Calendar));
    }

    [Fact]
    public void DueBy_ListsEveryRungPassed_InOrder_SkippingThoseDone()
    {
        var now = Parse.Instant("2024-02-19T08:00:00+08:00");

        var all = EscalationChain.Default.DueBy(Acknowledge, now, new HashSet<EscalationKind>(), Calendar);
        var rest = EscalationChain.Default.DueBy(Acknowledge, now, new HashSet<EscalationKind> { EscalationKind.Warning }, Calendar);

        Assert.Equal([EscalationKind.Warning, EscalationKind.Urge, EscalationKind.Supervise], all.Select(d => d.Step.Kind));
        Assert.Equal([EscalationKind.Urge, EscalationKind.Supervise], rest.Select(d => d.Step.Kind));
        Assert.Equal(Parse.Instant("2024-02-23T00:00:00+08:00"),
            EscalationChain.Default.NextAfter(Acknowledge, all.Select(d => d.Step.Kind).ToHashSet(), Calendar));
    }

    [Fact]
    public void AMetMilestone_HasNothingDueAndNothingNext()
    {
        var met = Acknowledge with { MetAt = Parse.Instant("2024-02-20T10:00:00+08:00") };

        Assert.Empty(EscalationChain.Default.DueBy(met, Parse.Instant("2024-03-01T00:00:00+08:00"), new HashSet<EscalationKind>(), Calendar));
        Assert.Null(EscalationChain.Default.NextAfter(met, new HashSet<EscalationKind>(), Calendar));
    }

    [Fact]
    public void SupervisionLevels_TightenTheChain()
    {
        var key = EscalationChain.Default.TightenedFor(SupervisionLevel.Key);
        var listed = EscalationChain.Default.TightenedFor(SupervisionLevel.Listed);

        Assert.Equal([0, 0, 0, 2], key.Steps.Select(s => s.WorkingDaysAfterDue));
        Assert.Equal([0, 0, 0, 1], listed.Steps.Select(s => s.WorkingDaysAfterDue));
        Assert.Same(EscalationChain.Default, EscalationChain.Default.TightenedFor(SupervisionLevel.General));
    }

    [Theory]
    [InlineData("2024-02-09T08:30:00+08:00", "2024-02-09T09:00:00+08:00")] // before opening on a working day
    [InlineData("2024-02-09T12:00:00+08:00", "2024-02-09T12:00:00+08:00")] // during working hours: at once
    [InlineData("2024-02-09T18:00:00+08:00", "2024-02-18T09:00:00+08:00")] // after closing: the next working day is the make-up Sunday
    [InlineData("2024-02-10T00:00:00+08:00", "2024-02-18T09:00:00+08:00")] // midnight into the holiday
    [InlineData("2024-02-17T10:00:00+08:00", "2024-02-18T09:00:00+08:00")] // last holiday day
    [InlineData("2024-03-02T10:00:00+08:00", "2024-03-04T09:00:00+08:00")] // an ordinary Saturday
    [InlineData("2024-02-09T04:00:00Z", "2024-02-09T12:00:00+08:00")] // given in UTC
    public void NextDelivery_WaitsForWorkingHoursOnWorkingDays(string raised, string delivered)
    {
        Assert.Equal(Parse.Instant(delivered), WorkingHours.Default.NextDelivery(Parse.Instant(raised), Calendar));
    }

    [Theory]
    [InlineData("08:30-17:30", true)]
    [InlineData("18:00-09:00", false)]
    [InlineData("9-18", false)]
    [InlineData("", false)]
    public void WorkingHours_Parse(string text, bool ok)
    {
        Assert.Equal(ok, WorkingHours.TryParse(text, out _));
    }
}
