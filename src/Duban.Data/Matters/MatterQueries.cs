using System.Linq.Expressions;
using System.Reflection;
using Duban.Escalation;
using Duban.Matters;
using Duban.Text;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>Filters for the matter list; all optional. The work list (工作台), the API's <c>GET /api/matters</c> and the
/// Excel export read the same filter.</summary>
public sealed record MatterFilter
{
    /// <summary>Lead unit code.</summary>
    public string? Unit { get; init; }
    public MatterStatus? Status { get; init; }
    public MatterKind? Kind { get; init; }

    /// <summary>来源.</summary>
    public MatterSource? Source { get; init; }

    /// <summary>A word in the title, the content or the code (编号, any case).</summary>
    public string? Keyword { get; init; }

    /// <summary>Assigned on or after this day (Beijing time).</summary>
    public DateOnly? AssignedFrom { get; init; }

    /// <summary>Assigned on or before this day (Beijing time).</summary>
    public DateOnly? AssignedTo { get; init; }

    /// <summary>Only matters with an unmet milestone past due (clock running).</summary>
    public bool Overdue { get; init; }

    /// <summary>Only matters whose next unmet milestone falls due before this instant.</summary>
    public DateTimeOffset? DueBefore { get; init; }

    /// <summary>One tab of the work list (工作台).</summary>
    public InboxTab? Tab { get; init; }

    /// <summary>Only matters that need the supervision office's eye: open and overdue, escalated (a rung recorded
    /// for the current deadline) or under 督办, and those returned (退回) by their unit to be routed again.</summary>
    public bool Attention { get; init; }

    /// <summary>Only these matters (still limited to what the reader may see).</summary>
    public IReadOnlyList<long>? Ids { get; init; }

    /// <summary>Only matters naming this person: a user id, or a name (<see cref="PersonQueries.Names"/>).</summary>
    public string? Person { get; init; }

    /// <summary>Only matters tagged with this campaign (专项行动).</summary>
    public long? Campaign { get; init; }

    /// <summary>Earliest due first instead of newest first (when <see cref="Sort"/> is not given).</summary>
    public bool ByDue { get; init; }

    /// <summary>The order of the list; null: earliest due for due and attention lists and with <see cref="ByDue"/>,
    /// newest first otherwise.</summary>
    public MatterSort? Sort { get; init; }

    /// <summary>Reverse <see cref="Sort"/>.</summary>
    public bool Descending { get; init; }

    public int Page { get; init; } = 1;
    public int PageSize { get; init; } = 20;

    /// <summary>Continue after this row (<see cref="MatterPage.Next"/>) rather than skip <see cref="Page"/>'s rows
    /// before: keyset, so a deep page costs what the first does. For the id and due orders; ignored by the others.</summary>
    public MatterKey? After { get; init; }

    public const int MaxPageSize = 200;

    /// <summary>Longest keyword, in characters.</summary>
    public const int MaxKeyword = 100;

    /// <summary>Whether anything beyond the tab, the order and the page narrows the list (the work list says so).</summary>
    public bool Narrowed => !string.IsNullOrWhiteSpace(Unit) || Status is not null || Kind is not null || Source is not null
        || !string.IsNullOrWhiteSpace(Keyword) || AssignedFrom is not null || AssignedTo is not null || !string.IsNullOrWhiteSpace(Person)
        || Campaign is not null;

    /// <summary>Whether the filter keeps every matter the reader may see (its tab, order and page aside).</summary>
    public bool KeepsAll => !Narrowed && !Overdue && DueBefore is null && !Attention && Ids is null;
}

/// <summary>A column the matter list can be ordered by.</summary>
public enum MatterSort
{
    /// <summary>Newest first (by id).</summary>
    Newest,

    /// <summary>下一期限: the earliest next deadline first; matters with none last.</summary>
    Due,

    /// <summary>交办时间.</summary>
    Assigned,

    /// <summary>编号.</summary>
    Code,
}

