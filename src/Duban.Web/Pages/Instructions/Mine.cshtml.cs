using Duban.Data;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Duban.Web.Pages.Instructions;

/// <summary>「我的批示」: a leader's own instructions, their status and the reports sent back.</summary>
public sealed class MineModel(InstructionRegister register) : PageModel
{
    public IReadOnlyList<InstructionSummary> Items { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        var me = Enterprises.PersonOf(actor);
        Items = me is { } id
            ? await register.ListAsync(new InstructionFilter { Leader = id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, actor, cancellationToken)
            : [];
    }
}
