using Duban.Escalation;
using Duban.Matters;
using Duban.TimeLimits;
using Microsoft.AspNetCore.Identity;

namespace Duban.Data;

/// <summary>A unit (单位). <see cref="Path"/> is the materialized path of ids, e.g. <c>/1/4/9/</c>, so subtree
/// queries are one indexed prefix match.</summary>
public sealed class Unit
{
    public long Id { get; set; }
    public required string Code { get; set; }
    public required string Name { get; set; }
    public long? ParentId { get; set; }
    public Unit? Parent { get; set; }
    public UnitLevel Level { get; set; }
    public string Path { get; set; } = "/";
    public bool Active { get; set; } = true;
}

/// <summary>A person who signs in. Passwords are hashed by ASP.NET Core Identity.</summary>
public sealed class User : IdentityUser<long>
{
    public required string DisplayName { get; set; }
    public long UnitId { get; set; }
    public Unit? Unit { get; set; }
}

/// <summary>An API token for an integration: one unit, one role. Only the SHA-256 of the secret is stored.</summary>
public sealed class ApiToken
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public long UnitId { get; set; }
    public Unit? Unit { get; set; }
    public Role Role { get; set; }
    public required string SecretHash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}

/// <summary>A matter (事项): its text, the 四明确 and a snapshot of its state, which always equals the fold of its
/// <see cref="Events"/>.</summary>
public sealed class Matter
{
    public long Id { get; set; }
    public required string Code { get; set; }
    public MatterKind Kind { get; set; }
    public MatterSource Source { get; set; }
    public required string Title { get; set; }
    public required string Content { get; set; }

    /// <summary>目标任务.</summary>
    public string? Goal { get; set; }

    /// <summary>工作标准.</summary>
    public string? Standard { get; set; }

    public long AssignerUnitId { get; set; }
    public Unit? AssignerUnit { get; set; }
    public long LeadUnitId { get; set; }
    public Unit? LeadUnit { get; set; }
    public required string Profile { get; set; }
    public bool Complex { get; set; }
    public MatterStatus Status { get; set; }
    public DateTimeOffset AssignedAt { get; set; }

    /// <summary>See <see cref="MatterState.HandlingSince"/>.</summary>
    public DateTimeOffset? HandlingSince { get; set; }
    public DateTimeOffset? VerifiedAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public Satisfaction? Satisfaction { get; set; }
    public int DissatisfiedCount { get; set; }
    public int ReopenCount { get; set; }

    /// <summary>督办级别, set by the supervision office; tightens the escalation chain.</summary>
    public SupervisionLevel SupervisionLevel { get; set; }

    /// <summary>The earliest due instant of an unmet milestone while the clock runs; indexed, so "what is due"
    /// costs what is due, not what is open.</summary>
    public DateTimeOffset? NextDueAt { get; set; }

    /// <summary>The earliest 临期 instant of an unmet milestone while the clock runs (null with <see cref="NextDueAt"/>):
    /// the 临期 tab is then a range of an index instead of a look at every open matter's milestones.</summary>
    public DateTimeOffset? NextDueSoonAt { get; set; }

    /// <summary>The number of the last event; the optimistic-concurrency token.</summary>
    public int Version { get; set; }

    /// <summary>A work item's register (台账); null for other kinds.</summary>
    public Items.ItemRegister? Register { get; set; }

    /// <summary>A work item's reporting cycle: weekly or monthly (null: none).</summary>
    public Items.CycleKind? CycleKind { get; set; }

    /// <summary>The cycle's weekday (1–7) or day of the month (1–31).</summary>
    public int? CycleDay { get; set; }

    /// <summary>A work item's last reported percent.</summary>
    public int? Percent { get; set; }

    /// <summary>A work item's colour as last worked out (by an action or the sweep); lists filter by it.</summary>
    public Items.Colour? Colour { get; set; }

    /// <summary>When time alone may next change a work item's colour (<see cref="Items.ItemColour.NextChange"/>): the
    /// sweep looks only at items whose instant has come, through its index. Null when only an action can change it.</summary>
    public DateTimeOffset? ColourDueAt { get; set; }

    /// <summary>The parent work item this one was split from (分解), if any.</summary>
    public long? ParentId { get; set; }

    public List<MatterCoUnit> CoUnits { get; set; } = [];
    public List<MilestoneRow> Milestones { get; set; } = [];
    public List<MatterEventRow> Events { get; set; } = [];