/// <summary>A row's place in the id and due orders: its id and, in the due order, its next deadline (null: among
/// those without one, which follow by id).</summary>
public sealed record MatterKey(long Id, DateTimeOffset? Due = null);

/// <summary>One page of matters and how many match in all.</summary>
public sealed record MatterPage(IReadOnlyList<MatterSummary> Items, int Total, int Page, int PageSize)
{
    /// <summary>The count stopped at <see cref="Total"/> (<see cref="MatterQueries.CountCap"/> or just past this
    /// page): at least that many match.</summary>
    public bool TotalIsLowerBound { get; init; }

    /// <summary>Another page follows.</summary>
    public bool HasMore { get; init; }

    /// <summary>The last row's key, for <see cref="MatterFilter.After"/>, when another page follows in an order that
    /// takes one (id, due).</summary>
    public MatterKey? Next { get; init; }
}

/// <summary>Reading matters, limited to what the reader may see.</summary>
public sealed class MatterQueries(DubanDbContext db, Rules rules, TimeProvider clock)
{
    /// <summary>Counts stop here (shown as 1万+): beyond it an exact figure costs a read of every matching row of a
    /// million-matter table, and says nothing a reader acts on. Exact totals are the reviews' (讲评) work.</summary>
    public const int CountCap = 10_000;

