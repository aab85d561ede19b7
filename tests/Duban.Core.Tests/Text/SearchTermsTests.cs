using System.Text;
using Duban.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Duban.Tests.Text;

/// <summary>
/// The keyword index may only narrow: every text containing a keyword must be found by the keyword's pairs. The
/// engines are modelled here as they use the pairs — FTS5 as words with case folded, all required, PostgreSQL as a set
/// of pairs — and the real engines are tested against the substring test in MatterSearchTests.
/// </summary>
public sealed class SearchTermsTests
{
    [Fact]
    public void A_text_is_cut_into_pairs_within_runs_of_letters_and_digits()
    {
        Assert.Equal("临时 时停 停车", SearchTerms.Index("临时停车"));
        Assert.Equal("小区 区A Ab b栋 12 3", SearchTerms.Index("小区Ab栋，12。3"));
        Assert.Equal("", SearchTerms.Index("，。！"));
        Assert.Equal("", SearchTerms.Index(null));
        Assert.Equal("𠀀字", SearchTerms.Index("𠀀字")); // a character beyond the basic plane is one character
    }

    [Fact]
    public void A_keyword_is_looked_up_by_the_pairs_of_its_longer_runs()
    {
        Assert.Equal("\"小区\"", SearchTerms.Match("小区"));
        Assert.Equal("\"小区\" \"区物\" \"物业\" \"20\" \"02\" \"24\"", SearchTerms.Match("小区物业 2024"));
        Assert.Equal("\"小区\" \"区小\"", SearchTerms.Match("小区小区"));
        Assert.Equal("\"db\"", SearchTerms.Match("db-2"));
        Assert.Null(SearchTerms.Match("水"));
        Assert.Null(SearchTerms.Match("a-1"));
        Assert.Null(SearchTerms.Match("——"));
    }

    [Fact]
    public void Only_two_caseless_letters_or_digits_are_answered_by_the_index_alone()
    {
        Assert.True(SearchTerms.MatchIsExact("小区"));
        Assert.True(SearchTerms.MatchIsExact("12"));
        Assert.True(SearchTerms.MatchIsExact("𠀀字"));
        Assert.False(SearchTerms.MatchIsExact("ab"));
        Assert.False(SearchTerms.MatchIsExact("小区物"));
        Assert.False(SearchTerms.MatchIsExact("小，"));
        Assert.False(SearchTerms.MatchIsExact("水"));
    }

    [Fact]
    public void Pairs_lower_only_ascii_letters_and_keep_everything_else()
    {
        Assert.Equal(["db", "b-", "-2"], SearchTerms.Pairs("DB-2"));
        Assert.Equal(["小区", "区小"], SearchTerms.Pairs("小区小区"));
        Assert.Equal(["Жк"], SearchTerms.Pairs("Жк"));
        Assert.Empty(SearchTerms.Pairs("水"));
    }

    private static readonly string[] Alphabet = ["小", "区", "物", "业", "停", "车", "A", "a", "B", "b", "1", "2", "，", " ", "-", "\n", "𠀀", "É", "é"];

    private static Gen<string> Texts(int max) =>
        Gen.Choose(0, max).SelectMany(n => Gen.Elements(Alphabet).ListOf(n)).Select(parts => string.Concat(parts));

    /// <summary>A text and a piece of it, the piece's ASCII letters in random case (SQLite's LIKE ignores it).</summary>
    public static Arbitrary<(string Text, string Keyword)> TextsWithKeywords() =>
        (from text in Texts(40)
         from start in Gen.Choose(0, text.Length)
         from length in Gen.Choose(1, Math.Max(1, text.Length - start))
         from flips in Gen.Elements(true, false).ListOf(length)
         let piece = text.Substring(start, Math.Min(length, text.Length - start))
         where piece.Length > 0 && !char.IsLowSurrogate(piece[0]) && !char.IsHighSurrogate(piece[^1])
         select (text, string.Concat(piece.Select((c, i) => c < 128 && flips[i] ? char.ToUpperInvariant(c) : c)))).ToArbitrary();

    [Property(MaxTest = 2000, Arbitrary = [typeof(SearchTermsTests)])]
    public bool The_fts_words_find_every_text_that_contains_the_keyword((string Text, string Keyword) sample)
    {
        var match = SearchTerms.Match(sample.Keyword);
        if (match is null)
        {
            return true;
        }

        // FTS5 (unicode61): words split on spaces, case folded; every quoted word required.
        var words = Fold(SearchTerms.Index(sample.Text)).Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        return match.Split('"', StringSplitOptions.RemoveEmptyEntries).Where(w => w != " ").All(w => words.Contains(Fold(w)));
    }

    [Property(MaxTest = 2000, Arbitrary = [typeof(SearchTermsTests)])]
    public bool The_pairs_of_a_keyword_are_among_the_pairs_of_every_text_that_contains_it((string Text, string Keyword) sample)
    {
        // PostgreSQL's substring test is case-sensitive: the keyword as stored.
        var keyword = sample.Text.Contains(sample.Keyword, StringComparison.Ordinal) ? sample.Keyword : null;
        if (keyword is null)
        {
            return true;
        }

        var stored = SearchTerms.Pairs(sample.Text).ToHashSet(StringComparer.Ordinal);
        return SearchTerms.Pairs(keyword).All(stored.Contains);
    }

    private static string Fold(string text) => text.ToLowerInvariant().Normalize(NormalizationForm.FormC);
}
