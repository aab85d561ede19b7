using Duban.Reviews;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Duban.Data;

/// <summary>
/// 考评办法: a scheme for one peer group and one kind of period (month, quarter, year), valid over a range of dates.
/// Its rules live in versions: every change makes a new one, and a published result keeps the version it used.
/// </summary>
public sealed class AssessmentScheme
{
    public long Id { get; set; }
    public required string Name { get; set; }

    /// <summary>The peer group assessed (a review group's name, <see cref="ReviewOptions.Groups"/>).</summary>
    public required string Group { get; set; }

    /// <summary>月度, 季度 or 年度.</summary>
    public PeriodKind PeriodKind { get; set; }

    /// <summary>The first day the scheme applies to.</summary>
    public DateOnly From { get; set; }

    /// <summary>The last day it applies to; null while it runs on.</summary>
    public DateOnly? To { get; set; }

    /// <summary>The supervision office that made it, whose view of the reviews it scores.</summary>
    public long OwnerUnitId { get; set; }
    public Unit? OwnerUnit { get; set; }

    public int CurrentVersion { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    public List<AssessmentSchemeVersion> Versions { get; set; } = [];
}

/// <summary>One version of a scheme's rules (<see cref="Duban.Assessment.SchemeRules"/> as JSON), never changed once written.</summary>
public sealed class AssessmentSchemeVersion
{
    public long Id { get; set; }
    public long SchemeId { get; set; }
    public AssessmentScheme? Scheme { get; set; }
    public int Version { get; set; }
    public required string Rules { get; set; }

    /// <summary>Why it changed (修订说明).</summary>
    public string? Note { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
}

/// <summary>A published result (考评结果): the table as computed at publication, with the version it used. Never
/// recomputed: a later change of the scheme, the counters or the adjustments leaves it as published.</summary>
public sealed class AssessmentResult
{
    public long Id { get; set; }
    public long SchemeId { get; set; }
    public AssessmentScheme? Scheme { get; set; }
    public long VersionId { get; set; }
    public AssessmentSchemeVersion? SchemeVersion { get; set; }

    /// <summary>The period's key (2024-03, 2024-Q1, 2024).</summary>
    public required string PeriodKey { get; set; }

    /// <summary>The rows as JSON (AssessmentResults writes and reads them).</summary>
    public required string Rows { get; set; }

    public DateTimeOffset PublishedAt { get; set; }
    public required string PublishedBy { get; set; }
}

/// <summary>加减分调整: points the office adds to or takes from a unit for a period, with the reason; kept as an event
/// (a correction is another adjustment).</summary>
public sealed class AssessmentAdjustment
{
    public long Id { get; set; }
    public long SchemeId { get; set; }
    public required string PeriodKey { get; set; }
    public long UnitId { get; set; }
    public Unit? Unit { get; set; }
    public double Points { get; set; }
    public required string Reason { get; set; }
    public DateTimeOffset At { get; set; }
    public required string By { get; set; }
    public required string ByName { get; set; }
}

/// <summary>Whether judges may still score.</summary>
public enum JudgingStatus
{
    /// <summary>评分中.</summary>
    Open,

