namespace Duban.Similarity;

/// <summary>A text to group: the caller's id and its shingles.</summary>
public sealed record ShingledItem(long Id, ShingleSet Shingles);

/// <summary>A group of near-duplicates: the typical item (典型) and every member, the typical one included, by id.</summary>
public sealed record NearDuplicateGroup(long Typical, IReadOnlyList<long> Members);

/// <summary>How near is near: measured on the real appeals (docs/BENCHMARKS.md, similar cases).</summary>
public sealed record GroupingOptions
{
    /// <summary>Exact Jaccard at or above which two items are linked.</summary>
    public double Threshold { get; init; } = 0.1;

    /// <summary>Two groups join only if their typical items are at least this similar: no chaining into one
    /// catch-all group through a series of slightly different texts.</summary>
    public double GuardThreshold { get; init; } = 0.065;

    /// <summary>Every member of a group must be at least this similar to the group's typical item (its medoid-like
    /// centre): two groups join only if each member of the smaller one reaches it against the larger one's typical
    /// item. Without it a series of links, each above <see cref="Threshold"/>, chains texts that share only a
    /// writer's stock phrases into one large group of unrelated problems (docs/SIMILAR.md).</summary>
    public double MemberThreshold { get; init; } = 0.065;

    /// <summary>A group grows past this many members only with members at least <see cref="LargeMemberThreshold"/>
    /// similar to its typical item.</summary>
    public int LargeGroup { get; init; } = 30;

    /// <summary>The similarity to the typical item asked of a member joining a group past <see cref="LargeGroup"/>:
    /// 点办理 and 批处理 act on a whole group at once, so the larger it is, the more a stray member costs.</summary>
    public double LargeMemberThreshold { get; init; } = 0.12;

    /// <summary>A MinHash value shared by more items than this is too common to suggest anything (a common
    /// bigram such as 尊敬 that happens to hash low) and is not used to find candidates.</summary>
    public int MaxBucket { get; init; } = 200;

    /// <summary>Equal signature positions (of 64) that make a pair a candidate to verify.</summary>
    public int? MinShared { get; init; }

    internal int Shared => MinShared ?? 4;
}

/// <summary>
/// Grouping a set into near-duplicate groups: candidate pairs from shared MinHash values, each verified by exact
/// Jaccard, then joined strongest link first, two groups only when every member of the smaller one is similar enough
/// to the larger one's typical item (more so past <see cref="GroupingOptions.LargeGroup"/>): a group is a star around
/// its typical item, never a chain. The groups depend on the items, not on their order.
/// </summary>
public static class NearDuplicates
{
    /// <summary>The groups of two or more, largest first (ties: smaller typical id first).</summary>
    public static IReadOnlyList<NearDuplicateGroup> Group(IReadOnlyList<ShingledItem> items, GroupingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(items);
        options ??= new GroupingOptions();
        var edges = Links(items, options);

        // Strongest first; ties by id so that the input order never matters.
        edges.Sort((x, y) => y.Similarity.CompareTo(x.Similarity) is var c && c != 0 ? c
            : Order(items[x.A].Id, items[x.B].Id).CompareTo(Order(items[y.A].Id, items[y.B].Id)));
        var parent = Enumerable.Range(0, items.Count).ToArray();
        var size = Enumerable.Repeat(1, items.Count).ToArray();
        var typical = Enumerable.Range(0, items.Count).ToArray();
        var members = new List<int>?[items.Count];
        var refused = new HashSet<(int Root, int Child, int RootSize, int ChildSize)>(); // two groups are tried once per state
        foreach (var (a, b, similarity) in edges)
        {
            var ra = Find(parent, a);
            var rb = Find(parent, b);
            if (ra == rb)
            {
                continue;
            }

            var (ta, tb) = (typical[ra], typical[rb]);
            var guard = (ta, tb) == (a, b) || (ta, tb) == (b, a) ? similarity : ShingleSet.Jaccard(items[ta].Shingles, items[tb].Shingles);
            if (guard < options.GuardThreshold)
            {
                continue;
            }

            // The larger group's typical item stays typical; between equals, the smaller id.
            var keepA = size[ra] > size[rb] || (size[ra] == size[rb] && items[ta].Id < items[tb].Id);
            var (root, child) = keepA ? (ra, rb) : (rb, ra);
            var centre = items[typical[root]].Shingles;
            var joining = members[child] ?? [child];
            var required = size[root] + size[child] > options.LargeGroup ? options.LargeMemberThreshold : options.MemberThreshold;
            if (refused.Contains((root, child, size[root], size[child]))
                || !joining.TrueForAll(m => m == typical[root] || ShingleSet.Jaccard(items[m].Shingles, centre) >= required))
            {
                refused.Add((root, child, size[root], size[child]));
                continue;
            }

            (members[root] ??= [root]).AddRange(joining);
            members[child] = null;
            parent[child] = root;
            size[root] += size[child];
            typical[root] = keepA ? ta : tb;
        }

        return Enumerable.Range(0, items.Count)
            .GroupBy(i => Find(parent, i))
            .Where(g => g.Count() > 1)
            .Select(g => new NearDuplicateGroup(items[typical[g.Key]].Id, g.Select(i => items[i].Id).Order().ToList()))
            .OrderByDescending(g => g.Members.Count).ThenBy(g => g.Typical)
            .ToList();
    }

