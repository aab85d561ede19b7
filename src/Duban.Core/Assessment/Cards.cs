using System.Globalization;
using Duban.Matters;
using Duban.Reviews;

namespace Duban.Assessment;

/// <summary>The colour of a card (红黄牌).</summary>
public enum CardColour
{
    /// <summary>黄牌: a warning.</summary>
    Yellow,

    /// <summary>红牌: puts the unit on the 约谈 list.</summary>
    Red,
}

/// <summary>The window a card rule counts over.</summary>
public enum CardWindow
{
    /// <summary>一个月 (a calendar month).</summary>
    Month,

    /// <summary>一个季度 (a calendar quarter).</summary>
    Quarter,
}

/// <summary>
/// 红黄牌规则: when a unit counts <paramref name="Threshold"/> or more of <paramref name="Event"/> within one
/// <paramref name="Window"/>, it gets a card of <paramref name="Colour"/>. With no event the rule counts the unit's
/// yellow cards in force in the window (一个季度内 2 张黄牌 → 红牌).
/// </summary>
/// <param name="Id">The rule.</param>
/// <param name="Event">What is counted; null counts yellow cards.</param>
/// <param name="Threshold">How many make a card (1 or more).</param>
/// <param name="Window">Over how long.</param>
/// <param name="Colour">The card issued.</param>
public sealed record CardRule(long Id, PointEvent? Event, int Threshold, CardWindow Window, CardColour Colour)
{
    /// <summary>The wire name of the trigger counting yellow cards.</summary>
    public const string YellowCardTrigger = "yellowCard";

    /// <summary>The rule in words: 一个月内超期节点达 3 个 → 黄牌.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Cards.WindowLabel(Window)}内{TriggerLabel(Event)}达 {Threshold} {(Event is null ? "张" : "个")} → {Cards.ColourLabel(Colour)}");

    /// <summary>The Chinese name of a trigger (an event, or 黄牌).</summary>
    public static string TriggerLabel(PointEvent? e) => e is { } ev ? Scoring.Label(ev) : "黄牌";

    /// <summary>Checks the rule's fields.</summary>
    /// <exception cref="ValidationFailedException">A threshold below 1 or above 1000, or a red rule counting
    /// 通报表扬.</exception>
    public void Validate(string prefix = "")
    {
        if (Threshold is < 1 or > 1000)
        {
            throw ValidationFailedException.For(prefix + "threshold", "触发数量须在 1 至 1000 之间。");
        }

        if (Event == PointEvent.Commendation)
        {
            throw ValidationFailedException.For(prefix + "trigger", "通报表扬是加分事项，不能触发红黄牌。");
        }

        if (Event is null && Colour == CardColour.Yellow)
        {
            throw ValidationFailedException.For(prefix + "trigger", "按黄牌张数触发的规则只能发红牌。");
        }
    }

