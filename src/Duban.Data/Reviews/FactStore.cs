using System.Data.Common;
using System.Globalization;
using Duban.Reviews;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Duban.Data;

/// <summary>One unit's summed counters over a period, by role.</summary>
/// <param name="UnitId">The unit.</param>
/// <param name="Role">Lead or co-handling.</param>
/// <param name="Facts">The sums; the Pending facts count only milestones whose due date is before today (overdue).</param>
public sealed record UnitPeriodFacts(long UnitId, FactRole Role, UnitFacts Facts);

/// <summary>
/// The review counters in the database: summing them over a period in one statement, folding the deltas written by
/// <see cref="FactLedger"/> into the per-day table, and rebuilding everything from the events.
/// </summary>
public static class FactStore
{
    private static readonly string Columns = string.Join(", ", FactColumns.Names.Select(Quote));

    /// <summary>
    /// Every unit's counters over [<paramref name="from"/>, <paramref name="to"/>], folded and not yet folded alike. A
    /// pending milestone counts only when its due date is before <paramref name="today"/>: then it is overdue; one due
    /// today or later is not yet decided. Whole months that ended before today are read from the monthly sums (every
    /// pending milestone in them is overdue), the rest day by day.
    /// </summary>
    public static async Task<IReadOnlyList<UnitPeriodFacts>> SumAsync(DubanDbContext db, DateOnly from, DateOnly to, DateOnly today,
        CancellationToken cancellationToken, long? unitId = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        var sums = string.Join(", ", Enum.GetValues<Fact>().Select(f => UnitFacts.IsPending(f)
            ? $"SUM(CASE WHEN \"Day\" < @today THEN {Quote(f.ToString())} ELSE 0 END)"
            : $"SUM({Quote(f.ToString())})"));
        var unitFilter = unitId is null ? "" : " AND \"UnitId\" = @unit";

        // Whole months inside the period, all of them before today's month: [monthsFrom, monthsTo) by first days.
        var monthsFrom = from.Day == 1 ? from : new DateOnly(from.Year, from.Month, 1).AddMonths(1);
        var monthsTo = new DateOnly(to.Year, to.Month, 1);
        if (to == monthsTo.AddMonths(1).AddDays(-1))
        {
            monthsTo = monthsTo.AddMonths(1);
        }

        var thisMonth = new DateOnly(today.Year, today.Month, 1);
        if (monthsTo > thisMonth)
        {
            monthsTo = thisMonth;
        }

        var parts = new List<string>();
        if (monthsFrom < monthsTo)
        {
            parts.Add($"SELECT \"UnitId\", \"Role\", \"Day\", {Columns} FROM unit_month_facts WHERE \"Day\" >= @monthsFrom AND \"Day\" < @monthsTo{unitFilter}");
            // Each run of days around the months as its own range, so both engines read them through the key (an OR of two
            // ranges made PostgreSQL scan the whole table).
            if (from < monthsFrom)
            {
                parts.Add($"SELECT \"UnitId\", \"Role\", \"Day\", {Columns} FROM unit_day_facts WHERE \"Day\" >= @from AND \"Day\" < @monthsFrom{unitFilter}");
            }

            if (monthsTo <= to)
            {
                parts.Add($"SELECT \"UnitId\", \"Role\", \"Day\", {Columns} FROM unit_day_facts WHERE \"Day\" >= @monthsTo AND \"Day\" <= @to{unitFilter}");
            }
        }
        else
        {
            parts.Add($"SELECT \"UnitId\", \"Role\", \"Day\", {Columns} FROM unit_day_facts WHERE \"Day\" >= @from AND \"Day\" <= @to{unitFilter}");
        }

        parts.Add($"SELECT \"UnitId\", \"Role\", \"Day\", {Columns} FROM unit_fact_deltas WHERE \"Day\" >= @from AND \"Day\" <= @to{unitFilter}");
        var sql = $"SELECT \"UnitId\", \"Role\", {sums} FROM ({string.Join(" UNION ALL ", parts)}) f GROUP BY \"UnitId\", \"Role\"";
        var result = new List<UnitPeriodFacts>();
        await using var command = await CommandAsync(db, sql, cancellationToken);
        AddDay(db, command, "from", from);
        AddDay(db, command, "to", to);
        AddDay(db, command, "today", today);
        AddDay(db, command, "monthsFrom", monthsFrom);
        AddDay(db, command, "monthsTo", monthsTo);
        if (unitId is { } u)
        {
            Add(command, "unit", u);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var facts = new UnitFacts();
            for (var i = 0; i < UnitFacts.Count; i++)
            {
                facts[(Fact)i] = reader.IsDBNull(i + 2) ? 0 : Convert.ToInt64(reader.GetValue(i + 2), CultureInfo.InvariantCulture);
            }

            result.Add(new UnitPeriodFacts(reader.GetInt64(0), (FactRole)reader.GetInt32(1), facts));
        }

        return result;
    }