    /// <exception cref="NotFoundException">No such matter, or the reader may not see it.</exception>
    public async Task<MatterDetails> GetAsync(long id, Actor actor, CancellationToken cancellationToken = default)
    {
        var (matter, state, tree) = await VisibleMatters.LoadAsync(db, id, actor, cancellationToken, include: q => q.AsSplitQuery()
            .Include(m => m.CoUnits).ThenInclude(c => c.Unit)
            .Include(m => m.Events.OrderBy(e => e.Sequence))
            .Include(m => m.LeadUnit).Include(m => m.AssignerUnit));
        // Who acted is mostly the lead unit, a co-unit or the assigner, loaded already: only the others are read.
        var actorUnits = new[] { matter.LeadUnit!, matter.AssignerUnit! }.Concat(matter.CoUnits.Select(c => c.Unit!))
            .DistinctBy(u => u.Id).ToDictionary(u => u.Id, ViewMapping.Ref);
        var otherUnitIds = matter.Events.Select(e => e.ActorUnitId).Where(id => !actorUnits.ContainsKey(id)).Distinct().ToList();
        if (otherUnitIds.Count > 0)
        {
            foreach (var unit in await db.Units.AsNoTracking().Where(u => otherUnitIds.Contains(u.Id)).ToListAsync(cancellationToken))
            {
                actorUnits[unit.Id] = ViewMapping.Ref(unit);
            }
        }
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
    /// the earliest due first, or in the order the filter asks.</summary>
    /// <param name="filter">What to list.</param>
    /// <param name="actor">Who reads.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <param name="knownTotal">The count of what the filter keeps, when the caller has it already (the work list's
    /// tab counts, <see cref="TabCountsAsync"/>, for the same filter and tab; a count at <see cref="CountCap"/> is a
    /// lower bound): not counted again.</param>
    public async Task<MatterPage> ListAsync(MatterFilter filter, Actor actor, CancellationToken cancellationToken = default, int? knownTotal = null)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(actor);
        var now = clock.GetUtcNow();
        var query = await QueryAsync(filter, actor, cancellationToken, ownInParts: true);
        var sort = SortOf(filter);
        var after = sort is MatterSort.Newest or MatterSort.Due ? filter.After : null;
        var skip = after is null ? (filter.Page - 1) * filter.PageSize : 0;

        // Counted up to the cap, or far enough past this page to know its number (a keyset page knows it from the link).
        var cap = after is null ? Math.Max(CountCap, skip + filter.PageSize + 1) : CountCap;
        var total = knownTotal is { } known && (known < CountCap || cap == CountCap) ? known : await CountUpToAsync(query, cap, cancellationToken);

        // The page's ids once (and one more, to know whether another page follows), then the rows with their
        // milestones and co-units by id: the paged query is not repeated for each included collection.
        var ids = await PageIdsAsync(query, sort, filter.Descending, after, skip, filter.PageSize + 1, total < cap ? total : null, cancellationToken);
        var more = ids.Count > filter.PageSize;
        if (more)
        {
            ids.RemoveAt(filter.PageSize);
        }

        // The ids as one parameter (a JSON array on SQLite, an array on PostgreSQL): as one parameter each, the
        // commands were each built again for every page (their SQL null checks ran per request). The milestones and
        // co-units are read by their matter ids, not by EF's split query, which joined the matters again for each
        // collection: twice the index look-ups (on PostgreSQL at 1M, the board's 100 rows' milestones 2.1 → ~1 ms).
        var loaded = await db.Matters.Where(m => EF.Parameter(ids).Contains(m.Id)).Include(m => m.LeadUnit)
            .AsNoTracking().ToDictionaryAsync(m => m.Id, cancellationToken);
        foreach (var milestone in await db.Milestones.AsNoTracking().Where(x => EF.Parameter(ids).Contains(x.MatterId)).ToListAsync(cancellationToken))
        {
            loaded[milestone.MatterId].Milestones.Add(milestone);
        }

        foreach (var coUnit in await db.MatterCoUnits.AsNoTracking().Where(x => EF.Parameter(ids).Contains(x.MatterId)).ToListAsync(cancellationToken))
        {
            loaded[coUnit.MatterId].CoUnits.Add(coUnit);
        }

        var rows = ids.Select(id => loaded[id]).ToList();

        // Whether the reader may acknowledge each row, as the lifecycle decides it (for the work list's 签收所选事项).
        var tree = await UnitTree.LoadAsync(db, rows.SelectMany(m => m.CoUnits.Select(c => c.UnitId).Append(m.LeadUnitId).Append(m.AssignerUnitId))
            .Append(actor.UnitId), cancellationToken);
        var lifecycle = rules.Lifecycle();
        var items = rows.Select(m =>
        {
            var state = m.ToState();
            var milestones = ViewMapping.Milestones(m, state, now);
            return new MatterSummary(m.Id, m.Code, m.Title, m.Kind, m.Status, Labels.Of(m.Status), ViewMapping.Ref(m.LeadUnit!),
                Calendar.ChinaTime.ToLocal(m.AssignedAt), Local(m.NextDueAt), ViewMapping.IsOverdue(state, now),
                ViewMapping.Escalation(milestones), m.Version, milestones)
            {
                MayAcknowledge = lifecycle.Allows(MatterAction.Acknowledge, state, actor, now, tree),
            };
        }).ToList();
        return new MatterPage(items, total, filter.Page, filter.PageSize)
        {
            TotalIsLowerBound = total >= cap,
            HasMore = more,
            Next = more && (sort is MatterSort.Newest or MatterSort.Due) && rows.Count > 0
                ? new MatterKey(rows[^1].Id, sort == MatterSort.Due ? rows[^1].NextDueAt : null)
                : null,
        };
    }

    /// <summary>The list's order: the filter's, or earliest due for due and attention lists, newest first otherwise.</summary>
    private static MatterSort SortOf(MatterFilter filter) =>
        filter.Sort ?? (filter.Overdue || filter.DueBefore is not null || filter.ByDue || filter.Attention ? MatterSort.Due : MatterSort.Newest);

    /// <summary>How many rows the query holds, reading no more than <paramref name="cap"/> of them.</summary>
    private static Task<int> CountUpToAsync(IQueryable<Matter> query, int cap, CancellationToken cancellationToken) =>
        query.Select(m => m.Id).Take(cap).CountAsync(cancellationToken);

    /// <summary>The matters the reader may see that the filter keeps (all of it but the order and the page), as a
    /// query: the list, its count and the Excel export read it.</summary>
    public Task<IQueryable<Matter>> QueryAsync(MatterFilter filter, Actor actor, CancellationToken cancellationToken = default) =>
        QueryAsync(filter, actor, cancellationToken, ownInParts: false);

