using Duban.Data.Access;
using Duban.Matters;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Duban.Web.Pages.Admin;

/// <summary>API 令牌: create (the secret is shown once, on the response to the form) and revoke.</summary>
public sealed class TokensModel(ApiTokens tokens) : PageModel
{
    public IReadOnlyList<ApiTokenView> Tokens { get; private set; } = [];

    /// <summary>The new secret, shown on this response only; never stored in clear, never in TempData.</summary>
    public string? Secret { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => Tokens = await tokens.ListAsync(cancellationToken);

    public async Task<IActionResult> OnPostCreateAsync(string? unit, string? role, string? name, CancellationToken cancellationToken)
    {
        try
        {
            Secret = await tokens.CreateAsync(unit?.Trim() ?? "", role ?? "", name ?? "", cancellationToken);
        }
        catch (ValidationFailedException ex)
        {
            foreach (var (field, messages) in ex.Errors)
            {
                ModelState.AddModelError(field, string.Join(" ", messages));
            }

            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        Tokens = await tokens.ListAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(long id, CancellationToken cancellationToken)
    {
        await tokens.RevokeAsync(id, cancellationToken);
        return RedirectToPage();
    }
}
