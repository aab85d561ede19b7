using System.Linq.Expressions;
using Duban.Matters;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Matters;

/// <summary>Filters for the matter list; all optional.</summary>
public sealed record MatterFilter
{
    /// <summary>Lead unit code.</summary>
    public string? Unit { get; init; }
    public MatterStatus? Status { get; init; }
    public MatterKind? Kind { get; init; }

    /// <summary>Only matters with an unmet milestone past due (clock running).</summary>
    public bool Overdue { get; init; }

    /// <summary>Only matters whose next unmet milestone falls due before this instant.</summary>
    public DateTimeOffset? DueBefore { get; init; }

    /// <summary>One tab of the work list (工作台).</summary>
    public InboxTab? Tab { get; init; }

    /// <summary>Only open matters that need the supervision office's eye: overdue, escalated (a rung recorded
    /// for the current deadline) or under 督办.</summary>
    public bool Attention { get; init; }

    /// <summary>Only these matters (still limited to what the reader may see).</summary>
    public IReadOnlyList<long>? Ids { get; init; }

    /// <summary>Earliest due first instead of newest first.</summary>
    public bool ByDue { get; init; }

    public int Page { get; init; } = 1;
    public int PageSize { get; init; } = 20;

    public const int MaxPageSize = 200;
}

/// <summary>The tabs of the work list (工作台), each a question a unit asks every morning.</summary>
public enum InboxTab
{
    /// <summary>待签收: assigned, not yet acknowledged.</summary>
    Unacknowledged,

    /// <summary>办理中: acknowledged, being worked on.</summary>
    InProgress,

    /// <summary>临期: a deadline's warning window is open and nothing is overdue yet.</summary>
    DueSoon,

    /// <summary>超期: an unmet deadline has passed while the clock runs.</summary>
    Overdue,

    /// <summary>待审核: completion reported, waiting for verification.</summary>
    Reported,

    /// <summary>已办结: verified, rated or closed.</summary>
    Done,
}

/// <summary>One page of matters and how many match in all.</summary>
public sealed record MatterPage(IReadOnlyList<MatterSummary> Items, int Total, int Page, int PageSize);

/// <summary>Reading matters, limited to what the reader may see.</summary>
public sealed class MatterQueries(DubanDbContext db, Rules rules, TimeProvider clock)
{
    /// <exception cref="NotFoundException">No such matter, or the reader may not see it.</exception>
    public async Task<MatterDetails> GetAsync(long id, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var matter = await db.Matters.AsNoTracking().AsSplitQuery()
            .Include(m => m.CoUnits).ThenInclude(c => c.Unit)
            .Include(m => m.Milestones)
            .Include(m => m.Events.OrderBy(e => e.Sequence))
            .Include(m => m.LeadUnit).Include(m => m.AssignerUnit)
            .SingleOrDefaultAsync(m => m.Id == id, cancellationToken)
            ?? throw new NotFoundException($"事项 {id} 不存在。");
        var state = matter.ToState();
        var tree = await UnitTree.LoadAsync(db, [actor.UnitId, state.AssignerUnitId, state.LeadUnitId, .. state.CoUnitIds], cancellationToken);
        if (!AccessRules.CanSee(actor, state, tree))
        {
            throw new NotFoundException($"事项 {id} 不存在。");
        }

        var actorUnitIds = matter.Events.Select(e => e.ActorUnitId).Distinct().ToList();
        var actorUnits = await db.Units.AsNoTracking().Where(u => actorUnitIds.Contains(u.Id))
            .ToDictionaryAsync(u => u.Id, ViewMapping.Ref, cancellationToken);
        var now = clock.GetUtcNow();
        var milestones = ViewMapping.Milestones(matter, state, now);
        return new MatterDetails(matter.Id, matter.Code, matter.Title, matter.Content, matter.Kind, matter.Source,
            matter.Goal, matter.Standard, ViewMapping.Ref(matter.AssignerUnit!), ViewMapping.Ref(matter.LeadUnit!),
            matter.CoUnits.OrderBy(c => c.Position).Select(c => ViewMapping.Ref(c.Unit!)).ToList(),
            matter.Profile, matter.Complex, matter.Status, Labels.Of(matter.Status), Calendar.ChinaTime.ToLocal(matter.AssignedAt),
            Local(matter.VerifiedAt), Local(matter.ClosedAt), matter.Satisfaction, matter.ReopenCount, matter.Version,
            ViewMapping.IsOverdue(state, now), ViewMapping.Escalation(milestones), matter.SupervisionLevel,
            state.Milestones.Any(m => m.IsProvisional), milestones,
            matter.Events.OrderBy(e => e.Sequence).Select(e => new EventView(e.Sequence, e.Action, Labels.Of(e.Action),
                Calendar.ChinaTime.ToLocal(e.At), e.ActorId, e.ActorName, actorUnits.GetValueOrDefault(e.ActorUnitId), e.Note,
                EventJson.Deserialize(e.Data))).ToList(),
            rules.Lifecycle().AllowedActions(state, actor, now, tree));
    }

