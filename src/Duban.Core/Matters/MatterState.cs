using Duban.TimeLimits;

namespace Duban.Matters;

/// <summary>
/// A matter's current state, always the fold of its events (<see cref="Replay"/>): storing it is a cache of
/// the events, and tests check the two agree.
/// </summary>
public sealed record MatterState
{
    /// <summary>The kind.</summary>
    public required MatterKind Kind { get; init; }

    /// <summary>The lifecycle status.</summary>
    public required MatterStatus Status { get; init; }

    /// <summary>The unit that assigned it (the assigning side verifies and closes).</summary>
    public required long AssignerUnitId { get; init; }

    /// <summary>The lead unit (牵头单位), who acknowledges, reports and completes.</summary>
    public required long LeadUnitId { get; init; }

    /// <summary>Co-handling units (配合单位).</summary>
    public required IReadOnlyList<long> CoUnitIds { get; init; }

    /// <summary>The time-limit profile name.</summary>
    public required string Profile { get; init; }

    /// <summary>Whether it is marked complex (longer completion limit).</summary>
    public required bool Complex { get; init; }

    /// <summary>The milestones, one per (stage, node), in that order.</summary>
    public required IReadOnlyList<Milestone> Milestones { get; init; }

    /// <summary>When it was assigned.</summary>
    public required DateTimeOffset AssignedAt { get; init; }

    /// <summary>When the current lead unit's handling began: the assignment, the last transfer or the last time it went back
    /// to handling (rated dissatisfied, reopened). The average time to complete is counted from here.</summary>
    public DateTimeOffset? HandlingSince { get; init; }

    /// <summary>When its completion was last accepted.</summary>
    public DateTimeOffset? VerifiedAt { get; init; }

    /// <summary>When it was closed (销号).</summary>
    public DateTimeOffset? ClosedAt { get; init; }

    /// <summary>The last rating, cleared when the matter is reopened.</summary>
    public Satisfaction? Satisfaction { get; init; }

    /// <summary>How many ratings were dissatisfied.</summary>
    public int DissatisfiedCount { get; init; }

    /// <summary>How many times it went back to handling after verification (rated dissatisfied or reopened).</summary>
    public int ReopenCount { get; init; }

    /// <summary>A work item's register (null for other kinds).</summary>
    public Items.ItemRegister? Register { get; init; }

    /// <summary>A work item's reporting cycle (null: no periodic reports).</summary>
    public Items.ReportCycle? Cycle { get; init; }

    /// <summary>A work item's last reported percent done (null before the first report).</summary>
    public int? Percent { get; init; }

    /// <summary>The sequence number of the last event; the optimistic-concurrency version.</summary>
    public required int Version { get; init; }

    /// <summary>The milestone (<paramref name="stage"/>, <paramref name="node"/>): node 0 for the 13710 stages.</summary>
    public Milestone MilestoneOf(Stage stage, int node = 0) => Milestones.First(m => m.Is(stage, node));

    /// <summary>The milestone (<paramref name="stage"/>, <paramref name="node"/>), or null when there is none.</summary>
    public Milestone? FindMilestone(Stage stage, int node = 0) => Milestones.FirstOrDefault(m => m.Is(stage, node));

    /// <summary>Whether the lead unit's clock is stopped (returned, waiting for the assigner).</summary>
    public bool IsClockSuspended => Status == MatterStatus.Returned;

    /// <summary>Rebuilds the state from the full history.</summary>
    /// <exception cref="InvalidOperationException">The history does not start with an assignment or has gaps.</exception>
    public static MatterState Replay(IEnumerable<MatterEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        MatterState? state = null;
        foreach (var e in events)
        {
            state = state is null ? Start(e) : state.Apply(e);
        }

        return state ?? throw new InvalidOperationException("A matter's history cannot be empty.");
    }

