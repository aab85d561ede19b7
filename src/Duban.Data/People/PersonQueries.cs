using System.Globalization;
using System.Linq.Expressions;
using Duban.Matters;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>A matter one person is named on, as their page lists it.</summary>
public sealed record PersonMatter(long Id, string Code, string Title, MatterStatus Status, string StatusName, UnitRef LeadUnit,
    DateTimeOffset? NextDueAt, bool Overdue);

/// <summary>What a person is responsible for, by role (责任领导、责任人、联络员、包案领导), over the matters the reader may see.</summary>
public sealed record PersonPage(string Key, string Name, string? UnitName, string? Phone, bool IsUser,
    IReadOnlyList<PersonRoleGroup> Groups)
{
    public int Total => Groups.Sum(g => g.Matters.Count);
    public int Overdue => Groups.Sum(g => g.Matters.Count(m => m.Overdue));
}

public sealed record PersonRoleGroup(PersonRole Role, string RoleName, IReadOnlyList<PersonMatter> Matters);

/// <summary>Reading by person: the filter lists use and a person's page.</summary>
public sealed class PersonQueries(DubanDbContext db, TimeProvider clock)
{
    /// <summary>Matters a person is named on: <paramref name="key"/> is a user id (digits) or a name (a contact's, or the
    /// name a user was named under).</summary>
    public static Expression<Func<Matter, bool>> Names(DubanDbContext db, string key)
    {
        ArgumentNullException.ThrowIfNull(db);
        var trimmed = (key ?? string.Empty).Trim();
        if (long.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var userId))
        {
            return m => db.MatterPeople.Any(p => p.MatterId == m.Id && p.UserId == userId);
        }

        return m => db.MatterPeople.Any(p => p.MatterId == m.Id && p.Name == trimmed);
    }

    public const int PageMax = 500;

    /// <summary>A person's page: what they are named on, grouped by role, with status and overdue marks.</summary>
    /// <exception cref="NotFoundException">Nobody by that key is named on a matter the reader may see (and no such user).</exception>
    public async Task<PersonPage> GetAsync(string key, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var trimmed = (key ?? string.Empty).Trim();
        var visible = await VisibleMatters.QueryAsync(db, actor, cancellationToken);
        var isUser = long.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var userId);
        var people = isUser ? db.MatterPeople.Where(p => p.UserId == userId) : db.MatterPeople.Where(p => p.Name == trimmed);
        var rows = await people.AsNoTracking()
            .Join(visible, p => p.MatterId, m => m.Id, (p, m) => new
            {
                p.Role, p.Name, p.UnitName, p.Phone, m.Id, m.Code, m.Title, m.Status, m.NextDueAt,
                LeadId = m.LeadUnit!.Id, LeadCode = m.LeadUnit.Code, LeadName = m.LeadUnit.Name,
            })
            .OrderByDescending(r => r.Id).Take(PageMax).ToListAsync(cancellationToken);
        string name;
        string? unitName = null, phone = null;
        if (isUser)
        {
            var user = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => new { u.DisplayName, UnitName = u.Unit!.Name })
                .SingleOrDefaultAsync(cancellationToken);
            // A user named on nothing the reader may see is shown only to themselves and to those who name people on
            // matters (the office, leaders, administrators): anyone else would learn a name and a unit from an id.
            var mayKnow = actor.Id == string.Create(CultureInfo.InvariantCulture, $"user:{userId}") || AccessRules.MayAssign(actor) || actor.Has(Role.Admin);
            if (rows.Count == 0 && (user is null || !mayKnow))
            {
                throw new NotFoundException($"没有找到人员「{trimmed}」。");
            }

            name = user?.DisplayName ?? rows[0].Name;
            unitName = user?.UnitName ?? rows[0].UnitName;
        }
        else
        {
            if (rows.Count == 0)
            {
                throw new NotFoundException($"没有找到人员「{trimmed}」。");
            }

            name = trimmed;
            unitName = rows.Select(r => r.UnitName).FirstOrDefault(u => u is not null);
            phone = rows.Select(r => r.Phone).FirstOrDefault(p => p is not null);
        }

        var now = clock.GetUtcNow();
        var groups = rows.GroupBy(r => r.Role).OrderBy(g => g.Key)
            .Select(g => new PersonRoleGroup(g.Key, MatterPeople.Label(g.Key), g
                .DistinctBy(r => r.Id)
                .Select(r => new PersonMatter(r.Id, r.Code, r.Title, r.Status, Labels.Of(r.Status), new UnitRef(r.LeadId, r.LeadCode, r.LeadName),
                    r.NextDueAt is { } due ? Calendar.ChinaTime.ToLocal(due) : null, MatterConditions.IsOverdue(r.NextDueAt, now)))
                .ToList()))
            .ToList();
        return new PersonPage(trimmed, name, unitName, phone, isUser, groups);
    }
}
