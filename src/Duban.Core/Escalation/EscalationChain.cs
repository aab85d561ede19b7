using Duban.Calendar;
using Duban.Matters;

namespace Duban.Escalation;

/// <summary>The rungs of the 13710 chain, in order of severity.</summary>
public enum EscalationKind
{
    /// <summary>临期预警 (blue): the milestone entered its warning window.</summary>
    Warning,

    /// <summary>催办 (yellow): due now; the unit head is urged.</summary>
    Urge,

    /// <summary>督办 (red): overdue; the supervising office takes it up.</summary>
    Supervise,

    /// <summary>问责: entered on the accountability list, a 通报 candidate.</summary>
    Accountability,
}

/// <summary>Who a rung's notice goes to.</summary>
public enum Recipient
{
    /// <summary>The lead unit's staff.</summary>
    HandlingUnit,

    /// <summary>The lead unit's head (its leaders).</summary>
    UnitHead,

    /// <summary>The supervising side: the assigning unit / 督查室.</summary>
    SupervisingUnit,
}

/// <summary>How hard a matter is being supervised (督办级别); a higher level tightens the chain.</summary>
public enum SupervisionLevel
{
    /// <summary>No manual supervision.</summary>
    None,

    /// <summary>一般督办.</summary>
    General,

    /// <summary>重点督办: overdue offsets halved.</summary>
    Key,

    /// <summary>挂牌督办 (by a leader): 督办 at the due instant, 问责 one working day later.</summary>
    Listed,
}

/// <summary>One rung: what happens, to whom, and when relative to the due instant.</summary>
/// <param name="Kind">What happens.</param>
/// <param name="WorkingDaysAfterDue">
/// 0 = at the due instant, N = when N whole working days have passed after it. Ignored for
/// <see cref="EscalationKind.Warning"/>, which fires when the milestone's warning window opens.
/// </param>
/// <param name="Recipient">Who is told.</param>
public sealed record EscalationStep(EscalationKind Kind, int WorkingDaysAfterDue, Recipient Recipient);

/// <summary>A rung that has fallen due for one milestone.</summary>
/// <param name="Step">The rung.</param>
/// <param name="At">The instant it fell due.</param>
public sealed record DueStep(EscalationStep Step, DateTimeOffset At);

/// <summary>
/// The escalation chain of a stage (催办 → 督办 → 问责), measured on the working-day calendar from the
/// milestone's due instant. Pure: the sweep asks it which rungs are due and when the next one falls.
/// </summary>
public sealed record EscalationChain(IReadOnlyList<EscalationStep> Steps)
{
    /// <summary>临期 → handling unit; due → 催办 unit head; +1 working day → 督办; +5 → 问责.</summary>
    public static EscalationChain Default { get; } = new([
        new EscalationStep(EscalationKind.Warning, 0, Recipient.HandlingUnit),
        new EscalationStep(EscalationKind.Urge, 0, Recipient.UnitHead),
        new EscalationStep(EscalationKind.Supervise, 1, Recipient.SupervisingUnit),
        new EscalationStep(EscalationKind.Accountability, 5, Recipient.SupervisingUnit),
    ]);

    /// <summary>The chain as a supervision level tightens it.</summary>
    public EscalationChain TightenedFor(SupervisionLevel level) => level switch
    {
        SupervisionLevel.None or SupervisionLevel.General => this,
        SupervisionLevel.Key => new(Steps.Select(s => s with { WorkingDaysAfterDue = s.WorkingDaysAfterDue / 2 }).ToList()),
        SupervisionLevel.Listed => new(Steps.Select(s => s with
        {
            WorkingDaysAfterDue = s.Kind == EscalationKind.Accountability ? Math.Min(1, s.WorkingDaysAfterDue) : 0,
        }).ToList()),
    };

    /// <summary>When a rung falls due for a milestone.</summary>
    public static DateTimeOffset InstantOf(EscalationStep step, Milestone milestone, WorkingCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(milestone);
        ArgumentNullException.ThrowIfNull(calendar);
        if (step.Kind == EscalationKind.Warning)
        {
            return milestone.DueSoonAt;
        }

        if (step.WorkingDaysAfterDue <= 0)
        {
            return milestone.DueAt;
        }

        // The due instant is 24:00 of its last day (or a time within a day for hour limits); N working days later
        // is 24:00 of the Nth working day after that day.
        var lastDay = ChinaTime.DateOf(milestone.DueAt.AddTicks(-1));
        return ChinaTime.EndOf(calendar.AddWorkingDays(lastDay, step.WorkingDaysAfterDue).Date);
    }

    /// <summary>The rungs due by <paramref name="now"/> that are not in <paramref name="done"/>, in chain order.</summary>
    public IReadOnlyList<DueStep> DueBy(Milestone milestone, DateTimeOffset now, IReadOnlySet<EscalationKind> done, WorkingCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(milestone);
        ArgumentNullException.ThrowIfNull(done);
        return milestone.MetAt is not null
            ? []
            : Steps.Where(s => !done.Contains(s.Kind))
                .Select(s => new DueStep(s, InstantOf(s, milestone, calendar)))
                .Where(d => d.At <= now)
                .ToList();
    }

    /// <summary>When the next rung not yet done falls due, or null when the chain is finished or the milestone met.</summary>
    public DateTimeOffset? NextAfter(Milestone milestone, IReadOnlySet<EscalationKind> done, WorkingCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(milestone);
        ArgumentNullException.ThrowIfNull(done);
        return milestone.MetAt is not null
            ? null
            : Steps.Where(s => !done.Contains(s.Kind))
                .Select(s => (DateTimeOffset?)InstantOf(s, milestone, calendar))
                .Min();
    }
}
