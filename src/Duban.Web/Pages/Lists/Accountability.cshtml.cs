using Duban.Data;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Duban.Web.Pages.Lists;

/// <summary>问责清单: the deadline engine's accountability list (<see cref="AccountabilityList.ListAsync"/>), shown and exported.</summary>
public sealed class AccountabilityModel(AccountabilityList accountability) : PageModel
{
    public IReadOnlyList<AccountabilityView> Entries { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Entries = await accountability.ListAsync(null, User.ToActor(), AccountabilityList.ListMax, cancellationToken);

    /// <summary>The same workbook as <c>GET /api/accountability/export.xlsx</c>, for people signed in to the pages.</summary>
    public async Task<IActionResult> OnGetExportAsync(CancellationToken cancellationToken)
    {
        var entries = await accountability.ListAsync(null, User.ToActor(), AccountabilityList.ExportMax, cancellationToken);
        var stream = new MemoryStream();
        await AccountabilityWorkbook.WriteAsync(stream, entries, cancellationToken);
        stream.Position = 0;
        return File(stream, AccountabilityWorkbook.ContentType, "问责清单.xlsx");
    }
}
