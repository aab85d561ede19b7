using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Duban.Data;

// Mappings of the entities in EscalationEntities.cs and of LookBack (LookBacks.cs).

internal sealed class EscalationRecordConfiguration : IEntityTypeConfiguration<EscalationRecord>
{
    public void Configure(EntityTypeBuilder<EscalationRecord> e)
    {
        e.ToTable("escalations");
        e.HasIndex(r => new { r.MilestoneId, r.Kind, r.ForDueAt }).IsUnique();
        e.HasIndex(r => new { r.MatterId, r.At });
        e.HasIndex(r => new { r.UnitId, r.At });
        e.Property(r => r.ActorId).HasMaxLength(64);
        e.Property(r => r.ActorName).HasMaxLength(100);
        e.Property(r => r.Message).HasMaxLength(4000);
    }
}

internal sealed class AccountabilityEntryConfiguration : IEntityTypeConfiguration<AccountabilityEntry>
{
    public void Configure(EntityTypeBuilder<AccountabilityEntry> e)
    {
        e.ToTable("accountability_entries");
        e.HasIndex(a => new { a.Status, a.CreatedAt });
        e.HasIndex(a => a.MatterId);
        e.HasIndex(a => new { a.UnitId, a.CreatedAt });
        e.HasIndex(a => a.EscalationId).IsUnique();
        e.HasOne(a => a.Escalation).WithMany().HasForeignKey(a => a.EscalationId).OnDelete(DeleteBehavior.Restrict);
        e.Property(a => a.Note).HasMaxLength(4000);
        e.HasOne(a => a.Unit).WithMany().HasForeignKey(a => a.UnitId).OnDelete(DeleteBehavior.Restrict);
        e.HasMany(a => a.History).WithOne().HasForeignKey(c => c.EntryId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AccountabilityChangeConfiguration : IEntityTypeConfiguration<AccountabilityChange>
{
    public void Configure(EntityTypeBuilder<AccountabilityChange> e)
    {
        e.ToTable("accountability_changes");
        e.Property(c => c.ActorId).HasMaxLength(64);
        e.Property(c => c.ActorName).HasMaxLength(100);
        e.Property(c => c.Note).HasMaxLength(4000);
    }
}

internal sealed class NoticeConfiguration : IEntityTypeConfiguration<Notice>
{
    public void Configure(EntityTypeBuilder<Notice> e)
    {
        e.ToTable("notices");
        e.HasIndex(n => new { n.UnitId, n.DeliverAfter });
        e.HasOne(n => n.Escalation).WithMany().HasForeignKey(n => n.EscalationId).OnDelete(DeleteBehavior.Restrict);
        e.Property(n => n.Title).HasMaxLength(200);
        e.Property(n => n.Body).HasMaxLength(2000);
        e.Property(n => n.Link).HasMaxLength(200);
    }
}

internal sealed class NoticeReadConfiguration : IEntityTypeConfiguration<NoticeRead>
{
    public void Configure(EntityTypeBuilder<NoticeRead> e)
    {
        e.ToTable("notice_reads");
        e.HasKey(r => new { r.NoticeId, r.ReaderId });
        e.Property(r => r.ReaderId).HasMaxLength(64);
        e.HasOne<Notice>().WithMany().HasForeignKey(r => r.NoticeId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class LookBackConfiguration : IEntityTypeConfiguration<LookBack>
{
    public void Configure(EntityTypeBuilder<LookBack> e)
    {
        e.ToTable("lookbacks");
        e.HasIndex(l => new { l.MatterId, l.ClosedAt }).IsUnique();
        e.HasIndex(l => new { l.Status, l.DueAt });
        e.HasIndex(l => new { l.Status, l.CheckedAt });
        e.Property(l => l.CheckedById).HasMaxLength(64);
        e.Property(l => l.CheckedByName).HasMaxLength(100);
        e.Property(l => l.Note).HasMaxLength(4000);
    }
}

internal sealed class ExtensionRequestConfiguration : IEntityTypeConfiguration<ExtensionRequest>
{
    public void Configure(EntityTypeBuilder<ExtensionRequest> e)
    {
        e.ToTable("extension_requests");
        e.HasIndex(x => new { x.MatterId, x.Status });
        e.HasIndex(x => new { x.Status, x.RequestedAt });
        e.Property(x => x.Reason).HasMaxLength(4000);
        e.Property(x => x.DecisionNote).HasMaxLength(4000);
        e.Property(x => x.RequestedById).HasMaxLength(64);
        e.Property(x => x.RequestedByName).HasMaxLength(100);
        e.Property(x => x.DecidedById).HasMaxLength(64);
        e.Property(x => x.DecidedByName).HasMaxLength(100);
    }
}
