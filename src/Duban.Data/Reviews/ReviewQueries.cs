using Duban.Calendar;
using Duban.Matters;
using Duban.Reviews;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>A unit's line in a review.</summary>
/// <param name="Unit">The unit.</param>
/// <param name="Group">Its peer group.</param>
/// <param name="Metrics">Its metrics as lead unit; null when the reader may see only its rank.</param>
/// <param name="CoMetrics">Its metrics as co-handling unit (配合); null when hidden or when it co-handled nothing.</param>
/// <param name="Score">Its score (0–100); null when unscored or hidden.</param>
/// <param name="Rank">Its rank in the group; null when it had nothing to score.</param>
/// <param name="PreviousRank">Its rank in the previous period.</param>
/// <param name="RankChange">Places gained (+) or lost (−).</param>
/// <param name="IsReader">The reader's own unit.</param>
public sealed record ReviewRow(UnitRef Unit, string Group, UnitMetrics? Metrics, UnitMetrics? CoMetrics, double? Score, int? Rank,
    int? PreviousRank, int? RankChange, bool IsReader);

/// <summary>One peer group of a review.</summary>
/// <param name="Name">The group.</param>
/// <param name="Rows">Its units: ranked first, then those with nothing to rank.</param>
/// <param name="Red">红榜.</param>
/// <param name="Black">黑榜.</param>
/// <param name="Note">Why a list is shorter or overlaps, when it does.</param>
public sealed record GroupReview(string Name, IReadOnlyList<ReviewRow> Rows, IReadOnlyList<ReviewRow> Red, IReadOnlyList<ReviewRow> Black, string? Note);

/// <summary>A review (讲评) of a period: every unit's metrics and ranks, by peer group.</summary>
/// <param name="Period">The period.</param>
/// <param name="Today">The Beijing date it was computed on (milestones due from today on are not yet decided).</param>
/// <param name="Groups">The groups the reader may see.</param>
/// <param name="Totals">All units' lead counters summed (the office's overall figures); null for a unit's reader.</param>
/// <param name="IsEmpty">Nothing happened in the period.</param>
/// <param name="FullView">The reader sees every unit's figures (office, leaders, administrators).</param>
public sealed record Review(ReviewPeriod Period, DateOnly Today, IReadOnlyList<GroupReview> Groups, UnitMetrics? Totals, bool IsEmpty, bool FullView)
{
    /// <summary>What the page and the bulletin say when the period is empty.</summary>
    public const string EmptyNote = "本期没有交办、办理、评价或问责记录，暂无可讲评的数据。";

    /// <summary>Every row, group by group.</summary>
    public IEnumerable<ReviewRow> Rows => Groups.SelectMany(g => g.Rows);
}

/// <summary>A matter behind a number of the review, with what it counts there.</summary>
/// <param name="MatterId">The matter.</param>
/// <param name="Code">Its code.</param>
/// <param name="Title">Its title.</param>
/// <param name="Facts">Its counters for the unit over the period (pending only where overdue).</param>
/// <param name="Note">For rebounds and accountability: what was recorded.</param>
/// <param name="At">For rebounds and accountability: when.</param>
public sealed record DrillDownRow(long MatterId, string Code, string Title, UnitFacts Facts, string? Note = null, DateTimeOffset? At = null);

/// <summary>The matters behind one number: their counters add up to it.</summary>
/// <param name="Unit">The unit.</param>
/// <param name="Period">The period.</param>
/// <param name="Metric">The metric.</param>
/// <param name="Role">Lead or co-handling.</param>
/// <param name="Value">The number as the review shows it.</param>
/// <param name="Rows">The matters.</param>
public sealed record DrillDown(UnitRef Unit, ReviewPeriod Period, Metric Metric, FactRole Role, double? Value, IReadOnlyList<DrillDownRow> Rows);

/// <summary>Reviews and their drill-downs, for the pages, the API, the packs and the CLI.</summary>
public sealed class ReviewQueries(DubanDbContext db, Rules rules, ReviewOptions options, TimeProvider clock)
{
    /// <summary>Today's Beijing date.</summary>
    public DateOnly Today => ChinaTime.DateOf(clock.GetUtcNow());

