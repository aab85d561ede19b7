using Duban.Calendar;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>The audit page's filter; every part optional. Dates are Beijing dates, inclusive.</summary>
public sealed record AuditFilter(string? Person = null, long? UnitId = null, long? MatterId = null, string? Action = null,
    string? Entity = null, DateOnly? From = null, DateOnly? To = null);

/// <summary>One page of records, newest first; <see cref="Before"/> continues below the last one (keyset, so a deep
/// page costs what the first does).</summary>
public sealed record AuditPage(IReadOnlyList<AuditRecord> Records, long? Before);

/// <summary>Reads the audit trail for the 审计记录 page and its export.</summary>
public sealed class AuditQueries(DubanDbContext db)
{
    /// <summary>Actions as the page names them.</summary>
    public static IReadOnlyDictionary<string, string> Actions { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["insert"] = "新增",
        ["update"] = "修改",
        ["delete"] = "删除",
        ["sign-in"] = "登录",
        ["sign-in-failed"] = "登录失败",
        ["sign-in-throttled"] = "登录受限",
        ["sign-out"] = "退出登录",
        ["export"] = "导出",
    };

    /// <summary>An action's Chinese name (the code itself when unknown).</summary>
    public static string ActionName(string action) => Actions.TryGetValue(action, out var name) ? name : action;

    public async Task<AuditPage> PageAsync(AuditFilter filter, long? before, int size, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var query = Filtered(filter);
        if (before is { } b)
        {
            query = query.Where(r => r.Seq < b);
        }

        var rows = await query.OrderByDescending(r => r.Seq).Take(size + 1).ToListAsync(cancellationToken);
        var more = rows.Count > size;
        if (more)
        {
            rows.RemoveAt(size);
        }

        return new AuditPage(rows, more ? rows[^1].Seq : null);
    }

    /// <summary>Every record the filter selects, oldest first, for the export (at most <paramref name="limit"/>).</summary>
    public async Task<IReadOnlyList<AuditRecord>> AllAsync(AuditFilter filter, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return await Filtered(filter).OrderBy(r => r.Seq).Take(limit).ToListAsync(cancellationToken);
    }

    /// <summary>The kinds of rows the trail names, for the page's picker.</summary>
    public async Task<IReadOnlyList<string>> EntitiesAsync(CancellationToken cancellationToken = default) =>
        await db.AuditRecords.AsNoTracking().Select(r => r.Entity).Distinct().OrderBy(e => e).ToListAsync(cancellationToken);

    private IQueryable<AuditRecord> Filtered(AuditFilter filter)
    {
        var query = db.AuditRecords.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(filter.Person))
        {
            var person = filter.Person.Trim();
            query = query.Where(r => r.ActorName == person || r.ActorId == person);
        }

        if (filter.UnitId is { } unit)
        {
            query = query.Where(r => r.ActorUnitId == unit);
        }

        if (filter.MatterId is { } matter)
        {
            query = query.Where(r => r.MatterId == matter);
        }

        if (!string.IsNullOrWhiteSpace(filter.Action))
        {
            query = query.Where(r => r.Action == filter.Action);
        }

        if (!string.IsNullOrWhiteSpace(filter.Entity))
        {
            query = query.Where(r => r.Entity == filter.Entity);
        }

        if (filter.From is { } from)
        {
            var start = ChinaTime.StartOf(from);
            query = query.Where(r => r.At >= start);
        }

        if (filter.To is { } to)
        {
            var end = ChinaTime.EndOf(to);
            query = query.Where(r => r.At < end);
        }

        return query;
    }
}
