using Duban.Calendar;
using Duban.Matters;
using Duban.TimeLimits;

namespace Duban.Reviews;

/// <summary>
/// What a matter's history contributes to the per-unit, per-day counters (docs/METRICS.md). Two parts:
/// <list type="bullet">
/// <item>the <b>standing</b> part, a function of the current state: each milestone filed under its due date with its
/// outcome so far (met on time, within an extension, late, or pending), and the completion's working days, speed-up and
/// resolution;</item>
/// <item>the <b>event</b> part, never retracted: who received, returned, transferred, redid and was rated, and the
/// final outcome of a milestone an event took away from a unit (退回, 转办, 不满意, 重新办理).</item>
/// </list>
/// An event changes the counters by <c>Standing(after) − Standing(before) + Event(e)</c>, so a history's counters are
/// <c>Standing(final) + Σ Event(e)</c> whichever way they are summed.
/// </summary>
public static class MatterFacts
{
    /// <summary>The counters one event changes, given the states on either side of it.</summary>
    public static FactDelta ForEvent(MatterState? before, MatterEvent e, MatterState after, WorkingCalendar calendar, ReviewRules rules)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(after);
        var delta = Standing(after, calendar, rules);
        if (before is not null)
        {
            delta.Add(Standing(before, calendar, rules), -1);
        }

