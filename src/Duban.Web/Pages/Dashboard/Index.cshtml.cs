using Duban.Data;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Duban.Web.Pages.Dashboard;

/// <summary>
/// 驾驶舱: the dashboard for leaders and the supervision office (<see cref="DashboardQueries"/>), as charts with a table
/// behind each; <c>?screen=1</c> is the meeting-room display, which fetches <see cref="OnGetDataAsync"/> every minute
/// (the same figures as <c>GET /api/reports/dashboard</c>, for the signed-in person: the API takes only tokens).
/// </summary>
[Authorize(Policy = PagePolicies.AssigningSide)]
public sealed class IndexModel(DashboardQueries dashboard, ItemQueries items) : PageModel
{
    /// <summary>The meeting-room display: large type, no menu, refreshed every minute.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Screen { get; set; }

    public bool IsScreen => Screen is "1" or "true";

    public Duban.Data.Dashboard Data { get; private set; } = null!;

    /// <summary>The work items counted by register and colour (工作事项三色).</summary>
    public IReadOnlyList<RegisterColours> ItemColours { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Data = await dashboard.GetAsync(User.ToActor(), cancellationToken);
        ItemColours = IsScreen ? [] : await items.ColoursAsync(User.ToActor(), cancellationToken);
    }

    /// <summary>The figures as JSON, for the display's refresh.</summary>
    public async Task<IActionResult> OnGetDataAsync(CancellationToken cancellationToken) =>
        new JsonResult(await dashboard.GetAsync(User.ToActor(), cancellationToken));
}
