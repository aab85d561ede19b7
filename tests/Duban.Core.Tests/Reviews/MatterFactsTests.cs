using Duban.Calendar;
using Duban.Matters;
using Duban.Reviews;
using Duban.Tests.Matters;
using Duban.TimeLimits;

namespace Duban.Tests.Reviews;

/// <summary>
/// Each metric's counters on small known histories (docs/METRICS.md). Counters are summed event by event as the ledger
/// keeps them, and every test also checks that the replay of the whole history gives the same counters.
/// March 2024 has no holidays: a matter assigned Mon 03-04 09:00 is due to acknowledge by the end of 03-05, to feed
/// back by the end of 03-07 and to complete by the end of 03-13 (7 working days).
/// </summary>
public sealed class MatterFactsTests
{
    private const long Town = TestUnitTree.Township, Dept = TestUnitTree.Department, County = TestUnitTree.County;

    private sealed class Ledger(MatterHarness matter)
    {
        private readonly FactDelta _sum = Start(matter);

        public MatterHarness Matter { get; } = matter;

        public static Ledger Assign(string at, IReadOnlyList<long>? coUnits = null, MatterKind kind = MatterKind.Assignment) =>
            new(new MatterHarness(kind, Parse.Instant(at), coUnits));

        public Ledger Do(MatterCommand command, Actor actor, string at)
        {
            var before = Matter.State;
            var e = Matter.Do(command, actor, Parse.Instant(at));
            _sum.Add(MatterFacts.ForEvent(before, e, Matter.State, WorkingCalendar.China, ReviewRules.Default));
            return this;
        }

        public Ledger Do(MatterAction action, Actor actor, string at, string? note = "说明") => Do(new MatterCommand(action) { Note = note }, actor, at);

        public long Get(long unit, string day, Fact fact, FactRole role = FactRole.Lead)
        {
            var replayed = MatterFacts.Replay(Matter.Events, WorkingCalendar.China, ReviewRules.Default);
            var key = new FactKey(unit, Parse.Date(day), role);
            Assert.Equal(replayed.Get(key, fact), _sum.Get(key, fact));
            return _sum.Get(key, fact);
        }

        /// <summary>A fact summed over every day and unit (to check nothing is counted anywhere else).</summary>
        public long Total(Fact fact) => _sum.Entries.Sum(e => e.Value[fact]);

        private static FactDelta Start(MatterHarness matter)
        {
            var sum = new FactDelta();
            sum.Add(MatterFacts.ForEvent(null, matter.Events[0], MatterState.Start(matter.Events[0]), WorkingCalendar.China, ReviewRules.Default));
            return sum;
        }
    }

    private static Ledger DoneOnTime() => Ledger.Assign("2024-03-04T09:00:00+08:00")
        .Do(MatterAction.Acknowledge, Actors.TownshipHandler, "2024-03-04T15:00:00+08:00")
        .Do(MatterAction.Feedback, Actors.TownshipHandler, "2024-03-06T10:00:00+08:00")
        .Do(MatterAction.Complete, Actors.TownshipHandler, "2024-03-08T10:00:00+08:00");

    [Fact]
    public void Assigned_CountsOnTheDayOfAssignment()
    {
        var m = Ledger.Assign("2024-03-04T09:00:00+08:00");
        Assert.Equal(1, m.Get(Town, "2024-03-04", Fact.Assigned));
        Assert.Equal(1, m.Total(Fact.Assigned));
    }

    [Fact]
    public void Milestones_AreFiledUnderTheirDueDate_PendingUntilMet()
    {
        var m = Ledger.Assign("2024-03-04T09:00:00+08:00");
        Assert.Equal(1, m.Get(Town, "2024-03-05", Fact.AcknowledgePending)); // due 03-06 00:00 = the end of 03-05
        Assert.Equal(1, m.Get(Town, "2024-03-07", Fact.FeedbackPending));
        Assert.Equal(1, m.Get(Town, "2024-03-13", Fact.CompletePending));

        m.Do(MatterAction.Acknowledge, Actors.TownshipHandler, "2024-03-04T15:00:00+08:00");
        Assert.Equal(0, m.Get(Town, "2024-03-05", Fact.AcknowledgePending));
        Assert.Equal(1, m.Get(Town, "2024-03-05", Fact.AcknowledgeOnTime));
    }

