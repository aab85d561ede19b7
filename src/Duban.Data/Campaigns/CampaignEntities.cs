using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Duban.Data;

/// <summary>专项行动: a named campaign with a period, made by the office; matters are tagged with it.</summary>
public sealed class Campaign
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public DateOnly From { get; set; }
    public DateOnly To { get; set; }
    public string? Note { get; set; }

    /// <summary>The unit (督查室) that made it.</summary>
    public long OwnerUnitId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
}

/// <summary>A matter tagged with a campaign.</summary>
public sealed class MatterCampaign
{
    public long MatterId { get; set; }
    public Matter? Matter { get; set; }
    public long CampaignId { get; set; }
    public Campaign? Campaign { get; set; }
}

internal sealed class CampaignConfiguration : IEntityTypeConfiguration<Campaign>
{
    public void Configure(EntityTypeBuilder<Campaign> e)
    {
        e.ToTable("campaigns");
        e.HasIndex(c => c.Name).IsUnique();
        e.Property(c => c.Name).HasMaxLength(100);
        e.Property(c => c.Note).HasMaxLength(4000);
        e.Property(c => c.CreatedBy).HasMaxLength(100);
    }
}

internal sealed class MatterCampaignConfiguration : IEntityTypeConfiguration<MatterCampaign>
{
    public void Configure(EntityTypeBuilder<MatterCampaign> e)
    {
        e.ToTable("matter_campaigns");
        e.HasKey(t => new { t.MatterId, t.CampaignId });
        e.HasIndex(t => t.CampaignId);
        e.HasOne(t => t.Matter).WithMany().HasForeignKey(t => t.MatterId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne(t => t.Campaign).WithMany().HasForeignKey(t => t.CampaignId).OnDelete(DeleteBehavior.Restrict);
    }
}
