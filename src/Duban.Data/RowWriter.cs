using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using System.Linq.Expressions;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using SQLitePCL;

namespace Duban.Data;

/// <summary>
/// Writes many rows in few statements, for work where the change tracker's one command per row (EF's SQLite provider
/// does not batch) costs more than the work itself: multi-row INSERTs, a keyed multi-row UPDATE, and ids reserved up
/// front so related rows can be written without reading ids back. Tables, columns, value converters and parameter
/// types come from EF's model, so each cell holds what SaveChanges would have written; statements run through the
/// DbContext (its connection, transaction, interceptors and logging).
/// </summary>
public sealed class RowWriter(DubanDbContext db)
{
    /// <summary>Statements held by <see cref="Hold"/> until <see cref="FlushAsync"/>.</summary>
    private List<string>? _held;

    /// <summary>Parameters per statement. Microsoft.Data.Sqlite binds each parameter by name, a linear search of the
    /// statement's names, so binding grows with the square of the count; on SQLite only the rare NUL-bearing text is
    /// bound (see <see cref="Column.Literal"/>). PostgreSQL (limit 65,535) binds every value and gets large statements
    /// to save round trips.</summary>
    private const int MaxSqliteParameters = 300, MaxPostgresParameters = 16_000;

    /// <summary>Rows per statement at most, so one statement's text stays small.</summary>
    private const int MaxRows = 1000;

    /// <summary>From this many rows, or this many characters of text, SQLite inserts run a prepared single-row statement
    /// (<see cref="InsertPreparedAsync"/>).</summary>
    private const int PreparedFrom = 64, PreparedFromText = 32 * 1024;

    private static readonly ConcurrentDictionary<IEntityType, MappedTable> Tables = new();

    private readonly bool _postgres = db.Database.IsNpgsql();
    private readonly ISqlGenerationHelper _sql = db.GetService<ISqlGenerationHelper>();

    private int MaxParameters => _postgres ? MaxPostgresParameters : MaxSqliteParameters;

    /// <summary>
    /// <paramref name="count"/> new ids for <typeparamref name="T"/>'s table, as inserts through EF would have taken them.
    /// Call inside a transaction: on SQLite it holds the only write lock, so the ids after the highest are free until
    /// it commits; on PostgreSQL they come from the identity sequence.
    /// </summary>
    public async Task<long[]> ReserveIdsAsync<T>(int count, CancellationToken cancellationToken)
        where T : class
    {
        if (count == 0)
        {
            return [];
        }

        var table = TableOf<T>();
        var name = _sql.DelimitIdentifier(table.Name);
        var key = _sql.DelimitIdentifier(table.SingleKey.Name);
        if (_postgres)
        {
            var sql = "SELECT nextval(pg_get_serial_sequence({0}, {1})) AS \"Value\" FROM generate_series(1, {2})";
            return [.. await db.Database.SqlQueryRaw<long>(sql, name, table.SingleKey.Name, count).ToListAsync(cancellationToken)];
        }

        // AUTOINCREMENT never reuses an id, not even a deleted row's: start after the higher of the sequence and the
        // table. A plain command, not an EF query: a batch of intake reserves ids for five tables, and EF's query
        // pipeline cost more than the look-ups themselves (2.4 % of the server's CPU at 1,200 appeals/s).
        var highest = Convert.ToInt64(await db.GetService<IRelationalCommandBuilderFactory>().Create()
            .Append("SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = " + QuotedText(table.Name) + "), 0), COALESCE((SELECT MAX(")
            .Append(key).Append(") FROM ").Append(name).Append("), 0))")
            .Build().ExecuteScalarAsync(Parameters(CommandSource.FromSqlQuery), cancellationToken), CultureInfo.InvariantCulture);
        var ids = new long[count];
        for (var i = 0; i < count; i++)
        {
            ids[i] = checked(highest + i + 1);
        }

        return ids;
    }

    /// <summary>Inserts the rows, with their ids when they carry them (see <see cref="ReserveIdsAsync{T}"/>), else
    /// leaving the ids to the database.</summary>
    public async Task InsertAsync<T>(IReadOnlyList<T> rows, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return;
        }

        var table = TableOf<T>();
        var audited = AuditTrail.Audited(table.Type) is not null;
        if (audited && table.Key is { } generated && generated.Value(rows[0]) is 0L)
        {
            // An audit record names its row by key, so audited rows get their ids before they are written.
            var ids = await ReserveIdsAsync<T>(rows.Count, cancellationToken);
            for (var i = 0; i < rows.Count; i++)
            {
                generated.Property.PropertyInfo!.SetValue(rows[i], ids[i]);
            }
        }

