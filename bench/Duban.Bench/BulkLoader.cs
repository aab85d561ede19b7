using System.Data.Common;
using System.Globalization;
using System.Linq.Expressions;
using System.Text;
using Duban.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Duban.Bench;

/// <summary>
/// Writes matters the product built (<see cref="Matter.Store"/> and the assign event) straight into their tables with
/// multi-row INSERTs, one transaction per call, much faster than EF's change tracker. Tables, columns, value
/// converters and parameter types all come from EF's model, so each cell holds what SaveChanges would have written;
/// the sweep benchmark's self-check compares the result with rows written by <c>AssignMatter</c>. Ids are given
/// explicitly, in the order EF would have used (matter, then its milestones in stage order, co-units, event).
/// Setup only: the connection is the bench's own (see <see cref="BenchDatabase.OpenAsync"/>).
/// </summary>
internal sealed class BulkLoader : IAsyncDisposable
{
    /// <summary>Parameters per statement. Microsoft.Data.Sqlite binds each parameter by name, a linear search of the
    /// statement's names, so binding costs grow with the square of the count: SQLite gets small statements.</summary>
    private const int MaxSqliteParameters = 100, MaxPostgresParameters = 2_000;

    private readonly DbConnection _connection;
    private readonly bool _postgres;
    private readonly Table _matters, _milestones, _coUnits, _events, _counters;
    private long _matterId, _milestoneId, _eventId;

    private BulkLoader(DbConnection connection, bool postgres, IModel model)
    {
        _connection = connection;
        _postgres = postgres;
        _matters = new Table(model.FindEntityType(typeof(Matter))!);
        _milestones = new Table(model.FindEntityType(typeof(MilestoneRow))!);
        _coUnits = new Table(model.FindEntityType(typeof(MatterCoUnit))!);
        _events = new Table(model.FindEntityType(typeof(MatterEventRow))!);
        _counters = new Table(model.FindEntityType(typeof(CodeCounter))!);
    }

    /// <summary>A loader over an open connection; <paramref name="model"/> is the product's (from its DbContext on the same engine).</summary>
    public static async Task<BulkLoader> CreateAsync(DbConnection connection, bool postgres, IModel model, CancellationToken cancellationToken)
    {
        var loader = new BulkLoader(connection, postgres, model);
        loader._matterId = await loader.MaxIdAsync(loader._matters, cancellationToken);
        loader._milestoneId = await loader.MaxIdAsync(loader._milestones, cancellationToken);
        loader._eventId = await loader.MaxIdAsync(loader._events, cancellationToken);
        return loader;
    }

