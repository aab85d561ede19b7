using Duban.Data;

namespace Duban.Web.Jobs;

/// <summary>
/// Every two seconds, adds the matters written since to the keyword index and applies the edits logged since
/// (<see cref="MatterSearch.CatchUpAllAsync"/>), a few thousand matters to a transaction (on SQLite of the index's own
/// file), so the database's writers never do it. Until then the substring test finds a new matter: the job makes search faster, and
/// search is right without it. On PostgreSQL several instances share the work (one at a time, by an advisory lock).
/// </summary>
public sealed class KeywordIndexer(IServiceScopeFactory scopes, TimeProvider clock, ILogger<KeywordIndexer> logger) : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Every, clock, stoppingToken);
                await using var scope = scopes.CreateAsyncScope();
                await MatterSearch.CatchUpAllAsync(scope.ServiceProvider.GetRequiredService<DubanDbContext>(), null, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Adding new matters to the keyword index failed; retrying in two seconds");
            }
        }
    }
}
