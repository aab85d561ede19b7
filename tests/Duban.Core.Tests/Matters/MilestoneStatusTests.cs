using Duban.Matters;
using Duban.TimeLimits;

namespace Duban.Tests.Matters;

public sealed class MilestoneStatusTests
{
    // Acknowledge milestone of a matter assigned Mon 2024-03-04 09:00: due 03-06 00:00, due-soon from 03-05 20:00.
    private static readonly Milestone Acknowledge = new(Stage.Acknowledge,
        Parse.Instant("2024-03-06T00:00:00+08:00"), Parse.Instant("2024-03-05T20:00:00+08:00"), false, null);

    [Theory]
    [InlineData("2024-03-04T09:00:00+08:00", MilestoneStatus.Pending)]
    [InlineData("2024-03-05T19:59:59+08:00", MilestoneStatus.Pending)]
    [InlineData("2024-03-05T20:00:00+08:00", MilestoneStatus.DueSoon)]
    [InlineData("2024-03-05T23:59:59+08:00", MilestoneStatus.DueSoon)]
    [InlineData("2024-03-05T15:59:59Z", MilestoneStatus.DueSoon)]
    [InlineData("2024-03-06T00:00:00+08:00", MilestoneStatus.DueSoon)] // 24:00 itself is still in time, as for a met one
    [InlineData("2024-03-06T00:00:01+08:00", MilestoneStatus.Overdue)]
    [InlineData("2024-03-20T00:00:00+08:00", MilestoneStatus.Overdue)]
    public void StatusAt_Unmet_DependsOnTheInstant(string now, MilestoneStatus expected)
    {
        Assert.Equal(expected, Acknowledge.StatusAt(Parse.Instant(now)));
    }

    [Theory]
    [InlineData("2024-03-04T15:00:00+08:00", MilestoneStatus.MetOnTime)]
    [InlineData("2024-03-05T23:30:00+08:00", MilestoneStatus.MetOnTime)] // inside the due-soon window
    [InlineData("2024-03-06T00:00:00+08:00", MilestoneStatus.MetOnTime)] // 24:00 of the last day is still in time
    [InlineData("2024-03-06T09:00:00+08:00", MilestoneStatus.MetLate)]
    public void StatusAt_Met_IsOnTimeOrLate_WhateverTheInstantOrSuspension(string metAt, MilestoneStatus expected)
    {
        var met = Acknowledge with { MetAt = Parse.Instant(metAt) };

        Assert.Equal(expected, met.StatusAt(Parse.Instant("2024-03-05T00:00:00+08:00")));
        Assert.Equal(expected, met.StatusAt(Parse.Instant("2024-04-01T00:00:00+08:00")));
        Assert.Equal(expected, met.StatusAt(Parse.Instant("2024-04-01T00:00:00+08:00"), suspended: true));
    }

    [Fact]
    public void StatusAt_Unmet_IsSuspendedWhileTheClockIsStopped()
    {
        Assert.Equal(MilestoneStatus.Suspended, Acknowledge.StatusAt(Parse.Instant("2024-03-04T10:00:00+08:00"), suspended: true));
        Assert.Equal(MilestoneStatus.Suspended, Acknowledge.StatusAt(Parse.Instant("2024-03-20T00:00:00+08:00"), suspended: true));
    }

    [Fact]
    public void StatusAt_OfALifecycleMatter_FollowsItsMilestones()
    {
        var m = new MatterHarness(MatterKind.Assignment, Parse.Instant("2024-03-04T09:00:00+08:00"));
        MilestoneStatus At(Stage stage, string now) => m.State.MilestoneOf(stage).StatusAt(Parse.Instant(now), m.State.IsClockSuspended);

        Assert.Equal(MilestoneStatus.Pending, At(Stage.Feedback, "2024-03-06T23:59:00+08:00"));
        Assert.Equal(MilestoneStatus.DueSoon, At(Stage.Feedback, "2024-03-07T00:00:00+08:00"));
        Assert.Equal(MilestoneStatus.Overdue, At(Stage.Acknowledge, "2024-03-06T09:00:00+08:00"));

        m.Do(MatterAction.Acknowledge, Actors.TownshipHandler, "2024-03-06T09:00:00+08:00"); // late
        m.Do(MatterAction.Feedback, Actors.TownshipHandler, "2024-03-07T09:00:00+08:00", "进展"); // on time

        Assert.Equal(MilestoneStatus.MetLate, At(Stage.Acknowledge, "2024-03-07T10:00:00+08:00"));
        Assert.Equal(MilestoneStatus.MetOnTime, At(Stage.Feedback, "2024-03-07T10:00:00+08:00"));
        Assert.Equal(MilestoneStatus.Pending, At(Stage.Complete, "2024-03-07T10:00:00+08:00"));
        Assert.Equal(MilestoneStatus.DueSoon, At(Stage.Complete, "2024-03-13T10:00:00+08:00"));
        Assert.Equal(MilestoneStatus.Overdue, At(Stage.Complete, "2024-03-14T10:00:00+08:00"));
    }
}
