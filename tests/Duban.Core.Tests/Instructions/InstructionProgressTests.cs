using Duban.Instructions;
using Duban.Matters;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Duban.Tests.Instructions;

public sealed class InstructionProgressTests
{
    private static InstructionStatus Of(params MatterStatus[] linked) => InstructionProgress.Of(linked, finalReportSent: false, closed: false);

    [Fact]
    public void NoMatter_IsRegistered() => Assert.Equal(InstructionStatus.Registered, Of());

    [Theory]
    [InlineData(new[] { MatterStatus.Assigned }, InstructionStatus.Assigned)]
    [InlineData(new[] { MatterStatus.Assigned, MatterStatus.Returned }, InstructionStatus.Assigned)]
    [InlineData(new[] { MatterStatus.Assigned, MatterStatus.Acknowledged }, InstructionStatus.InProgress)]
    [InlineData(new[] { MatterStatus.Reported, MatterStatus.Verified }, InstructionStatus.InProgress)] // 待审核 is not 办结
    [InlineData(new[] { MatterStatus.Verified, MatterStatus.Assigned }, InstructionStatus.InProgress)]
    [InlineData(new[] { MatterStatus.Verified, MatterStatus.Rated, MatterStatus.Closed }, InstructionStatus.ResultsIn)]
    [InlineData(new[] { MatterStatus.Closed }, InstructionStatus.ResultsIn)]
    public void Status_FollowsTheLinkedMatters(MatterStatus[] linked, InstructionStatus expected) => Assert.Equal(expected, Of(linked));

    [Fact]
    public void ReportedAndClosed_WinOverTheMatters()
    {
        Assert.Equal(InstructionStatus.Reported, InstructionProgress.Of([MatterStatus.Closed], finalReportSent: true, closed: false));
        Assert.Equal(InstructionStatus.Closed, InstructionProgress.Of([MatterStatus.Closed], finalReportSent: true, closed: true));
        // A matter reopened after the report does not take the report back.
        Assert.Equal(InstructionStatus.Reported, InstructionProgress.Of([MatterStatus.Acknowledged], finalReportSent: true, closed: false));
    }

    [Fact]
    public void AllDone_NeedsAtLeastOneMatter_AndEveryOneDone()
    {
        Assert.False(InstructionProgress.AllDone([]));
        Assert.True(InstructionProgress.AllDone([MatterStatus.Verified, MatterStatus.Closed]));
        Assert.False(InstructionProgress.AllDone([MatterStatus.Verified, MatterStatus.Reported]));
    }

    /// <summary>Results are in exactly when every linked matter is done; the order of the matters never matters.</summary>
    [Property(MaxTest = 300)]
    public Property ResultsIn_IffAllDone_AndOrderDoesNotMatter() =>
        Prop.ForAll(Arb.From(Gen.ArrayOf(Gen.Elements(Enum.GetValues<MatterStatus>()))), linked =>
        {
            var status = Of(linked);
            var reversed = Of([.. Enumerable.Reverse(linked)]);
            return status == reversed
                && (status == InstructionStatus.ResultsIn) == (linked.Length > 0 && linked.All(InstructionProgress.IsDone))
                && (status == InstructionStatus.Registered) == (linked.Length == 0);
        });

    [Fact]
    public void Number_AndLabels_AreInChinese()
    {
        Assert.Equal("批示〔2026〕12号", InstructionProgress.Number(2026, 12));
        Assert.Equal(["登记", "已交办", "办理中", "待报告", "已报告", "已办结"], Enum.GetValues<InstructionStatus>().Select(InstructionProgress.Label));
        Assert.Equal(["草稿", "已审核", "已报送"], Enum.GetValues<ReportStage>().Select(InstructionProgress.Label));
    }
}
