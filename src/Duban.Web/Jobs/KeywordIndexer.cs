using Duban.Data;
using Microsoft.EntityFrameworkCore;

namespace Duban.Web.Jobs;

/// <summary>
/// Every two seconds, adds the matters written since to SQLite's keyword index and applies the edits logged since
/// (<see cref="MatterSearch.CatchUpAsync"/>), 5,000 to a transaction of the index's own file, so the database's writers
/// never wait for it. Until then the substring test finds a new matter: the job makes search faster, and search is
/// right without it. Nothing to do on PostgreSQL.
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
                var db = scope.ServiceProvider.GetRequiredService<DubanDbContext>();
                if (!db.Database.IsSqlite())
                {
                    return;
                }

                await MatterSearch.CatchUpAllAsync(db, null, stoppingToken);
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
