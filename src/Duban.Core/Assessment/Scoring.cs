using Duban.Reviews;
using Duban.TimeLimits;

namespace Duban.Assessment;

/// <summary>An adjustment by the office (加减分调整), with its reason.</summary>
public sealed record Adjustment(double Points, string Reason);

/// <summary>One unit's data for a scheme over a period.</summary>
/// <param name="UnitId">The unit.</param>
/// <param name="Code">Its code.</param>
/// <param name="Name">Its name.</param>
/// <param name="Metrics">Its review metrics over the period.</param>
/// <param name="Published">Commendations and criticisms published about it in the period (the rest of the events come
/// from <paramref name="Metrics"/>).</param>
/// <param name="JudgeScore">Its judged score (0–100, judges combined), if judged.</param>
/// <param name="Adjustments">The office's adjustments.</param>
public sealed record AssessmentInput(long UnitId, string Code, string Name, UnitMetrics Metrics,
    IReadOnlyDictionary<PointEvent, long> Published, double? JudgeScore, IReadOnlyList<Adjustment> Adjustments);

/// <summary>A component's part of a unit's score.</summary>
/// <param name="Metric">The metric.</param>
/// <param name="Weight">Its share.</param>
/// <param name="Value">The metric's value (a rate 0–1, a count, working days); null with nothing behind it.</param>
/// <param name="Points">The value's points (0–100); null without a value.</param>
public sealed record ComponentScore(Metric Metric, double Weight, double? Value, double? Points);

/// <summary>A point rule's part of a unit's score.</summary>
/// <param name="Event">What was counted.</param>
/// <param name="Count">How many.</param>
/// <param name="Points">The points, after the cap.</param>
/// <param name="Capped">Whether the cap cut them.</param>
public sealed record RuleScore(PointEvent Event, long Count, double Points, bool Capped);

/// <summary>A unit's assessment result, every part of the total shown.</summary>
/// <param name="Input">The unit and its data.</param>
/// <param name="Components">The metric components.</param>
/// <param name="MetricScore">指标得分 (0–100): the components' points weighted by their shares, over the components
/// with a value; null when none has one.</param>
/// <param name="JudgeScore">评委得分 (0–100), if judged.</param>
/// <param name="Weighted">加权得分 (0–100): metric and judged scores by the judging weight, over the parts present; 0
/// when neither is.</param>
/// <param name="Rules">积分 per rule.</param>
/// <param name="Base">基础分.</param>
/// <param name="Adjustment">调整, summed.</param>
/// <param name="Total">总分 = 基础分 + 加权得分 + 积分 + 调整, two decimals.</param>
/// <param name="Rank">Its rank in the group (1, 1, 3); null when the unit had nothing to assess.</param>
public sealed record AssessmentRow(AssessmentInput Input, IReadOnlyList<ComponentScore> Components, double? MetricScore, double? JudgeScore,
    double Weighted, IReadOnlyList<RuleScore> Rules, double Base, double Adjustment, double Total, int? Rank)
{
    /// <summary>积分增减, summed.</summary>
    public double RulePoints => Rules.Sum(r => r.Points);
}

/// <summary>Scores a peer group of units under a scheme's rules: pure, the same inputs give the same table.</summary>
public static class Scoring
{
    /// <summary>The Chinese name of a point event.</summary>
    public static string Label(PointEvent e) => e switch
    {
        PointEvent.OverdueMilestone => "超期节点",
        PointEvent.Accountability => "问责",
        PointEvent.Dissatisfied => "不满意评价",
        PointEvent.Rebound => "回头看反弹",
        PointEvent.Commendation => "通报表扬",
        PointEvent.Criticism => "通报批评",
        _ => e.ToString(),
    };

    /// <summary>The metrics where less is better (a rank by them puts the lowest first).</summary>
    public static bool LowerIsBetter(Metric metric) => metric is Metric.Overdue or Metric.Returned or Metric.Transferred
        or Metric.Redone or Metric.Rebounds or Metric.Accountability or Metric.AverageWorkingDays;

    /// <summary>How many of each event a unit's metrics and publications count.</summary>
    public static long Count(PointEvent e, UnitMetrics metrics, IReadOnlyDictionary<PointEvent, long> published)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(published);
        var facts = metrics.Facts;
        return e switch
        {
            PointEvent.OverdueMilestone => StageKinds.Clock
                .Sum(s => facts[UnitFacts.Outcome(s, StageOutcome.Late)] + facts[UnitFacts.Outcome(s, StageOutcome.Pending)]),
            PointEvent.Accountability => metrics.AccountabilityEntries,
            PointEvent.Dissatisfied => facts[Fact.RatedDissatisfied],
            PointEvent.Rebound => metrics.Rebounds,
            _ => published.GetValueOrDefault(e),
        };
    }

    /// <summary>Scores and ranks one group.</summary>
    public static IReadOnlyList<AssessmentRow> Score(SchemeRules rules, IReadOnlyList<AssessmentInput> units)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(units);
        var groupValues = rules.Components.ToDictionary(c => c.Metric,
            c => (IReadOnlyList<double>)units.Select(u => u.Metrics.Value(c.Metric)).OfType<double>().ToList());
        var rows = new List<AssessmentRow>(units.Count);
        foreach (var unit in units)
        {
            var components = rules.Components
                .Select(c => (c, value: unit.Metrics.Value(c.Metric)))
                .Select(x => new ComponentScore(x.c.Metric, x.c.Weight, x.value, x.c.Points(x.value, groupValues[x.c.Metric])))
                .ToList();
            var present = components.Where(c => c.Points is not null).ToList();
            double? metricScore = present.Count == 0 ? null : present.Sum(c => c.Weight * c.Points!.Value) / present.Sum(c => c.Weight);
            var judged = rules.Judging is null ? null : unit.JudgeScore;
            var judgeWeight = rules.Judging?.Weight ?? 0;
            var weighted = (metricScore, judged) switch
            {
                ({ } m, { } j) => (1 - judgeWeight) * m + judgeWeight * j,
                ({ } m, null) => m,
                (null, { } j) => j,
                _ => 0,
            };
            var ruleScores = rules.PointRules.Select(r =>
            {
                var count = Count(r.Event, unit.Metrics, unit.Published);
                var (points, capped) = r.For(count);
                return new RuleScore(r.Event, count, points, capped);
            }).ToList();
            var adjustment = unit.Adjustments.Sum(a => a.Points);
            var total = Round(rules.Base + weighted + ruleScores.Sum(r => r.Points) + adjustment);
            var assessed = metricScore is not null || judged is not null || ruleScores.Any(r => r.Count > 0) || unit.Adjustments.Count > 0;
            rows.Add(new AssessmentRow(unit, components, Round(metricScore), judged is { } js ? Round(js) : null, Round(weighted), ruleScores,
                rules.Base, Round(adjustment), total, assessed ? 0 : null));
        }

        var ranks = Ranking.StandardRanks(rows.Where(r => r.Rank is not null).Select(r => (r.Input.UnitId, (double?)r.Total)));
        return rows.Select(r => r with { Rank = ranks.GetValueOrDefault(r.Input.UnitId) })
            .OrderBy(r => r.Rank ?? int.MaxValue).ThenBy(r => r.Input.Code, StringComparer.Ordinal).ToList();
    }

    /// <summary>Two decimals, halves away from zero, as score tables print them.</summary>
    public static double Round(double value) => Math.Round(value, 2, MidpointRounding.AwayFromZero);

    private static double? Round(double? value) => value is { } v ? Round(v) : null;
}
