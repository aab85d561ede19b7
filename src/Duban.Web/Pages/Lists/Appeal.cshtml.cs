using Duban.Data.Appeals;
using Duban.Matters;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Duban.Web.Pages.Lists;

/// <summary>An appeal for staff: intake facts, the earlier appeal it repeats, and the contact in full on request (audited).</summary>
public sealed class AppealModel(AppealQueries queries) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Code { get; set; }

    public AppealDetails? Appeal { get; private set; }
    public AppealContact? Contact { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        try
        {
            Appeal = await queries.GetAsync(Code ?? string.Empty, User.ToActor(), cancellationToken);
            return Page();
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
    }

    /// <summary>查看完整联系方式: only for the handling unit and the supervision office; writes an audit row.</summary>
    public async Task<IActionResult> OnPostRevealAsync(CancellationToken cancellationToken)
    {
        try
        {
            Contact = await queries.RevealAsync(Code ?? string.Empty, User.ToActor(), "page", cancellationToken);
            Appeal = await queries.GetAsync(Code ?? string.Empty, User.ToActor(), cancellationToken);
            return Page();
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        catch (ForbiddenException)
        {
            return Forbid();
        }
    }
}
