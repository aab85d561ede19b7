using Duban.Data;

namespace Duban.Web.Jobs;

/// <summary>
/// Once at start-up, in the background: writes the similar-case signatures that are missing (<c>duban similar backfill</c>
/// does the same by hand). Pages of 1,000, at most <c>Similarity:BackfillMaxPages</c> (default 1,000) per start;
/// <c>Similarity:BackfillOnStart</c> false turns it off. Never blocks start-up; a failure is logged and left for the next start.
/// </summary>
public sealed class SignatureBackfillJob(IServiceScopeFactory scopes, SimilarityOptions options, ILogger<SignatureBackfillJob> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield(); // the host goes on starting while this runs
        if (!options.BackfillOnStart)
        {
            return;
        }

        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var written = await scope.ServiceProvider.GetRequiredService<SignatureBackfill>().RunAsync(SignatureBackfill.DefaultPageSize,
                options.BackfillMaxPages, null, stoppingToken);
            if (written > 0)
            {
                logger.LogInformation("Similarity backfill: wrote {Count} missing matter signatures", written);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Similarity backfill failed; the missing signatures are retried at the next start");
        }
    }
}
