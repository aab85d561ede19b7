using Duban.Calendar;
using Duban.Items;
using Duban.Matters;
using Duban.TimeLimits;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static Duban.Tests.Items.ItemKit;

namespace Duban.Tests.Items;

public sealed class ItemCycleTests
{
    [Theory]
    [InlineData(31, "2025-01-31", "2025-02-28")] // a month without the day reports on its last day
    [InlineData(31, "2024-01-31", "2024-02-29")] // leap year
    [InlineData(31, "2025-02-28", "2025-03-31")]
    [InlineData(25, "2025-01-24", "2025-01-25")]
    [InlineData(25, "2025-01-25", "2025-02-25")]
    [InlineData(25, "2025-12-30", "2026-01-25")]
    [InlineData(1, "2025-12-31", "2026-01-01")]
    public void Monthly_NextDate(int day, string after, string expected) =>
        Assert.Equal(Day(expected), new ReportCycle(CycleKind.Monthly, day).NextAfter(Day(after)));

    [Theory]
    [InlineData(5, "2025-01-01", "2025-01-03")] // Wednesday → Friday
    [InlineData(5, "2025-01-03", "2025-01-10")] // on the day → a week later
    [InlineData(7, "2025-01-03", "2025-01-05")] // 7 = Sunday
    [InlineData(1, "2025-01-05", "2025-01-06")]
    public void Weekly_NextDate(int weekday, string after, string expected) =>
        Assert.Equal(Day(expected), new ReportCycle(CycleKind.Weekly, weekday).NextAfter(Day(after)));

    [Fact]
    public void SpringFestival_ReportDatesAreCalendarDates_TheWarningOpensOnTheLastWorkingDayBefore()
    {
        // 2025 春节: 1-28 to 2-4 off, Sunday 1-26 a make-up working day. A report due on 1-29 stays on 1-29.
        var item = new ItemKit("2025-01-02T10:00:00+08:00", Project2025, new ReportCycle(CycleKind.Monthly, 29));
        var report = item.State.MilestoneOf(Stage.Report, 1);
        Assert.False(WorkingCalendar.China.IsWorkingDay(Day("2025-01-29")));
        Assert.Equal(ChinaTime.EndOf(Day("2025-01-29")), report.DueAt);
        Assert.Equal(ChinaTime.StartOf(Day("2025-01-27")), report.DueSoonAt); // one working day: Monday 1-27
        Assert.Equal(MilestoneStatus.DueSoon, report.StatusAt(At("2025-01-28T12:00:00+08:00")));
        Assert.Equal("每月29日", item.State.Cycle!.Label);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    [InlineData(32)]
    public void Cycle_OutOfRange_IsRefused(int day) =>
        Assert.Contains("cycle", Assert.Throws<ValidationFailedException>(() =>
            new ItemKit("2025-01-02T10:00:00+08:00", Project2025, new ReportCycle(day == 8 ? CycleKind.Weekly : CycleKind.Monthly, day))).Errors.Keys);
}

public sealed class ItemColourTests
{
    private static ItemKit Started()
    {
        // Plan 2025-01-01 → 2025-12-31 (364 days); report on the 25th.
        var item = new ItemKit("2025-01-01T09:00:00+08:00", Project2025, new ReportCycle(CycleKind.Monthly, 25));
        item.Do(new MatterCommand(MatterAction.Acknowledge), "2025-01-01T10:00:00+08:00");
        return item;
    }

    [Fact]
    public void Expected_IsTheElapsedShareOfThePlan_ByCalendarDays()
    {
        Assert.Equal(50, ItemColour.Expected(Day("2025-01-01"), Day("2025-12-31"), Day("2025-07-02")));
        Assert.Equal(0, ItemColour.Expected(Day("2025-01-01"), Day("2025-12-31"), Day("2024-12-01")));
        Assert.Equal(100, ItemColour.Expected(Day("2025-01-01"), Day("2025-12-31"), Day("2026-03-01")));
        Assert.Equal(100, ItemColour.Expected(Day("2025-01-01"), Day("2025-01-01"), Day("2025-01-01")));
    }

