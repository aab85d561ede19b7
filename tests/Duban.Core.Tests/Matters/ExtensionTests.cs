using Duban.Matters;
using Duban.TimeLimits;

namespace Duban.Tests.Matters;

/// <summary>
/// 延期: assigned Mon 2024-03-04 09:00; acknowledge due 03-06 00:00, feedback 03-08 00:00, completion 03-14 00:00.
/// </summary>
public sealed class ExtensionTests
{
    private static MatterHarness Acknowledged()
    {
        var m = new MatterHarness(MatterKind.Assignment, Parse.Instant("2024-03-04T09:00:00+08:00"));
        m.Do(MatterAction.Acknowledge, Actors.TownshipHandler, "2024-03-04T10:00:00+08:00");
        return m;
    }

    private static void Request(MatterHarness m, Stage stage, string proposed, string now, string? reason = "需协调供电所", Actor? actor = null) =>
        MatterHarness.Lifecycle.CheckExtensionRequest(m.State, stage, Parse.Instant(proposed), reason, actor ?? Actors.TownshipHandler, Parse.Instant(now));

    [Fact]
    public void Request_IsAcceptedAtLeastOneWorkingDayBeforeDue()
    {
        var m = Acknowledged();

        var before = m.State;

        // Completion is due at 24:00 on Wed 03-13; the last working day starts 03-13 00:00.
        var refusal = Record.Exception(() => Request(m, Stage.Complete, "2024-03-20T00:00:00+08:00", "2024-03-12T23:59:00+08:00"));

        Assert.Null(refusal); // accepted: neither 403, 409 nor 400
        Assert.Equal(before, m.State); // and only checked: the deadline moves when the supervisor approves
        Assert.Equal(Parse.Instant("2024-03-14T00:00:00+08:00"), m.State.MilestoneOf(Stage.Complete).DueAt);
    }

    [Theory]
    [InlineData("2024-03-13T00:00:00+08:00", "至少 1 个工作日")] // the last working day has begun
    [InlineData("2024-03-14T08:00:00+08:00", "期限已过")]
    public void Request_TooLate_Is409(string now, string says)
    {
        var error = Assert.Throws<RuleConflictException>(() => Request(Acknowledged(), Stage.Complete, "2024-03-29T00:00:00+08:00", now));

        Assert.Contains(says, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Request_ForAMetMilestone_OrAClosedMatter_Is409()
    {
        var m = Acknowledged();
        Assert.Throws<RuleConflictException>(() => Request(m, Stage.Acknowledge, "2024-03-20T00:00:00+08:00", "2024-03-05T09:00:00+08:00"));

        m.Do(MatterAction.Complete, Actors.TownshipHandler, "2024-03-05T10:00:00+08:00", "已办结");
        Assert.Throws<RuleConflictException>(() => Request(m, Stage.Complete, "2024-03-20T00:00:00+08:00", "2024-03-05T11:00:00+08:00"));
    }

    [Theory]
    [InlineData("2024-03-10T00:00:00+08:00", "需协调", "dueAt")] // earlier than the current deadline
    [InlineData("2026-03-10T00:00:00+08:00", "需协调", "dueAt")] // beyond the maximum
    [InlineData("2024-03-20T00:00:00+08:00", "  ", "reason")]
    public void Request_WithABadDateOrNoReason_Is400(string proposed, string reason, string field)
    {
        var error = Assert.Throws<ValidationFailedException>(() =>
            Request(Acknowledged(), Stage.Complete, proposed, "2024-03-05T09:00:00+08:00", reason));

        Assert.Equal([field], error.Errors.Keys);
    }

    [Fact]
    public void Request_ByAnyoneButTheLeadUnit_IsForbidden()
    {
        Assert.Throws<ForbiddenException>(() =>
            Request(Acknowledged(), Stage.Complete, "2024-03-20T00:00:00+08:00", "2024-03-05T09:00:00+08:00", actor: Actors.Supervisor));
    }

    [Fact]
    public void Approval_MovesTheMilestone_AndCountsCompletionWithinExtensionApart()
    {
        var m = Acknowledged();

        m.Do(new MatterCommand(MatterAction.Extend) { Stage = Stage.Complete, NewDueAt = Parse.Instant("2024-03-21T00:00:00+08:00"), Note = "同意" },
            Actors.Supervisor, Parse.Instant("2024-03-06T10:00:00+08:00"));
        var complete = m.State.MilestoneOf(Stage.Complete);

        Assert.Equal(Parse.Instant("2024-03-21T00:00:00+08:00"), complete.DueAt);
        Assert.Equal(Parse.Instant("2024-03-14T00:00:00+08:00"), complete.OriginalDueAt);
        Assert.Equal(Parse.Instant("2024-03-20T00:00:00+08:00"), complete.DueSoonAt); // last working day before the new deadline
        m.Do(MatterAction.Complete, Actors.TownshipHandler, "2024-03-18T10:00:00+08:00", "已办结");
        Assert.Equal(MilestoneStatus.MetWithinExtension, m.State.MilestoneOf(Stage.Complete).StatusAt(Parse.Instant("2024-04-01T00:00:00+08:00")));
        Assert.Equal(m.State, MatterState.Replay(m.Events));
    }

    [Fact]
    public void ExtendingFeedback_RebasesCompletionByTheSameWorkingDays()
    {
        var m = Acknowledged();

        // Feedback 03-08 00:00 (last day Thu 03-07) → 03-12 00:00 (last day Mon 03-11): two working days later.
        m.Do(new MatterCommand(MatterAction.Extend) { Stage = Stage.Feedback, NewDueAt = Parse.Instant("2024-03-12T00:00:00+08:00") },
            Actors.Supervisor, Parse.Instant("2024-03-05T10:00:00+08:00"));

        Assert.Equal(Parse.Instant("2024-03-12T00:00:00+08:00"), m.State.MilestoneOf(Stage.Feedback).DueAt);
        Assert.Equal(Parse.Instant("2024-03-16T00:00:00+08:00"), m.State.MilestoneOf(Stage.Complete).DueAt); // Wed 13 + 2 → Fri 15
        Assert.Equal(Parse.Instant("2024-03-14T00:00:00+08:00"), m.State.MilestoneOf(Stage.Complete).OriginalDueAt);
        Assert.Equal(Parse.Instant("2024-03-06T00:00:00+08:00"), m.State.MilestoneOf(Stage.Acknowledge).DueAt); // earlier stage untouched
    }

    [Fact]
    public void Approval_ByTheLeadUnit_IsForbidden_AndAnEarlierDateIsRefused()
    {
        var m = Acknowledged();

        Assert.Throws<ForbiddenException>(() => m.Decide(
            new MatterCommand(MatterAction.Extend) { Stage = Stage.Complete, NewDueAt = Parse.Instant("2024-03-21T00:00:00+08:00") },
            Actors.TownshipHandler, "2024-03-06T10:00:00+08:00"));
        Assert.Throws<ValidationFailedException>(() => m.Decide(
            new MatterCommand(MatterAction.Extend) { Stage = Stage.Complete, NewDueAt = Parse.Instant("2024-03-10T00:00:00+08:00") },
            Actors.Supervisor, "2024-03-06T10:00:00+08:00"));
    }
}