    /// <summary>A page of the matters the reader may see: newest first, or, for overdue and due-before lists,
    /// the earliest due first.</summary>
    public async Task<MatterPage> ListAsync(MatterFilter filter, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(actor);
        var now = clock.GetUtcNow();
        var query = await VisibleToAsync(db, actor, cancellationToken);
        if (!string.IsNullOrWhiteSpace(filter.Unit))
        {
            var code = filter.Unit.Trim();
            query = query.Where(m => m.LeadUnit!.Code == code);
        }

        if (filter.Status is { } status)
        {
            query = query.Where(m => m.Status == status);
        }

        if (filter.Kind is { } kind)
        {
            query = query.Where(m => m.Kind == kind);
        }

        if (filter.Overdue)
        {
            query = query.Where(m => m.NextDueAt != null && m.NextDueAt < now);
        }

        if (filter.DueBefore is { } dueBefore)
        {
            query = query.Where(m => m.NextDueAt != null && m.NextDueAt < dueBefore);
        }

        if (filter.Attention)
        {
            query = query.Where(m => m.Status != MatterStatus.Closed && ((m.NextDueAt != null && m.NextDueAt < now)
                || m.SupervisionLevel != Duban.Escalation.SupervisionLevel.None
                || m.Milestones.Any(x => x.MetAt == null && x.EscalatedKinds != 0 && x.EscalatedForDueAt == x.DueAt)));
        }

        if (filter.Ids is { } only)
        {
            query = query.Where(m => only.Contains(m.Id));
        }

        if (filter.Tab is { } tab)
        {
            query = query.Where(InTab(tab, now));
        }

        var total = await query.CountAsync(cancellationToken);

        // Most urgent first when asking what is due; newest first otherwise. Both follow an index.
        var ordered = filter.Overdue || filter.DueBefore is not null || filter.ByDue || filter.Attention
            ? query.OrderBy(m => m.NextDueAt).ThenBy(m => m.Id)
            : query.OrderByDescending(m => m.Id);

        // The page's ids once, then the rows with their milestones and co-units by id: the paged query is not
        // repeated for each included collection.
        var ids = await ordered.Skip((filter.Page - 1) * filter.PageSize).Take(filter.PageSize)
            .Select(m => m.Id).ToListAsync(cancellationToken);
        var loaded = await db.Matters.Where(m => ids.Contains(m.Id))
            .Include(m => m.LeadUnit).Include(m => m.Milestones).Include(m => m.CoUnits)
            .AsNoTracking().AsSplitQuery().ToDictionaryAsync(m => m.Id, cancellationToken);
        var rows = ids.Select(id => loaded[id]).ToList();
        var items = rows.Select(m =>
        {
            var state = m.ToState();
            var milestones = ViewMapping.Milestones(m, state, now);
            return new MatterSummary(m.Id, m.Code, m.Title, m.Kind, m.Status, Labels.Of(m.Status), ViewMapping.Ref(m.LeadUnit!),
                Calendar.ChinaTime.ToLocal(m.AssignedAt), Local(m.NextDueAt), ViewMapping.IsOverdue(state, now),
                ViewMapping.Escalation(milestones), m.Version, milestones);
        }).ToList();
        return new MatterPage(items, total, filter.Page, filter.PageSize);
    }

