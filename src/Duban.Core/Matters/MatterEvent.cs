using Duban.TimeLimits;

namespace Duban.Matters;

/// <summary>Who acted: a person or an API token, and the unit they acted for.</summary>
/// <param name="Id">A stable id such as <c>user:12</c> or <c>token:3</c>.</param>
/// <param name="Name">The display name at the time.</param>
/// <param name="UnitId">The unit acted for.</param>
public sealed record ActorRef(string Id, string Name, long UnitId);

/// <summary>
/// The facts one event carries beyond who and when: enough to rebuild the matter's state without
/// recomputing anything (deadlines are stored as computed, so a later holiday notice cannot rewrite history).
/// </summary>
public sealed record MatterEventData
{
    /// <summary>Assign: the kind.</summary>
    public MatterKind? Kind { get; init; }

    /// <summary>Assign: the assigning unit.</summary>
    public long? AssignerUnitId { get; init; }

    /// <summary>Assign, Transfer: the new lead unit.</summary>
    public long? LeadUnitId { get; init; }

    /// <summary>Transfer: the unit that had it.</summary>
    public long? FromUnitId { get; init; }

    /// <summary>Transfer: true when the lead unit escalated it to the level above (上报) rather than the assigner moving it.</summary>
    public bool? Escalated { get; init; }

    /// <summary>Assign: co-handling units.</summary>
    public IReadOnlyList<long>? CoUnitIds { get; init; }

    /// <summary>Assign: the time-limit profile.</summary>
    public string? Profile { get; init; }

    /// <summary>Assign: marked complex.</summary>
    public bool? Complex { get; init; }

    /// <summary>Assign, Transfer, Reopen, Rate (dissatisfied), Extend: milestones (re)scheduled by this event.</summary>
    public IReadOnlyList<ScheduledMilestone>? Schedule { get; init; }

    /// <summary>Verify: accepted or sent back.</summary>
    public bool? Accepted { get; init; }

    /// <summary>Extend, Meet: the stage whose deadline moved or which was met.</summary>
    public Stage? Stage { get; init; }

    /// <summary>Extend, Meet: the node number of that milestone (0 or absent for the 13710 stages).</summary>
    public int? Node { get; init; }

    /// <summary>Assign: the work item's register.</summary>
    public Items.ItemRegister? Register { get; init; }

    /// <summary>Assign: the work item's reporting cycle (none when absent).</summary>
    public Items.ReportCycle? Cycle { get; init; }

    /// <summary>Progress: the percent done reported (0–100).</summary>
    public int? Percent { get; init; }

    /// <summary>Meet, Progress: the evidence, as ids of attachments uploaded to the matter before.</summary>
    public IReadOnlyList<long>? AttachmentIds { get; init; }

    /// <summary>Progress: the problems met (存在问题).</summary>
    public string? Problems { get; init; }

    /// <summary>Progress: the next steps (下步打算).</summary>
    public string? Next { get; init; }

    /// <summary>Progress: the co-unit (配合单位) that reported its own share; absent for the lead unit's report. A share
    /// moves neither the item's percent nor its report dues.</summary>
    public long? CoUnitId { get; init; }

    /// <summary>Rate: the rating.</summary>
    public Satisfaction? Satisfaction { get; init; }

    /// <summary>Attach: the files added (name, content hash, size, sniffed type), for a later audit.</summary>
    public IReadOnlyList<Attachments.AttachedFile>? Files { get; init; }
}

/// <summary>One immutable entry in a matter's history.</summary>
/// <param name="Sequence">1 for the assignment, then 2, 3, … without gaps.</param>
/// <param name="Action">What was done.</param>
/// <param name="At">When.</param>
/// <param name="Actor">Who, for which unit.</param>
/// <param name="Note">The note, reason or result text.</param>
/// <param name="Data">The facts the action carries.</param>
public sealed record MatterEvent(int Sequence, MatterAction Action, DateTimeOffset At, ActorRef Actor, string? Note, MatterEventData Data);
