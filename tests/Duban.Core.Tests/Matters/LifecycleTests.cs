using Duban.Matters;
using Duban.TimeLimits;

namespace Duban.Tests.Matters;

/// <summary>
/// Example runs of the lifecycle. Assigned Mon 2024-03-04 09:00 (+08:00) on the 13710 profile; March 2024 has no
/// holidays, so acknowledge is due 03-06 00:00, feedback 03-08 00:00, completion 03-14 00:00.
/// </summary>
public sealed class LifecycleTests
{
    private const string AssignedAt = "2024-03-04T09:00:00+08:00";

    private static MatterHarness NewMatter(MatterKind kind = MatterKind.Assignment, IReadOnlyList<long>? coUnits = null) =>
        new(kind, Parse.Instant(AssignedAt), coUnits);

    /// <summary>Assigned, acknowledged, fed back, reported and accepted on 2024-03-11 10:00.</summary>
    private static MatterHarness Verified(MatterKind kind)
    {
        var m = NewMatter(kind);
        m.Do(MatterAction.Acknowledge, Actors.TownshipHandler, "2024-03-04T15:00:00+08:00");
        m.Do(MatterAction.Feedback, Actors.TownshipHandler, "2024-03-06T10:00:00+08:00", "已开展排查");
        m.Do(MatterAction.Complete, Actors.TownshipHandler, "2024-03-08T10:00:00+08:00", "已办结");
        m.Do(new MatterCommand(MatterAction.Verify) { Accepted = true }, Actors.Supervisor, Parse.Instant("2024-03-11T10:00:00+08:00"));
        return m;
    }

    [Fact]
    public void Assignment_RunsFromAssignToClose()
    {
        var m = NewMatter();
        Assert.Equal(MatterStatus.Assigned, m.State.Status);

        m.Do(MatterAction.Acknowledge, Actors.TownshipHandler, "2024-03-04T15:00:00+08:00");
        Assert.Equal(MatterStatus.Acknowledged, m.State.Status);
        Assert.Equal(Parse.Instant("2024-03-04T15:00:00+08:00"), m.State.MilestoneOf(Stage.Acknowledge).MetAt);

        m.Do(MatterAction.Feedback, Actors.TownshipHandler, "2024-03-06T10:00:00+08:00", "已开展排查");
        Assert.Equal(MatterStatus.Acknowledged, m.State.Status);
        Assert.Equal(Parse.Instant("2024-03-06T10:00:00+08:00"), m.State.MilestoneOf(Stage.Feedback).MetAt);

        m.Do(MatterAction.Complete, Actors.TownshipHandler, "2024-03-11T10:00:00+08:00", "已办结");
        Assert.Equal(MatterStatus.Reported, m.State.Status);
        Assert.Equal(Parse.Instant("2024-03-11T10:00:00+08:00"), m.State.MilestoneOf(Stage.Complete).MetAt);

        m.Do(new MatterCommand(MatterAction.Verify) { Accepted = true }, Actors.Supervisor, Parse.Instant("2024-03-12T10:00:00+08:00"));
        Assert.Equal(MatterStatus.Verified, m.State.Status);
        Assert.Equal(Parse.Instant("2024-03-12T10:00:00+08:00"), m.State.VerifiedAt);

        // An assignment needs no follow-up rating: it may be closed at once.
        m.Do(MatterAction.Close, Actors.Supervisor, "2024-03-12T11:00:00+08:00");
        Assert.Equal(MatterStatus.Closed, m.State.Status);
        Assert.Equal(Parse.Instant("2024-03-12T11:00:00+08:00"), m.State.ClosedAt);

        Assert.Equal([1, 2, 3, 4, 5, 6], m.Events.Select(e => e.Sequence));
        Assert.Equal(
            [MatterAction.Assign, MatterAction.Acknowledge, MatterAction.Feedback, MatterAction.Complete, MatterAction.Verify, MatterAction.Close],
            m.Events.Select(e => e.Action));
        Assert.Equal(6, m.State.Version);
        Assert.Equal(m.State, MatterState.Replay(m.Events));
        Assert.All(m.State.Milestones, ms => Assert.Equal(MilestoneStatus.MetOnTime, ms.StatusAt(Parse.Instant("2024-04-01T00:00:00+08:00"))));
    }

