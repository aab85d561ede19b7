using Duban.Attachments;
using Duban.Matters;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Duban.Web.Pages;

/// <summary>
/// A page handler's refused command, answered in one place (the pages' counterpart of the API's <see cref="Problems"/>):
/// a matter or record that is not there, or not for this person, answers 404; a <see cref="FormPageModel"/> draws its
/// form again with the messages where it shows them; any other refusal gets the status page for its status.
/// </summary>
public sealed class PageErrors : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var executed = await next();
        if (executed.ExceptionHandled || executed.Exception is not DomainException error)
        {
            return;
        }

        executed.Result = error is not NotFoundException && executed.HandlerInstance is FormPageModel page
            ? await page.RefusedAsync(error, context.HttpContext.RequestAborted)
            : new StatusCodeResult(StatusOf(error));
        executed.ExceptionHandled = true;
    }

    /// <summary>The status of a refusal, as the API answers it.</summary>
    public static int StatusOf(DomainException error) => error switch
    {
        ValidationFailedException => StatusCodes.Status400BadRequest,
        AttachmentRefusedException { Reason: RefusalReason.TooLarge } => StatusCodes.Status413PayloadTooLarge,
        AttachmentRefusedException { Reason: RefusalReason.ForbiddenType } => StatusCodes.Status415UnsupportedMediaType,
        AttachmentRefusedException => StatusCodes.Status400BadRequest,
        ForbiddenException => StatusCodes.Status403Forbidden,
        NotFoundException => StatusCodes.Status404NotFound,
        _ => StatusCodes.Status409Conflict,
    };
}
