using Duban.Reviews;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Duban.Data;

/// <summary>
/// The counters of <see cref="Fact"/> as columns, one property per fact in the same order (a test holds the two lists
/// together), so the review sums them in one pass.
/// </summary>
public abstract class FactColumns
{
    private readonly long[] _values = new long[UnitFacts.Count];

    public long UnitId { get; set; }

    /// <summary>The Beijing date the counters are filed under (docs/METRICS.md).</summary>
    public DateOnly Day { get; set; }

    public FactRole Role { get; set; }

    public long Assigned { get => _values[0]; set => _values[0] = value; }

    public long Returned { get => _values[1]; set => _values[1] = value; }

    public long TransferredOut { get => _values[2]; set => _values[2] = value; }

    public long Redone { get => _values[3]; set => _values[3] = value; }

    public long RatedSatisfied { get => _values[4]; set => _values[4] = value; }

    public long RatedBasically { get => _values[5]; set => _values[5] = value; }

    public long RatedDissatisfied { get => _values[6]; set => _values[6] = value; }

    public long AcknowledgeOnTime { get => _values[7]; set => _values[7] = value; }

    public long AcknowledgeWithinExtension { get => _values[8]; set => _values[8] = value; }

    public long AcknowledgeLate { get => _values[9]; set => _values[9] = value; }

    public long AcknowledgePending { get => _values[10]; set => _values[10] = value; }

    public long FeedbackOnTime { get => _values[11]; set => _values[11] = value; }

    public long FeedbackWithinExtension { get => _values[12]; set => _values[12] = value; }

    public long FeedbackLate { get => _values[13]; set => _values[13] = value; }

    public long FeedbackPending { get => _values[14]; set => _values[14] = value; }

    public long CompleteOnTime { get => _values[15]; set => _values[15] = value; }

    public long CompleteWithinExtension { get => _values[16]; set => _values[16] = value; }

    public long CompleteLate { get => _values[17]; set => _values[17] = value; }

    public long CompletePending { get => _values[18]; set => _values[18] = value; }

    public long CompletionWorkingDays { get => _values[19]; set => _values[19] = value; }

    public long SpedUp { get => _values[20]; set => _values[20] = value; }

    public long Resolved { get => _values[21]; set => _values[21] = value; }

    /// <summary>The fact names in column order, for the set-based SQL that folds and sums them.</summary>
    public static IReadOnlyList<string> Names { get; } = Enum.GetNames<Fact>();

    /// <summary>Copies counters in.</summary>
    public void Set(UnitFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        facts.Values.CopyTo(_values);
    }

    /// <summary>The counters as a vector.</summary>
    public UnitFacts ToFacts()
    {
        var facts = new UnitFacts();
        foreach (var fact in Enum.GetValues<Fact>())
        {
            facts[fact] = _values[(int)fact];
        }

        return facts;
    }
}

/// <summary>The folded counters of one unit, day and role: what the reviews sum.</summary>
public sealed class UnitDayFacts : FactColumns;

/// <summary>The same counters summed per month (<see cref="FactColumns.Day"/> is the first of the month), folded with the
/// days: a review of whole past months reads one row per unit and month instead of one per day.</summary>
public sealed class UnitMonthFacts : FactColumns;

/// <summary>
/// One matter's change to one unit-day's counters, written by <see cref="FactLedger"/> in the same save as the event that
/// caused it (insert only: writers never wait on a hot counter row; on SQLite a batch of new appeals adds its sums to
/// the day and month rows itself, FactLedger.WriteFoldedAsync). <see cref="FactStore.FoldAsync"/> moves these into
/// <see cref="UnitDayFacts"/>, remembering which matters touched which unit-day (<see cref="UnitDayMatter"/>) for the
/// drill-down; until then the reviews add them in.
/// </summary>
public sealed class UnitFactDelta : FactColumns
{
    public long Id { get; set; }
    public long MatterId { get; set; }
}

/// <summary>A matter once counted for a unit on a day: the candidates the drill-down replays to show the matters behind
/// a number. Never removed; a matter whose counters there since went back to zero is simply not shown.</summary>
public sealed class UnitDayMatter
{
    public long UnitId { get; set; }
    public DateOnly Day { get; set; }
    public long MatterId { get; set; }
}

internal sealed class UnitDayFactsConfiguration : IEntityTypeConfiguration<UnitDayFacts>
{
    public void Configure(EntityTypeBuilder<UnitDayFacts> e)
    {
        e.ToTable("unit_day_facts");
        e.HasKey(f => new { f.Day, f.UnitId, f.Role }); // a period is a range of days
        e.Property(f => f.Role).HasConversion<int>();
    }
}

internal sealed class UnitMonthFactsConfiguration : IEntityTypeConfiguration<UnitMonthFacts>
{
    public void Configure(EntityTypeBuilder<UnitMonthFacts> e)
    {
        e.ToTable("unit_month_facts");
        e.HasKey(f => new { f.Day, f.UnitId, f.Role });
        e.Property(f => f.Role).HasConversion<int>();
        // The dashboard's trend sums eleven past months of the lead units' rows; with the sums it reads inside the
        // index, both engines answer from the index alone instead of scanning every role's rows of every month.
        e.HasIndex(f => new { f.Role, f.Day, f.Assigned, f.CompleteOnTime, f.CompleteWithinExtension, f.CompleteLate, f.CompletePending })
            .HasDatabaseName("ix_unit_month_facts_trend");
    }
}

internal sealed class UnitFactDeltaConfiguration : IEntityTypeConfiguration<UnitFactDelta>
{
    public void Configure(EntityTypeBuilder<UnitFactDelta> e)
    {
        e.ToTable("unit_fact_deltas");
        e.HasKey(f => f.Id);
        e.Property(f => f.Role).HasConversion<int>();
        // No index but the key and no foreign key: every save of an event inserts here, and each index or parent check
        // is paid on the write path, while the table is emptied by the fold every 2 seconds (the few rows a review
        // adds in are scanned) and matters are never deleted.
        // Counters default to 0, so a save's rows name only the few counters they change (RowWriter leaves out columns
        // whose every value is the default): SQLite parses each statement afresh, and 22 columns of zeros were most of it.
        foreach (var name in FactColumns.Names)
        {
            e.Property<long>(name).HasDefaultValue(0L);
        }
    }
}

internal sealed class UnitDayMatterConfiguration : IEntityTypeConfiguration<UnitDayMatter>
{
    public void Configure(EntityTypeBuilder<UnitDayMatter> e)
    {
        e.ToTable("unit_day_matters");
        e.HasKey(m => new { m.UnitId, m.Day, m.MatterId });
    }
}
