using Duban.Data.Escalation;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Duban.Web.Pages.Lists;

/// <summary>问责清单: the deadline engine's accountability list (<see cref="Supervision.AccountabilityAsync"/>), shown and exported.</summary>
public sealed class AccountabilityModel(Supervision supervision) : PageModel
{
    public IReadOnlyList<AccountabilityView> Entries { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Entries = await supervision.AccountabilityAsync(null, User.ToActor(), cancellationToken);

    public async Task<IActionResult> OnGetExportAsync(CancellationToken cancellationToken)
    {
        var entries = await supervision.AccountabilityAsync(null, User.ToActor(), cancellationToken);
        return await Xlsx.FileAsync("问责清单.xlsx", "问责清单", entries.Select(e => new Dictionary<string, object?>
        {
            ["事项编号"] = e.MatterCode,
            ["事项"] = e.MatterTitle,
            ["单位"] = e.Unit.Name,
            ["原因"] = ReasonName(e.Reason),
            ["列入时间"] = Ui.When(e.CreatedAt),
            ["状态"] = StatusName(e.Status),
            ["说明"] = e.Note,
        }), cancellationToken);
    }

    public static string ReasonName(AccountabilityReason reason) => reason switch
    {
        AccountabilityReason.AcknowledgeOverdue => "签收超期",
        AccountabilityReason.FeedbackOverdue => "反馈超期",
        AccountabilityReason.CompletionOverdue => "办结超期",
        AccountabilityReason.DissatisfiedTwice => "两次不满意",
        AccountabilityReason.ReopenedAfterClosing => "销号后重新办理",
        AccountabilityReason.Manual => "人工列入",
    };

    public static string StatusName(AccountabilityStatus status) => status switch
    {
        AccountabilityStatus.Pending => "待处理",
        AccountabilityStatus.Interviewed => "已约谈",
        AccountabilityStatus.Notified => "已通报",
        AccountabilityStatus.Held => "已问责",
        AccountabilityStatus.Withdrawn => "已撤销",
    };
}
