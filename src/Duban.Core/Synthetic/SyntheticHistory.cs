using Duban.Matters;
using Duban.TimeLimits;

namespace Duban.Synthetic;

/// <summary>The units a synthetic history draws lead units from, by level, and the supervision office that assigns.</summary>
/// <param name="Supervisor">The 督查室 acting for the assigning side (assign, transfer, verify, rate, close, extend).</param>
/// <param name="Counties">County governments (县区).</param>
/// <param name="Departments">Departments (部门).</param>
/// <param name="Townships">Townships and streets (乡镇、街道).</param>
/// <param name="Villages">Villages and communities (村、社区).</param>
public sealed record SyntheticUnits(Actor Supervisor, IReadOnlyList<long> Counties, IReadOnlyList<long> Departments,
    IReadOnlyList<long> Townships, IReadOnlyList<long> Villages);

/// <summary>One matter made by <see cref="SyntheticHistory"/>: its kind, channel, events and the state they fold to.</summary>
public sealed record SyntheticMatter(MatterKind Kind, MatterSource Source, IReadOnlyList<MatterEvent> Events, MatterState State);

/// <summary>
/// Plausible matter histories made by the product's own lifecycle (<see cref="MatterLifecycle.Decide"/>), so every
/// event is one the product would have accepted and the state is their fold. The mix: about 60 % appeals (诉求), 25 %
/// assignments (交办), 15 % petitions (信访); most handled on time, some late, a few returned (退回) and transferred
/// (转办), some extended (延期), some sent back by the verifier, appeals rated (a few dissatisfied and redone), and a
/// few stalled at some step so the database holds overdue open matters of every stage. Reproducible from the
/// <see cref="Random"/> given; time comes in as <c>now</c>.
/// </summary>
public static class SyntheticHistory
{
    /// <summary>Notes of the handling side, chosen at random, so histories do not all read alike.</summary>
    private static readonly string[] FeedbackNotes = ["已开展排查", "已约谈相关责任人", "已现场核实情况", "正在协调相关部门", "已制定整改方案"];

    private static readonly string[] CompleteNotes = ["已办结", "问题已解决，已答复诉求人", "已整改到位", "已按要求落实"];

    /// <summary>
    /// A matter assigned at <paramref name="assignedAt"/> with what happened to it up to <paramref name="now"/>.
    /// With <paramref name="fullHistory"/> no matter stalls, so all but the newest end closed (the review bench's
    /// three years of finished work).
    /// </summary>
    public static SyntheticMatter Build(Random random, MatterLifecycle lifecycle, SyntheticUnits units, DateTimeOffset assignedAt,
        DateTimeOffset now, bool fullHistory = false)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(lifecycle);
        ArgumentNullException.ThrowIfNull(units);
        var pool = random.NextDouble() switch
        {
            < 0.15 => units.Counties,
            < 0.45 => units.Departments,
            < 0.85 => units.Townships,
            _ => units.Villages,
        };
        var lead = pool[random.Next(pool.Count)];
        var kind = random.NextDouble() switch { < 0.6 => MatterKind.Appeal, < 0.85 => MatterKind.Assignment, _ => MatterKind.Petition };
        var source = kind switch
        {
            MatterKind.Appeal => random.NextDouble() switch { < 0.55 => MatterSource.Hotline, < 0.85 => MatterSource.Web, < 0.95 => MatterSource.Offline, _ => MatterSource.Visit },
            MatterKind.Assignment => random.NextDouble() < 0.7 ? MatterSource.Meeting : MatterSource.Instruction,
            _ => MatterSource.Offline,
        };
        IReadOnlyList<long> coUnits = kind == MatterKind.Assignment && random.NextDouble() < 0.3
            ? [.. Enumerable.Range(0, 1 + random.Next(2)).Select(_ => units.Departments[random.Next(units.Departments.Count)]).Where(u => u != lead).Distinct()]
            : [];
        var supervisor = units.Supervisor;
        var command = new AssignCommand(kind, supervisor.UnitId, lead, coUnits, TimeLimitProfile.DefaultName, random.NextDouble() < 0.1, null);
        var assigned = lifecycle.Assign(command, supervisor, assignedAt);
        var history = new List<MatterEvent> { assigned };
        var state = MatterState.Start(assigned);
        var at = assignedAt;
        // A stalled matter stops after this many steps: the unit never acknowledges, never reports, or waits on review.
        var stallAfter = !fullHistory && random.NextDouble() < 0.03 ? random.Next(4) : int.MaxValue;
        Actor Handler() => new("synthetic:承办", "承办人", state.LeadUnitId, new HashSet<Role> { Role.Handler });
        bool Do(MatterCommand c, Actor actor, double hours)
        {
            at = at.AddHours(hours);
            if (at > now || history.Count > stallAfter)
            {
                return false;
            }

            try
            {
                var e = lifecycle.Decide(state, c, actor, at, AnyTree.Instance);
                history.Add(e);
                state = state.Apply(e);
                return true;
            }
            catch (DomainException)
            {
                return false;
            }
        }

