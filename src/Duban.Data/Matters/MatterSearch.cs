using Duban.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>
/// The keyword index of matters (关键词检索): their title, content and code by character pairs
/// (<see cref="SearchTerms"/>). On PostgreSQL a GIN index over <c>duban_pairs(…)</c>, a SQL function, so nothing
/// outside the database keeps it (FlatReads migration). On SQLite an FTS5 table in a file of its own beside the
/// database (<see cref="KeywordIndexFile"/>, KeywordIndexOwnFile migration), filled by <see cref="CatchUpAsync"/> (every
/// two seconds by the web host, after the generator's load): the matters up to its mark are in it, as they read after
/// the edits logged up to its other mark; newer matters and matters edited since are candidates for every keyword, so
/// search is right whatever the index lags.
/// </summary>
public static class MatterSearch
{
    /// <summary>
    /// What the index says of a keyword: the ids of the matters that may contain it (a superset, for the substring
    /// test to narrow), read once (the page's queries then test a set of ids, not the index again for each), or none
    /// when the index cannot narrow it (one character, no index) or when it matches <paramref name="many"/> or more. A
    /// common word (小区 in a third of all matters) is better found by the substring test along whatever index the list
    /// is read in, stopping at a page: a set of a third of a million ids would be built and sorted for every query of
    /// the page. On PostgreSQL a word is judged common from the index's statistics before any candidate is read
    /// (<see cref="PairStatistics"/>): at most as many matters hold it as hold its rarest pair. <c>Unindexed</c>: the
    /// candidates include matters not yet in SQLite's index or edited since (every one of them, so the index's answer
    /// is not exact even for a keyword that is one pair).
    /// </summary>
    public static async Task<(IReadOnlyList<long>? Candidates, bool Common, bool Unindexed)> FindAsync(DubanDbContext db, string keyword, int many,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(keyword);
        if (db.Database.IsSqlite())
        {
            return await FindInFileAsync(db, keyword, many, cancellationToken);
        }

        // PostgreSQL's GIN index finds a candidate only by reading its row (no index-only scan, and a bitmap of a
        // third of a million rows turns lossy and has every row's pairs recomputed: 68 s for 小区 at a million). Its
        // statistics judge a common word first; without them (never analysed), the candidates are read.
        var pairs = SearchTerms.Pairs(keyword);
        if (pairs.Count == 0)
        {
            return (null, false, false);
        }

        if (await PostgresPairStatisticsAsync(db, pairs, cancellationToken) is { } statistics && statistics.AtMost(pairs) >= many)
        {
            return (null, true, false);
        }

        var ids = await db.Database.SqlQueryRaw<long>(PostgresCandidates, [pairs.ToArray()]) // one array parameter, not one per pair
            .Take(many).ToListAsync(cancellationToken);
        return ids.Count >= many ? (null, true, false) : (ids, false, false);
    }

    private static async Task<(IReadOnlyList<long>? Candidates, bool Common, bool Unindexed)> FindInFileAsync(DubanDbContext db, string keyword, int many,
        CancellationToken cancellationToken)
    {
        if (SearchTerms.Match(keyword) is not { } match)
        {
            return (null, false, false);
        }

        await using var index = await KeywordIndexFile.OpenAsync(db, cancellationToken);
        if (index is null || await index.MatchAsync(db, match, many, cancellationToken) is not var (ids, through, changes))
        {
            return (null, false, false); // no index for this database yet: the substring test reads them all
        }

        var unindexed = ids.Count < many
            ? await Unindexed(db, through, changes).Take(many - ids.Count).ToListAsync(cancellationToken)
            : [];
        ids.AddRange(unindexed.Except(ids));
        return ids.Count >= many ? (null, true, false) : (ids, false, unindexed.Count > 0);
    }

    /// <summary>
    /// Adds up to <paramref name="most"/> of the matters not yet in SQLite's keyword index, oldest first, and applies
    /// the edits and deletes logged since (<see cref="KeywordIndexFile.CatchUpAsync"/>); the number added (always 0 on
    /// PostgreSQL and for a database in memory). It only reads the database, in the caller's transaction if one is open.
    /// </summary>
    public static async Task<int> CatchUpAsync(DubanDbContext db, int most, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (!db.Database.IsSqlite())
        {
            return 0;
        }

        await using var index = await KeywordIndexFile.OpenAsync(db, cancellationToken);
        if (index is null)
        {
            return 0;
        }

        // Nothing new (the web host asks every 2 s): answered by two small reads, without the index file's write lock.
        if (await index.StateAsync(db, cancellationToken) is var (through, changes) && !await Unindexed(db, through, changes).AnyAsync(cancellationToken))
        {
            return 0;
        }

        return await index.CatchUpAsync(db, most, cancellationToken);
    }

    /// <summary>Matters added to SQLite's keyword index in one transaction of its file by <see cref="CatchUpAllAsync"/>:
    /// about a second and a half of one core, so another process's catch-up never waits long for the file.</summary>
    public const int RowsPerCatchUp = 5_000;

