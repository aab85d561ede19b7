using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Duban.Data;

// Mappings of the entities in AppealEntities.cs: appeals (诉求), routing rules and the personal-data audit.

internal sealed class AppealConfiguration : IEntityTypeConfiguration<Appeal>
{
    public void Configure(EntityTypeBuilder<Appeal> e)
    {
        e.ToTable("appeals");
        e.HasIndex(a => a.MatterId).IsUnique();
        e.HasIndex(a => a.TrackingCode).IsUnique();
        e.HasIndex(a => new { a.IdempotencyClient, a.IdempotencyKey }).IsUnique(); // NULLs are distinct on both engines
        e.HasIndex(a => new { a.ContactPhone, a.ReceivedAt }); // repeat detection
        e.HasIndex(a => a.ReceivedAt);
        e.HasIndex(a => a.RepeatOfId);
        e.Property(a => a.TrackingCode).HasMaxLength(16);
        e.Property(a => a.Category).HasMaxLength(32);
        e.Property(a => a.EnterpriseName).HasMaxLength(200);
        e.Property(a => a.EnterpriseCode).HasMaxLength(18);
        e.Property(a => a.ContactName).HasMaxLength(50);
        e.Property(a => a.ContactPhone).HasMaxLength(20);
        e.Property(a => a.IdempotencyClient).HasMaxLength(64);
        e.Property(a => a.IdempotencyKey).HasMaxLength(200);
        e.Property(a => a.RequestHash).HasMaxLength(64);
        e.Property(a => a.PublicReply).HasMaxLength(20000);
        e.HasOne(a => a.Matter).WithMany().HasForeignKey(a => a.MatterId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne(a => a.RegionUnit).WithMany().HasForeignKey(a => a.RegionUnitId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne(a => a.RepeatOf).WithMany().HasForeignKey(a => a.RepeatOfId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<RoutingRule>().WithMany().HasForeignKey(a => a.RoutingRuleId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class RoutingRuleConfiguration : IEntityTypeConfiguration<RoutingRule>
{
    public void Configure(EntityTypeBuilder<RoutingRule> e)
    {
        e.ToTable("routing_rules");
        e.Ignore(r => r.KeywordList);
        e.Property(r => r.Name).HasMaxLength(100);
        e.Property(r => r.Category).HasMaxLength(32);
        e.Property(r => r.Keywords).HasMaxLength(1000);
        e.Property(r => r.EnterpriseCode).HasMaxLength(18);
        e.HasOne(r => r.RegionUnit).WithMany().HasForeignKey(r => r.RegionUnitId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne(r => r.LeadUnit).WithMany().HasForeignKey(r => r.LeadUnitId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class PersonalDataViewConfiguration : IEntityTypeConfiguration<PersonalDataView>
{
    public void Configure(EntityTypeBuilder<PersonalDataView> e)
    {
        e.ToTable("personal_data_views");
        e.HasIndex(v => new { v.AppealId, v.At });
        e.HasIndex(v => v.At);
        e.Property(v => v.ActorId).HasMaxLength(64);
        e.Property(v => v.ActorName).HasMaxLength(100);
        e.Property(v => v.Place).HasMaxLength(16);
        e.HasOne(v => v.Appeal).WithMany().HasForeignKey(v => v.AppealId).OnDelete(DeleteBehavior.Restrict);
    }
}
