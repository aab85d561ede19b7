using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Duban.Data;

// Mappings of the 目标任务 entities in TargetEntities.cs.

internal sealed class TargetSetConfiguration : IEntityTypeConfiguration<TargetSet>
{
    public void Configure(EntityTypeBuilder<TargetSet> e)
    {
        e.ToTable("target_sets");
        e.HasIndex(x => new { x.Name, x.PeriodKey }).IsUnique();
        e.Property(x => x.Name).HasMaxLength(100);
        e.Property(x => x.PeriodKey).HasMaxLength(24);
        e.Property(x => x.CreatedById).HasMaxLength(64);
        e.Property(x => x.CreatedByName).HasMaxLength(100);
        e.HasMany(x => x.Items).WithOne(x => x.Set).HasForeignKey(x => x.SetId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class TargetItemConfiguration : IEntityTypeConfiguration<TargetItem>
{
    public void Configure(EntityTypeBuilder<TargetItem> e)
    {
        e.ToTable("target_items");
        e.HasIndex(x => new { x.SetId, x.Name }).IsUnique();
        e.Property(x => x.Name).HasMaxLength(100);
        e.Property(x => x.Measure).HasMaxLength(10);
        e.Property(x => x.Source).HasConversion<string>().HasMaxLength(24);
        e.HasMany(x => x.Goals).WithOne(x => x.Item).HasForeignKey(x => x.ItemId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class TargetGoalConfiguration : IEntityTypeConfiguration<TargetGoal>
{
    public void Configure(EntityTypeBuilder<TargetGoal> e)
    {
        e.ToTable("target_goals", t => t.HasCheckConstraint("ck_target_goals_owner", "(\"UnitId\" IS NULL) <> (\"CadreId\" IS NULL)"));
        e.HasIndex(x => new { x.ItemId, x.UnitId }).IsUnique().HasFilter("\"UnitId\" IS NOT NULL");
        e.HasIndex(x => new { x.ItemId, x.CadreId }).IsUnique().HasFilter("\"CadreId\" IS NOT NULL");
        e.HasIndex(x => x.UnitId);
        e.HasIndex(x => x.CadreId);
        e.HasOne(x => x.Unit).WithMany().HasForeignKey(x => x.UnitId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne(x => x.Cadre).WithMany().HasForeignKey(x => x.CadreId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class TargetReportConfiguration : IEntityTypeConfiguration<TargetReport>
{
    public void Configure(EntityTypeBuilder<TargetReport> e)
    {
        e.ToTable("target_reports");
        e.HasIndex(x => new { x.GoalId, x.State });
        e.Property(x => x.Note).HasMaxLength(2000);
        e.Property(x => x.ReportedById).HasMaxLength(64);
        e.Property(x => x.ReportedByName).HasMaxLength(100);
        e.Property(x => x.DecidedById).HasMaxLength(64);
        e.Property(x => x.DecidedByName).HasMaxLength(100);
        e.Property(x => x.Reason).HasMaxLength(2000);
        e.Property(x => x.State).HasConversion<string>().HasMaxLength(16);
        e.HasOne(x => x.Goal).WithMany().HasForeignKey(x => x.GoalId).OnDelete(DeleteBehavior.Restrict);
    }
}
