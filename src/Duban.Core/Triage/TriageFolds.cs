namespace Duban.Triage;

/// <summary>Stratified folds: each label's examples shuffled with a seed and dealt round-robin, so every fold holds
/// each label in proportion.</summary>
public static class TriageFolds
{
    /// <summary>The row indices of each fold.</summary>
    public static IReadOnlyList<int[]> Stratified(IReadOnlyList<int> labels, int folds, int seed)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 2);
        var random = new Random(seed);
        var result = Enumerable.Range(0, folds).Select(_ => new List<int>()).ToArray();
        var next = 0;
        foreach (var group in Enumerable.Range(0, labels.Count).GroupBy(i => labels[i]).OrderBy(g => g.Key))
        {
            var rows = group.ToArray();
            random.Shuffle(rows);
            foreach (var row in rows)
            {
                result[next].Add(row);
                next = (next + 1) % folds;
            }
        }

        return result.Select(f => f.Order().ToArray()).ToArray();
    }
}