    /// <summary><see cref="QueryAsync(MatterFilter, Actor, CancellationToken)"/>; with <paramref name="ownInParts"/> a
    /// unit's own matters as <see cref="VisibleMatters.OwnParts"/>, for the list's page ids and count, whose shape is
    /// known; the export's query keeps the ids, which any shape composes with.</summary>
    private async Task<IQueryable<Matter>> QueryAsync(MatterFilter filter, Actor actor, CancellationToken cancellationToken, bool ownInParts)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(actor);
        var now = clock.GetUtcNow();
        var (visible, reach) = await VisibleMatters.ReachAsync(db, actor, cancellationToken);
        if (ownInParts && reach == Reach.Own)
        {
            visible = VisibleMatters.OwnParts(db, actor.UnitId);
        }

        var (query, _) = await NarrowAsync(visible, filter, now, cancellationToken);
        if (filter.Tab is { } tab)
        {
            query = query.Where(InTab(tab, now));
        }

        return query;
    }

    /// <summary>What the keyword index said of the last keyword narrowed by (this is a request's service).</summary>
    private (string Word, IReadOnlyList<long>? Candidates, bool Common, bool Unindexed)? lastSearch;

    /// <summary>Every status but 已销号, as a list an index can look up (a "not closed" test cannot use one).</summary>
    private static readonly MatterStatus[] Open = [.. Enum.GetValues<MatterStatus>().Where(s => s != MatterStatus.Closed)];

    /// <summary>督办 levels, as a list an index can look up (a "not none" test cannot use one).</summary>
    private static readonly SupervisionLevel[] Supervised = [.. Enum.GetValues<SupervisionLevel>().Where(l => l != SupervisionLevel.None)];

    /// <summary>Every condition of the filter but the tab.</summary>
    /// <returns>The narrowed query, and whether its keyword is a common one (the index found at least
    /// <see cref="SearchTerms.CommonFrom"/> matters holding its pairs).</returns>
    private async Task<(IQueryable<Matter> Query, bool CommonKeyword)> NarrowAsync(IQueryable<Matter> query, MatterFilter filter, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var commonKeyword = false;
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

        if (filter.Source is { } source)
        {
            query = query.Where(m => m.Source == source);
        }

        if (!string.IsNullOrWhiteSpace(filter.Keyword))
        {
            // A substring anywhere. The keyword index narrows the rows to those holding every pair of characters of
            // the keyword (MatterSearch); the substring test then keeps the ones that hold it. Codes are stored in
            // upper case (DB-2024-000001).
            var word = filter.Keyword.Trim();
            var upper = word.ToUpperInvariant();
            // The work list narrows twice (its tab counts, then its page): the index is asked once per keyword.
            if (lastSearch?.Word != word)
            {
                // Common from a number of matters that grows with the table (SearchTerms.CommonFrom): the highest id
                // stands for the count, read from the key's index at once.
                var many = SearchTerms.CommonFrom(await db.Matters.MaxAsync(m => (long?)m.Id, cancellationToken) ?? 0, CountCap);
                var (found, isCommon, unindexed) = await MatterSearch.FindAsync(db, word, many, cancellationToken);
                lastSearch = (word, found, isCommon, unindexed);
            }

            var (_, candidates, common, someUnindexed) = lastSearch.Value;
            commonKeyword = common;
            if (candidates is not null)
            {
                // One parameter (a JSON array on SQLite, an array on PostgreSQL), not one per id: there may be tens of
                // thousands, and every query of the page tests it instead of asking the keyword index again.
                query = query.Where(m => EF.Parameter(candidates).Contains(m.Id));
            }

            if (candidates is null || someUnindexed || !SearchTerms.MatchIsExact(word))
            {
                query = query.Where(m => m.Title.Contains(word) || m.Content.Contains(word) || m.Code.Contains(upper));
            }
        }

        if (filter.AssignedFrom is { } from)
        {
            var start = Calendar.ChinaTime.StartOf(from);
            query = query.Where(m => m.AssignedAt >= start);
        }

        if (filter.AssignedTo is { } to)
        {
            var end = Calendar.ChinaTime.EndOf(to);
            query = query.Where(m => m.AssignedAt < end);
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
            // The open statuses and, within them, next due, 督办 level and status are all in one index
            // (Status, NextDueAt, SupervisionLevel), and escalated milestones in a partial one: the few matters that
            // need the eye are found without a look at the million that do not.
            var escalated = db.Milestones.Where(x => x.MetAt == null && x.EscalatedKinds != 0 && x.EscalatedForDueAt == x.DueAt).Select(x => x.MatterId);
            Expression<Func<Matter, bool>> open = m => Open.Contains(m.Status);
            query = query.Where(open.And(MatterConditions.Overdue(now).Or(m => Supervised.Contains(m.SupervisionLevel)
                || m.Status == MatterStatus.Returned
                || escalated.Contains(m.Id))));
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

        return (query, commonKeyword);
    }

    /// <summary>The ids of one page in the list's order; each order follows an index (id, next due, assigned
    /// instant, code), ties by id. After a row's key (id and due orders), the read starts at it along the index.
    /// <paramref name="total"/> is how many rows the query holds, when known exactly.</summary>
    private static async Task<List<long>> PageIdsAsync(IQueryable<Matter> query, MatterSort sort, bool descending, MatterKey? after,
        int skip, int take, int? total, CancellationToken cancellationToken)
    {
        if (sort != MatterSort.Due)
        {
            if (after is { } key)
            {
                // Newest first is by id downwards (descending: upwards).
                query = descending ? query.Where(m => m.Id > key.Id) : query.Where(m => m.Id < key.Id);
            }

            var ordered = sort switch
            {
                MatterSort.Assigned => descending
                    ? query.OrderByDescending(m => m.AssignedAt).ThenByDescending(m => m.Id)
                    : query.OrderBy(m => m.AssignedAt).ThenBy(m => m.Id),
                MatterSort.Code => descending ? query.OrderByDescending(m => m.Code) : query.OrderBy(m => m.Code),
                _ => descending ? query.OrderBy(m => m.Id) : query.OrderByDescending(m => m.Id),
            };
            return await ordered.Skip(skip).Take(take).Select(m => m.Id).ToListAsync(cancellationToken);
        }

        // 下一期限: the matters with a running deadline in due order, then those without one (done, returned, clock
        // stopped) by id. Two reads, each along an index, rather than one ordered on "has no deadline" first, which
        // no index holds (SQLite sorted every visible matter for it).
        // After a row without a deadline, only such rows follow.
        var ids = new List<long>();
        var due = query.Where(m => m.NextDueAt != null);
        if (after is { Due: { } at } from)
        {
            // A range along the due index from the key's deadline, its ties past the key's id (not an OR of the two,
            // which no index range holds).
            due = descending
                ? due.Where(m => m.NextDueAt <= at && (m.NextDueAt != at || m.Id < from.Id))
                : due.Where(m => m.NextDueAt >= at && (m.NextDueAt != at || m.Id > from.Id));
        }

        if (after is not { Due: null })
        {
            ids = await (descending
                    ? due.OrderByDescending(m => m.NextDueAt).ThenByDescending(m => m.Id)
                    : due.OrderBy(m => m.NextDueAt).ThenBy(m => m.Id))
                .Skip(skip).Take(take).Select(m => m.Id).ToListAsync(cancellationToken);
            // A full page; or, the list's count known, every row up to its end is on it: none without a deadline is
            // left (a unit's tab is often all running matters, and reading for none cost a pass over the unit's rows).
            if (ids.Count == take || (after is null && total is { } all && skip + ids.Count >= all))
            {
                return ids;
            }
        }

        // The matters with a deadline ran out on this page, or before it (then counted, to know how far before).
        var withDeadline = ids.Count > 0 || after is not null ? skip + ids.Count : await due.CountAsync(cancellationToken);
        var rest = query.Where(m => m.NextDueAt == null);
        if (after is { Due: null } last)
        {
            rest = descending ? rest.Where(m => m.Id < last.Id) : rest.Where(m => m.Id > last.Id);
        }

        ids.AddRange(await (descending ? rest.OrderByDescending(m => m.Id) : rest.OrderBy(m => m.Id))
            .Skip(Math.Max(0, skip - withDeadline)).Take(take - ids.Count).Select(m => m.Id).ToListAsync(cancellationToken));
        return ids;
    }

    /// <summary>How many visible matters each tab of the work list holds (of those the filter keeps, when one is
    /// given: its tab, order and page are ignored). A count at <see cref="CountCap"/> means at least that many; a tab
    /// missing from the answer was not counted (a keyword matching more than the cap).</summary>
    public async Task<IReadOnlyDictionary<InboxTab, int>> TabCountsAsync(Actor actor, CancellationToken cancellationToken = default,
        MatterFilter? filter = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var now = clock.GetUtcNow();
        var (query, reach) = await VisibleMatters.ReachAsync(db, actor, cancellationToken);
        var commonKeyword = false;
        if (filter is not null)
        {
            (query, commonKeyword) = await NarrowAsync(query, filter, now, cancellationToken);
        }

        // A common word over every matter, with nothing else to narrow it and the index exact for it: the index
        // already counted past the cap.
        var keyword = !string.IsNullOrWhiteSpace(filter?.Keyword);
        if (commonKeyword && reach == Reach.Everything && SearchTerms.MatchIsExact(filter!.Keyword!.Trim())
            && (filter with { Keyword = null }).KeepsAll)
        {
            return new Dictionary<InboxTab, int> { [InboxTab.All] = CountCap };
        }

        // A unit's own matters, or what a keyword found: one pass over them (up to the cap) for all the tabs, a 0/1
        // flag per tab from the same condition the tab's list uses, summed. All of a unit's own matters are read
        // from its indexes alone (the columns the tabs test), not from the table.
        if (reach == Reach.Own || keyword)
        {
            var sums = reach == Reach.Own && filter is not { KeepsAll: false }
                ? await SumFlagsAsync(VisibleMatters.Own(db, actor.UnitId, m => new TabRow
                {
                    Id = m.Id, Status = m.Status, NextDueAt = m.NextDueAt, NextDueSoonAt = m.NextDueSoonAt,
                }).Take(CountCap), now, cancellationToken)
                : await SumFlagsAsync(query.Take(CountCap), now, cancellationToken);
            if (sums[InboxTab.All] < CountCap)
            {
                return sums;
            }

            if (keyword)
            {
                return new Dictionary<InboxTab, int> { [InboxTab.All] = CountCap };
            }
        }

        // Wider views: one capped count per tab, each read along the index its condition names (status, next due,
        // next 临期), so a tab of a few rows costs a few rows whatever the table holds and a full one stops at the cap;
        // all eight in one command, as subqueries of the reader's own unit row (eight commands were eight round trips
        // and eight plans).
        var tabs = Enum.GetValues<InboxTab>();
        var unit = Expression.Parameter(typeof(Unit), "u");
        var perTab = Expression.MemberInit(Expression.New(typeof(TabFlags)), tabs.Select(tab =>
            Expression.Bind(TabFlags.Of(tab), CountUpTo(query.Where(InTab(tab, now)), CountCap))));
        var counts = await db.Units.AsNoTracking().Where(u => u.Id == actor.UnitId)
            .Select(Expression.Lambda<Func<Unit, TabFlags>>(perTab, unit))
            .SingleOrDefaultAsync(cancellationToken) ?? new TabFlags(); // units are never deleted; an unknown one sees nothing
        return counts.ByTab();
    }

    /// <summary><see cref="CountUpToAsync"/> as an expression, to be a subquery of another query.</summary>
    private static MethodCallExpression CountUpTo(IQueryable<Matter> query, int cap)
    {
        var ids = Expression.Call(typeof(Queryable), nameof(Queryable.Select), [typeof(Matter), typeof(long)], query.Expression,
            Expression.Quote((Expression<Func<Matter, long>>)(m => m.Id)));
        var capped = Expression.Call(typeof(Queryable), nameof(Queryable.Take), [typeof(long)], ids, Expression.Constant(cap));
        return Expression.Call(typeof(Queryable), nameof(Queryable.Count), [typeof(long)], capped);
    }

    /// <summary>How many of the rows (matters, or <see cref="TabRow"/>s) each tab holds, in one pass.</summary>
    private static async Task<Dictionary<InboxTab, int>> SumFlagsAsync<T>(IQueryable<T> rows, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var matter = Expression.Parameter(typeof(T), "m");
        var flags = Expression.MemberInit(Expression.New(typeof(TabFlags)), Enum.GetValues<InboxTab>().Select(tab =>
        {
            var body = MatterConditions.Inline(InTab(tab, now), matter);
            return Expression.Bind(TabFlags.Of(tab), Expression.Condition(body, Expression.Constant(1), Expression.Constant(0)));
        }));
        var sums = await rows.Select(Expression.Lambda<Func<T, TabFlags>>(flags, matter))
            .GroupBy(_ => 1)
            .Select(g => new TabFlags
            {
                Unacknowledged = g.Sum(x => x.Unacknowledged),
                InProgress = g.Sum(x => x.InProgress),
                DueSoon = g.Sum(x => x.DueSoon),
                Overdue = g.Sum(x => x.Overdue),
                Reported = g.Sum(x => x.Reported),
                Done = g.Sum(x => x.Done),
                Returned = g.Sum(x => x.Returned),
                All = g.Sum(x => x.All),
            })
            .SingleOrDefaultAsync(cancellationToken) ?? new TabFlags();
        return sums.ByTab();
    }

    /// <summary>Which matters a tab of the work list holds.</summary>
    private static Expression<Func<Matter, bool>> InTab(InboxTab tab, DateTimeOffset now) => tab switch
    {
        InboxTab.Unacknowledged => m => m.Status == MatterStatus.Assigned,
        InboxTab.InProgress => m => m.Status == MatterStatus.Acknowledged,
        InboxTab.DueSoon => m => m.NextDueAt != null && m.NextDueAt >= now && m.NextDueSoonAt <= now,
        InboxTab.Overdue => MatterConditions.Overdue(now),
        InboxTab.Reported => m => m.Status == MatterStatus.Reported,
        InboxTab.Done => m => m.Status == MatterStatus.Verified || m.Status == MatterStatus.Rated || m.Status == MatterStatus.Closed,
        InboxTab.Returned => m => m.Status == MatterStatus.Returned,
        InboxTab.All => m => true,
    };

    /// <summary>What the tabs test of a matter, named as the matter's properties (the tabs' conditions read them).</summary>
    private sealed class TabRow
    {
        public long Id { get; init; }
        public MatterStatus Status { get; init; }
        public DateTimeOffset? NextDueAt { get; init; }
        public DateTimeOffset? NextDueSoonAt { get; init; }
    }

    /// <summary>A flag, then a count, per <see cref="InboxTab"/>: the properties are named after the tabs.</summary>
    private sealed class TabFlags
    {
        public int Unacknowledged { get; init; }
        public int InProgress { get; init; }
        public int DueSoon { get; init; }
        public int Overdue { get; init; }
        public int Reported { get; init; }
        public int Done { get; init; }
        public int Returned { get; init; }
        public int All { get; init; }

        /// <summary>The property holding a tab's figure: each tab has one of its name.</summary>
        public static PropertyInfo Of(InboxTab tab) => typeof(TabFlags).GetProperty(tab.ToString())!;

        public Dictionary<InboxTab, int> ByTab() => Enum.GetValues<InboxTab>().ToDictionary(t => t, t => (int)Of(t).GetValue(this)!);
    }

    private static DateTimeOffset? Local(DateTimeOffset? instant) => instant is { } i ? Calendar.ChinaTime.ToLocal(i) : null;
}