        var ok = true;
        var detour = random.NextDouble();
        if (detour < 0.02)
        {
            ok = Do(new MatterCommand(MatterAction.Return) { Note = "不属于本单位职责" }, Handler(), random.NextDouble() * 8)
                && Do(new MatterCommand(MatterAction.Transfer) { Note = "改派", TargetUnitId = units.Townships[random.Next(units.Townships.Count)] }, supervisor, 4 + random.NextDouble() * 20);
        }
        else if (detour < 0.05)
        {
            ok = Do(new MatterCommand(MatterAction.Transfer) { Note = "改派", TargetUnitId = units.Departments[random.Next(units.Departments.Count)] }, supervisor, random.NextDouble() * 40);
        }

        ok = ok && Do(new MatterCommand(MatterAction.Acknowledge), Handler(), random.NextDouble() < 0.85 ? random.NextDouble() * 20 : 24 + random.NextDouble() * 100);
        if (ok && random.NextDouble() < 0.6)
        {
            ok = Do(new MatterCommand(MatterAction.Feedback) { Note = FeedbackNotes[random.Next(FeedbackNotes.Length)] }, Handler(), 12 + random.NextDouble() * 48);
        }

        if (ok && random.NextDouble() < 0.04 && state.FindMilestone(Stage.Complete, 0) is { MetAt: null } due)
        {
            // 延期: asked early and approved by the office; a refused one (too late to ask) is simply not recorded.
            Do(new MatterCommand(MatterAction.Extend) { Stage = Stage.Complete, NewDueAt = due.DueAt.AddDays(7 + random.Next(24)), Note = "需协调多个部门，申请延期" },
                supervisor, 1 + random.NextDouble() * 4);
        }

        ok = ok && Do(new MatterCommand(MatterAction.Complete) { Note = CompleteNotes[random.Next(CompleteNotes.Length)] }, Handler(),
            24 + random.NextDouble() * (random.NextDouble() < 0.85 ? 150 : 500));
        if (ok && random.NextDouble() < 0.08)
        {
            ok = Do(new MatterCommand(MatterAction.Verify) { Accepted = false, Note = "材料不全" }, supervisor, 2 + random.NextDouble() * 30)
                && Do(new MatterCommand(MatterAction.Complete) { Note = "补充完善" }, Handler(), 24 + random.NextDouble() * 100);
        }

        ok = ok && Do(new MatterCommand(MatterAction.Verify) { Accepted = true }, supervisor, 2 + random.NextDouble() * 30);
        if (ok && kind is MatterKind.Appeal or MatterKind.Petition)
        {
            var rating = random.NextDouble() switch { < 0.8 => Satisfaction.Satisfied, < 0.92 => Satisfaction.Basically, _ => Satisfaction.Dissatisfied };
            ok = Do(new MatterCommand(MatterAction.Rate) { Satisfaction = rating }, supervisor, 2 + random.NextDouble() * 60);
            if (ok && rating == Satisfaction.Dissatisfied)
            {
                ok = Do(new MatterCommand(MatterAction.Complete) { Note = "再次整改" }, Handler(), 24 + random.NextDouble() * 150)
                    && Do(new MatterCommand(MatterAction.Verify) { Accepted = true }, supervisor, 2 + random.NextDouble() * 30)
                    && Do(new MatterCommand(MatterAction.Rate) { Satisfaction = Satisfaction.Basically }, supervisor, 2 + random.NextDouble() * 30);
            }
        }

        _ = ok && Do(new MatterCommand(MatterAction.Close), supervisor, 1 + random.NextDouble() * 10);
        return new SyntheticMatter(kind, source, history, state);
    }

    /// <summary>Every unit under the city: the office may act on all of them.</summary>
    private sealed class AnyTree : IUnitTree
    {
        public static AnyTree Instance { get; } = new();

        public bool IsWithin(long unitId, long ancestorId) => true;

        public long GovernmentOf(long unitId) => unitId;
    }
}