    /// <summary>Every verified link: pairs sharing at least <see cref="GroupingOptions.Shared"/> MinHash values
    /// (through buckets of equal (position, value)), kept when their exact Jaccard reaches the threshold.</summary>
    internal static List<(int A, int B, double Similarity)> Links(IReadOnlyList<ShingledItem> items, GroupingOptions options)
    {
        var n = items.Count;
        var signatures = new MinHashSignature?[n];
        Parallel.For(0, n, i => signatures[i] = MinHash.Of(items[i].Shingles));

        // (position·65536 + value) << 32 | item, sorted: each run of equal keys is one bucket.
        var entries = new List<ulong>(checked(n * MinHash.Size));
        for (var i = 0; i < n; i++)
        {
            if (signatures[i] is not { } signature)
            {
                continue;
            }

            for (var p = 0; p < MinHash.Size; p++)
            {
                entries.Add(((ulong)((uint)(p << 16) | signature.Values[p]) << 32) | (uint)i);
            }
        }
        var sorted = entries.ToArray();
        entries.Clear();
        Array.Sort(sorted);
        var bucketStart = new List<int>();
        var bucketsOf = new int[n * MinHash.Size]; // item·64 + position → bucket
        for (var e = 0; e < sorted.Length; e++)
        {
            if (e == 0 || (sorted[e] >> 32) != (sorted[e - 1] >> 32))
            {
                bucketStart.Add(e);
            }

            var item = unchecked((int)(uint)sorted[e]);
            var position = (int)(sorted[e] >> 48);
            bucketsOf[(item * MinHash.Size) + position] = bucketStart.Count - 1;
        }

        bucketStart.Add(sorted.Length);
        var starts = bucketStart.ToArray();
        var shared = options.Shared;
        var links = new List<(int, int, double)>();
        Parallel.For(0, n, () => (Counts: new int[n], Touched: new List<int>(), Found: new List<(int, int, double)>()),
            (i, _, local) =>
            {
                if (signatures[i] is null)
                {
                    return local;
                }

                for (var p = 0; p < MinHash.Size; p++)
                {
                    var bucket = bucketsOf[(i * MinHash.Size) + p];
                    var (from, to) = (starts[bucket], starts[bucket + 1]);
                    if (to - from > options.MaxBucket)
                    {
                        continue;
                    }

                    for (var e = from; e < to; e++)
                    {
                        var other = unchecked((int)(uint)sorted[e]);
                        if (other > i && local.Counts[other]++ == 0)
                        {
                            local.Touched.Add(other);
                        }
                    }
                }

                foreach (var other in local.Touched)
                {
                    if (local.Counts[other] >= shared)
                    {
                        var similarity = ShingleSet.Jaccard(items[i].Shingles, items[other].Shingles);
                        if (similarity >= options.Threshold)
                        {
                            local.Found.Add((i, other, similarity));
                        }
                    }

                    local.Counts[other] = 0;
                }

                local.Touched.Clear();
                return local;
            },
            local =>
            {
                lock (links)
                {
                    links.AddRange(local.Found);
                }
            });
        return links;
    }

    private static (long, long) Order(long x, long y) => x < y ? (x, y) : (y, x);

    private static int Find(int[] parent, int i)
    {
        while (parent[i] != i)
        {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }

        return i;
    }
}