    /// <summary>The state the review counters already account for; null for a matter not yet saved. Not stored.</summary>
    internal MatterState? FactsBaseline { get; set; }

    /// <summary>The lifecycle state held in this row.</summary>
    public MatterState ToState() => new()
    {
        Kind = Kind,
        Status = Status,
        AssignerUnitId = AssignerUnitId,
        LeadUnitId = LeadUnitId,
        CoUnitIds = CoUnits.OrderBy(c => c.Position).Select(c => c.UnitId).ToList(),
        Profile = Profile,
        Complex = Complex,
        Milestones = Milestones.OrderBy(m => m.Stage).ThenBy(m => m.Node)
            .Select(m => new Milestone(m.Stage, m.DueAt, m.DueSoonAt, m.IsProvisional, m.MetAt)
            {
                OriginalDueAt = m.OriginalDueAt,
                Node = m.Node,
                Name = m.Name,
            }).ToList(),
        Register = Register,
        Cycle = CycleKind is { } cycleKind && CycleDay is { } cycleDay ? new Items.ReportCycle(cycleKind, cycleDay) : null,
        Percent = Percent,
        AssignedAt = AssignedAt,
        HandlingSince = HandlingSince,
        VerifiedAt = VerifiedAt,
        ClosedAt = ClosedAt,
        Satisfaction = Satisfaction,
        DissatisfiedCount = DissatisfiedCount,
        ReopenCount = ReopenCount,
        Version = Version,
    };

    /// <summary>
    /// Copies a new state into this row (and its milestone and co-unit rows), and works out when each milestone's
    /// next escalation rung falls due, so the sweep finds exactly what is due through one index.
    /// </summary>
    public void Store(MatterState state, Rules rules)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(rules);
        if (Version > 0)
        {
            FactsBaseline ??= ToState(); // the state as loaded: the review counters change from here (FactLedger)
        }

        Kind = state.Kind;
        Status = state.Status;
        AssignerUnitId = state.AssignerUnitId;
        LeadUnitId = state.LeadUnitId;
        Profile = state.Profile;
        Complex = state.Complex;
        AssignedAt = state.AssignedAt;
        HandlingSince = state.HandlingSince;
        VerifiedAt = state.VerifiedAt;
        ClosedAt = state.ClosedAt;
        Satisfaction = state.Satisfaction;
        DissatisfiedCount = state.DissatisfiedCount;
        ReopenCount = state.ReopenCount;
        Version = state.Version;
        Register = state.Register;
        CycleKind = state.Cycle?.Kind;
        CycleDay = state.Cycle?.Day;
        Percent = state.Percent;
        NextDueAt = state.IsClockSuspended ? null : state.Milestones.Where(m => m.MetAt is null).Min(m => (DateTimeOffset?)m.DueAt);
        NextDueSoonAt = state.IsClockSuspended ? null : state.Milestones.Where(m => m.MetAt is null).Min(m => (DateTimeOffset?)m.DueSoonAt);

        CoUnits.RemoveAll(c => !state.CoUnitIds.Contains(c.UnitId));
        for (var i = 0; i < state.CoUnitIds.Count; i++)
        {
            var existing = CoUnits.Find(c => c.UnitId == state.CoUnitIds[i]);
            if (existing is null)
            {
                CoUnits.Add(new MatterCoUnit { UnitId = state.CoUnitIds[i], Position = i });
            }
            else
            {
                existing.Position = i;
            }
        }

        foreach (var milestone in state.Milestones)
        {
            var row = Milestones.Find(m => m.Stage == milestone.Stage && m.Node == milestone.Node);
            if (row is null)
            {
                row = new MilestoneRow { Stage = milestone.Stage, Node = milestone.Node };
                Milestones.Add(row);
            }

            row.Name = milestone.Name;
            row.DueAt = milestone.DueAt;
            row.DueSoonAt = milestone.DueSoonAt;
            row.IsProvisional = milestone.IsProvisional;
            row.MetAt = milestone.MetAt;
            row.OriginalDueAt = milestone.OriginalDueAt;
        }

