using Duban.Items;
using Duban.Matters;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Duban.Data;

/// <summary>A work item's colour changed (三色变化): recorded by the action or the sweep that changed it.</summary>
public sealed class ItemColourChange
{
    public long Id { get; set; }
    public long MatterId { get; set; }
    public Matter? Matter { get; set; }

    /// <summary>The colour before (null for a new item).</summary>
    public Colour? From { get; set; }
    public Colour To { get; set; }
    public DateTimeOffset At { get; set; }

    /// <summary>What changed it: the action's wire name (<c>progress</c>, <c>meet</c>…), <c>assign</c> or <c>sweep</c>.</summary>
    public required string Cause { get; set; }
}

internal sealed class ItemColourChangeConfiguration : IEntityTypeConfiguration<ItemColourChange>
{
    public void Configure(EntityTypeBuilder<ItemColourChange> e)
    {
        e.ToTable("item_colour_changes");
        e.HasIndex(c => new { c.MatterId, c.At });
        e.Property(c => c.Cause).HasMaxLength(32);
        e.HasOne(c => c.Matter).WithMany().HasForeignKey(c => c.MatterId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>Keeps a work item's stored colour (<see cref="Matter.Colour"/>) and its change events up to date.</summary>
public static class ItemColours
{
    /// <summary>Works out the item's colour at <paramref name="now"/> and, when it changed, stores it with a change event
    /// (in the caller's save), with the instant time alone may next change it. Other kinds are left alone.</summary>
    public static void Update(DubanDbContext db, Matter matter, MatterState state, Rules rules, DateTimeOffset now, string cause)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(matter);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(rules);
        if (state.Kind != MatterKind.Item)
        {
            return;
        }

        var tolerance = rules.LifecycleOptions.Items.Tolerance;
        // Whole microseconds, as PostgreSQL keeps them: rounded down, the sweep looks at most a moment early.
        matter.ColourDueAt = ItemColour.NextChange(state, now, tolerance) is { } next ? next.AddTicks(-(next.Ticks % 10)) : null;
        var colour = ItemColour.Of(state, now, tolerance);
        if (matter.Colour == colour)
        {
            return;
        }

        db.ItemColourChanges.Add(new ItemColourChange { Matter = matter, MatterId = matter.Id, From = matter.Colour, To = colour, At = now, Cause = cause });
        matter.Colour = colour;
    }

    /// <summary>
    /// The sweep's part: colours move with time alone (a node or a report falls overdue, the expected progress grows).
    /// Each item keeps the instant that may next happen (<see cref="Matter.ColourDueAt"/>), so the sweep reads only the
    /// items whose instant has come, through its index, however many are open; it stores their new colours with their
    /// events and their next instants.
    /// </summary>
    /// <returns>How many items changed colour.</returns>
    public static async Task<int> RefreshAsync(DubanDbContext db, Rules rules, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(rules);
        // The ids first, from the index alone: asked for whole items in id order (as split queries order them), SQLite
        // without statistics walked the whole table in id order instead, 300 ms at a million matters.
        var ids = await db.Matters.Where(m => m.ColourDueAt <= now).Select(m => m.Id).ToListAsync(cancellationToken);
        if (ids.Count == 0)
        {
            return 0;
        }

        var due = await db.Matters.Where(m => ids.Contains(m.Id))
            .Include(m => m.Milestones).Include(m => m.CoUnits).AsSplitQuery().ToListAsync(cancellationToken);

        var changed = 0;
        foreach (var matter in due)
        {
            var before = matter.Colour;
            Update(db, matter, matter.ToState(), rules, now, "sweep");
            changed += before == matter.Colour ? 0 : 1;
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear(); // an action changed an item meanwhile and set its colour itself; the next sweep redoes the rest
            return 0;
        }

        db.ChangeTracker.Clear();
        return changed;
    }
}
