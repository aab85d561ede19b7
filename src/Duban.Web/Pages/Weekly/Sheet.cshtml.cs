using Duban.Data;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Duban.Web.Pages.Weekly;

/// <summary>交办单: one unit's matters of a session with the 四明确, laid out for A4 printing, and the same as a Word file.
/// A unit opens its own only (<see cref="WeeklySessions.SheetAsync"/>).</summary>
public sealed class SheetModel(WeeklySessions weekly) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    /// <summary>The unit's code; empty for the reader's own unit.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Unit { get; set; }

    public WeeklySheet Sheet { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Sheet = await weekly.SheetAsync(Id, Unit, User.ToActor(), cancellationToken);

    /// <summary>The same sheet as a .docx (黑体 headings, 仿宋 text).</summary>
    public async Task<IActionResult> OnGetDocxAsync(CancellationToken cancellationToken)
    {
        var sheet = await weekly.SheetAsync(Id, Unit, User.ToActor(), cancellationToken);
        var file = new MemoryStream();
        SheetDocument.Write(file, sheet);
        file.Position = 0;
        return File(file, SheetDocument.ContentType, SheetDocument.FileName(sheet));
    }
}
