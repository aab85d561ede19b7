using Duban.Escalation;
using Duban.TimeLimits;

namespace Duban.Data;

/// <summary>
/// One rung of the chain acted on, by the sweep or by hand (催办 / 督办 with a message). Append-only; the unique
/// (milestone, kind, due instant) makes a second sweep over the same instant record nothing.
/// </summary>
public sealed class EscalationRecord
{
    public long Id { get; set; }
    public long MatterId { get; set; }
    public long? MilestoneId { get; set; }
    public Stage? Stage { get; set; }
    public EscalationKind Kind { get; set; }

    /// <summary>The milestone's due instant this rung belongs to (a later extension starts a new chain).</summary>
    public DateTimeOffset? ForDueAt { get; set; }

    /// <summary>When the rung fell due (for a manual one: when it was given).</summary>
    public DateTimeOffset At { get; set; }

    public DateTimeOffset RecordedAt { get; set; }

    /// <summary>The unit held to the deadline (the lead unit at the time).</summary>
    public long UnitId { get; set; }

    public bool Manual { get; set; }
    public SupervisionLevel? Level { get; set; }
    public string? ActorId { get; set; }
    public string? ActorName { get; set; }
    public string? Message { get; set; }

    /// <summary>False when a more severe rung fell due in the same sweep and only that one was announced.</summary>
    public bool Announced { get; set; }
}

/// <summary>An entry on the accountability list, with its history of status changes.</summary>
public sealed class AccountabilityEntry
{
    public long Id { get; set; }
    public long MatterId { get; set; }
    public long UnitId { get; set; }
    public Unit? Unit { get; set; }
    public AccountabilityReason Reason { get; set; }
    public Stage? Stage { get; set; }
    public AccountabilityStatus Status { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public long? EscalationId { get; set; }
    public EscalationRecord? Escalation { get; set; }
    public string? Note { get; set; }
    public List<AccountabilityChange> History { get; set; } = [];

    /// <summary>A new, pending entry with its first history line: every entry starts the same way.</summary>
    public static AccountabilityEntry Open(long matterId, long unitId, AccountabilityReason reason, Stage? stage,
        DateTimeOffset now, string actorId, string actorName, string? note = null)
    {
        var entry = new AccountabilityEntry
        {
            MatterId = matterId,
            UnitId = unitId,
            Reason = reason,
            Stage = stage,
            Status = AccountabilityStatus.Pending,
            CreatedAt = now,
            Note = note,
        };
        entry.History.Add(new AccountabilityChange { Status = AccountabilityStatus.Pending, At = now, ActorId = actorId, ActorName = actorName, Note = note });
        return entry;
    }
}

/// <summary>One change of an accountability entry (append-only).</summary>
public sealed class AccountabilityChange
{
    public long Id { get; set; }
    public long EntryId { get; set; }
    public AccountabilityStatus Status { get; set; }
    public DateTimeOffset At { get; set; }
    public required string ActorId { get; set; }
    public required string ActorName { get; set; }
    public string? Note { get; set; }
}

/// <summary>Who in a unit a notice is for.</summary>
public enum Audience
{
    /// <summary>Everyone in the unit.</summary>
    Unit,

    /// <summary>The unit's leaders (单位负责人).</summary>
    Heads,
}

/// <summary>An in-app notice (站内通知) for a unit; visible from <see cref="DeliverAfter"/>, inside working hours.
/// Saving one also queues its webhook and email deliveries in the same transaction (<see cref="NoticeOutbox"/>).
/// Read state is per reader (<see cref="NoticeRead"/>).</summary>
public sealed class Notice
{
    public long Id { get; set; }
    public long UnitId { get; set; }
    public Audience Audience { get; set; }
    public long? MatterId { get; set; }
    public long? EscalationId { get; set; }
    public EscalationRecord? Escalation { get; set; }
    public EscalationKind? Kind { get; set; }
    public required string Title { get; set; }
    public required string Body { get; set; }
    public string? Link { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset DeliverAfter { get; set; }
}

/// <summary>One reader's mark on a notice (已读): per person or API token, so a notice one colleague has read stays
/// unread for the others in the unit.</summary>
public sealed class NoticeRead
{
    public long NoticeId { get; set; }

    /// <summary>The reader's actor id (<c>user:5</c>, <c>token:3</c>).</summary>
    public required string ReaderId { get; set; }

    public DateTimeOffset ReadAt { get; set; }
}

/// <summary>Where an extension request stands.</summary>
public enum ExtensionStatus
{
    Pending,
    Approved,
    Rejected,
}

/// <summary>延期申请: asked by the lead unit, decided by the assigning side.</summary>
public sealed class ExtensionRequest
{
    public long Id { get; set; }
    public long MatterId { get; set; }
    public Stage Stage { get; set; }

    /// <summary>The node number of the milestone (0 for the 13710 stages).</summary>
    public int Node { get; set; }
    public DateTimeOffset CurrentDueAt { get; set; }
    public DateTimeOffset ProposedDueAt { get; set; }
    public required string Reason { get; set; }
    public required string RequestedById { get; set; }
    public required string RequestedByName { get; set; }
    public long RequestedByUnitId { get; set; }
    public DateTimeOffset RequestedAt { get; set; }
    public ExtensionStatus Status { get; set; }
    public DateTimeOffset? DecidedDueAt { get; set; }
    public string? DecidedById { get; set; }
    public string? DecidedByName { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public string? DecisionNote { get; set; }
}
