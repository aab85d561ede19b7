using Duban.Calendar;
using Duban.Escalation;
using Duban.Matters;
using Duban.TimeLimits;
using Duban.Text;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>An extension request as shown.</summary>
public sealed record ExtensionView(long Id, long MatterId, string MatterCode, Stage Stage, DateTimeOffset CurrentDueAt,
    DateTimeOffset ProposedDueAt, string Reason, string RequestedBy, DateTimeOffset RequestedAt, ExtensionStatus Status,
    DateTimeOffset? DecidedDueAt, string? DecidedBy, DateTimeOffset? DecidedAt, string? DecisionNote, int Node = 0);

/// <summary>A matter's extension requests as its page shows them, and which forms the viewer gets.</summary>
/// <param name="Requests">The matter's requests, newest first (pending and decided).</param>
/// <param name="MayRequest">The viewer is the lead unit and the matter's status allows an extension (the 延期申请 form).</param>
/// <param name="MayDecide">The viewer is on the assigning side (the decision forms on pending requests).</param>
public sealed record MatterExtensions(IReadOnlyList<ExtensionView> Requests, bool MayRequest, bool MayDecide);

/// <summary>延期申请: the lead unit asks for more time, the assigning side decides; an approval moves the clock
/// through the matter's lifecycle (an <c>extend</c> event).</summary>
public sealed class ExtensionRequests(DubanDbContext db, Rules rules, TimeProvider clock, ActOnMatter act)
{
    /// <summary>延期申请 by the lead unit: checked by the lifecycle's rules; one pending request per milestone. A work
    /// item's node is named by its number (<paramref name="node"/>; the stage is then <c>node</c> unless given).</summary>
    public async Task<ExtensionView> RequestAsync(long matterId, string? stageText, string? dueText, string? reason, Actor actor,
        CancellationToken cancellationToken = default, int? node = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var errors = new Dictionary<string, string[]>();
        var stage = node is null ? Stage.Complete : Stage.Node;
        if (stageText is not null && !WireEnum.TryParse(stageText, out stage))
        {
            errors["stage"] = ["节点必须是 acknowledge、feedback、complete 或 node（工作事项的时间节点，并给出 node 编号）。"];
        }

        if (stage == Stage.Node && node is not > 0)
        {
            errors["node"] = ["请指定要延期的时间节点编号。"];
        }

        DateTimeOffset proposed = default;
        if (string.IsNullOrWhiteSpace(dueText) || !ChinaTime.TryParseDeadline(dueText, out proposed))
        {
            errors["dueAt"] = ["请填写延期后的期限：日期（2024-03-20）或时间（2024-03-20T18:00+08:00）。"];
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        var (matter, state, _) = await VisibleMatters.LoadAsync(db, matterId, actor, cancellationToken);
        var now = clock.GetUtcNow();
        var number = stage.IsClock() ? 0 : node ?? 0;
        rules.Lifecycle().CheckExtensionRequest(state, stage, proposed, reason, actor, now, number);
        var milestone = state.MilestoneOf(stage, number);
        var name = Labels.Of(milestone);
        if (await db.ExtensionRequests.AnyAsync(x => x.MatterId == matterId && x.Stage == stage && x.Node == number && x.Status == ExtensionStatus.Pending, cancellationToken))
        {
            throw new RuleConflictException($"{name}节点已有待审批的延期申请。");
        }

        var request = new ExtensionRequest
        {
            MatterId = matterId,
            Stage = stage,
            Node = number,
            CurrentDueAt = milestone.DueAt,
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
            Title = $"【延期申请】{matter.Code} {name}",
            Body = $"{actor.Name}申请将{name}期限由 {NoticeText.Deadline(request.CurrentDueAt)} 延至 {NoticeText.Deadline(proposed)}：{request.Reason}",
            Link = FormattableString.Invariant($"/matters/{matterId}"),
            CreatedAt = now,
            DeliverAfter = now,
        });
        await db.SaveChangesAsync(cancellationToken);
        return View(request, matter.Code);
    }