        RefreshEscalation(rules);
    }

    /// <summary>Recomputes each milestone's next escalation instant (after a state change or a new supervision level).</summary>
    public void RefreshEscalation(Rules rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        foreach (var row in Milestones)
        {
            if (row.EscalatedForDueAt != row.DueAt)
            {
                // A new deadline (extension, transfer, reopening) starts its chain afresh.
                row.EscalatedKinds = 0;
                row.EscalatedForDueAt = row.DueAt;
            }

            var milestone = new Milestone(row.Stage, row.DueAt, row.DueSoonAt, row.IsProvisional, row.MetAt) { Node = row.Node, Name = row.Name };
            row.NextEscalationAt = Status == MatterStatus.Returned
                ? null
                : rules.Escalation.ChainFor(Profile, row.Stage, SupervisionLevel).NextAfter(milestone, row.DoneKinds, rules.Calendar);
        }
    }
}

/// <summary>A co-handling unit (配合单位) of a matter.</summary>
public sealed class MatterCoUnit
{
    public long MatterId { get; set; }
    public long UnitId { get; set; }
    public Unit? Unit { get; set; }
    public int Position { get; set; }
}

/// <summary>One milestone of a matter's clock, identified by (Stage, Node): a 13710 stage (node 0), a work item's node
/// or one of its report dues.</summary>
public sealed class MilestoneRow
{
    public long Id { get; set; }
    public long MatterId { get; set; }
    public Stage Stage { get; set; }

    /// <summary>0 for the 13710 stages; the node's number or the report's ordinal.</summary>
    public int Node { get; set; }

    /// <summary>A work item's node name.</summary>
    public string? Name { get; set; }
    public DateTimeOffset DueAt { get; set; }
    public DateTimeOffset DueSoonAt { get; set; }
    public bool IsProvisional { get; set; }
    public DateTimeOffset? MetAt { get; set; }

    /// <summary>The due instant before an approved extension moved it.</summary>
    public DateTimeOffset? OriginalDueAt { get; set; }

    /// <summary>When the next escalation rung falls due; null when the chain is done, the stage met or the clock stopped.</summary>
    public DateTimeOffset? NextEscalationAt { get; set; }

    /// <summary>The rungs already recorded for <see cref="EscalatedForDueAt"/>, as bit flags of <see cref="EscalationKind"/>.</summary>
    public int EscalatedKinds { get; set; }

    /// <summary>The due instant the recorded rungs refer to.</summary>
    public DateTimeOffset? EscalatedForDueAt { get; set; }

    public IReadOnlySet<EscalationKind> DoneKinds =>
        Enum.GetValues<EscalationKind>().Where(k => (EscalatedKinds & (1 << (int)k)) != 0).ToHashSet();

    public void MarkDone(EscalationKind kind) => EscalatedKinds |= 1 << (int)kind;
}

/// <summary>An immutable event in a matter's history; (MatterId, Sequence) is unique, so two writers cannot both
/// append event N.</summary>
public sealed class MatterEventRow
{
    public long Id { get; set; }
    public long MatterId { get; set; }
    public int Sequence { get; set; }
    public MatterAction Action { get; set; }
    public DateTimeOffset At { get; set; }
    public required string ActorId { get; set; }
    public required string ActorName { get; set; }
    public long ActorUnitId { get; set; }
    public string? Note { get; set; }

    /// <summary>The event's facts as JSON (<see cref="MatterEventData"/>).</summary>
    public required string Data { get; set; }

    public static MatterEventRow From(MatterEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new MatterEventRow
        {
            Sequence = e.Sequence,
            Action = e.Action,
            At = e.At,
            ActorId = e.Actor.Id,
            ActorName = e.Actor.Name,
            ActorUnitId = e.Actor.UnitId,
            Note = e.Note,
            Data = EventJson.Serialize(e.Data),
            _event = e,
        };
    }

    /// <summary>The event a new row was made from, so the review counters of its save read it without parsing it back.</summary>
    private MatterEvent? _event;

    public MatterEvent ToEvent() =>
        _event ??= new(Sequence, Action, At, new ActorRef(ActorId, ActorName, ActorUnitId), Note, EventJson.Deserialize(Data));
}

/// <summary>The last number handed out per year for matter codes (DB-2024-000123).</summary>
public sealed class CodeCounter
{
    public int Year { get; set; }
    public long Last { get; set; }
}

/// <summary>A holiday notice added after release (<c>duban calendar add-year</c>), shared by every instance.</summary>
public sealed class CalendarYear
{
    public int Year { get; set; }
    public required string NoticeJson { get; set; }
    public DateTimeOffset AddedAt { get; set; }
}
