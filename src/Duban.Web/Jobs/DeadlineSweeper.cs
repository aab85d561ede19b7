using Duban.Data;

namespace Duban.Web.Jobs;

/// <summary>
/// Runs the deadline sweep every <c>Escalation:SweepInterval</c> (default one minute; <c>Escalation:SweepEnabled</c>
/// false turns it off, e.g. when a separate process runs <c>duban sweep</c>): a thin job that opens a
/// scope and calls the same method as <c>duban sweep</c>. A failed sweep is logged and retried next time.
/// </summary>
public sealed class DeadlineSweeper(IServiceScopeFactory scopes, TimeProvider clock, EscalationOptions options, DubanMetrics metrics, ILogger<DeadlineSweeper> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.SweepEnabled)
        {
            return;
        }

        var interval = options.SweepInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                using var actor = AuditActor.Use(AuditActor.Job("sweep", "到期检查"));
                await using var scope = scopes.CreateAsyncScope();
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                var summary = await scope.ServiceProvider.GetRequiredService<SweepDeadlines>().RunAsync(clock.GetUtcNow(), stoppingToken);
                metrics.SweepTook(System.Diagnostics.Stopwatch.GetElapsedTime(started));
                if (summary != new SweepSummary(0, 0, 0, 0))
                {
                    logger.LogInformation("Deadline sweep: {Summary}", summary);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Deadline sweep failed; retrying at the next interval");
            }

            try
            {
                await Task.Delay(interval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
