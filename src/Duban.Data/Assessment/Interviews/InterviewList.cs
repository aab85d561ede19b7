using System.Globalization;
using Duban.Calendar;
using Duban.Matters;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>A 约谈 entry added by hand.</summary>
public sealed record NewInterview(long? UnitId, string? Reason);

/// <summary>What was recorded at an interview: who (name and post), when (2024-04-02), which of the unit's matters, the notes.</summary>
public sealed record InterviewRecord(string? PersonName, string? PersonPost, string? HeldOn, IReadOnlyList<long>? MatterIds, string? Notes);

/// <summary>A matter talked about at an interview.</summary>
public sealed record InterviewMatterView(long Id, string Code, string Title)
{
    /// <summary>The matter's 责任人 (named people, <see cref="MatterPeople"/>), joined with 、; null when none is named.</summary>
    public string? Responsible { get; init; }
}

/// <summary>An interview entry as pages and the API show it.</summary>
public sealed record InterviewView(long Id, UnitRef Unit, long? CardId, string Reason, DateTimeOffset CreatedAt, string CreatedByName,
    DateTimeOffset? RecordedAt, string? RecordedByName, string? PersonName, string? PersonPost, DateOnly? HeldOn, string? Notes,
    IReadOnlyList<InterviewMatterView> Matters)
{
    /// <summary>What the notes of an entry closed by revoking its red card begin with.</summary>
    public const string RevokedPrefix = "红牌已撤销：";

    /// <summary>Recorded (or closed by revoking its card), so closed.</summary>
    public bool Closed => RecordedAt is not null;

    /// <summary>Closed without an interview because its red card was revoked; <see cref="Notes"/> give the reason.</summary>
    public bool Withdrawn => Closed && HeldOn is null;

    /// <summary>待约谈 / 已约谈 / 已关闭 (red card revoked).</summary>
    public string StatusName => !Closed ? "待约谈" : Withdrawn ? "已关闭" : "已约谈";
}

/// <summary>约谈名单: entries from red cards or added by hand; recording the interview closes an entry.</summary>
public sealed class InterviewList(DubanDbContext db, TimeProvider clock)
{
    public const int MaxNotes = 4000, MaxReason = 300, MaxMatters = 50;

    /// <summary>The entries the reader may see, open first then newest, filtered by status (open, closed) and unit.</summary>
    /// <exception cref="ValidationFailedException">An unknown status.</exception>
    public async Task<IReadOnlyList<InterviewView>> ListAsync(string? status, long? unitId, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var query = db.Set<Interview>().AsNoTracking().Include(i => i.Unit).Include(i => i.Matters).ThenInclude(m => m.Matter).AsSplitQuery();
        switch (status?.Trim().ToUpperInvariant())
        {
            case null or "" or "ALL":
                break;
            case "OPEN":
                query = query.Where(i => i.RecordedAt == null);
                break;
            case "CLOSED":
                query = query.Where(i => i.RecordedAt != null);
                break;
            default:
                throw ValidationFailedException.For("status", "状态只能是 open（待约谈）或 closed（已关闭：已约谈或红牌已撤销）。");
        }

        if (unitId is { } unit)
        {
            query = query.Where(i => i.UnitId == unit);
        }

        if (!Citations.MayManage(actor))
        {
            var readable = await Citations.ReadableUnitsAsync(db, actor, cancellationToken);
            query = query.Where(i => readable == null || readable.Contains(i.UnitId));
        }

        var rows = await query.OrderBy(i => i.RecordedAt != null).ThenByDescending(i => i.Id).Take(1000).ToListAsync(cancellationToken);
        return await WithResponsibleAsync(rows.Select(View).ToList(), cancellationToken);
    }

    /// <summary>Names the 责任人 of each matter talked about, beside the unit.</summary>
    private async Task<IReadOnlyList<InterviewView>> WithResponsibleAsync(IReadOnlyList<InterviewView> views, CancellationToken cancellationToken)
    {
        var matterIds = views.SelectMany(v => v.Matters).Select(m => m.Id).ToList();
        if (matterIds.Count == 0)
        {
            return views;
        }

        var byMatter = await MatterPeople.ResponsibleNamesAsync(db, matterIds, cancellationToken);
        return views.Select(v => v with
        {
            Matters = v.Matters.Select(m => byMatter.TryGetValue(m.Id, out var names) ? m with { Responsible = names } : m).ToList(),
        }).ToList();
    }

    /// <summary>One entry.</summary>
    /// <exception cref="NotFoundException">No such entry, or one the reader may not see.</exception>
    public async Task<InterviewView> GetAsync(long id, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var row = await db.Set<Interview>().AsNoTracking().Include(i => i.Unit).Include(i => i.Matters).ThenInclude(m => m.Matter)
            .FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (row is null || (!Citations.MayManage(actor) && await Citations.ReadableUnitsAsync(db, actor, cancellationToken) is { } readable
                && !readable.Contains(row.UnitId)))
        {
            throw new NotFoundException("没有找到这条约谈记录（或您不能查看）。");
        }

        return (await WithResponsibleAsync([View(row)], cancellationToken))[0];
    }

