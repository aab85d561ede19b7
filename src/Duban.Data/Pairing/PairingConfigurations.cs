using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Duban.Data;

// Mappings of the 包联 entities in PairingEntities.cs.

internal sealed class EnterpriseConfiguration : IEntityTypeConfiguration<Enterprise>
{
    public void Configure(EntityTypeBuilder<Enterprise> e)
    {
        e.ToTable("enterprises");
        e.HasIndex(x => x.CreditCode).IsUnique();
        e.HasIndex(x => x.RegionUnitId);
        e.Property(x => x.Name).HasMaxLength(200);
        e.Property(x => x.CreditCode).HasMaxLength(18);
        e.HasOne(x => x.RegionUnit).WithMany().HasForeignKey(x => x.RegionUnitId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class EnterprisePairingConfiguration : IEntityTypeConfiguration<EnterprisePairing>
{
    public void Configure(EntityTypeBuilder<EnterprisePairing> e)
    {
        e.ToTable("enterprise_pairings");
        e.HasIndex(x => new { x.EnterpriseId, x.From });
        e.HasIndex(x => x.EnterpriseId).IsUnique().HasFilter("\"To\" IS NULL"); // one current cadre per enterprise; the same SQL on both engines
        e.HasIndex(x => new { x.CadreId, x.To });
        e.Property(x => x.CreatedById).HasMaxLength(64);
        e.Property(x => x.CreatedByName).HasMaxLength(100);
        e.Property(x => x.EndedById).HasMaxLength(64);
        e.HasOne(x => x.Enterprise).WithMany().HasForeignKey(x => x.EnterpriseId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne(x => x.Cadre).WithMany().HasForeignKey(x => x.CadreId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class VisitConfiguration : IEntityTypeConfiguration<Visit>
{
    public void Configure(EntityTypeBuilder<Visit> e)
    {
        e.ToTable("visits");
        e.HasIndex(x => new { x.EnterpriseId, x.Date });
        e.HasIndex(x => new { x.CadreId, x.Date });
        e.Property(x => x.Content).HasMaxLength(4000);
        e.HasOne(x => x.Enterprise).WithMany().HasForeignKey(x => x.EnterpriseId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne(x => x.Cadre).WithMany().HasForeignKey(x => x.CadreId).OnDelete(DeleteBehavior.Restrict);
        e.HasMany(x => x.Problems).WithOne().HasForeignKey(p => p.VisitId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class VisitProblemConfiguration : IEntityTypeConfiguration<VisitProblem>
{
    public void Configure(EntityTypeBuilder<VisitProblem> e)
    {
        e.ToTable("visit_problems");
        e.HasIndex(x => new { x.VisitId, x.Position }).IsUnique();
        e.HasOne<Appeal>().WithMany().HasForeignKey(x => x.AppealId).OnDelete(DeleteBehavior.Restrict);
        e.Property(x => x.Title).HasMaxLength(200);
    }
}

internal sealed class ImportRunConfiguration : IEntityTypeConfiguration<ImportRun>
{
    public void Configure(EntityTypeBuilder<ImportRun> e)
    {
        e.ToTable("import_runs");
        e.HasIndex(x => x.StartedAt);
        e.Property(x => x.Kind).HasMaxLength(16);
        e.Property(x => x.FileName).HasMaxLength(260);
        e.Property(x => x.ActorId).HasMaxLength(64);
        e.Property(x => x.ActorName).HasMaxLength(100);
        e.Property(x => x.Error).HasMaxLength(4000);
    }
}
