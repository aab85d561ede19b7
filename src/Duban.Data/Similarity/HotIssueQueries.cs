using Duban.Matters;
using Duban.Similarity;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>A matter in a hot issue.</summary>
public sealed record HotIssueMatter(long Id, string Code, string Title, int Likes);

/// <summary>A hot issue (热点) as shown: its matters (the typical one first), total likes and heat.</summary>
public sealed record HotIssueView(HotIssueMatter Typical, int Count, int Likes, double Heat, DateTimeOffset First, DateTimeOffset Last,
    IReadOnlyList<HotIssueMatter> Matters);

/// <summary>Hot issues among the matters the reader may see, for the monthly review.</summary>
public sealed class HotIssueQueries(DubanDbContext db)
{
    /// <summary>More matters than this in one period and region is a request to narrow the question.</summary>
    public const int MaxMatters = 20_000;

    /// <param name="from">First instant.</param>
    /// <param name="to">End instant (exclusive).</param>
    /// <param name="region">A unit code: matters whose lead unit is that unit or below it; all when null.</param>
    /// <param name="actor">The reader.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<IReadOnlyList<HotIssueView>> RankAsync(DateTimeOffset from, DateTimeOffset to, string? region, Actor actor,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var query = (await VisibleMatters.QueryAsync(db, actor, cancellationToken)).AsNoTracking()
            .Where(m => m.AssignedAt >= from && m.AssignedAt < to);
        if (!string.IsNullOrWhiteSpace(region))
        {
            var code = region.Trim();
            var path = await db.Units.Where(u => u.Code == code).Select(u => u.Path).SingleOrDefaultAsync(cancellationToken)
                ?? throw ValidationFailedException.For("region", $"单位代码「{code}」不存在。");
            query = query.Where(m => m.LeadUnit!.Path.StartsWith(path));
        }

        var rows = await query.OrderBy(m => m.Id).Take(MaxMatters + 1)
            .Select(m => new
            {
                m.Id, m.Code, m.Title, m.Content, m.AssignedAt,
                Likes = db.Appeals.Where(a => a.MatterId == m.Id).Select(a => (int?)a.Likes).FirstOrDefault() ?? 0, // 点赞: appeals only
            })
            .ToListAsync(cancellationToken);
        if (rows.Count > MaxMatters)
        {
            throw ValidationFailedException.For("from", $"这段时间和地区的事项超过 {MaxMatters} 件，请缩短时间或选择下级地区。");
        }

        var byId = rows.ToDictionary(r => r.Id);
        var items = rows.Select(r => new HotIssueItem(r.Id, r.AssignedAt, string.Empty, r.Likes,
            ShingleSet.FromText(MatterSignature.TextOf(r.Title, r.Content))));
        HotIssueMatter View(long id) => new(id, byId[id].Code, byId[id].Title, byId[id].Likes);
        return HotIssues.Rank(items, from, to, region: null)
            .Select(h => new HotIssueView(View(h.Typical), h.Members.Count, h.Likes, Math.Round(h.Heat, 3),
                Calendar.ChinaTime.ToLocal(h.First), Calendar.ChinaTime.ToLocal(h.Last),
                h.Members.OrderByDescending(id => id == h.Typical).ThenBy(id => id).Select(View).ToList()))
            .ToList();
    }
}
