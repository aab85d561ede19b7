using System.Linq.Expressions;
using Duban.Escalation;
using Duban.Matters;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

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

    /// <summary>Only matters naming this person: a user id, or a name (<see cref="PersonQueries.Names"/>).</summary>
    public string? Person { get; init; }

    /// <summary>Only matters tagged with this campaign (专项行动).</summary>
    public long? Campaign { get; init; }

    /// <summary>Earliest due first instead of newest first.</summary>
    public bool ByDue { get; init; }

    public int Page { get; init; } = 1;
    public int PageSize { get; init; } = 20;

    public const int MaxPageSize = 200;
}

/// <summary>One page of matters and how many match in all.</summary>
public sealed record MatterPage(IReadOnlyList<MatterSummary> Items, int Total, int Page, int PageSize);

/// <summary>Reading matters, limited to what the reader may see.</summary>
public sealed class MatterQueries(DubanDbContext db, Rules rules, TimeProvider clock)
{
    /// <exception cref="NotFoundException">No such matter, or the reader may not see it.</exception>
    public async Task<MatterDetails> GetAsync(long id, Actor actor, CancellationToken cancellationToken = default)
    {
        var (matter, state, tree) = await VisibleMatters.LoadAsync(db, id, actor, cancellationToken, include: q => q.AsSplitQuery()
            .Include(m => m.CoUnits).ThenInclude(c => c.Unit)
            .Include(m => m.Events.OrderBy(e => e.Sequence))
            .Include(m => m.LeadUnit).Include(m => m.AssignerUnit));
        var actorUnitIds = matter.Events.Select(e => e.ActorUnitId).Distinct().ToList();
        var actorUnits = await db.Units.AsNoTracking().Where(u => actorUnitIds.Contains(u.Id))
            .ToDictionaryAsync(u => u.Id, ViewMapping.Ref, cancellationToken);
        var now = clock.GetUtcNow();
        var milestones = ViewMapping.Milestones(matter, state, now);
        // 催办/督办 by hand: their records (index on matter and time), shown in the history with their text.
        var urges = (await db.Escalations.AsNoTracking()
                .Where(r => r.MatterId == id && r.Manual && (r.Kind == EscalationKind.Urge || r.Kind == EscalationKind.Supervise))
                .OrderBy(r => r.At).ThenBy(r => r.Id).ToListAsync(cancellationToken))
            .Select(r => new UrgeView(Calendar.ChinaTime.ToLocal(r.At), r.Kind, r.Level,
                r.Kind == EscalationKind.Urge ? "催办" : r.Level is { } level && level != SupervisionLevel.None ? Labels.Of(level) : "督办",
                r.ActorName, r.Message)).ToList();
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
            rules.Lifecycle().AllowedActions(state, actor, now, tree), urges);
    }

    /// <summary>A page of the matters the reader may see: newest first, or, for overdue and due-before lists,
    /// the earliest due first.</summary>
    public async Task<MatterPage> ListAsync(MatterFilter filter, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(actor);
        var now = clock.GetUtcNow();
        var query = await VisibleMatters.QueryAsync(db, actor, cancellationToken);
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
            query = query.Where(MatterConditions.Overdue(now));
        }

        if (filter.DueBefore is { } dueBefore)
        {
            query = query.Where(m => m.NextDueAt != null && m.NextDueAt < dueBefore);
        }

        if (filter.Attention)
        {
            Expression<Func<Matter, bool>> open = m => m.Status != MatterStatus.Closed;
            query = query.Where(open.And(MatterConditions.Overdue(now).Or(m => m.SupervisionLevel != Duban.Escalation.SupervisionLevel.None
                || m.Milestones.Any(x => x.MetAt == null && x.EscalatedKinds != 0 && x.EscalatedForDueAt == x.DueAt))));
        }

        if (filter.Ids is { } only)
        {
            query = query.Where(m => only.Contains(m.Id));
        }

        if (!string.IsNullOrWhiteSpace(filter.Person))
        {
            query = query.Where(PersonQueries.Names(db, filter.Person));
        }

        if (filter.Campaign is { } campaign)
        {
            query = query.Where(m => db.MatterCampaigns.Any(t => t.MatterId == m.Id && t.CampaignId == campaign));
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
        var query = await VisibleMatters.QueryAsync(db, actor, cancellationToken);

        // One pass over the visible matters for all six tabs (the visibility filter is the costly part): a 0/1 flag
        // per tab from the same condition the tab's list uses, summed.
        var matter = Expression.Parameter(typeof(Matter), "m");
        var flags = Expression.MemberInit(Expression.New(typeof(TabFlags)), Enum.GetValues<InboxTab>().Select(tab =>
        {
            var body = MatterConditions.Inline(InTab(tab, now), matter);
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
        InboxTab.Overdue => MatterConditions.Overdue(now),
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

    private static DateTimeOffset? Local(DateTimeOffset? instant) => instant is { } i ? Calendar.ChinaTime.ToLocal(i) : null;
}