    /// <summary>The state created by the assignment event.</summary>
    public static MatterState Start(MatterEvent assigned)
    {
        ArgumentNullException.ThrowIfNull(assigned);
        if (assigned.Action != MatterAction.Assign || assigned.Sequence != 1)
        {
            throw new InvalidOperationException("A matter's history must start with its assignment as event 1.");
        }

        var d = assigned.Data;
        return new MatterState
        {
            Kind = d.Kind ?? throw Missing(nameof(d.Kind)),
            Status = MatterStatus.Assigned,
            AssignerUnitId = d.AssignerUnitId ?? throw Missing(nameof(d.AssignerUnitId)),
            LeadUnitId = d.LeadUnitId ?? throw Missing(nameof(d.LeadUnitId)),
            CoUnitIds = d.CoUnitIds ?? [],
            Profile = d.Profile ?? throw Missing(nameof(d.Profile)),
            Complex = d.Complex ?? false,
            Milestones = (d.Schedule ?? throw Missing(nameof(d.Schedule))).Select(Milestone.From).ToList(),
            Register = d.Register,
            Cycle = d.Cycle,
            AssignedAt = assigned.At,
            HandlingSince = assigned.At,
            Version = 1,
        };
    }

    /// <summary>The state after one more event.</summary>
    /// <exception cref="InvalidOperationException">The event is out of sequence.</exception>
    public MatterState Apply(MatterEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.Sequence != Version + 1)
        {
            throw new InvalidOperationException($"Event {e.Sequence} cannot follow version {Version}.");
        }

