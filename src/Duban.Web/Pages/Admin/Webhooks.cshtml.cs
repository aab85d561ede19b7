using Duban.Data;
using Microsoft.AspNetCore.Mvc;

namespace Duban.Web.Pages.Admin;

/// <summary>Webhook: list, add, deactivate; the dead letters with a retry button.</summary>
public sealed class WebhooksModel(NotificationAdmin admin) : FormPageModel
{
    public IReadOnlyList<WebhookView> Hooks { get; private set; } = [];

    public IReadOnlyList<DeliveryView> Dead { get; private set; } = [];

    public Task OnGetAsync(CancellationToken cancellationToken) => ReloadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAddAsync(string? url, string? secret, string? unit, CancellationToken cancellationToken)
    {
        await admin.AddWebhookAsync(url, secret, string.IsNullOrWhiteSpace(unit) ? null : unit, cancellationToken);
        return RedirectToPage();
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

    protected override async Task ReloadAsync(CancellationToken cancellationToken)
    {
        Hooks = await admin.WebhooksAsync(cancellationToken);
        Dead = await admin.DeliveriesAsync(DeliveryStatus.Dead, cancellationToken);
    }
}
