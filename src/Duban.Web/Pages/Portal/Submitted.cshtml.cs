using Duban.Appeals;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Duban.Web.Pages.Portal;

/// <summary>The receipt: the tracking code, large and printable.</summary>
[AllowAnonymous]
public sealed class SubmittedModel : PageModel
{
    public string Code { get; private set; } = string.Empty;

    public IActionResult OnGet(string? code)
    {
        if (!TrackingCode.TryParse(code, out var bare))
        {
            return RedirectToPage("/Portal/Index");
        }

        Code = TrackingCode.Format(bare);
        return Page();
    }
}
