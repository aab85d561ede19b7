using Duban.Data;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Duban.Web.Pages.Lists;

/// <summary>办理清单: appeals by lead unit and stage.</summary>
public sealed class HandlingModel(AppealLists lists) : PageModel
{
    public IReadOnlyList<HandlingRow> Rows { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) => Rows = await lists.HandlingAsync(User.ToActor(), cancellationToken);

    public async Task<IActionResult> OnGetExportAsync(CancellationToken cancellationToken)
    {
        var rows = await lists.HandlingAsync(User.ToActor(), cancellationToken);
        return await Xlsx.FileAsync("办理清单.xlsx", "办理清单", rows.Select(r => new Dictionary<string, object?>
        {
            ["承办单位"] = r.Unit.Name,
            ["单位代码"] = r.Unit.Code,
            ["待签收"] = r.Waiting,
            ["办理中"] = r.Handling,
            ["待审核"] = r.UnderReview,
            ["已办结"] = r.Completed,
            ["已退回"] = r.Returned,
            ["超期"] = r.Overdue,
            ["合计"] = r.Total,
        }), cancellationToken);
    }
}
