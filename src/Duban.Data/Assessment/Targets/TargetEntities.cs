using Duban.Assessment;

namespace Duban.Data;

/// <summary>A named set of quantitative targets (目标任务, e.g. 「1441」) for one period.</summary>
public sealed class TargetSet
{
    public long Id { get; set; }
    public required string Name { get; set; }

    /// <summary>The period's key as <see cref="Duban.Reviews.ReviewPeriod.Key"/> writes it (2024, 2024-Q1, 2024-03).</summary>
    public required string PeriodKey { get; set; }

    /// <summary>The period's first and last Beijing dates.</summary>
    public DateOnly From { get; set; }
    public DateOnly To { get; set; }

    public required string CreatedById { get; set; }
    public required string CreatedByName { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public List<TargetItem> Items { get; set; } = [];
}

/// <summary>An item of a set (走访企业 100 家): its name, measure word and where its progress comes from.</summary>
public sealed class TargetItem
{
    public long Id { get; set; }
    public long SetId { get; set; }
    public TargetSet? Set { get; set; }
    public int Position { get; set; }
    public required string Name { get; set; }

    /// <summary>计量单位: 家, 个, 批次.</summary>
    public required string Measure { get; set; }

    public TargetSource Source { get; set; }
    public List<TargetGoal> Goals { get; set; } = [];
}

/// <summary>One unit's (or one 包联 cadre's) goal for an item; exactly one of <see cref="UnitId"/> and <see cref="CadreId"/>.</summary>
public sealed class TargetGoal
{
    public long Id { get; set; }
    public long ItemId { get; set; }
    public TargetItem? Item { get; set; }
    public long? UnitId { get; set; }
    public Unit? Unit { get; set; }
    public long? CadreId { get; set; }
    public User? Cadre { get; set; }

    /// <summary>目标数, above 0.</summary>
    public double Goal { get; set; }
}

/// <summary>A reported amount of progress (进度填报) with its note, and the office's decision; never deleted or overwritten
/// except by the one decision.</summary>
public sealed class TargetReport
{
    public long Id { get; set; }
    public long GoalId { get; set; }
    public TargetGoal? Goal { get; set; }
    public double Amount { get; set; }
    public required string Note { get; set; }
    public required string ReportedById { get; set; }
    public required string ReportedByName { get; set; }
    public DateTimeOffset ReportedAt { get; set; }
    public TargetReportState State { get; set; }
    public string? DecidedById { get; set; }
    public string? DecidedByName { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }

    /// <summary>退回原因 (required when rejected), or the office's remark on confirming.</summary>
    public string? Reason { get; set; }
}
