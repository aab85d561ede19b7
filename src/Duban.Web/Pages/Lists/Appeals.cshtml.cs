using Duban.Data;
using Duban.Matters;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Duban.Web.Pages.Lists;

/// <summary>诉求清单: every appeal the reader may see, by channel; xlsx export (contact masked, or in full for those allowed, audited).</summary>
public sealed class AppealsModel(AppealLists lists) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Channel { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateOnly? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateOnly? To { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public AppealListPage List { get; private set; } = new([], 0, 1, 50, [], 0);

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        List = await lists.AppealsAsync(Filter() with { Page = Math.Clamp(PageNumber, 1, 100_000) }, User.ToActor(), cancellationToken);

    public async Task<IActionResult> OnGetExportAsync(bool full, CancellationToken cancellationToken)
    {
        var rows = await lists.ExportAsync(Filter(), User.ToActor(), full, cancellationToken);
        return await Xlsx.FileAsync("诉求清单.xlsx", "诉求清单", rows.Select(r => new Dictionary<string, object?>
        {
            ["查询码"] = r.TrackingCode,
            ["事项编号"] = r.MatterCode,
            ["受理时间"] = Ui.When(r.ReceivedAt),
            ["渠道"] = r.ChannelName,
            ["分类"] = r.Category,
            ["标题"] = r.Title,
            ["区域"] = r.Region,
            ["联系人"] = r.ContactName,
            ["联系电话"] = r.ContactPhone,
            ["承办单位"] = r.LeadUnit,
            ["状态"] = r.StatusName,
            ["超期"] = r.Overdue ? "是" : "否",
            ["重复件（原件查询码）"] = r.RepeatOf,
        }), cancellationToken);
    }

    private AppealFilter Filter() => new()
    {
        Channel = WireEnum.TryParse<MatterSource>(Channel, out var channel) ? channel : null,
        From = From,
        To = To,
    };
}
