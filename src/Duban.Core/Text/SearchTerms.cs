using System.Text;

namespace Duban.Text;

/// <summary>
/// Keyword search by character pairs (检索词): Chinese has no spaces between words and a search word is often two
/// characters (小区、噪音、拆迁), so a text is indexed by its overlapping pairs of characters, and a keyword is looked up
/// by its own pairs. The index answers "which texts hold every pair of the keyword": a superset of the texts that
/// contain it, which the caller narrows with the substring test it would have run alone, now over a handful of rows
/// instead of the whole table. A keyword of one character has no pair, and is left to that test.
/// </summary>
/// <remarks>
/// One cut, two forms. SQLite's full-text table (FTS5) takes <see cref="Index"/>'s pairs as words and is asked for all
/// of <see cref="Match"/>'s; PostgreSQL's GIN index holds <see cref="PairCodes"/>, each pair as one integer (half the
/// bytes of the pairs as text), and is asked for the arrays holding all of the keyword's. ASCII letters are lowered on
/// both sides (the substring test after the index sees to case), nothing else is changed.
/// </remarks>
public static class SearchTerms
{
    /// <summary>
    /// The text as FTS5 words: each run of letters and digits cut into its overlapping pairs of characters (a run of
    /// one character as itself), separated by spaces, ASCII letters lowered. 临时停车 → "临时 时停 停车"; 小区A栋 →
    /// "小区 区a a栋".
    /// </summary>
    public static string Index(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var output = new StringBuilder(text.Length * 3);
        foreach (var run in Runs(text))
        {
            AppendPairs(output, run);
        }

        return output.ToString();
    }

    /// <summary>
    /// The FTS5 query finding every text <see cref="Index"/> cut that contains <paramref name="keyword"/>: each of
    /// <see cref="MatchPairs"/> quoted, all required (the table keeps no positions, so not in order: the substring
    /// test after it sees to that). Null when the keyword has no pair: the index cannot narrow it.
    /// </summary>
    public static string? Match(string keyword)
    {
        var pairs = MatchPairs(keyword);
        return pairs.Count == 0 ? null : string.Join(' ', pairs.Select(p => "\"" + p + "\""));
    }

    /// <summary>
    /// The distinct pairs of the keyword's runs of two or more letters and digits, ASCII letters lowered: every text
    /// containing the keyword holds each of them among <see cref="Index"/>'s words. Empty when the keyword has no
    /// such run (one character, or only punctuation): the index cannot narrow it.
    /// </summary>
    public static IReadOnlyList<string> MatchPairs(string keyword)
    {
        ArgumentNullException.ThrowIfNull(keyword);
        // A one-character run of the keyword may be any character of a longer run in the text: it has no word.
        return [.. Adjacent(keyword).Select(p => p.First.ToString() + p.Second.ToString()).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>
    /// The distinct pairs of the runs of two or more letters and digits of a text or a keyword, ASCII letters lowered,
    /// each as one integer: the first character's code in the high 16 bits, the second's in the low. Every text
    /// containing a keyword holds all of the keyword's codes. A character beyond the basic plane keeps only its low 16
    /// bits, so its pairs may share a code with others: more candidates, never fewer.
    /// </summary>
    public static int[] PairCodes(string? text) =>
        [.. Adjacent(text ?? "").Select(p => unchecked((int)(((uint)p.First.Value << 16) | ((uint)p.Second.Value & 0xFFFF)))).Distinct()];

    /// <summary>
    /// Whether the index's answer for this keyword is exact on both engines, with no substring test after it: a
    /// keyword of two letters or digits without case (小区, 12) in the basic plane is one pair with a code of its own,
    /// and a text holds that pair exactly when it holds the keyword. (Letters with case are not: the index ignores
    /// case, the substring test does not.)
    /// </summary>
    public static bool MatchIsExact(string keyword)
    {
        ArgumentNullException.ThrowIfNull(keyword);
        var runes = keyword.EnumerateRunes().ToList();
        return runes.Count == 2 && runes.TrueForAll(r => r.IsBmp && Rune.IsLetterOrDigit(r) && Rune.ToUpperInvariant(r) == r && Rune.ToLowerInvariant(r) == r);
    }

    /// <summary>
    /// From how many matters holding a keyword's pairs the keyword is common among <paramref name="matters"/>: found by
    /// the substring test along the list's own index, which stops once a page and the capped count are filled (the
    /// commoner the word, the fewer rows it reads), instead of reading the index's candidates (which grow with the
    /// word). Equal at 50,000 of a million (docs/BENCHMARKS.md), the two costs meet at 50 × √matters: a word in
    /// 28 % of 100,000 matters read 28,000 candidates for 100 ms a page. Never under <paramref name="floor"/>, the
    /// count's cap, so a common word is always one the index counted past it.
    /// </summary>
    public static int CommonFrom(long matters, int floor) =>
        (int)Math.Clamp(50 * Math.Sqrt(Math.Max(matters, 0)), floor, int.MaxValue);

    /// <summary>The maximal runs of letters and digits, as characters (a character outside the basic plane is one), ASCII
    /// letters lowered.</summary>
    private static IEnumerable<List<Rune>> Runs(string text)
    {
        var run = new List<Rune>();
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsLetterOrDigit(rune))
            {
                run.Add(rune.IsAscii ? Rune.ToLowerInvariant(rune) : rune);
            }
            else if (run.Count > 0)
            {
                yield return run;
                run = [];
            }
        }

        if (run.Count > 0)
        {
            yield return run;
        }
    }

    /// <summary>Each two adjacent characters within a run of letters and digits, in order (repeats included).</summary>
    private static IEnumerable<(Rune First, Rune Second)> Adjacent(string text)
    {
        foreach (var run in Runs(text))
        {
            for (var i = 0; i + 1 < run.Count; i++)
            {
                yield return (run[i], run[i + 1]);
            }
        }
    }

    private static void AppendPairs(StringBuilder output, List<Rune> run)
    {
        if (run.Count == 1)
        {
            Separate(output);
            output.Append(run[0].ToString());
            return;
        }

        for (var i = 0; i + 1 < run.Count; i++)
        {
            Separate(output);
            output.Append(run[i].ToString()).Append(run[i + 1].ToString());
        }
    }

    private static void Separate(StringBuilder output)
    {
        if (output.Length > 0)
        {
            output.Append(' ');
        }
    }
}
