using Duban.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Duban.Data;

/// <summary>A stored audit record (审计记录), one link of the hash chain (<see cref="AuditChain"/>). Written only by
/// <see cref="AuditTrail"/>, never updated or deleted by Duban.</summary>
public sealed class AuditRecord
{
    public long Seq { get; set; }
    public DateTimeOffset At { get; set; }
    public required string ActorId { get; set; }
    public required string ActorName { get; set; }
    public long? ActorUnitId { get; set; }
    public string? Address { get; set; }
    public required string Action { get; set; }
    public required string Entity { get; set; }
    public required string EntityKey { get; set; }
    public long? MatterId { get; set; }
    public required string Changes { get; set; }
    public string? RowHash { get; set; }
    public required string PreviousHash { get; set; }
    public required string Hash { get; set; }

    public AuditEntry ToEntry() => new(Seq, At, ActorId, ActorName, ActorUnitId, Address, Action, Entity, EntityKey, MatterId,
        Changes, RowHash, PreviousHash, Hash);

    public static AuditRecord From(AuditEntry e) => new()
    {
        Seq = e.Seq, At = e.At, ActorId = e.ActorId, ActorName = e.ActorName, ActorUnitId = e.ActorUnitId, Address = e.Address,
        Action = e.Action, Entity = e.Entity, EntityKey = e.EntityKey, MatterId = e.MatterId, Changes = e.Changes,
        RowHash = e.RowHash, PreviousHash = e.PreviousHash, Hash = e.Hash,
    };
}

internal sealed class AuditRecordConfiguration : IEntityTypeConfiguration<AuditRecord>
{
    public void Configure(EntityTypeBuilder<AuditRecord> e)
    {
        e.ToTable("audit_records");
        e.HasKey(r => r.Seq);
        e.Property(r => r.Seq).ValueGeneratedNever(); // the chain numbers its records itself, without gaps
        e.Property(r => r.ActorId).HasMaxLength(100);
        e.Property(r => r.ActorName).HasMaxLength(100);
        e.Property(r => r.Address).HasMaxLength(64);
        e.Property(r => r.Action).HasMaxLength(32);
        e.Property(r => r.Entity).HasMaxLength(64);
        e.Property(r => r.EntityKey).HasMaxLength(200);
        e.Property(r => r.RowHash).HasMaxLength(64);
        e.Property(r => r.PreviousHash).HasMaxLength(64);
        e.Property(r => r.Hash).HasMaxLength(64);
        // The audit page filters by time, person, unit, matter and row.
        e.HasIndex(r => r.At);
        e.HasIndex(r => new { r.ActorId, r.Seq });
        e.HasIndex(r => new { r.ActorUnitId, r.Seq });
        e.HasIndex(r => new { r.MatterId, r.Seq });
        e.HasIndex(r => new { r.Entity, r.EntityKey, r.Seq });
    }
}