    /// <summary>The review of a period, for a reader: the office, leaders and administrators see every unit; anyone
    /// else sees their own unit's figures and the ranks (not the figures) of its peer group.</summary>
    /// <param name="period">The period.</param>
    /// <param name="group">Only this peer group, when given.</param>
    /// <param name="actor">Who reads.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <param name="listSize">How many units the red and black lists name, instead of <c>Reviews:ListSize</c>.</param>
    /// <param name="rankChange">Whether to rank the period before for the rank change (位次变化); an assessment, which
    /// needs only this period's figures, skips it and halves the reading.</param>
    /// <exception cref="ValidationFailedException">No such group, or a list size outside 1–100.</exception>
    public async Task<Review> GetAsync(ReviewPeriod period, string? group, Actor actor, CancellationToken cancellationToken = default,
        int? listSize = null, bool rankChange = true)
    {
        ArgumentNullException.ThrowIfNull(period);
        ArgumentNullException.ThrowIfNull(actor);
        var today = Today;
        var full = AccessRules.MayAssign(actor);
        var units = await db.Units.AsNoTracking().Where(u => u.Active || u.Id == actor.UnitId)
            .Select(u => new { u.Id, u.Code, u.Name, u.Level }).ToListAsync(cancellationToken);
        var groupOf = units.ToDictionary(u => u.Id, u => options.GroupOf(u.Code, u.Level));
        var names = options.Groups.Select(g => g.Name).Append(ReviewOptions.OtherGroup).ToList();
        if (group is { Length: > 0 } && !names.Contains(group.Trim()))
        {
            throw ValidationFailedException.For("group", $"没有「{group}」这个单位分组，可选：{string.Join("、", names.Where(n => groupOf.ContainsValue(n)))}。");
        }

        if (listSize is < 1 or > 100)
        {
            throw ValidationFailedException.For("size", "红黑榜名额须在 1 至 100 之间。");
        }

        var scoring = listSize is { } size ? options.Scoring with { ListSize = size } : options.Scoring;
        var wanted = group?.Trim() is { Length: > 0 } g ? g : null;
        if (!full)
        {
            wanted = groupOf.GetValueOrDefault(actor.UnitId, ReviewOptions.OtherGroup);
        }

        var current = await MetricsAsync(period, today, cancellationToken);
        var previous = rankChange ? await MetricsAsync(period.Previous(), today, cancellationToken) : new PeriodMetrics([], []);
        var groups = new List<GroupReview>();
        foreach (var name in names.Where(n => wanted is null || n == wanted))
        {
            var members = units.Where(u => groupOf[u.Id] == name).ToList();
            if (members.Count == 0)
            {
                continue;
            }

            var ranking = Ranking.Rank(name, members
                .Select(u => new RankingEntry(u.Id, u.Code, u.Name,
                    current.Lead.GetValueOrDefault(u.Id) ?? Empty, previous.Lead.GetValueOrDefault(u.Id)))
                .ToList(), scoring);
            ReviewRow Row(RankedUnit r)
            {
                var visible = full || r.Entry.UnitId == actor.UnitId;
                return new ReviewRow(new UnitRef(r.Entry.UnitId, r.Entry.Code, r.Entry.Name), name,
                    visible ? r.Entry.Metrics : null, visible ? current.Co.GetValueOrDefault(r.Entry.UnitId) : null,
                    visible ? r.Score : null, r.Rank, r.PreviousRank, r.RankChange, r.Entry.UnitId == actor.UnitId);
            }

            groups.Add(new GroupReview(name, ranking.Units.Select(Row).ToList(), ranking.Red.Select(Row).ToList(),
                ranking.Black.Select(Row).ToList(), ranking.Note));
        }

        var totals = new UnitFacts();
        foreach (var m in current.Lead.Values)
        {
            totals.Add(m.Facts);
        }

        var isEmpty = current.Lead.Values.All(m => m.IsEmpty) && current.Co.Values.All(m => m.IsEmpty);
        return new Review(period, today, groups,
            full ? UnitMetrics.From(totals, current.Lead.Values.Sum(m => m.Rebounds), current.Lead.Values.Sum(m => m.AccountabilityEntries)) : null,
            isEmpty, full);
    }

