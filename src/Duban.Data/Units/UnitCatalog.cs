using System.Collections.Concurrent;
using Duban.Text;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>
/// The unit directory as pages list it (单位, in tree order, each with its pinyin initials), read once and shared by
/// every request for <see cref="Lifetime"/>: every list page asked for the 3,000 units and spelled each name's pinyin
/// per request. Changes made on this instance through <see cref="UnitDirectory"/> take effect at once; changes made
/// elsewhere (another instance, the command line) within the lifetime.
/// </summary>
public sealed class UnitCatalog
{
    /// <summary>How long a snapshot is used before it is read again.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(2);

    /// <summary>The most units one search answers with (a picker shows a short list; more letters narrow it).</summary>
    public const int MaxFound = 50;

    private readonly TimedSnapshot<Snapshot> _snapshot = new(Lifetime);

    /// <summary>Pinyin initials by name, kept across snapshots: a name is spelled once per process.</summary>
    private readonly ConcurrentDictionary<string, string> _initials = new(StringComparer.Ordinal);

    /// <summary>The units at one instant.</summary>
    public sealed class Snapshot
    {
        internal Snapshot(IReadOnlyList<UnitView> units, Func<string, string> initials)
        {
            Units = units;
            ByCode = units.ToDictionary(u => u.Code, StringComparer.Ordinal);
            Initials = units.ToDictionary(u => u.Id, u => initials(u.Name));
            _plain = units.ToDictionary(u => u.Id, u => Plain(u.Name));
        }

        /// <summary>Every unit in tree order (a parent before its children).</summary>
        public IReadOnlyList<UnitView> Units { get; }

        public IReadOnlyDictionary<string, UnitView> ByCode { get; }

        /// <summary>拼音首字母 of each unit's name by id ("郑州市" → "zzs"; several spellings separated by a space).</summary>
        public IReadOnlyDictionary<long, string> Initials { get; }

        /// <summary>Each unit's name without spaces, lower-cased, by id: what a search compares.</summary>
        private readonly Dictionary<long, string> _plain;

        /// <summary>The pinyin initials of a unit's name (spelled now if the unit is newer than the snapshot).</summary>
        public string InitialsOf(UnitView unit) => Initials.TryGetValue(unit.Id, out var i) ? i : PinyinInitials.Of(unit.Name);

        /// <summary>
        /// The active units a picker's search text finds, in tree order, at most <paramref name="max"/>: by a part of
        /// the name (spaces ignored), of the code, or of the pinyin initials — what <c>/js/picker.js</c> matches on a
        /// full list. An exact code or an exact name comes first.
        /// </summary>
        public IReadOnlyList<UnitView> Find(string? text, int max = MaxFound)
        {
            var q = Plain(text);
            if (q.Length == 0)
            {
                return [];
            }

            var exact = Units.Where(u => u.Active && (string.Equals(u.Code, q, StringComparison.OrdinalIgnoreCase) || _plain[u.Id] == q));
            var found = Units.Where(u => u.Active && (_plain[u.Id].Contains(q, StringComparison.Ordinal)
                || u.Code.Contains(q, StringComparison.OrdinalIgnoreCase)
                || Spells(InitialsOf(u), q)));
            return exact.Concat(found).Distinct().Take(max).ToList();
        }

        /// <summary>
        /// The one unit a typed text names: its code, its exact name (when no other unit bears it), or the only unit
        /// the text finds; null when it names none or several.
        /// </summary>
        public UnitView? Resolve(string? text)
        {
            var trimmed = (text ?? "").Trim();
            if (ByCode.TryGetValue(trimmed, out var byCode))
            {
                return byCode;
            }

            var q = Plain(trimmed);
            var named = Units.Where(u => u.Active && _plain[u.Id] == q).Take(2).ToList();
            if (named.Count > 0)
            {
                return named.Count == 1 ? named[0] : null;
            }

            var found = Find(trimmed, 2);
            return found.Count == 1 ? found[0] : null;
        }
    }

    /// <summary>A name or search text as searches compare it: without spaces, lower-cased.</summary>
    internal static string Plain(string? text) =>
        string.Concat((text ?? "").Where(c => !char.IsWhiteSpace(c))).ToLowerInvariant();

    /// <summary>Whether one of a name's pinyin spellings (initials separated by spaces) contains <paramref name="q"/>.</summary>
    internal static bool Spells(string initials, string q) => initials.Split(' ').Any(p => p.Contains(q, StringComparison.Ordinal));

    /// <summary>The current snapshot, read from <paramref name="db"/> when there is none or it is older than the lifetime.</summary>
    public ValueTask<Snapshot> GetAsync(DubanDbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        return _snapshot.GetAsync(async ct => new Snapshot(await ReadAsync(db, ct), InitialsOf), cancellationToken);
    }

    /// <summary>The pinyin initials of a name, spelled once per process (see <see cref="PinyinInitials.Of"/>).</summary>
    public string InitialsOf(string name) => _initials.GetOrAdd(name ?? "", PinyinInitials.Of);

    /// <summary>Forgets the snapshot: the next request reads the units again.</summary>
    public void Invalidate() => _snapshot.Invalidate();

    /// <summary>Every unit in tree order, read from the database.</summary>
    internal static async Task<IReadOnlyList<UnitView>> ReadAsync(DubanDbContext db, CancellationToken cancellationToken)
    {
        var units = await db.Units.AsNoTracking().OrderBy(u => u.Path).ToListAsync(cancellationToken);
        var codes = units.ToDictionary(u => u.Id, u => u.Code);
        return units.Select(u => new UnitView(u.Id, u.Code, u.Name, u.ParentId is { } p ? codes[p] : null, u.Level, u.Active,
            u.Path.Count(c => c == '/') - 2)).ToList();
    }
}
