using Duban.Appeals;
using Duban.Matters;
using Duban.Text;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>A named person as submitted: a role and either a Duban user (<see cref="User"/>, the account id) or a contact
/// without an account (<see cref="Name"/>, <see cref="Unit"/>, <see cref="Phone"/>).</summary>
public sealed record PersonInput
{
    /// <summary>leadingOfficial (责任领导) | responsible (责任人) | liaison (联络员) | caseLeader (包案领导, petitions only).</summary>
    public string? Role { get; init; }
    public long? User { get; init; }
    public string? Name { get; init; }
    public string? Unit { get; init; }
    public string? Phone { get; init; }
}

/// <summary>A named person as shown. <see cref="Key"/> opens their page (/People/{key}): the user id, or the contact's name.</summary>
public sealed record PersonView(PersonRole Role, string RoleName, long? UserId, string Name, string? UnitName, string? Phone, string Key);

/// <summary>A user who may be picked as a named person, with their unit (pickers group by unit).</summary>
public sealed record PickableUser(long Id, string Name, string UnitCode, string UnitName);

/// <summary>The body of a change of people: the whole new list (an empty list clears it) and an optional note.</summary>
public sealed record PeopleChange
{
    public IReadOnlyList<PersonInput?>? People { get; init; }
    public string? Note { get; init; }
}

/// <summary>The people named on matters (责任领导、责任人、联络员、包案领导): checked at assignment, changed later by the
/// office (the assigning side) or the lead unit with an event on the matter's history, and read per matter and per person.</summary>
public sealed class MatterPeople(DubanDbContext db, Rules rules, TimeProvider clock)
{
    public const int MaxPeople = 20, MaxName = 50, MaxUnit = 100;

    /// <summary>The Chinese name of a role.</summary>
    public static string Label(PersonRole role) => role switch
    {
        PersonRole.LeadingOfficial => "责任领导",
        PersonRole.Responsible => "责任人",
        PersonRole.Liaison => "联络员",
        PersonRole.CaseLeader => "包案领导",
    };

    /// <summary>The roles a matter of this kind may name: 包案领导 only on petitions.</summary>
    public static IReadOnlyList<PersonRole> RolesFor(MatterKind kind) => kind == MatterKind.Petition
        ? Enum.GetValues<PersonRole>()
        : [PersonRole.LeadingOfficial, PersonRole.Responsible, PersonRole.Liaison];

    /// <summary>Whether the actor may change a matter's people: the assigning side (督查室、领导) or the lead unit.</summary>
    public static bool MayChange(Actor actor, MatterState state, IUnitTree tree) =>
        AccessRules.IsAssigningSide(actor, state, tree) || AccessRules.IsLeadUnit(actor, state);

