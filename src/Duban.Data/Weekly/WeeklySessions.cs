using System.Globalization;
using Duban.Calendar;
using Duban.Matters;
using Duban.Reviews;
using Duban.Text;
using Duban.TimeLimits;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>
/// 周交办: numbered weekly sessions that assign a set of matters, are sent (下发) to the units once with a notice linking
/// each unit's 交办单, and report on the previous session (上次交办落实情况).
/// <para>Who: the office, leaders and admins manage the sessions of the government they oversee (<see cref="ManagesAsync"/>);
/// a unit sees a sent session that includes one of its matters (as lead or co-unit), and only its own matters and 交办单.
/// Anyone else gets 404, as for a session that does not exist.</para>
/// </summary>
public sealed class WeeklySessions(DubanDbContext db, TimeProvider clock)
{
    public const int MaxMeeting = 100, MaxNote = 2000, MaxMattersPerCall = 200, MaxCandidates = 200, MaxListed = 200;

    /// <summary>第3次周交办.</summary>
    public static string TitleOf(int number) => string.Create(CultureInfo.InvariantCulture, $"第{number}次周交办");

    /// <summary>草稿 or 已下发.</summary>
    public static string StatusName(WeeklySessionStatus status) => status switch
    {
        WeeklySessionStatus.Draft => "草稿",
        WeeklySessionStatus.Sent => "已下发",
    };

    /// <summary>The statuses of a matter that may join a session: still being handled by its unit.</summary>
    private static readonly MatterStatus[] OpenStatuses = [MatterStatus.Assigned, MatterStatus.Acknowledged, MatterStatus.Reported];

    /// <summary>Creates a draft session, numbered next in its owner's year.</summary>
    /// <exception cref="ForbiddenException">The actor may not assign matters.</exception>
    /// <exception cref="ValidationFailedException">Date or meeting missing or malformed.</exception>
    public async Task<long> CreateAsync(NewWeeklySession input, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        if (!AccessRules.MayAssign(actor))
        {
            throw new ForbiddenException("只有督查室、领导或管理员可以建立周交办。");
        }

        var errors = new Dictionary<string, string[]>();
        DateOnly date = default;
        if (string.IsNullOrWhiteSpace(input.Date))
        {
            errors["date"] = ["请选择会议日期。"];
        }
        else if (!ChinaTime.TryParseDate(input.Date.Trim(), out date))
        {
            errors["date"] = ["会议日期格式为 2024-03-04。"];
        }

        var meeting = UserText.Clean(input.Meeting);
        if (string.IsNullOrWhiteSpace(meeting))
        {
            errors["meeting"] = ["请填写会议名称，如“市委市政府重点工作周例会”。"];
        }
        else if (meeting.Length > MaxMeeting)
        {
            errors["meeting"] = [$"会议名称不能超过 {MaxMeeting} 字。"];
        }

        var note = UserText.Clean(input.Note);
        if (note is { Length: > MaxNote })
        {
            errors["note"] = [$"备注不能超过 {MaxNote} 字。"];
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        var tree = await UnitTree.LoadAsync(db, [actor.UnitId], cancellationToken);
        var owner = tree.GovernmentOf(actor.UnitId);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var session = new WeeklySession
        {
            OwnerUnitId = owner,
            Year = date.Year,
            Number = await NextNumberAsync(owner, date.Year, cancellationToken),
            Date = date,
            Meeting = meeting!,
            Note = note,
            Status = WeeklySessionStatus.Draft,
            CreatedById = actor.Id,
            CreatedByName = actor.Name,
            CreatedAt = clock.GetUtcNow(),
        };
        db.WeeklySessions.Add(session);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return session.Id;
    }

    /// <summary>The sessions the actor may see, newest first: all of those they manage, and the sent ones that include
    /// their unit's matters.</summary>
    public async Task<IReadOnlyList<WeeklySessionSummary>> ListAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var scope = await ScopeAsync(actor, cancellationToken);
        var unitId = actor.UnitId;
        IQueryable<WeeklySession> sessions = db.WeeklySessions.AsNoTracking();
        sessions = scope switch
        {
            "" => sessions,
            null => sessions.Where(s => s.Status == WeeklySessionStatus.Sent
                && s.Matters.Any(x => x.Matter!.LeadUnitId == unitId || x.Matter.CoUnits.Any(c => c.UnitId == unitId))),
            _ => sessions.Where(s => s.OwnerUnit!.Path.StartsWith(scope)
                || (s.Status == WeeklySessionStatus.Sent && s.Matters.Any(x => x.Matter!.LeadUnitId == unitId || x.Matter.CoUnits.Any(c => c.UnitId == unitId)))),
        };
        var rows = await sessions.OrderByDescending(s => s.Date).ThenByDescending(s => s.Year).ThenByDescending(s => s.Number).Take(MaxListed)
            .Select(s => new { s.Id, s.OwnerUnitId, Path = s.OwnerUnit!.Path, Session = s }).ToListAsync(cancellationToken);
        var matters = await MattersOfAsync(rows.Select(r => r.Id).ToList(), cancellationToken);
        return rows.Select(r =>
        {
            var manages = scope is "" || (scope is not null && r.Path.StartsWith(scope, StringComparison.Ordinal));
            return Summary(r.Session, Visible(matters[r.Id], manages, unitId));
        }).ToList();
    }

