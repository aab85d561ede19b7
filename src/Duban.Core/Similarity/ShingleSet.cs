namespace Duban.Similarity;

/// <summary>
/// The distinct character n-grams (shingles) of a normalised text, each hashed to 32 bits and kept sorted, so
/// that exact Jaccard similarity is one merge.
/// </summary>
public sealed class ShingleSet
{
    /// <summary>Two characters: measured better than three on real appeals (see docs/BENCHMARKS.md, similar cases).</summary>
    public const int DefaultWidth = 2;

    private readonly uint[] hashes;

    private ShingleSet(uint[] hashes) => this.hashes = hashes;

    /// <summary>The empty set (an empty text): similar to nothing, itself included.</summary>
    public static ShingleSet Empty { get; } = new([]);

    /// <summary>The sorted, distinct shingle hashes.</summary>
    public ReadOnlySpan<uint> Hashes => hashes;

    /// <summary>Distinct shingles.</summary>
    public int Count => hashes.Length;

    /// <summary>The shingles of raw text, normalised with <see cref="SimilarityText.Normalize"/>.</summary>
    public static ShingleSet FromText(string? text, int width = DefaultWidth) => Of(SimilarityText.Normalize(text), width);

    /// <summary>The shingles of an already normalised text. A text shorter than <paramref name="width"/> is one shingle.</summary>
    public static ShingleSet Of(string normalized, int width = DefaultWidth)
    {
        ArgumentNullException.ThrowIfNull(normalized);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        if (normalized.Length == 0)
        {
            return Empty;
        }

        var count = Math.Max(1, normalized.Length - width + 1);
        var all = new uint[count];
        for (var i = 0; i < count; i++)
        {
            all[i] = Hash(normalized.AsSpan(i, Math.Min(width, normalized.Length - i)));
        }

        Array.Sort(all);
        var distinct = 1;
        for (var i = 1; i < all.Length; i++)
        {
            if (all[i] != all[distinct - 1])
            {
                all[distinct++] = all[i];
            }
        }

        return new ShingleSet(distinct == all.Length ? all : all[..distinct]);
    }

    /// <summary>|A ∩ B| / |A ∪ B|, in [0, 1]; 0 when either is empty.</summary>
    public static double Jaccard(ShingleSet a, ShingleSet b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count == 0 || b.Count == 0)
        {
            return 0;
        }

        var common = Intersection(a.hashes, b.hashes);
        return (double)common / (a.Count + b.Count - common);
    }

    private static int Intersection(uint[] a, uint[] b)
    {
        int i = 0, j = 0, common = 0;
        while (i < a.Length && j < b.Length)
        {
            var x = a[i];
            var y = b[j];
            if (x == y)
            {
                common++;
                i++;
                j++;
            }
            else if (x < y)
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return common;
    }

    /// <summary>FNV-1a over the UTF-16 units, folded to 32 bits: for bigrams of a few thousand distinct hanzi,
    /// collisions are negligible.</summary>
    private static uint Hash(ReadOnlySpan<char> gram)
    {
        unchecked
        {
            var h = 14695981039346656037UL;
            foreach (var c in gram)
            {
                h = (h ^ c) * 1099511628211UL;
            }

            return (uint)(h ^ (h >> 32));
        }
    }
}
