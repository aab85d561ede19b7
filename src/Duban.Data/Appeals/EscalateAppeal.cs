using Duban.Appeals;
using Duban.Matters;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>
/// 上报 (分层分级): the lead unit hands an appeal beyond its power to the unit above it, with a reason. It is the lifecycle's
/// transfer, taken by the lead unit and marked <c>escalated</c>, so the hop is one event with a fresh clock for the new unit.
/// </summary>
public sealed class EscalateAppeal(DubanDbContext db, ActOnMatter act, MatterQueries matters)
{
    /// <exception cref="NotFoundException">No such appeal, or the actor may not see it.</exception>
    /// <exception cref="ForbiddenException">The actor is not the lead unit.</exception>
    /// <exception cref="RuleConflictException">The lead unit has no level above it.</exception>
    /// <exception cref="ValidationFailedException">No reason given.</exception>
    public async Task ExecuteAsync(string trackingCode, string? reason, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!TrackingCode.TryParse(trackingCode, out var code))
        {
            throw new NotFoundException("查询码不正确。");
        }

        var target = await db.Appeals.AsNoTracking().Where(a => a.TrackingCode == code)
            .Select(a => new { a.MatterId, Parent = a.Matter!.LeadUnit!.Parent!.Code, HasParent = a.Matter.LeadUnit.ParentId != null })
            .SingleOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("没有找到这个查询码对应的诉求。");
        if (!target.HasParent)
        {
            _ = await matters.GetAsync(target.MatterId, actor, cancellationToken); // a stranger gets 404, not this message
            throw new RuleConflictException("承办单位已是最高层级，无法再上报。");
        }

        await act.ExecuteAsync(target.MatterId, new MatterCommand(MatterAction.Transfer) { Escalate = true, Note = reason }, target.Parent, actor, cancellationToken);
    }
}
