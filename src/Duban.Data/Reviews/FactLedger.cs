using System.Data.Common;
using Duban.Matters;
using Duban.Reviews;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Duban.Data;

/// <summary>
/// Keeps the review counters with the events: whenever a matter's new events are saved through the change tracker, by
/// anyone (assignment, intake, import, any action), the same transaction writes the counters they change
/// (<see cref="MatterFacts.ForEvent"/>) as <see cref="UnitFactDelta"/> rows, and the dashboard's tallies, each table in
/// one multi-row INSERT after EF's own statements (one statement per row through the change tracker cost a fifth of an
/// assignment's time on SQLite). A save inside its caller's transaction writes them once its statements are done; a
/// save on its own writes them inside EF's own transaction just before it commits (a transaction of this ledger's
/// around EF's cost a savepoint and a fifth of an action). A failed save writes none, and a retried one writes them
/// once, since a matter's <see cref="Matter.FactsBaseline"/> moves only on success. Nothing written outside a save (a
/// dry run) counts. A batch of new matters written set-based (<see cref="WriteNewAsync"/>) on SQLite adds its summed
/// counters to the folded rows instead of writing deltas.
/// </summary>
public sealed class FactLedger(Rules rules, ReviewOptions options) : SaveChangesInterceptor, IDbTransactionInterceptor
{
    /// <summary>What one save will write, kept on its context between saving and saved.</summary>
    internal sealed class Pending
    {
        public List<(Matter Matter, MatterState State, FactDelta Delta)> Matters { get; } = [];

        /// <summary>The dashboard's tallies the save changes (<see cref="MatterTallies.Changes"/>).</summary>
        public List<MatterTallyDelta> Tallies { get; } = [];

        /// <summary>Written when EF's own transaction of the save commits, rather than after the save.</summary>
        public bool AtCommit { get; init; }

        public bool Written { get; set; }

