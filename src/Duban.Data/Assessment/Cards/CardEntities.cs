using Duban.Assessment;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Duban.Data;

/// <summary>通报表扬 or 通报批评.</summary>
public enum CitationKind
{
    /// <summary>通报表扬.</summary>
    Commendation,

    /// <summary>通报批评.</summary>
    Criticism,
}

/// <summary>
/// A 通报 (citation): a numbered document (督查通报〔2024〕3号) praising or criticising named units, each with its reason;
/// a draft until published, when each named unit gets it in its inbox and it counts for the assessment.
/// </summary>
public sealed class Citation
{
    public long Id { get; set; }
    public CitationKind Kind { get; set; }

    /// <summary>The year the number counts in.</summary>
    public int Year { get; set; }

    /// <summary>The number within the year (one series for both kinds).</summary>
    public int Number { get; set; }

    /// <summary>成文日期 (Beijing).</summary>
    public DateOnly Date { get; set; }
    public required string Issuer { get; set; }
    public required string Title { get; set; }

    /// <summary>The text, paragraphs separated by blank lines; generated, then edited by the office.</summary>
    public required string Body { get; set; }

    /// <summary>Where the list came from, e.g. 2024年3月讲评红榜; null for units picked by hand.</summary>
    public string? Source { get; set; }
    public required string CreatedById { get; set; }
    public required string CreatedByName { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? PublishedAt { get; set; }

    /// <summary>The Beijing date of publication: what <see cref="Citations.CountAsync"/> counts by.</summary>
    public DateOnly? PublishedOn { get; set; }
    public string? PublishedByName { get; set; }

    /// <summary>Bumped by every change: publishing twice at once fails one of them.</summary>
    public int Version { get; set; }
    public List<CitationUnit> Units { get; set; } = [];
}

/// <summary>A unit named in a citation, with its reason.</summary>
public sealed class CitationUnit
{
    public long CitationId { get; set; }
    public long UnitId { get; set; }
    public Unit? Unit { get; set; }
    public int Position { get; set; }
    public required string Reason { get; set; }
}

/// <summary>A 红黄牌 rule as the office keeps it (<see cref="CardRule"/>); a removed rule stays, inactive, for its cards.</summary>
public sealed class CardRuleRow
{
    public long Id { get; set; }

    /// <summary>The trigger's wire name (<see cref="CardRule.TriggerName"/>).</summary>
    public required string Trigger { get; set; }
    public int Threshold { get; set; }
    public CardWindow Window { get; set; }
    public CardColour Colour { get; set; }
    public bool Active { get; set; } = true;
    public int Position { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public CardRule ToRule() => new(Id, CardRule.ParseTrigger(Trigger), Threshold, Window, Colour);
}

/// <summary>A card issued to a unit: one per rule, unit and window.</summary>
public sealed class IssuedCardRow
{
    public long Id { get; set; }
    public long RuleId { get; set; }
    public CardRuleRow? Rule { get; set; }
    public long UnitId { get; set; }
    public Unit? Unit { get; set; }
    public CardColour Colour { get; set; }
    public CardWindow Window { get; set; }
    public DateOnly WindowFrom { get; set; }
    public DateOnly WindowTo { get; set; }

    /// <summary>What the rule counted.</summary>
    public long Count { get; set; }

    /// <summary>Why, in words: 2024年3月超期节点 4 个（一个月内超期节点达 3 个 → 黄牌）.</summary>
    public required string Reason { get; set; }
    public DateTimeOffset IssuedAt { get; set; }
    public required string IssuedByName { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public string? RevokedByName { get; set; }
    public string? RevokeReason { get; set; }
}

/// <summary>约谈: an entry per red card or added by hand, closed by recording the interview.</summary>
public sealed class Interview
{
    public long Id { get; set; }
    public long UnitId { get; set; }
    public Unit? Unit { get; set; }

