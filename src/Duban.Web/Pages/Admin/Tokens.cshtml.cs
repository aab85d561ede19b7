using Duban.Data;
using Microsoft.AspNetCore.Mvc;

namespace Duban.Web.Pages.Admin;

/// <summary>API 令牌: create (the secret is shown once, on the response to the form) and revoke.</summary>
public sealed class TokensModel(ApiTokens tokens, UnitDirectory directory) : FormPageModel
{
    public IReadOnlyList<ApiTokenView> Tokens { get; private set; } = [];

    /// <summary>The new secret, shown on this response only; never stored in clear, never in TempData.</summary>
    public string? Secret { get; private set; }

    public Task OnGetAsync(CancellationToken cancellationToken) => ReloadAsync(cancellationToken);

    public async Task<IActionResult> OnPostCreateAsync(string? unit, string? role, string? name, CancellationToken cancellationToken)
    {
        Secret = await tokens.CreateAsync(unit?.Trim() ?? "", role ?? "", name ?? "", cancellationToken);
        await ReloadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(long id, CancellationToken cancellationToken)
    {
        await tokens.RevokeAsync(id, cancellationToken);
        return RedirectToPage();
    }

    /// <summary>The units a token can act for, by name.</summary>
    public IReadOnlyList<UnitView> Units { get; private set; } = [];

    protected override async Task ReloadAsync(CancellationToken cancellationToken)
    {
        Tokens = await tokens.ListAsync(cancellationToken);
        Units = (await directory.ListAsync(cancellationToken)).Where(u => u.Active).ToList();
    }
}