        var next = this with { Version = e.Sequence };
        return e.Action switch
        {
            MatterAction.Assign => throw new InvalidOperationException("A matter is assigned only once."),
            MatterAction.Acknowledge => next.Meet(Stage.Acknowledge, e.At) with { Status = MatterStatus.Acknowledged },
            MatterAction.Return => next with { Status = MatterStatus.Returned },
            MatterAction.Feedback => next.Meet(Stage.Feedback, e.At),
            MatterAction.Complete => next.Meet(Stage.Feedback, e.At).Meet(Stage.Complete, e.At).MeetReports(e.At) with { Status = MatterStatus.Reported },
            MatterAction.Verify when e.Data.Accepted == true => next with { Status = MatterStatus.Verified, VerifiedAt = e.At },
            MatterAction.Verify => next.Unmeet(Stage.Complete).Add(e.Data.Schedule) with { Status = MatterStatus.Acknowledged },
            MatterAction.Rate when e.Data.Satisfaction == Matters.Satisfaction.Dissatisfied => next.Reschedule(e.Data.Schedule) with
            {
                Status = MatterStatus.Acknowledged,
                Satisfaction = Matters.Satisfaction.Dissatisfied,
                DissatisfiedCount = DissatisfiedCount + 1,
                ReopenCount = ReopenCount + 1,
                VerifiedAt = null,
                HandlingSince = e.At,
            },
            MatterAction.Rate => next with { Status = MatterStatus.Rated, Satisfaction = e.Data.Satisfaction ?? throw Missing("Satisfaction") },
            MatterAction.Close => next with { Status = MatterStatus.Closed, ClosedAt = e.At },
            MatterAction.Transfer => next.Reschedule(e.Data.Schedule) with
            {
                Status = MatterStatus.Assigned,
                LeadUnitId = e.Data.LeadUnitId ?? throw Missing(nameof(e.Data.LeadUnitId)),
                CoUnitIds = CoUnitIds.Where(u => u != e.Data.LeadUnitId).ToList(),
                HandlingSince = e.At,
            },
            MatterAction.Extend => next.Extend(e.Data.Schedule),
            MatterAction.Attach => next,
            MatterAction.Plan => next.Add(e.Data.Schedule),
            MatterAction.Meet => next.Meet(e.Data.Stage ?? throw Missing("Stage"), e.Data.Node ?? 0, e.At),
            MatterAction.Progress when e.Data.CoUnitId is not null => next,
            MatterAction.Progress => next.MeetReports(e.At).Add(e.Data.Schedule) with
            {
                Percent = e.Data.Percent ?? throw Missing(nameof(e.Data.Percent)),
            },
            MatterAction.People => next,
            MatterAction.Reopen => next.Reschedule(e.Data.Schedule) with
            {
                Status = MatterStatus.Acknowledged,
                ReopenCount = ReopenCount + 1,
                Satisfaction = null,
                VerifiedAt = null,
                ClosedAt = null,
                HandlingSince = e.At,
            },
        };
    }

    private MatterState Meet(Stage stage, DateTimeOffset at) => Meet(stage, 0, at);

    private MatterState Meet(Stage stage, int node, DateTimeOffset at) =>
        Replace(stage, node, m => m.MetAt is null ? m with { MetAt = at } : m);

    /// <summary>A work item's report due (there is at most one open) is met by a progress report or the completion report.</summary>
    private MatterState MeetReports(DateTimeOffset at) => this with
    {
        Milestones = Milestones.Select(m => m.Stage == Stage.Report && m.MetAt is null ? m with { MetAt = at } : m).ToList(),
    };

    /// <summary>New milestones (a planned node, the next report due) join the schedule.</summary>
    private MatterState Add(IReadOnlyList<ScheduledMilestone>? schedule) => schedule is null or { Count: 0 }
        ? this
        : this with { Milestones = [.. Milestones.Concat(schedule.Select(Milestone.From)).OrderBy(m => m.Stage).ThenBy(m => m.Node)] };

    private MatterState Unmeet(Stage stage) => Replace(stage, 0, m => m with { MetAt = null });

    private MatterState Reschedule(IReadOnlyList<ScheduledMilestone>? schedule)
    {
        var byKey = (schedule ?? throw Missing("Schedule")).ToDictionary(s => (s.Stage, s.Node));
        return this with
        {
            Milestones = Milestones.Select(m => byKey.TryGetValue((m.Stage, m.Node), out var s) ? Milestone.From(s) : m).ToList(),
        };
    }

    /// <summary>Moves deadlines and remembers the first original due instant of each, for on-time statistics.</summary>
    private MatterState Extend(IReadOnlyList<ScheduledMilestone>? schedule)
    {
        var byKey = (schedule ?? throw Missing("Schedule")).ToDictionary(s => (s.Stage, s.Node));
        return this with
        {
            Milestones = Milestones.Select(m => byKey.TryGetValue((m.Stage, m.Node), out var s)
                ? m with { DueAt = s.DueAt, DueSoonAt = s.DueSoonAt, IsProvisional = s.IsProvisional, OriginalDueAt = m.OriginalDueAt ?? m.DueAt }
                : m).ToList(),
        };
    }

    private MatterState Replace(Stage stage, int node, Func<Milestone, Milestone> change) =>
        this with { Milestones = Milestones.Select(m => m.Is(stage, node) ? change(m) : m).ToList() };

    private static InvalidOperationException Missing(string field) => new($"The event lacks {field}.");

    /// <summary>Value equality over the lists too, so a replayed state can be compared with a stored one.</summary>
    public bool Equals(MatterState? other) =>
        other is not null
        && Kind == other.Kind && Status == other.Status && AssignerUnitId == other.AssignerUnitId
        && LeadUnitId == other.LeadUnitId && CoUnitIds.SequenceEqual(other.CoUnitIds) && Profile == other.Profile
        && Complex == other.Complex && Milestones.SequenceEqual(other.Milestones) && AssignedAt == other.AssignedAt
        && HandlingSince == other.HandlingSince
        && Register == other.Register && Cycle == other.Cycle && Percent == other.Percent
        && VerifiedAt == other.VerifiedAt && ClosedAt == other.ClosedAt && Satisfaction == other.Satisfaction
        && DissatisfiedCount == other.DissatisfiedCount && ReopenCount == other.ReopenCount && Version == other.Version;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Status, LeadUnitId, Version, Milestones.Count);
}