    /// <summary>A session with its matters (those the reader may see), its units and the previous session's report.</summary>
    /// <exception cref="NotFoundException">No such session, or the actor may not see it.</exception>
    public async Task<WeeklySessionDetails> GetAsync(long id, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var (session, manages) = await LoadAsync(id, actor, track: false, cancellationToken);
        var matters = Visible((await MattersOfAsync([id], cancellationToken))[id], manages, actor.UnitId);
        var owner = await UnitRefAsync(session.OwnerUnitId, cancellationToken);
        var units = matters.SelectMany(m => m.CoUnits.Prepend(m.Lead)).DistinctBy(u => u.Id)
            .Where(u => manages || u.Id == actor.UnitId)
            .OrderBy(u => u.Code, StringComparer.Ordinal).ToList();
        return new WeeklySessionDetails(Summary(session, matters), owner, session.CreatedByName, ChinaTime.ToLocal(session.CreatedAt),
            session.SentByName, matters, units, manages, await PreviousAsync(session, manages, actor.UnitId, cancellationToken));
    }

    /// <summary>上次交办落实情况 of a session: the previous sent session's matters as they stand now, or null for the first.</summary>
    /// <exception cref="NotFoundException">No such session, or the actor may not see it.</exception>
    public async Task<PreviousSessionReport?> ReportAsync(long id, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var (session, manages) = await LoadAsync(id, actor, track: false, cancellationToken);
        return await PreviousAsync(session, manages, actor.UnitId, cancellationToken);
    }

    /// <summary>交办单: one unit's matters of the session (as lead or co-unit). A unit may open its own only; the managers any.</summary>
    /// <param name="id">The session.</param>
    /// <param name="unit">The unit's code or id; null or empty for the actor's own unit.</param>
    /// <param name="actor">Who asks.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <exception cref="NotFoundException">No such session or unit, the unit has no matter in it, or the actor may not see it.</exception>
    public async Task<WeeklySheet> SheetAsync(long id, string? unit, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var (session, manages) = await LoadAsync(id, actor, track: false, cancellationToken);
        var unitId = string.IsNullOrWhiteSpace(unit) ? actor.UnitId : await new UnitDirectory(db).IdOfAsync(unit.Trim(), cancellationToken);
        if (unitId is null || (!manages && unitId != actor.UnitId))
        {
            throw new NotFoundException("该单位在本次周交办中没有交办单。");
        }

        var matters = (await MattersOfAsync([id], cancellationToken))[id].Where(m => m.Involves(unitId.Value))
            .OrderBy(m => m.Lead.Id == unitId ? 0 : 1).ThenBy(m => m.Code, StringComparer.Ordinal).ToList();
        if (matters.Count == 0)
        {
            throw new NotFoundException("该单位在本次周交办中没有交办单。");
        }

        return new WeeklySheet(Summary(session, matters), await UnitRefAsync(session.OwnerUnitId, cancellationToken),
            await UnitRefAsync(unitId.Value, cancellationToken), matters);
    }

