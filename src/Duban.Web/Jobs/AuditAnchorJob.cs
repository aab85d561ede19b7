using Duban.Data;

namespace Duban.Web.Jobs;

/// <summary>
/// Writes the audit chain's head to the anchor file every <c>Audit:AnchorMinutes</c> (60 by default) and to the log,
/// so a tail cut off the chain, or rewritten with fresh hashes, is caught by <c>duban audit verify</c>. Thin: the
/// CLI's <c>duban audit anchor</c> calls the same method.
/// </summary>
public sealed partial class AuditAnchorJob(IServiceScopeFactory scopes, TimeProvider clock, AuditOptions options, ILogger<AuditAnchorJob> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.AnchorEvery, clock, stoppingToken);
                await using var scope = scopes.CreateAsyncScope();
                if (await scope.ServiceProvider.GetRequiredService<AuditAnchors>().WriteAsync(stoppingToken) is { } anchor)
                {
                    LogAnchor(logger, anchor.Seq, anchor.Hash);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Writing the audit anchor failed; retrying at the next interval");
            }
        }
    }

    [LoggerMessage(EventId = 1710, EventName = "AuditAnchor", Level = LogLevel.Information,
        Message = "Audit chain head: record {Seq} hash {Hash}")]
    private static partial void LogAnchor(ILogger logger, long seq, string hash);
}
