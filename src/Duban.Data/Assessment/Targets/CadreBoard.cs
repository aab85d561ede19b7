using Duban.Assessment;
using Duban.Calendar;
using Duban.Matters;
using Duban.Reviews;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>A 包联 cadre's line: their enterprises' appeals in the period, visits, targets, score and rank.</summary>
/// <param name="CadreId">The cadre.</param>
/// <param name="Name">Their name.</param>
/// <param name="UnitName">Their unit.</param>
/// <param name="Enterprises">Enterprises paired with them at some time in the period.</param>
/// <param name="Appeals">Appeals their enterprises raised in the period while paired with them.</param>
/// <param name="Resolution">解决率 of those appeals, as the review computes it; null when none is decided yet.</param>
/// <param name="Satisfaction">满意率 of those appeals; null when none was rated.</param>
/// <param name="Visits">Their visits dated in the period.</param>
/// <param name="Targets">Their targets in sets of this period.</param>
/// <param name="Completion">The mean 完成率 of those targets; null without targets.</param>
/// <param name="BehindTargets">How many of them lag 序时进度.</param>
/// <param name="Score">The mean of 解决率, 满意率 and 完成率 (capped at 100%) on 0–100; null when none is measurable.</param>
/// <param name="Rank">Rank by score (ties share); null without a score.</param>
public sealed record CadreRow(long CadreId, string Name, string UnitName, int Enterprises, int Appeals, double? Resolution, double? Satisfaction,
    int Visits, int Targets, double? Completion, int BehindTargets, double? Score, int? Rank);

/// <summary>The cadres' board of a period.</summary>
public sealed record CadreBoardView(ReviewPeriod Period, DateOnly Today, IReadOnlyList<CadreRow> Rows);

/// <summary>包联 cadres rewarded on their enterprises' results: appeals, visits and targets, ranked.</summary>
public sealed class CadreBoard(DubanDbContext db, Rules rules, ReviewOptions options, TargetTasks targets, TimeProvider clock)
{
    /// <summary>Every cadre of the period that the reader may see (ranks are among all cadres).</summary>
    /// <exception cref="ValidationFailedException">The period does not parse.</exception>
    public async Task<CadreBoardView> GetAsync(string? period, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var today = ChinaTime.DateOf(clock.GetUtcNow());
        var p = period is { Length: > 0 } ? ReviewPeriod.Parse(period, today) : ReviewPeriod.Holding(PeriodKind.Month, today);
        var (from, to) = (p.From, p.To);
        var role = WireEnum.Name(Role.Cadre).ToUpperInvariant();
        var cadres = await db.Users.AsNoTracking()
            .Where(u => db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.NormalizedName == role)))
            .Select(u => new { u.Id, u.DisplayName, u.UnitId, UnitName = u.Unit!.Name }).ToListAsync(cancellationToken);
        var pairings = await db.EnterprisePairings.AsNoTracking().Where(x => x.From <= to && (x.To == null || x.To > from))
            .Select(x => new { x.CadreId, x.EnterpriseId, x.Enterprise!.CreditCode, x.From, x.To }).ToListAsync(cancellationToken);
        var codes = pairings.Select(x => x.CreditCode).Distinct().ToList();
        var start = ChinaTime.StartOf(from);
        var end = ChinaTime.EndOf(to);
        var appeals = await db.Appeals.AsNoTracking()
            .Where(a => a.EnterpriseCode != null && codes.Contains(a.EnterpriseCode) && a.ReceivedAt >= start && a.ReceivedAt < end)
            .Select(a => new { a.MatterId, a.EnterpriseCode, a.ReceivedAt }).ToListAsync(cancellationToken);

        // Each appeal belongs to the cadre paired with its enterprise on the day it was received.
        var byCadre = appeals.Select(a =>
        {
            var day = ChinaTime.DateOf(a.ReceivedAt);
            var pairing = pairings.FirstOrDefault(x => x.CreditCode == a.EnterpriseCode && x.From <= day && (x.To == null || x.To > day));
            return (Cadre: pairing?.CadreId, a.MatterId);
        }).Where(x => x.Cadre is not null).GroupBy(x => x.Cadre!.Value).ToDictionary(g => g.Key, g => g.Select(x => x.MatterId).ToList());
        var matterIds = byCadre.Values.SelectMany(v => v).Distinct().ToList();
        var matters = await db.Matters.AsNoTracking().Include(m => m.Milestones).Include(m => m.CoUnits)
            .Where(m => matterIds.Contains(m.Id)).ToDictionaryAsync(m => m.Id, cancellationToken);

        var visits = await db.Visits.AsNoTracking().Where(v => v.Date >= from && v.Date <= to)
            .GroupBy(v => v.CadreId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);

        // Targets of this period's sets, as the office sees them (every cadre's, with the ranks).
        var office = new Actor("system:targets", "目标任务", actor.UnitId, new HashSet<Role> { Role.Admin });
        var setIds = await db.TargetSets.AsNoTracking().Where(s => s.PeriodKey == p.Key).Select(s => s.Id).ToListAsync(cancellationToken);
        var targetRows = new List<TargetRow>();
        foreach (var id in setIds)
        {
            targetRows.AddRange((await targets.ProgressAsync(id, office, cancellationToken)).Rows.Where(r => r.Owner.CadreId is not null));
        }

        var rows = cadres.Select(c =>
        {
            var facts = new UnitFacts();
            var ids = byCadre.GetValueOrDefault(c.Id) ?? [];
            foreach (var id in ids)
            {
                var matter = matters[id];
                foreach (var (key, f) in MatterFacts.Standing(matter.ToState(), rules.Calendar, options.Facts).Entries)
                {
                    foreach (var fact in Enum.GetValues<Fact>())
                    {
                        // As the review sums them: a pending milestone counts only once its due day has passed.
                        if (!UnitFacts.IsPending(fact) || key.Day < today)
                        {
                            facts[fact] += f[fact];
                        }
                    }
                }

                if (matter.Satisfaction is { } rating)
                {
                    facts[rating switch
                    {
                        Satisfaction.Satisfied => Fact.RatedSatisfied,
                        Satisfaction.Basically => Fact.RatedBasically,
                        _ => Fact.RatedDissatisfied,
                    }]++;
                }
            }

            var metrics = UnitMetrics.From(facts);
            var own = targetRows.Where(r => r.Owner.CadreId == c.Id).ToList();
            double? completion = own.Count == 0 ? null : own.Average(r => r.Completion);
            var resolution = metrics.Value(Metric.ResolutionRate);
            var satisfaction = metrics.Value(Metric.SatisfactionRate);
            return new CadreRow(c.Id, c.DisplayName, c.UnitName, pairings.Where(x => x.CadreId == c.Id).Select(x => x.EnterpriseId).Distinct().Count(),
                ids.Count, resolution, satisfaction, visits.GetValueOrDefault(c.Id), own.Count, completion, own.Count(r => r.Behind),
                Targets.CadreScore(resolution, satisfaction, completion), null);
        }).ToList();
        var ranks = Ranking.StandardRanks(rows.Select(r => (r.CadreId, r.Score)));
        var visible = await targets.VisibleAsync(actor, cancellationToken);
        var unitOf = cadres.ToDictionary(c => c.Id, c => c.UnitId);
        return new CadreBoardView(p, today, rows
            .Where(r => visible.Sees(null, r.CadreId, unitOf[r.CadreId]))
            .Select(r => r with { Rank = ranks.GetValueOrDefault(r.CadreId) })
            .OrderBy(r => r.Rank ?? int.MaxValue).ThenBy(r => r.Name, StringComparer.Ordinal).ToList());
    }
}
