using Duban.Data;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Duban.Web.Pages.CampaignPages;

/// <summary>A campaign's page: its counts and its matters.</summary>
public sealed class CampaignModel(Data.Campaigns campaigns) : PageModel
{
    public CampaignDetails? Details { get; private set; }

    public async Task OnGetAsync(long id, int? p, CancellationToken cancellationToken) =>
        Details = await campaigns.GetAsync(id, User.ToActor(), Math.Max(1, p ?? 1), cancellationToken);
}
