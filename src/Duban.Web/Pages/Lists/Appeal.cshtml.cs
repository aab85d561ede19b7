using Duban.Data.Appeals;
using Duban.Data.Routing;
using Duban.Matters;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Duban.Web.Pages.Lists;

/// <summary>An appeal for staff: intake facts, the earlier appeal it repeats, the learned routing suggestion beside the
/// rule result, and the contact in full on request (audited).</summary>
public sealed class AppealModel(AppealQueries queries, MatterRouter router) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Code { get; set; }

    public AppealDetails? Appeal { get; private set; }
    public AppealContact? Contact { get; private set; }

    /// <summary>智能分派建议: information only; people decide.</summary>
    public RoutingSuggestion? Suggestion { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        try
        {
            await LoadAsync(cancellationToken);
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
            await LoadAsync(cancellationToken);
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

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Appeal = await queries.GetAsync(Code ?? string.Empty, User.ToActor(), cancellationToken);
        Suggestion = await router.SuggestAsync(Appeal.Matter.Title + "\n" + Appeal.Matter.Content, cancellationToken);
    }
}