    [Fact]
    public void Completion_OnTime_CountsWorkingDaysAndIsResolvedOnlyWhenAccepted()
    {
        var m = DoneOnTime();
        Assert.Equal(1, m.Get(Town, "2024-03-13", Fact.CompleteOnTime));
        Assert.Equal(4, m.Get(Town, "2024-03-13", Fact.CompletionWorkingDays)); // 03-05, 06, 07, 08
        Assert.Equal(0, m.Get(Town, "2024-03-13", Fact.SpedUp)); // 4 of 7 is more than half
        Assert.Equal(0, m.Get(Town, "2024-03-13", Fact.Resolved)); // reported, not yet accepted

        m.Do(new MatterCommand(MatterAction.Verify) { Accepted = true }, Actors.Supervisor, "2024-03-11T10:00:00+08:00");
        Assert.Equal(1, m.Get(Town, "2024-03-13", Fact.Resolved));
        m.Do(MatterAction.Close, Actors.Supervisor, "2024-03-11T11:00:00+08:00");
        Assert.Equal(1, m.Get(Town, "2024-03-13", Fact.Resolved));
    }

    [Fact]
    public void Completion_WithinHalfTheWorkingDays_IsSpedUp()
    {
        var m = Ledger.Assign("2024-03-04T09:00:00+08:00")
            .Do(MatterAction.Acknowledge, Actors.TownshipHandler, "2024-03-04T10:00:00+08:00")
            .Do(MatterAction.Complete, Actors.TownshipHandler, "2024-03-07T10:00:00+08:00");
        Assert.Equal(3, m.Get(Town, "2024-03-13", Fact.CompletionWorkingDays));
        Assert.Equal(1, m.Get(Town, "2024-03-13", Fact.SpedUp));
        Assert.Equal(1, m.Get(Town, "2024-03-07", Fact.FeedbackOnTime)); // completing also meets the feedback
    }

    /// <summary>Spring Festival 2024: 02-10…02-17 off, Sunday 02-18 a make-up working day (调休). Assigned Thursday
    /// 02-08: acknowledge by the end of 02-09, feed back by the end of 02-19 (02-09, 02-18, 02-19), complete by the end
    /// of 02-23.</summary>
    [Fact]
    public void Holidays_AndMakeUpSunday_ShapeDueDatesAndWorkingDays()
    {
        var m = Ledger.Assign("2024-02-08T09:00:00+08:00");
        Assert.Equal(1, m.Get(Town, "2024-02-09", Fact.AcknowledgePending));
        Assert.Equal(1, m.Get(Town, "2024-02-19", Fact.FeedbackPending));
        Assert.Equal(1, m.Get(Town, "2024-02-23", Fact.CompletePending));

        m.Do(MatterAction.Acknowledge, Actors.TownshipHandler, "2024-02-18T09:00:00+08:00") // late: due 02-10 00:00
            .Do(MatterAction.Complete, Actors.TownshipHandler, "2024-02-19T10:00:00+08:00");
        Assert.Equal(1, m.Get(Town, "2024-02-09", Fact.AcknowledgeLate));
        Assert.Equal(3, m.Get(Town, "2024-02-23", Fact.CompletionWorkingDays)); // 02-09, the Sunday 02-18, 02-19
        Assert.Equal(1, m.Get(Town, "2024-02-23", Fact.SpedUp)); // 3 of 7
    }

