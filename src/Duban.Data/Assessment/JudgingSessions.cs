using Duban.Text;
using System.Text.Json;
using Duban.Assessment;
using Duban.Matters;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>What opening a judging session takes.</summary>
/// <param name="Scheme">The scheme whose criteria are scored.</param>
/// <param name="Period">The period (2024-Q1).</param>
/// <param name="Title">What the session is called (第一季度比拼现场评审).</param>
/// <param name="Units">The units judged, by id.</param>
/// <param name="Judges">The judges, by user id.</param>
public sealed record NewJudgingSession(long Scheme, string? Period, string? Title, IReadOnlyList<long>? Units, IReadOnlyList<long>? Judges);

/// <summary>A judge's scores of a unit as shown.</summary>
public sealed record JudgeScoreView(long UnitId, long JudgeUserId, string JudgeName, IReadOnlyDictionary<string, double> Scores, double Total,
    DateTimeOffset At);

/// <summary>A unit of a session as shown: its judged score once the session is closed.</summary>
public sealed record JudgingEntryView(UnitRef Unit, double? Combined, int Scored);

/// <summary>A session as one reader may see it: a judge, while it is open, sees only their own scores.</summary>
public sealed record JudgingSessionView(long Id, long SchemeId, string SchemeName, string PeriodKey, string Title, JudgingStatus Status,
    JudgingRules Rules, IReadOnlyList<JudgingEntryView> Entries, IReadOnlyList<(long UserId, string Name)> Judges,
    IReadOnlyList<JudgeScoreView> Scores, bool IsJudge, bool Manages, DateTimeOffset OpenedAt, DateTimeOffset? ClosedAt)
{
    /// <summary>Who has scored which unit (never the scores): what the office sees while the session is open.</summary>
    public IReadOnlyList<(long UnitId, long JudgeUserId)> Scored { get; init; } = [];
}

