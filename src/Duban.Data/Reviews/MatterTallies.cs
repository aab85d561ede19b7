using System.Globalization;
using System.Text;
using Duban.Matters;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Duban.Data;

/// <summary>What a tally counts matters by.</summary>
public enum TallyDimension
{
    /// <summary>状态: <see cref="MatterStatus"/> by name.</summary>
    Status = 0,

    /// <summary>类型: <see cref="MatterKind"/> by name.</summary>
    Kind = 1,

    /// <summary>诉求分类: an appeal's category, "" for imported history without one.</summary>
    Category = 2,
}

/// <summary>
/// How many matters a unit's subtree leads, by status, by kind and (appeals) by category: the unit and each of its
/// ancestors hold a row for every matter led inside, so the dashboard of anyone overseeing a subtree reads a few dozen
/// rows, however many matters there are. Units never move (<see cref="UnitDirectory"/> refuses it), so a path taken at
/// fold time stays true.
/// </summary>
public sealed class MatterTally
{
    public long UnitId { get; set; }
    public TallyDimension Dimension { get; set; }
    public required string Value { get; set; }
    public long Count { get; set; }
}

/// <summary>One save's change to the tallies of a lead unit (not yet rolled up to its ancestors), written with the events
/// by <see cref="FactLedger"/>, insert only, folded into <see cref="MatterTally"/> with the review counters.</summary>
public sealed class MatterTallyDelta
{
    public long Id { get; set; }
    public long UnitId { get; set; }
    public TallyDimension Dimension { get; set; }
    public required string Value { get; set; }
    public int Count { get; set; }
}

/// <summary>A change to the tallies: +1 or −1 for one lead unit under one value.</summary>
public readonly record struct TallyChange(long UnitId, TallyDimension Dimension, string Value, long Count);

/// <summary>The dashboard's counts kept with the events: the changes one save makes, folding, reading and rebuilding.</summary>
public static class MatterTallies
{
    /// <summary>
    /// The changes from one state of a matter to the next: a new matter counts under its lead unit, status, kind and
    /// category; a transfer moves all three to the new lead unit; any other change of status moves the status.
    /// </summary>
    /// <param name="before">The state before the save; null for a new matter.</param>
    /// <param name="after">The state after it.</param>
    /// <param name="category">The appeal's category ("" without one); null when the matter is not an appeal.</param>
    public static IEnumerable<TallyChange> Changes(MatterState? before, MatterState after, string? category)
    {
        ArgumentNullException.ThrowIfNull(after);
        if (before is not null && before.LeadUnitId == after.LeadUnitId)
        {
            if (before.Status != after.Status)
            {
                yield return new TallyChange(after.LeadUnitId, TallyDimension.Status, before.Status.ToString(), -1);
                yield return new TallyChange(after.LeadUnitId, TallyDimension.Status, after.Status.ToString(), 1);
            }

            yield break;
        }

        if (before is not null)
        {
            foreach (var change in All(before, category, -1))
            {
                yield return change;
            }
        }

        foreach (var change in All(after, category, 1))
        {
            yield return change;
        }
    }

    private static IEnumerable<TallyChange> All(MatterState state, string? category, int count)
    {
        yield return new TallyChange(state.LeadUnitId, TallyDimension.Status, state.Status.ToString(), count);
        yield return new TallyChange(state.LeadUnitId, TallyDimension.Kind, state.Kind.ToString(), count);
        if (category is not null)
        {
            yield return new TallyChange(state.LeadUnitId, TallyDimension.Category, category, count);
        }
    }

