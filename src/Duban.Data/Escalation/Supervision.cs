using Duban.Escalation;
using Duban.Matters;
using Duban.Text;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>催办 and 督办 by hand: what the supervision office sends a lead unit, beside what the sweep sends by itself.</summary>
public sealed class Supervision(DubanDbContext db, Rules rules, TimeProvider clock)
{
    /// <summary>Whether the actor may 催办 or 督办 the matter now (the assigning side, while it is open): the matter
    /// page offers the form only then; <see cref="UrgeOrSuperviseAsync"/> checks again.</summary>
    public async Task<bool> MayUrgeAsync(long matterId, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var (_, state, tree) = await VisibleMatters.LoadAsync(db, matterId, actor, cancellationToken);
        return AccessRules.IsAssigningSide(actor, state, tree) && state.Status is not (MatterStatus.Closed or MatterStatus.Returned);
    }

    /// <summary>Whether the actor may choose 挂牌督办 (a leader, or an administrator).</summary>
    public static bool MayList(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return actor.Has(Role.Leader) || actor.Has(Role.Admin);
    }

    /// <summary>催办 or 督办 by hand, with a message to the lead unit. A 督办 may raise the level; 挂牌督办 takes a leader.</summary>
    public async Task UrgeOrSuperviseAsync(long matterId, EscalationKind kind, SupervisionLevel? level, string? message, Actor actor,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var (matter, state, tree) = await VisibleMatters.LoadAsync(db, matterId, actor, cancellationToken, track: true);
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

            if (newLevel == SupervisionLevel.Listed && !MayList(actor))
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
        var label = kind == EscalationKind.Urge ? "催办" : Labels.Of(matter.SupervisionLevel);
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
}