    /// <summary>已结束: scores are final and shown to all.</summary>
    Closed,
}

/// <summary>评委打分: a session in which named judges score named units on the scheme's criteria.</summary>
public sealed class JudgingSession
{
    public long Id { get; set; }
    public long SchemeId { get; set; }
    public AssessmentScheme? Scheme { get; set; }
    public long VersionId { get; set; }
    public required string PeriodKey { get; set; }
    public required string Title { get; set; }
    public JudgingStatus Status { get; set; }
    public DateTimeOffset OpenedAt { get; set; }
    public required string OpenedBy { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public List<JudgingEntry> Entries { get; set; } = [];
    public List<JudgingJudge> Judges { get; set; } = [];
}

/// <summary>A unit judged in a session.</summary>
public sealed class JudgingEntry
{
    public long SessionId { get; set; }
    public long UnitId { get; set; }
    public Unit? Unit { get; set; }
}

/// <summary>A judge (评委) of a session: a user who signs in, on a phone as often as not.</summary>
public sealed class JudgingJudge
{
    public long SessionId { get; set; }
    public long UserId { get; set; }
    public User? User { get; set; }
}

/// <summary>One judge's scores of one unit, per criterion (JSON), and their total on 0–100: written once, never
/// changed (a second score by the same judge is refused), so the table is the audit record.</summary>
public sealed class JudgeScore
{
    public long Id { get; set; }
    public long SessionId { get; set; }
    public long UnitId { get; set; }
    public long JudgeUserId { get; set; }
    public required string Scores { get; set; }
    public double Total { get; set; }
    public DateTimeOffset At { get; set; }
}

internal sealed class AssessmentSchemeConfiguration : IEntityTypeConfiguration<AssessmentScheme>
{
    public void Configure(EntityTypeBuilder<AssessmentScheme> e)
    {
        e.ToTable("assessment_schemes");
        e.Property(s => s.PeriodKind).HasConversion<int>();
        e.HasIndex(s => new { s.Group, s.PeriodKind });
        e.HasOne(s => s.OwnerUnit).WithMany().HasForeignKey(s => s.OwnerUnitId).OnDelete(DeleteBehavior.Restrict);
        e.HasMany(s => s.Versions).WithOne(v => v.Scheme).HasForeignKey(v => v.SchemeId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AssessmentSchemeVersionConfiguration : IEntityTypeConfiguration<AssessmentSchemeVersion>
{
    public void Configure(EntityTypeBuilder<AssessmentSchemeVersion> e)
    {
        e.ToTable("assessment_scheme_versions");
        e.HasIndex(v => new { v.SchemeId, v.Version }).IsUnique();
    }
}

internal sealed class AssessmentResultConfiguration : IEntityTypeConfiguration<AssessmentResult>
{
    public void Configure(EntityTypeBuilder<AssessmentResult> e)
    {
        e.ToTable("assessment_results");
        e.HasIndex(r => new { r.SchemeId, r.PeriodKey }).IsUnique(); // published once
        e.HasOne(r => r.Scheme).WithMany().HasForeignKey(r => r.SchemeId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne(r => r.SchemeVersion).WithMany().HasForeignKey(r => r.VersionId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class AssessmentAdjustmentConfiguration : IEntityTypeConfiguration<AssessmentAdjustment>
{
    public void Configure(EntityTypeBuilder<AssessmentAdjustment> e)
    {
        e.ToTable("assessment_adjustments");
        e.HasIndex(a => new { a.SchemeId, a.PeriodKey });
        e.HasOne<AssessmentScheme>().WithMany().HasForeignKey(a => a.SchemeId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne(a => a.Unit).WithMany().HasForeignKey(a => a.UnitId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class JudgingSessionConfiguration : IEntityTypeConfiguration<JudgingSession>
{
    public void Configure(EntityTypeBuilder<JudgingSession> e)
    {
        e.ToTable("judging_sessions");
        e.Property(s => s.Status).HasConversion<int>();
        e.HasIndex(s => new { s.SchemeId, s.PeriodKey });
        e.HasOne(s => s.Scheme).WithMany().HasForeignKey(s => s.SchemeId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne<AssessmentSchemeVersion>().WithMany().HasForeignKey(s => s.VersionId).OnDelete(DeleteBehavior.Restrict);
        e.HasMany(s => s.Entries).WithOne().HasForeignKey(x => x.SessionId).OnDelete(DeleteBehavior.Cascade);
        e.HasMany(s => s.Judges).WithOne().HasForeignKey(x => x.SessionId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class JudgingEntryConfiguration : IEntityTypeConfiguration<JudgingEntry>
{
    public void Configure(EntityTypeBuilder<JudgingEntry> e)
    {
        e.ToTable("judging_entries");
        e.HasKey(x => new { x.SessionId, x.UnitId });
        e.HasOne(x => x.Unit).WithMany().HasForeignKey(x => x.UnitId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class JudgingJudgeConfiguration : IEntityTypeConfiguration<JudgingJudge>
{
    public void Configure(EntityTypeBuilder<JudgingJudge> e)
    {
        e.ToTable("judging_judges");
        e.HasKey(x => new { x.SessionId, x.UserId });
        e.HasOne(x => x.User).WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class JudgeScoreConfiguration : IEntityTypeConfiguration<JudgeScore>
{
    public void Configure(EntityTypeBuilder<JudgeScore> e)
    {
        e.ToTable("judge_scores");
        e.HasIndex(s => new { s.SessionId, s.UnitId, s.JudgeUserId }).IsUnique(); // one score per judge and unit
        e.HasOne<JudgingSession>().WithMany().HasForeignKey(s => s.SessionId).OnDelete(DeleteBehavior.Cascade);
    }
}
