using System.Globalization;
using Duban.Items;
using Duban.Matters;
using Duban.TimeLimits;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>What the 工作事项台账 lists: a register and the usual filters (all optional).</summary>
public sealed record ItemFilter
{
    public ItemRegister? Register { get; init; }
    public Colour? Colour { get; init; }

    /// <summary>The lead unit's code.</summary>
    public string? LeadUnit { get; init; }

    /// <summary>A named person: a user id or a name (as <see cref="PersonQueries.Names"/>).</summary>
    public string? Person { get; init; }

    public long? Campaign { get; init; }

    /// <summary><c>open</c> (在办: not yet reported done) or <c>done</c> (已报结、已审核、已销号), else all.</summary>
    public string? Status { get; init; }

    /// <summary>Part of the title or the code.</summary>
    public string? Keyword { get; init; }

    public int Page { get; init; } = 1;
    public int PageSize { get; init; } = 50;
}

/// <summary>One line of the ledger: the item, its 序号 (1, 2, … and 1.1, 1.2 for the children split from item 1), its
/// depth (0 or 1), its named people and its plan.</summary>
public sealed record ItemRow(ItemSummary Item, string Number, int Depth, string LeadingOfficials, string Responsible,
    IReadOnlyList<ItemMilestoneView> Nodes);

/// <summary>A page of the ledger with the counts per colour of everything the filters match (the colour filter aside).</summary>
public sealed record ItemPage(IReadOnlyList<ItemRow> Rows, int Total, int Page, int PageSize, IReadOnlyDictionary<Colour, int> Counts)
{
    /// <summary>All the matching items, every colour.</summary>
    public int All => Counts.Values.Sum();
}

/// <summary>A register's items counted by colour (the dashboard's table).</summary>
public sealed record RegisterColours(ItemRegister Register, string Name, int Green, int Yellow, int Red)
{
    public int Total => Green + Yellow + Red;
}

/// <summary>
/// Reading work items as ledgers (台账): filtered, numbered in assignment order with each parent's children under it,
/// paged. Registers hold hundreds of items, not millions, so the matching items are read once and arranged in memory
/// (at most <see cref="MaxItems"/>).
/// </summary>
public sealed class ItemQueries(DubanDbContext db, TimeProvider clock)
{
    /// <summary>The most items one ledger reads.</summary>
    public const int MaxItems = 10_000;

    /// <summary>A page of the ledger.</summary>
    public async Task<ItemPage> PageAsync(ItemFilter filter, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var all = await RowsAsync(filter with { Colour = null }, actor, cancellationToken);
        var counts = Enum.GetValues<Colour>().ToDictionary(c => c, c => all.Count(r => r.Item.Colour == c));
        var rows = filter.Colour is { } colour ? all.Where(r => r.Item.Colour == colour).ToList() : all;
        var size = Math.Clamp(filter.PageSize, 1, 500);
        var page = Math.Max(1, filter.Page);
        return new ItemPage(rows.Skip((page - 1) * size).Take(size).ToList(), rows.Count, page, size, counts);
    }

