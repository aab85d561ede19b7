using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>
/// SQLite's keyword index (<see cref="MatterSearch"/>) in a file of its own beside the database
/// (<c>duban.db</c> → <c>duban.search.db</c>): an FTS5 table of the matters' character pairs and how far it goes.
/// Filling FTS5 costs about 0.27 ms of CPU a matter; in the database itself that ran under SQLite's only write lock, so
/// it was half of an import's time and every intake batch's writer waited for it. Here it has its own lock: the index
/// is filled on the other core while the database takes writes. It is derived data, rebuilt from the matters whenever
/// it is missing, deleted, or from another database (<c>matter_search_source</c>, a random id each database gets) or
/// from a later state of this one (a restored backup: the index goes further than the database's ids ever did).
/// Edits and deletes of matters are logged in the database (<c>matter_search_changes</c>, by triggers) and applied here.
/// </summary>
internal sealed class KeywordIndexFile : IAsyncDisposable
{
    private readonly SqliteConnection _connection;

    /// <summary>The open transaction, which Microsoft.Data.Sqlite wants on every command run inside it.</summary>
    private SqliteTransaction? _transaction;

    private KeywordIndexFile(SqliteConnection connection) => _connection = connection;

    /// <summary>The index file of the database the context uses, or null for a database in memory (no index: every
    /// matter is a candidate, so search stays right).</summary>
    public static string? PathOf(DubanDbContext db)
    {
        var builder = new SqliteConnectionStringBuilder(db.Database.GetDbConnection().ConnectionString);
        return builder.Mode == SqliteOpenMode.Memory || string.IsNullOrEmpty(builder.DataSource) || builder.DataSource == ":memory:"
            ? null
            : PathOf(builder.DataSource);
    }

    /// <summary>The index file beside a database file.</summary>
    public static string PathOf(string databaseFile) => Path.ChangeExtension(Path.GetFullPath(databaseFile), ".search.db");

