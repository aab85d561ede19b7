using Duban.Calendar;
using Duban.Escalation;
using Duban.Matters;
using Duban.TimeLimits;
using Duban.Text;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>An accountability entry as shown.</summary>
public sealed record AccountabilityView(long Id, long MatterId, string MatterCode, string MatterTitle, UnitRef Unit,
    AccountabilityReason Reason, Stage? Stage, AccountabilityStatus Status, DateTimeOffset CreatedAt, string? Note,
    IReadOnlyList<AccountabilityChangeView> History)
{
    /// <summary>The matter's 责任人 (named people, <see cref="MatterPeople"/>), joined with 、; null when none is named.</summary>
    public string? Responsible { get; init; }
}

/// <summary>A matter one may pick for 人工列入: its code and title.</summary>
public sealed record AccountabilityMatterChoice(long Id, string Code, string Title);

public sealed record AccountabilityChangeView(AccountabilityStatus Status, DateTimeOffset At, string ActorName, string? Note);

/// <summary>问责清单: the entries the sweep and the lifecycle file, read by what the actor may see and worked on by the
/// assigning side (约谈 / 通报 / 问责, or withdrawn with a reason).</summary>
public sealed class AccountabilityList(DubanDbContext db, TimeProvider clock)
{
    /// <summary>Entries a list shows at most; an export (<see cref="AccountabilityWorkbook"/>) takes up to <see cref="ExportMax"/>.</summary>
    public const int ListMax = 1000, ExportMax = 100_000;

