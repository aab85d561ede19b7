using Duban.Data.Pairing;
using Duban.Matters;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Duban.Web.Pages.Pairing;

/// <summary>包联: the enterprises (a cadre sees their own), the coverage view, and registering an enterprise.</summary>
public sealed class IndexModel(Enterprises enterprises, Visits visits) : PageModel
{
    public IReadOnlyList<EnterpriseView> List { get; private set; } = [];
    public Coverage? Coverage { get; private set; }
    public bool Manager { get; private set; }
    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    [BindProperty(SupportsGet = true)]
    public int Days { get; set; } = 30;

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? CreditCode { get; set; }

    [BindProperty]
    public string? Region { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        try
        {
            var saved = await enterprises.SaveAsync(Name, CreditCode, Region, User.ToActor(), cancellationToken);
            return RedirectToPage("Enterprise", new { id = saved.Id });
        }
        catch (ValidationFailedException ex)
        {
            foreach (var (field, messages) in ex.Errors)
            {
                Errors[field] = string.Join(" ", messages);
            }
        }
        catch (ForbiddenException)
        {
            return Forbid();
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        Manager = Enterprises.MayManage(actor);
        Days = Math.Clamp(Days, 1, 3650);
        if (!Manager && Enterprises.PersonOf(actor) is null)
        {
            return;
        }

        List = await enterprises.ListAsync(actor, cancellationToken);
        Coverage = await visits.CoverageAsync(Days, actor, cancellationToken);
    }
}