    /// <summary>Open matters the actor may see that are in no session yet, newest first, for the picker; <paramref name="search"/>
    /// matches the code, title or lead unit's name.</summary>
    public async Task<IReadOnlyList<WeeklyCandidate>> CandidatesAsync(long id, string? search, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var (_, manages) = await LoadAsync(id, actor, track: false, cancellationToken);
        if (!manages)
        {
            throw new ForbiddenException("只有督查室、领导或管理员可以向周交办添加事项。");
        }

        var visible = await VisibleMatters.QueryAsync(db, actor, cancellationToken);
        var query = visible.Where(m => OpenStatuses.Contains(m.Status) && !db.WeeklySessionMatters.Any(x => x.MatterId == m.Id));
        if (UserText.Clean(search) is { Length: > 0 } text)
        {
            query = query.Where(m => m.Code.Contains(text) || m.Title.Contains(text) || m.LeadUnit!.Name.Contains(text));
        }

        var now = clock.GetUtcNow();
        var rows = await query.OrderByDescending(m => m.AssignedAt).ThenByDescending(m => m.Id).Take(MaxCandidates)
            .Select(m => new
            {
                m.Id, m.Code, m.Title, m.Status, m.LeadUnitId, LeadCode = m.LeadUnit!.Code, LeadName = m.LeadUnit.Name, m.NextDueAt, m.AssignedAt,
                Due = m.Milestones.Where(s => s.Stage == Stage.Complete).Select(s => (DateTimeOffset?)s.DueAt).FirstOrDefault(),
            }).ToListAsync(cancellationToken);
        return rows.Select(r => new WeeklyCandidate(r.Id, r.Code, r.Title, r.Status, new UnitRef(r.LeadUnitId, r.LeadCode, r.LeadName),
            Local(r.Due), MatterConditions.IsOverdue(r.NextDueAt, now), ChinaTime.ToLocal(r.AssignedAt))).ToList();
    }

    /// <summary>The draft sessions the actor manages, newest first, for the "纳入周交办" pickers.</summary>
    public async Task<IReadOnlyList<WeeklyDraft>> DraftsAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var scope = await ScopeAsync(actor, cancellationToken);
        if (scope is null)
        {
            return [];
        }

        var drafts = db.WeeklySessions.AsNoTracking().Where(s => s.Status == WeeklySessionStatus.Draft);
        if (scope.Length > 0)
        {
            drafts = drafts.Where(s => s.OwnerUnit!.Path.StartsWith(scope));
        }

