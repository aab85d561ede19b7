using Duban.Matters;
using Duban.TimeLimits;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Duban.Tests.Matters;

/// <summary>
/// One random step. <see cref="PickAllowed"/> steers the step to an action some actor may take (chosen by
/// <see cref="ActionIndex"/>) so that runs get deep into the lifecycle; otherwise <see cref="Action"/> by the actor
/// at <see cref="ActorIndex"/> is tried as is.
/// </summary>
public sealed record Step(
    MatterAction Action, bool PickAllowed, int ActionIndex, int ActorIndex, int NoteKind, bool? Accepted,
    Satisfaction? Satisfaction, long? TransferTarget, int AdvanceHours);

/// <summary>A random matter: when it is assigned in 2024, its kind, co-units, complexity, and the steps.</summary>
public sealed record Scenario(DateTimeOffset AssignedAt, MatterKind Kind, long[] CoUnits, bool Complex, Step[] Steps)
{
    public override string ToString() =>
        $"{AssignedAt:o} {Kind} co=[{string.Join(",", CoUnits)}] complex={Complex}\n  "
        + string.Join("\n  ", Steps.Select(s => s.ToString()));
}

public static class ScenarioArbitrary
{
    public static Arbitrary<Scenario> Scenarios()
    {
        var step =
            from action in Gen.Elements(Enum.GetValues<MatterAction>())
            from pickAllowed in Gen.Frequency((3, Gen.Constant(true)), (2, Gen.Constant(false)))
            from actionIndex in Gen.Choose(0, 999)
            from actor in Gen.Choose(0, Actors.All.Count - 1)
            from noteKind in Gen.Frequency((1, Gen.Constant(0)), (1, Gen.Constant(1)), (6, Gen.Constant(2)))
            from accepted in Gen.Elements<bool?>(null, true, true, false)
            from satisfaction in Gen.Elements<Satisfaction?>(null, Satisfaction.Satisfied, Satisfaction.Basically, Satisfaction.Dissatisfied)
            from target in Gen.Elements<long?>(null, 2, 3, 4, 5)
            from hours in Gen.Choose(0, 72)
            select new Step(action, pickAllowed, actionIndex, actor, noteKind, accepted, satisfaction, target, hours);
        var minutesIn2024 = 366 * 24 * 60;
        return Arb.From(
            from minutes in Gen.Choose(0, minutesIn2024 - 1)
            from kind in Gen.Elements(Enum.GetValues<MatterKind>().Where(k => k != MatterKind.Item).ToArray()) // items: Items/ItemPropertyTests
            from co in Gen.Elements(Array.Empty<long>(), [TestUnitTree.Department], [TestUnitTree.Department, TestUnitTree.County])
            from complex in Gen.Elements(true, false)
            from length in Gen.Choose(0, 40)
            from steps in Gen.ArrayOf(step, length)
            select new Scenario(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.FromHours(8)).AddMinutes(minutes), kind, co, complex, steps));
    }
}

public sealed class LifecyclePropertyTests
{
    private static readonly MatterLifecycle Lifecycle = MatterHarness.Lifecycle;

    [Property(Arbitrary = [typeof(ScenarioArbitrary)], MaxTest = 300)]
    public void Lifecycle_RandomRuns_KeepStateEventsAndRulesConsistent(Scenario scenario)
    {
        var tree = TestUnitTree.Instance;
        var now = scenario.AssignedAt;
        var first = Lifecycle.Assign(
            new AssignCommand(scenario.Kind, TestUnitTree.SupervisionOffice, TestUnitTree.Township, scenario.CoUnits,
                TimeLimitProfile.DefaultName, scenario.Complex, null),
            Actors.Supervisor, now);
        var events = new List<MatterEvent> { first };
        var state = MatterState.Start(first);
        CheckInvariants(state, events);

        foreach (var step in scenario.Steps)
        {
            now = now.AddHours(step.AdvanceHours);
            var (actor, action) = step.PickAllowed ? PickAllowed(state, now, step) : (Actors.All[step.ActorIndex], step.Action);
            var allowed = Lifecycle.AllowedActions(state, actor, now, tree);
            var command = new MatterCommand(action)
            {
                Note = step.NoteKind switch { 0 => null, 1 => "   ", _ => "说明" },
                Accepted = step.Accepted,
                Satisfaction = step.Satisfaction,
                TargetUnitId = step.TransferTarget,
                ExpectedVersion = state.Version,
                Stage = step.NoteKind == 0 ? null : Stage.Complete,
                NewDueAt = step.NoteKind == 0 ? null : state.MilestoneOf(Stage.Complete).DueAt.AddDays(step.NoteKind == 1 ? -1 : 3),
                Files = step.NoteKind == 0 ? null : [new Duban.Attachments.AttachedFile("现场照片.jpg", new string('a', 64), 1024, "image/jpeg")],
            };
            var where = $"step {events.Count}: {action} by {actor.Id} at {now:o} in {state.Status}";

            var before = state;
            MatterEvent? made = null;
            DomainException? refused = null;
            try
            {
                made = Lifecycle.Decide(state, command, actor, now, tree);
            }
            catch (DomainException ex)
            {
                refused = ex;
            }

            // (d) Decide succeeds exactly when the action is allowed, for commands with every field filled in.
            var isAllowed = allowed.Contains(action);
            if (IsComplete(command, state))
            {
                Assert.True(isAllowed == (made is not null),
                    $"{where}: allowed={isAllowed} but Decide {(made is null ? "refused: " + refused!.Message : "succeeded")}");
            }
            else if (isAllowed)
            {
                Assert.True(refused is ValidationFailedException, $"{where}: incomplete command gave {refused?.GetType().Name ?? "an event"}");
            }
            else
            {
                Assert.True(refused is not null, $"{where}: not allowed, yet Decide made an event");
            }

            if (made is null)
            {
                Assert.Equal(before, state); // a refusal changes nothing
                continue;
            }

            Assert.Equal(state.Version + 1, made.Sequence);
            Assert.Equal(action, made.Action);
            Assert.Equal(now, made.At);
            Assert.Equal(actor.Ref, made.Actor);
            events.Add(made);
            state = state.Apply(made);
            CheckInvariants(state, events);
        }
    }

