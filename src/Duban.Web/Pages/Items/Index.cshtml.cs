using Duban.Data;
using Duban.Items;
using Duban.Matters;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Duban.Web.Pages.Items;

/// <summary>工作事项台账: one register at a time (tabs), filters, counts per colour, the ledger's rows with each parent's
/// children indented under it, paged; 导出台账 downloads the same rows as the API's <c>GET /api/items/ledger</c>.</summary>
public sealed class IndexModel(ItemQueries queries, ItemLedger ledger, UnitDirectory units, Data.Campaigns campaigns) : PageModel
{
    public const int PageSize = 50;

    /// <summary>The register's wire key (key-work by default).</summary>
    [BindProperty(SupportsGet = true)]
    public string? Register { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Colour { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Unit { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Person { get; set; }

    [BindProperty(SupportsGet = true)]
    public long? Campaign { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public ItemRegister Current { get; private set; }

    public ItemPage Result { get; private set; } = null!;

    public IReadOnlyList<UnitView> Units { get; private set; } = [];

    public IReadOnlyList<CampaignChoice> CampaignChoices { get; private set; } = [];

    public bool MayAssign => AccessRules.MayAssign(User.ToActor());

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        Result = await queries.PageAsync(Filter() with { Page = Math.Clamp(PageNumber, 1, 100_000), PageSize = PageSize }, actor, cancellationToken);
        Units = (await units.ListAsync(cancellationToken)).Where(u => u.Active).ToList();
        CampaignChoices = await campaigns.ChoicesAsync(cancellationToken);
    }

    /// <summary>导出台账: the rows the filters select, as the xlsx the offices keep.</summary>
    public async Task<IActionResult> OnGetLedgerAsync(CancellationToken cancellationToken)
    {
        var filter = Filter();
        using var stream = new MemoryStream();
        await ledger.WriteAsync(stream, filter, User.ToActor(), cancellationToken);
        return File(stream.ToArray(), ItemLedger.ContentType, ledger.FileName(filter.Register));
    }

    /// <summary>The query string of this view with one value changed (tabs, colour counts, paging).</summary>
    public string Link(string? register = null, string? colour = null, int? page = null, bool keepColour = true, string? handler = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["handler"] = handler,
            ["register"] = register ?? ItemRegisters.Key(Current),
            ["colour"] = colour ?? (keepColour ? Colour : null),
            ["unit"] = Unit,
            ["person"] = Person,
            ["campaign"] = Campaign?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["status"] = Status,
            ["q"] = Q,
            ["p"] = page?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        return "/Items" + Microsoft.AspNetCore.Http.QueryString.Create(values.Where(v => !string.IsNullOrEmpty(v.Value)));
    }

    private ItemFilter Filter()
    {
        Current = ItemRegisters.TryParse(Register, out var r) ? r : ItemRegister.KeyWork;
        return new ItemFilter
        {
            Register = Current,
            Colour = WireEnum.TryParse<Colour>(Colour, out var c) ? c : null,
            LeadUnit = string.IsNullOrWhiteSpace(Unit) ? null : Unit,
            Person = string.IsNullOrWhiteSpace(Person) ? null : Person.Trim(),
            Campaign = Campaign,
            Status = Status is "open" or "done" ? Status : null,
            Keyword = string.IsNullOrWhiteSpace(Q) ? null : Q.Trim(),
        };
    }
}