        delta.Add(EventPart(before, e, after, calendar, rules));
        return delta;
    }

    /// <summary>The counters a whole history adds up to (<c>duban report rebuild</c>).</summary>
    /// <exception cref="InvalidOperationException">The history is not a legal one.</exception>
    public static FactDelta Replay(IEnumerable<MatterEvent> events, WorkingCalendar calendar, ReviewRules rules)
    {
        ArgumentNullException.ThrowIfNull(events);
        var delta = new FactDelta();
        MatterState? state = null;
        foreach (var e in events)
        {
            var next = state is null ? MatterState.Start(e) : state.Apply(e);
            delta.Add(EventPart(state, e, next, calendar, rules));
            state = next;
        }

        if (state is not null)
        {
            delta.Add(Standing(state, calendar, rules));
        }

        return delta;
    }

    /// <summary>The standing part: every milestone of the current lead unit under its due date. A returned matter's
    /// clock is stopped, so it stands nowhere until the assigner moves it.</summary>
    public static FactDelta Standing(MatterState state, WorkingCalendar calendar, ReviewRules rules)
    {
        ArgumentNullException.ThrowIfNull(state);
        var delta = new FactDelta();
        if (state.IsClockSuspended)
        {
            return delta;
        }

        var resolved = state.Status is MatterStatus.Verified or MatterStatus.Rated or MatterStatus.Closed;
        foreach (var milestone in state.Milestones.Where(m => m.Stage.IsClock())) // a work item's nodes and reports are not 13710 stages
        {
            File(delta, state, milestone, OutcomeOf(milestone), resolved && milestone.MetAt is not null, calendar, rules);
        }

        return delta;
    }

    /// <summary>How a milestone stands: pending, or met on time, within an extension, or late.</summary>
    public static StageOutcome OutcomeOf(Milestone milestone)
    {
        ArgumentNullException.ThrowIfNull(milestone);
        return milestone.MetAt switch
        {
            null => StageOutcome.Pending,
            { } met when met <= (milestone.OriginalDueAt ?? milestone.DueAt) => StageOutcome.OnTime,
            { } met when met <= milestone.DueAt => StageOutcome.WithinExtension,
            _ => StageOutcome.Late,
        };
    }

    /// <summary>The Beijing date a due instant is filed under: 24:00 belongs to the day it ends.</summary>
    public static DateOnly DueDay(DateTimeOffset due) => ChinaTime.DateOf(due.AddTicks(-1));

    private static FactDelta EventPart(MatterState? before, MatterEvent e, MatterState after, WorkingCalendar calendar, ReviewRules rules)
    {
        var delta = new FactDelta();
        var day = ChinaTime.DateOf(e.At);
        var lead = new FactKey(after.LeadUnitId, day, FactRole.Lead);
        switch (e.Action)
        {
            case MatterAction.Assign:
                delta.Count(lead, Fact.Assigned);
                foreach (var co in after.CoUnitIds)
                {
                    delta.Count(new FactKey(co, day, FactRole.Co), Fact.Assigned);
                }

                break;
            case MatterAction.Transfer:
                delta.Count(lead, Fact.Assigned);
                delta.Count(new FactKey(before!.LeadUnitId, day, FactRole.Lead), Fact.TransferredOut);
                Freeze(delta, before, StageKinds.Clock, e.At, calendar, rules);
                break;
            case MatterAction.Return:
                delta.Count(new FactKey(before!.LeadUnitId, day, FactRole.Lead), Fact.Returned);
                Freeze(delta, before, StageKinds.Clock, e.At, calendar, rules);
                break;
            case MatterAction.Verify when e.Data.Accepted != true:
                delta.Count(lead, Fact.Redone);
                break;
            case MatterAction.Rate:
                delta.Count(lead, e.Data.Satisfaction switch
                {
                    Satisfaction.Satisfied => Fact.RatedSatisfied,
                    Satisfaction.Basically => Fact.RatedBasically,
                    _ => Fact.RatedDissatisfied,
                });
                if (e.Data.Satisfaction == Satisfaction.Dissatisfied)
                {
                    delta.Count(lead, Fact.Redone);
                    Freeze(delta, before!, [Stage.Complete], e.At, calendar, rules);
                }

                break;
            case MatterAction.Reopen:
                delta.Count(lead, Fact.Redone);
                Freeze(delta, before!, [Stage.Complete], e.At, calendar, rules);
                break;
        }

        return delta;
    }

    /// <summary>
    /// Keeps, for good, the outcome of milestones an event takes away from a unit: a met one as it was met (not resolved:
    /// the matter came back or moved), an unmet one as late when its due instant had passed, and nothing when it had not
    /// (the unit was not yet behind). A returned matter's milestones were kept when it was returned.
    /// </summary>
    private static void Freeze(FactDelta delta, MatterState before, IReadOnlyList<Stage> stages, DateTimeOffset at,
        WorkingCalendar calendar, ReviewRules rules)
    {
        if (before.IsClockSuspended)
        {
            return;
        }

        foreach (var milestone in before.Milestones.Where(m => stages.Contains(m.Stage)))
        {
            var outcome = OutcomeOf(milestone);
            if (outcome == StageOutcome.Pending)
            {
                if (milestone.DueAt > at)
                {
                    continue;
                }

                outcome = StageOutcome.Late;
            }

            File(delta, before, milestone, outcome, resolved: false, calendar, rules);
        }
    }

    private static void File(FactDelta delta, MatterState state, Milestone milestone, StageOutcome outcome, bool resolved,
        WorkingCalendar calendar, ReviewRules rules)
    {
        var day = DueDay(milestone.DueAt);
        var fact = UnitFacts.Outcome(milestone.Stage, outcome);
        var lead = new FactKey(state.LeadUnitId, day, FactRole.Lead);
        delta.Count(lead, fact);
        if (milestone.Stage != Stage.Complete)
        {
            return;
        }

        (int WorkingDays, bool SpedUp)? completion = milestone.MetAt is { } met ? Completion(state, milestone, met, calendar, rules) : null;
        File(delta, lead, completion, resolved);
        foreach (var co in state.CoUnitIds)
        {
            var key = new FactKey(co, day, FactRole.Co);
            delta.Count(key, fact);
            File(delta, key, completion, resolved);
        }
    }

    private static void File(FactDelta delta, FactKey key, (int WorkingDays, bool SpedUp)? completion, bool resolved)
    {
        if (completion is not { } c)
        {
            return;
        }

        delta.Count(key, Fact.CompletionWorkingDays, c.WorkingDays);
        if (c.SpedUp)
        {
            delta.Count(key, Fact.SpedUp);
        }

        if (resolved)
        {
            delta.Count(key, Fact.Resolved);
        }
    }

    /// <summary>Working days from the start of handling to the completion, and whether that was within the speed-up
    /// share of the working days the original limit allowed.</summary>
    private static (int WorkingDays, bool SpedUp) Completion(MatterState state, Milestone milestone, DateTimeOffset met,
        WorkingCalendar calendar, ReviewRules rules)
    {
        var start = ChinaTime.DateOf(state.HandlingSince ?? state.AssignedAt);
        var used = Math.Max(0, calendar.WorkingDaysBetween(start, ChinaTime.DateOf(met)));
        var allowed = Math.Max(0, calendar.WorkingDaysBetween(start, DueDay(milestone.OriginalDueAt ?? milestone.DueAt)));
        return (used, used <= allowed * rules.SpeedUpShare);
    }
}

/// <summary>Settings of the counters.</summary>
/// <param name="SpeedUpShare">A completion counts as 提速 when it used no more than this share of the working days its
/// original limit allowed (0.5: within 3 of 13710's 7).</param>
public sealed record ReviewRules(double SpeedUpShare = 0.5)
{
    /// <summary>The defaults.</summary>
    public static ReviewRules Default { get; } = new();
}
