using System.Globalization;
using Duban.Matters;
using Duban.Reviews;

namespace Duban.Assessment;

/// <summary>Judges' scores: checking one, a judge's total, and several judges combined.</summary>
public static class Judging
{
    /// <summary>Why a score of a criterion is refused, in Chinese; null when it is within 0 and the criterion's maximum.</summary>
    public static string? Problem(Criterion criterion, double score)
    {
        ArgumentNullException.ThrowIfNull(criterion);
        return double.IsFinite(score) && score >= 0 && score <= criterion.Max
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"「{criterion.Name}」的分数须在 0 到 {criterion.Max:0.##} 之间。");
    }

    /// <summary>A judge's total on 0–100: the criteria's scores summed, over the criteria's maxima summed.</summary>
    /// <exception cref="ValidationFailedException">A criterion is missing or out of its range, or one is unknown.</exception>
    public static double Total(JudgingRules rules, IReadOnlyDictionary<string, double> scores)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(scores);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var criterion in rules.Criteria)
        {
            if (!scores.TryGetValue(criterion.Name, out var score))
            {
                errors[criterion.Name] = [$"请为「{criterion.Name}」打分。"];
            }
            else if (Problem(criterion, score) is { } problem)
            {
                errors[criterion.Name] = [problem];
            }
        }

        foreach (var unknown in scores.Keys.Where(k => rules.Criteria.All(c => c.Name != k)))
        {
            errors[unknown] = [$"没有评分项「{unknown}」。"];
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        return 100 * rules.Criteria.Sum(c => scores[c.Name]) / rules.MaxTotal;
    }

    /// <summary>Several judges' totals as one score (0–100); null without any.</summary>
    public static double? Combine(IReadOnlyList<double> totals, JudgeCombination combination)
    {
        ArgumentNullException.ThrowIfNull(totals);
        if (totals.Count == 0)
        {
            return null;
        }

        if (combination == JudgeCombination.DropHighestAndLowest && totals.Count >= 3)
        {
            // One highest and one lowest go, even when several judges gave the same.
            var ordered = totals.Order().ToList();
            return ordered.Skip(1).Take(ordered.Count - 2).Average();
        }

        return totals.Average();
    }

    /// <summary>The Chinese name of a combination rule.</summary>
    public static string Label(JudgeCombination combination) => combination switch
    {
        JudgeCombination.Mean => "算术平均",
        JudgeCombination.DropHighestAndLowest => "去掉一个最高分和一个最低分后平均",
        _ => combination.ToString(),
    };
}

/// <summary>A stage of a competition (比拼阶段): a period's result and its weight in the final.</summary>
/// <param name="Key">The period key (2024-Q1, 2024).</param>
/// <param name="Label">Its name (第一季度, 年终).</param>
/// <param name="Weight">Its weight; a competition's weights sum to 1.</param>
public sealed record CompetitionStage(string Key, string Label, double Weight);

/// <summary>An award level (奖项等次): its name and how many units receive it, from the top.</summary>
public sealed record AwardLevel(string Name, int Count);

/// <summary>A unit's place in a competition: its score in each stage (null when it did not enter or was not
/// shortlisted, which counts 0), the final and the award.</summary>
public sealed record CompetitionStanding(long UnitId, IReadOnlyList<double?> Stages, double Final, int Rank, string? Award);

/// <summary>Competitions over periods (比拼/夺锦赛): weights, the final, ranks and awards.</summary>
public static class Competitions
{
    /// <summary>The seeds' example: each quarter 10 % (four quarters together 40 %), the year-end 60 %.</summary>
    public static IReadOnlyList<CompetitionStage> QuartersAndYearEnd(int year) =>
    [
        .. Enumerable.Range(1, 4).Select(q => new CompetitionStage(
            string.Create(CultureInfo.InvariantCulture, $"{year}-Q{q}"), $"第{"一二三四"[q - 1]}季度", 0.1)),
        new CompetitionStage(year.ToString(CultureInfo.InvariantCulture), "年终", 0.6),
    ];

