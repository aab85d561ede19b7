using Duban.Data;
using Duban.Matters;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Mvc;

namespace Duban.Web.Pages.Assessment.Targets;

/// <summary>包联干部考评: each cadre's enterprises' appeals, visits and targets in a period, ranked.</summary>
public sealed class CadresModel(CadreBoard board, TargetTasks tasks) : FormPageModel
{
    public CadreBoardView? Board { get; private set; }
    public DateOnly Today { get; private set; }

    [BindProperty(SupportsGet = true)]
    public string? Period { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Today = tasks.Today;
        try
        {
            Board = await board.GetAsync(Period, User.ToActor(), cancellationToken);
        }
        catch (ValidationFailedException invalid)
        {
            // A period that does not parse: say so, and show the current month.
            ModelState.AddModelError("period", string.Join(" ", invalid.Errors.Values.SelectMany(v => v)));
            Board = await board.GetAsync(null, User.ToActor(), cancellationToken);
        }

        Period = Board.Period.Key;
        return Page();
    }
}