    /// <summary>The accountability list (问责清单) over what the actor may see, newest first, at most <paramref name="max"/> entries.</summary>
    public async Task<IReadOnlyList<AccountabilityView>> ListAsync(AccountabilityStatus? status, Actor actor, int max,
        CancellationToken cancellationToken = default)
    {
        var visible = await VisibleMatters.QueryAsync(db, actor, cancellationToken);
        // The entries first, each tested against the visible matters (EXISTS), then their matters' codes and titles by
        // id: joined, SQLite read every matter (a million on the 督查室 board) to find the few entries.
        var entries = await db.AccountabilityEntries.AsNoTracking().Include(a => a.Unit).Include(a => a.History)
            .Where(a => status == null || a.Status == status)
            .Where(a => visible.Any(m => m.Id == a.MatterId))
            .OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.Id).Take(max).ToListAsync(cancellationToken);
        var matterIds = entries.Select(a => a.MatterId).Distinct().ToList();
        var matters = await db.Matters.AsNoTracking().Where(m => matterIds.Contains(m.Id)).Select(m => new { m.Id, m.Code, m.Title })
            .ToDictionaryAsync(m => m.Id, cancellationToken);
        var rows = entries.Select(a => new { a, matters[a.MatterId].Code, matters[a.MatterId].Title });
        var views = rows.Select(r => new AccountabilityView(r.a.Id, r.a.MatterId, r.Code, r.Title, ViewMapping.Ref(r.a.Unit!), r.a.Reason, r.a.Stage,
            r.a.Status, ChinaTime.ToLocal(r.a.CreatedAt), r.a.Note,
            r.a.History.OrderBy(h => h.At).ThenBy(h => h.Id).Select(h => new AccountabilityChangeView(h.Status, ChinaTime.ToLocal(h.At), h.ActorName, h.Note)).ToList()))
            .ToList();
        return await WithResponsibleAsync(views, cancellationToken);
    }

    /// <summary>Names each entry's person: the 责任人 of its matter, beside the unit.</summary>
    private async Task<IReadOnlyList<AccountabilityView>> WithResponsibleAsync(List<AccountabilityView> views, CancellationToken cancellationToken)
    {
        var matterIds = views.Select(v => v.MatterId).ToList();
        if (matterIds.Count == 0)
        {
            return views;
        }

        var byMatter = await MatterPeople.ResponsibleNamesAsync(db, matterIds, cancellationToken);
        return views.Select(v => byMatter.TryGetValue(v.MatterId, out var names) ? v with { Responsible = names } : v).ToList();
    }

    /// <summary>Moves an entry on (约谈 / 通报 / 问责) or withdraws it (撤销, with a reason); every change is kept.</summary>
    public async Task ChangeAsync(long entryId, string? statusText, string? note, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!WireEnum.TryParse<AccountabilityStatus>(statusText, out var status) || status == AccountabilityStatus.Pending)
        {
            throw ValidationFailedException.For("status", "状态必须是 interviewed（已约谈）、notified（已通报）、held（已问责）或 withdrawn（撤销）。");
        }

        var text = UserText.Clean(note);
        if (status == AccountabilityStatus.Withdrawn && text is null)
        {
            throw ValidationFailedException.For("note", "撤销必须说明理由。");
        }

        var entry = await db.AccountabilityEntries.SingleOrDefaultAsync(a => a.Id == entryId, cancellationToken)
            ?? throw new NotFoundException($"问责记录 {entryId} 不存在。");
        var (_, state, tree) = await VisibleMatters.LoadAsync(db, entry.MatterId, actor, cancellationToken, notFound: $"问责记录 {entryId} 不存在。");
        if (!AccessRules.IsAssigningSide(actor, state, tree))
        {
            throw new ForbiddenException("只有督查室、领导可以处理问责清单。");
        }

        if (entry.Status == AccountabilityStatus.Withdrawn)
        {
            throw new RuleConflictException("该问责记录已撤销。");
        }

        entry.Status = status;
        db.AccountabilityChanges.Add(new AccountabilityChange
        {
            EntryId = entry.Id, Status = status, At = clock.GetUtcNow(), ActorId = actor.Id, ActorName = actor.Name, Note = text,
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// 人工列入: puts a unit of a matter on the list by hand (reason <see cref="AccountabilityReason.Manual"/>), by the
    /// assigning side only. The unit is the matter's lead unit unless another unit on the matter is named by code;
    /// a reason is required and becomes the first history line, with the actor. A unit already pending on the list for
    /// the matter by hand is not listed twice.
    /// </summary>
    /// <returns>The new entry's id.</returns>
    /// <exception cref="NotFoundException">No such matter, or one the actor may not see.</exception>
    /// <exception cref="ForbiddenException">The actor is not on the assigning side.</exception>
    /// <exception cref="ValidationFailedException">No reason, a unit not on the matter, an unknown stage.</exception>
    /// <exception cref="RuleConflictException">The unit is already pending on the list for this matter by hand.</exception>
    public async Task<long> AddAsync(long matterId, string? unitCode, string? stage, string? note, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var (_, state, tree) = await VisibleMatters.LoadAsync(db, matterId, actor, cancellationToken);
        if (!AccessRules.IsAssigningSide(actor, state, tree))
        {
            throw new ForbiddenException("只有交办方（督查室、领导）可以把事项列入问责清单。");
        }

        var errors = new Dictionary<string, string[]>();
        var text = UserText.Clean(note);
        if (text is null)
        {
            errors["note"] = ["请写明列入问责的理由。"];
        }
        else if (text.Length > MaxNote)
        {
            errors["note"] = [FormattableString.Invariant($"理由不能超过 {MaxNote} 字。")];
        }

        Stage? at = null;
        if (!string.IsNullOrWhiteSpace(stage))
        {
            if (WireEnum.TryParse<Stage>(stage, out var parsed))
            {
                at = parsed;
            }
            else
            {
                errors["stage"] = ["环节必须是 acknowledge（签收）、feedback（首次反馈）、complete（办结）、node（时间节点）或 report（进度填报）。"];
            }
        }

        var unitId = state.LeadUnitId;
        if (!string.IsNullOrWhiteSpace(unitCode))
        {
            var code = unitCode.Trim();
            var onMatter = (IReadOnlyList<long>)[state.LeadUnitId, .. state.CoUnitIds];
            var unit = await db.Units.AsNoTracking().Where(u => u.Code == code).Select(u => new { u.Id, u.Name }).SingleOrDefaultAsync(cancellationToken);
            if (unit is null)
            {
                errors["unit"] = [$"单位代码“{code}”不存在。"];
            }
            else if (!onMatter.Contains(unit.Id))
            {
                errors["unit"] = [$"“{unit.Name}”不是该事项的牵头或配合单位。"];
            }
            else
            {
                unitId = unit.Id;
            }
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        if (await db.AccountabilityEntries.AnyAsync(a => a.MatterId == matterId && a.UnitId == unitId && a.Reason == AccountabilityReason.Manual
                && a.Status == AccountabilityStatus.Pending, cancellationToken))
        {
            throw new RuleConflictException("该单位已因本事项人工列入问责清单，尚待处理。");
        }

        var entry = AccountabilityEntry.Open(matterId, unitId, AccountabilityReason.Manual, at, clock.GetUtcNow(), actor.Id, actor.Name, text);
        db.AccountabilityEntries.Add(entry);
        await db.SaveChangesAsync(cancellationToken);
        return entry.Id;
    }

    /// <summary>The longest reason or note kept.</summary>
    public const int MaxNote = 4000;

    /// <summary>The open matters the actor may see, newest first, for the 人工列入 picker (searched by code or title).</summary>
    public async Task<IReadOnlyList<AccountabilityMatterChoice>> MatterChoicesAsync(Actor actor, int max, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var visible = await VisibleMatters.QueryAsync(db, actor, cancellationToken);
        return await visible.AsNoTracking().Where(m => m.Status != MatterStatus.Closed).OrderByDescending(m => m.AssignedAt).ThenByDescending(m => m.Id)
            .Take(max).Select(m => new AccountabilityMatterChoice(m.Id, m.Code, m.Title)).ToListAsync(cancellationToken);
    }

    /// <summary>The matter a picker's text names: its code, alone or followed by the title (as the picker offers it).</summary>
    /// <exception cref="ValidationFailedException">No code, or none the actor may see (field <c>matter</c>).</exception>
    public async Task<long> MatterIdAsync(string? text, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var code = text?.Trim().Split((char[])[' ', '\u3000', '\t'], 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.ToUpperInvariant();
        if (code is null)
        {
            throw ValidationFailedException.For("matter", "请选择事项：输入事项编号或标题中的字词，从列表中选取。");
        }

        var visible = await VisibleMatters.QueryAsync(db, actor, cancellationToken);
        var id = await visible.Where(m => m.Code == code).Select(m => (long?)m.Id).SingleOrDefaultAsync(cancellationToken);
        return id ?? throw ValidationFailedException.For("matter", $"找不到编号为“{code}”的事项，请从列表中选取。");
    }

    /// <summary>Whether the actor may put a unit of this matter on the list by hand (the assigning side): the 列入问责
    /// form is shown only then.</summary>
    public async Task<bool> MayAddAsync(long matterId, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var (_, state, tree) = await VisibleMatters.LoadAsync(db, matterId, actor, cancellationToken);
        return AccessRules.IsAssigningSide(actor, state, tree);
    }
}
