using Duban.Calendar;
using Duban.Items;
using Duban.Matters;
using Duban.Reviews;
using Duban.Tests.Matters;
using Duban.TimeLimits;
using static Duban.Tests.Items.ItemKit;

namespace Duban.Tests.Items;

/// <summary>A 2025 project assigned Thu 2025-01-02 10:00 with nodes 立项 3-31, 开工 6-30, 主体完工 9-30, 竣工 12-31 (given out of
/// order) and a monthly report on the 25th.</summary>
public sealed class ItemPlanTests
{
    private static ItemKit Project() => new("2025-01-02T10:00:00+08:00", Project2025, new ReportCycle(CycleKind.Monthly, 25));

    [Fact]
    public void Plan_NodesNumberedInDateOrder_DueAtTheEndOfTheirDayInBeijing_WithTheFirstReportDue()
    {
        var state = Project().State;
        var nodes = state.Milestones.Where(m => m.Stage == Stage.Node).ToList();
        Assert.Equal(["立项", "开工", "主体完工", "竣工"], nodes.Select(n => n.Name));
        Assert.Equal([1, 2, 3, 4], nodes.Select(n => n.Node));
        Assert.Equal(At("2025-04-01T00:00:00+08:00"), nodes[0].DueAt);
        Assert.Equal(At("2026-01-01T00:00:00+08:00"), nodes[3].DueAt);
        var report = Assert.Single(state.Milestones, m => m.Stage == Stage.Report);
        Assert.Equal((1, At("2025-01-26T00:00:00+08:00")), (report.Node, report.DueAt));
        Assert.Equal(At("2025-01-04T00:00:00+08:00"), state.MilestoneOf(Stage.Acknowledge).DueAt); // 13710: by the end of the next working day
        Assert.Equal((Day("2025-01-02"), Day("2025-12-31")), (ItemPlan.Start(state), ItemPlan.End(state)));
        Assert.Equal(ItemRegister.Project, state.Register);
    }

    [Fact]
    public void Plan_WithoutNodes_OrWithANodeBeforeTheStart_IsRefusedByField()
    {
        var none = Assert.Throws<ValidationFailedException>(() => new ItemKit("2025-01-02T10:00:00+08:00", []));
        Assert.Contains("plan", none.Errors.Keys);
        var early = Assert.Throws<ValidationFailedException>(() => new ItemKit("2025-01-02T10:00:00+08:00",
            [new PlannedNode("立项", Day("2025-03-31")), new PlannedNode("前期", Day("2025-01-01")), new PlannedNode("", Day("2025-05-01"))]));
        Assert.Equal(["plan[1].dueAt", "plan[2].name"], early.Errors.Keys.Order());
    }

    [Fact]
    public void AddNode_WithinThePlan_IsNumberedNext_AfterTheEndIsRefused()
    {
        var item = Project();
        item.Do(new MatterCommand(MatterAction.Acknowledge), "2025-01-02T11:00:00+08:00");
        var after = Assert.Throws<ValidationFailedException>(() => item.Do(
            new MatterCommand(MatterAction.Plan) { PlannedNode = new PlannedNode("审计", Day("2026-01-05")) }, "2025-01-03T09:00:00+08:00"));
        Assert.Contains("dueAt", after.Errors.Keys);
        item.Do(new MatterCommand(MatterAction.Plan) { PlannedNode = new PlannedNode("环评批复", Day("2025-05-15")) }, "2025-01-03T09:00:00+08:00", Actors.Supervisor);
        var added = item.State.MilestoneOf(Stage.Node, 5);
        Assert.Equal(("环评批复", ChinaTime.EndOf(Day("2025-05-15"))), (added.Name, added.DueAt));
    }

    [Fact]
    public void Meet_NeedsEvidence_OnceOnly_AndCompletionWaitsForTheLastNode()
    {
        var item = Project();
        item.Do(new MatterCommand(MatterAction.Acknowledge), "2025-01-02T11:00:00+08:00");
        Assert.Contains("note", Assert.Throws<ValidationFailedException>(() =>
            item.Do(new MatterCommand(MatterAction.Meet) { Node = 1 }, "2025-03-20T10:00:00+08:00")).Errors.Keys);
        item.Do(new MatterCommand(MatterAction.Meet) { Node = 1, Note = "立项批复已下达", AttachmentIds = [7] }, "2025-03-20T10:00:00+08:00");
        Assert.Equal(At("2025-03-20T10:00:00+08:00"), item.State.MilestoneOf(Stage.Node, 1).MetAt);
        Assert.Throws<RuleConflictException>(() => item.Do(new MatterCommand(MatterAction.Meet) { Node = 1, Note = "再报" }, "2025-03-21T10:00:00+08:00"));
        Assert.Throws<RuleConflictException>(() => item.Do(new MatterCommand(MatterAction.Complete) { Note = "完成" }, "2025-03-21T10:00:00+08:00"));
        foreach (var node in new[] { 2, 3, 4 })
        {
            item.Do(new MatterCommand(MatterAction.Meet) { Node = node, Note = "完成" }, "2025-12-20T10:00:00+08:00");
        }

        item.Do(new MatterCommand(MatterAction.Complete) { Note = "全部竣工" }, "2025-12-21T10:00:00+08:00");
        Assert.Equal(MatterStatus.Reported, item.State.Status);
        Assert.All(item.State.Milestones.Where(m => m.Stage == Stage.Report), m => Assert.NotNull(m.MetAt)); // no report owed after completion
        item.Do(new MatterCommand(MatterAction.Verify) { Accepted = true }, "2025-12-22T10:00:00+08:00", Actors.Supervisor);
        item.Do(new MatterCommand(MatterAction.Close), "2025-12-22T11:00:00+08:00", Actors.Supervisor);
        Assert.Throws<InvalidTransitionException>(() => item.Do(
            new MatterCommand(MatterAction.Progress) { Percent = 100, Note = "补报" }, "2025-12-23T10:00:00+08:00"));
    }