    /// <summary>The problems of stages and awards, by field, in Chinese; empty when sound.</summary>
    public static IReadOnlyDictionary<string, string[]> Problems(IReadOnlyList<CompetitionStage> stages, IReadOnlyList<AwardLevel> awards)
    {
        ArgumentNullException.ThrowIfNull(stages);
        ArgumentNullException.ThrowIfNull(awards);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (stages.Count == 0)
        {
            errors["stages"] = ["比拼至少要有一个阶段。"];
        }
        else if (stages.Any(s => !double.IsFinite(s.Weight) || s.Weight <= 0))
        {
            errors["stages"] = ["每个阶段的权重须大于 0。"];
        }
        else if (Math.Abs(stages.Sum(s => s.Weight) - 1) > SchemeRules.WeightTolerance)
        {
            errors["stages"] = [string.Create(CultureInfo.InvariantCulture, $"各阶段权重之和须为 100%，现为 {stages.Sum(s => s.Weight) * 100:0.##########}%。")];
        }
        else if (stages.GroupBy(s => s.Key, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } repeated)
        {
            errors["stages"] = [$"阶段「{repeated.First().Label}」重复出现。"];
        }

        if (awards.Any(a => string.IsNullOrWhiteSpace(a.Name) || a.Count < 1))
        {
            errors["awards"] = ["每个奖项须有名称，名额至少 1 个。"];
        }

        return errors;
    }

    /// <summary>
    /// The final standings: each unit's final = Σ (stage weight × stage score), a missing stage counting 0; ranked 1, 1,
    /// 3; awards from the top, in order, each to its number of places (units tied at the boundary share the level).
    /// </summary>
    /// <param name="stages">The stages with their weights.</param>
    /// <param name="scores">Per stage key, the units' scores in it.</param>
    /// <param name="awards">The award levels, best first.</param>
    public static IReadOnlyList<CompetitionStanding> Final(IReadOnlyList<CompetitionStage> stages,
        IReadOnlyDictionary<string, IReadOnlyDictionary<long, double>> scores, IReadOnlyList<AwardLevel> awards)
    {
        ArgumentNullException.ThrowIfNull(stages);
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(awards);
        var units = scores.Values.SelectMany(s => s.Keys).Distinct().ToList();
        var finals = units.Select(u =>
        {
            var perStage = stages.Select(s => scores.TryGetValue(s.Key, out var stage) && stage.TryGetValue(u, out var v) ? (double?)v : null).ToList();
            var final = Scoring.Round(stages.Select((s, i) => s.Weight * (perStage[i] ?? 0)).Sum());
            return (Unit: u, Stages: perStage, Final: final);
        }).ToList();
        var ranks = Ranking.StandardRanks(finals.Select(f => (f.Unit, (double?)f.Final)));
        var standings = new List<CompetitionStanding>();
        foreach (var f in finals.OrderBy(f => ranks[f.Unit]).ThenBy(f => f.Unit))
        {
            var rank = ranks[f.Unit]!.Value;
            // The level whose places reach down to this rank.
            string? award = null;
            var reach = 0;
            foreach (var level in awards)
            {
                reach += level.Count;
                if (rank <= reach)
                {
                    award = level.Name;
                    break;
                }
            }

            standings.Add(new CompetitionStanding(f.Unit, f.Stages, f.Final, rank, award));
        }

        return standings;
    }
}

/// <summary>A quantitative target's progress (目标任务进度) against the time elapsed (序时进度).</summary>
/// <param name="Goal">The target quantity.</param>
/// <param name="Done">What is done.</param>
/// <param name="Completion">完成率: done over goal (above 1 when exceeded).</param>
/// <param name="Expected">序时进度: the share of the period elapsed, today included.</param>
/// <param name="Behind">Whether completion lags the time elapsed.</param>
public sealed record TargetProgress(double Goal, double Done, double Completion, double Expected, bool Behind)
{
    /// <summary>The progress of <paramref name="done"/> towards <paramref name="goal"/> over [from, to] as of <paramref name="today"/>.</summary>
    public static TargetProgress Of(double goal, double done, DateOnly from, DateOnly to, DateOnly today)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(goal);
        ArgumentOutOfRangeException.ThrowIfLessThan(to, from);
        var days = to.DayNumber - from.DayNumber + 1;
        var elapsed = Math.Clamp(today.DayNumber - from.DayNumber + 1, 0, days);
        var expected = (double)elapsed / days;
        var completion = done / goal;
        return new TargetProgress(goal, done, completion, expected, completion < expected);
    }
}
