using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>
/// The people the pickers offer (可选人员: every user of an active unit, with the unit), read once and shared by every
/// request for <see cref="UnitCatalog.Lifetime"/>. A picker asks it for the few people a typed text or the chosen units
/// find, instead of every person row shipping every user (a county's 3,000 units have tens of thousands of staff).
/// Accounts made or moved on this instance take effect at once; elsewhere (another instance, the command line), within
/// the lifetime. A stale entry only offers a name: the command checks every picked id again.
/// </summary>
public sealed class PeopleCatalog(UnitCatalog units)
{
    /// <summary>The most people one search answers with (more letters narrow it).</summary>
    public const int MaxFound = 50;

    private readonly TimedSnapshot<Snapshot> _snapshot = new(UnitCatalog.Lifetime);

    /// <summary>The pickable users at one instant.</summary>
    public sealed class Snapshot
    {
        private readonly Dictionary<long, (string Plain, string Initials)> _search;

        /// <summary>Each unit's people, in <see cref="Users"/>' order: a picker's units are looked up, not scanned for
        /// among every user (6,000 of them on every matter page was a twentieth of its CPU).</summary>
        private readonly Dictionary<string, List<PickableUser>> _byUnit;

        internal Snapshot(IReadOnlyList<PickableUser> users, Func<string, string> initials)
        {
            Users = users;
            ById = users.ToDictionary(u => u.Id);
            _search = users.ToDictionary(u => u.Id, u => (UnitCatalog.Plain(u.Name), initials(u.Name)));
            _byUnit = users.GroupBy(u => u.UnitCode, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        }

        /// <summary>Every pickable user, by unit code then name.</summary>
        public IReadOnlyList<PickableUser> Users { get; }

        public IReadOnlyDictionary<long, PickableUser> ById { get; }

        /// <summary>拼音首字母 of a user's name ("李强" → "lq").</summary>
        public string InitialsOf(PickableUser user) => _search.TryGetValue(user.Id, out var s) ? s.Initials : Text.PinyinInitials.Of(user.Name);

        /// <summary>
        /// The people a picker's text finds, at most <paramref name="max"/>, by a part of the name (spaces ignored) or
        /// of its pinyin initials, an exact name first; only among <paramref name="unitCodes"/> when some are given
        /// (the assign form offers the chosen units' people). No text: the people of those units, or nobody.
        /// </summary>
        public IReadOnlyList<PickableUser> Find(string? text, IReadOnlyCollection<string>? unitCodes = null, int max = MaxFound)
        {
            var q = UnitCatalog.Plain(text);
            // By unit code, then as each unit lists them: the order of Users.
            var within = unitCodes is { Count: > 0 }
                ? unitCodes.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).SelectMany(c => _byUnit.GetValueOrDefault(c) ?? [])
                : Users;
            if (q.Length == 0)
            {
                return unitCodes is { Count: > 0 } ? within.Take(max).ToList() : [];
            }

            var exact = within.Where(u => _search[u.Id].Plain == q);
            var found = within.Where(u => _search[u.Id].Plain.Contains(q, StringComparison.Ordinal) || UnitCatalog.Spells(_search[u.Id].Initials, q));
            return exact.Concat(found).Distinct().Take(max).ToList();
        }

        /// <summary>
        /// The person a row means when its box was sent (no script): <paramref name="chosen"/> if the text finds them,
        /// else the one person the text names (an exact name borne by one user, or the only one found); otherwise an
        /// error in Chinese and what the text found, for the page to list.
        /// </summary>
        public (PickableUser? User, string? Error, IReadOnlyList<PickableUser> Found) Resolve(string text, long? chosen)
        {
            var found = Find(text);
            if (chosen is { } id && found.Any(u => u.Id == id))
            {
                return (ById[id], null, found);
            }

            var q = UnitCatalog.Plain(text);
            var named = found.Where(u => _search[u.Id].Plain == q).Take(2).ToList();
            var one = named.Count == 1 ? named[0] : named.Count == 0 && found.Count == 1 ? found[0] : null;
            return one is not null
                ? (one, null, found)
                : (null, found.Count == 0 ? $"没有找到姓名或拼音首字母含「{text.Trim()}」的人员。" : $"「{text.Trim()}」对应 {found.Count} 人，请在列表中选择一人。", found);
        }
    }

    /// <summary>The current snapshot, read from <paramref name="db"/> when there is none or it is older than the lifetime.</summary>
    public ValueTask<Snapshot> GetAsync(DubanDbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        return _snapshot.GetAsync(async ct => new Snapshot(await ReadAsync(db, ct), units.InitialsOf), cancellationToken);
    }

    /// <summary>Forgets the snapshot: the next request reads the users again.</summary>
    public void Invalidate() => _snapshot.Invalidate();

    private static async Task<IReadOnlyList<PickableUser>> ReadAsync(DubanDbContext db, CancellationToken cancellationToken)
    {
        var rows = await db.Users.AsNoTracking().Where(u => u.Unit!.Active)
            .Select(u => new PickableUser(u.Id, u.DisplayName, u.Unit!.Code, u.Unit.Name)).ToListAsync(cancellationToken);
        return rows.OrderBy(u => u.UnitCode, StringComparer.Ordinal).ThenBy(u => u.Name, StringComparer.Ordinal).ThenBy(u => u.Id).ToList();
    }
}