    /// <summary>The assigning side approves (possibly with another date) or rejects a pending request.</summary>
    public async Task<ExtensionView> DecideAsync(long requestId, bool? approve, string? dueText, string? note, Actor actor,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var request = await db.ExtensionRequests.SingleOrDefaultAsync(x => x.Id == requestId, cancellationToken)
            ?? throw new NotFoundException($"延期申请 {requestId} 不存在。");
        // Untracked: an approval hands the matter to ActOnMatter, which loads and saves it itself.
        var (matter, state, tree) = await VisibleMatters.LoadAsync(db, request.MatterId, actor, cancellationToken, notFound: $"延期申请 {requestId} 不存在。");
        if (approve is null)
        {
            throw ValidationFailedException.For("approve", "请选择批准（true）或不批准（false）。");
        }

        if (request.Status != ExtensionStatus.Pending)
        {
            throw new RuleConflictException("该延期申请已处理。");
        }

        var decided = request.ProposedDueAt;
        if (!string.IsNullOrWhiteSpace(dueText) && !ChinaTime.TryParseDeadline(dueText, out decided))
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
            Title = $"【延期{(approve.Value ? "已批准" : "未批准")}】{matter.Code} {(state.FindMilestone(request.Stage, request.Node) is { } m ? Labels.Of(m) : Labels.Of(request.Stage))}",
            Body = approve.Value ? $"期限延至 {NoticeText.Deadline(decided)}。{text}" : $"维持原期限 {NoticeText.Deadline(request.CurrentDueAt)}。{text}",
            Link = FormattableString.Invariant($"/matters/{matter.Id}"),
            CreatedAt = now,
            DeliverAfter = now,
        });

        if (approve.Value)
        {
            // The extension is a lifecycle event (the clock moves only through the matter's history); the request's
            // decision and the notice ride in the same save, so either all of it is written or none.
            await act.ExecuteAsync(matter.Id, new MatterCommand(MatterAction.Extend) { Stage = request.Stage, Node = request.Node, NewDueAt = decided, Note = text ?? "同意延期" },
                null, actor, cancellationToken);
        }
        else
        {
            if (!AccessRules.IsAssigningSide(actor, state, tree))
            {
                throw new ForbiddenException("只有交办方（督查室、领导）可以审批延期。");
            }

            await db.SaveChangesAsync(cancellationToken);
        }

        return View(request, matter.Code);
    }

    /// <summary>One matter's requests and the forms its page offers the actor (each action checks again).</summary>
    public async Task<MatterExtensions> ForMatterAsync(long matterId, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var (matter, state, tree) = await VisibleMatters.LoadAsync(db, matterId, actor, cancellationToken);
        var rows = await db.ExtensionRequests.AsNoTracking().Where(x => x.MatterId == matterId)
            .OrderByDescending(x => x.RequestedAt).ThenByDescending(x => x.Id).Take(50).ToListAsync(cancellationToken);
        var open = state.Status is MatterStatus.Assigned or MatterStatus.Acknowledged;
        return new MatterExtensions(rows.Select(x => View(x, matter.Code)).ToList(),
            open && AccessRules.IsLeadUnit(actor, state) && state.Milestones.Any(m => m.MetAt is null),
            AccessRules.IsAssigningSide(actor, state, tree));
    }

    /// <summary>Pending (or all) extension requests the actor may see.</summary>
    public async Task<IReadOnlyList<ExtensionView>> ListAsync(ExtensionStatus? status, Actor actor, CancellationToken cancellationToken = default)
    {
        var visible = await VisibleMatters.QueryAsync(db, actor, cancellationToken);
        var rows = await db.ExtensionRequests.AsNoTracking()
            .Where(x => status == null || x.Status == status)
            .Join(visible, x => x.MatterId, m => m.Id, (x, m) => new { x, m.Code })
            .OrderByDescending(r => r.x.RequestedAt).Take(500).ToListAsync(cancellationToken);
        return rows.Select(r => View(r.x, r.Code)).ToList();
    }

    private static ExtensionView View(ExtensionRequest x, string code) => new(x.Id, x.MatterId, code, x.Stage,
        ChinaTime.ToLocal(x.CurrentDueAt), ChinaTime.ToLocal(x.ProposedDueAt), x.Reason, x.RequestedByName, ChinaTime.ToLocal(x.RequestedAt),
        x.Status, x.DecidedDueAt is { } d ? ChinaTime.ToLocal(d) : null, x.DecidedByName, x.DecidedAt is { } a ? ChinaTime.ToLocal(a) : null, x.DecisionNote, x.Node);
}
