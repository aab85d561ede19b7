using Duban.Text;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Duban.Data;

/// <summary>
/// PostgreSQL's keyword index (<see cref="MatterSearch"/>): a table of each matter's pairs of characters
/// (<c>matter_search</c>, <see cref="SearchTerms.PairCodes"/>) under a GIN index, filled beside the writes. A trigger logs
/// every matter added, every edit of a title, content or code and every delete in <c>matter_search_changes</c>, in the
/// transaction that makes it; <see cref="CatchUpAsync"/> (the web host, every two seconds) reads the log, writes the
/// matters' words and takes their rows off it. Indexing a matter inside each write cost about 0.67 ms of the
/// database's CPU (pairs cut by a SQL function, then ~250 GIN entries), most of an import's time; here it is done in
/// bulk, off the request. Until then a logged matter is a candidate for every keyword, so search is right whatever the
/// index lags (KeywordIndexBesideWrites migration).
/// </summary>
internal static class KeywordIndexTable
{
    /// <summary>The advisory lock key of a catch-up ("KWIX"): one instance at a time, so the log is applied in order.</summary>
    private const long CatchUpLock = 0x4B574958;

    /// <summary>
    /// The matters still in the log (not yet indexed, or changed since), at most <paramref name="most"/>, and those whose
    /// pairs include all of <paramref name="pairs"/>, up to <paramref name="most"/> in all; whether any came from the log.
    /// </summary>
    public static async Task<(List<long> Ids, bool Unindexed)> MatchAsync(DubanDbContext db, int[] pairs, int most,
        CancellationToken cancellationToken)
    {
        // The log first: a catch-up takes a matter off the log in the transaction that writes its pairs, so a matter
        // applied between the two reads is in the index when the index is read, and none falls between them.
        var logged = await db.Database.SqlQuery<long>($"""SELECT DISTINCT "MatterId" AS "Value" FROM matter_search_changes""")
            .Take(most).ToListAsync(cancellationToken);
        var ids = logged.Count < most
            ? await db.Database.SqlQuery<long>($"""
                SELECT "MatterId" AS "Value" FROM matter_search WHERE "Pairs" @> {pairs}
                """).Take(most).ToListAsync(cancellationToken)
            : [];
        ids.AddRange(logged.Except(ids));
        return (ids, logged.Count > 0);
    }

    /// <summary>
    /// Applies up to <paramref name="most"/> rows of the log, oldest first: each matter named is indexed as it reads now
    /// (or leaves the index, deleted), and the rows are taken off. Returns the matters new to the index and the log rows
    /// applied; (0, 0) when the log is empty or another instance is applying it. Runs in the caller's transaction if one
    /// is open, else in its own.
    /// </summary>
    public static async Task<(int Added, int Applied)> CatchUpAsync(DubanDbContext db, int most, CancellationToken cancellationToken)
    {
        // Nothing logged (the web host asks every 2 s): one read of an empty table, no transaction.
        if (!await db.Database.SqlQuery<long>($"""SELECT "Seq" AS "Value" FROM matter_search_changes""").AnyAsync(cancellationToken))
        {
            return (0, 0);
        }

        var timeout = db.Database.GetCommandTimeout();
        db.Database.SetCommandTimeout(0); // the merge of a large backlog may take minutes; the caller's token bounds it
        try
        {
            return await ApplyAsync(db, most, cancellationToken);
        }
        finally
        {
            db.Database.SetCommandTimeout(timeout);
        }
    }

