using Duban.Matters;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>The units a decision involves, loaded once; answers ancestry from materialized paths.</summary>
public sealed class UnitTree : IUnitTree
{
    private readonly Dictionary<long, (long? ParentId, UnitLevel Level, string Path)> _units;

    private UnitTree(Dictionary<long, (long? ParentId, UnitLevel Level, string Path)> units) => _units = units;

    public static async Task<UnitTree> LoadAsync(DubanDbContext db, IEnumerable<long> unitIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var ids = unitIds.Distinct().ToList();
        var units = await db.Units.AsNoTracking().Where(u => ids.Contains(u.Id))
            .Select(u => new { u.Id, u.ParentId, u.Level, u.Path })
            .ToDictionaryAsync(u => u.Id, u => (u.ParentId, u.Level, u.Path), cancellationToken);
        return new UnitTree(units);
    }

    /// <summary>A tree of units already read (<see cref="IntakeDirectory"/>).</summary>
    internal static UnitTree From(IEnumerable<(long Id, long? ParentId, UnitLevel Level, string Path)> units) =>
        new(units.ToDictionary(u => u.Id, u => (u.ParentId, u.Level, u.Path)));

    public bool IsWithin(long unitId, long ancestorId) =>
        _units.TryGetValue(unitId, out var unit) && unit.Path.Contains($"/{ancestorId}/", StringComparison.Ordinal);

    public long GovernmentOf(long unitId) =>
        _units.TryGetValue(unitId, out var unit) && unit.Level == UnitLevel.Department && unit.ParentId is { } parent
            ? parent
            : unitId;

    /// <summary>The path prefix of everything the actor oversees, or null.</summary>
    public string? OversightPath(Actor actor)
    {
        if (AccessRules.OversightRoot(actor, this) is not { } root || !_units.TryGetValue(actor.UnitId, out var own))
        {
            return null;
        }

        // The root is the actor's unit or its parent; both paths are prefixes of the actor's own path.
        var marker = $"/{root}/";
        var at = own.Path.IndexOf(marker, StringComparison.Ordinal);
        return at < 0 ? null : own.Path[..(at + marker.Length)];
    }
}
