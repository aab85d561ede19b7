using Duban.Data;

namespace Duban.Web.Jobs;

/// <summary>
/// Folds the review counters written with each event into the per-day table every 2 seconds, so reviews sum days, not
/// events (they add in what is not folded yet, so a review is exact whenever it runs). Often, so each fold is small:
/// every 15 s, a fold after 15 s of intake (~100,000 deltas) took SQLite's writer from intake for a second, and
/// intake's p99 at 1,000 appeals/s was 195–411 ms (docs/BENCHMARKS.md). Paced on this job's clock: on SQLite the fold
/// waits between its chunks so that intake's batches keep nine tenths of the writer. Thin: the CLI's
/// <c>duban report fold</c> calls the same method, at once. Safe beside other instances (<see cref="FactStore.FoldAsync"/>).
/// </summary>
public sealed class FactFolder(IServiceScopeFactory scopes, TimeProvider clock, ILogger<FactFolder> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Interval, clock, stoppingToken);
                await using var scope = scopes.CreateAsyncScope();
                await FactStore.FoldAsync(scope.ServiceProvider.GetRequiredService<DubanDbContext>(), clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Folding the review counters failed; retrying at the next interval");
            }
        }
    }
}
