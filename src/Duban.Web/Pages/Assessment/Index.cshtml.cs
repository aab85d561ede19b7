using Duban.Data;
using Duban.Matters;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Duban.Web.Pages.Assessment;

/// <summary>考评办法: every scheme with its group, kind of period, dates and version; the office makes and revises them.</summary>
public sealed class IndexModel(AssessmentSchemes schemes) : PageModel
{
    public IReadOnlyList<SchemeView> Schemes { get; private set; } = [];

    /// <summary>Whether the reader makes schemes (the supervision office, administrators).</summary>
    public bool Manages { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        Manages = actor.Has(Role.Supervisor) || actor.Has(Role.Admin);
        Schemes = await schemes.ListAsync(cancellationToken);
    }
}
