using System.Globalization;
using Duban.Matters;
using Duban.Reviews;

namespace Duban.Assessment;

/// <summary>How a metric's value becomes points (0–100).</summary>
public enum PointMapping
{
    /// <summary>按区间折算: 0 points at the floor, 100 at the target, linear between (a floor above the target scores a
    /// count where less is better, such as 超期件数).</summary>
    Linear,

    /// <summary>按名次折算: the first in the group 100, the last 0, evenly between; alone in the group, 100.</summary>
    Rank,
}

/// <summary>指标分项: one review metric, its share of the metric score, and how its value becomes points.</summary>
/// <param name="Metric">The review metric (docs/METRICS.md).</param>
/// <param name="Weight">Its share; the shares of a scheme sum to 1.</param>
/// <param name="Mapping">How the value becomes points.</param>
/// <param name="Floor">The value worth 0 points (linear mapping); a rate is 0–1.</param>
/// <param name="Target">The value worth 100 points (linear mapping).</param>
public sealed record MetricComponent(Metric Metric, double Weight, PointMapping Mapping = PointMapping.Linear, double Floor = 0, double Target = 1)
{
    /// <summary>The points (0–100) of a value, with the group's values for <see cref="PointMapping.Rank"/>; null
    /// without a value (nothing behind the metric).</summary>
    public double? Points(double? value, IReadOnlyList<double> group)
    {
        ArgumentNullException.ThrowIfNull(group);
        if (value is not { } v)
        {
            return null;
        }

        if (Mapping == PointMapping.Rank)
        {
            // Higher is better for rates and most counts; a lower-is-better metric is ranked the other way round.
            var lowerIsBetter = Scoring.LowerIsBetter(Metric);
            var better = group.Count(g => lowerIsBetter ? g < v : g > v);
            return group.Count <= 1 ? 100 : 100.0 * (group.Count - 1 - better) / (group.Count - 1);
        }

        var share = (v - Floor) / (Target - Floor);
        return 100 * Math.Clamp(share, 0, 1);
    }
}

/// <summary>What a point rule counts (积分事项).</summary>
public enum PointEvent
{
    /// <summary>超期节点: each milestone (签收, 反馈, 办结) met late or still missing after its due date.</summary>
    OverdueMilestone,

    /// <summary>问责: each accountability entry filed.</summary>
    Accountability,

    /// <summary>不满意评价: each dissatisfied rating.</summary>
    Dissatisfied,

    /// <summary>回头看反弹: each matter that came back at a 回头看.</summary>
    Rebound,

    /// <summary>通报表扬: each commendation published.</summary>
    Commendation,

    /// <summary>通报批评: each criticism published.</summary>
    Criticism,
}

/// <summary>积分规则: points per event (negative to deduct), at most <paramref name="Cap"/> in either direction per
/// period.</summary>
public sealed record PointRule(PointEvent Event, double Points, double? Cap = null)
{
    /// <summary>The points for a number of events, capped.</summary>
    public (double Points, bool Capped) For(long count)
    {
        var raw = Points * count;
        if (Cap is { } cap && Math.Abs(raw) > cap)
        {
            return (Math.CopySign(cap, raw), true);
        }

        return (raw, false);
    }
}

/// <summary>How judges' scores of one entry are combined.</summary>
public enum JudgeCombination
{
    /// <summary>算术平均.</summary>
    Mean,

    /// <summary>去掉一个最高分和一个最低分后平均 (with fewer than three judges, the plain mean).</summary>
    DropHighestAndLowest,
}

/// <summary>评分项: a named criterion judges score from 0 to <paramref name="Max"/>.</summary>
public sealed record Criterion(string Name, double Max);

/// <summary>评委打分: the criteria, how judges' totals combine, and the judged score's share of the weighted score.</summary>
/// <param name="Weight">Share of the judged score (0–1); the metric score has the rest.</param>
/// <param name="Criteria">What judges score.</param>
/// <param name="Combination">How several judges' totals combine.</param>
public sealed record JudgingRules(double Weight, IReadOnlyList<Criterion> Criteria, JudgeCombination Combination = JudgeCombination.DropHighestAndLowest)
{
    /// <summary>The most a judge can give in all: the criteria's maxima summed.</summary>
    public double MaxTotal => Criteria.Sum(c => c.Max);
}

/// <summary>
/// The rules of an assessment scheme (考评办法): 总分 = 基础分 + 加权得分 + 积分增减 + 调整, where 加权得分 (0–100) is the
/// metric score and the judged score weighted together, 指标得分 the components' points weighted by their shares,
/// 积分增减 the point rules over the period's events, capped, and 调整 the office's adjustments, each with its reason.
/// </summary>
/// <param name="Components">The metric components; their weights sum to 1 (or there are none).</param>
/// <param name="Base">基础分, every unit's starting points.</param>
/// <param name="PointRules">积分规则, at most one per event.</param>
/// <param name="Judging">评委打分, if the scheme has it.</param>
public sealed record SchemeRules(IReadOnlyList<MetricComponent> Components, double Base, IReadOnlyList<PointRule> PointRules, JudgingRules? Judging)
{
    /// <summary>How far the weights may miss 1 (they are entered as decimals or percentages).</summary>
    public const double WeightTolerance = 1e-9;

