using System.Globalization;
using Duban.Data;
using Duban.Escalation;
using Duban.Reviews;
using Duban.TimeLimits;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Tests;

/// <summary>
/// <see cref="RowWriter"/> writes the rows SaveChanges would have written: the same rows go in both ways and every
/// stored cell (its value and, on SQLite, its storage class) must agree, for text with quotes, line breaks, braces,
/// parameter-like words, emoji, nulls, instants, enums and flags.
/// </summary>
public sealed class RowWriterTests
{
    private static readonly DateTimeOffset Instant = new(2024, 2, 8, 10, 0, 0, TimeSpan.FromHours(8));

    /// <summary>The rows to write (no NUL: text with one is refused before it reaches either engine, NulTextGuard).</summary>
    private static List<EscalationRecord> Rows(long matterId, long unitId) =>
    [
        .. Enumerable.Range(0, 250).Select(i => new EscalationRecord
        {
            MatterId = matterId,
            MilestoneId = null,
            Stage = i % 3 == 0 ? null : (Stage)(i % 3),
            Kind = (EscalationKind)(i % 4),
            // PostgreSQL keeps microseconds.
            ForDueAt = i % 5 == 0 ? null : Instant.AddMinutes(i).AddTicks(i * 10),
            At = Instant.AddHours(i).ToOffset(TimeSpan.FromHours(i % 2 == 0 ? 8 : 0)),
            RecordedAt = Instant,
            UnitId = unitId,
            Manual = i % 2 == 0,
            Level = i % 7 == 0 ? SupervisionLevel.Listed : null,
            ActorId = i % 2 == 0 ? null : "u" + i.ToString(CultureInfo.InvariantCulture),
            ActorName = "督查室 O'Brien \"引号\"",
            Message = i % 3 == 0 ? null
                : $"第{i}条：请于今日内签收；\n换行\r\n'单引号' -- 注释 /* 块 */ 😀 {{0}} {{ @p0 ? $1 :a \\ \t{i}",
            Announced = i % 4 != 0,
        }),
    ];

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task RowsWrittenInSetsEqualThoseSaveChangesWrites(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        var matterId = await s.RunAsync(sp => sp.GetRequiredService<AssignMatter>().ExecuteAsync(TestMatters.Assignment("K-T"), s.Org.Supervisor));
        var unitId = s.Org.UnitIds["K-T"];

        var saved = await s.RunAsync(async sp =>
        {
            var db = sp.GetRequiredService<DubanDbContext>();
            var rows = Rows(matterId, unitId);
            db.Escalations.AddRange(rows);
            await db.SaveChangesAsync();
            return rows.Select(r => r.Id).ToList();
        });
        var written = await s.RunAsync(async sp =>
        {
            var db = sp.GetRequiredService<DubanDbContext>();
            var writer = new RowWriter(db);
            await using var transaction = await db.Database.BeginTransactionAsync();
            var rows = Rows(matterId, unitId);
            var ids = await writer.ReserveIdsAsync<EscalationRecord>(rows.Count, default);
            for (var i = 0; i < rows.Count; i++)
            {
                rows[i].Id = ids[i];
            }

            // 40 rows as multi-row literal statements, the other 210 through the prepared statement (SQLite, 64 rows on).
            await writer.InsertAsync(rows[..40], default);
            await writer.InsertAsync(rows[40..], default);
            await transaction.CommitAsync();
            return ids.ToList();
        });

        Assert.Empty(saved.Intersect(written));
        var bySaveChanges = await CellsAsync(s, saved);
        var byRowWriter = await CellsAsync(s, written);
        Assert.Equal(250, bySaveChanges.Count);
        Assert.Equal(bySaveChanges, byRowWriter);

        // And EF reads them back as the same entities.
        var read = await s.RunAsync(sp => sp.GetRequiredService<DubanDbContext>().Escalations.AsNoTracking()
            .Where(e => written.Contains(e.Id)).OrderBy(e => e.Id).ToListAsync());
        var expected = Rows(matterId, unitId);
        Assert.Equal(expected.Select(e => (e.Message, e.At, e.ForDueAt, e.Stage, e.Level, e.Announced)),
            read.Select(e => (e.Message, e.At, e.ForDueAt, e.Stage, e.Level, e.Announced)));
    }

    /// <summary>Review counters carry a day (a <see cref="DateOnly"/>): written in sets it is stored as SaveChanges stores
    /// it, leap days and the ends of years included. (Bound by position on SQLite the rows cost more CPU than as
    /// literals, which name only the counters that are not zero: an import measured 5–15 % slower.)</summary>
    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task DaysWrittenInSetsEqualThoseSaveChangesWrites(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        var unitId = s.Org.UnitIds["K-T"];
        List<UnitFactDelta> Deltas(long matterId) =>
        [
            .. Enumerable.Range(0, 100).Select(i => new UnitFactDelta
            {
                MatterId = matterId,
                UnitId = unitId,
                Day = new DateOnly(2023, 12, 31).AddDays(i * 15 - 300),
                Role = (FactRole)(i % 2),
                Assigned = i,
            }),
        ];

        var saved = await s.RunAsync(async sp =>
        {
            var db = sp.GetRequiredService<DubanDbContext>();
            var rows = Deltas(1);
            db.Set<UnitFactDelta>().AddRange(rows);
            await db.SaveChangesAsync();
            return rows.Select(r => r.Id).ToList();
        });
        var written = await s.RunAsync(async sp =>
        {
            var db = sp.GetRequiredService<DubanDbContext>();
            var writer = new RowWriter(db);
            await using var transaction = await db.Database.BeginTransactionAsync();
            var rows = Deltas(2);
            var ids = await writer.ReserveIdsAsync<UnitFactDelta>(rows.Count, default);
            for (var i = 0; i < rows.Count; i++)
            {
                rows[i].Id = ids[i];
            }

            await writer.InsertAsync(rows, default);
            await transaction.CommitAsync();
            return ids.ToList();
        });

        var bySaveChanges = await CellsAsync(s, saved, "unit_fact_deltas");
        var byRowWriter = await CellsAsync(s, written, "unit_fact_deltas");
        Assert.Equal(100, bySaveChanges.Count);
        Assert.Contains(bySaveChanges, c => c.Contains("Day=2024-02-29", StringComparison.Ordinal) || c.Contains("Day=02/29/2024", StringComparison.Ordinal));
        Assert.Equal(bySaveChanges.Select(c => c.Replace("MatterId=1:", "MatterId=2:", StringComparison.Ordinal)), byRowWriter);
    }

    /// <summary>Every cell of the rows but the id, as the database holds it: the value and its type.</summary>
    private static Task<List<string>> CellsAsync(Storage s, List<long> ids, string table = "escalations") => s.RunAsync(async sp =>
    {
        var connection = sp.GetRequiredService<DubanDbContext>().Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM {table} WHERE \"Id\" IN (" + string.Join(", ", ids) + ") ORDER BY \"Id\"";
        var cells = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            cells.Add(string.Join(" | ", Enumerable.Range(0, reader.FieldCount)
                .Where(i => reader.GetName(i) != "Id")
                .Select(i => reader.IsDBNull(i)
                    ? reader.GetName(i) + "=NULL"
                    : FormattableString.Invariant($"{reader.GetName(i)}={reader.GetValue(i)}:{reader.GetValue(i).GetType().Name}"))));
        }

        return cells;
    });
}
