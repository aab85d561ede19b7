using Duban.Appeals;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>
/// What intake routes by — the active routing rules and the unit directory — read once and shared by every request
/// for <see cref="Lifetime"/> (each appeal asked the database the same four questions, a fifth of its cost). Changes
/// made on this instance through <see cref="RoutingRules"/> and <see cref="UnitDirectory"/> take effect at once;
/// changes made elsewhere (another instance, the command line) within the lifetime.
/// </summary>
public sealed class IntakeDirectory
{
    /// <summary>How long a snapshot is used before it is read again.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(2);

    private readonly TimedSnapshot<Snapshot> _snapshot = new(Lifetime);

    /// <summary>One unit as intake needs it.</summary>
    public sealed record UnitEntry(long Id, string Code, string Name, bool Active);

    /// <summary>The rules and units at one instant.</summary>
    public sealed class Snapshot(IReadOnlyList<RoutingRule> rules, IReadOnlyDictionary<long, UnitEntry> units, UnitTree tree)
    {
        public IReadOnlyList<RoutingRule> Rules { get; } = rules;
        public IReadOnlyList<RouteRule> RouteRules { get; } = rules.Select(r => r.ToRule()).ToList();
        public IReadOnlyDictionary<long, UnitEntry> Units { get; } = units;
        public IReadOnlyDictionary<string, UnitEntry> ByCode { get; } = units.Values.ToDictionary(u => u.Code, StringComparer.Ordinal);
        public UnitTree Tree { get; } = tree;

        /// <summary>The active unit with that code, or null.</summary>
        public UnitEntry? Active(string code) => ByCode.TryGetValue(code, out var unit) && unit.Active ? unit : null;
    }

    /// <summary>The current snapshot, read from <paramref name="db"/> when there is none or it is older than the lifetime.</summary>
    public ValueTask<Snapshot> GetAsync(DubanDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return _snapshot.GetAsync(async token =>
        {
            var rules = await db.RoutingRules.AsNoTracking().Where(r => r.Active).OrderBy(r => r.Id).Take(10_000).ToListAsync(token);
            var rows = await db.Units.AsNoTracking().Select(u => new { u.Id, u.Code, u.Name, u.Active, u.ParentId, u.Level, u.Path })
                .ToListAsync(token);
            return new Snapshot(rules, rows.ToDictionary(u => u.Id, u => new UnitEntry(u.Id, u.Code, u.Name, u.Active)),
                UnitTree.From(rows.Select(u => (u.Id, u.ParentId, u.Level, u.Path))));
        }, cancellationToken);
    }

    /// <summary>Forgets the snapshot: the next request reads the rules and units again.</summary>
    public void Invalidate() => _snapshot.Invalidate();
}
