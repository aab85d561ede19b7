using Duban.Matters;
using Duban.Reviews;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Duban.Data;

/// <summary>
/// Keeps the review counters with the events: whenever a matter's new events are saved through the change tracker, by
/// anyone (assignment, intake, import, any action), the same SaveChanges, and so the same transaction, adds the counters
/// they change (<see cref="MatterFacts.ForEvent"/>) as <see cref="UnitFactDelta"/> rows. Nothing written outside a save
/// (a dry run) counts; a save retried after a failure adds nothing twice, since the matter remembers what it has
/// already accounted for (<see cref="Matter.FactsBaseline"/>).
/// </summary>
public sealed class FactLedger(Rules rules, ReviewOptions options) : SaveChangesInterceptor
{
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is DubanDbContext db)
        {
            Queue(db);
        }

        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.Context is DubanDbContext db)
        {
            Queue(db);
        }

        return ValueTask.FromResult(result);
    }

    private void Queue(DubanDbContext db)
    {
        foreach (var matter in db.ChangeTracker.Entries<Matter>().Select(e => e.Entity).ToList())
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

            foreach (var (key, facts) in delta.Entries)
            {
                var row = new UnitFactDelta { Matter = matter, UnitId = key.UnitId, Day = key.Day, Role = key.Role };
                row.Set(facts);
                db.UnitFactDeltas.Add(row);
            }

            matter.FactsBaseline = state;
        }
    }
}