    /// <summary>
    /// Moves the deltas into the per-day and per-month counters and remembers which matters touched which unit-day. Exactly once per
    /// delta, also with several instances folding at once: on PostgreSQL the deltas are deleted and summed in one
    /// statement (a delta another folder took is skipped); on SQLite the fold holds the only write lock.
    /// </summary>
    /// <param name="db">The context.</param>
    /// <param name="paced">On SQLite, the clock by which the fold spaces its chunks out: after each it waits nine times
    /// as long as the chunk held the only writer, so intake's batches keep at least nine tenths of it (the background
    /// job); null folds at once (the CLI, tests).</param>
    /// <param name="cancellationToken">Stops between statements.</param>
    /// <returns>The deltas folded.</returns>
    public static async Task<int> FoldAsync(DubanDbContext db, TimeProvider? paced, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (db.Database.IsNpgsql())
        {
            var sql = $"""
                WITH moved AS (DELETE FROM unit_fact_deltas RETURNING *),
                     keys AS (INSERT INTO unit_day_matters ("UnitId", "Day", "MatterId")
                              SELECT DISTINCT "UnitId", "Day", "MatterId" FROM moved ON CONFLICT DO NOTHING),
                     months AS (INSERT INTO unit_month_facts ("Day", "UnitId", "Role", {Columns})
                              SELECT date_trunc('month', "Day")::date, "UnitId", "Role", {FoldSums} FROM moved
                              GROUP BY date_trunc('month', "Day")::date, "UnitId", "Role"
                              ON CONFLICT ("Day", "UnitId", "Role") DO UPDATE SET {FoldMonthUpdates}),
                     days AS (INSERT INTO unit_day_facts ("Day", "UnitId", "Role", {Columns})
                              SELECT "Day", "UnitId", "Role", {FoldSums} FROM moved GROUP BY "Day", "UnitId", "Role"
                              ON CONFLICT ("Day", "UnitId", "Role") DO UPDATE SET {FoldUpdates})
                SELECT count(*)::int AS "Value" FROM moved
                """;
            await using var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
            // The deltas moved (the statement's own count would be the day rows written); run as it is, since a
            // data-modifying WITH must stay at the top level, where EF's query would wrap it.
            await using var command = db.Database.GetDbConnection().CreateCommand();
#pragma warning disable CA2100 // column names from the model, no user text
            command.CommandText = sql;
#pragma warning restore CA2100
            command.Transaction = db.Database.CurrentTransaction!.GetDbTransaction();
            var moved = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
            await MatterTallies.FoldAsync(db, cancellationToken);
            if (own is not null)
            {
                await own.CommitAsync(cancellationToken);
            }

            return moved;
        }

        if (db.Database.CurrentTransaction is not null)
        {
            return await FoldSqliteAsync(db, await MaxDeltaIdAsync(db, cancellationToken) ?? 0, cancellationToken); // all of it, in the caller's transaction
        }

        // SQLite has one writer: the fold takes its turn at it (WriteTurns, first come first served, as the batching
        // writer does) and goes FoldChunk deltas a transaction, so intake's batches commit between the chunks. Folding
        // 15 s of intake in one transaction, without a turn, left the writer polling a busy database (150 ms sleeps):
        // those were intake's slowest answers (p99 96–230 ms at 8 clients, 20.8 without the fold; docs/BENCHMARKS.md).
        // Chunk after chunk, the fold still took a turn after each intake batch: at 1,000 appeals/s, 12–18 chunks of ~6 ms
        // in 200–430 ms every 2 s, the writer then already ~90 % busy, and the requests sent meanwhile waited 60–110 ms
        // (docs/BENCHMARKS.md). Paced, the same work is spread over the interval.
        var stopAt = await MaxDeltaIdAsync(db, cancellationToken) ?? 0; // deltas written after this wait for the next fold
        var total = 0;
        while (true)
        {
            long upTo;
            TimeSpan held;
            using (await WriteTurns.TakeAsync(db, cancellationToken))
            {
                var started = paced?.GetTimestamp() ?? 0;
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                var first = (await db.Database.SqlQueryRaw<long?>("SELECT MIN(\"Id\") AS \"Value\" FROM unit_fact_deltas").ToListAsync(cancellationToken))[0];
                upTo = first is { } min && min <= stopAt ? Math.Min(stopAt, min + FoldChunk - 1) : 0;
                total += await FoldSqliteAsync(db, upTo, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                held = paced?.GetElapsedTime(started) ?? TimeSpan.Zero;
            }

            if (upTo == 0 || upTo >= stopAt)
            {
                return total;
            }

            if (paced is not null)
            {
                await Task.Delay(held * 9, paced, cancellationToken);
            }
        }
    }

    /// <summary>A fold's SET list (a day's counters plus the deltas'), the month's, and the deltas' sums.</summary>
    private static readonly string FoldUpdates = string.Join(", ", FactColumns.Names.Select(n => $"{Quote(n)} = unit_day_facts.{Quote(n)} + excluded.{Quote(n)}")),
        FoldMonthUpdates = FoldUpdates.Replace("unit_day_facts.", "unit_month_facts.", StringComparison.Ordinal),
        FoldSums = string.Join(", ", FactColumns.Names.Select(n => $"SUM({Quote(n)})"));

    /// <summary>Deltas folded in one SQLite transaction at most, so the only writer is not held for long: 1,000 take
    /// ~10 ms, about one intake batch (with 5,000, each batch that came during a fold waited 25–86 ms more).</summary>
    public const int FoldChunk = 1_000;

    private static async Task<long?> MaxDeltaIdAsync(DubanDbContext db, CancellationToken cancellationToken) =>
        (await db.Database.SqlQueryRaw<long?>("SELECT MAX(\"Id\") AS \"Value\" FROM unit_fact_deltas").ToListAsync(cancellationToken))[0];

    /// <summary>SQLite: folds the deltas up to <paramref name="upTo"/> (none for 0) and the tallies, in the open transaction.</summary>
    private static async Task<int> FoldSqliteAsync(DubanDbContext db, long upTo, CancellationToken cancellationToken)
    {
        if (upTo == 0)
        {
            await MatterTallies.FoldAsync(db, cancellationToken); // a save can move a tally without a counter
            return 0;
        }

        var fold = $$"""
            INSERT INTO unit_day_facts ("Day", "UnitId", "Role", {{Columns}})
            SELECT "Day", "UnitId", "Role", {{FoldSums}} FROM unit_fact_deltas WHERE "Id" <= {0} GROUP BY "Day", "UnitId", "Role"
            ON CONFLICT ("Day", "UnitId", "Role") DO UPDATE SET {{FoldUpdates}}
            """;
        await db.Database.ExecuteSqlRawAsync(fold, [upTo], cancellationToken);
        var foldMonths = $$"""
            INSERT INTO unit_month_facts ("Day", "UnitId", "Role", {{Columns}})
            SELECT date("Day", 'start of month'), "UnitId", "Role", {{FoldSums}} FROM unit_fact_deltas WHERE "Id" <= {0}
            GROUP BY date("Day", 'start of month'), "UnitId", "Role"
            ON CONFLICT ("Day", "UnitId", "Role") DO UPDATE SET {{FoldMonthUpdates}}
            """;
        await db.Database.ExecuteSqlRawAsync(foldMonths, [upTo], cancellationToken);
        await db.Database.ExecuteSqlRawAsync("""
            INSERT INTO unit_day_matters ("UnitId", "Day", "MatterId")
            SELECT DISTINCT "UnitId", "Day", "MatterId" FROM unit_fact_deltas WHERE "Id" <= {0} ON CONFLICT DO NOTHING
            """, [upTo], cancellationToken);
        var folded = await db.Database.ExecuteSqlRawAsync("DELETE FROM unit_fact_deltas WHERE \"Id\" <= {0}", [upTo], cancellationToken);
        await MatterTallies.FoldAsync(db, cancellationToken);
        return folded;
    }

    /// <summary>The matters once counted for a unit between two dates (folded or not): the drill-down's candidates.</summary>
    public static async Task<IReadOnlyList<long>> MattersAsync(DubanDbContext db, long unitId, DateOnly from, DateOnly to,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var folded = await db.UnitDayMatters.AsNoTracking().Where(m => m.UnitId == unitId && m.Day >= from && m.Day <= to)
            .Select(m => m.MatterId).Distinct().ToListAsync(cancellationToken);
        var pending = await db.UnitFactDeltas.AsNoTracking().Where(m => m.UnitId == unitId && m.Day >= from && m.Day <= to)
            .Select(m => m.MatterId).Distinct().ToListAsync(cancellationToken);
        return folded.Union(pending).Order().ToList();
    }

    /// <summary>How many deltas the rebuild gathers before folding them. Each fold updates the day and month rows its
    /// deltas touch, and inside the rebuild's one transaction PostgreSQL keeps every earlier version of an updated row
    /// (vacuum cannot free them, and their pages stay afterwards): folding every batch of 2,000 matters left the month
    /// table five times its live size at 1,000,000 matters; a fold per quarter million deltas updates a row a few times.</summary>
    private const int RebuildFoldRows = 250_000;

    /// <summary>
    /// Recomputes every counter from the events (<see cref="MatterFacts.Replay"/>) and the dashboard's tallies from the
    /// matters (<see cref="MatterTallies"/>), in one transaction that keeps
    /// writers out meanwhile (SQLite's write lock; an exclusive lock on the deltas on PostgreSQL): what was kept
    /// incrementally is replaced by what the history says.
    /// </summary>
    /// <returns>The matters replayed.</returns>
    public static async Task<long> RebuildAsync(DubanDbContext db, Rules rules, ReviewRules reviewRules, IProgress<long>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(rules);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlRawAsync(
                "LOCK TABLE unit_fact_deltas, unit_day_facts, unit_month_facts, matter_tally_deltas, matter_tallies IN EXCLUSIVE MODE", cancellationToken);
        }

        await db.Database.ExecuteSqlRawAsync("DELETE FROM unit_fact_deltas", cancellationToken);
        await db.Database.ExecuteSqlRawAsync("DELETE FROM unit_day_facts", cancellationToken);
        await db.Database.ExecuteSqlRawAsync("DELETE FROM unit_month_facts", cancellationToken);
        await db.Database.ExecuteSqlRawAsync("DELETE FROM unit_day_matters", cancellationToken);
        var writer = new RowWriter(db);
        long last = 0, replayed = 0, pending = 0;
        while (true)
        {
            var ids = await db.Matters.AsNoTracking().Where(m => m.Id > last).OrderBy(m => m.Id).Select(m => m.Id).Take(2000)
                .ToListAsync(cancellationToken);
            if (ids.Count == 0)
            {
                break;
            }

            last = ids[^1];
            var events = await db.MatterEvents.AsNoTracking().Where(e => e.MatterId >= ids[0] && e.MatterId <= last)
                .OrderBy(e => e.MatterId).ThenBy(e => e.Sequence).ToListAsync(cancellationToken);
            var rows = new List<UnitFactDelta>();
            foreach (var history in events.GroupBy(e => e.MatterId))
            {
                var delta = MatterFacts.Replay(history.Select(e => e.ToEvent()), rules.Calendar, reviewRules);
                foreach (var (key, facts) in delta.Entries)
                {
                    var row = new UnitFactDelta { MatterId = history.Key, UnitId = key.UnitId, Day = key.Day, Role = key.Role };
                    row.Set(facts);
                    rows.Add(row);
                }
            }

            var rowIds = await writer.ReserveIdsAsync<UnitFactDelta>(rows.Count, cancellationToken);
            for (var i = 0; i < rows.Count; i++)
            {
                rows[i].Id = rowIds[i];
            }

            await writer.InsertAsync(rows, cancellationToken);
            pending += rows.Count;
            if (pending >= RebuildFoldRows)
            {
                await FoldAsync(db, null, cancellationToken);
                pending = 0;
            }

            replayed += ids.Count;
            progress?.Report(replayed);
        }

        await FoldAsync(db, null, cancellationToken);
        await MatterTallies.RebuildAsync(db, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (db.Database.IsNpgsql())
        {
            // Each batch's fold updated the same day and month rows again, leaving PostgreSQL a dead version of a row
            // per update until vacuumed: at 1,000,000 matters a month's sum walked them and took 158 ms instead of 7.
            await db.Database.ExecuteSqlRawAsync(
                "VACUUM (ANALYZE) unit_fact_deltas, unit_day_facts, unit_month_facts, unit_day_matters, matter_tally_deltas, matter_tallies",
                cancellationToken);
        }

        return replayed;
    }

    /// <summary>Every counter, folded and not, summed per unit, day and role: what the rebuild test compares.</summary>
    public static async Task<FactDelta> AllAsync(DubanDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var all = new FactDelta();
        foreach (var row in await db.UnitDayFacts.AsNoTracking().ToListAsync(cancellationToken))
        {
            all.At(new FactKey(row.UnitId, row.Day, row.Role)).Add(row.ToFacts());
        }

        foreach (var row in await db.UnitFactDeltas.AsNoTracking().ToListAsync(cancellationToken))
        {
            all.At(new FactKey(row.UnitId, row.Day, row.Role)).Add(row.ToFacts());
        }

        return all;
    }

    private static string Quote(string name) => "\"" + name + "\"";

    private static async Task<DbCommand> CommandAsync(DubanDbContext db, string sql, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
        }

        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        return command;
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    /// <summary>A date as the column holds it: <c>date</c> on PostgreSQL, <c>yyyy-MM-dd</c> text on SQLite.</summary>
    private static void AddDay(DubanDbContext db, DbCommand command, string name, DateOnly day) =>
        Add(command, name, db.Database.IsNpgsql() ? day : day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
}