/// <summary>
/// 评委打分: the office opens a session for a scheme and period, naming the units and the judges; each judge scores each
/// unit once on the scheme's criteria (a second score is refused: the row is the audit record); while it is open a judge
/// sees only their own scores; closing it makes the scores final and counts them in the scheme's results.
/// </summary>
public sealed class JudgingSessions(DubanDbContext db, AssessmentResults results, TimeProvider clock)
{
    /// <summary>Opens a session.</summary>
    /// <exception cref="ValidationFailedException">A scheme without judging, no units or judges, or one outside the group.</exception>
    public async Task<long> OpenAsync(NewJudgingSession input, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        AssessmentSchemes.EnsureManager(actor);
        var (scheme, period) = await results.LoadAsync(input.Scheme, input.Period, cancellationToken);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var version = await db.AssessmentSchemeVersions.AsNoTracking().SingleAsync(v => v.SchemeId == scheme.Id && v.Version == scheme.CurrentVersion, cancellationToken);
        if (SchemeJson.Read(version.Rules).Judging is null)
        {
            errors["scheme"] = [$"考评办法「{scheme.Name}」没有评委打分。"];
        }

        var title = UserText.Clean(input.Title);
        if (string.IsNullOrEmpty(title) || title.Length > 100)
        {
            errors["title"] = ["请填写评审名称（最长 100 字）。"];
        }

        var units = input.Units?.Distinct().ToList() ?? [];
        var members = await results.MembersAsync(scheme, cancellationToken);
        if (units.Count == 0)
        {
            errors["units"] = ["请选择参评单位。"];
        }
        else if (units.FirstOrDefault(u => !members.ContainsKey(u)) is var outside && outside != 0)
        {
            errors["units"] = [$"单位 {outside} 不在考评对象「{scheme.Group}」中。"];
        }

        var judges = input.Judges?.Distinct().ToList() ?? [];
        var known = await db.Users.AsNoTracking().Where(u => judges.Contains(u.Id)).Select(u => u.Id).ToListAsync(cancellationToken);
        if (judges.Count == 0)
        {
            errors["judges"] = ["请选择评委。"];
        }
        else if (judges.Except(known).Any())
        {
            errors["judges"] = ["有评委的账号不存在。"];
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        var session = new JudgingSession
        {
            SchemeId = scheme.Id, VersionId = version.Id, PeriodKey = period.Key, Title = title!, Status = JudgingStatus.Open,
            OpenedAt = clock.GetUtcNow(), OpenedBy = actor.Name,
            Entries = units.Select(u => new JudgingEntry { UnitId = u }).ToList(),
            Judges = judges.Select(j => new JudgingJudge { UserId = j }).ToList(),
        };
        db.JudgingSessions.Add(session);
        await db.SaveChangesAsync(cancellationToken);
        return session.Id;
    }

    /// <summary>Records a judge's scores of a unit, once.</summary>
    /// <exception cref="ForbiddenException">The actor is not a judge of the session.</exception>
    /// <exception cref="RuleConflictException">The session is closed, or the judge already scored the unit.</exception>
    /// <exception cref="ValidationFailedException">A score outside a criterion's range, a missing or unknown criterion,
    /// a unit not in the session.</exception>
    public async Task ScoreAsync(long sessionId, long unitId, IReadOnlyDictionary<string, double>? scores, Actor actor,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var session = await LoadAsync(sessionId, cancellationToken);
        var judge = JudgeOf(actor);
        if (judge is null || session.Judges.All(j => j.UserId != judge))
        {
            throw new ForbiddenException("您不是本次评审的评委。");
        }

        if (session.Status == JudgingStatus.Closed)
        {
            throw new RuleConflictException("本次评审已经结束，不能再打分。");
        }

        if (session.Entries.All(e => e.UnitId != unitId))
        {
            throw ValidationFailedException.For("unit", "该单位不在本次评审中。");
        }

        var rules = await RulesAsync(session, cancellationToken);
        var total = Judging.Total(rules, scores ?? new Dictionary<string, double>());
        if (await db.JudgeScores.AnyAsync(s => s.SessionId == sessionId && s.UnitId == unitId && s.JudgeUserId == judge, cancellationToken))
        {
            throw new RuleConflictException("您已为该单位打过分，分数提交后不能修改。");
        }

        db.JudgeScores.Add(new JudgeScore
        {
            SessionId = sessionId, UnitId = unitId, JudgeUserId = judge.Value, Total = total, At = clock.GetUtcNow(),
            Scores = JsonSerializer.Serialize(rules.Criteria.ToDictionary(c => c.Name, c => scores![c.Name])),
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            throw new RuleConflictException("您已为该单位打过分，分数提交后不能修改。");
        }
    }

    /// <summary>Closes a session: its scores become final and count in the scheme's results.</summary>
    /// <exception cref="RuleConflictException">Already closed.</exception>
    public async Task CloseAsync(long sessionId, Actor actor, CancellationToken cancellationToken = default)
    {
        AssessmentSchemes.EnsureManager(actor);
        var session = await db.JudgingSessions.SingleOrDefaultAsync(s => s.Id == sessionId, cancellationToken) ?? throw NotFound(sessionId);
        if (session.Status == JudgingStatus.Closed)
        {
            throw new RuleConflictException("本次评审已经结束。");
        }

        session.Status = JudgingStatus.Closed;
        session.ClosedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>A session as the reader may see it.</summary>
    /// <exception cref="NotFoundException">No such session, or the reader is neither a judge nor the office nor a leader.</exception>
    public async Task<JudgingSessionView> GetAsync(long sessionId, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var session = await LoadAsync(sessionId, cancellationToken);
        var judge = JudgeOf(actor);
        var isJudge = judge is not null && session.Judges.Any(j => j.UserId == judge);
        var manages = actor.Has(Role.Supervisor) || actor.Has(Role.Admin);
        if (!isJudge && !AccessRules.MayAssign(actor))
        {
            throw NotFound(sessionId);
        }

        var rules = await RulesAsync(session, cancellationToken);
        var judgeIds = session.Judges.Select(j => j.UserId).ToList();
        var names = await db.Users.AsNoTracking().Where(u => judgeIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);
        var unitIds = session.Entries.Select(e => e.UnitId).ToList();
        var units = await db.Units.AsNoTracking().Where(u => unitIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => new UnitRef(u.Id, u.Code, u.Name), cancellationToken);
        var scores = await db.JudgeScores.AsNoTracking().Where(s => s.SessionId == sessionId).OrderBy(s => s.Id).ToListAsync(cancellationToken);
        var closed = session.Status == JudgingStatus.Closed;

        // While open, a judge sees their own scores only; the office sees who has scored, not the scores.
        var shown = scores.Where(s => closed || s.JudgeUserId == judge).ToList();
        var entries = session.Entries.Select(e =>
        {
            var mine = scores.Where(s => s.UnitId == e.UnitId).ToList();
            return new JudgingEntryView(units[e.UnitId], closed ? Judging.Combine(mine.Select(s => s.Total).ToList(), rules.Combination) : null, mine.Count);
        }).OrderBy(e => e.Unit.Code, StringComparer.Ordinal).ToList();
        var scheme = await db.AssessmentSchemes.AsNoTracking().Where(s => s.Id == session.SchemeId).Select(s => s.Name).SingleAsync(cancellationToken);
        return new JudgingSessionView(session.Id, session.SchemeId, scheme, session.PeriodKey, session.Title, session.Status, rules, entries,
            judgeIds.Select(j => (j, names.GetValueOrDefault(j, "（已删除的账号）"))).ToList(),
            shown.Select(s => new JudgeScoreView(s.UnitId, s.JudgeUserId, names.GetValueOrDefault(s.JudgeUserId, ""),
                JsonSerializer.Deserialize<Dictionary<string, double>>(s.Scores) ?? [], s.Total, s.At)).ToList(),
            isJudge, manages, session.OpenedAt, session.ClosedAt)
        {
            Scored = scores.Select(s => (s.UnitId, s.JudgeUserId)).ToList(),
        };
    }

    /// <summary>The sessions the reader judges or may oversee, newest first.</summary>
    public async Task<IReadOnlyList<(long Id, string Title, string PeriodKey, JudgingStatus Status, bool IsJudge)>> ListAsync(Actor actor,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var judge = JudgeOf(actor) ?? -1;
        var all = AccessRules.MayAssign(actor);
        var rows = await db.JudgingSessions.AsNoTracking().Where(s => all || s.Judges.Any(j => j.UserId == judge)).OrderByDescending(s => s.Id)
            .Select(s => new { s.Id, s.Title, s.PeriodKey, s.Status, IsJudge = s.Judges.Any(j => j.UserId == judge) }).ToListAsync(cancellationToken);
        return rows.Select(r => (r.Id, r.Title, r.PeriodKey, r.Status, r.IsJudge)).ToList();
    }

    private async Task<JudgingSession> LoadAsync(long id, CancellationToken cancellationToken) =>
        await db.JudgingSessions.AsNoTracking().Include(s => s.Entries).Include(s => s.Judges).SingleOrDefaultAsync(s => s.Id == id, cancellationToken)
        ?? throw NotFound(id);

    private async Task<JudgingRules> RulesAsync(JudgingSession session, CancellationToken cancellationToken)
    {
        var json = await db.AssessmentSchemeVersions.AsNoTracking().Where(v => v.Id == session.VersionId).Select(v => v.Rules).SingleAsync(cancellationToken);
        return SchemeJson.Read(json).Judging ?? throw new InvalidOperationException("A judging session's scheme version has no judging.");
    }

    /// <summary>The user id of a signed-in person (<c>user:5</c>); null for an API token.</summary>
    private static long? JudgeOf(Actor actor) => Enterprises.PersonOf(actor);

    private static NotFoundException NotFound(long id) => new($"评审 {id} 不存在。");
}
