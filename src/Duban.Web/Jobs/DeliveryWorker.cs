using Duban.Data;

namespace Duban.Web.Jobs;

/// <summary>
/// Works the notification outbox every <c>Delivery:Interval</c> (default five seconds; <c>Delivery:Enabled</c> false
/// turns it off, e.g. when a separate process runs <c>duban deliver</c>): a thin job that opens a scope and calls
/// <see cref="DeliverDue.RunAsync"/>. It is its own loop, apart from the deadline sweep, so a slow or unreachable
/// receiver never holds up the sweep. A failed run is logged and retried next time.
/// </summary>
public sealed class DeliveryWorker(IServiceScopeFactory scopes, TimeProvider clock, IConfiguration configuration,
    NotificationOptions options, ILogger<DeliveryWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!NotificationOptions.DeliveryEnabled(configuration))
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var summary = await scope.ServiceProvider.GetRequiredService<DeliverDue>().RunAsync(clock.GetUtcNow(), stoppingToken);
                if (summary != new DeliverySummary(0, 0, 0))
                {
                    logger.LogInformation("Notification delivery: {Summary}", summary);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Notification delivery failed; retrying at the next interval");
            }

            try
            {
                await Task.Delay(options.Interval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
