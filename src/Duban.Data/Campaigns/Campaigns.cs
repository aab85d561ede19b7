using System.Globalization;
using Duban.Calendar;
using Duban.Matters;
using Duban.TimeLimits;
using Duban.Text;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>A new campaign as submitted: name, period (dates, from–to) and a note.</summary>
public sealed record NewCampaign
{
    public string? Name { get; init; }
    public string? From { get; init; }
    public string? To { get; init; }
    public string? Note { get; init; }
}

/// <summary>A campaign as listed.</summary>
public sealed record CampaignView(long Id, string Name, DateOnly From, DateOnly To, string? Note, int Matters);

/// <summary>A campaign as a picker offers it (列入专项行动, a list's filter): no counts.</summary>
public sealed record CampaignChoice(long Id, string Name);

/// <summary>A campaign's counts over the matters the reader may see: total, open, overdue, closed (办结: verified, rated or
/// closed) and on-time completion (办结 with the completion milestone met by its due instant, over 办结; null when none).</summary>
public sealed record CampaignCounts(int Total, int Open, int Overdue, int Closed, int OnTime)
{
    public double? OnTimeRate => Closed == 0 ? null : (double)OnTime / Closed;
}

/// <summary>A campaign's page: itself, its counts and a page of its matters.</summary>
public sealed record CampaignDetails(CampaignView Campaign, CampaignCounts Counts, MatterPage Matters);

/// <summary>专项行动: made by the office (督查室) or an admin; matters are tagged at assignment or later (office only);
/// lists filter by it.</summary>
public sealed class Campaigns(DubanDbContext db, MatterQueries matters, TimeProvider clock)
{
    public const int MaxName = 100, MaxNote = 4000, MaxPerMatter = 20;

    /// <summary>Whether the actor may make campaigns and tag matters: the supervision office or an admin.</summary>
    public static bool MayManage(Actor actor) => actor is not null && (actor.Has(Role.Supervisor) || actor.Has(Role.Admin));

    /// <exception cref="ForbiddenException">Not the office.</exception>
    /// <exception cref="ValidationFailedException">A field is missing or invalid, or the name is taken.</exception>
    public async Task<CampaignView> CreateAsync(NewCampaign input, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        if (!MayManage(actor))
        {
            throw new ForbiddenException("只有督查室可以设立专项行动。");
        }

        var (name, from, to, note) = await CheckAsync(input, null, cancellationToken);
        var campaign = new Campaign
        {
            Name = name, From = from, To = to, Note = note, OwnerUnitId = actor.UnitId, CreatedAt = clock.GetUtcNow(), CreatedBy = actor.Name,
        };
        db.Campaigns.Add(campaign);
        await db.SaveChangesAsync(cancellationToken);
        return new CampaignView(campaign.Id, campaign.Name, campaign.From, campaign.To, campaign.Note, 0);
    }

