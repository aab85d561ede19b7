using System.Collections.Concurrent;
using System.Globalization;
using Duban.Calendar;
using Duban.Matters;
using Duban.Reviews;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>A count under a name (a status, a kind, a category).</summary>
/// <param name="Key">The stable key (enum name in camelCase, or the category itself).</param>
/// <param name="Label">The Chinese name.</param>
/// <param name="Count">How many.</param>
public sealed record DashboardCount(string Key, string Label, long Count);

/// <summary>A unit with a count (overdue matters it leads).</summary>
public sealed record DashboardUnitCount(long UnitId, string Code, string Name, long Count);

/// <summary>One month of the trend, from the review counters (the lead units' figures, as the reviews count them).</summary>
/// <param name="Key">2024-03.</param>
/// <param name="Label">2024年3月.</param>
/// <param name="Assigned">交办数.</param>
/// <param name="Completed">办结数: completions reported (on time, within extension or late), filed under their due date's month.</param>
/// <param name="Overdue">超期件数: completions late or still missing after their due date, filed under that date's month.</param>
public sealed record DashboardMonth(string Key, string Label, long Assigned, long Completed, long Overdue);

/// <summary>A hot issue, by its typical matter.</summary>
public sealed record DashboardHotIssue(long MatterId, string Code, string Title, int Count, int Likes);

/// <summary>One peer group's red and black lists.</summary>
public sealed record DashboardList(string Group, IReadOnlyList<DashboardListUnit> Red, IReadOnlyList<DashboardListUnit> Black, string? Note);

/// <summary>A unit on a list, with its score.</summary>
public sealed record DashboardListUnit(long UnitId, string Name, double? Score);

/// <summary>What the dashboard (驾驶舱) shows, computed at <see cref="At"/>.</summary>
/// <param name="At">When it was computed.</param>
/// <param name="Total">Matters the reader may see.</param>
/// <param name="Open">Of them, not yet verified, rated or closed.</param>
/// <param name="Overdue">Of them, overdue now.</param>
/// <param name="Statuses">Counts by status, in lifecycle order.</param>
/// <param name="OverdueByUnit">The ten lead units with the most overdue matters.</param>
/// <param name="Trend">The last twelve months, the current one (to date) last.</param>
/// <param name="Kinds">Counts by kind (交办事项, 诉求, 信访).</param>
/// <param name="Categories">Appeals by category, most first (无分类 for imported history without one).</param>
/// <param name="HotIssues">The hottest issues raised more than once (at most five) over <see cref="HotIssuesPeriod"/>.</param>
/// <param name="HotIssuesPeriod">What period the hot issues cover, in Chinese.</param>
/// <param name="ListsPeriod">The period of the red and black lists: the current month, or the last one while nothing is ranked yet.</param>
/// <param name="Lists">The red and black lists of each peer group.</param>
public sealed record Dashboard(DateTimeOffset At, long Total, long Open, long Overdue, IReadOnlyList<DashboardCount> Statuses,
    IReadOnlyList<DashboardUnitCount> OverdueByUnit, IReadOnlyList<DashboardMonth> Trend, IReadOnlyList<DashboardCount> Kinds,
    IReadOnlyList<DashboardCount> Categories, IReadOnlyList<DashboardHotIssue> HotIssues, string HotIssuesPeriod, string ListsPeriod,
    IReadOnlyList<DashboardList> Lists);

/// <summary>
/// The dashboard (驾驶舱) for leaders and the supervision office: a handful of aggregates, each one grouped query over
/// indexed columns or counters kept with the events, so the cost does not grow with the matters: statuses, kinds and
/// categories from <see cref="MatterTallies"/> (a few dozen rows), overdue matters through <c>NextDueAt</c>'s index,
/// the trend from the monthly and daily review counters, the red and black lists from <see cref="ReviewQueries"/>.
/// </summary>
public sealed class DashboardQueries(DubanDbContext db, ReviewQueries reviews, HotIssueQueries hotIssues, DashboardCache cache, TimeProvider clock)
{
    /// <summary>How many units the overdue chart names.</summary>
    public const int TopUnits = 10;

    /// <summary>How many months the trend covers.</summary>
    public const int Months = 12;

    /// <summary>How many hot issues are shown.</summary>
    public const int TopHotIssues = 5;

