using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Duban.Data;

// Mappings of the entities in SimilarityEntities.cs: similar cases and batches (相似案件、批处理).

internal sealed class MatterSignatureConfiguration : IEntityTypeConfiguration<MatterSignature>
{
    public void Configure(EntityTypeBuilder<MatterSignature> e)
    {
        e.ToTable("matter_signatures");
        e.HasKey(s => s.MatterId);
        e.Property(s => s.MatterId).ValueGeneratedNever();
        e.Property(s => s.MinHash).HasMaxLength(Duban.Similarity.MinHash.Size * sizeof(ushort));
        e.HasOne(s => s.Matter).WithOne().HasForeignKey<MatterSignature>(s => s.MatterId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class BatchConfiguration : IEntityTypeConfiguration<Batch>
{
    public void Configure(EntityTypeBuilder<Batch> e)
    {
        e.ToTable("batches");
        e.Property(b => b.CreatedById).HasMaxLength(64);
        e.Property(b => b.CreatedByName).HasMaxLength(100);
        e.HasOne(b => b.TypicalMatter).WithMany().HasForeignKey(b => b.TypicalMatterId).OnDelete(DeleteBehavior.Restrict);
        e.HasMany(b => b.Members).WithOne().HasForeignKey(m => m.BatchId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class BatchMemberConfiguration : IEntityTypeConfiguration<BatchMember>
{
    public void Configure(EntityTypeBuilder<BatchMember> e)
    {
        e.ToTable("batch_members");
        e.HasKey(m => new { m.BatchId, m.MatterId });
        e.HasIndex(m => m.MatterId);
        e.HasOne(m => m.Matter).WithMany().HasForeignKey(m => m.MatterId).OnDelete(DeleteBehavior.Restrict);
    }
}
