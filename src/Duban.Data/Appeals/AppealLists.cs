using Duban.Appeals;
using Duban.Calendar;
using Duban.Matters;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>Filters for the 诉求清单; all optional.</summary>
public sealed record AppealFilter
{
    public MatterSource? Channel { get; init; }

    /// <summary>Received on or after this date (Beijing time).</summary>
    public DateOnly? From { get; init; }

    /// <summary>Received on or before this date (Beijing time).</summary>
    public DateOnly? To { get; init; }

    public int Page { get; init; } = 1;
    public int PageSize { get; init; } = 50;
    public const int MaxPageSize = 200, MaxExportRows = 10_000;
}

/// <summary>One appeal in the 诉求清单. Contact data is masked unless the row was exported in full (and audited).</summary>
public sealed record AppealRow(string TrackingCode, long MatterId, string MatterCode, DateTimeOffset ReceivedAt, MatterSource Channel, string ChannelName,
    string? Category, string Title, string? Region, string? ContactName, string? ContactPhone, string LeadUnit, MatterStatus Status, string StatusName,
    bool Overdue, string? RepeatOf);

/// <summary>A page of the 诉求清单 with counts by channel; repeats (重复件) are listed but not counted.</summary>
public sealed record AppealListPage(IReadOnlyList<AppealRow> Items, int Total, int Page, int PageSize,
    IReadOnlyList<(MatterSource Channel, string Name, int Count)> ByChannel, int Repeats);

/// <summary>One unit's line in the 办理清单: its appeals by stage (repeats not counted).</summary>
public sealed record HandlingRow(UnitRef Unit, int Waiting, int Handling, int UnderReview, int Completed, int Returned, int Overdue, int Total);

/// <summary>The three lists (三单) over appeals, limited to what the reader may see.</summary>
public sealed class AppealLists(DubanDbContext db, TimeProvider clock)
{
    /// <summary>诉求清单: every appeal collected, newest first, with counts by channel.</summary>
    public async Task<AppealListPage> AppealsAsync(AppealFilter filter, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var query = await FilteredAsync(filter, actor, cancellationToken);
        var total = await query.CountAsync(cancellationToken);
        var counts = await query.Where(a => a.RepeatOfId == null).GroupBy(a => a.Matter!.Source)
            .Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var repeats = await query.CountAsync(a => a.RepeatOfId != null, cancellationToken);
        var rows = await RowsAsync(query.OrderByDescending(a => a.ReceivedAt).ThenByDescending(a => a.Id)
            .Skip((filter.Page - 1) * filter.PageSize).Take(filter.PageSize), actor, full: false, cancellationToken);
        var byChannel = AppealIntake.Channels.Order()
            .Select(c => (c, Labels.Of(c), counts.FirstOrDefault(x => x.Key == c)?.Count ?? 0)).ToList();
        return new AppealListPage(rows, total, filter.Page, filter.PageSize, byChannel, repeats);
    }

    /// <summary>The 诉求清单 for an xlsx export, up to <see cref="AppealFilter.MaxExportRows"/> rows. With <paramref name="full"/>, rows
    /// whose personal data the reader may see are exported unmasked, and each such row writes an audit row.</summary>
    public async Task<IReadOnlyList<AppealRow>> ExportAsync(AppealFilter filter, Actor actor, bool full, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var query = await FilteredAsync(filter, actor, cancellationToken);
        return await RowsAsync(query.OrderByDescending(a => a.ReceivedAt).ThenByDescending(a => a.Id).Take(AppealFilter.MaxExportRows),
            actor, full, cancellationToken);
    }