    [Fact]
    public void Assign_SchedulesThe13710Milestones()
    {
        var state = NewMatter().State;

        Assert.Equal(Parse.Instant("2024-03-06T00:00:00+08:00"), state.MilestoneOf(Stage.Acknowledge).DueAt);
        Assert.Equal(Parse.Instant("2024-03-08T00:00:00+08:00"), state.MilestoneOf(Stage.Feedback).DueAt);
        Assert.Equal(Parse.Instant("2024-03-14T00:00:00+08:00"), state.MilestoneOf(Stage.Complete).DueAt);
        Assert.All(state.Milestones, ms => Assert.Null(ms.MetAt));
        Assert.Equal(TestUnitTree.Township, state.LeadUnitId);
        Assert.Equal(TestUnitTree.SupervisionOffice, state.AssignerUnitId);
        Assert.Equal(Parse.Instant(AssignedAt), state.AssignedAt);
    }

    [Fact]
    public void Appeal_CannotBeClosedRightAfterVerify()
    {
        var m = Verified(MatterKind.Appeal);

        var ex = Assert.Throws<InvalidTransitionException>(() =>
            m.Decide(new MatterCommand(MatterAction.Close), Actors.Supervisor, "2024-03-11T11:00:00+08:00"));
        Assert.Equal(MatterStatus.Verified, ex.Status);
        Assert.Contains(MatterAction.Rate, ex.Allowed);
        Assert.DoesNotContain(MatterAction.Close, ex.Allowed);
    }

    [Fact]
    public void Appeal_CanBeClosedOnceRated()
    {
        var m = Verified(MatterKind.Appeal);

        m.Do(new MatterCommand(MatterAction.Rate) { Satisfaction = Satisfaction.Satisfied }, Actors.Supervisor,
            Parse.Instant("2024-03-11T14:00:00+08:00"));
        Assert.Equal(MatterStatus.Rated, m.State.Status);
        Assert.Equal(Satisfaction.Satisfied, m.State.Satisfaction);

        m.Do(MatterAction.Close, Actors.Supervisor, "2024-03-11T15:00:00+08:00");
        Assert.Equal(MatterStatus.Closed, m.State.Status);
    }

    [Fact]
    public void Appeal_CanBeClosedUnratedOnlyAfterTheFiveWorkingDayRatingWindow()
    {
        // Verified Mon 03-11: the window runs through 03-12, 13, 14, 15, 18 and ends at 03-19 00:00.
        var m = Verified(MatterKind.Appeal);

        Assert.DoesNotContain(MatterAction.Close, m.Allowed(Actors.Supervisor, "2024-03-18T23:59:59+08:00"));
        Assert.Throws<InvalidTransitionException>(() =>
            m.Decide(new MatterCommand(MatterAction.Close), Actors.Supervisor, "2024-03-18T23:59:59+08:00"));

        Assert.Contains(MatterAction.Close, m.Allowed(Actors.Supervisor, "2024-03-19T00:00:00+08:00"));
        m.Do(MatterAction.Close, Actors.Supervisor, "2024-03-19T00:00:00+08:00");
        Assert.Equal(MatterStatus.Closed, m.State.Status);
        Assert.Null(m.State.Satisfaction);
    }

    [Fact]
    public void Acknowledge_ByAHandlerOfANonLeadUnit_IsForbidden()
    {
        var m = NewMatter(coUnits: [TestUnitTree.Department]);

        Assert.Throws<ForbiddenException>(() =>
            m.Decide(new MatterCommand(MatterAction.Acknowledge), Actors.DepartmentHandler, "2024-03-04T10:00:00+08:00"));
        // A co-handling unit sends its part as files, and takes no step of the lifecycle.
        Assert.Equal([MatterAction.Attach], m.Allowed(Actors.DepartmentHandler, "2024-03-04T10:00:00+08:00"));
    }

    [Fact]
    public void Verify_ByTheLeadUnit_IsForbidden()
    {
        var m = NewMatter();
        m.Do(MatterAction.Acknowledge, Actors.TownshipHandler, "2024-03-04T15:00:00+08:00");
        m.Do(MatterAction.Complete, Actors.TownshipHandler, "2024-03-05T15:00:00+08:00", "已办结");

        Assert.Throws<ForbiddenException>(() =>
            m.Decide(new MatterCommand(MatterAction.Verify) { Accepted = true }, Actors.TownshipHandler, "2024-03-05T16:00:00+08:00"));
    }

