using Duban.Instructions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Duban.Data;

/// <summary>
/// A leader's instruction (领导批示件) as the office registers it: who wrote it and when, the original text, the document
/// it was written on, the office's 拟办意见, and the matters it was assigned as (<see cref="InstructionMatter"/>). Its
/// status is derived from those matters (<see cref="InstructionProgress.Of"/>); only the office's own steps (the
/// report, closing) are stored. <see cref="Version"/> guards every change (409 on a stale edit).
/// </summary>
public sealed class Instruction
{
    public long Id { get; set; }

    /// <summary>批示〔2026〕12号.</summary>
    public required string Number { get; set; }

    public int Year { get; set; }
    public int Sequence { get; set; }

    /// <summary>The leader when they are a Duban user (their 「我的批示」 page and inbox).</summary>
    public long? LeaderUserId { get; set; }

    public User? LeaderUser { get; set; }

    /// <summary>The leader's name as shown (the user's display name, or as written).</summary>
    public required string LeaderName { get; set; }

    /// <summary>职务, e.g. 市长.</summary>
    public string? LeaderTitle { get; set; }

    /// <summary>The unit whose inbox gets the report notice: the leader user's unit.</summary>
    public long? LeaderUnitId { get; set; }

    /// <summary>批示日期.</summary>
    public DateOnly InstructedOn { get; set; }

    /// <summary>批示原文.</summary>
    public required string Text { get; set; }

    /// <summary>来文标题: the document the instruction was written on.</summary>
    public string? SourceDocument { get; set; }

    /// <summary>拟办意见.</summary>
    public string? Proposal { get; set; }

    /// <summary>报结果时限: when the leader expects the report (a date), if one was set.</summary>
    public DateOnly? DueOn { get; set; }

    /// <summary>The office (unit) that registered it; its oversight decides who sees it.</summary>
    public long OfficeUnitId { get; set; }

    public Unit? OfficeUnit { get; set; }
    public required string RegisteredById { get; set; }
    public required string RegisteredByName { get; set; }
    public DateTimeOffset RegisteredAt { get; set; }

    /// <summary>The scan (扫描件): an attachment of the first linked matter (the attachment seam belongs to matters).</summary>
    public long? ScanAttachmentId { get; set; }

    public DateTimeOffset? ClosedAt { get; set; }
    public string? ClosedByName { get; set; }

    /// <summary>Bumped on every change; a write naming an older version is refused (409).</summary>
    public int Version { get; set; }

    public List<InstructionMatter> Matters { get; set; } = [];
    public List<InstructionReport> Reports { get; set; } = [];
}

/// <summary>A matter (13710 assignment or work item) an instruction was assigned as; a matter serves one instruction.</summary>
public sealed class InstructionMatter
{
    public long InstructionId { get; set; }
    public long MatterId { get; set; }
    public Matter? Matter { get; set; }
    public int Position { get; set; }
}

/// <summary>A 办理结果报告 (or a 阶段性报告 when <see cref="Partial"/>): drafted by the office, approved, sent to the leader.</summary>
public sealed class InstructionReport
{
    public long Id { get; set; }
    public long InstructionId { get; set; }

    /// <summary>阶段性报告: sent before every linked matter was done, with <see cref="PartialReason"/>.</summary>
    public bool Partial { get; set; }

    public string? PartialReason { get; set; }
    public ReportStage Stage { get; set; }
    public required string Text { get; set; }
    public required string DraftedByName { get; set; }
    public DateTimeOffset DraftedAt { get; set; }
    public string? ApprovedByName { get; set; }
    public DateTimeOffset? ApprovedAt { get; set; }
    public string? SentByName { get; set; }
    public DateTimeOffset? SentAt { get; set; }
}

/// <summary>The last instruction number handed out per year.</summary>
public sealed class InstructionCounter
{
    public int Year { get; set; }
    public long Last { get; set; }
}

internal sealed class InstructionConfiguration : IEntityTypeConfiguration<Instruction>
{
    public void Configure(EntityTypeBuilder<Instruction> e)
    {
        e.ToTable("instructions");
        e.HasIndex(i => new { i.Year, i.Sequence }).IsUnique();
        e.HasIndex(i => i.LeaderUserId);
        e.HasIndex(i => i.OfficeUnitId);
        e.Property(i => i.Number).HasMaxLength(40);
        e.Property(i => i.LeaderName).HasMaxLength(50);
        e.Property(i => i.LeaderTitle).HasMaxLength(50);
        e.Property(i => i.Text).HasMaxLength(4000);
        e.Property(i => i.SourceDocument).HasMaxLength(200);
        e.Property(i => i.Proposal).HasMaxLength(4000);
        e.Property(i => i.RegisteredById).HasMaxLength(40);
        e.Property(i => i.RegisteredByName).HasMaxLength(100);
        e.Property(i => i.ClosedByName).HasMaxLength(100);
        e.Property(i => i.Version).IsConcurrencyToken();
        e.HasOne(i => i.LeaderUser).WithMany().HasForeignKey(i => i.LeaderUserId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne(i => i.OfficeUnit).WithMany().HasForeignKey(i => i.OfficeUnitId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Unit>().WithMany().HasForeignKey(i => i.LeaderUnitId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<Attachment>().WithMany().HasForeignKey(i => i.ScanAttachmentId).OnDelete(DeleteBehavior.SetNull);
        e.HasMany(i => i.Matters).WithOne().HasForeignKey(m => m.InstructionId).OnDelete(DeleteBehavior.Cascade);
        e.HasMany(i => i.Reports).WithOne().HasForeignKey(r => r.InstructionId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class InstructionMatterConfiguration : IEntityTypeConfiguration<InstructionMatter>
{
    public void Configure(EntityTypeBuilder<InstructionMatter> e)
    {
        e.ToTable("instruction_matters");
        e.HasKey(m => new { m.InstructionId, m.MatterId });
        e.HasIndex(m => m.MatterId).IsUnique();
        e.HasOne(m => m.Matter).WithMany().HasForeignKey(m => m.MatterId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class InstructionReportConfiguration : IEntityTypeConfiguration<InstructionReport>
{
    public void Configure(EntityTypeBuilder<InstructionReport> e)
    {
        e.ToTable("instruction_reports");
        e.HasIndex(r => r.InstructionId);
        e.Property(r => r.Stage).HasConversion<string>().HasMaxLength(16);
        e.Property(r => r.Text).HasMaxLength(20000);
        e.Property(r => r.PartialReason).HasMaxLength(1000);
        e.Property(r => r.DraftedByName).HasMaxLength(100);
        e.Property(r => r.ApprovedByName).HasMaxLength(100);
        e.Property(r => r.SentByName).HasMaxLength(100);
    }
}

internal sealed class InstructionCounterConfiguration : IEntityTypeConfiguration<InstructionCounter>
{
    public void Configure(EntityTypeBuilder<InstructionCounter> e)
    {
        e.ToTable("instruction_counters");
        e.HasKey(c => c.Year);
        e.Property(c => c.Year).ValueGeneratedNever();
    }
}
