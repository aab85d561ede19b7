using Duban.Text;
using System.Text.Json;
using Duban.Assessment;
using Duban.Calendar;
using Duban.Matters;
using Duban.Reviews;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace Duban.Data;

/// <summary>A component's part of a result row.</summary>
public sealed record ResultComponent(Metric Metric, double Weight, double? Value, double? Points);

/// <summary>A point rule's part of a result row.</summary>
public sealed record ResultRule(PointEvent Event, long Count, double Points, bool Capped);

/// <summary>One unit's result. For a reader who may see only their own unit, the other rows carry the rank and total
/// alone (<see cref="Components"/> and <see cref="Rules"/> empty, the parts null).</summary>
public sealed record ResultRow(long UnitId, string Code, string Name, IReadOnlyList<ResultComponent> Components, double? MetricScore,
    double? JudgeScore, double? Weighted, IReadOnlyList<ResultRule> Rules, double? Base, double? Adjustment, double Total, int? Rank,
    bool Detailed);

/// <summary>A scheme's result for a period: published (frozen, with the version it used) or computed now.</summary>
public sealed record AssessmentTable(long SchemeId, string SchemeName, string Group, int Version, SchemeRules Rules, ReviewPeriod Period,
    bool Published, DateTimeOffset? PublishedAt, string? PublishedBy, IReadOnlyList<ResultRow> Rows)
{
    /// <summary>What the page says when nobody has anything to assess.</summary>
    public const string EmptyNote = "本期该分组没有可考评的数据。";

    /// <summary>Whether no unit was assessed.</summary>
    public bool IsEmpty => Rows.All(r => r.Rank is null);
}

/// <summary>An adjustment as listed.</summary>
public sealed record AdjustmentView(long Id, UnitRef Unit, double Points, string Reason, DateTimeOffset At, string ByName);

/// <summary>
/// Assessment results (考评结果): a scheme's table for a period, computed from the review counters (never the events),
/// the office's adjustments and the closed judging sessions; published once, after the period, and frozen then.
/// </summary>
public sealed class AssessmentResults(DubanDbContext db, ReviewQueries reviews, ReviewOptions options, TimeProvider clock)
{
    /// <summary>The table of a period: the published one if there is one, else computed now with the current version.</summary>
    /// <exception cref="ValidationFailedException">The period does not parse, is of another kind, lies outside the
    /// scheme's dates or in the future.</exception>
    public async Task<AssessmentTable> GetAsync(long schemeId, string? periodKey, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var (scheme, period) = await LoadAsync(schemeId, periodKey, cancellationToken);
        var published = await db.AssessmentResults.AsNoTracking().Include(r => r.SchemeVersion)
            .SingleOrDefaultAsync(r => r.SchemeId == schemeId && r.PeriodKey == period.Key, cancellationToken);
        var table = published is not null
            ? new AssessmentTable(scheme.Id, scheme.Name, scheme.Group, published.SchemeVersion!.Version, SchemeJson.Read(published.SchemeVersion.Rules),
                period, true, published.PublishedAt, published.PublishedBy,
                JsonSerializer.Deserialize<List<ResultRow>>(published.Rows, SchemeJson.Api) ?? [])
            : await ComputeAsync(scheme, period, cancellationToken);
        return ForReader(table, actor);
    }

