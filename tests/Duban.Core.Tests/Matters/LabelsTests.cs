using Duban.Escalation;
using Duban.Matters;
using Duban.TimeLimits;

namespace Duban.Tests.Matters;

/// <summary>Every value of every enum people see has its own Chinese label, the same under any culture.</summary>
public abstract class LabelsTests(string culture) : CulturePinned(culture)
{
    [Fact]
    public void EveryValue_HasAChineseLabel_DistinctWithinItsEnum()
    {
        AssertLabelled<MatterStatus>(Labels.Of);
        AssertLabelled<MatterAction>(Labels.Of);
        AssertLabelled<MatterKind>(Labels.Of);
        AssertLabelled<MatterSource>(Labels.Of);
        AssertLabelled<Stage>(Labels.Of);
        AssertLabelled<MilestoneStatus>(Labels.Of);
        AssertLabelled<EscalationKind>(Labels.Of);
        AssertLabelled<Recipient>(Labels.Of);
        AssertLabelled<Role>(Labels.Of);
        AssertLabelled<Satisfaction>(Labels.Of);
        AssertLabelled<UnitLevel>(Labels.Of);
        AssertLabelled<InboxTab>(Labels.Of);
        AssertLabelled<AccountabilityReason>(Labels.Of);
        AssertLabelled<AccountabilityStatus>(Labels.Of);
    }

    [Theory]
    [InlineData(SupervisionLevel.General, "一般督办")]
    [InlineData(SupervisionLevel.Key, "重点督办")]
    [InlineData(SupervisionLevel.Listed, "挂牌督办")]
    [InlineData(SupervisionLevel.None, "一般督办")] // a matter supervised by hand before any level was set
    public void SupervisionLevel_ReadsAsTheOfficeWritesIt(SupervisionLevel level, string expected) =>
        Assert.Equal(expected, Labels.Of(level));

    [Theory]
    [InlineData(MatterStatus.Assigned, "已受理，待办理")]
    [InlineData(MatterStatus.Returned, "已受理，待办理")] // a citizen does not see the internal hand-back
    [InlineData(MatterStatus.Reported, "办理中（结果审核中）")]
    [InlineData(MatterStatus.Verified, "已办结，待评价")]
    public void PublicStage_IsCoarserThanTheStaffStatus(MatterStatus status, string expected) =>
        Assert.Equal(expected, Labels.ForPublic(status));

    [Fact]
    public void EveryStatus_HasAPublicStage() =>
        Assert.All(Enum.GetValues<MatterStatus>(), s => Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", Labels.ForPublic(s)));

    private static void AssertLabelled<T>(Func<T, string> label) where T : struct, Enum
    {
        var labels = Enum.GetValues<T>().Select(v => (Value: v, Label: label(v))).ToList();
        Assert.All(labels, l => Assert.Matches(@"^\p{IsCJKUnifiedIdeographs}", l.Label));
        Assert.Equal(labels.Count, labels.Select(l => l.Label).Distinct().Count());
    }
}

public sealed class LabelsTests_ZhCN() : LabelsTests(ZhCN);

public sealed class LabelsTests_Invariant() : LabelsTests(Invariant);
