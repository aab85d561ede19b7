using Duban.Data;
using Duban.Matters;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Duban.Web.Api;

/// <summary>Outbound notifications, for admins: webhooks and the delivery log (the dead-letter list and retry).</summary>
public static class NotificationsApi
{
    public sealed record WebhookBody(string? Url, string? Secret, string? Unit);

    public static IEndpointRouteBuilder MapNotificationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization(ApiAuth.AdminPolicy).WithTags("Notifications");

        api.MapPost("/webhooks", async Task<Created<WebhookView>> (WebhookBody body, NotificationAdmin admin, CancellationToken ct) =>
        {
            var view = await admin.AddWebhookAsync(body.Url, body.Secret, body.Unit, ct);
            return TypedResults.Created(FormattableString.Invariant($"/api/webhooks/{view.Id}"), view);
        }).WithSummary("添加 webhook（管理员）/ add a webhook");

        api.MapGet("/webhooks", async (NotificationAdmin admin, CancellationToken ct) => TypedResults.Ok(await admin.WebhooksAsync(ct)))
            .WithSummary("webhook 列表（不含密钥）/ webhooks, without secrets");

        api.MapDelete("/webhooks/{id:long}", async (long id, NotificationAdmin admin, CancellationToken ct) =>
        {
            await admin.DeactivateWebhookAsync(id, ct);
            return TypedResults.NoContent();
        }).WithSummary("停用 webhook / deactivate a webhook");

        api.MapGet("/deliveries", async (string? status, NotificationAdmin admin, CancellationToken ct) =>
        {
            DeliveryStatus? parsed = null;
            if (status is not null)
            {
                parsed = WireEnum.TryParse<DeliveryStatus>(status, out var s)
                    ? s
                    : throw ValidationFailedException.For("status", "状态必须是 pending（待发送）、sent（已送达）或 dead（已放弃）。");
            }

            return TypedResults.Ok(await admin.DeliveriesAsync(parsed, ct));
        }).WithSummary("投递记录；status=dead 为死信列表 / deliveries; status=dead is the dead-letter list");

        api.MapPost("/deliveries/{id:long}/retry", async (long id, NotificationAdmin admin, CancellationToken ct) =>
            TypedResults.Ok(await admin.RetryAsync(id, ct)))
            .WithSummary("重新投递 / requeue a delivery");
        return app;
    }
}
