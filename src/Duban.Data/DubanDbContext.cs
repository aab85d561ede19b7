using Duban.Data.Escalation;
using Duban.Data.Notifications;
using Duban.Escalation;
using Duban.Matters;
using Duban.TimeLimits;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Duban.Data;

/// <summary>The one DbContext, on SQLite or PostgreSQL; instants are stored in UTC on both.</summary>
public sealed class DubanDbContext(DbContextOptions<DubanDbContext> options)
    : IdentityDbContext<User, IdentityRole<long>, long>(options), IDataProtectionKeyContext
{
    /// <summary>Cookie and antiforgery keys, shared by every instance on the same database.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<Unit> Units => Set<Unit>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<Matter> Matters => Set<Matter>();
    public DbSet<MatterCoUnit> MatterCoUnits => Set<MatterCoUnit>();
    public DbSet<MilestoneRow> Milestones => Set<MilestoneRow>();
    public DbSet<MatterEventRow> MatterEvents => Set<MatterEventRow>();
    public DbSet<CodeCounter> CodeCounters => Set<CodeCounter>();
    public DbSet<CalendarYear> CalendarYears => Set<CalendarYear>();
    public DbSet<EscalationRecord> Escalations => Set<EscalationRecord>();
    public DbSet<AccountabilityEntry> AccountabilityEntries => Set<AccountabilityEntry>();
    public DbSet<AccountabilityChange> AccountabilityChanges => Set<AccountabilityChange>();
    public DbSet<Notice> Notices => Set<Notice>();
    public DbSet<NoticeRead> NoticeReads => Set<NoticeRead>();
    public DbSet<ExtensionRequest> ExtensionRequests => Set<ExtensionRequest>();
    public DbSet<LookBack> LookBacks => Set<LookBack>();
    public DbSet<Webhook> Webhooks => Set<Webhook>();
    public DbSet<Delivery> Deliveries => Set<Delivery>();
    public DbSet<Routing.RoutingModelRecord> RoutingModels => Set<Routing.RoutingModelRecord>();

    // Similar cases and batches (相似案件、批处理).
    public DbSet<Similarity.MatterSignature> MatterSignatures => Set<Similarity.MatterSignature>();
    public DbSet<Similarity.Batch> Batches => Set<Similarity.Batch>();
    public DbSet<Similarity.BatchMember> BatchMembers => Set<Similarity.BatchMember>();

    public DbSet<Appeals.Appeal> Appeals => Set<Appeals.Appeal>();
    public DbSet<Appeals.RoutingRule> RoutingRules => Set<Appeals.RoutingRule>();
    public DbSet<Appeals.PersonalDataView> PersonalDataViews => Set<Appeals.PersonalDataView>();

    // 包联 (pairing) and import batches.
    public DbSet<Pairing.Enterprise> Enterprises => Set<Pairing.Enterprise>();
    public DbSet<Pairing.EnterprisePairing> EnterprisePairings => Set<Pairing.EnterprisePairing>();
    public DbSet<Pairing.Visit> Visits => Set<Pairing.Visit>();
    public DbSet<Pairing.VisitProblem> VisitProblems => Set<Pairing.VisitProblem>();
    public DbSet<Pairing.ImportBatch> ImportBatches => Set<Pairing.ImportBatch>();

    // Attachments (附件): blobs once per SHA-256, attachment rows per matter.
    public DbSet<Attachments.AttachmentBlob> AttachmentBlobs => Set<Attachments.AttachmentBlob>();
    public DbSet<Attachments.Attachment> Attachments => Set<Attachments.Attachment>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        // Enums by name: readable in the database and stable when members are added.
        configurationBuilder.Properties<MatterKind>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<MatterSource>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<MatterStatus>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<MatterAction>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<Satisfaction>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<Stage>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<Role>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<UnitLevel>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<EscalationKind>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<SupervisionLevel>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<AccountabilityReason>().HaveConversion<string>().HaveMaxLength(24);
        configurationBuilder.Properties<AccountabilityStatus>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<Audience>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<ExtensionStatus>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<LookBackStatus>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<DeliveryChannel>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<DeliveryStatus>().HaveConversion<string>().HaveMaxLength(16);

        if (Database.IsSqlite())
        {
            // SQLite cannot compare or order DateTimeOffset; UTC DateTime text sorts and compares correctly.
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcSqliteConverter>();
            configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<UtcSqliteConverter>();
        }
        else
        {
            // timestamptz accepts only offset 0 from Npgsql.
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcConverter>();
            configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<UtcConverter>();
        }
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        base.OnModelCreating(builder);

        builder.Entity<Unit>(e =>
        {
            e.ToTable("units");
            e.HasIndex(u => u.Code).IsUnique();
            e.HasIndex(u => u.Path);
            e.Property(u => u.Code).HasMaxLength(64);
            e.Property(u => u.Name).HasMaxLength(200);
            e.Property(u => u.Path).HasMaxLength(400);
            e.HasOne(u => u.Parent).WithMany().HasForeignKey(u => u.ParentId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<User>(e =>
        {
            e.Property(u => u.DisplayName).HasMaxLength(100);
            e.HasOne(u => u.Unit).WithMany().HasForeignKey(u => u.UnitId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<ApiToken>(e =>
        {
            e.ToTable("api_tokens");
            e.HasIndex(t => t.SecretHash).IsUnique();
            e.Property(t => t.Name).HasMaxLength(100);
            e.Property(t => t.SecretHash).HasMaxLength(64);
            e.HasOne(t => t.Unit).WithMany().HasForeignKey(t => t.UnitId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<Matter>(e =>
        {
            e.ToTable("matters");
            e.HasIndex(m => m.Code).IsUnique();
            e.HasIndex(m => new { m.LeadUnitId, m.Status });
            e.HasIndex(m => m.AssignerUnitId);
            e.HasIndex(m => m.NextDueAt);
            e.Property(m => m.Code).HasMaxLength(32);
            e.Property(m => m.Title).HasMaxLength(200);
            e.Property(m => m.Content).HasMaxLength(20000);
            e.Property(m => m.Goal).HasMaxLength(4000);
            e.Property(m => m.Standard).HasMaxLength(4000);
            e.Property(m => m.Profile).HasMaxLength(32);
            e.Property(m => m.Version).IsConcurrencyToken();
            e.HasOne(m => m.LeadUnit).WithMany().HasForeignKey(m => m.LeadUnitId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne(m => m.AssignerUnit).WithMany().HasForeignKey(m => m.AssignerUnitId).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(m => m.CoUnits).WithOne().HasForeignKey(c => c.MatterId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(m => m.Milestones).WithOne().HasForeignKey(r => r.MatterId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(m => m.Events).WithOne().HasForeignKey(r => r.MatterId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<MatterCoUnit>(e =>
        {
            e.ToTable("matter_co_units");
            e.HasKey(c => new { c.MatterId, c.UnitId });
            e.HasIndex(c => c.UnitId);
            e.HasOne(c => c.Unit).WithMany().HasForeignKey(c => c.UnitId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<MilestoneRow>(e =>
        {
            e.ToTable("milestones");
            e.HasIndex(m => new { m.MatterId, m.Stage }).IsUnique();
            e.HasIndex(m => m.DueAt);
            e.HasIndex(m => m.NextEscalationAt); // the sweep reads only what is due
        });

        builder.Entity<EscalationRecord>(e =>
        {
            e.ToTable("escalations");
            e.HasIndex(r => new { r.MilestoneId, r.Kind, r.ForDueAt }).IsUnique();
            e.HasIndex(r => new { r.MatterId, r.At });
            e.HasIndex(r => new { r.UnitId, r.At });
            e.Property(r => r.ActorId).HasMaxLength(64);
            e.Property(r => r.ActorName).HasMaxLength(100);
            e.Property(r => r.Message).HasMaxLength(4000);
        });

        builder.Entity<AccountabilityEntry>(e =>
        {
            e.ToTable("accountability_entries");
            e.HasIndex(a => new { a.Status, a.CreatedAt });
            e.HasIndex(a => a.MatterId);
            e.HasIndex(a => a.EscalationId).IsUnique();
            e.HasOne(a => a.Escalation).WithMany().HasForeignKey(a => a.EscalationId).OnDelete(DeleteBehavior.Restrict);
            e.Property(a => a.Note).HasMaxLength(4000);
            e.HasOne(a => a.Unit).WithMany().HasForeignKey(a => a.UnitId).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(a => a.History).WithOne().HasForeignKey(c => c.EntryId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<AccountabilityChange>(e =>
        {
            e.ToTable("accountability_changes");
            e.Property(c => c.ActorId).HasMaxLength(64);
            e.Property(c => c.ActorName).HasMaxLength(100);
            e.Property(c => c.Note).HasMaxLength(4000);
        });

        builder.Entity<Notice>(e =>
        {
            e.ToTable("notices");
            e.HasIndex(n => new { n.UnitId, n.DeliverAfter });
            e.HasOne(n => n.Escalation).WithMany().HasForeignKey(n => n.EscalationId).OnDelete(DeleteBehavior.Restrict);
            e.Property(n => n.Title).HasMaxLength(200);
            e.Property(n => n.Body).HasMaxLength(2000);
            e.Property(n => n.Link).HasMaxLength(200);
        });

        builder.Entity<NoticeRead>(e =>
        {
            e.ToTable("notice_reads");
            e.HasKey(r => new { r.NoticeId, r.ReaderId });
            e.Property(r => r.ReaderId).HasMaxLength(64);
            e.HasOne<Notice>().WithMany().HasForeignKey(r => r.NoticeId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<LookBack>(e =>
        {
            e.ToTable("lookbacks");
            e.HasIndex(l => new { l.MatterId, l.ClosedAt }).IsUnique();
            e.HasIndex(l => new { l.Status, l.DueAt });
            e.Property(l => l.CheckedById).HasMaxLength(64);
            e.Property(l => l.CheckedByName).HasMaxLength(100);
            e.Property(l => l.Note).HasMaxLength(4000);
        });

        builder.Entity<ExtensionRequest>(e =>
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
        });

        builder.Entity<Webhook>(e =>
        {
            e.ToTable("webhooks");
            e.Property(w => w.Url).HasMaxLength(2000);
            e.Property(w => w.Secret).HasMaxLength(200);
            e.HasOne(w => w.Unit).WithMany().HasForeignKey(w => w.UnitId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<Delivery>(e =>
        {
            e.ToTable("deliveries");
            e.HasIndex(d => d.NextAttemptAt); // the worker reads only what is due; null once sent or dead
            e.HasIndex(d => new { d.Status, d.Id });
            e.HasIndex(d => d.NoticeId);
            e.Property(d => d.Target).HasMaxLength(320);
            e.Property(d => d.LastError).HasMaxLength(2000);
            e.HasOne(d => d.Notice).WithMany().HasForeignKey(d => d.NoticeId).OnDelete(DeleteBehavior.Restrict);
        });

        ConfigureAppeals(builder);

        builder.Entity<MatterEventRow>(e =>
        {
            e.ToTable("matter_events");
            e.HasIndex(r => new { r.MatterId, r.Sequence }).IsUnique();
            e.HasIndex(r => r.At);
            e.Property(r => r.ActorId).HasMaxLength(64);
            e.Property(r => r.ActorName).HasMaxLength(100);
            e.Property(r => r.Note).HasMaxLength(4000);
        });

        builder.Entity<CodeCounter>(e =>
        {
            e.ToTable("code_counters");
            e.HasKey(c => c.Year);
            e.Property(c => c.Year).ValueGeneratedNever();
        });

        builder.Entity<CalendarYear>(e =>
        {
            e.ToTable("calendar_years");
            e.HasKey(c => c.Year);
            e.Property(c => c.Year).ValueGeneratedNever();
        });

        Similarity.SimilarityModel.Configure(builder);
        builder.Entity<Routing.RoutingModelRecord>(e =>
        {
            e.ToTable("routing_models");
        });
        Pairing.PairingModel.Configure(builder);
    }

    /// <summary>Appeals (诉求), routing rules and the personal-data audit.</summary>
    private static void ConfigureAppeals(ModelBuilder builder)
    {
        builder.Entity<Appeals.Appeal>(e =>
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
            e.HasOne<Appeals.RoutingRule>().WithMany().HasForeignKey(a => a.RoutingRuleId).OnDelete(DeleteBehavior.SetNull);
        });

        builder.Entity<Appeals.RoutingRule>(e =>
        {
            e.ToTable("routing_rules");
            e.Ignore(r => r.KeywordList);
            e.Property(r => r.Name).HasMaxLength(100);
            e.Property(r => r.Category).HasMaxLength(32);
            e.Property(r => r.Keywords).HasMaxLength(1000);
            e.Property(r => r.EnterpriseCode).HasMaxLength(18);
            e.HasOne(r => r.RegionUnit).WithMany().HasForeignKey(r => r.RegionUnitId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne(r => r.LeadUnit).WithMany().HasForeignKey(r => r.LeadUnitId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<Appeals.PersonalDataView>(e =>
        {
            e.ToTable("personal_data_views");
            e.HasIndex(v => new { v.AppealId, v.At });
            e.HasIndex(v => v.At);
            e.Property(v => v.ActorId).HasMaxLength(64);
            e.Property(v => v.ActorName).HasMaxLength(100);
            e.Property(v => v.Place).HasMaxLength(16);
            e.HasOne(v => v.Appeal).WithMany().HasForeignKey(v => v.AppealId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<Attachments.AttachmentBlob>(e =>
        {
            e.ToTable("attachment_blobs");
            e.HasKey(b => b.Sha256);
            e.Property(b => b.Sha256).HasMaxLength(64);
            e.Property(b => b.ContentType).HasMaxLength(100);
        });

        builder.Entity<Attachments.Attachment>(e =>
        {
            e.ToTable("attachments");
            e.HasIndex(a => new { a.MatterId, a.EventSequence });
            e.HasIndex(a => a.BlobSha256);
            e.Property(a => a.BlobSha256).HasMaxLength(64);
            e.Property(a => a.DisplayName).HasMaxLength(Duban.Attachments.AttachmentPolicy.MaxNameLength);
            e.Property(a => a.ContentType).HasMaxLength(100);
            e.Property(a => a.UploadedById).HasMaxLength(64);
            e.Property(a => a.UploadedByName).HasMaxLength(100);
            e.HasOne(a => a.Matter).WithMany().HasForeignKey(a => a.MatterId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Attachments.AttachmentBlob>().WithMany().HasForeignKey(a => a.BlobSha256).OnDelete(DeleteBehavior.Restrict);
        });
    }

    private sealed class UtcSqliteConverter() : ValueConverter<DateTimeOffset, DateTime>(
        v => v.UtcDateTime,
        v => new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)));

    private sealed class UtcConverter() : ValueConverter<DateTimeOffset, DateTimeOffset>(
        v => v.ToUniversalTime(),
        v => v);
}
