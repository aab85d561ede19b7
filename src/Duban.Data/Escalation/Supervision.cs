using Duban.Calendar;
using Duban.Data.Matters;
using Duban.Escalation;
using Duban.Matters;
using Duban.TimeLimits;
using Duban.Text;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Escalation;

/// <summary>An extension request as shown.</summary>
public sealed record ExtensionView(long Id, long MatterId, string MatterCode, Stage Stage, DateTimeOffset CurrentDueAt,
    DateTimeOffset ProposedDueAt, string Reason, string RequestedBy, DateTimeOffset RequestedAt, ExtensionStatus Status,
    DateTimeOffset? DecidedDueAt, string? DecidedBy, DateTimeOffset? DecidedAt, string? DecisionNote);

/// <summary>An accountability entry as shown.</summary>
public sealed record AccountabilityView(long Id, long MatterId, string MatterCode, string MatterTitle, UnitRef Unit,
    AccountabilityReason Reason, Stage? Stage, AccountabilityStatus Status, DateTimeOffset CreatedAt, string? Note,
    IReadOnlyList<AccountabilityChangeView> History);

public sealed record AccountabilityChangeView(AccountabilityStatus Status, DateTimeOffset At, string ActorName, string? Note);

/// <summary>A notice as shown in the inbox.</summary>
public sealed record NoticeView(long Id, EscalationKind? Kind, string Title, string Body, string? Link, DateTimeOffset At, bool Read);

public sealed record InboxPage(IReadOnlyList<NoticeView> Items, int Unread);