    /// <summary>How many visible matters each tab of the work list holds.</summary>
    public async Task<IReadOnlyDictionary<InboxTab, int>> TabCountsAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var now = clock.GetUtcNow();
        var query = await VisibleToAsync(db, actor, cancellationToken);

        // One pass over the visible matters for all six tabs (the visibility filter is the costly part): a 0/1 flag
        // per tab from the same condition the tab's list uses, summed.
        var matter = Expression.Parameter(typeof(Matter), "m");
        var flags = Expression.MemberInit(Expression.New(typeof(TabFlags)), Enum.GetValues<InboxTab>().Select(tab =>
        {
            var condition = InTab(tab, now);
            var body = new ParameterSwap(condition.Parameters[0], matter).Visit(condition.Body);
            return Expression.Bind(typeof(TabFlags).GetProperty(tab.ToString())!, Expression.Condition(body, Expression.Constant(1), Expression.Constant(0)));
        }));
        var sums = await query.Select(Expression.Lambda<Func<Matter, TabFlags>>(flags, matter))
            .GroupBy(_ => 1)
            .Select(g => new TabFlags
            {
                Unacknowledged = g.Sum(x => x.Unacknowledged),
                InProgress = g.Sum(x => x.InProgress),
                DueSoon = g.Sum(x => x.DueSoon),
                Overdue = g.Sum(x => x.Overdue),
                Reported = g.Sum(x => x.Reported),
                Done = g.Sum(x => x.Done),
            })
            .SingleOrDefaultAsync(cancellationToken) ?? new TabFlags();
        return Enum.GetValues<InboxTab>().ToDictionary(t => t, t => (int)typeof(TabFlags).GetProperty(t.ToString())!.GetValue(sums)!);
    }

    /// <summary>Which matters a tab of the work list holds.</summary>
    private static Expression<Func<Matter, bool>> InTab(InboxTab tab, DateTimeOffset now) => tab switch
    {
        InboxTab.Unacknowledged => m => m.Status == MatterStatus.Assigned,
        InboxTab.InProgress => m => m.Status == MatterStatus.Acknowledged,
        InboxTab.DueSoon => m => m.NextDueAt != null && m.NextDueAt >= now && m.Milestones.Any(x => x.MetAt == null && x.DueSoonAt <= now),
        InboxTab.Overdue => m => m.NextDueAt != null && m.NextDueAt < now,
        InboxTab.Reported => m => m.Status == MatterStatus.Reported,
        InboxTab.Done => m => m.Status == MatterStatus.Verified || m.Status == MatterStatus.Rated || m.Status == MatterStatus.Closed,
    };

    /// <summary>A flag, then a count, per <see cref="InboxTab"/>: the properties are named after the tabs.</summary>
    private sealed class TabFlags
    {
        public int Unacknowledged { get; init; }
        public int InProgress { get; init; }
        public int DueSoon { get; init; }
        public int Overdue { get; init; }
        public int Reported { get; init; }
        public int Done { get; init; }
    }

    /// <summary>Puts one lambda's parameter in place of another's, to reuse a condition's body in a larger lambda.</summary>
    private sealed class ParameterSwap(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }

    /// <summary>The matters the actor may see, as a query: the same rule as <see cref="AccessRules.CanSee"/>.</summary>
    public static async Task<IQueryable<Matter>> VisibleToAsync(DubanDbContext db, Actor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(actor);
        var matters = db.Matters.AsQueryable();
        if (actor.Has(Role.Admin))
        {
            return matters;
        }

        var unitId = actor.UnitId;
        var tree = await UnitTree.LoadAsync(db, [unitId], cancellationToken);
        var scope = tree.OversightPath(actor);
        return scope is null
            ? matters.Where(m => m.LeadUnitId == unitId || m.AssignerUnitId == unitId || m.CoUnits.Any(c => c.UnitId == unitId))
            : matters.Where(m => m.LeadUnitId == unitId || m.AssignerUnitId == unitId || m.CoUnits.Any(c => c.UnitId == unitId)
                || m.LeadUnit!.Path.StartsWith(scope) || m.AssignerUnit!.Path.StartsWith(scope));
    }

    private static DateTimeOffset? Local(DateTimeOffset? instant) => instant is { } i ? Calendar.ChinaTime.ToLocal(i) : null;
}
