using Duban.Data.Notifications;
using Duban.Matters;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Duban.Web.Pages.Admin;

/// <summary>Webhook: list, add, deactivate; the dead letters with a retry button.</summary>
public sealed class WebhooksModel(NotificationAdmin admin) : PageModel
{
    public IReadOnlyList<WebhookView> Hooks { get; private set; } = [];

    public IReadOnlyList<DeliveryView> Dead { get; private set; } = [];

    public Task OnGetAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAddAsync(string? url, string? secret, string? unit, CancellationToken cancellationToken)
    {
        try
        {
            await admin.AddWebhookAsync(url, secret, string.IsNullOrWhiteSpace(unit) ? null : unit, cancellationToken);
            return RedirectToPage();
        }
        catch (ValidationFailedException ex)
        {
            foreach (var (field, messages) in ex.Errors)
            {
                ModelState.AddModelError(field, string.Join(" ", messages));
            }
        }

        Response.StatusCode = StatusCodes.Status400BadRequest;
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostDeactivateAsync(long id, CancellationToken cancellationToken)
    {
        await admin.DeactivateWebhookAsync(id, cancellationToken);
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostRetryAsync(long id, CancellationToken cancellationToken)
    {
        await admin.RetryAsync(id, cancellationToken);
        return RedirectToPage();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Hooks = await admin.WebhooksAsync(cancellationToken);
        Dead = await admin.DeliveriesAsync(DeliveryStatus.Dead, cancellationToken);
    }
}