    /// <summary>Parses a trigger's wire name: a <see cref="PointEvent"/> in camel case (overdueMilestone,
    /// accountability, dissatisfied, rebound, criticism) or <see cref="YellowCardTrigger"/>.</summary>
    /// <exception cref="ValidationFailedException">An unknown trigger (field <paramref name="field"/>).</exception>
    public static PointEvent? ParseTrigger(string? text, string field = "trigger")
    {
        var t = text?.Trim() ?? "";
        if (string.Equals(t, YellowCardTrigger, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        foreach (var e in Enum.GetValues<PointEvent>())
        {
            if (string.Equals(t, TriggerName(e), StringComparison.OrdinalIgnoreCase) || t == Scoring.Label(e))
            {
                return e;
            }
        }

        throw ValidationFailedException.For(field, $"不认识的触发事项「{t}」，可选：超期节点、问责、不满意评价、回头看反弹、通报批评、黄牌。");
    }

    /// <summary>The wire name of a trigger.</summary>
    public static string TriggerName(PointEvent? e) => e is { } ev
        ? char.ToLowerInvariant(ev.ToString()[0]) + ev.ToString()[1..]
        : YellowCardTrigger;
}

/// <summary>A card already issued, in force or revoked.</summary>
/// <param name="RuleId">The rule that issued it.</param>
/// <param name="UnitId">The unit.</param>
/// <param name="Window">The window it was issued for.</param>
/// <param name="Colour">Its colour.</param>
/// <param name="Revoked">Whether the office revoked it (a revoked card is not issued again, and does not count).</param>
public sealed record IssuedCard(long RuleId, long UnitId, ReviewPeriod Window, CardColour Colour, bool Revoked);

/// <summary>The counts of one window: per unit, how many of each event.</summary>
/// <param name="Window">The month or quarter.</param>
/// <param name="Units">Per unit, the count of each event in the window.</param>
public sealed record WindowCounts(ReviewPeriod Window, IReadOnlyDictionary<long, IReadOnlyDictionary<PointEvent, long>> Units);

/// <summary>A card that is due.</summary>
/// <param name="Rule">The rule.</param>
/// <param name="UnitId">The unit.</param>
/// <param name="Window">The window.</param>
/// <param name="Count">What the rule counted (events or yellow cards).</param>
public sealed record DueCard(CardRule Rule, long UnitId, ReviewPeriod Window, long Count);

/// <summary>红黄牌: which cards are due, from counts per window and the cards already issued. Pure.</summary>
public static class Cards
{
    /// <summary>一个月 / 一个季度.</summary>
    public static string WindowLabel(CardWindow window) => window == CardWindow.Month ? "一个月" : "一个季度";

    /// <summary>黄牌 / 红牌.</summary>
    public static string ColourLabel(CardColour colour) => colour == CardColour.Yellow ? "黄牌" : "红牌";

    /// <summary>The period kind of a window.</summary>
    public static PeriodKind KindOf(CardWindow window) => window == CardWindow.Month ? PeriodKind.Month : PeriodKind.Quarter;

    /// <summary>The windows an issuing period covers: a month gives that month and its quarter; a quarter gives its three
    /// months and itself.</summary>
    /// <exception cref="ValidationFailedException">Any other kind of period (field <c>period</c>).</exception>
    public static IReadOnlyList<ReviewPeriod> Windows(ReviewPeriod period)
    {
        ArgumentNullException.ThrowIfNull(period);
        return period.Kind switch
        {
            PeriodKind.Month => [period, ReviewPeriod.Holding(PeriodKind.Quarter, period.From)],
            PeriodKind.Quarter => [.. Enumerable.Range(0, 3).Select(i => ReviewPeriod.Holding(PeriodKind.Month, period.From.AddMonths(i))), period],
            _ => throw ValidationFailedException.For("period", "发牌按月（如 2024-03）或按季度（如 2024-Q1）进行。"),
        };
    }

    /// <summary>
    /// The cards due: for each event rule and each window of its kind, each unit whose count reaches the threshold; then
    /// for each yellow-card rule, each unit whose yellow cards in force within the window (issued before, or due now)
    /// reach the threshold. A unit gets at most one card per rule and window: one already issued, even revoked, is not
    /// issued again. The result is ordered by rule, window and unit.
    /// </summary>
    public static IReadOnlyList<DueCard> Due(IReadOnlyList<CardRule> rules, IReadOnlyList<WindowCounts> counts, IReadOnlyList<IssuedCard> issued)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(issued);
        var taken = issued.Select(c => (c.RuleId, c.UnitId, c.Window.From)).ToHashSet();
        var due = new List<DueCard>();
        foreach (var rule in rules.Where(r => r.Event is not null).OrderBy(r => r.Id))
        {
            foreach (var window in counts.Where(c => c.Window.Kind == KindOf(rule.Window)).OrderBy(c => c.Window.From))
            {
                foreach (var (unit, events) in window.Units.OrderBy(u => u.Key))
                {
                    var count = events.GetValueOrDefault(rule.Event!.Value);
                    if (count >= rule.Threshold && taken.Add((rule.Id, unit, window.Window.From)))
                    {
                        due.Add(new DueCard(rule, unit, window.Window, count));
                    }
                }
            }
        }

        var yellows = issued.Where(c => c.Colour == CardColour.Yellow && !c.Revoked).Select(c => (c.UnitId, c.Window))
            .Concat(due.Where(d => d.Rule.Colour == CardColour.Yellow).Select(d => (d.UnitId, d.Window)))
            .ToList();
        var windows = counts.Select(c => c.Window).Distinct().ToList();
        foreach (var rule in rules.Where(r => r.Event is null).OrderBy(r => r.Id))
        {
            foreach (var window in windows.Where(w => w.Kind == KindOf(rule.Window)).OrderBy(w => w.From))
            {
                foreach (var unit in yellows.Select(y => y.UnitId).Distinct().Order())
                {
                    long count = yellows.Count(y => y.UnitId == unit && y.Window.From >= window.From && y.Window.To <= window.To);
                    if (count >= rule.Threshold && taken.Add((rule.Id, unit, window.From)))
                    {
                        due.Add(new DueCard(rule, unit, window, count));
                    }
                }
            }
        }

        return due;
    }
}
