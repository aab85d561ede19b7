namespace Duban.Triage;

/// <summary>
/// A category tree's terms (词表), each naming the category it belongs to, e.g. the organisers' 三级标签体系 where 小区管理
/// and 物业管理 belong to 城乡建设. Each term found in a text adds a feature for its category, counted
/// <see cref="Weight"/> times: the model learns from the rows how far to trust the tree, and a label whose appeals use
/// the tree's words gets them as evidence shared across its terms (+0.01 mean macro-F1 on the labelled appeals,
/// docs/ROUTING.md). Stored in the model, so a model always featurises as it was trained.
/// </summary>
public sealed class TriageLexicon
{
    /// <summary>How many times a found term's category counts (1, 2 and 3 were tried; docs/ROUTING.md).</summary>
    public const int Weight = 2;

    /// <summary>Terms shorter than this are not taken: one character matches nearly every text.</summary>
    public const int MinTermLength = 2;

    /// <summary>The most terms a lexicon holds.</summary>
    public const int MaxTerms = 100_000;

    // Terms by their first two characters: a text is scanned once, each position looks up the terms starting there.
    private readonly Dictionary<int, (string Term, int Category)[]> byStart;

    /// <summary>A lexicon of (term, category) pairs. Terms are normalised as texts are; a term shorter than
    /// <see cref="MinTermLength"/> or listed under more than one category (as 其他 is under every one) is left out,
    /// since it says nothing about which.</summary>
    public TriageLexicon(IEnumerable<(string Term, string Category)> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var categoriesOf = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var (term, category) in entries)
        {
            var normalised = TriageText.Normalise(term);
            var name = category?.Trim() ?? "";
            if (normalised.Length >= MinTermLength && name.Length > 0 && !normalised.Contains(' ', StringComparison.Ordinal) && !normalised.Contains('\n', StringComparison.Ordinal))
            {
                if (!categoriesOf.TryGetValue(normalised, out var set))
                {
                    categoriesOf[normalised] = set = new HashSet<string>(StringComparer.Ordinal);
                }

                set.Add(name);
            }
        }

        if (categoriesOf.Count > MaxTerms)
        {
            throw new ArgumentException($"词表最多 {MaxTerms} 个词", nameof(entries));
        }

        Terms = categoriesOf.Where(p => p.Value.Count == 1).Select(p => (p.Key, p.Value.First()))
            .OrderBy(t => t.Key, StringComparer.Ordinal).ToArray();
        var categories = Terms.Select(t => t.Category).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        CategoryHashes = categories.Select(c => unchecked((int)(WordFeatures.Fnv(2166136261u, c) ^ 0x4C00u))).ToArray();
        byStart = Terms.Select(t => (t.Term, Category: Array.BinarySearch(categories, t.Category, StringComparer.Ordinal)))
            .GroupBy(t => Key(t.Term, 0)).ToDictionary(g => g.Key, g => g.ToArray());
    }

    /// <summary>The terms kept, each with its category, in term order.</summary>
    public IReadOnlyList<(string Term, string Category)> Terms { get; }

    /// <summary>The feature hash of each category (in category order): apart from every character and word n-gram.</summary>
    private int[] CategoryHashes { get; }

    /// <summary>A lexicon from rows whose first field is the category and whose other fields are its terms (the layout
    /// of taxonomy.csv: 一级分类, 二级分类, 三级分类).</summary>
    public static TriageLexicon FromRows(IEnumerable<IReadOnlyList<string>> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return new TriageLexicon(rows.Where(r => r.Count > 1).SelectMany(r => r.Skip(1).Select(term => (term, r[0]))));
    }

    /// <summary>Adds to <paramref name="output"/> the category hash of every term occurrence in the first
    /// <see cref="NgramFeatures.MaxChars"/> characters of a normalised text, <see cref="Weight"/> times each.</summary>
    internal void AddHashes(string normalised, List<int> output)
    {
        var length = Math.Min(normalised.Length, NgramFeatures.MaxChars);
        for (var i = 0; i + MinTermLength <= length; i++)
        {
            if (!byStart.TryGetValue(Key(normalised, i), out var candidates))
            {
                continue;
            }

            foreach (var (term, category) in candidates)
            {
                if (i + term.Length <= length && string.CompareOrdinal(normalised, i, term, 0, term.Length) == 0)
                {
                    for (var w = 0; w < Weight; w++)
                    {
                        output.Add(CategoryHashes[category]);
                    }
                }
            }
        }
    }

    private static int Key(string text, int at) => (text[at] << 16) | text[at + 1];
}
