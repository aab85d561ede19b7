using Duban.Calendar;
using Duban.Matters;
using Duban.Text;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>Where a re-check stands.</summary>
public enum LookBackStatus
{
    /// <summary>待回头看.</summary>
    Pending,

    /// <summary>巩固: the problem has not come back.</summary>
    Holds,

    /// <summary>反弹: the problem is back; the matter was reopened.</summary>
    Rebounded,
}

/// <summary>A scheduled re-check (回头看) of a closed matter.</summary>
public sealed class LookBack
{
    public long Id { get; set; }
    public long MatterId { get; set; }

    /// <summary>The lead unit when the matter was closed: a rebound counts against it (回头看反弹数).</summary>
    public long UnitId { get; set; }
    public DateTimeOffset ClosedAt { get; set; }
    public DateTimeOffset DueAt { get; set; }
    public LookBackStatus Status { get; set; }
    public DateTimeOffset? CheckedAt { get; set; }
    public string? CheckedById { get; set; }
    public string? CheckedByName { get; set; }
    public string? Note { get; set; }

    /// <summary>The matter's event that reopened it, when the re-check found the problem back.</summary>
    public int? ReopenedBySequence { get; set; }
}

public sealed record LookBackView(long Id, long MatterId, string MatterCode, string MatterTitle, UnitRef LeadUnit, DateTimeOffset ClosedAt,
    DateTimeOffset DueAt, LookBackStatus Status, DateTimeOffset? CheckedAt, string? CheckedBy, string? Note, int? ReopenedBySequence);

/// <summary>The 回头看 queue: re-checks fall due N days after 销号; "rebounded" reopens the matter and counts against the unit.</summary>
public sealed class LookBacks(DubanDbContext db, TimeProvider clock, ActOnMatter act)
{
    /// <summary>Re-checks over the matters the actor may see; <paramref name="dueOnly"/> keeps the pending ones now due.</summary>
    public async Task<IReadOnlyList<LookBackView>> ListAsync(bool dueOnly, Actor actor, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var visible = await VisibleMatters.QueryAsync(db, actor, cancellationToken);
        var rows = await db.LookBacks.AsNoTracking()
            .Where(l => !dueOnly || (l.Status == LookBackStatus.Pending && l.DueAt <= now))
            .Join(visible.Include(m => m.LeadUnit), l => l.MatterId, m => m.Id, (l, m) => new { l, m.Code, m.Title, m.LeadUnit })
            .OrderBy(r => r.l.DueAt).ThenBy(r => r.l.Id).Take(1000).ToListAsync(cancellationToken);
        return rows.Select(r => new LookBackView(r.l.Id, r.l.MatterId, r.Code, r.Title, ViewMapping.Ref(r.LeadUnit!), ChinaTime.ToLocal(r.l.ClosedAt),
            ChinaTime.ToLocal(r.l.DueAt), r.l.Status, r.l.CheckedAt is { } c ? ChinaTime.ToLocal(c) : null, r.l.CheckedByName, r.l.Note,
            r.l.ReopenedBySequence)).ToList();
    }

    /// <summary>Records the re-check. "rebounded" reopens the matter (a lifecycle event, written in the same save).</summary>
    public async Task RecordAsync(long id, string? result, string? note, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!WireEnum.TryParse<LookBackStatus>(result, out var status) || status == LookBackStatus.Pending)
        {
            throw ValidationFailedException.For("result", "结果必须是 holds（巩固）或 rebounded（反弹）。");
        }

        var text = UserText.Clean(note);
        if (status == LookBackStatus.Rebounded && text is null)
        {
            throw ValidationFailedException.For("note", "反弹必须说明情况。");
        }

        var lookBack = await db.LookBacks.SingleOrDefaultAsync(l => l.Id == id, cancellationToken)
            ?? throw new NotFoundException($"回头看 {id} 不存在。");
        var (matter, state, tree) = await VisibleMatters.LoadAsync(db, lookBack.MatterId, actor, cancellationToken, notFound: $"回头看 {id} 不存在。");
        if (!AccessRules.IsAssigningSide(actor, state, tree))
        {
            throw new ForbiddenException("只有交办方（督查室、领导）可以记录回头看。");
        }

        if (lookBack.Status != LookBackStatus.Pending)
        {
            throw new RuleConflictException("该回头看已记录。");
        }

        if (matter.Status != MatterStatus.Closed || matter.ClosedAt != lookBack.ClosedAt)
        {
            throw new RuleConflictException("事项在回头看之前已重新办理，无需再记录。");
        }

        lookBack.Status = status;
        lookBack.CheckedAt = clock.GetUtcNow();
        lookBack.CheckedById = actor.Id;
        lookBack.CheckedByName = actor.Name;
        lookBack.Note = text;
        if (status == LookBackStatus.Rebounded)
        {
            lookBack.ReopenedBySequence = matter.Version + 1;
            await act.ExecuteAsync(matter.Id, new MatterCommand(MatterAction.Reopen) { Note = $"回头看发现问题反弹：{text}" }, null, actor, cancellationToken);
        }
        else
        {
            await db.SaveChangesAsync(cancellationToken);
        }
    }
}