    [Fact]
    public void Colour_GreenOnTrack_YellowWhenLaggingOrAReportIsLate_RedWhenANodeIsOverdue_GreenWhenDone()
    {
        var item = Started();
        Assert.Equal(Colour.Green, ItemColour.Of(item.State, At("2025-01-20T12:00:00+08:00"), 10));
        Assert.Equal(Colour.Yellow, ItemColour.Of(item.State, At("2025-01-26T00:00:01+08:00"), 10)); // report 1 late

        item.Do(new MatterCommand(MatterAction.Progress) { Percent = 15, Note = "前期" }, "2025-01-25T10:00:00+08:00");
        // 2-20: expected 50/364 ≈ 13.7 %, reported 15 → green; 3-15: expected ≈ 20 %, lag 5 → green.
        Assert.Equal(Colour.Green, ItemColour.Of(item.State, At("2025-02-20T12:00:00+08:00"), 10));
        item.Do(new MatterCommand(MatterAction.Progress) { Percent = 15, Note = "无进展" }, "2025-02-24T10:00:00+08:00");
        Assert.Equal(Colour.Green, ItemColour.Of(item.State, At("2025-03-15T12:00:00+08:00"), 10));
        // 3-25 12:00 (report 3 not due till 24:00): expected 83/364 ≈ 22.8 %, lag 7.8 → green at tolerance 10, yellow at 5.
        Assert.Equal(Colour.Green, ItemColour.Of(item.State, At("2025-03-25T12:00:00+08:00"), 10));
        Assert.Equal(Colour.Yellow, ItemColour.Of(item.State, At("2025-03-25T12:00:00+08:00"), 5));
        item.Do(new MatterCommand(MatterAction.Progress) { Percent = 20, Note = "推进" }, "2025-03-25T13:00:00+08:00");

        Assert.Equal(Colour.Red, ItemColour.Of(item.State, At("2025-04-01T00:00:01+08:00"), 10)); // 立项 3-31 not met
        item.Do(new MatterCommand(MatterAction.Meet) { Node = 1, Note = "立项批复" }, "2025-04-02T10:00:00+08:00");
        Assert.Equal(Colour.Green, ItemColour.Of(item.State, At("2025-04-03T10:00:00+08:00"), 10));
    }

    /// <summary>Whatever the plan, the reports and the moment: red exactly when an unmet node's due instant has passed.</summary>
    [Property(MaxTest = 300)]
    public Property Colour_IsRed_IffANodeIsOverdue() =>
        Prop.ForAll(
            Arb.From(
                from count in Gen.Choose(1, 6)
                from offsets in Gen.ArrayOf(Gen.Choose(1, 360), count)
                from nowDay in Gen.Choose(0, 420)
                from metMask in Gen.Choose(0, 63)
                from percent in Gen.Choose(0, 100)
                select (offsets, nowDay, metMask, percent)),
            input =>
            {
                var (offsets, nowDay, metMask, percent) = input;
                var start = Day("2025-01-01");
                var plan = offsets.Select((d, i) => new PlannedNode($"节点{i}", start.AddDays(d))).ToList();
                var item = new ItemKit("2025-01-01T09:00:00+08:00", plan, new ReportCycle(CycleKind.Weekly, 3));
                item.Do(new MatterCommand(MatterAction.Acknowledge), "2025-01-01T10:00:00+08:00");
                var now = ChinaTime.StartOf(start.AddDays(nowDay)).AddHours(12);
                var nodes = item.State.Milestones.Where(m => m.Stage == Stage.Node).ToList();
                foreach (var node in nodes.Where((_, i) => (metMask & (1 << i)) != 0))
                {
                    item.Do(new MatterCommand(MatterAction.Meet) { Node = node.Node, Note = "完成" }, "2025-01-01T11:00:00+08:00");
                }

                item.Do(new MatterCommand(MatterAction.Progress) { Percent = percent, Note = "填报" }, "2025-01-01T12:00:00+08:00");
                var overdue = item.State.Milestones.Any(m => m.Stage == Stage.Node && m.MetAt is null && now > m.DueAt);
                return (ItemColour.Of(item.State, now, 10) == Colour.Red) == overdue;
            });

