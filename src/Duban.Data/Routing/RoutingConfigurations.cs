using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Duban.Data.Routing;

// Mapping of the entity in RoutingEntities.cs.

internal sealed class RoutingModelRecordConfiguration : IEntityTypeConfiguration<RoutingModelRecord>
{
    public void Configure(EntityTypeBuilder<RoutingModelRecord> e) => e.ToTable("routing_models");
}