    [Fact]
    public void Complete_BeforeAcknowledge_IsAnInvalidTransitionListingWhatIsAllowed()
    {
        var m = NewMatter();

        var ex = Assert.Throws<InvalidTransitionException>(() =>
            m.Decide(new MatterCommand(MatterAction.Complete) { Note = "已办结" }, Actors.TownshipHandler, "2024-03-04T10:00:00+08:00"));

        Assert.Equal(MatterAction.Complete, ex.Action);
        Assert.Equal(MatterStatus.Assigned, ex.Status);
        Assert.Contains(MatterAction.Acknowledge, ex.Allowed);
        Assert.Contains(MatterAction.Return, ex.Allowed);
        Assert.DoesNotContain(MatterAction.Complete, ex.Allowed);
        Assert.Contains("签收", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_RefusesAssignOnAnExistingMatter()
    {
        var m = NewMatter();

        Assert.Throws<InvalidTransitionException>(() =>
            m.Decide(new MatterCommand(MatterAction.Assign), Actors.Supervisor, "2024-03-04T10:00:00+08:00"));
    }

    [Fact]
    public void Verify_RejectedWithoutNote_FailsValidationOnNote()
    {
        var m = NewMatter();
        m.Do(MatterAction.Acknowledge, Actors.TownshipHandler, "2024-03-04T15:00:00+08:00");
        m.Do(MatterAction.Complete, Actors.TownshipHandler, "2024-03-05T15:00:00+08:00", "已办结");

        var ex = Assert.Throws<ValidationFailedException>(() =>
            m.Decide(new MatterCommand(MatterAction.Verify) { Accepted = false, Note = "  " }, Actors.Supervisor, "2024-03-05T16:00:00+08:00"));
        Assert.Equal(["note"], ex.Errors.Keys);

        var noChoice = Assert.Throws<ValidationFailedException>(() =>
            m.Decide(new MatterCommand(MatterAction.Verify), Actors.Supervisor, "2024-03-05T16:00:00+08:00"));
        Assert.Equal(["accepted"], noChoice.Errors.Keys);
    }

    [Fact]
    public void Verify_Rejected_GoesBackToHandlingAndUnmeetsCompletion()
    {
        var m = NewMatter();
        m.Do(MatterAction.Acknowledge, Actors.TownshipHandler, "2024-03-04T15:00:00+08:00");
        m.Do(MatterAction.Complete, Actors.TownshipHandler, "2024-03-05T15:00:00+08:00", "已办结");
        var feedbackMet = m.State.MilestoneOf(Stage.Feedback).MetAt;

        m.Do(new MatterCommand(MatterAction.Verify) { Accepted = false, Note = "材料不全" }, Actors.Supervisor,
            Parse.Instant("2024-03-05T16:00:00+08:00"));

        Assert.Equal(MatterStatus.Acknowledged, m.State.Status);
        Assert.Null(m.State.MilestoneOf(Stage.Complete).MetAt);
        Assert.Equal(Parse.Instant("2024-03-14T00:00:00+08:00"), m.State.MilestoneOf(Stage.Complete).DueAt); // unchanged
        Assert.Equal(Parse.Instant("2024-03-05T15:00:00+08:00"), feedbackMet); // completion also counts as feedback
        Assert.Equal(feedbackMet, m.State.MilestoneOf(Stage.Feedback).MetAt);
        Assert.Equal("材料不全", m.Events[^1].Note);
        Assert.Null(m.State.VerifiedAt);
    }

    [Fact]
    public void Rate_Dissatisfied_ReopensWithCompletionCountedFromTheRating()
    {
        var m = Verified(MatterKind.Appeal);

        // Rated Fri 03-15 16:00: 7 working days are 03-18…03-22, 03-25, 03-26 → due 03-27 00:00.
        m.Do(new MatterCommand(MatterAction.Rate) { Satisfaction = Satisfaction.Dissatisfied }, Actors.Supervisor,
            Parse.Instant("2024-03-15T16:00:00+08:00"));

        Assert.Equal(MatterStatus.Acknowledged, m.State.Status);
        Assert.Equal(1, m.State.ReopenCount);
        Assert.Equal(1, m.State.DissatisfiedCount);
        Assert.Equal(Satisfaction.Dissatisfied, m.State.Satisfaction);
        Assert.Null(m.State.VerifiedAt);
        var complete = m.State.MilestoneOf(Stage.Complete);
        Assert.Null(complete.MetAt);
        Assert.Equal(Parse.Instant("2024-03-27T00:00:00+08:00"), complete.DueAt);
        Assert.Equal(Parse.Instant("2024-03-26T00:00:00+08:00"), complete.DueSoonAt);
        Assert.NotNull(m.State.MilestoneOf(Stage.Acknowledge).MetAt); // earlier stages stay met
    }

    [Fact]
    public void Rate_WithoutSatisfaction_FailsValidation()
    {
        var m = Verified(MatterKind.Appeal);

        var ex = Assert.Throws<ValidationFailedException>(() =>
            m.Decide(new MatterCommand(MatterAction.Rate), Actors.Supervisor, "2024-03-12T10:00:00+08:00"));
        Assert.Equal(["satisfaction"], ex.Errors.Keys);
    }

    [Fact]
    public void Transfer_KeepsOtherCoUnits_ReschedulesEverythingFromNow_AndAwaitsAcknowledgement()
    {
        var m = NewMatter(coUnits: [TestUnitTree.Department, TestUnitTree.County]);
        m.Do(MatterAction.Acknowledge, Actors.TownshipHandler, "2024-03-04T15:00:00+08:00");

        // Transferred Wed 03-06 11:00 to department 3, which was a co-unit.
        var e = m.Do(new MatterCommand(MatterAction.Transfer) { TargetUnitId = TestUnitTree.Department, Note = "职能调整" },
            Actors.Supervisor, Parse.Instant("2024-03-06T11:00:00+08:00"));

        Assert.Equal(TestUnitTree.Township, e.Data.FromUnitId);
        Assert.Equal(MatterStatus.Assigned, m.State.Status);
        Assert.Equal(TestUnitTree.Department, m.State.LeadUnitId);
        Assert.Equal([TestUnitTree.County], m.State.CoUnitIds);
        Assert.Equal(Parse.Instant("2024-03-08T00:00:00+08:00"), m.State.MilestoneOf(Stage.Acknowledge).DueAt); // 03-07
        Assert.Equal(Parse.Instant("2024-03-12T00:00:00+08:00"), m.State.MilestoneOf(Stage.Feedback).DueAt);    // 03-07, 08, 11
        Assert.Equal(Parse.Instant("2024-03-16T00:00:00+08:00"), m.State.MilestoneOf(Stage.Complete).DueAt);    // …03-15
        Assert.All(m.State.Milestones, ms => Assert.Null(ms.MetAt));

        // The new lead acknowledges; the old one no longer may.
        Assert.Throws<ForbiddenException>(() =>
            m.Decide(new MatterCommand(MatterAction.Acknowledge), Actors.TownshipHandler, "2024-03-06T12:00:00+08:00"));
        m.Do(MatterAction.Acknowledge, Actors.DepartmentHandler, "2024-03-06T12:00:00+08:00");
        Assert.Equal(MatterStatus.Acknowledged, m.State.Status);
        Assert.Equal(m.State, MatterState.Replay(m.Events));
    }

    [Theory]
    [InlineData(null, "理由", "unit")]
    [InlineData(TestUnitTree.Township, "理由", "unit")]
    [InlineData(TestUnitTree.Department, null, "reason")]
    public void Transfer_WithoutATargetOrReason_FailsValidation(long? target, string? note, string key)
    {
        var m = NewMatter();

        var ex = Assert.Throws<ValidationFailedException>(() =>
            m.Decide(new MatterCommand(MatterAction.Transfer) { TargetUnitId = target, Note = note }, Actors.Supervisor,
                "2024-03-04T10:00:00+08:00"));
        Assert.Equal([key], ex.Errors.Keys);
    }

    [Fact]
    public void Return_SuspendsTheClock_AndOnlyTransferRemains()
    {
        var m = NewMatter();
        m.Do(MatterAction.Return, Actors.TownshipHandler, "2024-03-04T16:00:00+08:00", "不属于本单位职责");

        Assert.Equal(MatterStatus.Returned, m.State.Status);
        Assert.True(m.State.IsClockSuspended);
        var longAfter = Parse.Instant("2024-04-30T00:00:00+08:00");
        Assert.All(m.State.Milestones, ms => Assert.Equal(MilestoneStatus.Suspended, ms.StatusAt(longAfter, m.State.IsClockSuspended)));
        // Of the lifecycle's steps only transfer remains; files may still be added (a returning unit's reasons, say).
        Assert.Equal([MatterAction.Transfer, MatterAction.Attach], m.Allowed(Actors.Supervisor, "2024-03-04T17:00:00+08:00"));
        Assert.Equal([MatterAction.Attach], m.Allowed(Actors.TownshipHandler, "2024-03-04T17:00:00+08:00"));

        m.Do(new MatterCommand(MatterAction.Transfer) { TargetUnitId = TestUnitTree.County, Note = "改派" }, Actors.Supervisor,
            Parse.Instant("2024-03-05T09:00:00+08:00"));
        Assert.False(m.State.IsClockSuspended);
        Assert.Equal(MatterStatus.Assigned, m.State.Status);
    }

    [Fact]
    public void Return_WithoutReason_FailsValidation()
    {
        var m = NewMatter();

        var ex = Assert.Throws<ValidationFailedException>(() =>
            m.Decide(new MatterCommand(MatterAction.Return), Actors.TownshipHandler, "2024-03-04T16:00:00+08:00"));
        Assert.Equal(["reason"], ex.Errors.Keys);
    }

    [Fact]
    public void Complete_WithATooLongResult_FailsValidationOnResult()
    {
        var m = NewMatter();
        m.Do(MatterAction.Acknowledge, Actors.TownshipHandler, "2024-03-04T15:00:00+08:00");

        var ex = Assert.Throws<ValidationFailedException>(() =>
            m.Decide(new MatterCommand(MatterAction.Complete) { Note = new string('办', 4001) }, Actors.TownshipHandler,
                "2024-03-05T10:00:00+08:00"));
        Assert.Equal(["result"], ex.Errors.Keys);
    }

    [Fact]
    public void Reopen_AfterClose_RestartsCompletionFromNow()
    {
        var m = Verified(MatterKind.Assignment);
        m.Do(MatterAction.Close, Actors.Supervisor, "2024-03-11T11:00:00+08:00");

        Assert.Throws<ValidationFailedException>(() =>
            m.Decide(new MatterCommand(MatterAction.Reopen), Actors.CityLeader, "2024-03-12T10:00:00+08:00"));
        m.Do(MatterAction.Reopen, Actors.CityLeader, "2024-03-12T10:00:00+08:00", "群众再次反映");

        Assert.Equal(MatterStatus.Acknowledged, m.State.Status);
        Assert.Null(m.State.ClosedAt);
        Assert.Null(m.State.VerifiedAt);
        Assert.Equal(1, m.State.ReopenCount);
        Assert.Null(m.State.MilestoneOf(Stage.Complete).MetAt);
        Assert.Equal(Parse.Instant("2024-03-22T00:00:00+08:00"), m.State.MilestoneOf(Stage.Complete).DueAt); // 03-13…03-21
    }

    [Fact]
    public void Decide_WithAStaleVersion_IsAConcurrencyConflict()
    {
        var m = NewMatter();
        m.Do(MatterAction.Acknowledge, Actors.TownshipHandler, "2024-03-04T15:00:00+08:00");

        var ex = Assert.Throws<ConcurrencyConflictException>(() =>
            m.Decide(new MatterCommand(MatterAction.Feedback) { Note = "进展", ExpectedVersion = 1 }, Actors.TownshipHandler,
                "2024-03-04T16:00:00+08:00"));
        Assert.Equal(1, ex.Expected);
        Assert.Equal(2, ex.Actual);

        var e = m.Decide(new MatterCommand(MatterAction.Feedback) { Note = "进展", ExpectedVersion = 2 }, Actors.TownshipHandler,
            "2024-03-04T16:00:00+08:00");
        Assert.Equal(3, e.Sequence);
    }

    [Fact]
    public void Decide_MakesTheNextEventWithActorTimeAndTrimmedNote()
    {
        var m = NewMatter();
        m.Do(MatterAction.Acknowledge, Actors.TownshipHandler, "2024-03-04T15:00:00+08:00");

        var e = m.Decide(new MatterCommand(MatterAction.Feedback) { Note = "  已走访 3 户  " }, Actors.TownshipHandler,
            "2024-03-05T08:00:00Z");

        Assert.Equal(3, e.Sequence);
        Assert.Equal(MatterAction.Feedback, e.Action);
        Assert.Equal(Parse.Instant("2024-03-05T16:00:00+08:00"), e.At);
        Assert.Equal(Actors.TownshipHandler.Ref, e.Actor);
        Assert.Equal("已走访 3 户", e.Note);
    }

    [Fact]
    public void AccessRules_SupervisorAndCityLeaderAreOnTheAssigningSide_HandlersAreNot()
    {
        var state = NewMatter().State;
        var tree = TestUnitTree.Instance;

        Assert.True(AccessRules.IsAssigningSide(Actors.Supervisor, state, tree));
        Assert.True(AccessRules.IsAssigningSide(Actors.CityLeader, state, tree));
        Assert.True(AccessRules.IsAssigningSide(Actors.Admin, state, tree));
        Assert.False(AccessRules.IsAssigningSide(Actors.TownshipHandler, state, tree));
        Assert.False(AccessRules.IsAssigningSide(Actors.DepartmentHandler, state, tree));
        Assert.True(AccessRules.IsLeadUnit(Actors.TownshipHandler, state));
        Assert.False(AccessRules.IsLeadUnit(Actors.DepartmentHandler, state));
        Assert.Equal(TestUnitTree.City, AccessRules.OversightRoot(Actors.Supervisor, tree));
        Assert.True(AccessRules.CanSee(Actors.CityLeader, state, tree));
        Assert.False(AccessRules.CanSee(Actors.DepartmentHandler, state, tree));
        Assert.True(AccessRules.MayAssign(Actors.CityLeader));
        Assert.False(AccessRules.MayAssign(Actors.TownshipHandler));
    }

    [Fact]
    public void Assign_ByAHandler_IsForbidden()
    {
        Assert.Throws<ForbiddenException>(() => MatterHarness.Lifecycle.Assign(
            new AssignCommand(MatterKind.Assignment, TestUnitTree.Township, TestUnitTree.Township, [], "13710", false, null),
            Actors.TownshipHandler, Parse.Instant(AssignedAt)));
    }

    [Theory]
    [InlineData("nope", new long[0], null, "profile")]
    [InlineData("13710", new long[] { TestUnitTree.Township }, null, "coUnits")]
    [InlineData("13710", new long[] { 3, 3 }, null, "coUnits")]
    [InlineData("13710", new long[0], "2024-03-04T08:00:00+08:00", "dueAt")]
    [InlineData("13710", new long[0], "2030-03-04T08:00:00+08:00", "dueAt")]
    public void Assign_RejectsInvalidSettings(string profile, long[] coUnits, string? completeBy, string key)
    {
        var ex = Assert.Throws<ValidationFailedException>(() => MatterHarness.Lifecycle.Assign(
            new AssignCommand(MatterKind.Assignment, TestUnitTree.SupervisionOffice, TestUnitTree.Township, coUnits, profile, false,
                completeBy is null ? null : Parse.Instant(completeBy)),
            Actors.Supervisor, Parse.Instant(AssignedAt)));

        Assert.Equal([key], ex.Errors.Keys);
    }

    [Fact]
    public void Assign_WithAnExplicitDeadline_CapsAllMilestones()
    {
        var e = MatterHarness.Lifecycle.Assign(
            new AssignCommand(MatterKind.Assignment, TestUnitTree.SupervisionOffice, TestUnitTree.Township, [], "13710", false,
                Parse.Instant("2024-03-04T10:00:00Z")),
            Actors.Supervisor, Parse.Instant(AssignedAt));

        var state = MatterState.Start(e);
        Assert.All(state.Milestones, ms => Assert.Equal(Parse.Instant("2024-03-04T18:00:00+08:00"), ms.DueAt));
    }
}
