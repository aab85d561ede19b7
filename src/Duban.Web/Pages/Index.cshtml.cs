using Duban.Data;
using Duban.Matters;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Duban.Web.Pages;

/// <summary>工作台: the visible matters by tab, with counts, countdowns and bulk 签收.</summary>
public sealed class IndexModel(MatterQueries queries, ActOnMatter act, DubanDbContext db) : PageModel
{
    private const int PageSize = 50;

    [BindProperty(SupportsGet = true)]
    public string? Tab { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Sort { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public InboxTab Current { get; private set; }

    public MatterPage Matters { get; private set; } = new([], 0, 1, PageSize);

    public IReadOnlyList<TabLink> TabLinks { get; private set; } = [];

    public Dictionary<long, RowResult> Results { get; } = [];

    public bool ByDue => Sort != "new";

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

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

        // The rows just acknowledged have left 待签收; show them under 办理中 with their outcome.
        Tab ??= Ui.Tabs[0].Key;
        await LoadAsync(cancellationToken, alsoShow: Results.Keys);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken, IEnumerable<long>? alsoShow = null)
    {
        var actor = User.ToActor();
        var counts = await queries.TabCountsAsync(actor, cancellationToken);
        var tab = Ui.Tabs.FirstOrDefault(t => t.Key == Tab);
        if (tab.Key is null)
        {
            // Default: the first tab with work in it, so a handler lands on what needs doing today.
            tab = Ui.Tabs.FirstOrDefault(t => t.Tab != InboxTab.Done && counts[t.Tab] > 0);
            tab = tab.Key is null ? Ui.Tabs[1] : tab;
        }

        Current = tab.Tab;
        Tab = tab.Key;
        var page = Math.Max(1, PageNumber);
        Matters = await queries.ListAsync(new MatterFilter { Tab = Current, ByDue = ByDue, Page = page, PageSize = PageSize }, actor, cancellationToken);
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

        TabLinks = Ui.Tabs.Select(t => new TabLink(t.Label, Link(t.Key, Sort, 1), counts[t.Tab], t.Colour, t.Tab == Current)).ToList();
    }

    public string Link(string? tab, string? sort, int page) =>
        "/?" + string.Join('&', new[] { tab is null ? null : "tab=" + tab, sort is null ? null : "sort=" + sort, page > 1 ? "p=" + page.ToString(System.Globalization.CultureInfo.InvariantCulture) : null }.OfType<string>());
}
