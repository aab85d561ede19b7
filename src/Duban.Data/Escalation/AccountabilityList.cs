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
        var rows = await db.AccountabilityEntries.AsNoTracking().Include(a => a.Unit).Include(a => a.History)
            .Where(a => status == null || a.Status == status)
            .Join(visible, a => a.MatterId, m => m.Id, (a, m) => new { a, m.Code, m.Title })
            .OrderByDescending(r => r.a.CreatedAt).ThenByDescending(r => r.a.Id).Take(max).ToListAsync(cancellationToken);
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
}
