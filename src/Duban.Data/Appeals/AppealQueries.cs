using Duban.Appeals;
using Duban.Calendar;
using Duban.Matters;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>What anyone holding the tracking code may see: where the appeal stands, never who sent it.</summary>
public sealed record PublicAppealView(string TrackingCode, string Title, string? Category, MatterSource Channel, string ChannelName,
    MatterStatus Status, string StatusName, string HandlingUnit, DateTimeOffset ReceivedAt, DateTimeOffset? AcknowledgedAt,
    DateTimeOffset? CompletedAt, DateTimeOffset? ClosedAt, string? PublicReply, Satisfaction? Satisfaction, bool MayRate);

/// <summary>An appeal as staff see it: intake facts (contact masked unless revealed), its matter and the earlier appeal it repeats.</summary>
public sealed record AppealDetails(long Id, string TrackingCode, string? Category, UnitRef? Region, string? EnterpriseName,
    string? EnterpriseCode, string? ContactName, string? ContactPhone, bool ContactMasked, bool MayRevealContact,
    DateTimeOffset ReceivedAt, string? PublicReply, int Likes, int Dislikes, AppealRef? RepeatOf, IReadOnlyList<AppealRef> Repeats,
    string? RoutingRule, MatterDetails Matter);

/// <summary>Another appeal, as linked from one.</summary>
public sealed record AppealRef(long Id, string TrackingCode, long MatterId, string MatterCode, string Title, DateTimeOffset ReceivedAt, MatterStatus Status);

/// <summary>Reading appeals: by tracking code for the public, by visibility for staff (contact data masked).</summary>
public sealed class AppealQueries(DubanDbContext db, MatterQueries matters)
{
    /// <exception cref="NotFoundException">No appeal has that code.</exception>
    public async Task<PublicAppealView> PublicAsync(string trackingCode, CancellationToken cancellationToken = default)
    {
        var appeal = await FindAsync(db, trackingCode, cancellationToken);
        var matter = await db.Matters.AsNoTracking().Include(m => m.LeadUnit).Include(m => m.Milestones)
            .SingleAsync(m => m.Id == appeal.MatterId, cancellationToken);
        var events = await db.MatterEvents.AsNoTracking().Where(e => e.MatterId == matter.Id)
            .OrderBy(e => e.Sequence).Select(e => new { e.Action, e.At, e.Note }).ToListAsync(cancellationToken);
        var acknowledged = matter.Milestones.FirstOrDefault(m => m.Stage == TimeLimits.Stage.Acknowledge)?.MetAt;
        var completed = matter.Status is MatterStatus.Verified or MatterStatus.Rated or MatterStatus.Closed ? matter.VerifiedAt ?? matter.ClosedAt : null;

        // The reply published is the one recorded on the appeal, else the result the supervision office accepted.
        var reply = appeal.PublicReply;
        if (reply is null && completed is not null)
        {
            reply = events.LastOrDefault(e => e.Action == MatterAction.Complete)?.Note;
        }

        return new PublicAppealView(TrackingCode.Format(appeal.TrackingCode), PersonalData.MaskInText(matter.Title)!, appeal.Category,
            matter.Source, Labels.Of(matter.Source), matter.Status, Labels.ForPublic(matter.Status), matter.LeadUnit!.Name,
            ChinaTime.ToLocal(appeal.ReceivedAt), Local(acknowledged), Local(completed), Local(matter.ClosedAt),
            PersonalData.MaskInText(reply), matter.Satisfaction, matter.Status == MatterStatus.Verified);
    }

    /// <summary>An appeal for staff, contact data always masked here (<see cref="RevealContact"/> shows it in full, audited).</summary>
    /// <exception cref="NotFoundException">No such appeal, or the reader may not see its matter.</exception>
    public async Task<AppealDetails> GetAsync(string trackingCode, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var appeal = await FindAsync(db, trackingCode, cancellationToken);
        var matter = await matters.GetAsync(appeal.MatterId, actor, cancellationToken); // 404 for those who may not see it
        var mayReveal = await MayRevealAsync(appeal.MatterId, actor, cancellationToken);
        var region = appeal.RegionUnitId is { } regionId
            ? await db.Units.AsNoTracking().Where(u => u.Id == regionId).Select(u => new UnitRef(u.Id, u.Code, u.Name)).SingleAsync(cancellationToken)
            : null;
        var repeats = await RefsAsync(db.Appeals.Where(a => a.RepeatOfId == appeal.Id), cancellationToken);
        var repeatOf = appeal.RepeatOfId is { } id ? (await RefsAsync(db.Appeals.Where(a => a.Id == id), cancellationToken)).SingleOrDefault() : null;
        var rule = appeal.RoutingRuleId is { } ruleId
            ? await db.RoutingRules.AsNoTracking().Where(r => r.Id == ruleId).Select(r => r.Name).SingleOrDefaultAsync(cancellationToken)
            : null;
        return new AppealDetails(appeal.Id, TrackingCode.Format(appeal.TrackingCode), appeal.Category, region, appeal.EnterpriseName,
            appeal.EnterpriseCode, MaskName(appeal.ContactName), PersonalData.MaskPhone(appeal.ContactPhone), true, mayReveal,
            ChinaTime.ToLocal(appeal.ReceivedAt), appeal.PublicReply, appeal.Likes, appeal.Dislikes, repeatOf, repeats, rule, matter);
    }

    /// <summary>Whether the reader may see this appeal's personal data unmasked.</summary>
    public async Task<bool> MayRevealAsync(long matterId, Actor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var (_, state, tree) = await VisibleMatters.LoadAsync(db, matterId, actor, cancellationToken);
        return AccessRules.MaySeePersonalData(actor, state, tree);
    }

    /// <summary>A contact name as shown masked: the family name and a star per other character (张*, 欧阳**).</summary>
    public static string? MaskName(string? name) =>
        string.IsNullOrEmpty(name) ? name : name.Length == 1 ? "*" : string.Concat(name.AsSpan(0, 1), new string('*', name.Length - 1));

    /// <summary>The appeal with this tracking code, typed in any case and with or without dashes.</summary>
    internal static async Task<Appeal> FindAsync(DubanDbContext db, string trackingCode, CancellationToken cancellationToken)
    {
        if (!TrackingCode.TryParse(trackingCode, out var code))
        {
            throw new NotFoundException("查询码不正确，请核对后重试。");
        }

        return await db.Appeals.AsNoTracking().SingleOrDefaultAsync(a => a.TrackingCode == code, cancellationToken)
            ?? throw new NotFoundException("没有找到这个查询码对应的诉求，请核对后重试。");
    }

    private static async Task<List<AppealRef>> RefsAsync(IQueryable<Appeal> query, CancellationToken cancellationToken)
    {
        var rows = await query.AsNoTracking().OrderBy(a => a.ReceivedAt).Take(50)
            .Select(a => new { a.Id, a.TrackingCode, a.MatterId, a.Matter!.Code, a.Matter.Title, a.ReceivedAt, a.Matter.Status })
            .ToListAsync(cancellationToken);
        return rows.Select(a => new AppealRef(a.Id, TrackingCode.Format(a.TrackingCode), a.MatterId, a.Code, a.Title, ChinaTime.ToLocal(a.ReceivedAt), a.Status)).ToList();
    }

    private static DateTimeOffset? Local(DateTimeOffset? instant) => instant is { } i ? ChinaTime.ToLocal(i) : null;
}
