using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Duban.Data;

// Mappings of the entities in Entities.cs; DubanDbContext applies every configuration in this assembly.

internal sealed class UnitConfiguration : IEntityTypeConfiguration<Unit>
{
    public void Configure(EntityTypeBuilder<Unit> e)
    {
        e.ToTable("units");
        e.HasIndex(u => u.Code).IsUnique();
        e.HasIndex(u => u.Path);
        e.Property(u => u.Code).HasMaxLength(64);
        e.Property(u => u.Name).HasMaxLength(200);
        e.Property(u => u.Path).HasMaxLength(400);
        e.HasOne(u => u.Parent).WithMany().HasForeignKey(u => u.ParentId).OnDelete(DeleteBehavior.Restrict);
    }
}

/// <summary>Applied after Identity's own mapping of the user table (DubanDbContext calls the base first).</summary>
internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> e)
    {
        e.Property(u => u.DisplayName).HasMaxLength(100);
        e.HasOne(u => u.Unit).WithMany().HasForeignKey(u => u.UnitId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> e)
    {
        e.ToTable("api_tokens");
        e.HasIndex(t => t.SecretHash).IsUnique();
        e.Property(t => t.Name).HasMaxLength(100);
        e.Property(t => t.SecretHash).HasMaxLength(64);
        e.HasOne(t => t.Unit).WithMany().HasForeignKey(t => t.UnitId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class MatterConfiguration : IEntityTypeConfiguration<Matter>
{
    public void Configure(EntityTypeBuilder<Matter> e)
    {
        e.ToTable("matters");
        e.HasIndex(m => m.Code).IsUnique();
        // A unit's own matters (led, assigned by it) with what its work list's tab counts test: the counts read these
        // two indexes alone, not the township's thousands of matters one by one (MatterQueries.TabCountsAsync).
        e.HasIndex(m => new { m.LeadUnitId, m.Status, m.NextDueAt, m.NextDueSoonAt });
        e.HasIndex(m => new { m.AssignerUnitId, m.Status, m.NextDueAt, m.NextDueSoonAt });
        e.HasIndex(m => new { m.NextDueAt, m.LeadUnitId }); // lists by due date; the dashboard counts overdue per unit from it alone
        e.HasIndex(m => new { m.Kind, m.Register, m.Colour }); // work-item lists by register and colour
        e.HasIndex(m => m.ParentId);
        e.HasIndex(m => m.ColourDueAt); // the sweep's colour refresh reads only the items whose instant has come
        e.HasIndex(m => m.AssignedAt); // the work list by 交办时间 (order and date range)
        // Flat reads at a million (FlatReads): the work list's tabs and the 督查室's counts by status, in due order,
        // and its attention list (open, and overdue or under 督办) read from this index alone; the 临期 tab by its instant.
        e.HasIndex(m => new { m.Status, m.NextDueAt, m.SupervisionLevel });
        e.HasIndex(m => m.NextDueSoonAt);
        // Lists in due order (ties by id) and, after them, the matters without a deadline by id (most of a city's
        // matters: done or stopped) read along this index instead of sorting them all; (NextDueAt, LeadUnitId) holds
        // the unit before the id.
        e.HasIndex(m => new { m.NextDueAt, m.Id });
        e.Property(m => m.Code).HasMaxLength(32);
        e.Property(m => m.Title).HasMaxLength(200);
        e.Property(m => m.Content).HasMaxLength(20000);
        e.Property(m => m.Goal).HasMaxLength(4000);
        e.Property(m => m.Standard).HasMaxLength(4000);
        e.Property(m => m.Profile).HasMaxLength(32);
        e.Property(m => m.Version).IsConcurrencyToken();
        e.HasOne(m => m.LeadUnit).WithMany().HasForeignKey(m => m.LeadUnitId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne(m => m.AssignerUnit).WithMany().HasForeignKey(m => m.AssignerUnitId).OnDelete(DeleteBehavior.Restrict);
        e.HasMany(m => m.CoUnits).WithOne().HasForeignKey(c => c.MatterId).OnDelete(DeleteBehavior.Cascade);
        e.HasMany(m => m.Milestones).WithOne().HasForeignKey(r => r.MatterId).OnDelete(DeleteBehavior.Cascade);
        e.HasMany(m => m.Events).WithOne().HasForeignKey(r => r.MatterId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class MatterCoUnitConfiguration : IEntityTypeConfiguration<MatterCoUnit>
{
    public void Configure(EntityTypeBuilder<MatterCoUnit> e)
    {
        e.ToTable("matter_co_units");
        e.HasKey(c => new { c.MatterId, c.UnitId });
        e.HasIndex(c => c.UnitId);
        e.HasOne(c => c.Unit).WithMany().HasForeignKey(c => c.UnitId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class MilestoneRowConfiguration : IEntityTypeConfiguration<MilestoneRow>
{
    public void Configure(EntityTypeBuilder<MilestoneRow> e)
    {
        e.ToTable("milestones");
        e.HasIndex(m => new { m.MatterId, m.Stage, m.Node }).IsUnique();
        e.Property(m => m.Name).HasMaxLength(100);
        // No index by due instant alone: every read of milestones goes by matter (lists read the matter's own NextDueAt),
        // and one cost each new matter three scattered index pages (~3 of the ~55 pages a commit of intake writes).
        e.HasIndex(m => m.NextEscalationAt); // the sweep reads only what is due
        // 督查室's attention list: the few unmet milestones escalated for their deadline, not all three per matter.
        e.HasIndex(m => m.MatterId).HasFilter("\"MetAt\" IS NULL AND \"EscalatedKinds\" <> 0").HasDatabaseName("IX_milestones_Escalated");
    }
}

internal sealed class MatterEventRowConfiguration : IEntityTypeConfiguration<MatterEventRow>
{
    public void Configure(EntityTypeBuilder<MatterEventRow> e)
    {
        e.ToTable("matter_events");
        e.HasIndex(r => new { r.MatterId, r.Sequence }).IsUnique();
        e.HasIndex(r => r.At);
        e.Property(r => r.ActorId).HasMaxLength(64);
        e.Property(r => r.ActorName).HasMaxLength(100);
        e.Property(r => r.Note).HasMaxLength(4000);
    }
}

internal sealed class CodeCounterConfiguration : IEntityTypeConfiguration<CodeCounter>
{
    public void Configure(EntityTypeBuilder<CodeCounter> e)
    {
        e.ToTable("code_counters");
        e.HasKey(c => c.Year);
        e.Property(c => c.Year).ValueGeneratedNever();
    }
}

internal sealed class CalendarYearConfiguration : IEntityTypeConfiguration<CalendarYear>
{
    public void Configure(EntityTypeBuilder<CalendarYear> e)
    {
        e.ToTable("calendar_years");
        e.HasKey(c => c.Year);
        e.Property(c => c.Year).ValueGeneratedNever();
    }
}
