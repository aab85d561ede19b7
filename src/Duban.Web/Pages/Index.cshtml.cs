using System.Globalization;
using Duban.Data;
using Duban.Matters;
using Duban.Web.Api;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Duban.Web.Pages;

/// <summary>工作台: the visible matters by tab, with counts, countdowns and bulk 签收; searched and filtered by the
/// query string (the same filter as <c>GET /api/matters</c>, <see cref="MatterListQuery"/>), so a filtered list is a
/// link to share; sortable, paged, and exported as xlsx.</summary>
public sealed class IndexModel(MatterQueries queries, ActOnMatter act, DubanDbContext db, UnitCatalog units, MatterLedger ledger,
    TimeProvider clock) : PageModel
{
    private const int PageSize = 50;

    [BindProperty(SupportsGet = true)]
    public string? Tab { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    /// <summary>The 下一页 link's key: the id of the last row of the page before, and its next deadline (UTC ticks) in
    /// the due order (keyset, as the audit page's 更早的记录: a deep page costs what the first does).</summary>
    [BindProperty(SupportsGet = true, Name = "after")]
    public long? AfterId { get; set; }

    [BindProperty(SupportsGet = true, Name = "after-due")]
    public long? AfterDue { get; set; }

    public InboxTab Current { get; private set; }

    /// <summary>The filter from the query string (its tab set from <see cref="Current"/>).</summary>
    public MatterFilter Filter { get; private set; } = new();

    /// <summary>Bad filter values in a hand-made link, by parameter.</summary>
    public IReadOnlyDictionary<string, string[]> FilterErrors { get; private set; } = new Dictionary<string, string[]>();

    public MatterPage Matters { get; private set; } = new([], 0, 1, PageSize);

    public IReadOnlyList<TabLink> TabLinks { get; private set; } = [];

    /// <summary>What was typed in the lead unit's search box without script (the picker's <c>unit-q</c>).</summary>
    public string? UnitSearch { get; private set; }

    public Dictionary<long, RowResult> Results { get; } = [];

    /// <summary>The current sort key in links (due, assigned, code, new) and whether it runs backwards.</summary>
    public string SortKey => MatterListQuery.Sorts.First(s => s.Value == (Filter.Sort ?? MatterSort.Due)).Key;

    public bool Descending => Filter.Descending;

    /// <summary>Whether anyone on this page may tick rows to acknowledge them.</summary>
    public bool Selectable => Matters.Items.Any(m => m.MayAcknowledge);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
    }

    /// <summary>导出 Excel: every matter the filter keeps (all pages), as the matter ledger's columns.</summary>
    public async Task<IActionResult> OnGetExportAsync(CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        var (filter, errors) = MatterListQuery.Parse(Request.Query);
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        var file = new FileStream(Path.Combine(Path.GetTempPath(), $"duban-list-{Guid.NewGuid():N}.xlsx"), FileMode.CreateNew,
            FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        await ledger.WriteFilteredAsync(file, filter, actor, cancellationToken); // the tab is part of it
        file.Position = 0;
        return File(file, MatterLedger.ContentType, MatterLedger.ListFileName(clock.GetUtcNow()));
    }

    /// <summary>批量签收: each ticked matter goes through the lifecycle on its own; one refusal does not stop the rest.</summary>
    public async Task<IActionResult> OnPostAcknowledgeAsync(long[] ids, CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        if (ids.Length == 0)
        {
            ModelState.AddModelError("ids", "请先勾选要签收的事项。");
        }

        foreach (var id in ids.Distinct().Take(PageSize))
        {
            try
            {
                await act.ExecuteAsync(id, new MatterCommand(MatterAction.Acknowledge), null, actor, cancellationToken);
                Results[id] = new RowResult(true, "已签收");
            }
            catch (DomainException ex)
            {
                // Page-specific: each row's refusal is reported on its row and the rest go on (PageErrors answers one per request).
                Results[id] = new RowResult(false, ex is NotFoundException ? "事项不存在" : ex.Message);
            }
            finally
            {
                db.ChangeTracker.Clear(); // each matter is read afresh
            }
        }

        // The rows just acknowledged have left 待签收; show them with their outcome.
        Tab ??= Ui.Tabs[0].Key;
        await LoadAsync(cancellationToken, alsoShow: Results.Keys);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken, IEnumerable<long>? alsoShow = null)
    {
        var actor = User.ToActor();
        var (filter, errors) = MatterListQuery.Parse(Request.Query);
        // The lead unit: chosen in the picker, or named by the text typed in its box (sent only without script).
        UnitSearch = Request.Query[UnitPicker.SearchField("unit")].ToString();
        var (unit, unitError) = UnitPicker.Resolve(await units.GetAsync(db, cancellationToken), filter.Unit, UnitSearch);
        filter = filter with { Unit = unit };
        FilterErrors = unitError is null ? errors : new Dictionary<string, string[]>(errors) { ["unit"] = [unitError] };

        // The tab counts follow the filter (one pass over what it keeps); without one they count everything visible.
        var counts = await queries.TabCountsAsync(actor, cancellationToken, filter);
        var tab = Ui.Tabs.FirstOrDefault(t => t.Key == Tab);
        if (tab.Key is null)
        {
            // Default: the first tab with work in it, so a handler lands on what needs doing today; with a search, 全部.
            tab = filter.Narrowed
                ? Ui.Tabs.First(t => t.Tab == InboxTab.All)
                : Ui.Tabs.FirstOrDefault(t => t.Tab is not (InboxTab.Done or InboxTab.All) && counts.GetValueOrDefault(t.Tab) > 0);
            tab = tab.Key is null ? Ui.Tabs[1] : tab;
        }

        Current = tab.Tab;
        Tab = tab.Key;
        Filter = filter with
        {
            Tab = Current, Sort = filter.Sort ?? MatterSort.Due, Page = Math.Clamp(PageNumber, 1, 100_000), PageSize = PageSize,
            After = AfterId is { } afterId ? new MatterKey(afterId, AfterDue is { } ticks && ticks >= 0 && ticks <= DateTimeOffset.MaxValue.UtcTicks
                ? new DateTimeOffset(ticks, TimeSpan.Zero) : null) : null,
        };
        Matters = await queries.ListAsync(Filter, actor, cancellationToken, knownTotal: counts.TryGetValue(Current, out var known) ? known : null);
        if (alsoShow is not null)
        {
            var missing = alsoShow.Where(id => Matters.Items.All(m => m.Id != id)).ToList();
            var extra = new List<MatterSummary>();
            foreach (var id in missing)
            {
                var one = await queries.ListAsync(new MatterFilter { Ids = [id], PageSize = 1 }, actor, cancellationToken);
                extra.AddRange(one.Items);
            }

            Matters = Matters with { Items = [.. extra, .. Matters.Items] };
        }

        TabLinks = Ui.Tabs.Select(t => new TabLink(t.Label, Link(tab: t.Key, page: 1), counts.TryGetValue(t.Tab, out var n) ? n : null, t.Colour, t.Tab == Current)).ToList();
    }

    /// <summary>This list's address with some parts changed: the filter stays, so a link can be shared.</summary>
    public string Link(string? tab = null, string? sort = null, bool? descending = null, int? page = null, string? handler = null,
        MatterKey? after = null)
    {
        var parts = new List<string>();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                parts.Add(name + "=" + Uri.EscapeDataString(value));
            }
        }

        Add("handler", handler);
        Add("tab", tab ?? Tab);
        Add("q", Filter.Keyword);
        Add("unit", Filter.Unit);
        Add("status", Filter.Status is { } s ? WireEnum.Name(s) : null);
        Add("kind", Filter.Kind is { } k ? WireEnum.Name(k) : null);
        Add("source", Filter.Source is { } src ? WireEnum.Name(src) : null);
        Add("from", Day(Filter.AssignedFrom));
        Add("to", Day(Filter.AssignedTo));
        Add("person", Filter.Person);
        Add("campaign", Filter.Campaign?.ToString(CultureInfo.InvariantCulture));
        var sortKey = sort ?? SortKey;
        Add("sort", sortKey == "due" ? null : sortKey);
        Add("dir", descending ?? Descending ? "desc" : null);
        var p = page ?? Matters.Page;
        Add("p", p > 1 ? p.ToString(CultureInfo.InvariantCulture) : null);
        Add("after", after?.Id.ToString(CultureInfo.InvariantCulture));
        Add("after-due", after?.Due?.UtcTicks.ToString(CultureInfo.InvariantCulture));
        return "/" + (parts.Count == 0 ? "" : "?" + string.Join('&', parts));
    }

    /// <summary>The link a column heading sorts by: ascending first, the other way when it already sorts by it.</summary>
    public (string Href, string? Direction) SortLink(string key) =>
        key == SortKey
            ? (Link(sort: key, descending: !Descending, page: 1), Descending ? "descending" : "ascending")
            : (Link(sort: key, descending: key == "assigned", page: 1), null);

    public static string? Day(DateOnly? day) => day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