        /// <summary>The context's automatic change detection before the save, switched off during it.</summary>
        public bool AutoDetectChanges { get; init; }
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result) =>
        SavingChangesAsync(eventData, result).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is not DubanDbContext db)
        {
            return result;
        }

        // Changes are detected once, here, and not again by SaveChanges after this: each detection walks every tracked
        // entity, and three of them were a tenth of an action.
        var tracker = db.ChangeTracker;
        var autoDetect = tracker.AutoDetectChangesEnabled;
        if (autoDetect)
        {
            tracker.DetectChanges();
        }

        tracker.AutoDetectChangesEnabled = false;
        var pending = new Pending { AtCommit = db.Database.CurrentTransaction is null, AutoDetectChanges = autoDetect };
        db.PendingFacts = pending;
        try
        {
            await CollectAsync(db, pending, cancellationToken);
        }
        catch
        {
            Finish(db, pending);
            throw;
        }

        // A save that one statement would do runs without a transaction unless told; the counters need one.
        if (pending is { AtCommit: true, Matters.Count: > 0 })
        {
            db.Database.AutoTransactionBehavior = AutoTransactionBehavior.Always;
        }

        return result;
    }

    public InterceptionResult TransactionCommitting(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result) =>
        TransactionCommittingAsync(transaction, eventData, result).AsTask().GetAwaiter().GetResult();

    public async ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData,
        InterceptionResult result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is DubanDbContext { PendingFacts: { AtCommit: true, Written: false, Matters.Count: > 0 } pending } db)
        {
            await WriteAsync(db, pending, cancellationToken);
        }

        return result;
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result) =>
        SavedChangesAsync(eventData, result).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is not DubanDbContext { PendingFacts: { } pending } db)
        {
            return result;
        }

        Finish(db, pending);
        if (pending.Matters.Count == 0)
        {
            return result;
        }

        if (!pending.Written)
        {
            if (pending.AtCommit)
            {
                throw new InvalidOperationException("The save committed without the review counters' transaction.");
            }

            await WriteAsync(db, pending, cancellationToken);
        }

        foreach (var (matter, state, _) in pending.Matters)
        {
            matter.FactsBaseline = state;
        }

        return result;
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) =>
        SaveChangesFailedAsync(eventData).GetAwaiter().GetResult();

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is DubanDbContext { PendingFacts: { } pending } db)
        {
            Finish(db, pending);
        }

        return Task.CompletedTask;
    }

    /// <summary>The context as it was before the save.</summary>
    private static void Finish(DubanDbContext db, Pending pending)
    {
        db.PendingFacts = null;
        db.ChangeTracker.AutoDetectChangesEnabled = pending.AutoDetectChanges;
        db.Database.AutoTransactionBehavior = AutoTransactionBehavior.WhenNeeded;
    }

    private static async Task WriteAsync(DubanDbContext db, Pending pending, CancellationToken cancellationToken)
    {
        var rows = new List<UnitFactDelta>();
        foreach (var (matter, _, delta) in pending.Matters)
        {
            foreach (var (key, facts) in delta.Entries)
            {
                var row = new UnitFactDelta { MatterId = matter.Id, UnitId = key.UnitId, Day = key.Day, Role = key.Role };
                row.Set(facts);
                rows.Add(row);
            }
        }

        var writer = new RowWriter(db);
        writer.Hold();
        await writer.InsertAsync(rows, cancellationToken);
        await writer.InsertAsync(pending.Tallies, cancellationToken);
        await writer.FlushAsync(cancellationToken);
        pending.Written = true;
    }

    /// <summary>The counters and tallies each tracked matter's unsaved events change.</summary>
    private async Task CollectAsync(DubanDbContext db, Pending pending, CancellationToken cancellationToken)
    {
        foreach (var matter in db.ChangeTracker.Entries<Matter>().Select(e => e.Entity))
        {
            var from = matter.FactsBaseline?.Version ?? 0;
            var events = matter.Events.Where(e => e.Sequence > from).OrderBy(e => e.Sequence).ToList();
            if (events.Count == 0)
            {
                continue;
            }

            var (state, delta) = Replay(matter.FactsBaseline, events);
            pending.Matters.Add((matter, state, delta));
        }

        // An appeal's category counts under its lead unit: new appeals are tracked beside their matter; a transferred
        // one's is read (transfers are rare).
        var categories = db.ChangeTracker.Entries<Appeal>().Where(a => a.Entity.Matter is not null)
            .ToDictionary(a => a.Entity.Matter!, a => a.Entity.Category ?? "");
        // The baseline is still the state before this save (it moves once the save is done).
        var transferred = pending.Matters.Where(m => m.State.Kind == MatterKind.Appeal && m.Matter.FactsBaseline is { } before
            && before.LeadUnitId != m.State.LeadUnitId && !categories.ContainsKey(m.Matter)).Select(m => m.Matter.Id).ToList();
        var stored = transferred.Count == 0
            ? []
            : await db.Appeals.AsNoTracking().Where(a => transferred.Contains(a.MatterId))
                .ToDictionaryAsync(a => a.MatterId, a => a.Category ?? "", cancellationToken);
        foreach (var (matter, after, _) in pending.Matters)
        {
            // Only a matter with an appeal's record has a category (an appeal assigned as a matter has none).
            var category = categories.TryGetValue(matter, out var tracked) ? tracked : stored.TryGetValue(matter.Id, out var kept) ? kept : null;
            pending.Tallies.AddRange(Tallies(matter.FactsBaseline, after, category));
        }
    }

    /// <summary>
    /// The counters and tallies of new matters written set-based, past the change tracker (an import's batch): written
    /// now, in the caller's transaction, as a save of the same matters would have written them. Each matter comes with
    /// all its events, and with its appeal's category (null for no appeal).
    /// </summary>
    internal async Task WriteNewAsync(DubanDbContext db, IReadOnlyList<(Matter Matter, string? Category)> matters, CancellationToken cancellationToken)
    {
        var pending = new Pending();
        foreach (var (matter, category) in matters)
        {
            var (state, delta) = Replay(null, matter.Events.OrderBy(e => e.Sequence));
            pending.Matters.Add((matter, state, delta));
            pending.Tallies.AddRange(Tallies(null, state, category));
        }

        if (db.Database.IsNpgsql())
        {
            await WriteAsync(db, pending, cancellationToken);
            return;
        }

        await WriteFoldedAsync(db, pending, cancellationToken);
    }

    /// <summary>
    /// SQLite, a batch of new matters: the counters summed over the batch and added to the day and month rows at once, as
    /// the fold would add them, instead of written as deltas and folded later. An intake batch's appeals write 6–9 deltas
    /// each, mostly to the same few units and days, and folding them cost ~6.5 µs a delta of the only writer's time, the
    /// delta rows' insert more (docs/BENCHMARKS.md). SQLite has one writer, so adding to a hot row waits on nobody; on
    /// PostgreSQL several instances would, and deltas stay. A save of one matter's action keeps writing its few deltas:
    /// it has nothing to sum, and would parse three statements of counters instead of one.
    /// </summary>
    private static async Task WriteFoldedAsync(DubanDbContext db, Pending pending, CancellationToken cancellationToken)
    {
        var days = new FactDelta();
        var matters = new List<UnitDayMatter>();
        var counted = new HashSet<(long UnitId, DateOnly Day, long MatterId)>();
        foreach (var (matter, _, delta) in pending.Matters)
        {
            foreach (var (key, facts) in delta.Entries)
            {
                days.At(key).Add(facts);
                if (counted.Add((key.UnitId, key.Day, matter.Id)))
                {
                    matters.Add(new UnitDayMatter { UnitId = key.UnitId, Day = key.Day, MatterId = matter.Id });
                }
            }
        }

        var months = new FactDelta();
        var touched = new bool[UnitFacts.Count];
        foreach (var (key, facts) in days.Entries)
        {
            months.At(key with { Day = new DateOnly(key.Day.Year, key.Day.Month, 1) }).Add(facts);
            for (var i = 0; i < touched.Length; i++)
            {
                touched[i] |= facts.Values[i] != 0;
            }
        }

        // Only the counters the batch moves are added to (SQLite parses each statement afresh).
        var added = FactColumns.Names.Where((_, i) => touched[i]).ToList();
        var writer = new RowWriter(db);
        writer.Hold();
        await writer.InsertOrAddAsync(Rows<UnitDayFacts>(days), added, cancellationToken);
        await writer.InsertOrAddAsync(Rows<UnitMonthFacts>(months), added, cancellationToken);
        await writer.InsertOrAddAsync(matters, [], cancellationToken);
        await writer.InsertAsync(pending.Tallies, cancellationToken);
        await writer.FlushAsync(cancellationToken);
    }

    private static List<T> Rows<T>(FactDelta sums)
        where T : FactColumns, new()
    {
        var rows = new List<T>();
        foreach (var (key, facts) in sums.Entries)
        {
            var row = new T { UnitId = key.UnitId, Day = key.Day, Role = key.Role };
            row.Set(facts);
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>The ledger a context saves through (its interceptor).</summary>
    internal static FactLedger Of(DubanDbContext db) =>
        db.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.Interceptors?.OfType<FactLedger>().SingleOrDefault()
        ?? throw new InvalidOperationException("The context has no FactLedger interceptor.");

    /// <summary>The state after <paramref name="events"/> and the counters they change.</summary>
    private (MatterState State, FactDelta Delta) Replay(MatterState? state, IEnumerable<MatterEventRow> events)
    {
        var delta = new FactDelta();
        foreach (var row in events)
        {
            var e = row.ToEvent();
            var next = state is null ? MatterState.Start(e) : state.Apply(e);
            delta.Add(MatterFacts.ForEvent(state, e, next, rules.Calendar, options.Facts));
            state = next;
        }

        return (state!, delta);
    }

    private static IEnumerable<MatterTallyDelta> Tallies(MatterState? before, MatterState after, string? category) =>
        MatterTallies.Changes(before, after, category)
            .Select(c => new MatterTallyDelta { UnitId = c.UnitId, Dimension = c.Dimension, Value = c.Value, Count = (int)c.Count });
}