    private static async Task<(int Added, int Applied)> ApplyAsync(DubanDbContext db, int most, CancellationToken cancellationToken)
    {
        await using var owned = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        if (!await db.Database.SqlQuery<bool>($"""SELECT pg_try_advisory_xact_lock({CatchUpLock}) AS "Value" """).SingleAsync(cancellationToken))
        {
            return (0, 0);
        }

        // The GIN index takes new rows into a pending list and merges it into its trees in sorted runs; the larger the
        // run, the fewer pages each merge writes (into the index of 265,000 matters, 5,000 more took 5.1 s with the
        // default 4 MB list and 3.6 s with 64 MB; 20,000 took 7.2 s). The list is merged before commit, so a search
        // never scans a long one.
        await db.Database.ExecuteSqlRawAsync("SET LOCAL work_mem = '64MB'; SET LOCAL gin_pending_list_limit = '64MB'", cancellationToken);

        var log = await db.Database.SqlQuery<LogRow>($"""
            SELECT "Seq", "MatterId" FROM matter_search_changes ORDER BY "Seq" LIMIT {most}
            """).ToListAsync(cancellationToken);
        var named = log.Select(r => r.MatterId).Distinct().ToArray();
        var matters = await db.Matters.AsNoTracking().Where(m => named.Contains(m.Id))
            .Select(m => new { m.Id, m.Title, m.Content, m.Code }).ToListAsync(cancellationToken);

        // A matter read after its log row, in this transaction: its words are at least as new as the change logged.
        // (The log's rows are taken off by their numbers: one committed since was not read, and stays.)
        var replaced = await db.Database.ExecuteSqlAsync($"""DELETE FROM matter_search WHERE "MatterId" = ANY({named})""", cancellationToken);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using (var copy = await connection.BeginBinaryImportAsync("""COPY matter_search ("MatterId", "Pairs") FROM STDIN (FORMAT BINARY)""", cancellationToken))
        {
            copy.Timeout = TimeSpan.Zero;
            foreach (var matter in matters)
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(matter.Id, NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(MatterSearch.PairCodes(matter.Title, matter.Content, matter.Code), NpgsqlDbType.Array | NpgsqlDbType.Integer,
                    cancellationToken);
            }

            await copy.CompleteAsync(cancellationToken);
        }

        // (The generator's load drops the index, to build it once at the end.)
        await db.Database.ExecuteSqlRawAsync("""
            SELECT gin_clean_pending_list(i) FROM to_regclass('"IX_matter_search_Pairs"') AS i WHERE i IS NOT NULL
            """, cancellationToken);
        var applied = log.Select(r => r.Seq).ToArray();
        await db.Database.ExecuteSqlAsync($"""DELETE FROM matter_search_changes WHERE "Seq" = ANY({applied})""", cancellationToken);
        if (owned is not null)
        {
            await owned.CommitAsync(cancellationToken);
        }

        return (matters.Count - replaced, log.Count);
    }

    /// <summary>
    /// What the statistics of the index say of a keyword's pairs (<see cref="PairStatistics"/>): the listed ones among
    /// them and the least listed share, or null when the index has not been analysed (or this user may not read its
    /// statistics: pg_stats shows them to the table's owner). One small read of the catalogue.
    /// </summary>
    public static async Task<PairStatistics?> PairStatisticsAsync(DubanDbContext db, int[] pairs, CancellationToken cancellationToken)
    {
        // unnest pairs the elements with their shares; the shares run three longer (least, greatest, nulls), so the
        // row just past the last element carries the least share and no pair. The elements are cast to integer[] once
        // (MATERIALIZED): cast again for each of the 1,000 rows, this read took 74 ms instead of 4.
        var rows = await db.Database.SqlQuery<PairShare>($"""
            WITH s AS MATERIALIZED (
                SELECT most_common_elems::text::integer[] AS pairs, most_common_elem_freqs AS shares FROM pg_stats
                WHERE schemaname = current_schema() AND tablename = 'matter_search' AND attname = 'Pairs')
            SELECT e.pair AS "Pair", e.share::float8 AS "Share", c.reltuples::float8 AS "Texts"
            FROM s CROSS JOIN LATERAL unnest(s.pairs, s.shares) WITH ORDINALITY AS e(pair, share, n) CROSS JOIN pg_class c
            WHERE c.oid = 'matter_search'::regclass AND (e.pair = ANY({pairs}) OR e.n = cardinality(s.pairs) + 1)
            """).ToListAsync(cancellationToken);
        var least = rows.Find(r => r.Pair is null);
        return least is null || least.Texts < 0
            ? null
            : new PairStatistics(rows.Where(r => r.Pair is not null).ToDictionary(r => r.Pair!.Value, r => r.Share), least.Share, least.Texts);
    }

    /// <summary>A row of <see cref="PairStatisticsAsync"/>.</summary>
    private sealed class PairShare
    {
        public int? Pair { get; init; }

        public double Share { get; init; }

        public double Texts { get; init; }
    }

    private sealed class LogRow
    {
        public long Seq { get; init; }

        public long MatterId { get; init; }
    }
}
