using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Duban.Data;

// Mapping of the entity in RoutingEntities.cs.

internal sealed class RoutingModelRecordConfiguration : IEntityTypeConfiguration<TriageModelRecord>
{
    public void Configure(EntityTypeBuilder<TriageModelRecord> e) => e.ToTable("triage_models");
}
