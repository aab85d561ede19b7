namespace Duban.Similarity;

/// <summary>How a grouping fares against known repeats (pairs of items that share a key, such as an identical title).</summary>
/// <param name="KnownPairs">Pairs of items sharing a key.</param>
/// <param name="RecoveredPairs">Of those, the pairs placed in one group.</param>
/// <param name="SizeCounts">Group size → number of groups of that size (sizes 2 and up).</param>
/// <param name="OtherPairs">Pairs grouped together whose keys differ: the merges that no key explains.</param>
public sealed record GroupingReport(int KnownPairs, int RecoveredPairs, IReadOnlyDictionary<int, int> SizeCounts, IReadOnlyList<(long A, long B)> OtherPairs)
{
    /// <summary>Recovered share of the known pairs (1 when there are none).</summary>
    public double Recovery => KnownPairs == 0 ? 1 : (double)RecoveredPairs / KnownPairs;

    /// <summary>Compares <paramref name="groups"/> with the pairs implied by <paramref name="keys"/> (id → key).</summary>
    public static GroupingReport Of(IReadOnlyList<NearDuplicateGroup> groups, IReadOnlyDictionary<long, string> keys)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(keys);
        var groupOf = new Dictionary<long, int>();
        for (var g = 0; g < groups.Count; g++)
        {
            foreach (var id in groups[g].Members)
            {
                groupOf[id] = g;
            }
        }

        int known = 0, recovered = 0;
        foreach (var same in keys.GroupBy(p => p.Value, StringComparer.Ordinal).Select(g => g.Select(p => p.Key).Order().ToList()))
        {
            for (var i = 0; i < same.Count; i++)
            {
                for (var j = i + 1; j < same.Count; j++)
                {
                    known++;
                    if (groupOf.TryGetValue(same[i], out var gi) && groupOf.TryGetValue(same[j], out var gj) && gi == gj)
                    {
                        recovered++;
                    }
                }
            }
        }

        var other = new List<(long, long)>();
        foreach (var group in groups)
        {
            for (var i = 0; i < group.Members.Count; i++)
            {
                for (var j = i + 1; j < group.Members.Count; j++)
                {
                    var (a, b) = (group.Members[i], group.Members[j]);
                    if (!string.Equals(keys.GetValueOrDefault(a), keys.GetValueOrDefault(b), StringComparison.Ordinal))
                    {
                        other.Add((a, b));
                    }
                }
            }
        }

        var sizes = groups.GroupBy(g => g.Members.Count).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count());
        return new GroupingReport(known, recovered, sizes, other);
    }
}
