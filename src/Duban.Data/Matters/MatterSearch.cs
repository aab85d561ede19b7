using Duban.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>
/// The keyword index of matters (关键词检索): their title, content and code by character pairs
/// (<see cref="SearchTerms"/>). On PostgreSQL a GIN index over <c>duban_pairs(…)</c>, a SQL function, so nothing
/// outside the database keeps it (FlatReads migration). On SQLite an FTS5 table <c>matter_search</c> filled in bulk:
/// matters up to <c>matter_search_state."Through"</c> are in it, kept by triggers on edits and deletes that call
/// <c>duban_terms</c>, a function every connection of Duban's registers (<see cref="SqliteConnections"/>); newer matters are
/// added by <see cref="CatchUpAsync"/> (after each import chunk, and every few seconds by the web host) and are
/// candidates for every keyword until then. Written row by row as matters were inserted, FTS5 flushed and merged its
/// segments at every savepoint, which tripled the CPU of an imported row (DueOrderIndexAndKeywordCatchUp migration).
/// </summary>
public static class MatterSearch
{
    /// <summary>
    /// What the index says of a keyword: the ids of the matters that may contain it (a superset, for the substring
    /// test to narrow), read once (the page's queries then test a set of ids, not the index again for each), or none
    /// when the index cannot narrow it (one character) or when it matches <paramref name="many"/> or more. A common
    /// word (小区 in a third of all matters) is better found by the substring test along whatever index the list is
    /// read in, stopping at a page: a set of a third of a million ids would be built and sorted for every query of
    /// the page. On PostgreSQL a word is judged common from the index's statistics before any candidate is read
    /// (<see cref="PairStatistics"/>): at most as many matters hold it as hold its rarest pair. <c>Unindexed</c>: the
    /// candidates include matters not yet in SQLite's index (every one of them, so the index's answer is not exact
    /// even for a keyword that is one pair).
    /// </summary>
    public static async Task<(IReadOnlyList<long>? Candidates, bool Common, bool Unindexed)> FindAsync(DubanDbContext db, string keyword, int many,
        CancellationToken cancellationToken)
    {
        var candidates = Candidates(db, keyword);
        if (candidates is null)
        {
            return (null, false, false);
        }

        // PostgreSQL's GIN index finds a candidate only by reading its row (no index-only scan, and a bitmap of a
        // third of a million rows turns lossy and has every row's pairs recomputed: 68 s for 小区 at a million). Its
        // statistics judge a common word first; without them (never analysed), the candidates are read as on SQLite.
        if (!db.Database.IsSqlite())
        {
            var pairs = SearchTerms.Pairs(keyword);
            if (await PostgresPairStatisticsAsync(db, pairs, cancellationToken) is { } statistics && statistics.AtMost(pairs) >= many)
            {
                return (null, true, false);
            }
        }

        var ids = await candidates.Take(many).ToListAsync(cancellationToken);
        var unindexed = db.Database.IsSqlite() && ids.Count < many
            ? await Unindexed(db).Take(many - ids.Count).ToListAsync(cancellationToken)
            : [];
        ids.AddRange(unindexed);
        return ids.Count >= many ? (null, true, false) : (ids, false, unindexed.Count > 0);
    }

    /// <summary>The ids of matters that may contain the keyword (a superset, to be narrowed by the substring test),
    /// or null when the index cannot narrow it (a one-character keyword).</summary>
    private static IQueryable<long>? Candidates(DubanDbContext db, string keyword)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(keyword);
        if (db.Database.IsSqlite())
        {
            var match = SearchTerms.Match(keyword);
            return match is null
                ? null
                : db.Database.SqlQuery<long>($"""SELECT rowid AS "Value" FROM matter_search WHERE matter_search MATCH {match}""");
        }