    /// <summary>Checks submitted people for a matter of <paramref name="kind"/> and makes their rows (not yet added);
    /// problems go into <paramref name="errors"/> under <c>people</c>.</summary>
    internal async Task<List<MatterPerson>> ResolveAsync(IReadOnlyList<PersonInput?>? input, MatterKind kind,
        Dictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        var people = new List<MatterPerson>();
        if (input is null || input.Count == 0)
        {
            return people;
        }

        var problems = new List<string>();
        if (input.Count > MaxPeople)
        {
            errors["people"] = [$"人员不能超过 {MaxPeople} 名。"];
            return people;
        }

        var userIds = input.Where(p => p?.User is not null).Select(p => p!.User!.Value).Distinct().ToList();
        var users = userIds.Count == 0
            ? []
            : await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id))
                .Select(u => new { u.Id, u.DisplayName, UnitName = u.Unit!.Name }).ToDictionaryAsync(u => u.Id, cancellationToken);
        var allowed = RolesFor(kind);
        for (var i = 0; i < input.Count; i++)
        {
            var p = input[i];
            var n = i + 1;
            if (p is null)
            {
                problems.Add($"第 {n} 名人员为空。");
                continue;
            }

            if (!WireEnum.TryParse<PersonRole>(p.Role, out var role))
            {
                problems.Add($"第 {n} 名人员的职责必须是 leadingOfficial（责任领导）、responsible（责任人）、liaison（联络员）或 caseLeader（包案领导）。");
                continue;
            }

            if (!allowed.Contains(role))
            {
                problems.Add($"第 {n} 名人员：只有信访事项可以指定包案领导。");
                continue;
            }

            // Stored in the one form appeals keep phones in (mobile, landline with area code, or a service number).
            var typed = UserText.Clean(p.Phone);
            var phone = PersonalData.NormalizePhone(typed);
            if (typed is not null && phone is null)
            {
                problems.Add($"第 {n} 名人员的电话必须是手机、带区号的座机或服务号码。");
                continue;
            }

            if (p.User is { } userId)
            {
                if (!users.TryGetValue(userId, out var user))
                {
                    problems.Add($"第 {n} 名人员：用户 {userId} 不存在。");
                    continue;
                }

                people.Add(new MatterPerson { Role = role, UserId = userId, Name = user.DisplayName, UnitName = user.UnitName, Phone = phone, Position = n });
                continue;
            }

            var name = UserText.Clean(p.Name);
            var unit = UserText.Clean(p.Unit);
            if (name is null)
            {
                problems.Add($"第 {n} 名人员：请选择用户或填写姓名。");
            }
            else if (name.Length > MaxName || char.IsAsciiDigit(name[0]))
            {
                problems.Add($"第 {n} 名人员的姓名不能以数字开头，不超过 {MaxName} 字。");
            }
            else if (unit is { Length: > MaxUnit })
            {
                problems.Add($"第 {n} 名人员的单位不能超过 {MaxUnit} 字。");
            }
            else
            {
                people.Add(new MatterPerson { Role = role, Name = name, UnitName = unit, Phone = phone, Position = n });
            }
        }

        if (problems.Count > 0)
        {
            errors["people"] = [.. problems];
        }

        return people;
    }

    /// <summary>Each matter's 责任人, names joined with 、 in their order; matters without one are left out. For lists
    /// that name the person beside the unit (the accountability list, the 约谈 records).</summary>
    internal static async Task<Dictionary<long, string>> ResponsibleNamesAsync(DubanDbContext db, IReadOnlyCollection<long> matterIds,
        CancellationToken cancellationToken)
    {
        var people = new List<MatterPerson>();
        foreach (var chunk in matterIds.Distinct().Chunk(1000))
        {
            people.AddRange(await db.MatterPeople.AsNoTracking().Where(p => chunk.Contains(p.MatterId) && p.Role == PersonRole.Responsible)
                .ToListAsync(cancellationToken));
        }

        return people.GroupBy(p => p.MatterId).ToDictionary(g => g.Key, g => string.Join("、", g.OrderBy(p => p.Position).Select(p => p.Name)));
    }

    /// <summary>The people named on a matter the actor may see, in role order.</summary>
    /// <exception cref="NotFoundException">No such matter, or the actor may not see it.</exception>
    public async Task<IReadOnlyList<PersonView>> ForMatterAsync(long matterId, Actor actor, CancellationToken cancellationToken = default)
    {
        await VisibleMatters.LoadAsync(db, matterId, actor, cancellationToken);
        return await ViewsAsync(matterId, cancellationToken);
    }

    /// <summary>Whether the actor may change the people of a matter they may see.</summary>
    public async Task<bool> MayChangeAsync(long matterId, Actor actor, CancellationToken cancellationToken = default)
    {
        var (_, state, tree) = await VisibleMatters.LoadAsync(db, matterId, actor, cancellationToken);
        return MayChange(actor, state, tree);
    }

    private async Task<IReadOnlyList<PersonView>> ViewsAsync(long matterId, CancellationToken cancellationToken)
    {
        var rows = await db.MatterPeople.AsNoTracking().Where(p => p.MatterId == matterId).ToListAsync(cancellationToken);
        return rows.OrderBy(p => p.Role).ThenBy(p => p.Position).Select(View).ToList();
    }

    internal static PersonView View(MatterPerson p) =>
        new(p.Role, Label(p.Role), p.UserId, p.Name, p.UnitName, p.Phone, KeyOf(p.UserId, p.Name));

    /// <summary>The key of a person's page: a user's id, or a contact's name.</summary>
    public static string KeyOf(long? userId, string name) =>
        userId is { } id ? id.ToString(System.Globalization.CultureInfo.InvariantCulture) : name;

    /// <summary>Replaces a matter's people (the whole list) and records the change on its history (更改人员).</summary>
    /// <exception cref="ForbiddenException">Neither the assigning side nor the lead unit.</exception>
    /// <exception cref="ValidationFailedException">A person is invalid.</exception>
    public async Task<IReadOnlyList<PersonView>> SetAsync(long matterId, PeopleChange change, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(actor);
        var (matter, state, tree) = await VisibleMatters.LoadAsync(db, matterId, actor, cancellationToken, track: true);
        if (!MayChange(actor, state, tree))
        {
            throw new ForbiddenException("只有交办方（督查室、领导）或牵头单位可以更改责任人员。");
        }

        var errors = new Dictionary<string, string[]>();
        var note = UserText.Clean(change.Note);
        if (note is { Length: > 500 })
        {
            errors["note"] = ["说明不能超过 500 字。"];
        }

        var people = await ResolveAsync(change.People ?? [], state.Kind, errors, cancellationToken);
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        var summary = Summary(people);
        var now = clock.GetUtcNow();
        var e = MatterLifecycle.PeopleChanged(state, note is null ? summary : $"{summary}（{note}）", actor.Ref, now);
        matter.Store(state.Apply(e), rules);
        matter.Events.Add(MatterEventRow.From(e));
        db.MatterPeople.RemoveRange(await db.MatterPeople.Where(p => p.MatterId == matterId).ToListAsync(cancellationToken));
        foreach (var p in people)
        {
            p.MatterId = matterId;
        }

        db.MatterPeople.AddRange(people);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex)
        {
            db.ChangeTracker.Clear();
            var actual = await db.Matters.AsNoTracking().Where(m => m.Id == matterId).Select(m => m.Version).SingleAsync(cancellationToken);
            if (actual == state.Version)
            {
                throw new InvalidOperationException("Saving the people failed for a reason other than a concurrent edit.", ex);
            }

            throw new ConcurrencyConflictException(state.Version, actual);
        }

        return await ViewsAsync(matterId, cancellationToken);
    }

    /// <summary>The list as the history reads it: 责任领导：王强；责任人：张三、李四 (or 已清空).</summary>
    public static string Summary(IEnumerable<MatterPerson> people)
    {
        var groups = people.GroupBy(p => p.Role).OrderBy(g => g.Key)
            .Select(g => $"{Label(g.Key)}：{string.Join("、", g.OrderBy(p => p.Position).Select(p => p.Name))}").ToList();
        return groups.Count == 0 ? "已清空责任人员" : string.Join("；", groups);
    }
}