    [Fact]
    public void Transfer_AfterTheDueInstant_KeepsTheLapsedMilestoneAgainstTheFirstUnit()
    {
        var m = Ledger.Assign("2024-03-04T09:00:00+08:00")
            .Do(new MatterCommand(MatterAction.Transfer) { TargetUnitId = Dept, Note = "职责不符" }, Actors.Supervisor, "2024-03-06T10:00:00+08:00");
        Assert.Equal(1, m.Get(Town, "2024-03-05", Fact.AcknowledgeLate)); // lapsed while the township held it
        Assert.Equal(0, m.Get(Town, "2024-03-05", Fact.AcknowledgePending));
        Assert.Equal(0, m.Get(Town, "2024-03-07", Fact.FeedbackPending)); // not yet due when it left: not counted
        Assert.Equal(0, m.Get(Town, "2024-03-07", Fact.FeedbackLate));
        Assert.Equal(1, m.Get(Town, "2024-03-06", Fact.TransferredOut));
        Assert.Equal(1, m.Get(Dept, "2024-03-06", Fact.Assigned));
        Assert.Equal(1, m.Get(Dept, "2024-03-07", Fact.AcknowledgePending)); // the department's own clock from 03-06 10:00
        Assert.Equal(2, m.Total(Fact.Assigned));
    }

    [Fact]
    public void Transfer_BeforeTheDueInstant_LeavesNothingAgainstTheFirstUnit()
    {
        var m = Ledger.Assign("2024-03-04T09:00:00+08:00")
            .Do(new MatterCommand(MatterAction.Transfer) { TargetUnitId = Dept, Note = "职责不符" }, Actors.Supervisor, "2024-03-04T11:00:00+08:00");
        Assert.Equal(0, m.Get(Town, "2024-03-05", Fact.AcknowledgeLate));
        Assert.Equal(0, m.Get(Town, "2024-03-05", Fact.AcknowledgePending));
        Assert.Equal(1, m.Get(Town, "2024-03-04", Fact.TransferredOut));
        Assert.Equal(1, m.Get(Dept, "2024-03-05", Fact.AcknowledgePending));
    }

    [Fact]
    public void Return_StopsTheClock_AndCountsAgainstNoOneUntilMoved()
    {
        var m = Ledger.Assign("2024-03-04T09:00:00+08:00")
            .Do(MatterAction.Return, Actors.TownshipHandler, "2024-03-04T10:00:00+08:00", "不属于本单位职责");
        Assert.Equal(1, m.Get(Town, "2024-03-04", Fact.Returned));
        Assert.Equal(0, m.Get(Town, "2024-03-05", Fact.AcknowledgePending));
        Assert.Equal(0, m.Total(Fact.AcknowledgeLate));

        m.Do(new MatterCommand(MatterAction.Transfer) { TargetUnitId = Dept, Note = "改派" }, Actors.Supervisor, "2024-03-08T09:00:00+08:00");
        Assert.Equal(0, m.Total(Fact.AcknowledgeLate)); // the stopped clock was not the township's fault
        Assert.Equal(1, m.Get(Dept, "2024-03-08", Fact.Assigned));
        Assert.Equal(1, m.Get(Dept, "2024-03-11", Fact.AcknowledgePending));
    }

    [Fact]
    public void Extension_MovesTheMilestoneToItsNewDueDate_AndCountsWithinExtensionApart()
    {
        var m = Ledger.Assign("2024-03-04T09:00:00+08:00")
            .Do(MatterAction.Acknowledge, Actors.TownshipHandler, "2024-03-04T10:00:00+08:00")
            .Do(new MatterCommand(MatterAction.Extend) { Stage = Stage.Complete, NewDueAt = Parse.Instant("2024-03-21T00:00:00+08:00") },
                Actors.Supervisor, "2024-03-08T10:00:00+08:00");
        Assert.Equal(0, m.Get(Town, "2024-03-13", Fact.CompletePending));
        Assert.Equal(1, m.Get(Town, "2024-03-20", Fact.CompletePending));

        m.Do(MatterAction.Complete, Actors.TownshipHandler, "2024-03-18T10:00:00+08:00");
        Assert.Equal(1, m.Get(Town, "2024-03-20", Fact.CompleteWithinExtension));
        Assert.Equal(0, m.Total(Fact.CompleteOnTime));
        Assert.Equal(0, m.Total(Fact.CompleteLate));
    }

