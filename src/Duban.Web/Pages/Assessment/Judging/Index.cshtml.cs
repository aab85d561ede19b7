using Duban.Data;
using Duban.Matters;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Duban.Web.Pages.Assessment.Judging;

/// <summary>评审打分: the sessions a judge takes part in, or every session for the office and leaders.</summary>
public sealed class IndexModel(JudgingSessions judging) : PageModel
{
    public IReadOnlyList<(long Id, string Title, string PeriodKey, JudgingStatus Status, bool IsJudge)> Sessions { get; private set; } = [];

    public bool Manages { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        Manages = actor.Has(Role.Supervisor) || actor.Has(Role.Admin);
        Sessions = await judging.ListAsync(actor, cancellationToken);
    }
}
