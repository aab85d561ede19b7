using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Duban.Data;

// Mappings of the entities in NotificationEntities.cs.

internal sealed class WebhookConfiguration : IEntityTypeConfiguration<Webhook>
{
    public void Configure(EntityTypeBuilder<Webhook> e)
    {
        e.ToTable("webhooks");
        e.Property(w => w.Url).HasMaxLength(2000);
        e.Property(w => w.Secret).HasMaxLength(200);
        e.HasOne(w => w.Unit).WithMany().HasForeignKey(w => w.UnitId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class DeliveryConfiguration : IEntityTypeConfiguration<Delivery>
{
    public void Configure(EntityTypeBuilder<Delivery> e)
    {
        e.ToTable("deliveries");
        e.HasIndex(d => d.NextAttemptAt); // the worker reads only what is due; null once sent or dead
        e.HasIndex(d => new { d.Status, d.Id });
        e.HasIndex(d => d.NoticeId);
        e.Property(d => d.Target).HasMaxLength(320);
        e.Property(d => d.LastError).HasMaxLength(2000);
        e.HasOne(d => d.Notice).WithMany().HasForeignKey(d => d.NoticeId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class UnitChannelConfiguration : IEntityTypeConfiguration<UnitChannel>
{
    public void Configure(EntityTypeBuilder<UnitChannel> e)
    {
        e.ToTable("unit_channels");
        e.HasIndex(c => c.UnitId); // the outbox reads the channels of a batch's units
        e.Property(c => c.Kind).HasConversion<string>().HasMaxLength(16);
        e.Property(c => c.Url).HasMaxLength(2000);
        e.Property(c => c.Secret).HasMaxLength(200);
        e.HasOne(c => c.Unit).WithMany().HasForeignKey(c => c.UnitId).OnDelete(DeleteBehavior.Restrict);
    }
}
