using Duban.Assessment;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>What published citations count for the assessment.</summary>
public static class Citations
{
    /// <summary>
    /// Per unit, how many published commendations (<see cref="PointEvent.Commendation"/>) and criticisms
    /// (<see cref="PointEvent.Criticism"/>) name it, counting those published (Beijing date) within
    /// [<paramref name="from"/>, <paramref name="to"/>]. Units named by none are absent.
    /// </summary>
    public static async Task<IReadOnlyDictionary<long, IReadOnlyDictionary<PointEvent, long>>> CountAsync(DubanDbContext db,
        DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var rows = await db.Set<CitationUnit>().AsNoTracking()
            .Join(db.Set<Citation>().Where(c => c.PublishedOn != null && c.PublishedOn >= from && c.PublishedOn <= to),
                u => u.CitationId, c => c.Id, (u, c) => new { u.UnitId, c.Kind })
            .GroupBy(x => new { x.UnitId, x.Kind })
            .Select(g => new { g.Key.UnitId, g.Key.Kind, Count = g.LongCount() })
            .ToListAsync(cancellationToken);
        return rows.GroupBy(r => r.UnitId).ToDictionary(g => g.Key, g => (IReadOnlyDictionary<PointEvent, long>)g.ToDictionary(
            r => r.Kind == CitationKind.Commendation ? PointEvent.Commendation : PointEvent.Criticism, r => r.Count));
    }

    /// <summary>通报表扬 / 通报批评.</summary>
    public static string Label(CitationKind kind) => kind == CitationKind.Commendation ? "通报表扬" : "通报批评";

    /// <summary>Who manages citations, cards and interviews: the supervision office and administrators.</summary>
    public static bool MayManage(Matters.Actor actor) =>
        actor is not null && (actor.Has(Matters.Role.Supervisor) || actor.Has(Matters.Role.Admin));

    /// <summary>The units whose citations, cards and interviews a reader may see: null for all (administrators); the
    /// office and leaders everything in their oversight; anyone else their own unit.</summary>
    internal static async Task<HashSet<long>?> ReadableUnitsAsync(DubanDbContext db, Matters.Actor actor, CancellationToken cancellationToken)
    {
        if (actor.Has(Matters.Role.Admin))
        {
            return null;
        }

        var own = await db.Units.AsNoTracking().Where(u => u.Id == actor.UnitId).Select(u => u.ParentId).FirstOrDefaultAsync(cancellationToken);
        var tree = await UnitTree.LoadAsync(db, own is { } parent ? [actor.UnitId, parent] : [actor.UnitId], cancellationToken);
        if (tree.OversightPath(actor) is not { } path)
        {
            return [actor.UnitId];
        }

        return [.. await db.Units.AsNoTracking().Where(u => u.Path.StartsWith(path)).Select(u => u.Id).ToListAsync(cancellationToken)];
    }
}