    /// <summary>办理清单: appeals by lead unit and stage, units with the most overdue first.</summary>
    public async Task<IReadOnlyList<HandlingRow>> HandlingAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var visible = await VisibleMatters.QueryAsync(db, actor, cancellationToken);
        var groups = await db.Appeals.AsNoTracking().Where(a => a.RepeatOfId == null)
            .Join(visible, a => a.MatterId, m => m.Id, (a, m) => m)
            .GroupBy(m => new { m.LeadUnitId, m.Status }, MatterConditions.Overdue(now).AsFlag())
            .Select(g => new { g.Key.LeadUnitId, g.Key.Status, Count = g.Count(), Overdue = g.Sum() })
            .ToListAsync(cancellationToken);
        var unitIds = groups.Select(g => g.LeadUnitId).Distinct().ToList();
        var units = await db.Units.AsNoTracking().Where(u => unitIds.Contains(u.Id))
            .ToDictionaryAsync(u => u.Id, u => new UnitRef(u.Id, u.Code, u.Name), cancellationToken);
        return groups.GroupBy(g => g.LeadUnitId).Select(g =>
        {
            int Of(params MatterStatus[] statuses) => g.Where(x => statuses.Contains(x.Status)).Sum(x => x.Count);
            return new HandlingRow(units[g.Key], Of(MatterStatus.Assigned), Of(MatterStatus.Acknowledged), Of(MatterStatus.Reported),
                Of(MatterStatus.Verified, MatterStatus.Rated, MatterStatus.Closed), Of(MatterStatus.Returned),
                g.Where(x => x.Status is not (MatterStatus.Returned or MatterStatus.Verified or MatterStatus.Rated or MatterStatus.Closed)).Sum(x => x.Overdue),
                g.Sum(x => x.Count));
        }).OrderByDescending(r => r.Overdue).ThenByDescending(r => r.Total).ThenBy(r => r.Unit.Code, StringComparer.Ordinal).ToList();
    }

    private async Task<IQueryable<Appeal>> FilteredAsync(AppealFilter filter, Actor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var visible = await VisibleMatters.QueryAsync(db, actor, cancellationToken);
        var query = db.Appeals.AsNoTracking().Where(a => visible.Any(m => m.Id == a.MatterId));
        if (filter.Channel is { } channel)
        {
            query = query.Where(a => a.Matter!.Source == channel);
        }

        if (filter.From is { } from)
        {
            var start = ChinaTime.StartOf(from);
            query = query.Where(a => a.ReceivedAt >= start);
        }

        if (filter.To is { } to)
        {
            var end = ChinaTime.EndOf(to);
            query = query.Where(a => a.ReceivedAt < end);
        }

        return query;
    }

    private async Task<IReadOnlyList<AppealRow>> RowsAsync(IQueryable<Appeal> query, Actor actor, bool full, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var rows = await query.Select(a => new
        {
            a.Id, a.TrackingCode, a.MatterId, a.Matter!.Code, a.ReceivedAt, a.Matter.Source, a.Category, a.Matter.Title,
            Region = a.RegionUnit!.Name, a.ContactName, a.ContactPhone, LeadUnit = a.Matter.LeadUnit!.Name, a.Matter.LeadUnitId,
            a.Matter.Status, a.Matter.NextDueAt, RepeatOf = a.RepeatOf!.TrackingCode,
        }).ToListAsync(cancellationToken);

        // The same rule as AccessRules.MaySeePersonalData, for rows already known visible: the lead unit, or a supervisor.
        bool Reveal(long leadUnitId) => full && ((actor.UnitId == leadUnitId && actor.Roles.Count > 0) || actor.Has(Role.Supervisor));
        var revealed = rows.Where(r => Reveal(r.LeadUnitId) && (r.ContactName ?? r.ContactPhone) is not null).ToList();
        if (revealed.Count > 0)
        {
            var at = clock.GetUtcNow();
            db.PersonalDataViews.AddRange(revealed.Select(r => new PersonalDataView
            {
                AppealId = r.Id, At = at, ActorId = actor.Id, ActorName = actor.Name, ActorUnitId = actor.UnitId, Place = "export",
            }));
            await db.SaveChangesAsync(cancellationToken);
        }

        return rows.Select(r => new AppealRow(TrackingCode.Format(r.TrackingCode), r.MatterId, r.Code, ChinaTime.ToLocal(r.ReceivedAt), r.Source,
            Labels.Of(r.Source), r.Category, r.Title, r.Region,
            Reveal(r.LeadUnitId) ? r.ContactName : AppealQueries.MaskName(r.ContactName),
            Reveal(r.LeadUnitId) ? r.ContactPhone : PersonalData.MaskPhone(r.ContactPhone),
            r.LeadUnit, r.Status, Labels.Of(r.Status), MatterConditions.IsOverdue(r.NextDueAt, now), r.RepeatOf is null ? null : TrackingCode.Format(r.RepeatOf))).ToList();
    }
}