    /// <summary>
    /// <see cref="CatchUpAsync"/> until nothing is left, <see cref="RowsPerCatchUp"/> to a transaction; the number added.
    /// <paramref name="added"/> hears the running total after each transaction (a command line shows it).
    /// </summary>
    public static async Task<int> CatchUpAllAsync(DubanDbContext db, Action<int>? added, CancellationToken cancellationToken)
    {
        var total = 0;
        for (int step; (step = await CatchUpAsync(db, RowsPerCatchUp, cancellationToken)) > 0;)
        {
            total += step;
            added?.Invoke(total);
        }

        return total;
    }

    /// <summary>How far SQLite's keyword index goes: every matter up to this id is in it (0 on PostgreSQL, for a database
    /// in memory, and before the first catch-up).</summary>
    public static async Task<long> IndexedThroughAsync(DubanDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (!db.Database.IsSqlite())
        {
            return 0;
        }

        await using var index = await KeywordIndexFile.OpenAsync(db, cancellationToken);
        return index is not null && await index.StateAsync(db, cancellationToken) is var (through, _) ? through : 0;
    }

    /// <summary>Deletes SQLite's keyword index file of a database file (a restore does): it is made again from the matters.</summary>
    public static void DeleteIndex(string databaseFile) => KeywordIndexFile.Delete(databaseFile);

    /// <summary>The matters SQLite's keyword index cannot answer for: newer than its mark, or edited since its other
    /// mark. NOT INDEXED leaves the rowid range: SQLite otherwise skip-scanned the (NextDueAt, Id) index, 0.5–7 ms at a
    /// million matters, for the check every 2 s.</summary>
    private static IQueryable<long> Unindexed(DubanDbContext db, long through, long changes) =>
        db.Database.SqlQuery<long>($"""
            SELECT "Id" AS "Value" FROM matters NOT INDEXED WHERE "Id" > {through}
            UNION ALL SELECT "MatterId" AS "Value" FROM matter_search_changes WHERE "Seq" > {changes}
            """);

    /// <summary>
    /// What PostgreSQL's statistics of the keyword index say of a keyword's pairs (<see cref="PairStatistics"/>):
    /// the listed ones among them and the least listed share, or null when the index has not been analysed (or this
    /// user may not read its statistics: pg_stats shows them to the table's owner). One small read of the catalogue.
    /// </summary>
    private static async Task<PairStatistics?> PostgresPairStatisticsAsync(DubanDbContext db, IReadOnlyList<string> pairs, CancellationToken cancellationToken)
    {
        // unnest pairs the elements with their shares; the shares run three longer (least, greatest, nulls), so the
        // row just past the last element carries the least share and no pair. The elements are cast to text[] once
        // (MATERIALIZED): cast again for each of the 1,000 rows, this read took 74 ms instead of 4.
        var rows = await db.Database.SqlQueryRaw<PairShare>("""
            WITH s AS MATERIALIZED (
                SELECT most_common_elems::text::text[] AS pairs, most_common_elem_freqs AS shares FROM pg_stats
                WHERE schemaname = current_schema() AND tablename = 'IX_matters_Search')
            SELECT e.pair AS "Pair", e.share::float8 AS "Share", c.reltuples::float8 AS "Texts"
            FROM s CROSS JOIN LATERAL unnest(s.pairs, s.shares) WITH ORDINALITY AS e(pair, share, n) CROSS JOIN pg_class c
            WHERE c.oid = 'matters'::regclass AND (e.pair = ANY({0}) OR e.n = cardinality(s.pairs) + 1)
            """, [pairs.ToArray()]).ToListAsync(cancellationToken);
        var least = rows.Find(r => r.Pair is null);
        return least is null || least.Texts < 0
            ? null
            : new PairStatistics(rows.Where(r => r.Pair is not null).ToDictionary(r => r.Pair!, r => r.Share), least.Share, least.Texts);
    }

    /// <summary>A row of <see cref="PostgresPairStatisticsAsync"/>.</summary>
    private sealed class PairShare
    {
        public string? Pair { get; init; }

        public double Share { get; init; }

        public double Texts { get; init; }
    }

    /// <summary>The indexed expression on PostgreSQL written exactly as the FlatReads migration indexes it (or the
    /// planner would not use the index), holding every pair of the keyword.</summary>
    private const string PostgresCandidates =
        """SELECT "Id" AS "Value" FROM matters WHERE duban_pairs(lower(("Title" || ' ' || "Content" || ' ' || "Code") COLLATE "C")) @> {0}""";

    /// <summary>Registers <c>duban_terms(title, content, code)</c> on a SQLite connection (<see cref="SqliteConnections"/>
    /// does it for each as it opens): the migrations that filled the keyword index inside the database call it.</summary>
    internal static void RegisterTerms(SqliteConnection connection) =>
        connection.CreateFunction("duban_terms", (string? title, string? content, string? code) => Terms(title, content, code), isDeterministic: true);

    /// <summary>A matter's words in SQLite's keyword index: the pairs of its title, content and code.</summary>
    internal static string Terms(string? title, string? content, string? code) => SearchTerms.Index(title + "\n" + content + "\n" + code);
}
