using Lucene.Net.Analysis.Cn.Smart;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Util;

namespace Duban.Triage;

/// <summary>Which features a router uses; stored in the model file, so a model always vectorises as it was trained.</summary>
public enum TriageFeatureSet
{
    /// <summary>Character 1–3-grams only (the models of format 1).</summary>
    Characters = 1,

    /// <summary>Character 1–3-grams, and the unigrams and bigrams of segmented words (分词).</summary>
    CharactersAndWords = 2,
}

/// <summary>
/// Segmented words (分词) of a normalised text and their unigram and bigram hashes, next to the character n-grams.
/// The segmenter is Lucene.Net's SmartCn (an HMM segmenter with its word and bigram dictionaries embedded in the
/// package, so no file is read): measured against jieba.NET 0.42.2 it gave +0.006–0.009 macro-F1 at about half
/// jieba's speed, which the cap below pays for (docs/ROUTING.md). It drops punctuation and lower-cases Latin letters.
/// </summary>
public static class WordFeatures
{
    /// <summary>Only the opening is segmented: the title and the first sentence say what an appeal is about,
    /// segmenting is the slowest step of a prediction, and more text scored no better (docs/ROUTING.md).</summary>
    public const int MaxChars = 60;

    // Thread-safe: an analyzer keeps one token stream per thread.
    private static readonly SmartChineseAnalyzer Analyzer = new(LuceneVersion.LUCENE_48);

    /// <summary>The words of a normalised text, in order, from its first <see cref="MaxChars"/> characters.</summary>
    public static IReadOnlyList<string> Words(string normalised)
    {
        ArgumentNullException.ThrowIfNull(normalised);
        return Tokens(normalised).Select(t => t.Word).ToList();
    }

    /// <summary>
    /// The hashes of a text's word unigrams and of its word bigrams (two words in a row), sorted, with repeats; the
    /// title's (first line's) taken twice, as <see cref="NgramFeatures.Hashes"/> does.
    /// </summary>
    public static int[] Hashes(string normalised)
    {
        ArgumentNullException.ThrowIfNull(normalised);
        var titleEnd = normalised.IndexOf('\n', StringComparison.Ordinal);
        var hashes = new List<int>();
        uint? previous = null;
        foreach (var (word, start) in Tokens(normalised))
        {
            var hash = Fnv(2166136261u, word);
            var times = start < titleEnd ? 2 : 1;
            for (var t = 0; t < times; t++)
            {
                hashes.Add(unchecked((int)(hash ^ 0x5700u)));
                if (previous is { } p)
                {
                    hashes.Add(unchecked((int)(Fnv(p, word) ^ 0x5701u)));
                }
            }

            previous = hash;
        }

        var sorted = hashes.ToArray();
        Array.Sort(sorted);
        return sorted;
    }

    /// <summary>The character n-gram hashes, for <see cref="TriageFeatureSet.CharactersAndWords"/> the word hashes,
    /// and the categories of the <paramref name="lexicon"/>'s terms found, of a normalised text, in one sorted array.</summary>
    public static int[] AllHashes(string normalised, TriageFeatureSet features, TriageLexicon? lexicon = null)
    {
        ArgumentNullException.ThrowIfNull(normalised);
        var words = WordAndTermHashes(normalised, features, lexicon);

        // One sort of both kinds together: the character n-grams need not be sorted on their own first.
        var all = new int[NgramFeatures.Capacity(normalised, 1, NgramFeatures.MaxN) + words.Length];
        var count = NgramFeatures.Fill(normalised, 1, NgramFeatures.MaxN, all);
        words.CopyTo(all, count);
        var sorted = all.AsSpan(0, count + words.Length);
        sorted.Sort();
        return sorted.ToArray();
    }

    /// <summary>The hashes beside the character n-grams: the words (for <see cref="TriageFeatureSet.CharactersAndWords"/>)
    /// and the categories of the <paramref name="lexicon"/>'s terms found, unsorted.</summary>
    internal static int[] WordAndTermHashes(string normalised, TriageFeatureSet features, TriageLexicon? lexicon)
    {
        int[] words = features == TriageFeatureSet.Characters ? [] : Hashes(normalised);
        if (lexicon is null)
        {
            return words;
        }

        var withTerms = new List<int>(words);
        lexicon.AddHashes(normalised, withTerms);
        return withTerms.ToArray();
    }

    private static List<(string Word, int Start)> Tokens(string normalised)
    {
        var words = new List<(string, int)>();
        using var stream = Analyzer.GetTokenStream("text", normalised.Length <= MaxChars ? normalised : normalised[..MaxChars]);
        var term = stream.AddAttribute<ICharTermAttribute>();
        var offset = stream.AddAttribute<IOffsetAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            words.Add((term.ToString(), offset.StartOffset));
        }

        stream.End();
        return words;
    }

    internal static uint Fnv(uint h, string text)
    {
        foreach (var c in text)
        {
            h = unchecked((h ^ c) * 16777619u);
        }

        return unchecked((h ^ 0x1Fu) * 16777619u); // a word boundary, so that "ab"+"c" and "a"+"bc" differ
    }
}
