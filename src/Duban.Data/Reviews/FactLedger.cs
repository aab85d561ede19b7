using Duban.Matters;
using Duban.Reviews;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;

namespace Duban.Data;

/// <summary>
/// Keeps the review counters with the events: whenever a matter's new events are saved through the change tracker, by
/// anyone (assignment, intake, import, any action), the same transaction writes the counters they change
/// (<see cref="MatterFacts.ForEvent"/>) as <see cref="UnitFactDelta"/> rows, all in one multi-row INSERT after EF's own
/// statements (one statement per row through the change tracker cost a fifth of an assignment's time on SQLite). A save
/// without a transaction of its caller gets one from here, committed once the counters are in; a failed save writes
/// none, and a retried one writes them once, since a matter's <see cref="Matter.FactsBaseline"/> moves only on success.
/// Nothing written outside a save (a dry run) counts.
/// </summary>
public sealed class FactLedger(Rules rules, ReviewOptions options) : SaveChangesInterceptor
{
    /// <summary>What one save will write, kept on its context between saving and saved.</summary>
    internal sealed class Pending
    {
        public List<(Matter Matter, MatterState State, FactDelta Delta)> Matters { get; } = [];

        public IDbContextTransaction? OwnTransaction { get; set; }
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result) =>
        SavingChangesAsync(eventData, result).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is DubanDbContext db && Collect(db) is { Matters.Count: > 0 } pending)
        {
            if (db.Database.CurrentTransaction is null)
            {
                pending.OwnTransaction = await db.Database.BeginTransactionAsync(cancellationToken);
            }

            db.PendingFacts = pending;
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

        db.PendingFacts = null;
        try
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

            await new RowWriter(db).InsertAsync(rows, cancellationToken);
            if (pending.OwnTransaction is { } own)
            {
                await own.CommitAsync(cancellationToken);
            }

            foreach (var (matter, state, _) in pending.Matters)
            {
                matter.FactsBaseline = state;
            }
        }
        finally
        {
            if (pending.OwnTransaction is { } own)
            {
                await own.DisposeAsync(); // rolled back unless committed above
            }
        }

        return result;
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) =>
        SaveChangesFailedAsync(eventData).GetAwaiter().GetResult();

    public override async Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is DubanDbContext { PendingFacts: { } pending } db)
        {
            db.PendingFacts = null;
            if (pending.OwnTransaction is { } own)
            {
                await own.DisposeAsync();
            }
        }
    }

    /// <summary>The counters each tracked matter's unsaved events change.</summary>
    private Pending Collect(DubanDbContext db)
    {
        var pending = new Pending();
        foreach (var matter in db.ChangeTracker.Entries<Matter>().Select(e => e.Entity))
        {
            var from = matter.FactsBaseline?.Version ?? 0;
            var events = matter.Events.Where(e => e.Sequence > from).OrderBy(e => e.Sequence).ToList();
            if (events.Count == 0)
            {
                continue;
            }

            var state = matter.FactsBaseline;
            var delta = new FactDelta();
            foreach (var row in events)
            {
                var e = row.ToEvent();
                var next = state is null ? MatterState.Start(e) : state.Apply(e);
                delta.Add(MatterFacts.ForEvent(state, e, next, rules.Calendar, options.Facts));
                state = next;
            }

            pending.Matters.Add((matter, state!, delta));
        }

        return pending;
    }
}
