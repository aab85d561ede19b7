namespace Duban.Similarity;

/// <summary>An appeal for the hot-issue review: when it came, the region it concerns (a unit path or code) and its
/// likes (点赞, public support).</summary>
public sealed record HotIssueItem(long Id, DateTimeOffset At, string Region, int Likes, ShingleSet Shingles);

/// <summary>A hot issue (热点): a group of near-duplicate appeals with its size, total likes and heat.</summary>
public sealed record HotIssue(long Typical, IReadOnlyList<long> Members, int Likes, double Heat, DateTimeOffset First, DateTimeOffset Last);

/// <summary>Hot issues for the monthly review: near-duplicate groups within a period and region, hottest first.</summary>
public static class HotIssues
{
    /// <summary>
    /// Groups the items in [<paramref name="from"/>, <paramref name="to"/>) whose region starts with
    /// <paramref name="region"/> (all when null) and ranks the groups by heat = appeals + log₂(1 + likes): ten people
    /// writing in weigh more than one post with a thousand likes (log₂ 1001 ≈ 10), and likes break ties between
    /// groups of one size. A single appeal counts as a group of one. At most <paramref name="top"/> are returned.
    /// </summary>
    public static IReadOnlyList<HotIssue> Rank(IEnumerable<HotIssueItem> items, DateTimeOffset from, DateTimeOffset to,
        string? region, int top = 20, GroupingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        var chosen = items.Where(i => i.At >= from && i.At < to
                && (region is null || i.Region.StartsWith(region, StringComparison.Ordinal)))
            .ToDictionary(i => i.Id);
        var groups = NearDuplicates.Group(chosen.Values.Select(i => new ShingledItem(i.Id, i.Shingles)).ToList(), options);
        var grouped = groups.SelectMany(g => g.Members).ToHashSet();
        var all = groups.Concat(chosen.Keys.Where(id => !grouped.Contains(id)).Select(id => new NearDuplicateGroup(id, [id])));
        return all.Select(g =>
            {
                var members = g.Members.Select(id => chosen[id]).ToList();
                var likes = members.Sum(m => (long)Math.Max(0, m.Likes));
                var heat = members.Count + Math.Log2(1 + likes);
                return new HotIssue(g.Typical, g.Members, (int)Math.Min(int.MaxValue, likes), heat, members.Min(m => m.At), members.Max(m => m.At));
            })
            .OrderByDescending(h => h.Heat).ThenBy(h => h.Typical)
            .Take(top)
            .ToList();
    }
}
