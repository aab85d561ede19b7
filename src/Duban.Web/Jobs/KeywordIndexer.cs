using Duban.Data;
using Microsoft.EntityFrameworkCore;

namespace Duban.Web.Jobs;

/// <summary>
/// Every two seconds, adds the matters written since to SQLite's keyword index (<see cref="MatterSearch.CatchUpAsync"/>),
/// 5,000 to a transaction, taking its turn at the write lock like the other writers. Until then a new matter is found by
/// the substring test, so this job makes search fast, never correct. Nothing to do on PostgreSQL.
/// </summary>
public sealed class KeywordIndexer(IServiceScopeFactory scopes, TimeProvider clock, ILogger<KeywordIndexer> logger) : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(2);
    private const int RowsPerTransaction = 5_000;

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

                int indexed;
                do
                {
                    using var turn = await WriteTurns.TakeAsync(db, stoppingToken);
                    indexed = await MatterSearch.CatchUpAsync(db, RowsPerTransaction, stoppingToken);
                }
                while (indexed == RowsPerTransaction);
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