    /// <summary>Renames a campaign, moves its period or changes its note; its matters stay tagged.</summary>
    /// <exception cref="ForbiddenException">Not the office.</exception>
    /// <exception cref="NotFoundException">No such campaign.</exception>
    /// <exception cref="ValidationFailedException">A field is missing or invalid, or the name is another campaign's.</exception>
    public async Task<CampaignView> UpdateAsync(long id, NewCampaign input, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        if (!MayManage(actor))
        {
            throw new ForbiddenException("只有督查室可以修改专项行动。");
        }

        var campaign = await db.Campaigns.SingleOrDefaultAsync(c => c.Id == id, cancellationToken) ?? throw new NotFoundException($"专项行动 {id} 不存在。");
        (campaign.Name, campaign.From, campaign.To, campaign.Note) = await CheckAsync(input, id, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        var tagged = await db.MatterCampaigns.CountAsync(t => t.CampaignId == id, cancellationToken);
        return new CampaignView(campaign.Id, campaign.Name, campaign.From, campaign.To, campaign.Note, tagged);
    }

    /// <summary>Deletes a campaign that holds no matter (one set up by mistake); one with matters is refused, so that
    /// no matter loses its tag unseen.</summary>
    /// <exception cref="ForbiddenException">Not the office.</exception>
    /// <exception cref="NotFoundException">No such campaign.</exception>
    /// <exception cref="RuleConflictException">Matters are still tagged with it.</exception>
    public async Task DeleteAsync(long id, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!MayManage(actor))
        {
            throw new ForbiddenException("只有督查室可以删除专项行动。");
        }

        var campaign = await db.Campaigns.SingleOrDefaultAsync(c => c.Id == id, cancellationToken) ?? throw new NotFoundException($"专项行动 {id} 不存在。");
        var tagged = await db.MatterCampaigns.CountAsync(t => t.CampaignId == id, cancellationToken);
        if (tagged > 0)
        {
            throw new RuleConflictException(string.Create(CultureInfo.InvariantCulture,
                $"「{campaign.Name}」还列有 {tagged} 件事项，不能删除；请先在事项页移出，或修改专项行动的名称与期限。"));
        }

        db.Campaigns.Remove(campaign);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>A campaign's fields checked: name (unique, <paramref name="self"/> aside), dates in order, note.</summary>
    private async Task<(string Name, DateOnly From, DateOnly To, string? Note)> CheckAsync(NewCampaign input, long? self, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var name = UserText.Clean(input.Name);
        var note = UserText.Clean(input.Note);
        if (name is null)
        {
            errors["name"] = ["名称不能为空。"];
        }
        else if (name.Length > MaxName)
        {
            errors["name"] = [$"名称不能超过 {MaxName} 字。"];
        }
        else if (await db.Campaigns.AnyAsync(c => c.Name == name && c.Id != self, cancellationToken))
        {
            errors["name"] = [$"已有名为「{name}」的专项行动。"];
        }

        if (note is { Length: > MaxNote })
        {
            errors["note"] = [$"说明不能超过 {MaxNote} 字。"];
        }

        var from = ParseDate(input.From, "from", "开始日期", errors);
        var to = ParseDate(input.To, "to", "结束日期", errors);
        if (from is { } f && to is { } t && t < f)
        {
            errors["to"] = ["结束日期不能早于开始日期。"];
        }

        return errors.Count > 0 ? throw new ValidationFailedException(errors) : (name!, from!.Value, to!.Value, note);
    }

    private static DateOnly? ParseDate(string? text, string field, string label, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            errors[field] = [$"{label}不能为空。"];
            return null;
        }

        if (ChinaTime.TryParseDate(text.Trim(), out var date))
        {
            return date;
        }

        errors[field] = [$"{label}必须是日期，如 2024-03-01。"];
        return null;
    }