    /// <summary>Adds an entry by hand.</summary>
    public async Task<long> AddAsync(NewInterview input, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        Manage(actor);
        var errors = new Dictionary<string, string[]>();
        var reason = input.Reason?.Trim() ?? "";
        if (input.UnitId is not { } unitId || !await db.Units.AnyAsync(u => u.Id == unitId, cancellationToken))
        {
            errors["unitId"] = ["请选择被约谈的单位。"];
        }

        if (reason.Length == 0)
        {
            errors["reason"] = ["请填写约谈事由。"];
        }
        else if (reason.Length > MaxReason)
        {
            errors["reason"] = [$"约谈事由最多 {MaxReason} 字。"];
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        var row = new Interview { UnitId = input.UnitId!.Value, Reason = reason, CreatedAt = clock.GetUtcNow(), CreatedByName = actor.Name };
        db.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        return row.Id;
    }

    /// <summary>Records the interview, which closes the entry.</summary>
    /// <exception cref="RuleConflictException">Recorded already.</exception>
    /// <exception cref="ValidationFailedException">A missing name, post, date or notes, a date in the future, a matter
    /// that is not the unit's (each by field).</exception>
    public async Task RecordAsync(long id, InterviewRecord input, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        Manage(actor);
        var row = await db.Set<Interview>().Include(i => i.Unit).FirstOrDefaultAsync(i => i.Id == id, cancellationToken)
            ?? throw new NotFoundException("没有找到这条约谈记录。");
        if (row.RecordedAt is not null)
        {
            throw new RuleConflictException($"对{row.Unit?.Name}的约谈已于{ChinaTime.DateOf(row.RecordedAt.Value).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}登记，不能重复登记。");
        }

        var errors = new Dictionary<string, string[]>();
        var name = Text(errors, "personName", input.PersonName, 50, "被约谈人姓名");
        var post = Text(errors, "personPost", input.PersonPost, 100, "被约谈人职务");
        var notes = Text(errors, "notes", input.Notes, MaxNotes, "约谈情况");
        var today = ChinaTime.DateOf(clock.GetUtcNow());
        if (!ChinaTime.TryParseDate(input.HeldOn?.Trim(), out var held))
        {
            errors["heldOn"] = ["请填写约谈日期（如 2024-04-02）。"];
        }
        else if (held > today)
        {
            errors["heldOn"] = ["约谈日期不能晚于今天：约谈之后再登记。"];
        }

        var matterIds = (input.MatterIds ?? []).Distinct().ToList();
        if (matterIds.Count > MaxMatters)
        {
            errors["matterIds"] = [$"最多关联 {MaxMatters} 件事项。"];
        }
        else if (matterIds.Count > 0)
        {
            var own = await UnitMatters(row.UnitId).Where(m => matterIds.Contains(m.Id)).Select(m => m.Id).ToListAsync(cancellationToken);
            if (own.Count != matterIds.Count)
            {
                errors["matterIds"] = [$"只能选择{row.Unit?.Name}牵头或配合办理的事项。"];
            }
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        row.PersonName = name;
        row.PersonPost = post;
        row.HeldOn = held;
        row.Notes = notes;
        row.RecordedAt = clock.GetUtcNow();
        row.RecordedByName = actor.Name;
        row.Version++;
        foreach (var matterId in matterIds)
        {
            db.Add(new InterviewMatter { InterviewId = row.Id, MatterId = matterId });
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new RuleConflictException("这条约谈刚被他人登记，请刷新后查看。");
        }
    }

    /// <summary>A unit's matters (lead or co-handling), newest first, for the picker.</summary>
    public async Task<IReadOnlyList<InterviewMatterView>> MattersOfAsync(long unitId, CancellationToken cancellationToken = default) =>
        await UnitMatters(unitId).OrderByDescending(m => m.Id).Take(200).Select(m => new InterviewMatterView(m.Id, m.Code, m.Title)).ToListAsync(cancellationToken);

    private IQueryable<Matter> UnitMatters(long unitId) =>
        db.Matters.AsNoTracking().Where(m => m.LeadUnitId == unitId || db.MatterCoUnits.Any(c => c.MatterId == m.Id && c.UnitId == unitId));

    /// <summary>The entries as spreadsheet rows, with Chinese headings.</summary>
    public static IEnumerable<IDictionary<string, object?>> Rows(IEnumerable<InterviewView> entries) =>
        (entries ?? []).Select(i => (IDictionary<string, object?>)new Dictionary<string, object?>
        {
            ["单位"] = i.Unit.Name,
            ["事由"] = i.Reason,
            ["状态"] = i.StatusName,
            ["列入日期"] = ChinaTime.DateOf(i.CreatedAt).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["约谈日期"] = i.HeldOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "",
            ["被约谈人"] = i.PersonName ?? "",
            ["职务"] = i.PersonPost ?? "",
            ["涉及事项"] = string.Join("；", i.Matters.Select(m => $"{m.Code} {m.Title}{(m.Responsible is null ? "" : $"（责任人：{m.Responsible}）")}")),
            ["约谈情况"] = i.Notes ?? "",
            ["登记人"] = i.RecordedByName ?? "",
        });

    private static InterviewView View(Interview i) => new(i.Id, new UnitRef(i.UnitId, i.Unit?.Code ?? "", i.Unit?.Name ?? ""), i.CardId, i.Reason,
        i.CreatedAt, i.CreatedByName, i.RecordedAt, i.RecordedByName, i.PersonName, i.PersonPost, i.HeldOn, i.Notes,
        i.Matters.Where(m => m.Matter is not null).Select(m => new InterviewMatterView(m.MatterId, m.Matter!.Code, m.Matter.Title)).OrderBy(m => m.Code, StringComparer.Ordinal).ToList());

    private static string Text(Dictionary<string, string[]> errors, string field, string? value, int max, string name)
    {
        var text = value?.Trim() ?? "";
        if (text.Length == 0)
        {
            errors[field] = [$"请填写{name}。"];
        }
        else if (text.Length > max)
        {
            errors[field] = [$"{name}最多 {max.ToString(CultureInfo.InvariantCulture)} 字。"];
        }

        return text;
    }

    private static void Manage(Actor actor)
    {
        if (!Citations.MayManage(actor))
        {
            throw new ForbiddenException("只有督查室可以登记约谈。");
        }
    }
}
