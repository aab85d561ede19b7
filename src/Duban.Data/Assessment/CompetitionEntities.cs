using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Duban.Data;

/// <summary>Where a competition stands.</summary>
public enum CompetitionStatus
{
    /// <summary>进行中: entries, shortlisting and judging.</summary>
    Running,

    /// <summary>公示中: the standings are published and objections may be filed until the publicity ends.</summary>
    Publicised,

    /// <summary>已定: the final ranking and awards.</summary>
    Final,
}

/// <summary>
/// 比拼/夺锦赛: a competition of one peer group over weighted stages, each a period scored by a scheme (e.g. four
/// quarters × 10 % and the year-end × 60 %); units enter each stage by self-nomination, the office shortlists, the
/// shortlisted are scored; the standings are published for a 公示 period in which objections may be filed, then fixed.
/// </summary>
public sealed class Competition
{
    public long Id { get; set; }
    public required string Name { get; set; }

    /// <summary>The peer group competing.</summary>
    public required string Group { get; set; }

    /// <summary>The stages (<see cref="CompetitionStageRow"/>) as JSON: key, label, weight, scheme.</summary>
    public required string Stages { get; set; }

    /// <summary>The award levels (<see cref="Duban.Assessment.AwardLevel"/>) as JSON, best first.</summary>
    public required string Awards { get; set; }

    /// <summary>公示 days (calendar days) after publication.</summary>
    public int PublicityDays { get; set; }

    public CompetitionStatus Status { get; set; }

    /// <summary>The standings as published (JSON), frozen.</summary>
    public string? Standings { get; set; }

    public DateTimeOffset? PublishedAt { get; set; }

    /// <summary>The last day (Beijing) objections may be filed.</summary>
    public DateOnly? PublicityEnds { get; set; }

    public DateTimeOffset? FinalAt { get; set; }
    public long OwnerUnitId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public required string CreatedBy { get; set; }

    /// <summary>Optimistic concurrency: publishing and fixing check it.</summary>
    public int Version { get; set; }
}

/// <summary>A stage as stored: a period of a scheme, and its weight.</summary>
/// <param name="Key">The period (2024-Q1).</param>
/// <param name="Label">第一季度.</param>
/// <param name="Weight">Its share of the final.</param>
/// <param name="Scheme">The scheme whose result scores it.</param>
public sealed record CompetitionStageRow(string Key, string Label, double Weight, long Scheme);

/// <summary>Whether an entry was shortlisted.</summary>
public enum EntryStatus
{
    /// <summary>已申报.</summary>
    Submitted,

    /// <summary>入围.</summary>
    Shortlisted,

    /// <summary>未入围.</summary>
    NotShortlisted,
}

/// <summary>自评申报: a unit's entry to a stage, with what it says of its work, and the office's decision.</summary>
public sealed class CompetitionEntry
{
    public long Id { get; set; }
    public long CompetitionId { get; set; }
    public required string StageKey { get; set; }
    public long UnitId { get; set; }
    public Unit? Unit { get; set; }
    public required string Text { get; set; }
    public EntryStatus Status { get; set; }
    public string? Reason { get; set; }
    public DateTimeOffset SubmittedAt { get; set; }
    public required string SubmittedBy { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public string? DecidedBy { get; set; }
}

/// <summary>异议: an objection filed during the 公示, and the office's answer.</summary>
public sealed class CompetitionObjection
{
    public long Id { get; set; }
    public long CompetitionId { get; set; }
    public long UnitId { get; set; }
    public Unit? Unit { get; set; }
    public required string Text { get; set; }
    public DateTimeOffset FiledAt { get; set; }
    public required string FiledBy { get; set; }
    public string? Answer { get; set; }
    public DateTimeOffset? AnsweredAt { get; set; }
    public string? AnsweredBy { get; set; }
}

internal sealed class CompetitionConfiguration : IEntityTypeConfiguration<Competition>
{
    public void Configure(EntityTypeBuilder<Competition> e)
    {
        e.ToTable("competitions");
        e.Property(c => c.Status).HasConversion<int>();
        e.Property(c => c.Version).IsConcurrencyToken();
    }
}

internal sealed class CompetitionEntryConfiguration : IEntityTypeConfiguration<CompetitionEntry>
{
    public void Configure(EntityTypeBuilder<CompetitionEntry> e)
    {
        e.ToTable("competition_entries");
        e.Property(x => x.Status).HasConversion<int>();
        e.HasIndex(x => new { x.CompetitionId, x.StageKey, x.UnitId }).IsUnique(); // one entry per unit and stage
        e.HasOne<Competition>().WithMany().HasForeignKey(x => x.CompetitionId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne(x => x.Unit).WithMany().HasForeignKey(x => x.UnitId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class CompetitionObjectionConfiguration : IEntityTypeConfiguration<CompetitionObjection>
{
    public void Configure(EntityTypeBuilder<CompetitionObjection> e)
    {
        e.ToTable("competition_objections");
        e.HasIndex(x => x.CompetitionId);
        e.HasOne<Competition>().WithMany().HasForeignKey(x => x.CompetitionId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne(x => x.Unit).WithMany().HasForeignKey(x => x.UnitId).OnDelete(DeleteBehavior.Restrict);
    }
}
