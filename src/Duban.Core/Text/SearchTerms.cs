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
/// Two forms, one per engine. SQLite's full-text table (FTS5) gets <see cref="Index"/>'s pairs as words and is asked
/// for all of <see cref="Match"/>'s. PostgreSQL indexes a text's distinct pairs as an
/// array (GIN) computed in SQL, so <see cref="Pairs"/> must cut exactly as that function does: every two adjacent
/// characters, ASCII letters lowered, nothing else changed.
/// </remarks>
public static class SearchTerms
{
    /// <summary>
    /// The text as FTS5 words: each run of letters and digits cut into its overlapping pairs of characters (a run of
    /// one character as itself), separated by spaces. 临时停车 → "临时 时停 停车"; 小区A栋 → "小区 区a a栋" after the
    /// tokenizer folds case.
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
    /// The FTS5 query finding every text <see cref="Index"/> cut that contains <paramref name="keyword"/>: each pair of
    /// its runs of two or more letters and digits, all required (the table keeps no positions, so not in order: the
    /// substring test after it sees to that). Null when the keyword has no such run (one character, or only
    /// punctuation): the index cannot narrow it.
    /// </summary>
    public static string? Match(string keyword)
    {
        ArgumentNullException.ThrowIfNull(keyword);
        var pairs = new List<string>();
        foreach (var run in Runs(keyword))
        {
            // A one-character run of the keyword may be any character of a longer run in the text: it has no word.
            for (var i = 0; i + 1 < run.Count; i++)
            {
                var pair = "\"" + run[i].ToString() + run[i + 1].ToString() + "\"";
                if (!pairs.Contains(pair, StringComparer.Ordinal))
                {
                    pairs.Add(pair);
                }
            }
        }

        return pairs.Count == 0 ? null : string.Join(' ', pairs);
    }

    /// <summary>
    /// Whether the index's answer for this keyword is exact on both engines, with no substring test after it: a
    /// keyword of two letters or digits without case (小区, 12) is one pair, and a text holds that pair exactly when it
    /// holds the keyword. (Letters with case are not: the index ignores case, the substring test does not.)
    /// </summary>
    public static bool MatchIsExact(string keyword)
    {
        ArgumentNullException.ThrowIfNull(keyword);
        var runes = keyword.EnumerateRunes().ToList();
        return runes.Count == 2 && runes.TrueForAll(r => Rune.IsLetterOrDigit(r) && Rune.ToUpperInvariant(r) == r && Rune.ToLowerInvariant(r) == r);
    }

    /// <summary>
    /// The distinct pairs of adjacent characters of the keyword with ASCII letters lowered, as PostgreSQL's
    /// <c>duban_pairs(lower(text COLLATE "C"))</c> cuts a stored text (spaces and punctuation included). Empty when
    /// the keyword is shorter than two characters.
    /// </summary>
    public static IReadOnlyList<string> Pairs(string keyword)
    {
        ArgumentNullException.ThrowIfNull(keyword);
        var runes = keyword.EnumerateRunes().Select(r => r.IsAscii ? Rune.ToLowerInvariant(r) : r).ToList();
        var pairs = new List<string>();
        for (var i = 0; i + 1 < runes.Count; i++)
        {
            var pair = runes[i].ToString() + runes[i + 1].ToString();
            if (!pairs.Contains(pair, StringComparer.Ordinal))
            {
                pairs.Add(pair);
            }
        }

        return pairs;
    }

    /// <summary>The maximal runs of letters and digits, as characters (a character outside the basic plane is one).</summary>
    private static IEnumerable<List<Rune>> Runs(string text)
    {
        var run = new List<Rune>();
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsLetterOrDigit(rune))
            {
                run.Add(rune);
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
