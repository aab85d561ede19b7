using Duban.Appeals;
using Duban.Matters;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>The citizen rates a completed appeal from the tracking page.</summary>
public sealed class RateAppeal(DubanDbContext db, ActOnMatter act)
{
    /// <summary>The citizen's own rating (回访评价) of a completed appeal, through the lifecycle's rate action: once per
    /// completion, only while the appeal waits for it.</summary>
    /// <exception cref="NotFoundException">No appeal has that code.</exception>
    /// <exception cref="InvalidTransitionException">The appeal is not waiting for a rating.</exception>
    public async Task ExecuteAsync(string trackingCode, Satisfaction satisfaction, string? note, CancellationToken cancellationToken = default)
    {
        var appeal = await AppealQueries.FindAsync(db, trackingCode, cancellationToken);
        var assigner = await db.Matters.AsNoTracking().Where(m => m.Id == appeal.MatterId).Select(m => m.AssignerUnitId).SingleAsync(cancellationToken);

        // The rating is the citizen's, recorded for the receiving unit whose 回访 it replaces.
        var citizen = new Actor("citizen", "诉求人（自评）", assigner, new HashSet<Role> { Role.Leader });
        await act.ExecuteAsync(appeal.MatterId, new MatterCommand(MatterAction.Rate) { Satisfaction = satisfaction, Note = note }, null, citizen, cancellationToken);
    }
}

/// <summary>An appeal's personal data in full, after the view was audited.</summary>
public sealed record AppealContact(string TrackingCode, string? ContactName, string? ContactPhone);

/// <summary>Shows an appeal's contact data unmasked to those who may see it, and records that they did.</summary>
public sealed class RevealContact(DubanDbContext db, AppealQueries queries, TimeProvider clock)
{
    /// <summary>The contact data in full, for the handling unit and the supervision office; every call writes a
    /// <see cref="PersonalDataView"/> row (who, when, which appeal, where).</summary>
    /// <exception cref="NotFoundException">No such appeal, or the reader may not see it.</exception>
    /// <exception cref="ForbiddenException">The reader sees the appeal but not its personal data.</exception>
    public async Task<AppealContact> ExecuteAsync(string trackingCode, Actor actor, string place, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var appeal = await AppealQueries.FindAsync(db, trackingCode, cancellationToken);
        if (!await queries.MayRevealAsync(appeal.MatterId, actor, cancellationToken)) // 404 for those who may not see it
        {
            throw new ForbiddenException("只有承办单位和督查室可以查看完整的联系方式。");
        }

        db.PersonalDataViews.Add(new PersonalDataView
        {
            AppealId = appeal.Id,
            At = clock.GetUtcNow(),
            ActorId = actor.Id,
            ActorName = actor.Name,
            ActorUnitId = actor.UnitId,
            Place = place,
        });
        await db.SaveChangesAsync(cancellationToken);
        return new AppealContact(TrackingCode.Format(appeal.TrackingCode), appeal.ContactName, appeal.ContactPhone);
    }
}
