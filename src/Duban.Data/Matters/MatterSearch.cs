using System.Data.Common;
using Duban.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Duban.Data;

/// <summary>
/// The keyword index of matters (关键词检索): their title, content and code by character pairs
/// (<see cref="SearchTerms"/>). On SQLite an FTS5 table <c>matter_search</c>, kept by triggers on <c>matters</c>
/// that call <c>duban_terms</c>, a function every connection of Duban's registers (<see cref="Functions"/>); on
/// PostgreSQL a GIN index over <c>duban_pairs(…)</c>, a SQL function, so nothing outside the database keeps it.
/// Both made by the FlatReads migration.
/// </summary>
public static class MatterSearch
{
    /// <summary>
    /// What the index says of a keyword: the ids of the matters that may contain it (a superset, for the substring
    /// test to narrow), read once (the page's queries then test a set of ids, not the index again for each), or none
    /// when the index cannot narrow it (one character) or when it matches <paramref name="many"/> or more. A common
    /// word (小区 in a third of all matters) is better found by the substring test along whatever index the list is
    /// read in, stopping at a page: a set of a third of a million ids would be built and sorted for every query of
    /// the page.
    /// </summary>
    public static async Task<(IReadOnlyList<long>? Candidates, bool Common)> FindAsync(DubanDbContext db, string keyword, int many,
        CancellationToken cancellationToken)
    {
        var candidates = Candidates(db, keyword);
        if (candidates is null)
        {
            return (null, false);
        }

        var ids = await candidates.Take(many).ToListAsync(cancellationToken);
        return ids.Count >= many ? (null, true) : (ids, false);
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

    /// <summary>The indexed expression on PostgreSQL written exactly as the FlatReads migration indexes it (or the
    /// planner would not use the index), holding every pair of the keyword.</summary>
    private const string PostgresCandidates =
        """SELECT "Id" AS "Value" FROM matters WHERE duban_pairs(lower(("Title" || ' ' || "Content" || ' ' || "Code") COLLATE "C")) @> {0}""";

    /// <summary>Registers <c>duban_terms(title, content, code)</c> on each SQLite connection as it opens, for the
    /// triggers that keep <c>matter_search</c>.</summary>
    public sealed class Functions : DbConnectionInterceptor
    {
        public static Functions Instance { get; } = new();

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Register(connection);

        public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Register(connection);
            return Task.CompletedTask;
        }

        /// <summary>For a connection Duban opens outside EF (a bench's bulk loader): writes to <c>matters</c> fire the
        /// triggers that call it.</summary>
        public static void Register(DbConnection connection)
        {
            if (connection is SqliteConnection sqlite)
            {
                sqlite.CreateFunction("duban_terms", (string? title, string? content, string? code) =>
                    SearchTerms.Index(title + "\n" + content + "\n" + code), isDeterministic: true);
            }
        }
    }
}
