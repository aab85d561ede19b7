using Duban.Calendar;
using Duban.Escalation;
using Duban.Matters;
using Duban.TimeLimits;

namespace Duban.Data;

/// <summary>A unit as shown beside a matter.</summary>
public sealed record UnitRef(long Id, string Code, string Name);

/// <summary>A milestone as shown: instants in Shanghai time, status at the moment of reading.</summary>
public sealed record MilestoneView(Stage Stage, string StageName, DateTimeOffset DueAt, DateTimeOffset DueSoonAt,
    MilestoneStatus Status, string StatusName, DateTimeOffset? MetAt, bool Provisional, DateTimeOffset? OriginalDueAt,
    EscalationKind? Escalation, int Node = 0);

/// <summary>An event as shown.</summary>
public sealed record EventView(int Sequence, MatterAction Action, string ActionName, DateTimeOffset At,
    string ActorId, string ActorName, UnitRef? ActorUnit, string? Note, MatterEventData Data);

/// <summary>A matter in a list.</summary>
/// <remarks><c>Escalation</c> is the most severe rung reached by an unmet milestone's current deadline: warning (blue),
/// urge (yellow), supervise or accountability (red).</remarks>
public sealed record MatterSummary(long Id, string Code, string Title, MatterKind Kind, MatterStatus Status, string StatusName,
    UnitRef LeadUnit, DateTimeOffset AssignedAt, DateTimeOffset? NextDueAt, bool Overdue, EscalationKind? Escalation, int Version,
    IReadOnlyList<MilestoneView> Milestones)
{
    /// <summary>Whether the reader may acknowledge (签收) it now, as the lifecycle decides.</summary>
    public bool MayAcknowledge { get; init; }
}

/// <summary>A matter in full: 四明确, clock, history and what the reader may do now.</summary>
public sealed record MatterDetails(long Id, string Code, string Title, string Content, MatterKind Kind, MatterSource Source,
    string? Goal, string? Standard, UnitRef AssignerUnit, UnitRef LeadUnit, IReadOnlyList<UnitRef> CoUnits,
    string Profile, bool Complex, MatterStatus Status, string StatusName, DateTimeOffset AssignedAt,
    DateTimeOffset? VerifiedAt, DateTimeOffset? ClosedAt, Satisfaction? Satisfaction, int ReopenCount, int Version,
    bool Overdue, EscalationKind? Escalation, SupervisionLevel SupervisionLevel, bool CalendarProvisional, IReadOnlyList<MilestoneView> Milestones, IReadOnlyList<EventView> Events,
    IReadOnlyList<MatterAction> AllowedActions, IReadOnlyList<UrgeView>? Urges = null);

/// <summary>A 催办 or 督办 given by hand, as the matter's history shows it beside the lifecycle's events (the
/// escalation record itself: not a lifecycle event, so the status, the clock and the review counters never see it).</summary>
/// <param name="At">When it was given (Shanghai time).</param>
/// <param name="Kind">催办 or 督办.</param>
/// <param name="Level">督办: the matter's level after it (一般、重点、挂牌).</param>
/// <param name="Name">催办, 一般督办, 重点督办 or 挂牌督办.</param>
/// <param name="ActorName">Who gave it.</param>
/// <param name="Message">The text sent to the lead unit.</param>
public sealed record UrgeView(DateTimeOffset At, EscalationKind Kind, SupervisionLevel? Level, string Name, string? ActorName, string? Message);

internal static class ViewMapping
{
    public static UnitRef Ref(Unit unit) => new(unit.Id, unit.Code, unit.Name);

    public static IReadOnlyList<MilestoneView> Milestones(Matter matter, MatterState state, DateTimeOffset now) =>
        state.Milestones.Select(m =>
        {
            var status = m.StatusAt(now, state.IsClockSuspended);
            var row = matter.Milestones.Single(r => r.Stage == m.Stage && r.Node == m.Node);
            return new MilestoneView(m.Stage, Labels.Of(m), ChinaTime.ToLocal(m.DueAt), ChinaTime.ToLocal(m.DueSoonAt),
                status, Labels.Of(status), m.MetAt is { } met ? ChinaTime.ToLocal(met) : null, m.IsProvisional,
                m.OriginalDueAt is { } original ? ChinaTime.ToLocal(original) : null,
                m.MetAt is null && row.EscalatedForDueAt == row.DueAt ? row.DoneKinds.Select(k => (EscalationKind?)k).Max() : null, m.Node);
        }).ToList();

    /// <summary>The most severe rung over the unmet milestones.</summary>
    public static EscalationKind? Escalation(IReadOnlyList<MilestoneView> milestones) => milestones.Max(m => m.Escalation);

    public static bool IsOverdue(MatterState state, DateTimeOffset now) =>
        !state.IsClockSuspended && state.Milestones.Any(m => m.MetAt is null && now > m.DueAt);
}