        var pairs = SearchTerms.Pairs(keyword).ToArray();
        return pairs.Length == 0
            ? null
            : db.Database.SqlQueryRaw<long>(PostgresCandidates, [pairs]); // one array parameter, not one per pair
    }

    /// <summary>
    /// Adds up to <paramref name="most"/> of the matters not yet in SQLite's keyword index, oldest first, in the
    /// caller's transaction or in one of its own; the number added (always 0 on PostgreSQL). In one transaction that
    /// takes the write lock first, so two processes never index the same matter. Matters get their ids in commit
    /// order on SQLite (the one write lock; a reserved range is read under it), so none lands below the mark later.
    /// </summary>
    public static async Task<int> CatchUpAsync(DubanDbContext db, int most, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (!db.Database.IsSqlite())
        {
            return 0;
        }

        // Nothing new (the web host asks every 2 s): answered by a read, without taking the write lock.
        if (db.Database.CurrentTransaction is null && !await Unindexed(db).AnyAsync(cancellationToken))
        {
            return 0;
        }

        // Its own transaction waits for this process's turn at the write lock, like the other writers (WriteTurns).
        using var turn = db.Database.CurrentTransaction is null ? await WriteTurns.TakeAsync(db, cancellationToken) : null;
        var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            var through = await db.Database.SqlQuery<long>($"""SELECT "Through" AS "Value" FROM matter_search_state""").SingleAsync(cancellationToken);
            var batch = await db.Database.SqlQuery<Batch>($"""
                SELECT COUNT(*) AS "Count", COALESCE(MAX("Id"), 0) AS "Last"
                FROM (SELECT "Id" FROM matters WHERE "Id" > {through} ORDER BY "Id" LIMIT {most})
                """).SingleAsync(cancellationToken);
            if (batch.Count > 0)
            {
                await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO matter_search(rowid, terms)
                    SELECT "Id", duban_terms("Title", "Content", "Code") FROM matters WHERE "Id" > {through} AND "Id" <= {batch.Last}
                    """, cancellationToken);
                await db.Database.ExecuteSqlAsync($"""UPDATE matter_search_state SET "Through" = {batch.Last}""", cancellationToken);
            }

            if (own is not null)
            {
                await own.CommitAsync(cancellationToken);
            }

            return batch.Count;
        }
        finally
        {
            if (own is not null)
            {
                await own.DisposeAsync();
            }
        }
    }

    /// <summary>The ids of the matters not yet in SQLite's keyword index. NOT INDEXED leaves the rowid range: SQLite
    /// otherwise skip-scanned the (NextDueAt, Id) index, 0.5–7 ms at a million matters, for the check every 2 s.</summary>
    private static IQueryable<long> Unindexed(DubanDbContext db) =>
        db.Database.SqlQuery<long>($"""SELECT "Id" AS "Value" FROM matters NOT INDEXED WHERE "Id" > (SELECT "Through" FROM matter_search_state)""");

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

    /// <summary>The matters a catch-up indexes: how many, and the last id.</summary>
    private sealed class Batch
    {
        public int Count { get; init; }

        public long Last { get; init; }
    }

    /// <summary>The indexed expression on PostgreSQL written exactly as the FlatReads migration indexes it (or the
    /// planner would not use the index), holding every pair of the keyword.</summary>
    private const string PostgresCandidates =
        """SELECT "Id" AS "Value" FROM matters WHERE duban_pairs(lower(("Title" || ' ' || "Content" || ' ' || "Code") COLLATE "C")) @> {0}""";

    /// <summary>Registers <c>duban_terms(title, content, code)</c>, which the triggers that keep <c>matter_search</c> call,
    /// on a SQLite connection (<see cref="SqliteConnections"/> does it for each as it opens).</summary>
    internal static void RegisterTerms(SqliteConnection connection) =>
        connection.CreateFunction("duban_terms", (string? title, string? content, string? code) =>
            SearchTerms.Index(title + "\n" + content + "\n" + code), isDeterministic: true);
}