    [Fact]
    public void VerifierSendingBack_IsARedo_AndTheCompletionIsPendingAgain()
    {
        var m = DoneOnTime()
            .Do(new MatterCommand(MatterAction.Verify) { Accepted = false, Note = "材料不全" }, Actors.Supervisor, "2024-03-11T10:00:00+08:00");
        Assert.Equal(1, m.Get(Town, "2024-03-11", Fact.Redone));
        Assert.Equal(0, m.Get(Town, "2024-03-13", Fact.CompleteOnTime));
        Assert.Equal(1, m.Get(Town, "2024-03-13", Fact.CompletePending));

        m.Do(MatterAction.Complete, Actors.TownshipHandler, "2024-03-15T10:00:00+08:00");
        Assert.Equal(1, m.Get(Town, "2024-03-13", Fact.CompleteLate));
    }

    [Fact]
    public void Reopening_KeepsTheFirstCompletionUnresolved_AndStartsANewOne()
    {
        var m = DoneOnTime()
            .Do(new MatterCommand(MatterAction.Verify) { Accepted = true }, Actors.Supervisor, "2024-03-11T10:00:00+08:00")
            .Do(MatterAction.Close, Actors.Supervisor, "2024-03-11T11:00:00+08:00")
            .Do(MatterAction.Reopen, Actors.Supervisor, "2024-04-08T09:00:00+08:00", "回头看发现问题反弹");
        Assert.Equal(1, m.Get(Town, "2024-03-13", Fact.CompleteOnTime)); // it was reported on time
        Assert.Equal(0, m.Get(Town, "2024-03-13", Fact.Resolved)); // but it did not stay resolved
        Assert.Equal(1, m.Get(Town, "2024-04-08", Fact.Redone));
        Assert.Equal(1, m.Get(Town, "2024-04-17", Fact.CompletePending)); // 7 working days from 04-08 (清明 04-04…06 is before)

        m.Do(MatterAction.Complete, Actors.TownshipHandler, "2024-04-10T10:00:00+08:00")
            .Do(new MatterCommand(MatterAction.Verify) { Accepted = true }, Actors.Supervisor, "2024-04-10T11:00:00+08:00");
        Assert.Equal(2, m.Get(Town, "2024-04-17", Fact.CompletionWorkingDays)); // counted from the reopening
        Assert.Equal(1, m.Get(Town, "2024-04-17", Fact.Resolved));
        Assert.Equal(1, m.Total(Fact.Resolved));
        Assert.Equal(2, m.Total(Fact.CompleteOnTime));
    }

    [Fact]
    public void Ratings_CountOnTheirDay_AndDissatisfactionIsARedo()
    {
        var m = Ledger.Assign("2024-03-04T09:00:00+08:00", kind: MatterKind.Appeal)
            .Do(MatterAction.Acknowledge, Actors.TownshipHandler, "2024-03-04T10:00:00+08:00")
            .Do(MatterAction.Complete, Actors.TownshipHandler, "2024-03-05T10:00:00+08:00")
            .Do(new MatterCommand(MatterAction.Verify) { Accepted = true }, Actors.Supervisor, "2024-03-05T11:00:00+08:00")
            .Do(new MatterCommand(MatterAction.Rate) { Satisfaction = Satisfaction.Dissatisfied }, Actors.Supervisor, "2024-03-06T09:00:00+08:00");
        Assert.Equal(1, m.Get(Town, "2024-03-06", Fact.RatedDissatisfied));
        Assert.Equal(1, m.Get(Town, "2024-03-06", Fact.Redone));
        Assert.Equal(0, m.Total(Fact.Resolved));

        m.Do(MatterAction.Complete, Actors.TownshipHandler, "2024-03-07T10:00:00+08:00")
            .Do(new MatterCommand(MatterAction.Verify) { Accepted = true }, Actors.Supervisor, "2024-03-07T11:00:00+08:00")
            .Do(new MatterCommand(MatterAction.Rate) { Satisfaction = Satisfaction.Basically }, Actors.Supervisor, "2024-03-08T09:00:00+08:00");
        Assert.Equal(1, m.Get(Town, "2024-03-08", Fact.RatedBasically));
        Assert.Equal(1, m.Total(Fact.Resolved));

        var facts = new UnitFacts { [Fact.RatedDissatisfied] = 1, [Fact.RatedBasically] = 1 };
        Assert.Equal(0.5, UnitMetrics.From(facts).Value(Metric.SatisfactionRate));
    }

