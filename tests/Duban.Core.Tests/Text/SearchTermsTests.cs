using Duban.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Duban.Tests.Text;

/// <summary>
/// The keyword index may only narrow: every text containing a keyword must be found by the keyword's pairs. Both
/// engines use the pairs as a set of words, all required (FTS5's words, PostgreSQL's array), modelled here; the real
/// engines are tested against the substring test in MatterSearchTests.
/// </summary>
public sealed class SearchTermsTests
{
    [Fact]
    public void A_text_is_cut_into_pairs_within_runs_of_letters_and_digits()
    {
        Assert.Equal("临时 时停 停车", SearchTerms.Index("临时停车"));
        Assert.Equal("小区 区a ab b栋 12 3", SearchTerms.Index("小区Ab栋，12。3"));
        Assert.Equal("Жк", SearchTerms.Index("Жк")); // only ASCII is lowered
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
        Assert.Equal("\"db\"", SearchTerms.Match("DB-2"));
        Assert.Equal(["小区", "区物", "物业", "20", "02", "24"], SearchTerms.MatchPairs("小区物业 2024"));
        Assert.Null(SearchTerms.Match("水"));
        Assert.Null(SearchTerms.Match("a-1"));
        Assert.Null(SearchTerms.Match("——"));
    }

    [Fact]
    public void Only_two_caseless_letters_or_digits_are_answered_by_the_index_alone()
    {
        Assert.True(SearchTerms.MatchIsExact("小区"));
        Assert.True(SearchTerms.MatchIsExact("12"));
        Assert.False(SearchTerms.MatchIsExact("𠀀字")); // beyond the basic plane: its code may be shared
        Assert.False(SearchTerms.MatchIsExact("ab"));
        Assert.False(SearchTerms.MatchIsExact("小区物"));
        Assert.False(SearchTerms.MatchIsExact("小，"));
        Assert.False(SearchTerms.MatchIsExact("水"));
    }

    [Fact]
    public void A_pair_is_coded_as_its_two_characters()
    {
        Assert.Equal([(0x5C0F << 16) | 0x533A, (0x533A << 16) | 0x5C0F], SearchTerms.PairCodes("小区小区"));
        Assert.Equal([('d' << 16) | 'b'], SearchTerms.PairCodes("DB-2"));
        Assert.Empty(SearchTerms.PairCodes("水，a"));
        Assert.Equal(SearchTerms.PairCodes("小区"), SearchTerms.PairCodes("，小区。"));
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
    public bool The_words_of_a_text_hold_every_pair_of_a_keyword_it_contains((string Text, string Keyword) sample)
    {
        // Words split on spaces, compared as they are (FTS5's ascii tokenizer folds only the ASCII the cut already
        // lowered); PostgreSQL's codes likewise.
        var words = SearchTerms.Index(sample.Text).Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        var pairs = SearchTerms.MatchPairs(sample.Keyword);
        var query = SearchTerms.Match(sample.Keyword);
        var codes = SearchTerms.PairCodes(sample.Text).ToHashSet();
        return pairs.All(words.Contains) && SearchTerms.PairCodes(sample.Keyword).All(codes.Contains)
            && (query is null ? pairs.Count == 0 : query == string.Join(' ', pairs.Select(p => "\"" + p + "\"")));
    }

    /// <summary>A word is common from 50,000 matters of a million (as measured), from fewer in a smaller table (28,000
    /// of 100,000 read by id took 100 ms a page), never from fewer than the count's cap, and the bar rises with the table.</summary>
    [Theory]
    [InlineData(0L, 10_000)]
    [InlineData(10_000L, 10_000)]
    [InlineData(100_000L, 15_811)]
    [InlineData(1_000_000L, 50_000)]
    [InlineData(10_000_000L, 158_113)]
    public void CommonFrom_GrowsWithTheSquareRootOfTheTable(long matters, int from) => Assert.Equal(from, SearchTerms.CommonFrom(matters, 10_000));

    [Property(MaxTest = 500)]
    public bool CommonFrom_NeverFallsAsTheTableGrows_NorBelowTheFloor(uint a, uint b)
    {
        var (small, large) = (Math.Min(a, b), Math.Max(a, b));
        return SearchTerms.CommonFrom(small, 10_000) <= SearchTerms.CommonFrom(large, 10_000) && SearchTerms.CommonFrom(small, 10_000) >= 10_000;
    }
}
