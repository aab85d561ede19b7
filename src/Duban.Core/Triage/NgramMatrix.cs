using System.Runtime.InteropServices;

namespace Duban.Triage;

/// <summary>
/// Training texts featurised once: each text's distinct n-grams (in hash order) as ids into one vocabulary of every
/// n-gram seen, with their counts. The calibration trainings and the final one select their features and tf-idf values
/// from here instead of hashing the texts again; no n-gram string is ever kept.
/// </summary>
internal sealed class NgramMatrix
{
    /// <summary>Texts hashed in parallel per block, then numbered in order.</summary>
    private const int Block = 4096;

    private readonly int[] hashes;   // by vocabulary id
    private readonly int[][] ids;    // per row, in hash order
    private readonly int[][] counts;

    private readonly TriageFeatureSet features;
    private readonly TriageLexicon? lexicon;

    private NgramMatrix(int[] hashes, int[][] ids, int[][] counts, TriageFeatureSet features, TriageLexicon? lexicon)
    {
        this.features = features;
        this.lexicon = lexicon;
        this.hashes = hashes;
        this.ids = ids;
        this.counts = counts;
    }

    /// <summary>Normalises and hashes the texts in parallel, then numbers the n-grams in text order, so that the
    /// result does not depend on the scheduling. A row's hash array becomes its id array in place.</summary>
    public static NgramMatrix Build(IReadOnlyList<string> texts, TriageFeatureSet features, TriageLexicon? lexicon = null)
    {
        var vocabulary = new Dictionary<int, int>();
        var vocabularyHashes = new List<int>();
        var ids = new int[texts.Count][];
        var counts = new int[texts.Count][];
        for (var first = 0; first < texts.Count; first += Block)
        {
            var start = first;
            Parallel.For(start, Math.Min(start + Block, texts.Count),
                i => (ids[i], counts[i]) = NgramFeatures.Counted(WordFeatures.AllHashes(TriageText.Normalise(texts[i]), features, lexicon)));
            for (var i = start; i < Math.Min(start + Block, texts.Count); i++)
            {
                var row = ids[i];
                for (var e = 0; e < row.Length; e++)
                {
                    ref var id = ref CollectionsMarshal.GetValueRefOrAddDefault(vocabulary, row[e], out var seen);
                    if (!seen)
                    {
                        id = vocabularyHashes.Count;
                        vocabularyHashes.Add(row[e]);
                    }

                    row[e] = id;
                }
            }
        }

        return new NgramMatrix(vocabularyHashes.ToArray(), ids, counts, features, lexicon);
    }

    /// <summary>The feature space of some rows: the n-grams found in at least <paramref name="minDocuments"/> of them,
    /// at most <paramref name="maxFeatures"/> of the most frequent (ties: the smaller hash first), and for each
    /// vocabulary id its feature index, or −1.</summary>
    public (FeatureSpace Space, int[] Feature) Space(int[] rows, int minDocuments, int maxFeatures)
    {
        var documentFrequency = new int[hashes.Length];
        foreach (var r in rows)
        {
            foreach (var id in ids[r])
            {
                documentFrequency[id]++;
            }
        }

        var kept = new List<int>();
        for (var id = 0; id < hashes.Length; id++)
        {
            if (documentFrequency[id] >= minDocuments)
            {
                kept.Add(id);
            }
        }

        var keptIds = kept.ToArray();
        if (keptIds.Length > maxFeatures)
        {
            var byFrequency = keptIds.Select(id => unchecked(((long)-documentFrequency[id] << 32) | (uint)(hashes[id] ^ int.MinValue))).ToArray();
            Array.Sort(byFrequency, keptIds);
            keptIds = keptIds[..maxFeatures];
        }

        var keptHashes = keptIds.Select(id => hashes[id]).ToArray();
        Array.Sort(keptHashes, keptIds);
        var feature = new int[hashes.Length];
        Array.Fill(feature, -1);
        var idf = new float[keptIds.Length];
        for (var i = 0; i < keptIds.Length; i++)
        {
            feature[keptIds[i]] = i;
            idf[i] = FeatureSpace.InverseDocumentFrequency(rows.Length, documentFrequency[keptIds[i]]);
        }

        return (new FeatureSpace(keptHashes, idf, features, lexicon), feature);
    }

    /// <summary>The tf-idf vectors of some rows in a space from <see cref="Space"/>. The indices of a row come out
    /// sorted: entries are in hash order, and feature indices follow hash order.</summary>
    public SparseRows Vectorise(int[] rows, FeatureSpace space, int[] feature)
    {
        var rowStart = new int[rows.Length + 1];
        for (var i = 0; i < rows.Length; i++)
        {
            var known = 0;
            foreach (var id in ids[rows[i]])
            {
                known += feature[id] >= 0 ? 1 : 0;
            }

            rowStart[i + 1] = rowStart[i] + known;
        }

        var indices = new int[rowStart[^1]];
        var values = new float[indices.Length];
        var rowCounts = new int[indices.Length];
        Parallel.For(0, rows.Length, i =>
        {
            var (rowIds, rowCount, at) = (ids[rows[i]], counts[rows[i]], rowStart[i]);
            for (var e = 0; e < rowIds.Length; e++)
            {
                if (feature[rowIds[e]] is var f and >= 0)
                {
                    indices[at] = f;
                    rowCounts[at++] = rowCount[e];
                }
            }

            var range = rowStart[i]..rowStart[i + 1];
            space.Weigh(indices.AsSpan(range), rowCounts.AsSpan(range), values.AsSpan(range));
        });
        return new SparseRows(rowStart, indices, values);
    }
}

/// <summary>Feature vectors of many texts in compressed rows: row i is entries Start[i] .. Start[i + 1].</summary>
internal sealed record SparseRows(int[] Start, int[] Indices, float[] Values)
{
    public int Count => Start.Length - 1;

    public ReadOnlySpan<int> IndicesOf(int row) => Indices.AsSpan(Start[row]..Start[row + 1]);

    public ReadOnlySpan<float> ValuesOf(int row) => Values.AsSpan(Start[row]..Start[row + 1]);
}
