using Duban.Matters;
using Duban.Reviews;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>One lead unit's metrics over a campaign's matters in a period.</summary>
public sealed record CampaignReviewRow(UnitRef Unit, UnitMetrics Metrics);

/// <summary>A campaign's review (讲评) for a period: per lead unit, the review's own metrics over the campaign's matters only.</summary>
public sealed record CampaignReview(CampaignView Campaign, ReviewPeriod Period, IReadOnlyList<CampaignReviewRow> Rows, bool Truncated);

/// <summary>
/// The monthly (or any period's) review filtered to a campaign. The stored review counters are summed per unit and day,
/// not per matter, so a campaign's share cannot come from them: this replays each tagged matter's history with the
/// review's own fact code (<see cref="MatterFacts.Replay"/>), keeps the lead-unit counters filed on the period's days (pending ones only before today, as the review's drill-down does) and
/// reads them with <see cref="UnitMetrics"/>, so every rate means what it means in the review.
/// </summary>
public sealed class CampaignReviews(DubanDbContext db, Rules rules, ReviewOptions options, TimeProvider clock)
{
    /// <summary>Matters replayed at most (the newest first); beyond it the review says it is partial.</summary>
    public const int MaxMatters = 20_000;

    /// <exception cref="NotFoundException">No such campaign.</exception>
    public async Task<CampaignReview> GetAsync(long campaignId, ReviewPeriod period, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(period);
        var campaign = await db.Campaigns.AsNoTracking().SingleOrDefaultAsync(c => c.Id == campaignId, cancellationToken)
            ?? throw new NotFoundException($"专项行动 {campaignId} 不存在。");
        var visible = await VisibleMatters.QueryAsync(db, actor, cancellationToken);
        var ids = await visible.Where(m => db.MatterCampaigns.Any(t => t.MatterId == m.Id && t.CampaignId == campaignId))
            .OrderByDescending(m => m.Id).Select(m => m.Id).Take(MaxMatters + 1).ToListAsync(cancellationToken);
        var truncated = ids.Count > MaxMatters;
        var today = Calendar.ChinaTime.DateOf(clock.GetUtcNow());
        var byUnit = new Dictionary<long, UnitFacts>();
        foreach (var chunk in ids.Take(MaxMatters).Chunk(500))
        {
            var events = await db.MatterEvents.AsNoTracking().Where(e => chunk.Contains(e.MatterId))
                .OrderBy(e => e.MatterId).ThenBy(e => e.Sequence).ToListAsync(cancellationToken);
            foreach (var history in events.GroupBy(e => e.MatterId))
            {
                var delta = MatterFacts.Replay(history.Select(e => e.ToEvent()), rules.Calendar, options.Facts);
                foreach (var (key, facts) in delta.Entries)
                {
                    if (key.Role == FactRole.Lead && period.Contains(key.Day))
                    {
                        if (!byUnit.TryGetValue(key.UnitId, out var sum))
                        {
                            byUnit[key.UnitId] = sum = new UnitFacts();
                        }

                        // As the review's drill-down: a milestone due from today on is not yet decided.
                        foreach (var fact in Enum.GetValues<Fact>())
                        {
                            if (!UnitFacts.IsPending(fact) || key.Day < today)
                            {
                                sum[fact] += facts[fact];
                            }
                        }
                    }
                }
            }
        }

        var unitIds = byUnit.Keys.ToList();
        var units = await db.Units.AsNoTracking().Where(u => unitIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, ViewMapping.Ref, cancellationToken);
        var rows = byUnit.Select(e => new CampaignReviewRow(units[e.Key], UnitMetrics.From(e.Value)))
            .OrderBy(r => r.Unit.Code, StringComparer.Ordinal).ToList();
        return new CampaignReview(new CampaignView(campaign.Id, campaign.Name, campaign.From, campaign.To, campaign.Note, ids.Count), period, rows, truncated);
    }
}