    /// <summary>Publishes the table of an ended period, computed now with the current version, and freezes it.</summary>
    /// <exception cref="RuleConflictException">Already published, or the period has not ended.</exception>
    public async Task<AssessmentTable> PublishAsync(long schemeId, string? periodKey, Actor actor, CancellationToken cancellationToken = default)
    {
        AssessmentSchemes.EnsureManager(actor);
        var (scheme, period) = await LoadAsync(schemeId, periodKey, cancellationToken);
        if (period.To >= Today)
        {
            throw new RuleConflictException($"{period.Label}还没有结束，结束后才能发布考评结果。");
        }

        if (await db.AssessmentResults.AnyAsync(r => r.SchemeId == schemeId && r.PeriodKey == period.Key, cancellationToken))
        {
            throw new RuleConflictException($"{period.Label}的考评结果已经发布，不能再次发布。");
        }

        var table = await ComputeAsync(scheme, period, cancellationToken);
        var version = await db.AssessmentSchemeVersions.AsNoTracking().Where(v => v.SchemeId == schemeId && v.Version == scheme.CurrentVersion)
            .Select(v => v.Id).SingleAsync(cancellationToken);
        db.AssessmentResults.Add(new AssessmentResult
        {
            SchemeId = schemeId, VersionId = version, PeriodKey = period.Key, Rows = JsonSerializer.Serialize(table.Rows, SchemeJson.Api),
            PublishedAt = clock.GetUtcNow(), PublishedBy = actor.Name,
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // A concurrent publication won the unique index.
            throw new RuleConflictException($"{period.Label}的考评结果已经发布，不能再次发布。");
        }

        return await GetAsync(schemeId, period.Key, actor, cancellationToken);
    }

    /// <summary>Adds points to (or takes them from) a unit for a period, with the reason: an event, never edited.</summary>
    /// <exception cref="RuleConflictException">The period's result is published.</exception>
    /// <exception cref="ValidationFailedException">No points, no reason, a unit outside the scheme's group.</exception>
    public async Task<long> AdjustAsync(long schemeId, string? periodKey, long unitId, double? points, string? reason, Actor actor,
        CancellationToken cancellationToken = default)
    {
        AssessmentSchemes.EnsureManager(actor);
        var (scheme, period) = await LoadAsync(schemeId, periodKey, cancellationToken);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (points is not { } p || !double.IsFinite(p) || p == 0 || Math.Abs(p) > 100)
        {
            errors["points"] = ["调整分值须是 -100 到 100 之间、不为 0 的数字。"];
        }

        var why = UserText.Clean(reason);
        if (string.IsNullOrEmpty(why))
        {
            errors["reason"] = ["请写明调整的理由。"];
        }
        else if (why.Length > 500)
        {
            errors["reason"] = ["理由最长 500 字。"];
        }

        var members = await MembersAsync(scheme, cancellationToken);
        if (!members.ContainsKey(unitId))
        {
            errors["unit"] = [$"该单位不在考评对象「{scheme.Group}」中。"];
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        if (await db.AssessmentResults.AnyAsync(r => r.SchemeId == schemeId && r.PeriodKey == period.Key, cancellationToken))
        {
            throw new RuleConflictException($"{period.Label}的考评结果已经发布，不能再调整分数。");
        }

        var adjustment = new AssessmentAdjustment
        {
            SchemeId = schemeId, PeriodKey = period.Key, UnitId = unitId, Points = points!.Value, Reason = why!, At = clock.GetUtcNow(),
            By = actor.Id, ByName = actor.Name,
        };
        db.AssessmentAdjustments.Add(adjustment);
        await db.SaveChangesAsync(cancellationToken);
        return adjustment.Id;
    }

    /// <summary>The adjustments of a period, oldest first; a unit reader sees its own.</summary>
    public async Task<IReadOnlyList<AdjustmentView>> AdjustmentsAsync(long schemeId, string? periodKey, Actor actor,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var (_, period) = await LoadAsync(schemeId, periodKey, cancellationToken);
        var query = db.AssessmentAdjustments.AsNoTracking().Where(a => a.SchemeId == schemeId && a.PeriodKey == period.Key);
        if (!AccessRules.MayAssign(actor))
        {
            query = query.Where(a => a.UnitId == actor.UnitId);
        }

        return (await query.OrderBy(a => a.Id).Select(a => new { a.Id, a.UnitId, a.Unit!.Code, a.Unit.Name, a.Points, a.Reason, a.At, a.ByName })
                .ToListAsync(cancellationToken))
            .Select(a => new AdjustmentView(a.Id, new UnitRef(a.UnitId, a.Code, a.Name), a.Points, a.Reason, a.At, a.ByName)).ToList();
    }

    /// <summary>The units of a scheme's peer group, by id.</summary>
    internal async Task<IReadOnlyDictionary<long, UnitRef>> MembersAsync(AssessmentScheme scheme, CancellationToken cancellationToken) =>
        (await db.Units.AsNoTracking().Where(u => u.Active).Select(u => new { u.Id, u.Code, u.Name, u.Level }).ToListAsync(cancellationToken))
        .Where(u => options.GroupOf(u.Code, u.Level) == scheme.Group)
        .ToDictionary(u => u.Id, u => new UnitRef(u.Id, u.Code, u.Name));

    /// <summary>The scheme and a period of its kind inside its dates.</summary>
    internal async Task<(AssessmentScheme Scheme, ReviewPeriod Period)> LoadAsync(long schemeId, string? periodKey, CancellationToken cancellationToken)
    {
        var scheme = await db.AssessmentSchemes.AsNoTracking().SingleOrDefaultAsync(s => s.Id == schemeId, cancellationToken)
            ?? throw AssessmentSchemes.NotFound(schemeId);
        var period = SchemeJson.PeriodOf(scheme.PeriodKind, periodKey, Today);
        if (period.To < scheme.From || (scheme.To is { } to && period.From > to))
        {
            throw ValidationFailedException.For("period",
                $"{period.Label}不在考评办法「{scheme.Name}」的适用时段内（{scheme.From:yyyy-MM-dd} 起{(scheme.To is { } end ? $"至 {end:yyyy-MM-dd}" : "")}）。");
        }

        return (scheme, period);
    }

    private DateOnly Today => ChinaTime.DateOf(clock.GetUtcNow());

    /// <summary>The scheme's owner, the supervision office whose full view of the reviews it scores.</summary>
    private static Actor OwnerOf(AssessmentScheme scheme) => Owner(scheme.OwnerUnitId);

    /// <summary>The supervision office of a unit, as the assessment reads the reviews for it (every unit's figures).</summary>
    internal static Actor Owner(long officeUnitId) => new("assessment", "考评", officeUnitId, new HashSet<Role> { Role.Supervisor });

    private async Task<AssessmentTable> ComputeAsync(AssessmentScheme scheme, ReviewPeriod period, CancellationToken cancellationToken)
    {
        var version = await db.AssessmentSchemeVersions.AsNoTracking().Where(v => v.SchemeId == scheme.Id && v.Version == scheme.CurrentVersion)
            .Select(v => v.Rules).SingleAsync(cancellationToken);
        var rules = SchemeJson.Read(version);
        var review = await reviews.GetAsync(period, scheme.Group, OwnerOf(scheme), cancellationToken, rankChange: false);
        var adjustments = (await db.AssessmentAdjustments.AsNoTracking().Where(a => a.SchemeId == scheme.Id && a.PeriodKey == period.Key)
                .OrderBy(a => a.Id).Select(a => new { a.UnitId, a.Points, a.Reason }).ToListAsync(cancellationToken))
            .ToLookup(a => a.UnitId, a => new Adjustment(a.Points, a.Reason));
        var judged = await JudgedAsync(scheme.Id, period.Key, rules, cancellationToken);
        var citations = await Citations.CountAsync(db, period.From, period.To, cancellationToken);
        var inputs = review.Rows.Select(r => new AssessmentInput(r.Unit.Id, r.Unit.Code, r.Unit.Name, r.Metrics ?? UnitMetrics.From(new UnitFacts()),
                citations.GetValueOrDefault(r.Unit.Id) ?? new Dictionary<PointEvent, long>(), judged.TryGetValue(r.Unit.Id, out var score) ? score : null,
                adjustments[r.Unit.Id].ToList()))
            .ToList();
        var rows = Scoring.Score(rules, inputs).Select(r => new ResultRow(r.Input.UnitId, r.Input.Code, r.Input.Name,
                r.Components.Select(c => new ResultComponent(c.Metric, c.Weight, c.Value, c.Points)).ToList(), r.MetricScore, r.JudgeScore, r.Weighted,
                r.Rules.Select(x => new ResultRule(x.Event, x.Count, x.Points, x.Capped)).ToList(), r.Base, r.Adjustment, r.Total, r.Rank, true))
            .ToList();
        return new AssessmentTable(scheme.Id, scheme.Name, scheme.Group, scheme.CurrentVersion, rules, period, false, null, null, rows);
    }

    /// <summary>Each unit's judged score (0–100): the closed sessions' judges' totals, combined by the scheme's rule.</summary>
    private async Task<IReadOnlyDictionary<long, double>> JudgedAsync(long schemeId, string periodKey, SchemeRules rules,
        CancellationToken cancellationToken)
    {
        if (rules.Judging is not { } judging)
        {
            return new Dictionary<long, double>();
        }

        var totals = await db.JudgeScores.AsNoTracking()
            .Where(s => db.JudgingSessions.Any(j => j.Id == s.SessionId && j.SchemeId == schemeId && j.PeriodKey == periodKey && j.Status == JudgingStatus.Closed))
            .Select(s => new { s.UnitId, s.Total }).ToListAsync(cancellationToken);
        return totals.GroupBy(t => t.UnitId)
            .ToDictionary(g => g.Key, g => Judging.Combine(g.Select(t => t.Total).ToList(), judging.Combination)!.Value);
    }

    /// <summary>The office, leaders and administrators see every part; anyone else their own unit's, and the others'
    /// totals and ranks.</summary>
    private static AssessmentTable ForReader(AssessmentTable table, Actor actor) =>
        AccessRules.MayAssign(actor)
            ? table
            : table with
            {
                Rows = table.Rows.Select(r => r.UnitId == actor.UnitId
                    ? r
                    : r with { Components = [], MetricScore = null, JudgeScore = null, Weighted = null, Rules = [], Base = null, Adjustment = null, Detailed = false })
                    .ToList(),
            };

    /// <summary>The file name offered for download: 县区2024年3月考评结果.xlsx.</summary>
    public static string FileName(AssessmentTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return $"{table.SchemeName}{table.Period.Label}考评结果.xlsx";
    }

    /// <summary>The table as an .xlsx: 排名, 单位, 总分, then every part; a 说明 sheet with the scheme's rules. Uses
    /// MiniExcel's synchronous writer (its asynchronous one misplaces the sheet's drawing).</summary>
    public static void WriteXlsx(Stream stream, AssessmentTable table)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(table);
        var rows = table.Rows.Select(r =>
        {
            var row = new Dictionary<string, object?>
            {
                ["排名"] = r.Rank is { } rank ? rank : "—",
                ["单位"] = r.Name,
                ["总分"] = r.Total,
                ["基础分"] = (object?)r.Base ?? "—",
                ["指标得分"] = (object?)r.MetricScore ?? "—",
                ["评委得分"] = (object?)r.JudgeScore ?? "—",
                ["加权得分"] = (object?)r.Weighted ?? "—",
            };
            foreach (var c in table.Rules.Components)
            {
                var part = r.Components.FirstOrDefault(x => x.Metric == c.Metric);
                row[$"{Metrics.Label(c.Metric)}"] = part?.Value is { } v ? v : "—";
                row[$"{Metrics.Label(c.Metric)}得分"] = part?.Points is { } p ? Math.Round(p, 2) : "—";
            }

            foreach (var rule in table.Rules.PointRules)
            {
                var part = r.Rules.FirstOrDefault(x => x.Event == rule.Event);
                row[$"{Scoring.Label(rule.Event)}（次）"] = part is null ? "—" : part.Count;
                row[$"{Scoring.Label(rule.Event)}积分"] = part is null ? "—" : part.Points;
            }

            row["调整"] = (object?)r.Adjustment ?? "—";
            return row;
        }).ToList();
        var notes = new List<Dictionary<string, object?>>
        {
            new() { ["项目"] = "考评办法", ["内容"] = $"{table.SchemeName}（第 {table.Version} 版）" },
            new() { ["项目"] = "考评对象", ["内容"] = table.Group },
            new() { ["项目"] = "考评时段", ["内容"] = table.Period.Label },
            new() { ["项目"] = "状态", ["内容"] = table.Published ? $"已发布（{ChinaTime.ToLocal(table.PublishedAt!.Value):yyyy-MM-dd HH:mm}，{table.PublishedBy}）" : "未发布（按当前数据计算）" },
            new() { ["项目"] = "计分方法", ["内容"] = "总分 = 基础分 + 加权得分 + 积分增减 + 调整；加权得分 = 指标得分 ×（1 − 评委权重）+ 评委得分 × 评委权重" },
        };
        notes.AddRange(table.Rules.Components.Select(c => new Dictionary<string, object?>
            {
                ["项目"] = Metrics.Label(c.Metric),
                ["内容"] = c.Mapping == PointMapping.Rank
                    ? $"权重 {c.Weight * 100:0.##}%，按名次折算"
                    : $"权重 {c.Weight * 100:0.##}%，{Metrics.Format(c.Metric, c.Floor)} 得 0 分，{Metrics.Format(c.Metric, c.Target)} 得 100 分",
            }));
        notes.AddRange(table.Rules.PointRules.Select(r => new Dictionary<string, object?>
            {
                ["项目"] = Scoring.Label(r.Event),
                ["内容"] = $"每次 {r.Points:+0.##;-0.##} 分{(r.Cap is { } cap ? $"，每期最多 {cap:0.##} 分" : "")}",
            }));
        if (table.Rules.Judging is { } judging)
        {
            notes.Add(new() { ["项目"] = "评委打分", ["内容"] = $"权重 {judging.Weight * 100:0.##}%，{Judging.Label(judging.Combination)}；评分项：{string.Join("、", judging.Criteria.Select(c => $"{c.Name}（{c.Max:0.##} 分）"))}" });
        }

        stream.SaveAs(new Dictionary<string, object> { ["考评结果"] = rows, ["说明"] = notes });
    }
}