        // A composite key (a link row such as a co-unit) is always written as it is.
        var (columns, head) = table.Insert(withIds: table.Key?.Value(rows[0]) is not (null or 0L or 0), Defaulted(table, rows), _sql);
        if (!await CopyAsync(table, rows, columns, cancellationToken) && !await InsertPreparedAsync(rows, columns, head, cancellationToken))
        {
            await InChunksAsync(rows, columns, head, "", cancellationToken);
        }

        if (audited)
        {
            AuditTrail.RecordRows(db, table.Type, (IReadOnlyList<object>)rows, null);
        }
    }

    /// <summary>
    /// Inserts the rows; where a row's key is taken, adds its <paramref name="added"/> columns to the stored row's (a
    /// counter folded in place) or, with none named, leaves it out (a link that exists). Not for audited tables, whose
    /// records would not say what the row became.
    /// </summary>
    public async Task InsertOrAddAsync<T>(IReadOnlyList<T> rows, IReadOnlyList<string> added, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(added);
        if (rows.Count == 0)
        {
            return;
        }

        var table = TableOf<T>();
        if (AuditTrail.Audited(table.Type) is not null)
        {
            throw new InvalidOperationException($"{table.Type.DisplayName()} is audited: its rows are inserted or updated, not added to.");
        }

        var name = _sql.DelimitIdentifier(table.Name);
        var key = table.Type.FindPrimaryKey()!.Properties.Select(p => _sql.DelimitIdentifier(p.GetColumnName()));
        var set = added.Select(p => _sql.DelimitIdentifier(table.Columns.Single(c => c.Property.Name == p).Name)).Select(c => $"{c} = {name}.{c} + excluded.{c}");
        var tail = " ON CONFLICT (" + string.Join(", ", key) + ") DO " + (added.Count == 0 ? "NOTHING" : "UPDATE SET " + string.Join(", ", set));
        var (columns, head) = table.Insert(withIds: true, Defaulted(table, rows), _sql);
        await InChunksAsync(rows, columns, head, tail, cancellationToken);
    }

    /// <summary>Sets the named columns of existing rows, matched on their keys, from the rows' values. The rows must be
    /// whole (read in full, then changed): an audited row's record carries the hash of its whole content.</summary>
    public async Task UpdateAsync<T>(IReadOnlyList<T> rows, IReadOnlyList<string> properties, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(properties);
        if (rows.Count == 0)
        {
            return;
        }

        var table = TableOf<T>();
        var set = properties.Select(p => table.Columns.Single(c => c.Property.Name == p)).ToArray();
        var columns = new[] { table.SingleKey }.Concat(set).ToArray();
        var name = _sql.DelimitIdentifier(table.Name);
        var key = _sql.DelimitIdentifier(table.SingleKey.Name);

        // UPDATE … FROM a VALUES list: SQLite 3.33+ and PostgreSQL both have it.
        var head = "WITH v (" + string.Join(", ", columns.Select(c => _sql.DelimitIdentifier(c.Name))) + ") AS (VALUES ";
        var tail = ") UPDATE " + name + " SET " + string.Join(", ", set.Select(c => _sql.DelimitIdentifier(c.Name) + " = v." + _sql.DelimitIdentifier(c.Name)))
            + " FROM v WHERE " + name + "." + key + " = v." + key;
        await InChunksAsync(rows, columns, head, tail, cancellationToken);
        AuditTrail.RecordRows(db, table.Type, (IReadOnlyList<object>)rows, properties);
    }

    /// <summary>From this many rows, PostgreSQL inserts go by binary COPY (<see cref="CopyAsync"/>).</summary>
    private const int CopyFrom = 64;

    /// <summary>
    /// PostgreSQL, many rows in a transaction: a binary COPY, each value converted and typed as SaveChanges would bind
    /// it (the type mapping's parameter gives the type, made once per column). The server then parses and plans one
    /// statement for all the rows instead of multi-row INSERTs of thousands of parameters. False when it does not
    /// apply: SQLite, few rows, statements being held, or no transaction (a COPY that fails leaves the transaction
    /// to be rolled back, as a failed INSERT does).
    /// </summary>
    private async Task<bool> CopyAsync<T>(MappedTable table, IReadOnlyList<T> rows, Column[] columns, CancellationToken cancellationToken)
        where T : class
    {
        if (!_postgres || _held is not null || rows.Count < CopyFrom || db.Database.CurrentTransaction is null)
        {
            return false;
        }

        var connection = (Npgsql.NpgsqlConnection)db.Database.GetDbConnection();
        NpgsqlTypes.NpgsqlDbType?[] types;
        await using (var probe = connection.CreateCommand())
        {
            types = [.. columns.Select(c => ((Npgsql.NpgsqlParameter)c.Parameter(probe, "p", null)).NpgsqlDbType is var type and not NpgsqlTypes.NpgsqlDbType.Unknown
                ? type : (NpgsqlTypes.NpgsqlDbType?)null)];
        }

        var copy = "COPY " + _sql.DelimitIdentifier(table.Name) + " (" + string.Join(", ", columns.Select(c => _sql.DelimitIdentifier(c.Name)))
            + ") FROM STDIN (FORMAT BINARY)";
        await using var importer = await connection.BeginBinaryImportAsync(copy, cancellationToken);
        foreach (var row in rows)
        {
            await importer.StartRowAsync(cancellationToken);
            for (var c = 0; c < columns.Length; c++)
            {
                switch (columns[c].Provider(columns[c].Value(row)))
                {
                    case null:
                        await importer.WriteNullAsync(cancellationToken);
                        break;
                    case var value when types[c] is { } type:
                        await importer.WriteAsync(value, type, cancellationToken);
                        break;
                    case var value:
                        await importer.WriteAsync(value, cancellationToken);
                        break;
                }
            }
        }

        await importer.CompleteAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// SQLite, many rows in a transaction: one single-row INSERT prepared once and run per row with its values bound,
    /// each converted as SaveChanges converts it (the type mapping's converter). SQLite then parses one statement
    /// instead of a literal per cell, and nothing is formatted as text: a third of the time of multi-row literal
    /// statements for a bulk load. The values are bound by position straight to SQLite (SQLitePCL), as
    /// Microsoft.Data.Sqlite would store them, when every column's stored type is a plain one (integers, booleans,
    /// reals, text, bytes): its command found each parameter by name and was a fifth of an imported row's insert time.
    /// False when it does not apply: PostgreSQL, few short rows, statements being held, no transaction, a column of another
    /// stored type, or text with a NUL (which the command interceptor refuses, so it goes that way).
    /// </summary>
    private async Task<bool> InsertPreparedAsync<T>(IReadOnlyList<T> rows, Column[] columns, string head, CancellationToken cancellationToken)
        where T : class
    {
        if (_postgres || _held is not null || db.Database.CurrentTransaction is null
            || !Array.TrueForAll(columns, c => c.BindsPlainly)
            || db.Database.GetDbConnection() is not SqliteConnection { Handle: { } handle })
        {
            return false;
        }

        var values = new object?[rows.Count * columns.Length];
        long textLength = 0;
        for (var r = 0; r < rows.Count; r++)
        {
            for (var c = 0; c < columns.Length; c++)
            {
                var value = values[(r * columns.Length) + c] = columns[c].Provider(columns[c].Value(rows[r]));
                if (value is string text)
                {
                    if (text.Contains('\0', StringComparison.Ordinal))
                    {
                        return false;
                    }

                    textLength += text.Length;
                }
            }
        }

        // A few rows go as one literal statement, unless their text is long (an import chunk's audit records list a
        // thousand rows' hashes each): quoted into SQL and parsed again, 80 ms a commit.
        if (rows.Count < PreparedFrom && textLength < PreparedFromText)
        {
            return false;
        }

        var sql = new StringBuilder(head).Append('(');
        for (var c = 0; c < columns.Length; c++)
        {
            sql.Append(c == 0 ? "?" : ", ?");
        }

        var rc = raw.sqlite3_prepare_v2(handle, sql.Append(')').ToString(), out var statement);
        SqliteException.ThrowExceptionForRC(rc, handle);
        try
        {
            for (var r = 0; r < rows.Count; r++)
            {
                if (r % 1000 == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    await Task.Yield(); // not one long synchronous stretch on the caller's thread
                }

                for (var c = 0; c < columns.Length; c++)
                {
                    Bind(statement, c + 1, values[(r * columns.Length) + c]);
                }

                rc = raw.sqlite3_step(statement);
                if (rc != raw.SQLITE_DONE)
                {
                    SqliteException.ThrowExceptionForRC(rc, handle);
                }

                raw.sqlite3_reset(statement);
            }
        }
        finally
        {
            statement.Dispose();
        }

        return true;
    }

    /// <summary>Binds a value as Microsoft.Data.Sqlite stores it: integers and booleans as INTEGER, reals as REAL,
    /// text as UTF-8 TEXT, bytes as a BLOB (an empty one as a zero-length BLOB, not NULL).</summary>
    private static void Bind(sqlite3_stmt statement, int index, object? value)
    {
        var rc = value switch
        {
            null => raw.sqlite3_bind_null(statement, index),
            long number => raw.sqlite3_bind_int64(statement, index, number),
            int number => raw.sqlite3_bind_int64(statement, index, number),
            short number => raw.sqlite3_bind_int64(statement, index, number),
            byte number => raw.sqlite3_bind_int64(statement, index, number),
            bool flag => raw.sqlite3_bind_int64(statement, index, flag ? 1 : 0),
            double real => raw.sqlite3_bind_double(statement, index, real),
            float real => raw.sqlite3_bind_double(statement, index, real),
            string text => raw.sqlite3_bind_text(statement, index, text),
            byte[] { Length: 0 } => raw.sqlite3_bind_zeroblob(statement, index, 0),
            byte[] bytes => raw.sqlite3_bind_blob(statement, index, bytes),
            _ => throw new InvalidOperationException($"RowWriter cannot bind a {value.GetType().Name} by position."),
        };
        if (rc != raw.SQLITE_OK)
        {
            throw new InvalidOperationException($"SQLite refused to bind parameter {index} (code {rc}).");
        }
    }

    /// <summary>Runs head, then (value, …) per row, then tail, for as many rows as fit in a statement. On SQLite every
    /// value is written as a literal in the form its type mapping gives it (see <see cref="Column.Literal"/>): binding
    /// cost more than the inserts, since Microsoft.Data.Sqlite and SQLite each find a parameter by a linear search of
    /// the statement's names. On PostgreSQL values are bound, a value repeated in a column (the sweep's instant, a
    /// unit, a null) once, referred to by name wherever it recurs.</summary>
    private async Task InChunksAsync<T>(IReadOnlyList<T> rows, Column[] columns, string head, string tail, CancellationToken cancellationToken)
        where T : class
    {
        await using var scratch = db.Database.GetDbConnection().CreateCommand(); // parameters are created by a command
        var repeated = new (object? Value, string Literal)[columns.Length]; // a column's last literal: the sweep's instant recurs
        var start = 0;
        while (start < rows.Count)
        {
            var parameters = new List<DbParameter>();
            var names = new Dictionary<(int Column, object? Value), string>();
            // Sized for the rows at hand and kept under the large-object heap's 85,000 bytes: a save's few counter rows
            // each allocating 128 KB there made the collector run full collections and cost a sixth of an action.
            var sql = new StringBuilder(head, Math.Min(head.Length + (rows.Count - start) * columns.Length * 12, 32 * 1024));
            var end = start;
            for (; end < rows.Count && end - start < MaxRows && parameters.Count + columns.Length <= MaxParameters; end++)
            {
                sql.Append(end == start ? "(" : ", (");
                for (var c = 0; c < columns.Length; c++)
                {
                    var value = columns[c].Value(rows[end]);
                    if (c > 0)
                    {
                        sql.Append(", ");
                    }

                    if (!_postgres && value is not null && Equals(repeated[c].Value, value))
                    {
                        sql.Append(repeated[c].Literal);
                        continue;
                    }

                    if (!_postgres && columns[c].Literal(value) is { } literal)
                    {
                        repeated[c] = (value, literal);
                        sql.Append(literal);
                        continue;
                    }

                    if (!names.TryGetValue((c, value), out var name))
                    {
                        name = "@p" + parameters.Count.ToString(CultureInfo.InvariantCulture);
                        names.Add((c, value), name);
                        parameters.Add(columns[c].Parameter(scratch, name, value));
                    }

                    sql.Append(name);
                }

                sql.Append(')');
            }

            sql.Append(tail);
            if (_held is not null && parameters.Count == 0)
            {
                _held.Add(sql.ToString());
            }
            else
            {
                await ExecuteAsync(sql.ToString(), parameters, cancellationToken);
            }

            start = end;
        }
    }

    /// <summary>From here on, statements whose values are all literals (SQLite's) wait for <see cref="FlushAsync"/> and
    /// run there as one command: a save's few counter rows in two tables paid twice for a command's way through EF. On
    /// PostgreSQL nothing is held (every value is bound), and holding would forbid COPY (<see cref="CopyAsync"/>): an
    /// import's counters went as multi-row INSERTs of ~20,000 parameters, ~10 ms each.</summary>
    public void Hold()
    {
        if (!_postgres)
        {
            _held ??= [];
        }
    }

    /// <summary>Runs the held statements, together, and stops holding. They go straight to the open connection, in the
    /// context's transaction: they carry no parameters to convert, and EF's way for a command (a command builder, a
    /// diagnostics event, interceptors) cost as much as SQLite's running them.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_held is { Count: > 0 } held)
        {
            // Held only inside a save (FactLedger), so the connection is open and the transaction is EF's.
            await using var command = db.Database.GetDbConnection().CreateCommand();
#pragma warning disable CA2100 // Literals made by the type mappings (Column.Literal), never user text as SQL.
            command.CommandText = string.Join(";\n", held);
#pragma warning restore CA2100
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            command.CommandTimeout = db.Database.GetCommandTimeout() ?? command.CommandTimeout;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        _held = null;
    }

    /// <summary>Runs a statement as ExecuteSqlRaw would (the context's connection and transaction, its interceptors and
    /// logging) but takes the text as it is: ExecuteSqlRaw passes it through string.Format, which text literals with
    /// braces in them would break.</summary>
    private Task<int> ExecuteAsync(string sql, List<DbParameter> parameters, CancellationToken cancellationToken)
    {
        var builder = db.GetService<IRelationalCommandBuilderFactory>().Create().Append(sql);
        foreach (var parameter in parameters)
        {
            builder.AddRawParameter(parameter.ParameterName, parameter);
        }

        return builder.Build().ExecuteNonQueryAsync(Parameters(CommandSource.ExecuteSqlRaw), cancellationToken);
    }

    /// <summary>A name from the model as an SQL text literal.</summary>
    private static string QuotedText(string name) => "'" + name.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>What a command built here runs with: the context's connection, transaction and logging.</summary>
    private RelationalCommandParameterObject Parameters(CommandSource source) =>
        new(db.GetService<IRelationalConnection>(), null, null, db, db.GetService<IRelationalCommandDiagnosticsLogger>(), source);

    /// <summary>The columns with a database default that every row leaves at it, as a bit set over the table's columns
    /// (the first 64): left out of the INSERT, which is then shorter to parse and the database fills them alike.</summary>
    private static ulong Defaulted<T>(MappedTable table, IReadOnlyList<T> rows)
        where T : class
    {
        var mask = 0UL;
        for (var c = 0; c < Math.Min(table.Columns.Length, 64); c++)
        {
            if (table.Columns[c].Default is { } fallback && rows.All(r => Equals(table.Columns[c].Value(r), fallback)))
            {
                mask |= 1UL << c;
            }
        }

        return mask;
    }

    private MappedTable TableOf<T>() =>
        Tables.GetOrAdd(db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not mapped."),
            type => new MappedTable(type));

    private sealed class MappedTable
    {
        public MappedTable(IEntityType type)
        {
            Type = type;
            Name = type.GetTableName() ?? throw new InvalidOperationException($"{type.DisplayName()} has no table.");
            Columns = type.GetProperties().Select(p => new Column(p)).ToArray();
            Key = type.FindPrimaryKey()?.Properties is [var single] ? Columns.Single(c => c.Property == single) : null;
        }

        public IEntityType Type { get; }
        public string Name { get; }
        public Column[] Columns { get; }

        /// <summary>The key column; null for a composite key, which only inserts take.</summary>
        public Column? Key { get; }

        /// <summary>The key column, for what needs one (reserving ids, updates by key).</summary>
        public Column SingleKey => Key ?? throw new InvalidOperationException($"{Type.DisplayName()} needs a single-column key.");

        private readonly ConcurrentDictionary<(bool WithIds, ulong Defaulted), InsertText> _inserts = new();

        /// <summary>The columns an INSERT names and its text up to VALUES, made once per table and set of columns left to
        /// their defaults (a save's few counter rows made them anew each time).</summary>
        public InsertText Insert(bool withIds, ulong defaulted, ISqlGenerationHelper sql) =>
            _inserts.GetOrAdd((withIds, defaulted), key =>
            {
                var columns = Columns.Where((c, i) => (key.WithIds || c != Key) && (i >= 64 || (key.Defaulted & (1UL << i)) == 0)).ToArray();
                return new InsertText(columns, "INSERT INTO " + sql.DelimitIdentifier(Name) + " ("
                    + string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.Name))) + ") VALUES ");
            });
    }

    private sealed record InsertText(Column[] Columns, string Head);

    private sealed class Column(IProperty property)
    {
        private readonly Func<object, object?> _get = Getter(property);
        private readonly RelationalTypeMapping _mapping = property.GetRelationalTypeMapping();

        /// <summary>Bytes once converted: always bound.</summary>
        private readonly bool _storesBytes = (property.GetRelationalTypeMapping().Converter?.ProviderClrType ?? property.ClrType) == typeof(byte[]);

        private readonly bool _unconverted = property.GetRelationalTypeMapping().Converter is null;

        public IProperty Property { get; } = property;

        /// <summary>The column's database default, when the model gives one.</summary>
        public object? Default { get; } = property.FindAnnotation(RelationalAnnotationNames.DefaultValue)?.Value;
        public string Name { get; } = property.GetColumnName();

        public object? Value(object entity) => _get(entity);

        /// <summary>The value as a SQLite literal, in the form the type mapping gives it (its converter applied; text
        /// quoted with its quotes doubled, line breaks as CHAR()), the cell SaveChanges would have written; null for
        /// what must be bound: bytes, and text with a NUL in it, which would end the statement's text.</summary>
        public string? Literal(object? value) => value switch
        {
            null => "NULL",
            int number when _unconverted => number.ToString(CultureInfo.InvariantCulture), // most of a counter row
            long number when _unconverted => number.ToString(CultureInfo.InvariantCulture),
            _ when _storesBytes => null,
            string text when text.Contains('\0', StringComparison.Ordinal) => null,
            string text when _unconverted => TextLiteral(text),
            _ => _mapping.GenerateSqlLiteral(value),
        };

        /// <summary>Text as SQLite reads it back unchanged: quoted, its quotes doubled. Line breaks and other control
        /// characters stand as they are in a literal (EF's mapping spells them as CHAR() calls, for readable SQL, at
        /// several times the cost: 2 % of a paced appeal's CPU went there).</summary>
        private static string TextLiteral(string text) => text.Contains('\'', StringComparison.Ordinal)
            ? string.Concat("'", text.Replace("'", "''", StringComparison.Ordinal), "'")
            : string.Concat("'", text, "'");

        /// <summary>Whether the stored value is of a type <see cref="Bind"/> binds by position (the type the converter
        /// gives, or the property's own): integers, booleans, reals, text and bytes.</summary>
        public bool BindsPlainly { get; } = PlainTypes.Contains(StoredType(property));

        private static readonly HashSet<Type> PlainTypes =
            [typeof(long), typeof(int), typeof(short), typeof(byte), typeof(bool), typeof(double), typeof(float), typeof(string), typeof(byte[])];

        private static Type StoredType(IProperty property)
        {
            var type = property.GetRelationalTypeMapping().Converter?.ProviderClrType ?? property.ClrType;
            return Nullable.GetUnderlyingType(type) ?? type;
        }

        /// <summary>The value as the database gets it: the type mapping's converter applied, as <see cref="Parameter"/> does.</summary>
        public object? Provider(object? value) => value is null ? null : _mapping.Converter is { } converter ? converter.ConvertToProvider(value) : value;

        /// <summary>The value bound as SaveChanges binds it: the property's type mapping applies its converter and DbType.</summary>
        public DbParameter Parameter(DbCommand command, string name, object? value) =>
            _mapping.CreateParameter(command, name, value, Property.IsNullable);

        private static Func<object, object?> Getter(IProperty property)
        {
            var info = property.PropertyInfo
                ?? throw new InvalidOperationException($"{property.DeclaringType.DisplayName()}.{property.Name} has no CLR property; RowWriter cannot write it.");
            var entity = Expression.Parameter(typeof(object), "entity");
            var body = Expression.Convert(Expression.Property(Expression.Convert(entity, info.DeclaringType!), info), typeof(object));
            return Expression.Lambda<Func<object, object?>>(body, entity).Compile();
        }
    }
}
