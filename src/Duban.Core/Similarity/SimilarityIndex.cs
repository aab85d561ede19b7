namespace Duban.Similarity;

/// <summary>One neighbour: its id, the MinHash estimate of the Jaccard similarity and, when verified, the exact one.</summary>
public sealed record SimilarItem(long Id, double Estimate, double? Exact)
{
    /// <summary>The exact score when there is one, else the estimate.</summary>
    public double Score => Exact ?? Estimate;
}

/// <summary>
/// Nearest neighbours by MinHash: every signature is compared with the query, 16 positions per instruction.
/// Measured against banded LSH (docs/BENCHMARKS.md): the scan finds neighbours at any similarity, needs no tuning
/// and holds 128 bytes per item, and 1,000,000 items still answer within the budget.
/// </summary>
public sealed class SimilarityIndex
{
    private ushort[] signatures;
    private long[] ids;

    /// <summary>An empty index with room for <paramref name="capacity"/> items before it grows.</summary>
    public SimilarityIndex(int capacity = 1024)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        signatures = new ushort[Math.Max(1, capacity) * MinHash.Size];
        ids = new long[Math.Max(1, capacity)];
    }

    /// <summary>Items added.</summary>
    public int Count { get; private set; }

    /// <summary>Adds an item. Ids are the caller's; adding one twice makes it appear twice.</summary>
    public void Add(long id, MinHashSignature signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        if (Count == ids.Length)
        {
            Array.Resize(ref ids, checked(ids.Length * 2));
            Array.Resize(ref signatures, checked(signatures.Length * 2));
        }

        signature.Values.CopyTo(signatures.AsSpan(Count * MinHash.Size, MinHash.Size));
        ids[Count] = id;
        Count++;
    }

    /// <summary>
    /// The <paramref name="k"/> items most similar to <paramref name="query"/>, best first (ties: smaller id first),
    /// leaving out <paramref name="exclude"/> and items that share no position with the query. With
    /// <paramref name="exact"/> (the shingles of an id, or null if gone) and <paramref name="queryShingles"/>, the best 10·k
    /// by estimate are re-ranked by exact Jaccard.
    /// </summary>
    public IReadOnlyList<SimilarItem> TopSimilar(MinHashSignature query, int k, long? exclude = null,
        ShingleSet? queryShingles = null, Func<long, ShingleSet?>? exact = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var verify = exact is not null && queryShingles is not null;
        var keep = verify ? Math.Max(10 * k, k + 32) : k;
        var best = Scan(query.Values, keep, exclude);
        if (!verify)
        {
            return best;
        }

        return best
            .Select(c => exact!(c.Id) is { } shingles ? c with { Exact = ShingleSet.Jaccard(queryShingles!, shingles) } : null)
            .OfType<SimilarItem>()
            .Where(c => c.Exact > 0)
            .OrderByDescending(c => c.Exact).ThenByDescending(c => c.Estimate).ThenBy(c => c.Id)
            .Take(k)
            .ToList();
    }

    private List<SimilarItem> Scan(ReadOnlySpan<ushort> query, int keep, long? exclude)
    {
        // A min-heap of the best so far, keyed by (matches, -id): the root is the weakest kept.
        var heap = new PriorityQueue<int, (int Matches, long NegId)>(keep + 1);
        var floor = 1;
        for (var i = 0; i < Count; i++)
        {
            var matches = MinHash.Matches(query, signatures.AsSpan(i * MinHash.Size, MinHash.Size));
            if (matches < floor || ids[i] == exclude)
            {
                continue;
            }

            var key = (matches, -ids[i]);
            if (heap.Count < keep)
            {
                heap.Enqueue(i, key);
            }
            else if (heap.TryPeek(out _, out var weakest) && key.CompareTo(weakest) > 0)
            {
                heap.EnqueueDequeue(i, key);
            }

            if (heap.Count == keep && heap.TryPeek(out _, out var root))
            {
                floor = root.Matches;
            }
        }

        var result = new List<SimilarItem>(heap.Count);
        while (heap.TryDequeue(out var position, out var key))
        {
            result.Add(new SimilarItem(ids[position], (double)key.Matches / MinHash.Size, null));
        }

        result.Reverse();
        return result;
    }
}
