namespace Duban.Reviews;

/// <summary>
/// How units are scored and listed in a review: a weighted average of rates (each 0–100), over the rates the unit has
/// (a rate with nothing behind it does not count for or against), and red/black lists of the top and bottom N in
/// each peer group.
/// </summary>
/// <param name="Weights">Weight per rate metric; non-rate metrics are not scored.</param>
/// <param name="ListSize">How many units the red list (红榜) and the black list (黑榜) name per group.</param>
public sealed record ScoringRules(IReadOnlyDictionary<Metric, double> Weights, int ListSize = 3)
{
    /// <summary>按时办结率 20, 解决率 25, 满意率 25, 提速率 10, 按时签收率 10, 按时反馈率 10: the three rates of 万人助万企
    /// carry most, the 13710 on-time rates the rest.</summary>
    public static ScoringRules Default { get; } = new(new Dictionary<Metric, double>
    {
        [Metric.OnTimeAcknowledgeRate] = 10,
        [Metric.OnTimeFeedbackRate] = 10,
        [Metric.OnTimeCompleteRate] = 20,
        [Metric.ResolutionRate] = 25,
        [Metric.SpeedUpRate] = 10,
        [Metric.SatisfactionRate] = 25,
    });

    /// <summary>The problems with these rules, by configuration key (empty when valid).</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        foreach (var (metric, weight) in Weights)
        {
            if (!Metrics.IsRate(metric))
            {
                problems.Add($"{Metrics.Label(metric)} is not a rate and cannot be weighted.");
            }
            else if (weight < 0 || double.IsNaN(weight) || double.IsInfinity(weight))
            {
                problems.Add($"The weight of {Metrics.Label(metric)} must be a number of 0 or more.");
            }
        }

        if (Weights.Values.Sum() <= 0)
        {
            problems.Add("At least one rate needs a weight above 0.");
        }

        if (ListSize is < 1 or > 100)
        {
            problems.Add("The red/black list size must be between 1 and 100.");
        }

        return problems;
    }

    /// <summary>The score (0–100, two decimals) of a unit's metrics; null when it has none of the weighted rates.</summary>
    public double? Score(UnitMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        double sum = 0, weights = 0;
        foreach (var (metric, weight) in Weights)
        {
            if (weight > 0 && metrics.Value(metric) is { } rate)
            {
                sum += weight * rate * 100;
                weights += weight;
            }
        }

        return weights == 0 ? null : Math.Round(sum / weights, 2, MidpointRounding.AwayFromZero);
    }
}

/// <summary>A unit entering a ranking.</summary>
/// <param name="UnitId">The unit.</param>
/// <param name="Code">Its code.</param>
/// <param name="Name">Its name.</param>
/// <param name="Metrics">This period's metrics.</param>
/// <param name="Previous">The previous period's metrics, for the rank change.</param>
public sealed record RankingEntry(long UnitId, string Code, string Name, UnitMetrics Metrics, UnitMetrics? Previous);

/// <summary>A unit's place in its group.</summary>
/// <param name="Entry">The unit and its metrics.</param>
/// <param name="Score">The score, null when unscored (nothing to score).</param>
/// <param name="Rank">1 for the best; equal scores share a rank (1, 1, 3); null when unscored.</param>
/// <param name="PreviousRank">The rank in the previous period, among the same group.</param>
/// <param name="RankChange">Places gained (positive, ↑) or lost (negative, ↓); null without both ranks.</param>
public sealed record RankedUnit(RankingEntry Entry, double? Score, int? Rank, int? PreviousRank, int? RankChange);

/// <summary>One peer group's ranking with its red and black lists.</summary>
/// <param name="Group">The group's name.</param>
/// <param name="Units">Scored units by rank, then unscored ones by code.</param>
/// <param name="Red">红榜: the top <see cref="ScoringRules.ListSize"/> (ties at the edge included).</param>
/// <param name="Black">黑榜: the bottom ones, never a unit already on the red list.</param>
/// <param name="Note">Said when a list could not be as long as asked (the group is smaller), else null.</param>
public sealed record GroupRanking(string Group, IReadOnlyList<RankedUnit> Units, IReadOnlyList<RankedUnit> Red,
    IReadOnlyList<RankedUnit> Black, string? Note);

/// <summary>Ranks units inside their peer group.</summary>
public static class Ranking
{
    /// <summary>Ranks one group; the previous period is ranked the same way among the same units.</summary>
    public static GroupRanking Rank(string group, IReadOnlyList<RankingEntry> entries, ScoringRules rules)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(rules);
        var now = StandardRanks(entries.Select(e => (e.UnitId, rules.Score(e.Metrics))));
        var before = StandardRanks(entries.Select(e => (e.UnitId, e.Previous is null ? null : rules.Score(e.Previous))));
        var ranked = entries
            .Select(e =>
            {
                var score = rules.Score(e.Metrics);
                var rank = now.GetValueOrDefault(e.UnitId);
                var previous = before.GetValueOrDefault(e.UnitId);
                return new RankedUnit(e, score, rank, previous, rank is { } r && previous is { } p ? p - r : null);
            })
            .OrderBy(u => u.Rank ?? int.MaxValue).ThenBy(u => u.Entry.Code, StringComparer.Ordinal)
            .ToList();

        var scored = ranked.Where(u => u.Rank is not null).ToList();
        var size = rules.ListSize;
        var red = scored.Where(u => u.Rank <= size).ToList();
        var bottomRanks = StandardRanks(scored.Select(u => (u.Entry.UnitId, -u.Score)));
        var black = scored.Where(u => bottomRanks[u.Entry.UnitId] <= size && !red.Contains(u))
            .OrderBy(u => u.Rank).ThenBy(u => u.Entry.Code, StringComparer.Ordinal).ToList();
        string? note = null;
        if (scored.Count == 0)
        {
            note = "本组本期没有可排名的单位。";
        }
        else if (size >= scored.Count)
        {
            note = $"本组只有 {scored.Count} 个单位参与排名，不足红黑榜的 {size} 个名额：红榜列出全组，黑榜不再重复列出。";
        }
        else if (size * 2 > scored.Count)
        {
            note = $"本组只有 {scored.Count} 个单位参与排名，红榜、黑榜各 {size} 个名额有重叠：已在红榜的单位不再列入黑榜。";
        }

        return new GroupRanking(group, ranked, red, black, note);
    }

    /// <summary>Standard competition ranks (1, 1, 3) by score, highest first; those without a score get none.</summary>
    public static Dictionary<TKey, int?> StandardRanks<TKey>(IEnumerable<(TKey Key, double? Score)> scores)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(scores);
        var ordered = scores.Where(s => s.Score is not null).OrderByDescending(s => s.Score).ToList();
        var ranks = new Dictionary<TKey, int?>();
        for (var i = 0; i < ordered.Count; i++)
        {
            ranks[ordered[i].Key] = i > 0 && ordered[i].Score == ordered[i - 1].Score ? ranks[ordered[i - 1].Key] : i + 1;
        }

        return ranks;
    }
}
