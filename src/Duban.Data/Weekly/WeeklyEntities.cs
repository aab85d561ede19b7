using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Duban.Data;

/// <summary>Where a weekly session stands: prepared by the office, then sent (下发) to the units once.</summary>
public enum WeeklySessionStatus
{
    /// <summary>草稿: matters may be added and removed.</summary>
    Draft,

    /// <summary>已下发: the units have their 交办单; the matters are fixed.</summary>
    Sent,
}

/// <summary>
/// 周交办: a numbered weekly session (第 N 次周交办) of the government an office serves, held at a meeting (周例会), which
/// assigns a set of matters and reports on the previous session. Numbers run per owner and year, handed out by
/// <see cref="WeeklySessionCounter"/> like matter codes.
/// </summary>
public sealed class WeeklySession
{
    public long Id { get; set; }

    /// <summary>The government whose sessions these are (the office's parent, or the leader's unit): numbering and who
    /// manages the session follow it.</summary>
    public long OwnerUnitId { get; set; }
    public Unit? OwnerUnit { get; set; }

    /// <summary>The year the number counts in (the year of <see cref="Date"/>).</summary>
    public int Year { get; set; }

    /// <summary>第 N 次 within <see cref="Year"/>.</summary>
    public int Number { get; set; }

    /// <summary>The meeting's date (Beijing).</summary>
    public DateOnly Date { get; set; }

    /// <summary>会议名称, e.g. 市委市政府重点工作周例会.</summary>
    public required string Meeting { get; set; }

    public string? Note { get; set; }
    public WeeklySessionStatus Status { get; set; }
    public required string CreatedById { get; set; }
    public required string CreatedByName { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public string? SentByName { get; set; }

    /// <summary>Bumped by every change (adding, removing, sending): the optimistic-concurrency token, so a matter added
    /// while someone sends the session is refused rather than left out of the units' notices.</summary>
    public int Version { get; set; }

    public List<WeeklySessionMatter> Matters { get; set; } = [];
}

/// <summary>A matter assigned at a weekly session. A matter belongs to at most one session (unique on the matter).</summary>
public sealed class WeeklySessionMatter
{
    public long SessionId { get; set; }
    public long MatterId { get; set; }
    public Matter? Matter { get; set; }
    public DateTimeOffset AddedAt { get; set; }
}

/// <summary>The last session number handed out per owner and year.</summary>
public sealed class WeeklySessionCounter
{
    public long OwnerUnitId { get; set; }
    public int Year { get; set; }
    public int Last { get; set; }
}

internal sealed class WeeklySessionConfiguration : IEntityTypeConfiguration<WeeklySession>
{
    public void Configure(EntityTypeBuilder<WeeklySession> e)
    {
        e.ToTable("weekly_sessions");
        e.HasIndex(s => new { s.OwnerUnitId, s.Year, s.Number }).IsUnique();
        e.Property(s => s.Meeting).HasMaxLength(WeeklySessions.MaxMeeting);
        e.Property(s => s.Note).HasMaxLength(WeeklySessions.MaxNote);
        e.Property(s => s.Status).HasConversion<string>().HasMaxLength(16);
        e.Property(s => s.CreatedById).HasMaxLength(64);
        e.Property(s => s.CreatedByName).HasMaxLength(100);
        e.Property(s => s.SentByName).HasMaxLength(100);
        e.Property(s => s.Version).IsConcurrencyToken();
        e.HasOne(s => s.OwnerUnit).WithMany().HasForeignKey(s => s.OwnerUnitId).OnDelete(DeleteBehavior.Restrict);
        e.HasMany(s => s.Matters).WithOne().HasForeignKey(m => m.SessionId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class WeeklySessionMatterConfiguration : IEntityTypeConfiguration<WeeklySessionMatter>
{
    public void Configure(EntityTypeBuilder<WeeklySessionMatter> e)
    {
        e.ToTable("weekly_session_matters");
        e.HasKey(m => new { m.SessionId, m.MatterId });
        e.HasIndex(m => m.MatterId).IsUnique(); // one session per matter, even for two writers at once
        e.HasOne(m => m.Matter).WithMany().HasForeignKey(m => m.MatterId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class WeeklySessionCounterConfiguration : IEntityTypeConfiguration<WeeklySessionCounter>
{
    public void Configure(EntityTypeBuilder<WeeklySessionCounter> e)
    {
        e.ToTable("weekly_session_counters");
        e.HasKey(c => new { c.OwnerUnitId, c.Year });
        e.Property(c => c.OwnerUnitId).ValueGeneratedNever();
        e.Property(c => c.Year).ValueGeneratedNever();
    }
}
