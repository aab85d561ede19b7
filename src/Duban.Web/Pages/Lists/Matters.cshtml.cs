using Duban.Data;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Duban.Web.Pages.Lists;

/// <summary>事项清单 by person (责任人员) and campaign (专项行动): the same filters as <c>GET /api/matters?person=&amp;campaign=</c>.</summary>
public sealed class MattersModel(MatterQueries queries, Data.Campaigns campaigns) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Person { get; set; }

    [BindProperty(SupportsGet = true)]
    public long? Campaign { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public IReadOnlyList<CampaignChoice> CampaignChoices { get; private set; } = [];

    public MatterPage? Result { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        CampaignChoices = await campaigns.ChoicesAsync(cancellationToken);
        Result = await queries.ListAsync(new MatterFilter
        {
            Person = string.IsNullOrWhiteSpace(Person) ? null : Person.Trim(),
            Campaign = Campaign,
            Page = Math.Clamp(PageNumber, 1, 100_000),
            PageSize = 50,
        }, actor, cancellationToken);
    }
}