    [Fact]
    public void Progress_InRange_NotLowerWithoutReason_MeetsTheReportDue_AndSchedulesTheNext()
    {
        var item = Project();
        item.Do(new MatterCommand(MatterAction.Acknowledge), "2025-01-02T11:00:00+08:00");
        foreach (var bad in new int?[] { null, -1, 101 })
        {
            Assert.Contains("percent", Assert.Throws<ValidationFailedException>(() =>
                item.Do(new MatterCommand(MatterAction.Progress) { Percent = bad, Note = "完成前期" }, "2025-01-20T10:00:00+08:00")).Errors.Keys);
        }

        Assert.Contains("done", Assert.Throws<ValidationFailedException>(() =>
            item.Do(new MatterCommand(MatterAction.Progress) { Percent = 5 }, "2025-01-20T10:00:00+08:00")).Errors.Keys);
        item.Do(new MatterCommand(MatterAction.Progress) { Percent = 8, Note = "完成可研", Problems = "用地指标", Next = "报批" }, "2025-01-20T10:00:00+08:00");
        Assert.Equal(8, item.State.Percent);
        Assert.Equal(At("2025-01-20T10:00:00+08:00"), item.State.MilestoneOf(Stage.Report, 1).MetAt);
        Assert.Equal(ChinaTime.EndOf(Day("2025-02-25")), item.State.MilestoneOf(Stage.Report, 2).DueAt); // early: from the 1-25 due on

        Assert.Contains("percent", Assert.Throws<ValidationFailedException>(() =>
            item.Do(new MatterCommand(MatterAction.Progress) { Percent = 6, Note = "调整" }, "2025-02-20T10:00:00+08:00")).Errors.Keys);
        var lower = item.Do(new MatterCommand(MatterAction.Progress) { Percent = 6, Note = "调整", Reason = "可研报告退回重编" }, "2025-02-20T10:00:00+08:00");
        Assert.Contains("可研报告退回重编", lower.Data.Problems);

        // Late: report 3 falls due 3-25 but comes on 4-10; the next is 4-25, not 3-25 again.
        item.Do(new MatterCommand(MatterAction.Progress) { Percent = 20, Note = "立项" }, "2025-04-10T10:00:00+08:00");
        Assert.Equal(ChinaTime.EndOf(Day("2025-04-25")), item.State.MilestoneOf(Stage.Report, 4).DueAt);
    }

    [Fact]
    public void MoveNode_ThroughAnExtension_MovesOnlyThatNode()
    {
        var item = Project();
        item.Do(new MatterCommand(MatterAction.Acknowledge), "2025-01-02T11:00:00+08:00");
        var now = At("2025-05-06T10:00:00+08:00");
        Lifecycle.CheckExtensionRequest(item.State, Stage.Node, EndOf("2025-07-31"), "征地延迟", Actors.TownshipHandler, now, node: 2);
        Assert.Throws<ValidationFailedException>(() =>
            Lifecycle.CheckExtensionRequest(item.State, Stage.Node, EndOf("2025-07-31"), "征地延迟", Actors.TownshipHandler, now, node: 9));
        var before = item.State.Milestones;
        item.Do(new MatterCommand(MatterAction.Extend) { Stage = Stage.Node, Node = 2, NewDueAt = EndOf("2025-07-31"), Note = "同意" },
            "2025-05-06T11:00:00+08:00", Actors.Supervisor);
        var moved = item.State.MilestoneOf(Stage.Node, 2);
        Assert.Equal((EndOf("2025-07-31"), (DateTimeOffset?)EndOf("2025-06-30"), "开工"), (moved.DueAt, moved.OriginalDueAt, moved.Name));
        Assert.Equal(before.Where(m => !m.Is(Stage.Node, 2)), item.State.Milestones.Where(m => !m.Is(Stage.Node, 2)));
    }

    [Fact]
    public void Facts_AnItemsNodesAndReports_AreNotCountedInThe13710Rates()
    {
        var item = Project();
        item.Do(new MatterCommand(MatterAction.Acknowledge), "2025-01-02T11:00:00+08:00");
        item.Do(new MatterCommand(MatterAction.Progress) { Percent = 8, Note = "完成可研" }, "2025-01-20T10:00:00+08:00");
        item.Do(new MatterCommand(MatterAction.Meet) { Node = 1, Note = "立项" }, "2025-04-20T10:00:00+08:00"); // late
        var facts = MatterFacts.Replay(item.Events, WorkingCalendar.China, ReviewRules.Default);
        var lead = facts.Entries.Where(e => e.Key.Role == FactRole.Lead).ToList();
        Assert.Equal(1, lead.Sum(e => e.Value[Fact.AcknowledgeOnTime]));
        Assert.Equal(0, lead.Sum(e => e.Value[Fact.CompleteLate] + e.Value[Fact.CompletePending] + e.Value[Fact.FeedbackPending]));
        var standing = MatterFacts.Standing(item.State, WorkingCalendar.China, ReviewRules.Default);
        Assert.Equal(1, standing.Entries.Sum(e => StageKinds.Clock.Sum(s => Enum.GetValues<StageOutcome>().Sum(o => e.Value[UnitFacts.Outcome(s, o)]))));
    }
}
