namespace Duban.Text;

/// <summary>
/// What a database's statistics say of the character pairs of its texts (<see cref="SearchTerms.PairCodes"/>): the share
/// of texts holding each of the most common pairs, and a share no pair outside that list reaches. PostgreSQL keeps
/// them for the keyword index (<c>pg_stats.most_common_elems</c>, from a sample, refreshed by ANALYZE), so a keyword
/// can be judged common before its candidates are read: a GIN index cannot answer without reading every candidate's
/// row, tens of thousands for a word like 小区.
/// </summary>
/// <param name="Listed">The share (0–1) of texts holding each listed pair.</param>
/// <param name="UnlistedAtMost">The share no unlisted pair reaches (the least listed share: the list holds the most
/// common pairs).</param>
/// <param name="Texts">How many texts the shares are of.</param>
public sealed record PairStatistics(IReadOnlyDictionary<int, double> Listed, double UnlistedAtMost, double Texts)
{
    /// <summary>
    /// At most how many texts hold every one of <paramref name="pairs"/>: no more than hold the rarest of them. (The
    /// product of the shares would assume pairs fall independently, and they do not: 小区 and 区物 come together.)
    /// </summary>
    public double AtMost(IEnumerable<int> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var share = 1.0;
        foreach (var pair in pairs)
        {
            share = Math.Min(share, Listed.TryGetValue(pair, out var listed) ? listed : UnlistedAtMost);
        }

        return share * Texts;
    }
}
