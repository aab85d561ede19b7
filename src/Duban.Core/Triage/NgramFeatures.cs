namespace Duban.Triage;

/// <summary>
/// Character n-grams of a normalised text, each named by a 32-bit hash (no strings kept: at a million distinct
/// n-grams about a hundred pairs collide, which a linear model does not notice).
/// </summary>
public static class NgramFeatures
{
    /// <summary>The longest n-gram taken.</summary>
    public const int MaxN = 3;

    /// <summary>Texts longer than this are cut: the opening of an appeal says what it is about, and the cap bounds
    /// the cost of a pasted 50 MB file.</summary>
    public const int MaxChars = 4000;

    /// <summary>
    /// The hashes of the <paramref name="minN"/>- to <paramref name="maxN"/>-grams of a normalised text, sorted, with
    /// repeats. The n-grams of the first line (the title) are taken twice: a title names the problem in a few
    /// characters where the body buries it in hundreds (+0.02 macro-F1 in cross-validation). N-grams never start at
    /// white space.
    /// </summary>
    public static int[] Hashes(string normalised, int minN = 1, int maxN = MaxN)
    {
        ArgumentNullException.ThrowIfNull(normalised);
        var length = Math.Min(normalised.Length, MaxChars);
        var titleEnd = normalised.IndexOf('\n', StringComparison.Ordinal) is var nl and >= 0 ? Math.Min(nl, length) : 0;
        var hashes = new int[(length + titleEnd) * (maxN - minN + 1)];
        var count = 0;
        for (var i = 0; i < length; i++)
        {
            if (normalised[i] is ' ' or '\n')
            {
                continue;
            }

            var h = 2166136261u;
            for (var n = 0; n < maxN && i + n < length; n++)
            {
                h = unchecked((h ^ normalised[i + n]) * 16777619u);
                if (n + 1 >= minN)
                {
                    var hash = unchecked((int)(h ^ (uint)n));
                    hashes[count++] = hash;
                    if (i + n < titleEnd)
                    {
                        hashes[count++] = hash;
                    }
                }
            }
        }

        var sorted = hashes.AsSpan(0, count);
        sorted.Sort();
        return sorted.ToArray();
    }

    /// <summary>Each distinct hash once, with how often it occurs, from a sorted hash array.</summary>
    public static (int[] Hashes, int[] Counts) Counted(int[] sortedHashes)
    {
        ArgumentNullException.ThrowIfNull(sortedHashes);
        var distinct = 0;
        for (var i = 0; i < sortedHashes.Length; i++)
        {
            distinct += i == 0 || sortedHashes[i] != sortedHashes[i - 1] ? 1 : 0;
        }

        var hashes = new int[distinct];
        var counts = new int[distinct];
        var at = -1;
        for (var i = 0; i < sortedHashes.Length; i++)
        {
            if (i == 0 || sortedHashes[i] != sortedHashes[i - 1])
            {
                hashes[++at] = sortedHashes[i];
            }

            counts[at]++;
        }

        return (hashes, counts);
    }
}
