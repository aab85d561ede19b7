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

    /// <summary>After a stale form: what others did since the version the form was drawn from.</summary>
    public IReadOnlyList<EventView> ChangedSince { get; private set; } = [];

    /// <summary>The action and text of a form that was not applied, so nothing typed is lost.</summary>
    public (string Action, string? Note)? Draft { get; private set; }

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
        var status = StatusCodes.Status400BadRequest;
        if (!WireEnum.TryParse<MatterAction>(action, out var parsed))
        {
            return BadRequest();
        }

        try
        {
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
                    ModelState.AddModelError($"{action}.{field}", message);
                }
            }
        }
        catch (DomainException ex)
        {
            Message = ex is ConcurrencyConflictException ? "提交未执行：在您打开本页之后，事项已被他人更新。请先查看以下变化，再决定是否重新提交。" : ex.Message;
            status = ex is ForbiddenException ? StatusCodes.Status403Forbidden : StatusCodes.Status409Conflict;
        }

        Draft = (action, note);
        Details = await queries.GetAsync(id, actor, cancellationToken);
        if (version is { } seen && seen < Details.Version)
        {
            // Someone else acted since the form was drawn: show their events instead of overwriting them.
            ChangedSince = Details.Events.Where(e => e.Sequence > seen).ToList();
            Message = "提交未执行：在您打开本页之后，事项已被他人更新。请先查看以下变化，再决定是否重新提交。";
            status = StatusCodes.Status409Conflict;
        }

        Response.StatusCode = status;
        return Page();
    }
}