    /// <summary>The red card that put the unit on the list; null when added by hand.</summary>
    public long? CardId { get; set; }
    public IssuedCardRow? Card { get; set; }
    public required string Reason { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public required string CreatedByName { get; set; }

    /// <summary>Recorded (closed) once <see cref="RecordedAt"/> is set.</summary>
    public DateTimeOffset? RecordedAt { get; set; }
    public string? RecordedByName { get; set; }

    /// <summary>Who was interviewed: name and post.</summary>
    public string? PersonName { get; set; }
    public string? PersonPost { get; set; }

    /// <summary>When the interview was held (Beijing).</summary>
    public DateOnly? HeldOn { get; set; }
    public string? Notes { get; set; }
    public int Version { get; set; }
    public List<InterviewMatter> Matters { get; set; } = [];
}

/// <summary>A matter talked about at an interview.</summary>
public sealed class InterviewMatter
{
    public long InterviewId { get; set; }
    public long MatterId { get; set; }
    public Matter? Matter { get; set; }
}

internal sealed class CitationConfiguration : IEntityTypeConfiguration<Citation>
{
    public void Configure(EntityTypeBuilder<Citation> e)
    {
        e.ToTable("citations");
        e.HasIndex(c => new { c.Year, c.Number }).IsUnique();
        e.HasIndex(c => c.PublishedOn);
        e.Property(c => c.Kind).HasConversion<string>().HasMaxLength(16);
        e.Property(c => c.Issuer).HasMaxLength(CitationBook.MaxIssuer);
        e.Property(c => c.Title).HasMaxLength(CitationBook.MaxTitle);
        e.Property(c => c.Body).HasMaxLength(CitationBook.MaxBody);
        e.Property(c => c.Source).HasMaxLength(100);
        e.Property(c => c.CreatedById).HasMaxLength(64);
        e.Property(c => c.CreatedByName).HasMaxLength(100);
        e.Property(c => c.PublishedByName).HasMaxLength(100);
        e.Property(c => c.Version).IsConcurrencyToken();
        e.HasMany(c => c.Units).WithOne().HasForeignKey(u => u.CitationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CitationUnitConfiguration : IEntityTypeConfiguration<CitationUnit>
{
    public void Configure(EntityTypeBuilder<CitationUnit> e)
    {
        e.ToTable("citation_units");
        e.HasKey(u => new { u.CitationId, u.UnitId });
        e.HasIndex(u => u.UnitId);
        e.Property(u => u.Reason).HasMaxLength(CitationBook.MaxReason);
        e.HasOne(u => u.Unit).WithMany().HasForeignKey(u => u.UnitId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class CardRuleRowConfiguration : IEntityTypeConfiguration<CardRuleRow>
{
    public void Configure(EntityTypeBuilder<CardRuleRow> e)
    {
        e.ToTable("card_rules");
        e.Property(r => r.Trigger).HasMaxLength(32);
        e.Property(r => r.Window).HasConversion<string>().HasMaxLength(16);
        e.Property(r => r.Colour).HasConversion<string>().HasMaxLength(16);
    }
}

internal sealed class IssuedCardRowConfiguration : IEntityTypeConfiguration<IssuedCardRow>
{
    public void Configure(EntityTypeBuilder<IssuedCardRow> e)
    {
        e.ToTable("cards");
        e.HasIndex(c => new { c.RuleId, c.UnitId, c.WindowFrom }).IsUnique(); // one card per rule, unit and window
        e.HasIndex(c => new { c.WindowFrom, c.WindowTo });
        e.Property(c => c.Colour).HasConversion<string>().HasMaxLength(16);
        e.Property(c => c.Window).HasConversion<string>().HasMaxLength(16);
        e.Property(c => c.Reason).HasMaxLength(300);
        e.Property(c => c.IssuedByName).HasMaxLength(100);
        e.Property(c => c.RevokedByName).HasMaxLength(100);
        e.Property(c => c.RevokeReason).HasMaxLength(CardBook.MaxRevokeReason);
        e.HasOne(c => c.Rule).WithMany().HasForeignKey(c => c.RuleId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne(c => c.Unit).WithMany().HasForeignKey(c => c.UnitId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class InterviewConfiguration : IEntityTypeConfiguration<Interview>
{
    public void Configure(EntityTypeBuilder<Interview> e)
    {
        e.ToTable("interviews");
        e.HasIndex(i => i.CardId).IsUnique(); // one entry per red card
        e.HasIndex(i => new { i.UnitId, i.RecordedAt });
        e.Property(i => i.Reason).HasMaxLength(300);
        e.Property(i => i.CreatedByName).HasMaxLength(100);
        e.Property(i => i.RecordedByName).HasMaxLength(100);
        e.Property(i => i.PersonName).HasMaxLength(50);
        e.Property(i => i.PersonPost).HasMaxLength(100);
        e.Property(i => i.Notes).HasMaxLength(InterviewList.MaxNotes);
        e.Property(i => i.Version).IsConcurrencyToken();
        e.HasOne(i => i.Unit).WithMany().HasForeignKey(i => i.UnitId).OnDelete(DeleteBehavior.Restrict);
        e.HasOne(i => i.Card).WithMany().HasForeignKey(i => i.CardId).OnDelete(DeleteBehavior.Restrict);
        e.HasMany(i => i.Matters).WithOne().HasForeignKey(m => m.InterviewId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class InterviewMatterConfiguration : IEntityTypeConfiguration<InterviewMatter>
{
    public void Configure(EntityTypeBuilder<InterviewMatter> e)
    {
        e.ToTable("interview_matters");
        e.HasKey(m => new { m.InterviewId, m.MatterId });
        e.HasOne(m => m.Matter).WithMany().HasForeignKey(m => m.MatterId).OnDelete(DeleteBehavior.Restrict);
    }
}
