using Duban.Matters;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Duban.Web.Pages;

/// <summary>
/// A page with forms that <see cref="PageErrors"/> draws again when a handler's command is refused: field errors go
/// into <see cref="PageModel.ModelState"/> under <see cref="FieldKey"/>, other refusals where <see cref="ShowRefusal"/>
/// puts them, the page reloads what its GET shows (<see cref="ReloadAsync"/>) and answers with
/// <see cref="StatusOf"/>. A page overrides only what it shows differently; handlers catch nothing.
/// </summary>
public abstract class FormPageModel : PageModel
{
    internal async Task<IActionResult> RefusedAsync(DomainException error, CancellationToken cancellationToken)
    {
        if (error is ValidationFailedException invalid)
        {
            ShowInvalid(invalid);
        }
        else if (!ShowRefusal(error))
        {
            return new StatusCodeResult(Problems.StatusOf(error));
        }

        try
        {
            await ReloadAsync(cancellationToken);
        }
        catch (NotFoundException)
        {
            return NotFound(); // gone (or out of sight) since the handler began
        }

        var page = Page();
        page.StatusCode = StatusOf(error);
        return page;
    }

    /// <summary>The model-state key of a command's field (named as the API names it, "title"); by default the name itself.</summary>
    protected virtual string FieldKey(string field) => field;

    /// <summary>Each field's messages, joined, beside the field.</summary>
    protected virtual void ShowInvalid(ValidationFailedException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        foreach (var (field, messages) in error.Errors)
        {
            ModelState.AddModelError(FieldKey(field), string.Join(" ", messages));
        }
    }

    /// <summary>Shows a refusal that is about no one field, and says whether the page did; by default it does not,
    /// and the status page explains.</summary>
    protected virtual bool ShowRefusal(DomainException error) => false;

    /// <summary>Loads again what the GET shows (lists, pickers) before the form is drawn again.</summary>
    protected virtual Task ReloadAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The status the form is drawn again with; by default the API's for the refusal.</summary>
    protected virtual int StatusOf(DomainException error) => Problems.StatusOf(error);

    /// <summary>A field of a bound form object as its model-state key: ("Form", "leadUnit") is "Form.LeadUnit".</summary>
    protected static string PropertyKey(string prefix, string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return $"{prefix}.{char.ToUpperInvariant(field[0])}{field[1..]}";
    }
}