    /// <summary>
    /// The matters behind one of a unit's numbers: replayed from their events (<see cref="MatterFacts.Replay"/>), so the
    /// rows' counters add up to the number the review shows (matters the reader may not see are left out).
    /// </summary>
    /// <exception cref="NotFoundException">No such unit, or one the reader may not see the figures of.</exception>
    public async Task<DrillDown> DrillDownAsync(long unitId, ReviewPeriod period, Metric metric, FactRole role, Actor actor,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(period);
        ArgumentNullException.ThrowIfNull(actor);
        var unit = await db.Units.AsNoTracking().Where(u => u.Id == unitId).Select(u => new UnitRef(u.Id, u.Code, u.Name))
            .SingleOrDefaultAsync(cancellationToken);
        if (unit is null || (!AccessRules.MayAssign(actor) && actor.UnitId != unitId))
        {
            throw new NotFoundException($"单位 {unitId} 不存在，或您不能查看它的讲评数据。");
        }

        var today = Today;
        var visible = await VisibleMatters.QueryAsync(db, actor, cancellationToken);
        var (start, end) = (ChinaTime.StartOf(period.From), ChinaTime.EndOf(period.To));
        var rows = new List<DrillDownRow>();
        if (metric == Metric.Rebounds || metric == Metric.Accountability)
        {
            if (role == FactRole.Lead)
            {
                rows.AddRange(metric == Metric.Rebounds
                    ? (await db.LookBacks.AsNoTracking()
                        .Where(l => l.UnitId == unitId && l.Status == LookBackStatus.Rebounded && l.CheckedAt >= start && l.CheckedAt < end)
                        .Join(visible, l => l.MatterId, m => m.Id, (l, m) => new { m.Id, m.Code, m.Title, l.Note, l.CheckedAt })
                        .ToListAsync(cancellationToken))
                        .Select(r => new DrillDownRow(r.Id, r.Code, r.Title, new UnitFacts(), r.Note, r.CheckedAt))
                    : (await db.AccountabilityEntries.AsNoTracking()
                        .Where(a => a.UnitId == unitId && a.CreatedAt >= start && a.CreatedAt < end)
                        .Join(visible, a => a.MatterId, m => m.Id, (a, m) => new { m.Id, m.Code, m.Title, a.Reason, a.CreatedAt })
                        .ToListAsync(cancellationToken))
                        .Select(r => new DrillDownRow(r.Id, r.Code, r.Title, new UnitFacts(), Labels.Of(r.Reason), r.CreatedAt)));
            }
        }
        else
        {
            var candidates = await FactStore.MattersAsync(db, unitId, period.From, period.To, cancellationToken);
            var behind = Metrics.Behind(metric);
            foreach (var chunk in candidates.Chunk(500))
            {
                var matters = await visible.AsNoTracking().Where(m => chunk.Contains(m.Id))
                    .Select(m => new { m.Id, m.Code, m.Title }).ToDictionaryAsync(m => m.Id, cancellationToken);
                var events = await db.MatterEvents.AsNoTracking().Where(e => matters.Keys.Contains(e.MatterId))
                    .OrderBy(e => e.MatterId).ThenBy(e => e.Sequence).ToListAsync(cancellationToken);
                foreach (var history in events.GroupBy(e => e.MatterId))
                {
                    var facts = Within(MatterFacts.Replay(history.Select(e => e.ToEvent()), rules.Calendar, options.Facts), unitId, role, period, today);
                    if (behind.Any(f => facts[f] != 0))
                    {
                        var m = matters[history.Key];
                        rows.Add(new DrillDownRow(m.Id, m.Code, m.Title, facts));
                    }
                }
            }
        }

        var own = await MetricsAsync(period, today, cancellationToken, unitId);
        var metrics = (role == FactRole.Lead ? own.Lead : own.Co).GetValueOrDefault(unitId) ?? Empty;
        return new DrillDown(unit, period, metric, role, metrics.Value(metric), rows.OrderBy(r => r.Code, StringComparer.Ordinal).ToList());
    }