    [Fact]
    public void NextChange_IsWhenTimeAloneChangesTheColour()
    {
        var item = Started(); // plan 2025-01-01 → 12-31 (364 days), monthly report on the 25th, nothing reported yet
        // Green at 1-20: the first report falls due at 1-25 24:00; the lag (expected − 0) passes 10 points on day 37
        // (2-7: 37/364 ≈ 10.2 %) — the report comes first.
        Assert.Equal(EndOf("2025-01-25").AddTicks(1), ItemColour.NextChange(item.State, At("2025-01-20T12:00:00+08:00"), 10));
        item.Do(new MatterCommand(MatterAction.Progress) { Percent = 15, Note = "前期" }, "2025-01-25T10:00:00+08:00");
        // 15 % reported: lag > 10 from the day 100 × d / 364 > 25, d = 92 → 2025-04-03; report 2 (2-25) comes first.
        Assert.Equal(EndOf("2025-02-25").AddTicks(1), ItemColour.NextChange(item.State, At("2025-01-25T10:00:00+08:00"), 10));
        // Yellow (report 2 late): only a node can change it now, to red — 立项 at 3-31 24:00.
        Assert.Equal(EndOf("2025-03-31").AddTicks(1), ItemColour.NextChange(item.State, At("2025-02-26T10:00:00+08:00"), 10));
        // Red: nothing but an action changes it.
        Assert.Null(ItemColour.NextChange(item.State, At("2025-04-01T10:00:00+08:00"), 10));

        // Without a report cycle the lag decides: 15 % at tolerance 5 lags from the day 100 × d / 364 > 20, d = 73 → 3-15
        // (expected 20.05 %; on 3-14 19.78 %).
        var quiet = new ItemKit("2025-01-01T09:00:00+08:00", Project2025);
        quiet.Do(new MatterCommand(MatterAction.Acknowledge), "2025-01-01T10:00:00+08:00");
        quiet.Do(new MatterCommand(MatterAction.Progress) { Percent = 15, Note = "前期" }, "2025-01-25T10:00:00+08:00");
        Assert.Equal(ChinaTime.StartOf(Day("2025-03-15")), ItemColour.NextChange(quiet.State, At("2025-01-25T10:00:00+08:00"), 5));
        Assert.Equal(Colour.Green, ItemColour.Of(quiet.State, ChinaTime.StartOf(Day("2025-03-15")).AddTicks(-1), 5));
        Assert.Equal(Colour.Yellow, ItemColour.Of(quiet.State, ChinaTime.StartOf(Day("2025-03-15")), 5));
    }

    /// <summary>Whatever the plan, the reports and the moment: the colour holds at every instant where it could change
    /// (a due instant, one tick after it, the start of a day) before the answer — so a sweep that looks only then misses
    /// nothing — and with no answer it holds for good.</summary>
    [Property(MaxTest = 300)]
    public Property NextChange_TheColourHoldsUntilThen() =>
        Prop.ForAll(
            Arb.From(
                from count in Gen.Choose(1, 5)
                from offsets in Gen.ArrayOf(Gen.Choose(1, 300), count)
                from nowHours in Gen.Choose(0, 24 * 330)
                from metMask in Gen.Choose(0, 31)
                from percent in Gen.Choose(0, 100)
                from tolerance in Gen.Choose(0, 40)
                from reported in Gen.Elements(true, false)
                from cycle in Gen.Elements(true, false)
                select (offsets, nowHours, metMask, percent, tolerance, reported, cycle)),
            input =>
            {
                var (offsets, nowHours, metMask, percent, tolerance, reported, cycle) = input;
                var start = Day("2025-01-01");
                var plan = offsets.Select((d, i) => new PlannedNode($"节点{i}", start.AddDays(d))).ToList();
                var item = new ItemKit("2025-01-01T09:00:00+08:00", plan, cycle ? new ReportCycle(CycleKind.Monthly, 10) : null);
                item.Do(new MatterCommand(MatterAction.Acknowledge), "2025-01-01T10:00:00+08:00");
                foreach (var node in item.State.Milestones.Where(m => m.Stage == Stage.Node).Where((_, i) => (metMask & (1 << i)) != 0).ToList())
                {
                    item.Do(new MatterCommand(MatterAction.Meet) { Node = node.Node, Note = "完成" }, "2025-01-01T11:00:00+08:00");
                }

                if (reported)
                {
                    item.Do(new MatterCommand(MatterAction.Progress) { Percent = percent, Note = "填报" }, "2025-01-01T12:00:00+08:00");
                }

                var now = ChinaTime.StartOf(start).AddHours(nowHours);
                var colour = ItemColour.Of(item.State, now, tolerance);
                var next = ItemColour.NextChange(item.State, now, tolerance);
                var instants = item.State.Milestones.SelectMany(m => new[] { m.DueAt, m.DueAt.AddTicks(1) })
                    .Concat(Enumerable.Range(0, 400).Select(d => ChinaTime.StartOf(start.AddDays(d))))
                    .Append(now.AddDays(500))
                    .Concat(next is { } n ? [n.AddTicks(-1)] : [])
                    .Where(t => t > now && (next is null || t < next));
                return (next is null || next > now) && instants.All(t => ItemColour.Of(item.State, t, tolerance) == colour);
            });

    [Fact]
    public void Rollup_MeanOfTheChildren_WorstColour()
    {
        var (percent, colour) = ItemRollup.Of([new ChildProgress(40, Colour.Green), new ChildProgress(null, Colour.Yellow), new ChildProgress(65, Colour.Green)], Colour.Green);
        Assert.Equal((35, Colour.Yellow), (percent, colour));
        Assert.Equal(Colour.Red, ItemRollup.Of([new ChildProgress(90, Colour.Red)], Colour.Green).Colour);
        Assert.Equal(((int?)null, Colour.Yellow), ItemRollup.Of([], Colour.Yellow));
    }
}