    [Fact]
    public void CoUnits_AreCreditedSeparately_WithTheCompletion()
    {
        var m = Ledger.Assign("2024-03-04T09:00:00+08:00", coUnits: [County]);
        Assert.Equal(1, m.Get(County, "2024-03-04", Fact.Assigned, FactRole.Co));
        Assert.Equal(0, m.Get(County, "2024-03-04", Fact.Assigned));
        Assert.Equal(1, m.Get(County, "2024-03-13", Fact.CompletePending, FactRole.Co));
        Assert.Equal(0, m.Get(County, "2024-03-05", Fact.AcknowledgePending, FactRole.Co)); // acknowledging is the lead's

        m.Do(MatterAction.Acknowledge, Actors.TownshipHandler, "2024-03-04T10:00:00+08:00")
            .Do(MatterAction.Complete, Actors.TownshipHandler, "2024-03-06T10:00:00+08:00");
        Assert.Equal(1, m.Get(County, "2024-03-13", Fact.CompleteOnTime, FactRole.Co));
    }

    [Fact]
    public void Metrics_WithNothingToDivide_AreNull_AndShownAsADash()
    {
        var metrics = UnitMetrics.From(new UnitFacts { [Fact.Assigned] = 3 });
        foreach (var metric in Enum.GetValues<Metric>().Where(Metrics.IsRate).Append(Metric.AverageWorkingDays))
        {
            Assert.Null(metrics.Value(metric));
            Assert.Equal("—", Metrics.Format(metric, metrics.Value(metric)));
        }

        Assert.Equal(3, metrics.Value(Metric.Assigned));
    }

    [Fact]
    public void Metrics_AreComputedFromTheCounters()
    {
        var facts = new UnitFacts
        {
            [Fact.CompleteOnTime] = 6,
            [Fact.CompleteWithinExtension] = 1,
            [Fact.CompleteLate] = 1,
            [Fact.CompletePending] = 2, // overdue (the query counts pending only where due)
            [Fact.Resolved] = 7,
            [Fact.SpedUp] = 2,
            [Fact.CompletionWorkingDays] = 36,
            [Fact.AcknowledgeOnTime] = 9,
            [Fact.AcknowledgeLate] = 1,
        };
        var m = UnitMetrics.From(facts, rebounds: 1, accountability: 2);
        Assert.Equal(0.6, m.Value(Metric.OnTimeCompleteRate)); // 6 of 10 decided
        Assert.Equal(0.7, m.Value(Metric.ResolutionRate)); // 7 of 10
        Assert.Equal(0.25, m.Value(Metric.SpeedUpRate)); // 2 of 8 completed
        Assert.Equal(4.5, m.Value(Metric.AverageWorkingDays)); // 36 / 8
        Assert.Equal(3, m.Value(Metric.Overdue)); // 1 late + 2 still open past due
        Assert.Equal(1, m.Value(Metric.CompletedWithinExtension));
        Assert.Equal(0.9, m.Value(Metric.OnTimeAcknowledgeRate));
        Assert.Null(m.Value(Metric.OnTimeFeedbackRate));
        Assert.Equal(1, m.Value(Metric.Rebounds));
        Assert.Equal(2, m.Value(Metric.Accountability));
        Assert.Equal("60%", Metrics.Format(Metric.OnTimeCompleteRate, 0.6));
        Assert.Equal("96.5%", Metrics.Format(Metric.OnTimeCompleteRate, 0.965));
    }
}
