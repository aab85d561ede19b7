using Duban.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>
/// The keyword index of matters (关键词检索): their title, content and code by character pairs
/// (<see cref="SearchTerms"/>), filled beside the writes by <see cref="CatchUpAsync"/> (every two seconds by the web
/// host, after an import or the generator's load) rather than inside each of them. On SQLite an FTS5 table in a file of
/// its own beside the database (<see cref="KeywordIndexFile"/>, KeywordIndexOwnFile migration): the matters up to its
/// mark are in it, as they read after the edits logged up to its other mark. On PostgreSQL a table of pairs under a GIN
/// index (<see cref="KeywordIndexTable"/>, KeywordIndexBesideWrites migration), with a log of the matters added and
/// changed since. Either way, the matters the index has not caught up with are candidates for every keyword, so search
/// is right whatever the index lags.
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
    /// candidates include matters not yet in the index or changed since (every one of them, so the index's answer
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

        // A GIN index finds a candidate only by reading its row (no index-only scan): tens of thousands for a common
        // word. Its statistics judge a common word first; without them (never analysed), the candidates are read.
        var pairs = SearchTerms.PairCodes(keyword);
        if (pairs.Length == 0)
        {
            return (null, false, false);
        }

        if (await KeywordIndexTable.PairStatisticsAsync(db, pairs, cancellationToken) is { } statistics && statistics.AtMost(pairs) >= many)
        {
            return (null, true, false);
        }

        var (ids, unindexed) = await KeywordIndexTable.MatchAsync(db, pairs, many, cancellationToken);
        return ids.Count >= many ? (null, true, false) : (ids, false, unindexed);
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
    /// Brings the keyword index up to date by a step; the number of matters new to it. On SQLite: up to
    /// <paramref name="most"/> of the matters not yet in its file, oldest first, and the edits and deletes logged since
    /// (<see cref="KeywordIndexFile.CatchUpAsync"/>), only reading the database (in the caller's transaction if one is
    /// open); nothing for a database in memory. On PostgreSQL: up to <paramref name="most"/> rows of the log of matters
    /// added and changed (<see cref="KeywordIndexTable.CatchUpAsync"/>), in the caller's transaction if one is open.
    /// </summary>
    public static async Task<int> CatchUpAsync(DubanDbContext db, int most, CancellationToken cancellationToken) =>
        (await StepAsync(db, most, cancellationToken)).Added;

    /// <summary><see cref="CatchUpAsync"/>: the matters new to the index, and whether anything was done (PostgreSQL's log
    /// may hold only edits).</summary>
    private static async Task<(int Added, bool Worked)> StepAsync(DubanDbContext db, int most, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (!db.Database.IsSqlite())
        {
            var (added, applied) = await KeywordIndexTable.CatchUpAsync(db, most, cancellationToken);
            return (added, applied > 0);
        }

        await using var index = await KeywordIndexFile.OpenAsync(db, cancellationToken);
        if (index is null)
        {
            return (0, false);
        }

        // Nothing new (the web host asks every 2 s): answered by two small reads, without the index file's write lock.
        if (await index.StateAsync(db, cancellationToken) is var (through, changes) && !await Unindexed(db, through, changes).AnyAsync(cancellationToken))
        {
            return (0, false);
        }

        var step = await index.CatchUpAsync(db, most, cancellationToken);
        return (step, step > 0);
    }

    /// <summary>Matters added to the keyword index in one transaction by <see cref="CatchUpAllAsync"/>: on SQLite about a
    /// second and a half of one core, so another process's catch-up never waits long for the index file; on PostgreSQL
    /// more, as its GIN index merges larger runs faster (<see cref="KeywordIndexTable"/>).</summary>
    private static int RowsPerCatchUp(DubanDbContext db) => db.Database.IsSqlite() ? 5_000 : 20_000;

    /// <summary>
    /// <see cref="CatchUpAsync"/> until nothing is left, <see cref="RowsPerCatchUp"/> matters to a transaction; the number added.
    /// <paramref name="added"/> hears the running total after each transaction (a command line shows it).
    /// </summary>
    public static async Task<int> CatchUpAllAsync(DubanDbContext db, Action<int>? added, CancellationToken cancellationToken)
    {
        var total = 0;
        while (await StepAsync(db, RowsPerCatchUp(db), cancellationToken) is { Worked: true } step)
        {
            total += step.Added;
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

    /// <summary>Registers <c>duban_terms(title, content, code)</c> on a SQLite connection (<see cref="SqliteConnections"/>
    /// does it for each as it opens): the migrations that filled the keyword index inside the database call it.</summary>
    internal static void RegisterTerms(SqliteConnection connection) =>
        connection.CreateFunction("duban_terms", (string? title, string? content, string? code) => Terms(title, content, code), isDeterministic: true);

    /// <summary>A matter's words in SQLite's keyword index: the pairs of its title, content and code.</summary>
    internal static string Terms(string? title, string? content, string? code) => SearchTerms.Index(Indexed(title, content, code));

    /// <summary>A matter's pairs in PostgreSQL's keyword index, of the same text.</summary>
    internal static int[] PairCodes(string? title, string? content, string? code) => SearchTerms.PairCodes(Indexed(title, content, code));

    /// <summary>The text of a matter the keyword index holds: its title, content and code, a line apart (no pair spans two).</summary>
    private static string Indexed(string? title, string? content, string? code) => title + "\n" + content + "\n" + code;
}
