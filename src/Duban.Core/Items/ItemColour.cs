using Duban.Calendar;
using Duban.Matters;
using Duban.TimeLimits;

namespace Duban.Items;

/// <summary>
/// The three colours (三色督办), pure: <b>red</b> when a node is overdue; else <b>yellow</b> when a report is overdue or
/// the last reported percent lags the expected progress by more than the tolerance; else <b>green</b>. Expected progress
/// = elapsed share of the plan, by calendar days, from the plan's start (the assignment day) to its end (the last node's
/// date): 100 × (today − start) / (end − start), clamped to 0–100. An item whose completion is reported, verified or
/// closed is green; so is one whose clock is stopped (returned), except for nodes already overdue.
/// </summary>
public static class ItemColour
{
    /// <summary>The colour of a work item at <paramref name="now"/>.</summary>
    public static Colour Of(MatterState state, DateTimeOffset now, int tolerance)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Status is MatterStatus.Reported or MatterStatus.Verified or MatterStatus.Rated or MatterStatus.Closed)
        {
            return Colour.Green;
        }

        if (state.Milestones.Any(m => m.Stage == Stage.Node && m.MetAt is null && now > m.DueAt))
        {
            return Colour.Red;
        }

        if (state.Milestones.Any(m => m.Stage == Stage.Report && m.MetAt is null && now > m.DueAt))
        {
            return Colour.Yellow;
        }

        return Expected(state, now) is { } expected && expected - (state.Percent ?? 0) > tolerance ? Colour.Yellow : Colour.Green;
    }

    /// <summary>
    /// The first instant after <paramref name="now"/> at which the colour may change with no action taken: a node or a
    /// report falling overdue, or the day the expected progress first leaves the last percent behind by more than the
    /// tolerance. Null when time alone cannot change it (a completed item, or one already red). The colour is the same
    /// at every instant from <paramref name="now"/> up to (not including) the answer; the sweep looks again at it then.
    /// </summary>
    public static DateTimeOffset? NextChange(MatterState state, DateTimeOffset now, int tolerance)
    {
        ArgumentNullException.ThrowIfNull(state);
        var colour = Of(state, now, tolerance);
        if (colour == Colour.Red || state.Status is MatterStatus.Reported or MatterStatus.Verified or MatterStatus.Rated or MatterStatus.Closed)
        {
            return null;
        }

        // "Overdue" is strictly after the due instant: the first instant of it is one tick later.
        DateTimeOffset? next = null;
        foreach (var m in state.Milestones)
        {
            if (m.MetAt is null && m.DueAt >= now && (m.Stage == Stage.Node || (m.Stage == Stage.Report && colour == Colour.Green)))
            {
                next = Earliest(next, m.DueAt.AddTicks(1));
            }
        }

        if (colour == Colour.Green && LagDay(state, now, tolerance) is { } day)
        {
            next = Earliest(next, ChinaTime.StartOf(day));
        }

        return next;
    }

    /// <summary>The first day after today on which the expected progress lags the last percent by more than the
    /// tolerance (expected progress only grows, so a binary search over the plan's remaining days finds it).</summary>
    private static DateOnly? LagDay(MatterState state, DateTimeOffset now, int tolerance)
    {
        if (ItemPlan.End(state) is not { } end)
        {
            return null;
        }

        var start = ItemPlan.Start(state);
        var percent = state.Percent ?? 0;
        bool Lags(DateOnly day) => Expected(start, end, day) - percent > tolerance;
        var low = ChinaTime.DateOf(now).AddDays(1);
        if (low > end)
        {
            return null; // from the end date on, expected progress stays at 100
        }

        if (!Lags(end))
        {
            return null;
        }

        var high = end;
        while (low < high)
        {
            var middle = low.AddDays((high.DayNumber - low.DayNumber) / 2);
            if (Lags(middle))
            {
                high = middle;
            }
            else
            {
                low = middle.AddDays(1);
            }
        }

        return low;
    }

    private static DateTimeOffset Earliest(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x <= b ? x : b;

    /// <summary>The expected percent at <paramref name="now"/> (序时进度), or null for an item without nodes.</summary>
    public static double? Expected(MatterState state, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (ItemPlan.End(state) is not { } end)
        {
            return null;
        }

        return Expected(ChinaTime.DateOf(state.AssignedAt), end, ChinaTime.DateOf(now));
    }

    /// <summary>100 × (today − start) / (end − start) in calendar days, clamped to 0–100 (100 from the end date on).</summary>
    public static double Expected(DateOnly start, DateOnly end, DateOnly today)
    {
        var total = end.DayNumber - start.DayNumber;
        if (total <= 0)
        {
            return today >= end ? 100 : 0;
        }

        return Math.Clamp(100.0 * (today.DayNumber - start.DayNumber) / total, 0, 100);
    }

    /// <summary>The worse of two colours.</summary>
    public static Colour Worst(Colour a, Colour b) => a >= b ? a : b;
}

/// <summary>A child item's figures for a parent's roll-up.</summary>
/// <param name="Percent">The child's last reported percent (null: none yet, counted as 0).</param>
/// <param name="Colour">The child's colour.</param>
public sealed record ChildProgress(int? Percent, Colour Colour);

/// <summary>Decomposition (分解): a parent item's progress is the mean of its children's, its colour the worst child's.</summary>
public static class ItemRollup
{
    /// <summary>The parent's percent (rounded, null without children) and colour (<paramref name="own"/> without children).</summary>
    public static (int? Percent, Colour Colour) Of(IReadOnlyCollection<ChildProgress> children, Colour own)
    {
        ArgumentNullException.ThrowIfNull(children);
        if (children.Count == 0)
        {
            return (null, own);
        }

        var mean = children.Average(c => (double)(c.Percent ?? 0));
        return ((int)Math.Round(mean, MidpointRounding.AwayFromZero), children.Select(c => c.Colour).Aggregate(own, ItemColour.Worst));
    }
}