    /// <summary>Inserts the matters with their milestones, co-units and events, in one transaction.</summary>
    public async Task WriteAsync(IReadOnlyList<Matter> matters, CancellationToken cancellationToken)
    {
        var milestones = new List<MilestoneRow>(matters.Count * 3);
        var coUnits = new List<MatterCoUnit>();
        var events = new List<MatterEventRow>(matters.Count);
        foreach (var matter in matters)
        {
            matter.Id = ++_matterId;
            foreach (var row in matter.Milestones)
            {
                row.Id = ++_milestoneId;
                row.MatterId = matter.Id;
                milestones.Add(row);
            }

            foreach (var coUnit in matter.CoUnits)
            {
                coUnit.MatterId = matter.Id;
                coUnits.Add(coUnit);
            }

            foreach (var row in matter.Events)
            {
                row.Id = ++_eventId;
                row.MatterId = matter.Id;
                events.Add(row);
            }
        }

        await using var transaction = await _connection.BeginTransactionAsync(cancellationToken);
        await InsertAsync(_matters, matters, transaction, cancellationToken);
        await InsertAsync(_milestones, milestones, transaction, cancellationToken);
        await InsertAsync(_coUnits, coUnits, transaction, cancellationToken);
        await InsertAsync(_events, events, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The code counters as AssignMatter would have left them; on PostgreSQL, the identity sequences moved
    /// past the ids given, as inserts through EF would have moved them (SQLite's AUTOINCREMENT table follows by itself).</summary>
    public async Task FinishAsync(IReadOnlyDictionary<int, long> counters, CancellationToken cancellationToken)
    {
        await using var transaction = await _connection.BeginTransactionAsync(cancellationToken);
        await InsertAsync(_counters, counters.OrderBy(c => c.Key).Select(c => new CodeCounter { Year = c.Key, Last = c.Value }).ToList(),
            transaction, cancellationToken);
        if (_postgres)
        {
            foreach (var table in new[] { _matters, _milestones, _events })
            {
                await using var command = _connection.CreateCommand();
                command.Transaction = transaction;
#pragma warning disable CA2100 // Table and column names from EF's model.
                command.CommandText = FormattableString.Invariant(
                    $"SELECT setval(pg_get_serial_sequence('\"{table.Name}\"', 'Id'), (SELECT MAX(\"Id\") FROM \"{table.Name}\"))");
#pragma warning restore CA2100
                await command.ExecuteScalarAsync(cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var table in new[] { _matters, _milestones, _coUnits, _events, _counters })
        {
            await table.DisposeAsync();
        }
    }

    private async Task<long> MaxIdAsync(Table table, CancellationToken cancellationToken)
    {
        await using var command = _connection.CreateCommand();
#pragma warning disable CA2100 // Table name from EF's model.
        command.CommandText = $"SELECT COALESCE(MAX(\"Id\"), 0) FROM \"{table.Name}\"";
#pragma warning restore CA2100
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    private async Task InsertAsync<T>(Table table, IReadOnlyList<T> rows, DbTransaction transaction, CancellationToken cancellationToken)
        where T : class
    {
        var perStatement = Math.Max(1, (_postgres ? MaxPostgresParameters : MaxSqliteParameters) / table.Columns.Length);
        for (var start = 0; start < rows.Count; start += perStatement)
        {
            var count = Math.Min(perStatement, rows.Count - start);
            var command = table.Command(_connection, count);
            command.Transaction = transaction;
            var k = 0;
            for (var r = start; r < start + count; r++)
            {
                foreach (var column in table.Columns)
                {
                    command.Parameters[k++].Value = column.ProviderValue(rows[r]);
                }
            }

            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>One table's columns as EF maps them, and a prepared INSERT per row count.</summary>
    private sealed class Table(IEntityType type) : IAsyncDisposable
    {
        private readonly Dictionary<int, DbCommand> _commands = [];

        public string Name { get; } = type.GetTableName()!;

        public Column[] Columns { get; } = type.GetProperties().Select(p => new Column(p)).ToArray();

        public DbCommand Command(DbConnection connection, int rows)
        {
            if (_commands.TryGetValue(rows, out var cached))
            {
                return cached;
            }

            var command = connection.CreateCommand();
            var sql = new StringBuilder();
            sql.Append(CultureInfo.InvariantCulture, $"INSERT INTO \"{Name}\" (");
            sql.AppendJoin(", ", Columns.Select(c => $"\"{c.Name}\""));
            sql.Append(") VALUES ");
            var k = 0;
            for (var r = 0; r < rows; r++)
            {
                sql.Append(r == 0 ? "(" : ", (");
                for (var c = 0; c < Columns.Length; c++)
                {
                    var name = string.Create(CultureInfo.InvariantCulture, $"@p{k++}");
                    sql.Append(c == 0 ? name : ", " + name);
                    command.Parameters.Add(Columns[c].Mapping.CreateParameter(command, name, null, Columns[c].Property.IsNullable));
                }

                sql.Append(')');
            }

#pragma warning disable CA2100 // Table and column names from EF's model; values are parameters.
            command.CommandText = sql.ToString();
#pragma warning restore CA2100
            _commands[rows] = command;
            return command;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var command in _commands.Values)
            {
                await command.DisposeAsync();
            }

            _commands.Clear();
        }
    }

    private sealed class Column(IProperty property)
    {
        private readonly Func<object, object?> _get = Getter(property);

        public IProperty Property { get; } = property;
        public string Name { get; } = property.GetColumnName();
        public RelationalTypeMapping Mapping { get; } = property.GetRelationalTypeMapping();

        /// <summary>The value as SaveChanges would bind it: through the property's converter, null as DBNull.</summary>
        public object ProviderValue(object entity)
        {
            var value = _get(entity);
            if (value is not null && Mapping.Converter is { } converter)
            {
                value = converter.ConvertToProvider(value);
            }

            return value ?? DBNull.Value;
        }

        private static Func<object, object?> Getter(IProperty property)
        {
            var info = property.PropertyInfo
                ?? throw new InvalidOperationException($"{property.DeclaringType.DisplayName()}.{property.Name} has no CLR property; the bulk loader cannot write it.");
            var entity = Expression.Parameter(typeof(object), "entity");
            var body = Expression.Convert(Expression.Property(Expression.Convert(entity, info.DeclaringType!), info), typeof(object));
            return Expression.Lambda<Func<object, object?>>(body, entity).Compile();
        }
    }
}
