using System.Globalization;
using JiebaNet.Segmenter;

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
/// The segmenter is jieba.NET 0.42.2 in precise mode without its HMM for unknown words (the dictionary's
/// maximum-probability path): the HMM made segmentation several times slower for no gain in macro-F1 here, and the
/// character n-grams already cover the unknown words it would guess. Its dictionary (the package's
/// <c>Resources</c> folder) is copied beside every app that loads a model.
/// </summary>
public static class WordFeatures
{
    /// <summary>Only the opening is segmented: the title and the first sentences say what an appeal is about, and
    /// segmenting is the slowest step of a prediction.</summary>
    public const int MaxChars = 300;

    // Segmenters are cheap over the shared dictionary, which loads once; one per thread, as the library does not
    // promise that one instance may be used by several threads at once.
    private static readonly ThreadLocal<JiebaSegmenter> Segmenter = new(() => new JiebaSegmenter());

    /// <summary>The words of a normalised text, in order: tokens holding a letter, digit or Han character (spaces and
    /// punctuation dropped), from the first <see cref="MaxChars"/> characters.</summary>
    public static IReadOnlyList<string> Words(string normalised)
    {
        ArgumentNullException.ThrowIfNull(normalised);
        return Tokens(normalised).Where(t => t.IsWord).Select(t => t.Text).ToList();
    }

    /// <summary>
    /// The hashes of a text's word unigrams (words of two or more characters: single ones are character 1-grams
    /// already) and of its word bigrams (two words in a row with no punctuation between), sorted, with repeats; the
    /// title's (first line's) taken twice, as <see cref="NgramFeatures.Hashes"/> does.
    /// </summary>
    public static int[] Hashes(string normalised)
    {
        ArgumentNullException.ThrowIfNull(normalised);
        var titleEnd = normalised.IndexOf('\n', StringComparison.Ordinal);
        var hashes = new List<int>();
        uint? previous = null;
        var at = 0;
        foreach (var (text, isWord) in Tokens(normalised))
        {
            var inTitle = at < titleEnd;
            at += text.Length;
            if (!isWord)
            {
                previous = text == " " ? previous : null; // a space is no break, punctuation is
                continue;
            }

            var word = Fnv(2166136261u, text);
            var times = inTitle ? 2 : 1;
            for (var t = 0; t < times; t++)
            {
                if (text.Length >= 2)
                {
                    hashes.Add(unchecked((int)(word ^ 0x5700u)));
                }

                if (previous is { } p)
                {
                    hashes.Add(unchecked((int)(Fnv(p, text) ^ 0x5701u)));
                }
            }

            previous = word;
        }

        var sorted = hashes.ToArray();
        Array.Sort(sorted);
        return sorted;
    }

    /// <summary>The character n-gram hashes and, for <see cref="TriageFeatureSet.CharactersAndWords"/>, the word
    /// hashes of a normalised text, in one sorted array.</summary>
    public static int[] AllHashes(string normalised, TriageFeatureSet features)
    {
        var characters = NgramFeatures.Hashes(normalised);
        if (features == TriageFeatureSet.Characters)
        {
            return characters;
        }

        var words = Hashes(normalised);
        var all = new int[characters.Length + words.Length];
        characters.CopyTo(all, 0);
        words.CopyTo(all, characters.Length);
        Array.Sort(all);
        return all;
    }

    private static IEnumerable<(string Text, bool IsWord)> Tokens(string normalised)
    {
        var opening = normalised.Length <= MaxChars ? normalised : normalised[..MaxChars];
        foreach (var token in Segmenter.Value!.Cut(opening, cutAll: false, hmm: false))
        {
            yield return (token, token.Any(IsWordChar));
        }
    }

    private static bool IsWordChar(char c) =>
        char.IsLetterOrDigit(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.OtherLetter;

    private static uint Fnv(uint h, string text)
    {
        foreach (var c in text)
        {
            h = unchecked((h ^ c) * 16777619u);
        }

        return unchecked((h ^ 0x1Fu) * 16777619u); // a word boundary, so that "ab"+"c" and "a"+"bc" differ
    }
}
