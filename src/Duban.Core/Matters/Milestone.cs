using Duban.TimeLimits;

namespace Duban.Matters;

/// <summary>Where a milestone stands at a given instant.</summary>
public enum MilestoneStatus
{
    /// <summary>Not yet due and outside the warning window.</summary>
    Pending,

    /// <summary>临期: inside the warning window.</summary>
    DueSoon,

    /// <summary>超期: past its due instant and not met.</summary>
    Overdue,

    /// <summary>Met by its due instant.</summary>
    MetOnTime,

    /// <summary>Met after its due instant.</summary>
    MetLate,

    /// <summary>Met after the original due instant but within an approved extension (延期内完成), counted apart from on time.</summary>
    MetWithinExtension,

    /// <summary>The clock is stopped: the matter was returned and waits for the assigner.</summary>
    Suspended,
}

/// <summary>One stage of a matter's clock.</summary>
/// <param name="Stage">The stage.</param>
/// <param name="DueAt">When it falls due.</param>
/// <param name="DueSoonAt">When it turns due-soon.</param>
/// <param name="IsProvisional">True when a year without a holiday notice was counted to reach the due instant.</param>
/// <param name="MetAt">When the stage was met, if it was.</param>
public sealed record Milestone(Stage Stage, DateTimeOffset DueAt, DateTimeOffset DueSoonAt, bool IsProvisional, DateTimeOffset? MetAt)
{
    /// <summary>The due instant before an approved extension moved it (null when never extended).</summary>
    public DateTimeOffset? OriginalDueAt { get; init; }

    /// <summary>The node number: 0 for the 13710 stages, the node's number for <see cref="Stage.Node"/>, the report's
    /// ordinal for <see cref="Stage.Report"/>. A milestone is identified by (<see cref="Stage"/>, <see cref="Node"/>).</summary>
    public int Node { get; init; }

    /// <summary>The node's name (立项, 开工…); null for the 13710 stages and reports.</summary>
    public string? Name { get; init; }

    /// <summary>True when this is the milestone (<paramref name="stage"/>, <paramref name="node"/>).</summary>
    public bool Is(Stage stage, int node) => Stage == stage && Node == node;

    /// <summary>A fresh, unmet milestone from a schedule.</summary>
    public static Milestone From(ScheduledMilestone scheduled)
    {
        ArgumentNullException.ThrowIfNull(scheduled);
        return new Milestone(scheduled.Stage, scheduled.DueAt, scheduled.DueSoonAt, scheduled.IsProvisional, null)
        {
            Node = scheduled.Node,
            Name = scheduled.Name,
        };
    }

    /// <summary>The status at <paramref name="now"/>; <paramref name="suspended"/> when the matter's clock is stopped.</summary>
    public MilestoneStatus StatusAt(DateTimeOffset now, bool suspended = false) => MetAt switch
    {
        { } met when met > DueAt => MilestoneStatus.MetLate,
        { } met when OriginalDueAt is { } original && met > original => MilestoneStatus.MetWithinExtension,
        { } => MilestoneStatus.MetOnTime,
        null when suspended => MilestoneStatus.Suspended,
        null when now > DueAt => MilestoneStatus.Overdue,
        null when now >= DueSoonAt => MilestoneStatus.DueSoon,
        null => MilestoneStatus.Pending,
    };
}
