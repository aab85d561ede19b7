using Duban.Data;
using Duban.Matters;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Duban.Web.Pages.Instructions;

/// <summary>The report as it prints: the same layout as the Word document (文号, red rule, title, body, office and date).</summary>
public sealed class PrintModel(InstructionRegister register) : PageModel
{
    public InstructionDetails? Details { get; private set; }
    public InstructionReportView? Report { get; private set; }

    public async Task OnGetAsync(long id, long? report, CancellationToken cancellationToken)
    {
        Details = await register.GetAsync(id, User.ToActor(), cancellationToken);
        Report = (report is { } r ? Details.Reports.SingleOrDefault(x => x.Id == r) : Details.Reports.LastOrDefault())
            ?? throw new NotFoundException("还没有办理结果报告。");
    }
}
