using Duban.Attachments;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Duban.Data;

// Mappings of the entities in AttachmentEntities.cs: blobs once per SHA-256, attachment rows per matter, entry or report.

internal sealed class AttachmentBlobConfiguration : IEntityTypeConfiguration<AttachmentBlob>
{
    public void Configure(EntityTypeBuilder<AttachmentBlob> e)
    {
        e.ToTable("attachment_blobs");
        e.HasKey(b => b.Sha256);
        e.Property(b => b.Sha256).HasMaxLength(64);
        e.Property(b => b.ContentType).HasMaxLength(100);
    }
}

internal sealed class AttachmentConfiguration : IEntityTypeConfiguration<Attachment>
{
    public void Configure(EntityTypeBuilder<Attachment> e)
    {
        // Exactly one owner: a matter, a competition entry or a target report.
        e.ToTable("attachments", t => t.HasCheckConstraint("ck_attachments_owner",
            "(CASE WHEN \"MatterId\" IS NULL THEN 0 ELSE 1 END) + (CASE WHEN \"EntryId\" IS NULL THEN 0 ELSE 1 END)"
            + " + (CASE WHEN \"TargetReportId\" IS NULL THEN 0 ELSE 1 END) = 1"));
        e.Ignore(a => a.Owner);
        e.HasIndex(a => new { a.MatterId, a.EventSequence });
        e.HasIndex(a => a.EntryId);
        e.HasIndex(a => a.TargetReportId);
        e.HasIndex(a => a.BlobSha256);
        e.Property(a => a.BlobSha256).HasMaxLength(64);
        e.Property(a => a.DisplayName).HasMaxLength(AttachmentPolicy.MaxNameLength);
        e.Property(a => a.ContentType).HasMaxLength(100);
        e.Property(a => a.UploadedById).HasMaxLength(64);
        e.Property(a => a.UploadedByName).HasMaxLength(100);
        e.HasOne(a => a.Matter).WithMany().HasForeignKey(a => a.MatterId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<CompetitionEntry>().WithMany().HasForeignKey(a => a.EntryId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<TargetReport>().WithMany().HasForeignKey(a => a.TargetReportId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<AttachmentBlob>().WithMany().HasForeignKey(a => a.BlobSha256).OnDelete(DeleteBehavior.Restrict);
    }
}