    /// <summary>The dashboard as the reader may see it: the matters led by units inside what they oversee (all, for an
    /// administrator); the review figures as reviews show them to the office.</summary>
    /// <exception cref="ForbiddenException">The reader is not a leader, the supervision office or an administrator.</exception>
    public async Task<Dashboard> GetAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!AccessRules.MayAssign(actor))
        {
            throw new ForbiddenException("驾驶舱供领导和督查室使用；您可以在「月讲评」查看本单位的讲评数据。");
        }

        var now = clock.GetUtcNow();
        var today = ChinaTime.DateOf(now);
        // The matters led inside what the reader oversees, counted by the tallies kept with the events.
        (long Id, string Path)? root = null;
        if (!actor.Has(Role.Admin))
        {
            var tree = await UnitTree.LoadAsync(db, [actor.UnitId], cancellationToken);
            var id = AccessRules.OversightRoot(actor, tree) ?? actor.UnitId;
            var prefix = await db.Units.AsNoTracking().Where(u => u.Id == id).Select(u => u.Path).SingleAsync(cancellationToken);
            root = (id, prefix);
        }

        var tallies = await MatterTallies.ReadAsync(db, root, cancellationToken);
        long Tally(TallyDimension dimension, string value) => tallies.GetValueOrDefault((dimension, value));
        var statuses = Enum.GetValues<MatterStatus>()
            .Select(s => new DashboardCount(Key(s.ToString()), Labels.Of(s), Tally(TallyDimension.Status, s.ToString()))).ToList();
        var kinds = Enum.GetValues<MatterKind>()
            .Select(k => new DashboardCount(Key(k.ToString()), Labels.Of(k), Tally(TallyDimension.Kind, k.ToString()))).ToList();
        var total = statuses.Sum(s => s.Count);
        var done = statuses.Where(s => s.Key is "verified" or "rated" or "closed").Sum(s => s.Count);
        var categories = tallies.Where(t => t.Key.Dimension == TallyDimension.Category && t.Value > 0)
            .Select(t => new DashboardCount(t.Key.Value, t.Key.Value.Length == 0 ? "无分类" : t.Key.Value, t.Value))
            .OrderByDescending(c => c.Count).ThenBy(c => c.Label, StringComparer.Ordinal).ToList();

        // Overdue: one grouped read through the (NextDueAt, LeadUnitId) index alone, with no join; the units outside
        // what the reader oversees are dropped here (a few thousand groups at most), and the total is the groups' sum.
        var overdue = await db.Matters.AsNoTracking().Where(MatterConditions.Overdue(now)).GroupBy(m => m.LeadUnitId)
            .Select(g => new { UnitId = g.Key, Count = g.LongCount() }).ToListAsync(cancellationToken);
        if (root is { Path: var path })
        {
            var inside = (await db.Units.AsNoTracking().Where(u => u.Path.StartsWith(path)).Select(u => u.Id).ToListAsync(cancellationToken)).ToHashSet();
            overdue.RemoveAll(g => !inside.Contains(g.UnitId));
        }

        var overdueTotal = overdue.Sum(g => g.Count);
        var top = overdue.OrderByDescending(g => g.Count).ThenBy(g => g.UnitId).Take(TopUnits).ToList();
        var topIds = top.Select(t => t.UnitId).ToList();
        var names = await db.Units.AsNoTracking().Where(u => topIds.Contains(u.Id))
            .Select(u => new { u.Id, u.Code, u.Name }).ToDictionaryAsync(u => u.Id, cancellationToken);
        var overdueByUnit = top.Select(t => new DashboardUnitCount(t.UnitId, names[t.UnitId].Code, names[t.UnitId].Name, t.Count)).ToList();

        var trend = await TrendAsync(today, cancellationToken);
        var scope = string.Create(CultureInfo.InvariantCulture, $"hot:{actor.UnitId}:{string.Join(",", actor.Roles.Order())}:{today:yyyy-MM-dd}");
        var (hot, hotPeriod) = await cache.GetOrAddAsync(scope, () => HotIssuesAsync(now, today, actor, cancellationToken));

        // This month's lists; early in a month, before anything is ranked, last month's (and it says so).
        var month = ReviewPeriod.Holding(PeriodKind.Month, today);
        var listsPeriod = $"{month.Label}（截至{today.Month}月{today.Day}日）";
        var lists = await ListsAsync(month, actor, cancellationToken);
        if (lists.Count == 0)
        {
            month = month.Previous();
            lists = await ListsAsync(month, actor, cancellationToken);
            listsPeriod = $"{month.Label}（本月尚无排名）";
        }

        return new Dashboard(now, total, total - done, overdueTotal, statuses, overdueByUnit, trend, kinds, categories, hot, hotPeriod,
            listsPeriod, lists);
    }

    /// <summary>The red and black lists of a month; without the rank change, which the lists do not show and which would
    /// cost a second month's sum.</summary>
    private async Task<List<DashboardList>> ListsAsync(ReviewPeriod month, Actor actor, CancellationToken cancellationToken) =>
        (await reviews.GetAsync(month, null, actor, cancellationToken, rankChange: false)).Groups.Where(g => g.Red.Count > 0 || g.Black.Count > 0)
            .Select(g => new DashboardList(g.Name, g.Red.Select(ListUnit).ToList(), g.Black.Select(ListUnit).ToList(), g.Note))
            .ToList();

    private static DashboardListUnit ListUnit(ReviewRow row) => new(row.Unit.Id, row.Unit.Name, row.Score);

    /// <summary>The lead units' counters over the last twelve months: the months that ended from the monthly sums, the
    /// current one day by day (a milestone due today or later is not yet overdue), and what is not yet folded: a
    /// grouped read of a few thousand rows, whatever the number of matters.</summary>
    private async Task<IReadOnlyList<DashboardMonth>> TrendAsync(DateOnly today, CancellationToken cancellationToken)
    {
        var thisMonth = new DateOnly(today.Year, today.Month, 1);
        var first = thisMonth.AddMonths(-(Months - 1));
        var last = thisMonth.AddMonths(1).AddDays(-1); // completions are filed under their due date
        var months = await db.UnitMonthFacts.AsNoTracking()
            .Where(f => f.Day >= first && f.Day < thisMonth && f.Role == FactRole.Lead)
            .GroupBy(f => f.Day)
            .Select(g => new DayTotals(g.Key, g.Sum(f => f.Assigned), g.Sum(f => f.CompleteOnTime + f.CompleteWithinExtension + f.CompleteLate),
                g.Sum(f => f.CompleteLate), g.Sum(f => f.CompletePending)))
            .ToListAsync(cancellationToken);
        var days = await db.UnitDayFacts.AsNoTracking()
            .Where(f => f.Day >= thisMonth && f.Day <= last && f.Role == FactRole.Lead)
            .GroupBy(f => f.Day)
            .Select(g => new DayTotals(g.Key, g.Sum(f => f.Assigned), g.Sum(f => f.CompleteOnTime + f.CompleteWithinExtension + f.CompleteLate),
                g.Sum(f => f.CompleteLate), g.Sum(f => f.CompletePending)))
            .ToListAsync(cancellationToken);
        var pending = await db.UnitFactDeltas.AsNoTracking()
            .Where(f => f.Day >= first && f.Day <= last && f.Role == FactRole.Lead)
            .GroupBy(f => f.Day)
            .Select(g => new DayTotals(g.Key, g.Sum(f => f.Assigned), g.Sum(f => f.CompleteOnTime + f.CompleteWithinExtension + f.CompleteLate),
                g.Sum(f => f.CompleteLate), g.Sum(f => f.CompletePending)))
            .ToListAsync(cancellationToken);
        var trend = new List<DashboardMonth>();
        for (var start = first; start <= today; start = start.AddMonths(1))
        {
            var period = ReviewPeriod.Holding(PeriodKind.Month, start);
            var rows = months.Concat(days).Concat(pending).Where(d => period.Contains(d.Day)).ToList();
            // As the reviews count 超期件数: a missing completion counts once its due date has passed.
            trend.Add(new DashboardMonth(period.Key, period.Label, rows.Sum(d => d.Assigned), rows.Sum(d => d.Completed),
                rows.Sum(d => d.Late) + rows.Where(d => d.Day < today).Sum(d => d.Pending)));
        }

        return trend;
    }

    private sealed record DayTotals(DateOnly Day, long Assigned, long Completed, long Late, long Pending);

    /// <summary>This month's hot issues; when the month holds more matters than the hot-issue search takes, the last
    /// seven days'.</summary>
    private async Task<(IReadOnlyList<DashboardHotIssue>, string)> HotIssuesAsync(DateTimeOffset now, DateOnly today, Actor actor,
        CancellationToken cancellationToken)
    {
        foreach (var (from, label) in new[]
                 {
                     (ChinaTime.StartOf(new DateOnly(today.Year, today.Month, 1)), $"{today.Year}年{today.Month}月"),
                     (ChinaTime.StartOf(today.AddDays(-6)), "近 7 天"),
                 })
        {
            try
            {
                var issues = await hotIssues.RankAsync(from, now, null, actor, cancellationToken);
                return (issues.Where(h => h.Count >= 2).Take(TopHotIssues) // one matter alone is not an issue raised again and again
                    .Select(h => new DashboardHotIssue(h.Typical.Id, h.Typical.Code, h.Typical.Title, h.Count, h.Likes)).ToList(), label);
            }
            catch (ValidationFailedException)
            {
                // Too many matters for the hot-issue search: try the shorter window.
            }
        }

        return ([], $"近 7 天事项超过 {HotIssueQueries.MaxMatters} 件，热点请在相似事项中按地区查看");
    }

    private static string Key(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}

/// <summary>
/// Hot issues kept for <see cref="Lifetime"/> per kind of reader (unit and roles, which decide what they see): ranking
/// them reads and compares the texts of up to <see cref="HotIssueQueries.MaxMatters"/> matters, too much to repeat for
/// every display refreshing each minute. Everything else on the dashboard is computed afresh on each request.
/// </summary>
public sealed class DashboardCache(TimeProvider clock)
{
    /// <summary>How long an answer is kept.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<string, (DateTimeOffset At, object Value)> _entries = new(StringComparer.Ordinal);

    /// <summary>The kept answer under a key, or a new one made and kept.</summary>
    public async Task<T> GetOrAddAsync<T>(string key, Func<Task<T>> make)
    {
        ArgumentNullException.ThrowIfNull(make);
        var now = clock.GetUtcNow();
        if (_entries.TryGetValue(key, out var entry) && entry.At > now - Lifetime && entry.At <= now && entry.Value is T kept)
        {
            return kept;
        }

        var value = await make();
        foreach (var stale in _entries.Where(e => e.Value.At <= now - Lifetime || e.Value.At > now).Select(e => e.Key).ToList())
        {
            _entries.TryRemove(stale, out _);
        }

        _entries[key] = (now, value!);
        return value;
    }
}