    /// <summary>The units a path names, the unit itself last: "/1/5/23/" → 1, 5, 23.</summary>
    public static IEnumerable<long> Ancestry(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            yield return long.Parse(part, CultureInfo.InvariantCulture);
        }
    }

    /// <summary>
    /// Moves the deltas (on PostgreSQL deleted and read in one statement, so a delta another folder took is skipped; on
    /// SQLite under the write lock) into the tallies of their units and every ancestor. Runs in
    /// the caller's transaction.
    /// </summary>
    internal static async Task FoldAsync(DubanDbContext db, CancellationToken cancellationToken)
    {
        List<TallyChange> deltas;
        if (db.Database.IsNpgsql())
        {
            deltas = await db.Database.SqlQueryRaw<TallyRow>("""
                WITH moved AS (DELETE FROM matter_tally_deltas RETURNING "UnitId", "Dimension", "Value", "Count")
                SELECT "UnitId", "Dimension", "Value", SUM("Count") AS "Count" FROM moved GROUP BY "UnitId", "Dimension", "Value"
                """).AsAsyncEnumerable().Select(r => r.ToChange()).ToListAsync(cancellationToken);
        }
        else
        {
            var last = (await db.Database.SqlQueryRaw<long?>("SELECT MAX(\"Id\") AS \"Value\" FROM matter_tally_deltas").ToListAsync(cancellationToken))[0];
            if (last is null)
            {
                return;
            }

            deltas = await db.Database.SqlQueryRaw<TallyRow>("""
                SELECT "UnitId", "Dimension", "Value", SUM("Count") AS "Count" FROM matter_tally_deltas WHERE "Id" <= {0}
                GROUP BY "UnitId", "Dimension", "Value"
                """, last).AsAsyncEnumerable().Select(r => r.ToChange()).ToListAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync("DELETE FROM matter_tally_deltas WHERE \"Id\" <= {0}", [last], cancellationToken);
        }

        await AddAsync(db, deltas, cancellationToken);
    }

    /// <summary>Adds changes of lead units to the tallies of those units and all their ancestors.</summary>
    private static async Task AddAsync(DubanDbContext db, IReadOnlyCollection<TallyChange> changes, CancellationToken cancellationToken)
    {
        var unitIds = changes.Select(c => c.UnitId).Distinct().ToList();
        if (unitIds.Count == 0)
        {
            return;
        }

        var paths = await db.Units.AsNoTracking().Where(u => unitIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Path, cancellationToken);
        var rolled = new Dictionary<(long, TallyDimension, string), long>();
        foreach (var change in changes.Where(c => c.Count != 0))
        {
            // A unit without a path yet (never: paths are set when units are made) still counts for itself.
            var path = paths.GetValueOrDefault(change.UnitId);
            var ancestry = string.IsNullOrEmpty(path) || path == "/" ? [change.UnitId] : Ancestry(path);
            foreach (var unit in ancestry)
            {
                var key = (unit, change.Dimension, change.Value);
                rolled[key] = rolled.GetValueOrDefault(key) + change.Count;
            }
        }

        foreach (var chunk in rolled.Where(r => r.Value != 0).Chunk(100))
        {
            var sql = new StringBuilder("INSERT INTO matter_tallies (\"UnitId\", \"Dimension\", \"Value\", \"Count\") VALUES ");
            var parameters = new List<object>();
            for (var i = 0; i < chunk.Length; i++)
            {
                var ((unit, dimension, value), count) = chunk[i];
                sql.Append(i == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"({unit}, {(int)dimension}, {{{parameters.Count}}}, {count})");
                parameters.Add(value);
            }

            sql.Append(" ON CONFLICT (\"UnitId\", \"Dimension\", \"Value\") DO UPDATE SET \"Count\" = matter_tallies.\"Count\" + excluded.\"Count\"");
            await db.Database.ExecuteSqlRawAsync(sql.ToString(), parameters, cancellationToken);
        }
    }

    /// <summary>
    /// The counts of matters led inside the subtree of <paramref name="root"/> (its id and path; folded and not yet
    /// folded); with <paramref name="root"/> null, of every matter.
    /// </summary>
    public static async Task<IReadOnlyDictionary<(TallyDimension Dimension, string Value), long>> ReadAsync(DubanDbContext db,
        (long Id, string Path)? root, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var roots = root is { } r ? [r.Id] : await db.Units.AsNoTracking().Where(u => u.ParentId == null).Select(u => u.Id).ToListAsync(cancellationToken);
        var folded = await db.MatterTallies.AsNoTracking().Where(t => roots.Contains(t.UnitId))
            .Select(t => new { t.Dimension, t.Value, t.Count }).ToListAsync(cancellationToken);
        var pending = db.MatterTallyDeltas.AsNoTracking();
        if (root is { Path: var prefix })
        {
            pending = pending.Where(d => db.Units.Any(u => u.Id == d.UnitId && u.Path.StartsWith(prefix)));
        }

        var unfolded = await pending.GroupBy(d => new { d.Dimension, d.Value })
            .Select(g => new { g.Key.Dimension, g.Key.Value, Count = g.Sum(d => (long)d.Count) }).ToListAsync(cancellationToken);
        var sums = new Dictionary<(TallyDimension, string), long>();
        foreach (var row in folded.Concat(unfolded))
        {
            sums[(row.Dimension, row.Value)] = sums.GetValueOrDefault((row.Dimension, row.Value)) + row.Count;
        }

        return sums;
    }

    /// <summary>Recounts every tally from the matters and appeals as they stand, in the caller's transaction.</summary>
    internal static async Task RebuildAsync(DubanDbContext db, CancellationToken cancellationToken)
    {
        await db.Database.ExecuteSqlRawAsync("DELETE FROM matter_tally_deltas", cancellationToken);
        await db.Database.ExecuteSqlRawAsync("DELETE FROM matter_tallies", cancellationToken);
        var statuses = await db.Matters.AsNoTracking().GroupBy(m => new { m.LeadUnitId, m.Status })
            .Select(g => new { g.Key.LeadUnitId, g.Key.Status, Count = g.Count() }).ToListAsync(cancellationToken);
        var kinds = await db.Matters.AsNoTracking().GroupBy(m => new { m.LeadUnitId, m.Kind })
            .Select(g => new { g.Key.LeadUnitId, g.Key.Kind, Count = g.Count() }).ToListAsync(cancellationToken);
        var categories = await db.Appeals.AsNoTracking().GroupBy(a => new { a.Matter!.LeadUnitId, a.Category })
            .Select(g => new { g.Key.LeadUnitId, g.Key.Category, Count = g.Count() }).ToListAsync(cancellationToken);
        await AddAsync(db,
        [
            .. statuses.Select(s => new TallyChange(s.LeadUnitId, TallyDimension.Status, s.Status.ToString(), s.Count)),
            .. kinds.Select(k => new TallyChange(k.LeadUnitId, TallyDimension.Kind, k.Kind.ToString(), k.Count)),
            .. categories.Select(c => new TallyChange(c.LeadUnitId, TallyDimension.Category, c.Category ?? "", c.Count)),
        ], cancellationToken);
    }

    private sealed class TallyRow
    {
        public long UnitId { get; set; }
        public int Dimension { get; set; }
        public required string Value { get; set; }
        public long Count { get; set; }

        public TallyChange ToChange() => new(UnitId, (TallyDimension)Dimension, Value, Count);
    }
}

internal sealed class MatterTallyConfiguration : IEntityTypeConfiguration<MatterTally>
{
    public void Configure(EntityTypeBuilder<MatterTally> e)
    {
        e.ToTable("matter_tallies");
        e.HasKey(t => new { t.UnitId, t.Dimension, t.Value });
        e.Property(t => t.Dimension).HasConversion<int>();
    }
}

internal sealed class MatterTallyDeltaConfiguration : IEntityTypeConfiguration<MatterTallyDelta>
{
    public void Configure(EntityTypeBuilder<MatterTallyDelta> e)
    {
        e.ToTable("matter_tally_deltas");
        e.HasKey(t => t.Id);
        e.Property(t => t.Dimension).HasConversion<int>();
    }
}
