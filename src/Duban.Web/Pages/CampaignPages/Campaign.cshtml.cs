using Duban.Data;
using Duban.Reviews;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Duban.Web.Pages.CampaignPages;

/// <summary>A campaign's page: its counts and its matters.</summary>
public sealed class CampaignModel(Data.Campaigns campaigns, CampaignReviews reviews, TimeProvider clock) : PageModel
{
    public CampaignDetails? Details { get; private set; }

    /// <summary>This month's review over the campaign's matters, per lead unit (讲评).</summary>
    public CampaignReview? Review { get; private set; }

    public async Task OnGetAsync(long id, int? p, CancellationToken cancellationToken)
    {
        Details = await campaigns.GetAsync(id, User.ToActor(), Math.Max(1, p ?? 1), cancellationToken);
        var today = Calendar.ChinaTime.DateOf(clock.GetUtcNow());
        Review = await reviews.GetAsync(id, ReviewPeriod.Holding(PeriodKind.Month, today), User.ToActor(), cancellationToken);
    }
}