    /// <summary>Deletes the index of a database file (a restore does, before it writes the database): it is rebuilt.</summary>
    public static void Delete(string databaseFile)
    {
        var path = PathOf(databaseFile);
        SqliteConnection.ClearAllPools(); // a pooled connection would keep the deleted file open
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }
    }

    /// <summary>Opens the index of the context's database, made if missing; null for a database in memory.</summary>
    public static async Task<KeywordIndexFile?> OpenAsync(DubanDbContext db, CancellationToken cancellationToken)
    {
        if (PathOf(db) is not { } path)
        {
            return null;
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = true }.ToString());
        try
        {
            await connection.OpenAsync(cancellationToken);
            var index = new KeywordIndexFile(connection);
            if (await index.ScalarAsync<long>("PRAGMA user_version", cancellationToken) == 0)
            {
                await index.CreateAsync(cancellationToken);
            }

            // Derived data: a crash may lose the last catch-up (it is done again), never the database's rows.
            await index.ExecuteAsync("PRAGMA synchronous=NORMAL", cancellationToken);
            return index;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Makes the index. The words are <see cref="Duban.Text.SearchTerms.Index"/>'s pairs separated by spaces, so the
    /// <c>ascii</c> tokenizer (a byte above 127 is part of a word; ASCII letters folded) cuts them as written, a fifth
    /// cheaper than <c>unicode61</c>, whose further folding (accents, other scripts' case) only added candidates the
    /// substring test then refused.</summary>
    private async Task CreateAsync(CancellationToken cancellationToken)
    {
        await ExecuteAsync("PRAGMA journal_mode=WAL", cancellationToken);
        await using var transaction = Begin(deferred: false);
        if (await ScalarAsync<long>("PRAGMA user_version", cancellationToken) == 0) // another process may have made it meanwhile
        {
            await ExecuteAsync("""
                CREATE VIRTUAL TABLE matter_search USING fts5(terms, content='', contentless_delete=1, detail=none, tokenize='ascii');
                CREATE TABLE state ("Source" TEXT NOT NULL, "Through" INTEGER NOT NULL, "Changes" INTEGER NOT NULL);
                INSERT INTO state VALUES ('', 0, 0);
                PRAGMA user_version = 1;
                """, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>How far the index goes: matters up to <c>Through</c> are in it, as they were after the change logged
    /// as <c>Changes</c>; null when it was made for another database (or a later state of it): it says nothing.</summary>
    public async Task<(long Through, long Changes)?> StateAsync(DubanDbContext db, CancellationToken cancellationToken)
    {
        var (source, through, changes) = await ReadStateAsync(cancellationToken);
        return source == await SourceAsync(db, cancellationToken) ? (through, changes) : null;
    }

    /// <summary>Begins the index file's transaction: deferred for a read, else its write lock at once.</summary>
    private Transaction Begin(bool deferred) => new(this, _transaction = _connection.BeginTransaction(deferred));

    /// <summary>The matters whose pairs include all of the FTS5 query's, at most <paramref name="most"/>, and the state
    /// they were read in (one read transaction); null when the index is not this database's.</summary>
    public async Task<(List<long> Ids, long Through, long Changes)?> MatchAsync(DubanDbContext db, string match, int most, CancellationToken cancellationToken)
    {
        await using var transaction = Begin(deferred: true);
        if (await StateAsync(db, cancellationToken) is not var (through, changes))
        {
            return null;
        }

        await using var command = Command("SELECT rowid FROM matter_search WHERE matter_search MATCH $match LIMIT $most");
        command.Parameters.AddWithValue("$match", match);
        command.Parameters.AddWithValue("$most", most);
        var ids = new List<long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetInt64(0));
        }

        return (ids, through, changes);
    }

    /// <summary>
    /// Adds up to <paramref name="most"/> matters not yet in the index, oldest first, then applies the edits and
    /// deletes logged since the last catch-up; the number of matters added. Under the index file's write lock (two
    /// processes never index the same matter) and none of the database's: its rows are only read. Matters get their ids
    /// in commit order on SQLite (the one write lock; a reserved range is read under it), so none lands below the mark
    /// later; an edit is logged in the transaction that makes it, so its text is read after its log row.
    /// </summary>
    public async Task<int> CatchUpAsync(DubanDbContext db, int most, CancellationToken cancellationToken)
    {
        await using var transaction = Begin(deferred: false); // the index file's write lock, taken first
        var source = await SourceAsync(db, cancellationToken);
        var (stateSource, through, changes) = await ReadStateAsync(cancellationToken);
        var (lastId, lastChange) = await db.Database.SqlQuery<Sequences>($"""
            SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'matters'), 0) AS "Matters",
                   COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'matter_search_changes'), 0) AS "Changes"
            """).SingleAsync(cancellationToken);
        if (stateSource != source || through > lastId || changes > lastChange)
        {
            // Another database's index, or a later state of this one (a restored backup): made again from nothing.
            await ExecuteAsync("INSERT INTO matter_search(matter_search) VALUES ('delete-all')", cancellationToken);
            (through, changes) = (0, 0);
        }

        var added = new HashSet<long>();
        await using var insert = Command("INSERT INTO matter_search(rowid, terms) VALUES ($id, $terms)");
        var id = insert.Parameters.Add("$id", SqliteType.Integer);
        var terms = insert.Parameters.Add("$terms", SqliteType.Text);
        var last = through;
        await foreach (var matter in db.Database.SqlQuery<MatterText>($"""
            SELECT "Id", "Title", "Content", "Code" FROM matters WHERE "Id" > {through} ORDER BY "Id" LIMIT {most}
            """).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            id.Value = last = matter.Id;
            terms.Value = matter.Terms;
            await insert.ExecuteNonQueryAsync(cancellationToken);
            added.Add(matter.Id);
        }

        // Edits and deletes since the last catch-up, of matters in the index now: out, and in again as they now read.
        var changed = await db.Database.SqlQuery<Change>($"""
            SELECT "Seq", "MatterId" FROM matter_search_changes WHERE "Seq" > {changes} ORDER BY "Seq"
            """).ToListAsync(cancellationToken);
        var redo = changed.Select(c => c.MatterId).Where(m => m <= through || added.Contains(m)).Distinct().ToList();
        await using (var remove = Command("DELETE FROM matter_search WHERE rowid = $id"))
        {
            var removed = remove.Parameters.Add("$id", SqliteType.Integer);
            foreach (var matter in redo)
            {
                removed.Value = matter;
                await remove.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        foreach (var matter in redo.Count == 0 ? [] : await db.Matters.AsNoTracking().Where(m => EF.MultipleParameters(redo).Contains(m.Id))
            .Select(m => new MatterText { Id = m.Id, Title = m.Title, Content = m.Content, Code = m.Code }).ToListAsync(cancellationToken))
        {
            id.Value = matter.Id;
            terms.Value = matter.Terms;
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var state = Command("""UPDATE state SET "Source" = $source, "Through" = $through, "Changes" = $changes"""))
        {
            state.Parameters.AddWithValue("$source", source);
            state.Parameters.AddWithValue("$through", last);
            state.Parameters.AddWithValue("$changes", changed.Count > 0 ? changed[^1].Seq : changes);
            await state.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);

        // The pages of text just read are no use to the next reader of this pooled connection: its 32 MB page cache
        // (SqliteConnections) is given back rather than kept beside the writers' own.
        await db.Database.ExecuteSqlRawAsync("PRAGMA shrink_memory", cancellationToken);
        return added.Count;
    }

    /// <summary>The database's own id, made by its migration (<c>matter_search_source</c>).</summary>
    private static Task<string> SourceAsync(DubanDbContext db, CancellationToken cancellationToken) =>
        db.Database.SqlQuery<string>($"""SELECT "Source" AS "Value" FROM matter_search_source""").SingleAsync(cancellationToken);

    private async Task<(string Source, long Through, long Changes)> ReadStateAsync(CancellationToken cancellationToken)
    {
        await using var command = Command("""SELECT "Source", "Through", "Changes" FROM state""");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    private SqliteCommand Command(string sql)
    {
        var command = _connection.CreateCommand();
        command.Transaction = _transaction;
#pragma warning disable CA2100 // constant SQL of this class; values are bound
        command.CommandText = sql;
#pragma warning restore CA2100
        return command;
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = Command(sql);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<T> ScalarAsync<T>(string sql, CancellationToken cancellationToken)
    {
        await using var command = Command(sql);
        return (T)Convert.ChangeType((await command.ExecuteScalarAsync(cancellationToken))!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    /// <summary>The open transaction; disposed, it is rolled back unless committed, and commands run outside one again.</summary>
    private sealed class Transaction(KeywordIndexFile index, SqliteTransaction transaction) : IAsyncDisposable
    {
        public Task CommitAsync(CancellationToken cancellationToken) => transaction.CommitAsync(cancellationToken);

        public async ValueTask DisposeAsync()
        {
            await transaction.DisposeAsync();
            index._transaction = null;
        }
    }

    private sealed class MatterText
    {
        public long Id { get; init; }

        public string Title { get; init; } = "";

        public string? Content { get; init; }

        public string Code { get; init; } = "";

        public string Terms => MatterSearch.Terms(Title, Content, Code);
    }

    private sealed class Sequences
    {
        public long Matters { get; init; }

        public long Changes { get; init; }

        public void Deconstruct(out long matters, out long changes) => (matters, changes) = (Matters, Changes);
    }

    private sealed class Change
    {
        public long Seq { get; init; }

        public long MatterId { get; init; }
    }
}
