using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>
/// Turns at SQLite's only write lock for the long writers of one process (the <see cref="BatchingWriter"/>'s batches
/// and the chunks of an import), taken first come, first served. SQLite itself is not fair: a writer waiting for the
/// lock polls for it (SQLite's busy handler, every 100 ms once it has waited a while), and one writer committing batch
/// after batch (twenty clients through the batching writer) left an import's chunk waiting out its 30 s time-out. Per
/// database file; on PostgreSQL, which locks rows, there is no turn to take.
/// </summary>
public static class WriteTurns
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Files = new(StringComparer.Ordinal);

    /// <summary>Waits for this process's turn at the database's write lock; disposing the result ends the turn.</summary>
    public static async Task<IDisposable?> TakeAsync(DubanDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (!db.Database.IsSqlite())
        {
            return null;
        }

        // SemaphoreSlim wakes its asynchronous waiters in the order they came.
        var turn = Files.GetOrAdd(db.Database.GetDbConnection().DataSource, _ => new SemaphoreSlim(1, 1));
        await turn.WaitAsync(cancellationToken);
        return new Turn(turn);
    }

    private sealed class Turn(SemaphoreSlim semaphore) : IDisposable
    {
        private SemaphoreSlim? _semaphore = semaphore;

        public void Dispose() => Interlocked.Exchange(ref _semaphore, null)?.Release();
    }
}