    /// <summary>All campaigns, newest period first, with how many visible matters each holds.</summary>
    public async Task<IReadOnlyList<CampaignView>> ListAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        var (visible, reach) = await VisibleMatters.ReachAsync(db, actor, cancellationToken);
        // Everything in view: the tags alone, counted on their campaign index (every tag's matter exists: the join read
        // each tagged matter by id, about a second at 260,000 tags).
        var tags = reach == Reach.Everything
            ? db.MatterCampaigns.Select(t => t.CampaignId)
            : db.MatterCampaigns.Join(visible, t => t.MatterId, m => m.Id, (t, m) => t.CampaignId);
        var counts = await tags.GroupBy(c => c).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Count, cancellationToken);
        var rows = await db.Campaigns.AsNoTracking().ToListAsync(cancellationToken);
        return rows.OrderByDescending(c => c.From).ThenByDescending(c => c.Id)
            .Select(c => new CampaignView(c.Id, c.Name, c.From, c.To, c.Note, counts.GetValueOrDefault(c.Id))).ToList();
    }

    /// <summary>Every campaign, newest first, for pickers and filters: their names only. (<see cref="ListAsync"/>
    /// counts each campaign's visible matters, a join over every tagged matter: a campaign of 100,000 matters made
    /// every matter page pay for it.)</summary>
    public async Task<IReadOnlyList<CampaignChoice>> ChoicesAsync(CancellationToken cancellationToken = default) =>
        await db.Campaigns.AsNoTracking().OrderByDescending(c => c.From).ThenByDescending(c => c.Id)
            .Select(c => new CampaignChoice(c.Id, c.Name)).ToListAsync(cancellationToken);

    /// <summary>A campaign with its counts and a page of its matters (as the matter list shows them).</summary>
    /// <exception cref="NotFoundException">No such campaign.</exception>
    public async Task<CampaignDetails> GetAsync(long id, Actor actor, int page = 1, CancellationToken cancellationToken = default)
    {
        var campaign = await db.Campaigns.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, cancellationToken)
            ?? throw new NotFoundException($"专项行动 {id} 不存在。");
        var counts = await CountsAsync(id, actor, cancellationToken);
        var list = await matters.ListAsync(new MatterFilter { Campaign = id, Page = page, PageSize = 50 }, actor, cancellationToken);
        return new CampaignDetails(new CampaignView(campaign.Id, campaign.Name, campaign.From, campaign.To, campaign.Note, counts.Total), counts, list);
    }

    /// <summary>The counts of one campaign over the matters the actor may see, in one query.</summary>
    public async Task<CampaignCounts> CountsAsync(long id, Actor actor, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var visible = await VisibleMatters.QueryAsync(db, actor, cancellationToken);
        var tagged = visible.Where(m => db.MatterCampaigns.Any(t => t.MatterId == m.Id && t.CampaignId == id));
        var row = await tagged
            .Select(m => new
            {
                Done = m.Status == MatterStatus.Verified || m.Status == MatterStatus.Rated || m.Status == MatterStatus.Closed ? 1 : 0,
                OnTime = (m.Status == MatterStatus.Verified || m.Status == MatterStatus.Rated || m.Status == MatterStatus.Closed)
                    && m.Milestones.Any(x => x.Stage == Stage.Complete && x.MetAt != null && x.MetAt <= x.DueAt) ? 1 : 0,
                m.NextDueAt,
            })
            .ToListAsync(cancellationToken);
        var done = row.Sum(r => r.Done);
        return new CampaignCounts(row.Count, row.Count - done, row.Count(r => MatterConditions.IsOverdue(r.NextDueAt, now)), done, row.Sum(r => r.OnTime));
    }

    /// <summary>Checks campaign ids submitted with a matter; problems go into <paramref name="errors"/> under <c>campaigns</c>.</summary>
    internal static async Task<List<long>> ResolveAsync(DubanDbContext db, IReadOnlyList<long>? ids, Dictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        var wanted = (ids ?? []).Distinct().ToList();
        if (wanted.Count == 0)
        {
            return wanted;
        }

        if (wanted.Count > MaxPerMatter)
        {
            errors["campaigns"] = [$"专项行动不能超过 {MaxPerMatter} 个。"];
            return [];
        }

        var known = await db.Campaigns.Where(c => wanted.Contains(c.Id)).Select(c => c.Id).ToListAsync(cancellationToken);
        if (wanted.Except(known).ToList() is { Count: > 0 } unknown)
        {
            errors["campaigns"] = [$"专项行动 {string.Join("、", unknown)} 不存在。"];
        }

        return known;
    }

    /// <summary>The campaigns a matter the actor may see is tagged with.</summary>
    public async Task<IReadOnlyList<CampaignView>> ForMatterAsync(long matterId, Actor actor, CancellationToken cancellationToken = default)
    {
        await VisibleMatters.LoadAsync(db, matterId, actor, cancellationToken);
        return await db.MatterCampaigns.AsNoTracking().Where(t => t.MatterId == matterId).Select(t => t.Campaign!)
            .OrderBy(c => c.Id).Select(c => new CampaignView(c.Id, c.Name, c.From, c.To, c.Note, 0)).ToListAsync(cancellationToken);
    }

    /// <summary>Sets the campaigns a matter is tagged with (the whole list): the office only.</summary>
    /// <exception cref="ForbiddenException">Not the office.</exception>
    /// <exception cref="ValidationFailedException">An unknown campaign.</exception>
    public async Task<IReadOnlyList<CampaignView>> TagAsync(long matterId, IReadOnlyList<long>? campaignIds, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await VisibleMatters.LoadAsync(db, matterId, actor, cancellationToken);
        if (!MayManage(actor))
        {
            throw new ForbiddenException("只有督查室可以把事项列入专项行动。");
        }

        var errors = new Dictionary<string, string[]>();
        var ids = await ResolveAsync(db, campaignIds, errors, cancellationToken);
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        var existing = await db.MatterCampaigns.Where(t => t.MatterId == matterId).ToListAsync(cancellationToken);
        db.MatterCampaigns.RemoveRange(existing.Where(t => !ids.Contains(t.CampaignId)));
        db.MatterCampaigns.AddRange(ids.Where(i => existing.All(t => t.CampaignId != i)).Select(i => new MatterCampaign { MatterId = matterId, CampaignId = i }));
        await db.SaveChangesAsync(cancellationToken);
        return await ForMatterAsync(matterId, actor, cancellationToken);
    }

    /// <summary>A campaign's period as read: 2024年3月1日至2024年6月30日.</summary>
    public static string PeriodLabel(CampaignView c) =>
        string.Create(CultureInfo.InvariantCulture, $"{c.From.Year}年{c.From.Month}月{c.From.Day}日至{c.To.Year}年{c.To.Month}月{c.To.Day}日");
}
