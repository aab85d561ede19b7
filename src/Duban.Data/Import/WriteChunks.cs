using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Duban.Data;

/// <summary>
/// Bulk work committed in chunks: one transaction per <see cref="MaxTime"/> of work or <see cref="MaxRows"/> rows, whichever
/// comes first (a commit per row made SQLite sync the disk once per row; one transaction for everything held SQLite's
/// only write lock for minutes). Each row stays all or nothing: EF Core saves it under a savepoint of the chunk's
/// transaction, and a batch of rows written together has its own. Two seconds keep the pause below a tenth of a fast
/// import's time while a waiting writer waits at most that long. On SQLite the bulk writer then steps aside for
/// <see cref="SqlitePause"/>: a writer this process's turns (<see cref="WriteTurns"/>) do not hold back (the running
/// server's, while the command line imports) polls for the lock in SQLite's busy handler, every 100 ms once it has
/// waited a while, and one that never found it free between chunks would wait out its timeout however short each
/// chunk is. 110 ms is the shortest pause sure to hold one of those polls (200 ms before: a tenth of an import spent
/// idle). PostgreSQL locks rows, not the database: no pause.
/// </summary>
public sealed class WriteChunks(DubanDbContext db, bool dryRun) : IAsyncDisposable
{
    public const int MaxRows = 20_000;
    public static readonly TimeSpan MaxTime = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan SqlitePause = TimeSpan.FromMilliseconds(110);

    private readonly bool _sqlite = db.Database.IsSqlite();
    private IDbContextTransaction? _transaction;
    private IDisposable? _turn;
    private long _started;
    private int _rows;

    /// <summary>Opens the chunk's transaction if none is open (nothing in a dry run).</summary>
    public async Task BeginAsync(CancellationToken cancellationToken)
    {
        if (!dryRun && _transaction is null)
        {
            _turn = await WriteTurns.TakeAsync(db, cancellationToken);
            _transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            _started = System.Diagnostics.Stopwatch.GetTimestamp();
            _rows = 0;
        }
    }

    /// <summary>Counts a row and commits when the chunk is full; true when progress should be reported.</summary>
    public Task<bool> EndRowAsync(CancellationToken cancellationToken) => EndRowsAsync(1, cancellationToken);

    /// <summary>Counts rows written together and commits when the chunk is full; true when progress should be reported.</summary>
    public async Task<bool> EndRowsAsync(int rows, CancellationToken cancellationToken)
    {
        var before = _rows;
        _rows += rows;
        if (dryRun)
        {
            return _rows / 500 != before / 500;
        }

        if (_rows < MaxRows && System.Diagnostics.Stopwatch.GetElapsedTime(_started) < MaxTime)
        {
            return false;
        }

        await CommitAsync(cancellationToken);
        if (_sqlite)
        {
            await Task.Delay(SqlitePause, cancellationToken);
        }

        return true;
    }

    /// <summary>Commits the open chunk, if any.</summary>
    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        if (_transaction is not null)
        {
            try
            {
                await _transaction.CommitAsync(cancellationToken);
            }
            finally
            {
                await _transaction.DisposeAsync();
                _transaction = null;
                EndTurn();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_transaction is not null)
        {
            await _transaction.DisposeAsync(); // not committed: rolled back
        }

        EndTurn();
    }

    private void EndTurn()
    {
        _turn?.Dispose();
        _turn = null;
    }
}