    /// <summary>The problems, by field (<c>components</c>, <c>components[2].floor</c>, <c>pointRules[0].cap</c>, …), in
    /// Chinese; empty when the rules are sound.</summary>
    public IReadOnlyDictionary<string, string[]> Problems()
    {
        var problems = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(string field, string message)
        {
            if (!problems.TryGetValue(field, out var list))
            {
                problems[field] = list = [];
            }

            list.Add(message);
        }

        if (Components is null || PointRules is null)
        {
            Add("components", "考评办法不完整。");
            return Freeze(problems);
        }

        for (var i = 0; i < Components.Count; i++)
        {
            var c = Components[i];
            var at = string.Create(CultureInfo.InvariantCulture, $"components[{i}]");
            if (!Enum.IsDefined(c.Metric))
            {
                Add($"{at}.metric", "没有这项指标。");
                continue;
            }

            if (!double.IsFinite(c.Weight) || c.Weight <= 0)
            {
                Add($"{at}.weight", $"「{Metrics.Label(c.Metric)}」的权重须大于 0。");
            }

            if (c.Mapping == PointMapping.Linear)
            {
                if (!double.IsFinite(c.Floor) || !double.IsFinite(c.Target))
                {
                    Add($"{at}.floor", $"「{Metrics.Label(c.Metric)}」的起评值和目标值须是数字。");
                }
                else if (c.Floor == c.Target)
                {
                    Add($"{at}.target", $"「{Metrics.Label(c.Metric)}」的目标值不能等于起评值。");
                }
                else if (Metrics.IsRate(c.Metric) && (c.Floor is < 0 or > 1 || c.Target is < 0 or > 1))
                {
                    Add($"{at}.floor", $"「{Metrics.Label(c.Metric)}」是比率，起评值和目标值须在 0 到 1 之间（如 0.8 表示 80%）。");
                }
            }
            else if (!Enum.IsDefined(c.Mapping))
            {
                Add($"{at}.mapping", "折算方式只能是按区间或按名次。");
            }
        }

        foreach (var repeated in Components.Where(c => Enum.IsDefined(c.Metric)).GroupBy(c => c.Metric).Where(g => g.Count() > 1))
        {
            Add("components", $"指标「{Metrics.Label(repeated.Key)}」重复出现。");
        }

        var weights = Components.Where(c => double.IsFinite(c.Weight)).Sum(c => c.Weight);
        if (Components.Count > 0 && Math.Abs(weights - 1) > WeightTolerance)
        {
            Add("components", string.Create(CultureInfo.InvariantCulture,
                $"指标权重之和须为 100%，现为 {weights * 100:0.##########}%。"));
        }

        if (!double.IsFinite(Base))
        {
            Add("base", "基础分须是数字。");
        }

        for (var i = 0; i < PointRules.Count; i++)
        {
            var r = PointRules[i];
            var at = string.Create(CultureInfo.InvariantCulture, $"pointRules[{i}]");
            if (!Enum.IsDefined(r.Event))
            {
                Add($"{at}.event", "没有这类积分事项。");
                continue;
            }

            if (!double.IsFinite(r.Points) || r.Points == 0)
            {
                Add($"{at}.points", $"「{Scoring.Label(r.Event)}」每次的分值须是不为 0 的数字。");
            }

            if (r.Cap is { } cap && (!double.IsFinite(cap) || cap < 0))
            {
                Add($"{at}.cap", $"「{Scoring.Label(r.Event)}」的封顶分值不能为负数。");
            }
        }

        foreach (var repeated in PointRules.Where(r => Enum.IsDefined(r.Event)).GroupBy(r => r.Event).Where(g => g.Count() > 1))
        {
            Add("pointRules", $"积分事项「{Scoring.Label(repeated.Key)}」重复出现。");
        }

        if (Judging is { } judging)
        {
            if (!double.IsFinite(judging.Weight) || judging.Weight is <= 0 or > 1)
            {
                Add("judging.weight", "评委打分的权重须大于 0、不超过 100%。");
            }
            else if (judging.Weight < 1 && Components.Count == 0)
            {
                Add("judging.weight", "没有指标分项时，评委打分的权重须为 100%。");
            }

            if (judging.Criteria is null || judging.Criteria.Count == 0)
            {
                Add("judging.criteria", "评委打分至少要有一个评分项。");
            }
            else
            {
                for (var i = 0; i < judging.Criteria.Count; i++)
                {
                    var c = judging.Criteria[i];
                    var at = string.Create(CultureInfo.InvariantCulture, $"judging.criteria[{i}]");
                    if (string.IsNullOrWhiteSpace(c.Name))
                    {
                        Add($"{at}.name", "评分项须有名称。");
                    }

                    if (!double.IsFinite(c.Max) || c.Max <= 0)
                    {
                        Add($"{at}.max", "评分项的满分须大于 0。");
                    }
                }

                foreach (var repeated in judging.Criteria.Where(c => !string.IsNullOrWhiteSpace(c.Name)).GroupBy(c => c.Name.Trim()).Where(g => g.Count() > 1))
                {
                    Add("judging.criteria", $"评分项「{repeated.Key}」重复出现。");
                }
            }

            if (!Enum.IsDefined(judging.Combination))
            {
                Add("judging.combination", "评分汇总方式只能是平均或去掉最高最低分后平均。");
            }
        }

        return Freeze(problems);
    }

    /// <summary>Throws the problems, if any.</summary>
    /// <exception cref="ValidationFailedException">The rules are not sound.</exception>
    public void Validate()
    {
        var problems = Problems();
        if (problems.Count > 0)
        {
            throw new ValidationFailedException(problems);
        }
    }

    private static Dictionary<string, string[]> Freeze(Dictionary<string, List<string>> problems) =>
        problems.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);
}
