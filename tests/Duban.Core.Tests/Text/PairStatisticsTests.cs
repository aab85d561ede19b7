using Duban.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Duban.Tests.Text;

/// <summary>
/// A keyword judged common by the statistics is never judged on fewer texts than hold it: with exact shares for the
/// most common pairs and the least of them as the bound for the rest (as PostgreSQL lists them), the bound is at least
/// the number of texts holding every pair of the keyword, whichever pairs and texts.
/// </summary>
public sealed class PairStatisticsTests
{
    private static readonly string[] Alphabet = ["小", "区", "物", "业", "停", "车", "噪", "音"];

    private static Gen<string> Texts(int max) =>
        Gen.Choose(0, max).SelectMany(n => Gen.Elements(Alphabet).ListOf(n)).Select(parts => string.Concat(parts));

    /// <summary>Some texts, how many pairs the statistics list, and a keyword.</summary>
    public static Arbitrary<(List<string> Texts, int Listed, string Keyword)> Samples() =>
        (from texts in Texts(12).ListOf().Where(t => t.Count > 0)
         from listed in Gen.Choose(1, 20)
         from keyword in Gen.OneOf(Texts(4), Gen.Elements(texts.ToArray()).SelectMany(t => Gen.Choose(0, t.Length).Select(i => t[i..])))
         select (texts.ToList(), listed, keyword)).ToArbitrary();

    [Property(MaxTest = 1000, Arbitrary = [typeof(PairStatisticsTests)])]
    public bool The_bound_is_never_below_the_texts_that_hold_every_pair((List<string> Texts, int Listed, string Keyword) sample)
    {
        var pairs = SearchTerms.PairCodes(sample.Keyword);
        if (pairs.Length == 0)
        {
            return true;
        }

        var sets = sample.Texts.Select(t => SearchTerms.PairCodes(t).ToHashSet()).ToList();
        var shares = sets.SelectMany(s => s).GroupBy(p => p)
            .Select(g => (Pair: g.Key, Share: (double)g.Count() / sets.Count))
            .OrderByDescending(x => x.Share).ThenBy(x => x.Pair).ToList();
        var listed = shares.Take(sample.Listed).ToDictionary(x => x.Pair, x => x.Share);
        var statistics = new PairStatistics(listed, listed.Count == 0 ? 0 : listed.Values.Min(), sets.Count);
        var holding = sets.Count(s => pairs.All(s.Contains));
        return statistics.AtMost(pairs) >= holding - 1e-9;
    }

    [Fact]
    public void The_rarest_pair_bounds_the_keyword_and_an_unlisted_pair_the_least_listed_share()
    {
        int Code(string pair) => SearchTerms.PairCodes(pair).Single();
        var statistics = new PairStatistics(new Dictionary<int, double> { [Code("小区")] = 0.3, [Code("区物")] = 0.1, [Code("物业")] = 0.2 }, 0.01, 1_000_000);
        Assert.Equal(300_000, statistics.AtMost([Code("小区")]), 6);
        Assert.Equal(100_000, statistics.AtMost(SearchTerms.PairCodes("小区物业")), 6); // not the product 6,000: the pairs come together
        Assert.Equal(10_000, statistics.AtMost([Code("小区"), Code("区门")]), 6);
    }
}
