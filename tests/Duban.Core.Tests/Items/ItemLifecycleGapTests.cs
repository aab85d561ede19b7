using Duban.Items;
using Duban.Matters;
using Duban.Tests.Matters;
using Duban.TimeLimits;
using static Duban.Tests.Items.ItemKit;

namespace Duban.Tests.Items;

/// <summary>Two lifecycle rules of work items: a co-unit (配合单位) reports its own share without moving the lead's
/// progress or report dues; a verifier's send-back (退回重办) makes the item report again.</summary>
public sealed class ItemLifecycleGapTests
{
    private static ItemKit Acknowledged()
    {
        var item = new ItemKit("2025-01-02T10:00:00+08:00", Project2025, new ReportCycle(CycleKind.Monthly, 25), [TestUnitTree.Department]);
        item.Do(new MatterCommand(MatterAction.Acknowledge), "2025-01-02T11:00:00+08:00");
        return item;
    }

    [Fact]
    public void ACoUnitsShare_IsStoredAsItsOwn_AndMovesNeitherThePercentNorTheReportDue()
    {
        var item = Acknowledged();
        item.Do(new MatterCommand(MatterAction.Progress) { Percent = 30, Note = "可研编制完成" }, "2025-01-20T10:00:00+08:00");
        var dues = item.State.Milestones.Where(m => m.Stage == Stage.Report).ToList();
        Assert.Contains(MatterAction.Progress, Lifecycle.AllowedActions(item.State, Actors.DepartmentHandler, At("2025-01-21T10:00:00+08:00"), TestUnitTree.Instance));

        var share = item.Do(new MatterCommand(MatterAction.Progress) { Percent = 80, Note = "配合完成用地预审" }, "2025-01-21T10:00:00+08:00", Actors.DepartmentHandler);
        Assert.Equal(TestUnitTree.Department, share.Data.CoUnitId);
        Assert.Null(share.Data.Schedule);
        Assert.Equal(30, item.State.Percent);
        Assert.Equal(dues, item.State.Milestones.Where(m => m.Stage == Stage.Report).ToList());

        // A co-unit's own figure may go down without a reason (it is not the item's percent) …
        item.Do(new MatterCommand(MatterAction.Progress) { Percent = 10, Note = "重新测算" }, "2025-01-22T10:00:00+08:00", Actors.DepartmentHandler);
        Assert.Equal(30, item.State.Percent);

        // … while the lead's report still meets the due and schedules the next.
        var lead = item.Do(new MatterCommand(MatterAction.Progress) { Percent = 40, Note = "完成立项申报" }, "2025-01-24T10:00:00+08:00");
        Assert.Null(lead.Data.CoUnitId);
        Assert.Equal(40, item.State.Percent);
        Assert.Equal(3, item.State.Milestones.Count(m => m.Stage == Stage.Report)); // 1-25 and 2-25 met by the lead, 3-25 open
    }

    [Fact]
    public void AUnitNeitherLeadNorCo_MayNotReport()
    {
        var item = new ItemKit("2025-01-02T10:00:00+08:00", Project2025, new ReportCycle(CycleKind.Monthly, 25));
        item.Do(new MatterCommand(MatterAction.Acknowledge), "2025-01-02T11:00:00+08:00");
        var refused = Assert.Throws<ForbiddenException>(() =>
            item.Do(new MatterCommand(MatterAction.Progress) { Percent = 10, Note = "代报" }, "2025-01-20T10:00:00+08:00", Actors.DepartmentHandler));
        Assert.Contains("配合单位", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SendBack_SchedulesANewReportDue_FromTheDayOfTheSendBack()
    {
        var item = Acknowledged();
        foreach (var node in new[] { 1, 2, 3, 4 })
        {
            item.Do(new MatterCommand(MatterAction.Meet) { Node = node, Note = "完成" }, "2025-12-20T10:00:00+08:00");
        }

        item.Do(new MatterCommand(MatterAction.Complete) { Note = "全部竣工" }, "2025-12-21T10:00:00+08:00");
        Assert.DoesNotContain(item.State.Milestones, m => m.Stage == Stage.Report && m.MetAt is null);

        var sentBack = item.Do(new MatterCommand(MatterAction.Verify) { Accepted = false, Note = "竣工验收资料不全" }, "2025-12-22T10:00:00+08:00", Actors.Supervisor);
        Assert.Equal(MatterStatus.Acknowledged, item.State.Status);
        var due = Assert.Single(item.State.Milestones, m => m.Stage == Stage.Report && m.MetAt is null);
        Assert.Equal(EndOf("2025-12-25"), due.DueAt); // the cycle's next date after the send-back
        Assert.Equal(item.State.Milestones.Where(m => m.Stage == Stage.Report).Max(m => m.Node), due.Node);
        Assert.NotNull(sentBack.Data.Schedule);

        // The report it asks for meets it.
        item.Do(new MatterCommand(MatterAction.Progress) { Percent = 100, Note = "补齐验收资料" }, "2025-12-24T10:00:00+08:00");
        Assert.NotNull(item.State.MilestoneOf(Stage.Report, due.Node).MetAt);
    }

    [Fact]
    public void SendBack_OfAnItemWithoutACycle_SchedulesNothing()
    {
        var item = new ItemKit("2025-01-02T10:00:00+08:00", Project2025);
        item.Do(new MatterCommand(MatterAction.Acknowledge), "2025-01-02T11:00:00+08:00");
        foreach (var node in new[] { 1, 2, 3, 4 })
        {
            item.Do(new MatterCommand(MatterAction.Meet) { Node = node, Note = "完成" }, "2025-12-20T10:00:00+08:00");
        }

        item.Do(new MatterCommand(MatterAction.Complete) { Note = "全部竣工" }, "2025-12-21T10:00:00+08:00");
        var sentBack = item.Do(new MatterCommand(MatterAction.Verify) { Accepted = false, Note = "退回" }, "2025-12-22T10:00:00+08:00", Actors.Supervisor);
        Assert.Null(sentBack.Data.Schedule);
        Assert.DoesNotContain(item.State.Milestones, m => m.Stage == Stage.Report);
    }
}