        return await drafts.OrderByDescending(s => s.Date).ThenByDescending(s => s.Number).Take(50)
            .Select(s => new WeeklyDraft(s.Id, s.Year, s.Number, s.Date, s.Meeting)).ToListAsync(cancellationToken);
    }

    /// <summary>Adds matters to a draft session; a matter already in it is left as it is.</summary>
    /// <exception cref="NotFoundException">No such session or matter, or the actor may not see it.</exception>
    /// <exception cref="ForbiddenException">The actor may see but not manage the session.</exception>
    /// <exception cref="ValidationFailedException">No matters, or too many at once.</exception>
    /// <exception cref="RuleConflictException">The session is sent, a matter is finished or returned, or already in another session.</exception>
    public async Task AddMattersAsync(long id, IReadOnlyCollection<long>? matterIds, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (matterIds is null || matterIds.Count == 0 || matterIds.Count > MaxMattersPerCall)
        {
            throw ValidationFailedException.For("matters", $"请选择 1–{MaxMattersPerCall} 项事项。");
        }

        var session = await DraftToChangeAsync(id, actor, "添加", cancellationToken);
        var ids = matterIds.Distinct().ToList();
        var visible = await VisibleMatters.QueryAsync(db, actor, cancellationToken);
        var found = await visible.AsNoTracking().Where(m => ids.Contains(m.Id))
            .Select(m => new { m.Id, m.Code, m.Title, m.Status, InSession = db.WeeklySessionMatters.Where(x => x.MatterId == m.Id).Select(x => (long?)x.SessionId).FirstOrDefault() })
            .ToListAsync(cancellationToken);
        if (ids.Except(found.Select(f => f.Id)).ToList() is { Count: > 0 } missing)
        {
            throw new NotFoundException($"事项 {string.Join("、", missing)} 不存在。");
        }

        if (found.Where(f => !OpenStatuses.Contains(f.Status)).ToList() is { Count: > 0 } closed)
        {
            throw new RuleConflictException(
                $"{string.Join("；", closed.Select(f => $"{f.Code}「{f.Title}」{Labels.Of(f.Status)}"))}，只能纳入正在办理的事项。");
        }

        if (found.Where(f => f.InSession is { } other && other != id).ToList() is { Count: > 0 } elsewhere)
        {
            throw await InOtherSessionAsync(elsewhere.Select(f => f.Id).ToList(), cancellationToken);
        }

        var now = clock.GetUtcNow();
        foreach (var f in found.Where(f => f.InSession is null))
        {
            db.WeeklySessionMatters.Add(new WeeklySessionMatter { SessionId = id, MatterId = f.Id, AddedAt = now });
        }

        session.Version++;
        await SaveAsync(session, ids, cancellationToken);
    }

    /// <summary>Takes a matter out of a draft session.</summary>
    /// <exception cref="NotFoundException">No such session, or the matter is not in it.</exception>
    /// <exception cref="RuleConflictException">The session is sent.</exception>
    public async Task RemoveMatterAsync(long id, long matterId, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var session = await DraftToChangeAsync(id, actor, "移除", cancellationToken);
        var link = await db.WeeklySessionMatters.SingleOrDefaultAsync(x => x.SessionId == id && x.MatterId == matterId, cancellationToken)
            ?? throw new NotFoundException($"事项 {matterId} 不在{TitleOf(session.Number)}中。");
        db.WeeklySessionMatters.Remove(link);
        session.Version++;
        await SaveAsync(session, [], cancellationToken);
    }

    /// <summary>下发: marks the session sent and gives each lead and co-unit an in-app notice linking its 交办单, in one save.</summary>
    /// <exception cref="ValidationFailedException">The session has no matters.</exception>
    /// <exception cref="RuleConflictException">It was sent already (also when two people send it at once).</exception>
    public async Task SendAsync(long id, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var session = await DraftToChangeAsync(id, actor, "下发", cancellationToken);
        var matters = (await MattersOfAsync([id], cancellationToken))[id];
        if (matters.Count == 0)
        {
            throw ValidationFailedException.For("matters", $"{TitleOf(session.Number)}还没有事项，不能下发。");
        }

        var now = clock.GetUtcNow();
        var units = matters.SelectMany(m => m.CoUnits.Prepend(m.Lead)).DistinctBy(u => u.Id).ToList();
        foreach (var unit in units)
        {
            var lead = matters.Count(m => m.Lead.Id == unit.Id);
            var co = matters.Count(m => m.Lead.Id != unit.Id && m.CoUnits.Any(c => c.Id == unit.Id));
            var parts = new List<string>();
            if (lead > 0)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"牵头 {lead} 项"));
            }

            if (co > 0)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"配合 {co} 项"));
            }

            db.Notices.Add(new Notice
            {
                UnitId = unit.Id,
                Audience = Audience.Unit,
                Title = $"【周交办】{session.Year.ToString(CultureInfo.InvariantCulture)}年{TitleOf(session.Number)}",
                Body = $"{session.Meeting}（{session.Date.Month.ToString(CultureInfo.InvariantCulture)}月{session.Date.Day.ToString(CultureInfo.InvariantCulture)}日）交办贵单位{string.Join("、", parts)}，请按交办单明确的目标任务、工作标准和完成时限办理。",
                Link = SheetLink(id, unit.Code),
                CreatedAt = now,
                DeliverAfter = now, // a person chose to send it now
            });
        }

        session.Status = WeeklySessionStatus.Sent;
        session.SentAt = now;
        session.SentByName = actor.Name;
        session.Version++;
        await SaveAsync(session, [], cancellationToken);
    }

    /// <summary>
    /// Assigns matters and adds them to a draft session in one transaction: the assign pages' "纳入周交办". The session is
    /// checked first, so a sent or foreign one refuses before anything is assigned; if adding fails, nothing is assigned.
    /// </summary>
    /// <param name="id">The session, or null to assign without one.</param>
    /// <param name="assign">The assignment (<see cref="AssignMatter"/> or <see cref="AssignList"/>) on this context.</param>
    /// <param name="actor">Who assigns.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<IReadOnlyList<long>> AssignIntoAsync(long? id, Func<Task<IReadOnlyList<long>>> assign, Actor actor,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(assign);
        ArgumentNullException.ThrowIfNull(actor);
        if (id is not { } sessionId)
        {
            return await assign();
        }

        await DraftToChangeAsync(sessionId, actor, "添加", cancellationToken, track: false);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            var ids = await assign();
            await AddMattersAsync(sessionId, ids.ToList(), actor, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return ids;
        }
        catch
        {
            db.ChangeTracker.Clear(); // the rows saved in the rolled-back transaction are gone
            throw;
        }
    }

    /// <summary>The page of a unit's 交办单.</summary>
    public static string SheetLink(long id, string unitCode) =>
        string.Create(CultureInfo.InvariantCulture, $"/Weekly/{id}/Sheet?unit={Uri.EscapeDataString(unitCode)}");

    /// <summary>Whether the actor manages sessions owned by <paramref name="ownerUnitId"/>: they may assign matters and the owner
    /// lies within what they oversee (an admin everywhere).</summary>
    public async Task<bool> ManagesAsync(long ownerUnitId, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!AccessRules.MayAssign(actor))
        {
            return false;
        }

        if (actor.Has(Role.Admin))
        {
            return true;
        }

        var tree = await UnitTree.LoadAsync(db, [actor.UnitId, ownerUnitId], cancellationToken);
        return AccessRules.OversightRoot(actor, tree) is { } root && tree.IsWithin(ownerUnitId, root);
    }

    /// <summary>The path prefix of the owners the actor manages: "" for everything (admin), null for nothing.</summary>
    private async Task<string?> ScopeAsync(Actor actor, CancellationToken cancellationToken)
    {
        if (!AccessRules.MayAssign(actor))
        {
            return null;
        }

        if (actor.Has(Role.Admin))
        {
            return "";
        }

        var tree = await UnitTree.LoadAsync(db, [actor.UnitId], cancellationToken);
        return tree.OversightPath(actor);
    }

    /// <summary>A session the actor may see, and whether they manage it.</summary>
    private async Task<(WeeklySession Session, bool Manages)> LoadAsync(long id, Actor actor, bool track, CancellationToken cancellationToken)
    {
        var sessions = track ? db.WeeklySessions : db.WeeklySessions.AsNoTracking();
        var session = await sessions.SingleOrDefaultAsync(s => s.Id == id, cancellationToken) ?? throw NotFound(id);
        if (await ManagesAsync(session.OwnerUnitId, actor, cancellationToken))
        {
            return (session, true);
        }

        var unitId = actor.UnitId;
        var involved = session.Status == WeeklySessionStatus.Sent && await db.WeeklySessionMatters.AnyAsync(
            x => x.SessionId == id && (x.Matter!.LeadUnitId == unitId || x.Matter.CoUnits.Any(c => c.UnitId == unitId)), cancellationToken);
        return involved ? (session, false) : throw NotFound(id);
    }

    /// <summary>A draft session the actor manages, tracked, to change.</summary>
    private async Task<WeeklySession> DraftToChangeAsync(long id, Actor actor, string what, CancellationToken cancellationToken, bool track = true)
    {
        var (session, manages) = await LoadAsync(id, actor, track, cancellationToken);
        if (!manages)
        {
            throw new ForbiddenException($"只有督查室、领导或管理员可以{what}周交办事项。");
        }

        if (session.Status != WeeklySessionStatus.Draft)
        {
            throw new RuleConflictException(Sent(session));
        }

        return session;
    }

    private static string Sent(WeeklySession session) =>
        $"{TitleOf(session.Number)}已于 {ChinaTime.ToLocal(session.SentAt ?? session.CreatedAt).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} 下发，不能再下发或增减事项。";

    /// <summary>Saves a change to a session; a concurrent change (another send or add) or a matter taken meanwhile by another
    /// session is answered with 409, and nothing of this change is kept.</summary>
    private async Task SaveAsync(WeeklySession session, IReadOnlyList<long> added, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            var now = await db.WeeklySessions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == session.Id, cancellationToken);
            throw new RuleConflictException(now is { Status: WeeklySessionStatus.Sent }
                ? Sent(now)
                : $"{TitleOf(session.Number)}刚被他人修改，请刷新后重试。");
        }
        catch (DbUpdateException) when (added.Count > 0)
        {
            // The unique index on the matter: another session took one of them after we looked.
            db.ChangeTracker.Clear();
            if (db.Database.CurrentTransaction is not null)
            {
                // Inside the assign pages' transaction (PostgreSQL refuses further statements in it): say so plainly.
                throw new RuleConflictException("所选事项刚被纳入其他周交办，请刷新后重试。");
            }

            var taken = await db.WeeklySessionMatters.AsNoTracking().Where(x => added.Contains(x.MatterId) && x.SessionId != session.Id)
                .Select(x => x.MatterId).ToListAsync(cancellationToken);
            if (taken.Count == 0)
            {
                throw;
            }

            throw await InOtherSessionAsync(taken, cancellationToken);
        }
    }

    private async Task<RuleConflictException> InOtherSessionAsync(IReadOnlyList<long> matterIds, CancellationToken cancellationToken)
    {
        var where = await db.WeeklySessionMatters.AsNoTracking().Where(x => matterIds.Contains(x.MatterId))
            .Join(db.WeeklySessions, x => x.SessionId, s => s.Id, (x, s) => new { x.Matter!.Code, s.Year, s.Number })
            .ToListAsync(cancellationToken);
        return new RuleConflictException(
            $"{string.Join("；", where.Select(w => $"事项 {w.Code} 已纳入{w.Year.ToString(CultureInfo.InvariantCulture)}年{TitleOf(w.Number)}"))}，一个事项只能纳入一次周交办。");
    }

    /// <summary>The report on the last sent session of the same owner before this one.</summary>
    private async Task<PreviousSessionReport?> PreviousAsync(WeeklySession session, bool manages, long unitId, CancellationToken cancellationToken)
    {
        var previous = await db.WeeklySessions.AsNoTracking()
            .Where(s => s.OwnerUnitId == session.OwnerUnitId && s.Status == WeeklySessionStatus.Sent
                && (s.Year < session.Year || (s.Year == session.Year && s.Number < session.Number)))
            .OrderByDescending(s => s.Year).ThenByDescending(s => s.Number).FirstOrDefaultAsync(cancellationToken);
        if (previous is null)
        {
            return null;
        }

        var matters = Visible((await MattersOfAsync([previous.Id], cancellationToken))[previous.Id], manages, unitId);
        var summary = Summary(previous, matters);
        var byId = matters.ToDictionary(m => m.Id);
        var unfinished = summary.Progress.Unfinished.Select(b =>
        {
            var rows = b.Matters.Select(m => byId[m.MatterId]).ToList();
            return new UnitUnfinished(rows[0].Lead, b.Overdue, rows);
        }).ToList();
        return new PreviousSessionReport(summary, unfinished);
    }

    private static IReadOnlyList<WeeklyMatterView> Visible(IReadOnlyList<WeeklyMatterView> matters, bool manages, long unitId) =>
        manages ? matters : matters.Where(m => m.Involves(unitId)).ToList();

    private static WeeklySessionSummary Summary(WeeklySession s, IReadOnlyList<WeeklyMatterView> matters) =>
        new(s.Id, s.Year, s.Number, s.Date, s.Meeting, s.Note, s.Status, s.SentAt is { } at ? ChinaTime.ToLocal(at) : null,
            SessionProgress.Of(matters.Select(m => new SessionMatter(m.Id, m.Lead.Id, m.Status, m.Overdue))));

    /// <summary>The matters of some sessions with their units and completion deadline, by lead unit code then matter code.</summary>
    private async Task<Dictionary<long, IReadOnlyList<WeeklyMatterView>>> MattersOfAsync(IReadOnlyList<long> sessionIds, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var rows = await db.WeeklySessionMatters.AsNoTracking().Where(x => sessionIds.Contains(x.SessionId))
            .Select(x => new
            {
                x.SessionId,
                x.MatterId,
                x.Matter!.Code,
                x.Matter.Title,
                x.Matter.Content,
                x.Matter.Goal,
                x.Matter.Standard,
                x.Matter.Status,
                x.Matter.NextDueAt,
                x.Matter.LeadUnitId,
                LeadCode = x.Matter.LeadUnit!.Code,
                LeadName = x.Matter.LeadUnit.Name,
                CoUnits = x.Matter.CoUnits.OrderBy(c => c.Position).Select(c => new { c.UnitId, c.Unit!.Code, c.Unit.Name }).ToList(),
                Due = x.Matter.Milestones.Where(m => m.Stage == Stage.Complete).Select(m => (DateTimeOffset?)m.DueAt).FirstOrDefault(),
            }).ToListAsync(cancellationToken);
        var lookup = rows
            .OrderBy(r => r.LeadCode, StringComparer.Ordinal).ThenBy(r => r.Code, StringComparer.Ordinal)
            .ToLookup(r => r.SessionId, r => new WeeklyMatterView(r.MatterId, r.Code, r.Title, r.Content, r.Goal, r.Standard, r.Status,
                new UnitRef(r.LeadUnitId, r.LeadCode, r.LeadName), r.CoUnits.Select(c => new UnitRef(c.UnitId, c.Code, c.Name)).ToList(),
                Local(r.Due), MatterConditions.IsOverdue(r.NextDueAt, now)));
        return sessionIds.Distinct().ToDictionary(id => id, id => (IReadOnlyList<WeeklyMatterView>)lookup[id].ToList());
    }

    private async Task<UnitRef> UnitRefAsync(long unitId, CancellationToken cancellationToken) =>
        await db.Units.AsNoTracking().Where(u => u.Id == unitId).Select(u => new UnitRef(u.Id, u.Code, u.Name)).SingleAsync(cancellationToken);

    private static DateTimeOffset? Local(DateTimeOffset? at) => at is { } value ? ChinaTime.ToLocal(value) : null;

    private static NotFoundException NotFound(long id) => new($"周交办 {id.ToString(CultureInfo.InvariantCulture)} 不存在。");

    /// <summary>第 N: a per-owner, per-year counter bumped atomically (as matter codes are), so two sessions created at once
    /// never share a number. Call inside a transaction.</summary>
    private async Task<int> NextNumberAsync(long owner, int year, CancellationToken cancellationToken)
    {
        var next = await db.Database.SqlQueryRaw<int>(
            """
            INSERT INTO weekly_session_counters ("OwnerUnitId", "Year", "Last") VALUES ({0}, {1}, 1)
            ON CONFLICT ("OwnerUnitId", "Year") DO UPDATE SET "Last" = weekly_session_counters."Last" + 1
            RETURNING "Last" AS "Value"
            """, owner, year).ToListAsync(cancellationToken);
        return next[0];
    }
}