/// <summary>
/// What the supervision office does by hand (催办, 督办 with a level, deciding extensions, working the
/// accountability list) and what units read (their inbox).
/// </summary>
public sealed class Supervision(DubanDbContext db, Rules rules, TimeProvider clock, ActOnMatter act)
{
    /// <summary>催办 or 督办 by hand, with a message to the lead unit. A 督办 may raise the level; 挂牌督办 takes a leader.</summary>
    public async Task UrgeOrSuperviseAsync(long matterId, EscalationKind kind, SupervisionLevel? level, string? message, Actor actor,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var matter = await LoadVisibleAsync(matterId, actor, cancellationToken);
        var state = matter.ToState();
        var tree = await UnitTree.LoadAsync(db, [actor.UnitId, state.AssignerUnitId, state.LeadUnitId], cancellationToken);
        if (!AccessRules.IsAssigningSide(actor, state, tree))
        {
            throw new ForbiddenException("只有交办方（督查室、领导）可以催办或督办。");
        }

        if (state.Status is MatterStatus.Closed or MatterStatus.Returned)
        {
            throw new RuleConflictException($"事项当前状态为「{Labels.Of(state.Status)}」，不能{(kind == EscalationKind.Urge ? "催办" : "督办")}。");
        }

        var text = UserText.Clean(message) ?? throw ValidationFailedException.For("message", "请填写催办/督办意见。");
        if (text.Length > 2000)
        {
            throw ValidationFailedException.For("message", "不能超过 2000 字。");
        }

        if (kind == EscalationKind.Supervise)
        {
            var newLevel = level ?? SupervisionLevel.General;
            if (newLevel == SupervisionLevel.None)
            {
                throw ValidationFailedException.For("level", "督办级别必须是 general（一般）、key（重点）或 listed（挂牌）。");
            }

            if (newLevel == SupervisionLevel.Listed && !actor.Has(Role.Leader) && !actor.Has(Role.Admin))
            {
                throw new ForbiddenException("挂牌督办须由领导决定。");
            }

            if (newLevel > matter.SupervisionLevel)
            {
                matter.SupervisionLevel = newLevel;
                matter.RefreshEscalation(rules); // a tighter chain from now on
            }
        }

        var now = clock.GetUtcNow();
        var label = kind == EscalationKind.Urge ? "催办" : $"{LevelName(matter.SupervisionLevel)}";
        var record = new EscalationRecord
        {
            MatterId = matter.Id,
            Kind = kind,
            At = now,
            RecordedAt = now,
            UnitId = matter.LeadUnitId,
            Manual = true,
            Level = kind == EscalationKind.Supervise ? matter.SupervisionLevel : null,
            ActorId = actor.Id,
            ActorName = actor.Name,
            Message = text,
            Announced = true,
        };
        db.Escalations.Add(record);
        db.Notices.Add(new Notice
        {
            UnitId = matter.LeadUnitId,
            Audience = Audience.Unit,
            MatterId = matter.Id,
            Escalation = record,
            Kind = kind,
            Title = $"【{label}】{matter.Code} {matter.Title}",
            Body = $"{actor.Name}：{text}",
            Link = FormattableString.Invariant($"/matters/{matter.Id}"),
            CreatedAt = now,
            DeliverAfter = now, // a person chose to send it now
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // The level is stored on the matter row, guarded by its version: someone acted on it meanwhile.
            db.ChangeTracker.Clear();
            var current = await db.Matters.AsNoTracking().Where(m => m.Id == matterId).Select(m => m.Version).SingleAsync(cancellationToken);
            throw new ConcurrencyConflictException(state.Version, current);
        }
    }

    /// <summary>延期申请 by the lead unit: checked by the lifecycle's rules; one pending request per stage.</summary>
    public async Task<ExtensionView> RequestExtensionAsync(long matterId, string? stageText, string? dueText, string? reason, Actor actor,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var errors = new Dictionary<string, string[]>();
        var stage = Stage.Complete;
        if (stageText is not null && !WireEnum.TryParse(stageText, out stage))
        {
            errors["stage"] = ["节点必须是 acknowledge、feedback 或 complete。"];
        }

        DateTimeOffset proposed = default;
        if (string.IsNullOrWhiteSpace(dueText) || !TryParseDue(dueText, out proposed))
        {
            errors["dueAt"] = ["请填写延期后的期限：日期（2024-03-20）或时间（2024-03-20T18:00+08:00）。"];
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        var matter = await LoadVisibleAsync(matterId, actor, cancellationToken);
        var state = matter.ToState();
        var now = clock.GetUtcNow();
        rules.Lifecycle().CheckExtensionRequest(state, stage, proposed, reason, actor, now);
        if (await db.ExtensionRequests.AnyAsync(x => x.MatterId == matterId && x.Stage == stage && x.Status == ExtensionStatus.Pending, cancellationToken))
        {
            throw new RuleConflictException($"{Labels.Of(stage)}节点已有待审批的延期申请。");
        }

        var request = new ExtensionRequest
        {
            MatterId = matterId,
            Stage = stage,
            CurrentDueAt = state.MilestoneOf(stage).DueAt,
            ProposedDueAt = proposed,
            Reason = UserText.Clean(reason)!,
            RequestedById = actor.Id,
            RequestedByName = actor.Name,
            RequestedByUnitId = actor.UnitId,
            RequestedAt = now,
            Status = ExtensionStatus.Pending,
        };
        db.ExtensionRequests.Add(request);
        db.Notices.Add(new Notice
        {
            UnitId = matter.AssignerUnitId,
            Audience = Audience.Unit,
            MatterId = matterId,
            Title = $"【延期申请】{matter.Code} {Labels.Of(stage)}",
            Body = $"{actor.Name}申请将{Labels.Of(stage)}期限由 {NoticeText.Deadline(request.CurrentDueAt)} 延至 {NoticeText.Deadline(proposed)}：{request.Reason}",
            Link = FormattableString.Invariant($"/matters/{matterId}"),
            CreatedAt = now,
            DeliverAfter = now,
        });
        await db.SaveChangesAsync(cancellationToken);
        return View(request, matter.Code);
    }

    /// <summary>The assigning side approves (possibly with another date) or rejects a pending request.</summary>
    public async Task<ExtensionView> DecideExtensionAsync(long requestId, bool? approve, string? dueText, string? note, Actor actor,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var request = await db.ExtensionRequests.SingleOrDefaultAsync(x => x.Id == requestId, cancellationToken)
            ?? throw new NotFoundException($"延期申请 {requestId} 不存在。");
        // Untracked: an approval hands the matter to ActOnMatter, which loads and saves it itself.
        var matter = await LoadVisibleAsync(request.MatterId, actor, cancellationToken, $"延期申请 {requestId} 不存在。", track: false);
        if (approve is null)
        {
            throw ValidationFailedException.For("approve", "请选择批准（true）或不批准（false）。");
        }

        if (request.Status != ExtensionStatus.Pending)
        {
            throw new RuleConflictException("该延期申请已处理。");
        }

        var decided = request.ProposedDueAt;
        if (!string.IsNullOrWhiteSpace(dueText) && !TryParseDue(dueText, out decided))
        {
            throw ValidationFailedException.For("dueAt", "期限格式为日期（2024-03-20）或时间（2024-03-20T18:00+08:00）。");
        }

        var text = UserText.Clean(note);
        var now = clock.GetUtcNow();
        request.Status = approve.Value ? ExtensionStatus.Approved : ExtensionStatus.Rejected;
        request.DecidedDueAt = approve.Value ? decided : null;
        request.DecidedById = actor.Id;
        request.DecidedByName = actor.Name;
        request.DecidedAt = now;
        request.DecisionNote = text;
        db.Notices.Add(new Notice
        {
            UnitId = request.RequestedByUnitId,
            Audience = Audience.Unit,
            MatterId = matter.Id,
            Title = $"【延期{(approve.Value ? "已批准" : "未批准")}】{matter.Code} {Labels.Of(request.Stage)}",
            Body = approve.Value ? $"期限延至 {NoticeText.Deadline(decided)}。{text}" : $"维持原期限 {NoticeText.Deadline(request.CurrentDueAt)}。{text}",
            Link = FormattableString.Invariant($"/matters/{matter.Id}"),
            CreatedAt = now,
            DeliverAfter = now,
        });

        if (approve.Value)
        {
            // The extension is a lifecycle event (the clock moves only through the matter's history); the request's
            // decision and the notice ride in the same save, so either all of it is written or none.
            await act.ExecuteAsync(matter.Id, new MatterCommand(MatterAction.Extend) { Stage = request.Stage, NewDueAt = decided, Note = text ?? "同意延期" },
                null, actor, cancellationToken);
        }
        else
        {
            var state = matter.ToState();
            var tree = await UnitTree.LoadAsync(db, [actor.UnitId, state.AssignerUnitId, state.LeadUnitId], cancellationToken);
            if (!AccessRules.IsAssigningSide(actor, state, tree))
            {
                throw new ForbiddenException("只有交办方（督查室、领导）可以审批延期。");
            }

            await db.SaveChangesAsync(cancellationToken);
        }

        return View(request, matter.Code);
    }

    /// <summary>Pending (or all) extension requests the actor may see.</summary>
    public async Task<IReadOnlyList<ExtensionView>> ExtensionsAsync(ExtensionStatus? status, Actor actor, CancellationToken cancellationToken = default)
    {
        var visible = await MatterQueries.VisibleToAsync(db, actor, cancellationToken);
        var rows = await db.ExtensionRequests.AsNoTracking()
            .Where(x => status == null || x.Status == status)
            .Join(visible, x => x.MatterId, m => m.Id, (x, m) => new { x, m.Code })
            .OrderByDescending(r => r.x.RequestedAt).Take(500).ToListAsync(cancellationToken);
        return rows.Select(r => View(r.x, r.Code)).ToList();
    }

    /// <summary>Entries a list shows at most; an export (<see cref="AccountabilityWorkbook"/>) takes up to <see cref="ExportMax"/>.</summary>
    public const int ListMax = 1000, ExportMax = 100_000;

    /// <summary>The accountability list (问责清单) over what the actor may see, newest first, at most <paramref name="max"/> entries.</summary>
    public async Task<IReadOnlyList<AccountabilityView>> AccountabilityAsync(AccountabilityStatus? status, Actor actor, int max,
        CancellationToken cancellationToken = default)
    {
        var visible = await MatterQueries.VisibleToAsync(db, actor, cancellationToken);
        var rows = await db.AccountabilityEntries.AsNoTracking().Include(a => a.Unit).Include(a => a.History)
            .Where(a => status == null || a.Status == status)
            .Join(visible, a => a.MatterId, m => m.Id, (a, m) => new { a, m.Code, m.Title })
            .OrderByDescending(r => r.a.CreatedAt).ThenByDescending(r => r.a.Id).Take(max).ToListAsync(cancellationToken);
        return rows.Select(r => new AccountabilityView(r.a.Id, r.a.MatterId, r.Code, r.Title, ViewMapping.Ref(r.a.Unit!), r.a.Reason, r.a.Stage,
            r.a.Status, ChinaTime.ToLocal(r.a.CreatedAt), r.a.Note,
            r.a.History.OrderBy(h => h.At).ThenBy(h => h.Id).Select(h => new AccountabilityChangeView(h.Status, ChinaTime.ToLocal(h.At), h.ActorName, h.Note)).ToList()))
            .ToList();
    }

    /// <summary>Moves an entry on (约谈 / 通报 / 问责) or withdraws it (撤销, with a reason); every change is kept.</summary>
    public async Task ChangeAccountabilityAsync(long entryId, string? statusText, string? note, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!WireEnum.TryParse<AccountabilityStatus>(statusText, out var status) || status == AccountabilityStatus.Pending)
        {
            throw ValidationFailedException.For("status", "状态必须是 interviewed（已约谈）、notified（已通报）、held（已问责）或 withdrawn（撤销）。");
        }

        var text = UserText.Clean(note);
        if (status == AccountabilityStatus.Withdrawn && text is null)
        {
            throw ValidationFailedException.For("note", "撤销必须说明理由。");
        }

        var entry = await db.AccountabilityEntries.SingleOrDefaultAsync(a => a.Id == entryId, cancellationToken)
            ?? throw new NotFoundException($"问责记录 {entryId} 不存在。");
        var matter = await LoadVisibleAsync(entry.MatterId, actor, cancellationToken, $"问责记录 {entryId} 不存在。");
        var state = matter.ToState();
        var tree = await UnitTree.LoadAsync(db, [actor.UnitId, state.AssignerUnitId, state.LeadUnitId], cancellationToken);
        if (!AccessRules.IsAssigningSide(actor, state, tree))
        {
            throw new ForbiddenException("只有督查室、领导可以处理问责清单。");
        }

        if (entry.Status == AccountabilityStatus.Withdrawn)
        {
            throw new RuleConflictException("该问责记录已撤销。");
        }

        entry.Status = status;
        db.AccountabilityChanges.Add(new AccountabilityChange
        {
            EntryId = entry.Id, Status = status, At = clock.GetUtcNow(), ActorId = actor.Id, ActorName = actor.Name, Note = text,
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The actor's unit's notices that are due for delivery (leaders also see those for heads), read or
    /// unread for this actor: read state is per person, so a colleague's reading leaves the notice unread here.</summary>
    public async Task<InboxPage> InboxAsync(Actor actor, bool unreadOnly, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var reader = actor.Id;
        var mine = Inbox(actor);
        var unread = await mine.CountAsync(n => !db.NoticeReads.Any(r => r.NoticeId == n.Id && r.ReaderId == reader), cancellationToken);
        var rows = await mine
            .Select(n => new { Notice = n, Read = db.NoticeReads.Any(r => r.NoticeId == n.Id && r.ReaderId == reader) })
            .Where(n => !unreadOnly || !n.Read)
            .OrderByDescending(n => n.Notice.DeliverAfter).ThenByDescending(n => n.Notice.Id)
            .Take(200).ToListAsync(cancellationToken);
        return new InboxPage(rows.Select(r => new NoticeView(r.Notice.Id, r.Notice.Kind, r.Notice.Title, r.Notice.Body, r.Notice.Link,
            ChinaTime.ToLocal(r.Notice.DeliverAfter), r.Read)).ToList(), unread);
    }

    /// <summary>Marks a notice in the actor's inbox read for the actor alone; marking it again changes nothing.</summary>
    public async Task MarkReadAsync(long noticeId, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!await Inbox(actor).AnyAsync(n => n.Id == noticeId, cancellationToken))
        {
            throw new NotFoundException($"通知 {noticeId} 不存在。");
        }

        var reader = actor.Id;
        if (await db.NoticeReads.AnyAsync(r => r.NoticeId == noticeId && r.ReaderId == reader, cancellationToken))
        {
            return;
        }

        db.NoticeReads.Add(new NoticeRead { NoticeId = noticeId, ReaderId = reader, ReadAt = clock.GetUtcNow() });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The same reader may have marked it in another request meanwhile: read either way; anything else is a fault.
            db.ChangeTracker.Clear();
            if (!await db.NoticeReads.AnyAsync(r => r.NoticeId == noticeId && r.ReaderId == reader, cancellationToken))
            {
                throw;
            }
        }
    }

    private IQueryable<Notice> Inbox(Actor actor)
    {
        var now = clock.GetUtcNow();
        var isHead = actor.Has(Role.Leader) || actor.Has(Role.Supervisor) || actor.Has(Role.Admin);
        return db.Notices.AsNoTracking().Where(n => n.UnitId == actor.UnitId && n.DeliverAfter <= now && (isHead || n.Audience == Audience.Unit));
    }

    private async Task<Matter> LoadVisibleAsync(long matterId, Actor actor, CancellationToken cancellationToken, string? notFound = null,
        bool track = true)
    {
        var message = notFound ?? $"事项 {matterId} 不存在。";
        var matters = track ? db.Matters : db.Matters.AsNoTracking();
        var matter = await matters.Include(m => m.CoUnits).Include(m => m.Milestones).SingleOrDefaultAsync(m => m.Id == matterId, cancellationToken)
            ?? throw new NotFoundException(message);
        var state = matter.ToState();
        var tree = await UnitTree.LoadAsync(db, [actor.UnitId, state.AssignerUnitId, state.LeadUnitId, .. state.CoUnitIds], cancellationToken);
        return AccessRules.CanSee(actor, state, tree) ? matter : throw new NotFoundException(message);
    }

    private static bool TryParseDue(string text, out DateTimeOffset due)
    {
        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.None, out var date))
        {
            due = ChinaTime.EndOf(date);
            return true;
        }

        return ChinaTime.TryParseInstant(text, out due);
    }

    /// <summary>一般督办 / 重点督办 / 挂牌督办.</summary>
    public static string LevelName(SupervisionLevel level) => level switch
    {
        SupervisionLevel.None or SupervisionLevel.General => "一般督办",
        SupervisionLevel.Key => "重点督办",
        SupervisionLevel.Listed => "挂牌督办",
    };

    private static ExtensionView View(ExtensionRequest x, string code) => new(x.Id, x.MatterId, code, x.Stage,
        ChinaTime.ToLocal(x.CurrentDueAt), ChinaTime.ToLocal(x.ProposedDueAt), x.Reason, x.RequestedByName, ChinaTime.ToLocal(x.RequestedAt),
        x.Status, x.DecidedDueAt is { } d ? ChinaTime.ToLocal(d) : null, x.DecidedByName, x.DecidedAt is { } a ? ChinaTime.ToLocal(a) : null, x.DecisionNote);
}