    /// <summary>The drill-down as addresses name it: the unit by code or number, the period by its key (2024-03, 2024-W10,
    /// 2024-Q1, 2024, 2024-03-01_2024-03-15), the metric by its key, the role lead (default) or co; for the API and the page.</summary>
    /// <exception cref="ValidationFailedException">A part is missing or unreadable, each named.</exception>
    /// <exception cref="NotFoundException">No such unit, or one whose figures the reader may not see.</exception>
    public async Task<DrillDown> DrillDownAsync(string? unit, string? period, string? metric, string? role, Actor actor,
        CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string[]>();
        var parsedMetric = Metrics.ByKey(metric);
        if (parsedMetric is null)
        {
            errors["metric"] = [$"指标「{metric}」无法识别，可选：{string.Join("、", Enum.GetValues<Metric>().Select(Metrics.Key))}。"];
        }

        var parsedRole = role is null or "" or "lead" ? FactRole.Lead : role == "co" ? FactRole.Co : (FactRole?)null;
        if (parsedRole is null)
        {
            errors["role"] = ["角色必须是 lead（牵头）或 co（配合）。"];
        }

        if (string.IsNullOrWhiteSpace(unit))
        {
            errors["unit"] = ["请指定单位（代码或编号）。"];
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        var reviewPeriod = ReviewPeriod.Parse(period, Today);
        var unitId = await new UnitDirectory(db).IdOfAsync(unit!, cancellationToken) ?? throw new NotFoundException($"单位「{unit}」不存在。");
        return await DrillDownAsync(unitId, reviewPeriod, parsedMetric!.Value, parsedRole!.Value, actor, cancellationToken);
    }

    /// <summary>A matter's counters for one unit and role summed over the period, pending ones only where overdue: the
    /// same cut <see cref="FactStore.SumAsync"/> makes.</summary>
    private static UnitFacts Within(FactDelta delta, long unitId, FactRole role, ReviewPeriod period, DateOnly today)
    {
        var sum = new UnitFacts();
        foreach (var (key, facts) in delta.Entries.Where(e => e.Key.UnitId == unitId && e.Key.Role == role && period.Contains(e.Key.Day)))
        {
            foreach (var fact in Enum.GetValues<Fact>())
            {
                if (!UnitFacts.IsPending(fact) || key.Day < today)
                {
                    sum[fact] += facts[fact];
                }
            }
        }

        return sum;
    }

    private static readonly UnitMetrics Empty = UnitMetrics.From(new UnitFacts());

    private sealed record PeriodMetrics(Dictionary<long, UnitMetrics> Lead, Dictionary<long, UnitMetrics> Co);

    /// <summary>Every unit's metrics over a period: the summed counters, and the rebounds and accountability entries
    /// dated in it.</summary>
    /// <summary>Every unit's metrics as lead unit over a period (rebounds and accountability entries included), as the
    /// review counts them today: what the assessment's cards count.</summary>
    public async Task<IReadOnlyDictionary<long, UnitMetrics>> LeadMetricsAsync(ReviewPeriod period, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(period);
        return (await MetricsAsync(period, Today, cancellationToken)).Lead;
    }

    private async Task<PeriodMetrics> MetricsAsync(ReviewPeriod period, DateOnly today, CancellationToken cancellationToken, long? unitId = null)
    {
        var sums = await FactStore.SumAsync(db, period.From, period.To, today, cancellationToken, unitId);
        var (start, end) = (ChinaTime.StartOf(period.From), ChinaTime.EndOf(period.To));
        var rebounds = await db.LookBacks.AsNoTracking()
            .Where(l => l.Status == LookBackStatus.Rebounded && l.CheckedAt >= start && l.CheckedAt < end && (unitId == null || l.UnitId == unitId))
            .GroupBy(l => l.UnitId).Select(g => new { g.Key, Count = g.LongCount() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        var accountability = await db.AccountabilityEntries.AsNoTracking()
            .Where(a => a.CreatedAt >= start && a.CreatedAt < end && (unitId == null || a.UnitId == unitId))
            .GroupBy(a => a.UnitId).Select(g => new { g.Key, Count = g.LongCount() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        var lead = sums.Where(s => s.Role == FactRole.Lead).ToDictionary(s => s.UnitId, s => s.Facts);
        var leadMetrics = lead.Keys.Union(rebounds.Keys).Union(accountability.Keys).ToDictionary(id => id, id => UnitMetrics.From(
            lead.GetValueOrDefault(id) ?? new UnitFacts(), rebounds.GetValueOrDefault(id), accountability.GetValueOrDefault(id)));
        var co = sums.Where(s => s.Role == FactRole.Co).ToDictionary(s => s.UnitId, s => UnitMetrics.From(s.Facts));
        return new PeriodMetrics(leadMetrics, co);
    }
}