    /// <summary>
    /// An (actor, action) pair some actor may take now, chosen by the step's index; going back (transfer, return,
    /// reopen) is weighted down so that runs also reach verification, rating and closing. Falls back to the step's
    /// own actor and action when nobody may do anything.
    /// </summary>
    private static (Actor Actor, MatterAction Action) PickAllowed(MatterState state, DateTimeOffset now, Step step)
    {
        var weighted = (
            from a in Actors.All
            from x in Lifecycle.AllowedActions(state, a, now, TestUnitTree.Instance)
            from copy in Enumerable.Range(0, x is MatterAction.Transfer or MatterAction.Return or MatterAction.Reopen ? 1 : 4)
            select (a, x)).ToList();
        return weighted.Count == 0 ? (Actors.All[step.ActorIndex], step.Action) : weighted[step.ActionIndex % weighted.Count];
    }

    /// <summary>Whether the command carries every field its action needs (note, verdict, rating, a different unit).</summary>
    private static bool IsComplete(MatterCommand c, MatterState state)
    {
        var hasNote = !string.IsNullOrWhiteSpace(c.Note);
        return c.Action switch
        {
            MatterAction.Return or MatterAction.Feedback or MatterAction.Complete or MatterAction.Reopen => hasNote,
            MatterAction.Verify => c.Accepted is true || (c.Accepted is false && hasNote),
            MatterAction.Rate => c.Satisfaction is not null,
            MatterAction.Transfer => hasNote && c.TargetUnitId is { } t && t != state.LeadUnitId,
            MatterAction.Extend => c.Stage is { } s && state.MilestoneOf(s).MetAt is null
                && c.NewDueAt is { } d && d > state.MilestoneOf(s).DueAt,
            MatterAction.Attach => c.Files is { Count: > 0 },
            MatterAction.Assign or MatterAction.Acknowledge or MatterAction.Close or MatterAction.People => true,
            MatterAction.Plan or MatterAction.Meet or MatterAction.Progress => false, // work items only, never allowed here
        };
    }

    private static void CheckInvariants(MatterState state, List<MatterEvent> events)
    {
        var history = string.Join(" → ", events.Select(e => e.Action));

        // (a) the state is the fold of its events
        Assert.Equal(MatterState.Replay(events), state);

        // (b) sequences 1..n without gaps
        Assert.Equal(Enumerable.Range(1, events.Count), events.Select(e => e.Sequence));
        Assert.Equal(events.Count, state.Version);

        // (c) invariants
        Assert.Equal([Stage.Acknowledge, Stage.Feedback, Stage.Complete], state.Milestones.Select(m => m.Stage));
        Assert.All(state.Milestones, m => Assert.True(m.OriginalDueAt is null || m.OriginalDueAt < m.DueAt, $"extension moved a deadline earlier: {history}"));
        if (state.Status == MatterStatus.Closed)
        {
            Assert.True(state.Milestones.All(m => m.MetAt is not null), $"closed with an unmet milestone: {history}");
            Assert.NotNull(state.ClosedAt);
        }
        else
        {
            Assert.Null(state.ClosedAt);
        }

        if (state.Status is MatterStatus.Reported or MatterStatus.Verified or MatterStatus.Rated or MatterStatus.Closed)
        {
            Assert.True(state.MilestoneOf(Stage.Complete).MetAt is not null, $"{state.Status} without completion met: {history}");
            Assert.True(state.MilestoneOf(Stage.Feedback).MetAt is not null, $"{state.Status} without feedback met: {history}");
        }
        else
        {
            Assert.True(state.MilestoneOf(Stage.Complete).MetAt is null, $"{state.Status} with completion met: {history}");
        }

        if (state.Status is not (MatterStatus.Assigned or MatterStatus.Returned))
        {
            Assert.True(state.MilestoneOf(Stage.Acknowledge).MetAt is not null, $"{state.Status} without acknowledgement: {history}");
        }
        else
        {
            Assert.True(state.Milestones.All(m => m.MetAt is null), $"{state.Status} with a met milestone: {history}");
        }

        Assert.DoesNotContain(state.LeadUnitId, state.CoUnitIds);
        Assert.Equal(state.CoUnitIds.Count, state.CoUnitIds.Distinct().Count());
        Assert.Equal(state.Status is MatterStatus.Verified or MatterStatus.Rated or MatterStatus.Closed, state.VerifiedAt is not null);
        Assert.Equal(state.Status == MatterStatus.Returned, state.IsClockSuspended);
        Assert.All(state.Milestones, m => Assert.True(m.DueSoonAt <= m.DueAt, $"{m.Stage}: due-soon after due"));
        Assert.All(state.Milestones, m => Assert.True(m.MetAt is null || m.MetAt <= events[^1].At, $"{m.Stage}: met in the future"));
        Assert.True(state.ReopenCount >= state.DissatisfiedCount);
    }
}
