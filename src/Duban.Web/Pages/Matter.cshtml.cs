using Duban.Data;
using Duban.Data.Matters;
using Duban.Matters;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Duban.Web.Pages;

public sealed class MatterModel(MatterQueries queries, ActOnMatter act) : PageModel
{
    public MatterDetails? Details { get; private set; }

    public string? Message { get; private set; }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken)
    {
        try
        {
            Details = await queries.GetAsync(id, User.ToActor(), cancellationToken);
            return Page();
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
    }

    public async Task<IActionResult> OnPostAsync(long id, string action, string? note, bool? accepted, string? satisfaction,
        string? unit, int? version, CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        try
        {
            if (!WireEnum.TryParse<MatterAction>(action, out var parsed))
            {
                return BadRequest();
            }

            var command = new MatterCommand(parsed)
            {
                Note = note,
                Accepted = accepted,
                Satisfaction = WireEnum.TryParse<Satisfaction>(satisfaction, out var s) ? s : null,
                ExpectedVersion = version,
            };
            await act.ExecuteAsync(id, command, unit, actor, cancellationToken);
            return RedirectToPage(new { id });
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        catch (ValidationFailedException ex)
        {
            foreach (var (field, messages) in ex.Errors)
            {
                foreach (var message in messages)
                {
                    ModelState.AddModelError(field, message);
                }
            }
        }
        catch (DomainException ex)
        {
            // Stale form or a step no longer allowed: show what the matter looks like now, with the reason.
            Message = ex.Message;
        }

        Details = await queries.GetAsync(id, actor, cancellationToken);
        return Page();
    }
}
