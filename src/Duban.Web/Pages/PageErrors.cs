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
            : new StatusCodeResult(Problems.StatusOf(error));
        executed.ExceptionHandled = true;
    }
}