    /// <summary>Every matching row, in ledger order (parents in assignment order, each followed by its children).</summary>
    public async Task<IReadOnlyList<ItemRow>> RowsAsync(ItemFilter filter, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(actor);
        var query = (await VisibleMatters.QueryAsync(db, actor, cancellationToken)).AsNoTracking().Where(m => m.Kind == MatterKind.Item);
        if (filter.Register is { } register)
        {
            query = query.Where(m => m.Register == register);
        }

        if (filter.Colour is { } colour)
        {
            query = query.Where(m => m.Colour == colour);
        }

        if (!string.IsNullOrWhiteSpace(filter.LeadUnit))
        {
            var code = filter.LeadUnit.Trim();
            query = query.Where(m => m.LeadUnit!.Code == code);
        }

        if (!string.IsNullOrWhiteSpace(filter.Person))
        {
            query = query.Where(PersonQueries.Names(db, filter.Person));
        }

        if (filter.Campaign is { } campaign)
        {
            query = query.Where(m => db.MatterCampaigns.Any(t => t.MatterId == m.Id && t.CampaignId == campaign));
        }

        if (filter.Status == "open")
        {
            query = query.Where(m => m.Status == MatterStatus.Assigned || m.Status == MatterStatus.Acknowledged || m.Status == MatterStatus.Returned);
        }
        else if (filter.Status == "done")
        {
            query = query.Where(m => m.Status == MatterStatus.Reported || m.Status == MatterStatus.Verified || m.Status == MatterStatus.Rated
                || m.Status == MatterStatus.Closed);
        }

        if (!string.IsNullOrWhiteSpace(filter.Keyword))
        {
            var keyword = filter.Keyword.Trim();
            query = query.Where(m => m.Title.Contains(keyword) || m.Code.Contains(keyword));
        }

        var matters = await query.OrderBy(m => m.Id).Take(MaxItems)
            .Include(m => m.LeadUnit).Include(m => m.Milestones).AsSplitQuery().ToListAsync(cancellationToken);
        var ids = matters.Select(m => m.Id).ToList();
        var people = new List<MatterPerson>();
        foreach (var chunk in ids.Chunk(1000))
        {
            people.AddRange(await db.MatterPeople.AsNoTracking()
                .Where(p => chunk.Contains(p.MatterId) && (p.Role == PersonRole.LeadingOfficial || p.Role == PersonRole.Responsible))
                .ToListAsync(cancellationToken));
        }

        var byMatter = people.GroupBy(p => p.MatterId).ToDictionary(g => g.Key, g => g.OrderBy(p => p.Position).ToList());
        string Names(long id, PersonRole role) =>
            byMatter.TryGetValue(id, out var list) ? string.Join("、", list.Where(p => p.Role == role).Select(p => p.Name)) : "";

        var now = clock.GetUtcNow();
        ItemRow Row(Matter m, string number, int depth) =>
            new(Summary(m), number, depth, Names(m.Id, PersonRole.LeadingOfficial), Names(m.Id, PersonRole.Responsible), Nodes(m, now));

        // A child whose parent is listed goes under it; a child listed alone (its parent filtered out) stands on its own.
        var listed = ids.ToHashSet();
        var children = matters.Where(m => m.ParentId is { } p && listed.Contains(p)).ToLookup(m => m.ParentId!.Value);
        var rows = new List<ItemRow>(matters.Count);
        var n = 0;
        foreach (var m in matters.Where(m => m.ParentId is not { } p || !listed.Contains(p)))
        {
            var number = (++n).ToString(CultureInfo.InvariantCulture);
            rows.Add(Row(m, number, 0));
            var k = 0;
            foreach (var child in children[m.Id])
            {
                rows.Add(Row(child, string.Create(CultureInfo.InvariantCulture, $"{number}.{++k}"), 1));
            }
        }

        return rows;
    }

    /// <summary>The items the reader may see counted by register and colour.</summary>
    public async Task<IReadOnlyList<RegisterColours>> ColoursAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var counts = await (await VisibleMatters.QueryAsync(db, actor, cancellationToken)).AsNoTracking()
            .Where(m => m.Kind == MatterKind.Item)
            .GroupBy(m => new { m.Register, m.Colour })
            .Select(g => new { g.Key.Register, g.Key.Colour, Count = g.Count() })
            .ToListAsync(cancellationToken);
        int Count(ItemRegister register, Colour colour) =>
            counts.Where(c => (c.Register ?? ItemRegister.KeyWork) == register && (c.Colour ?? Colour.Green) == colour).Sum(c => c.Count);
        return Enum.GetValues<ItemRegister>()
            .Select(r => new RegisterColours(r, Labels.Of(r), Count(r, Colour.Green), Count(r, Colour.Yellow), Count(r, Colour.Red)))
            .ToList();
    }

    internal static ItemSummary Summary(Matter m)
    {
        var next = m.Milestones.Where(x => x.Stage == Stage.Node && x.MetAt is null).OrderBy(x => x.DueAt).FirstOrDefault();
        var register = m.Register ?? ItemRegister.KeyWork;
        var colour = m.Colour ?? Colour.Green;
        return new ItemSummary(m.Id, m.Code, m.Title, ItemRegisters.Key(register), Labels.Of(register), ViewMapping.Ref(m.LeadUnit!),
            m.Status, Labels.Of(m.Status), m.Percent, colour, Labels.Of(colour), next is null ? null : ItemPlan.DayOf(next.DueAt), next?.Name, m.ParentId);
    }

    private static IReadOnlyList<ItemMilestoneView> Nodes(Matter m, DateTimeOffset now) => WorkItems.Views(m.ToState(), Stage.Node, now);
}
