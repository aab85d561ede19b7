using Duban.Calendar;
using Duban.Matters;
using Duban.Reviews;
using Duban.Tests.Matters;
using Duban.TimeLimits;
using FsCheck.Xunit;

namespace Duban.Tests.Reviews;

/// <summary>Random legal histories (the lifecycle's own scenario generator): the counters kept event by event equal the
/// replay of the whole history, never go negative, and hold exactly one entry per milestone of the current lead unit.</summary>
public sealed class MatterFactsPropertyTests
{
    [Property(Arbitrary = [typeof(ScenarioArbitrary)], MaxTest = 300)]
    public void Counters_KeptEventByEvent_EqualTheReplay(Scenario scenario)
    {
        var events = Run(scenario);
        var kept = new FactDelta();
        MatterState? state = null;
        foreach (var e in events)
        {
            var next = state is null ? MatterState.Start(e) : state.Apply(e);
            kept.Add(MatterFacts.ForEvent(state, e, next, WorkingCalendar.China, ReviewRules.Default));
            state = next;
            Assert.All(kept.Entries, entry => Assert.All(entry.Value.Values.ToArray(), v => Assert.True(v >= 0, $"{entry.Key}: {v}")));
        }

        var replayed = MatterFacts.Replay(events, WorkingCalendar.China, ReviewRules.Default);
        var difference = new FactDelta();
        difference.Add(kept);
        difference.Add(replayed, -1);
        Assert.True(difference.IsEmpty);

        // Every transfer is one more unit receiving it; the current lead stands on exactly three milestones (none while returned).
        Assert.Equal(1 + events.Count(e => e.Action == MatterAction.Transfer), kept.Entries.Where(e => e.Key.Role == FactRole.Lead).Sum(e => e.Value[Fact.Assigned]));
        var standing = MatterFacts.Standing(state!, WorkingCalendar.China, ReviewRules.Default);
        var milestoneFacts = StageKinds.Clock.SelectMany(s => Enum.GetValues<StageOutcome>().Select(o => UnitFacts.Outcome(s, o))).ToList();
        Assert.Equal(state!.IsClockSuspended ? 0 : 3,
            standing.Entries.Where(e => e.Key.Role == FactRole.Lead && e.Key.UnitId == state.LeadUnitId).Sum(e => milestoneFacts.Sum(f => e.Value[f])));
    }

    /// <summary>Plays a scenario, each step an action some actor may take now (with the fields it needs).</summary>
    private static List<MatterEvent> Run(Scenario scenario)
    {
        var lifecycle = MatterHarness.Lifecycle;
        var tree = TestUnitTree.Instance;
        var now = scenario.AssignedAt;
        var first = lifecycle.Assign(new AssignCommand(scenario.Kind, TestUnitTree.SupervisionOffice, TestUnitTree.Township, scenario.CoUnits,
            TimeLimitProfile.DefaultName, scenario.Complex, null), Actors.Supervisor, now);
        var events = new List<MatterEvent> { first };
        var state = MatterState.Start(first);
        foreach (var step in scenario.Steps)
        {
            now = now.AddHours(step.AdvanceHours);
            var options = Actors.All.SelectMany(a => lifecycle.AllowedActions(state, a, now, tree).Select(action => (a, action))).ToList();
            if (options.Count == 0)
            {
                continue;
            }

            var (actor, chosen) = options[step.ActionIndex % options.Count];
            var unmet = state.Milestones.FirstOrDefault(m => m.MetAt is null);
            var command = new MatterCommand(chosen)
            {
                Note = "说明",
                Accepted = step.Accepted ?? true,
                Satisfaction = step.Satisfaction ?? Satisfaction.Satisfied,
                TargetUnitId = new long[] { TestUnitTree.Department, TestUnitTree.County, TestUnitTree.Township }
                    .First(u => u != state.LeadUnitId),
                Stage = unmet?.Stage,
                NewDueAt = unmet?.DueAt.AddDays(1 + step.AdvanceHours % 20),
            };
            if (chosen == MatterAction.Extend && unmet is null)
            {
                continue;
            }

            try
            {
                var e = lifecycle.Decide(state, command, actor, now, tree);
                events.Add(e);
                state = state.Apply(e);
            }
            catch (DomainException)
            {
                // A refused step (an extension beyond the limit, say) leaves the history as it was.
            }
        }

        return events;
    }
}
