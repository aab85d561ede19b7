using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using static Duban.Data.ConfigurationValues;

namespace Duban.Data;

/// <summary>
/// How concurrent writes share commits (<c>Writes:*</c>), read once at start-up:
/// <code>"Writes": { "MaxBatch": 256, "MaxWait": "00:00:00.001" }</code>
/// </summary>
/// <param name="MaxBatch">Writes in one transaction at most.</param>
/// <param name="MaxWait">How long a batch that is not full waits for more writes before it commits; zero commits
/// whatever has queued meanwhile (under load the previous commit's fsync is the wait), the default. A wait trades
/// latency for CPU: each batch has a fixed cost (its context, BEGIN, the look-ups, the commit), and at a steady 1,000
/// requests/s 1 ms cut the server's CPU a request from 1.11–1.16 to 0.87–1.02 ms, but the wait's timer fires late on a
/// busy thread pool, so the median answer took 13–29 ms instead of 5–17 and the p99 came nearer 50 ms
/// (docs/BENCHMARKS.md).</param>
public sealed record BatchingWriterOptions(int MaxBatch, TimeSpan MaxWait)
{
    /// <exception cref="FormatException">A malformed value; the message names its key.</exception>
    public static BatchingWriterOptions FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new BatchingWriterOptions(
            Int(configuration, "Writes:MaxBatch", 256, 1, 10_000),
            Span(configuration, "Writes:MaxWait", TimeSpan.Zero, TimeSpan.Zero, TimeSpan.FromSeconds(10)));
    }
}

/// <summary>
/// A kind of write whose items, queued by several callers, are made together (set-based: a few multi-row statements
/// for the lot instead of a save per item) when they fall into one batch of the <see cref="BatchingWriter"/>.
/// </summary>
public interface ISetWrite<TItem, TResult>
{
    /// <summary>Writes <paramref name="items"/> on <paramref name="db"/>, inside the batch's transaction, and returns a
    /// result per item in their order. All or nothing: a failure throws, and the writer makes the items one at a time.</summary>
    Task<IReadOnlyList<TResult>> WriteAsync(DubanDbContext db, IReadOnlyList<TItem> items, CancellationToken cancellationToken);
}

/// <summary>
/// Group commit (合并提交): concurrent requests' writes share one transaction and so one fsync. A request checks and
/// reads on its own context, then hands the writing to <see cref="WriteAsync{T}"/>; one loop takes the writes queued
/// meanwhile (at most <see cref="BatchingWriterOptions.MaxBatch"/>), runs each under a savepoint of the batch's
/// transaction on a context of its own, and commits once. A write that throws is rolled back to its savepoint and
/// fails alone, with its own exception; the others commit. Every caller is answered only after the commit that holds
/// its write is durable, or with the commit's exception when it fails. One loop per process: on SQLite, Duban's own
/// writers no longer queue for the database's only write lock (Microsoft.Data.Sqlite polls for it with sleeps, the
/// long tail of intake under load); on PostgreSQL each instance has its own loop.
/// </summary>
public sealed class BatchingWriter : IAsyncDisposable
{
    private const string Savepoint = "duban_write";
    private static readonly Meter Meter = new("Duban");
    private static readonly Histogram<int> BatchSize = Meter.CreateHistogram<int>("duban.write.batch", "{write}", "Writes committed together");

    private readonly IServiceScopeFactory _scopes;
    private readonly BatchingWriterOptions _options;
    private readonly Channel<Job> _queue = Channel.CreateBounded<Job>(new BoundedChannelOptions(10_000)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Type, object> _sets = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _starting = new();
    private Task? _loop;

    public BatchingWriter(IServiceScopeFactory scopes, BatchingWriterOptions options)
    {
        _scopes = scopes;
        _options = options;
    }

    /// <summary>
    /// Whether a write asked for on <paramref name="caller"/>'s context may join a batch: not when the caller has a
    /// transaction open (an import's chunk: its rows commit with it) or changes of its own waiting to be saved with the
    /// write (a 回头看 record, an extension's answer). Such a write is made on the caller's context, as before.
    /// </summary>
    public static bool MayBatch(DubanDbContext caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return !caller.InUse || (caller.Database.CurrentTransaction is null && !caller.ChangeTracker.HasChanges());
    }

    /// <summary>Writes committed so far, and the batches that held them (for tests and the benchmark).</summary>
    public long Written { get; private set; }

    public long Batches { get; private set; }

    /// <summary>Of <see cref="Written"/>, the items of set writes written several at a time, by one call.</summary>
    public long WrittenTogether { get; private set; }

    /// <summary>
    /// Runs <paramref name="write"/> in the next batch and returns its result once the batch has committed. The write
    /// gets the batch's context with an empty change tracker and may read, add and save as on its own (the writer's
    /// savepoint holds the whole write, statements outside SaveChanges included; EF's savepoint around each save keeps
    /// a failed save from aborting the batch on PostgreSQL, so the write may still read after catching it). It must not
    /// keep the context or its entities. The audit trail names the caller's <see cref="AuditActor"/>.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The process is stopping.</exception>
    public async Task<T> WriteAsync<T>(Func<DubanDbContext, CancellationToken, Task<T>> write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        return await EnqueueAsync<T>(new Job(async (db, ct) => await write(db, ct), AuditActor.Current), cancellationToken);
    }

    private async Task<T> EnqueueAsync<T>(Job job, CancellationToken cancellationToken)
    {
        EnsureStarted();
        if (!_queue.Writer.TryWrite(job))
        {
            try
            {
                await _queue.Writer.WriteAsync(job, cancellationToken);
            }
            catch (ChannelClosedException)
            {
                throw new ObjectDisposedException(nameof(BatchingWriter), "Duban is stopping; the write was not made.");
            }
        }

        // Once queued the write is made even if the caller goes away, as a commit already under way would be.
        return (T)(await job.Done.Task)!;
    }

    /// <summary>
    /// <see cref="WriteAsync{T}"/> for an item of a set write: queued beside other callers' items of the same
    /// <paramref name="set"/> and actor, they are written with one call of <see cref="ISetWrite{TItem,TResult}.WriteAsync"/>
    /// under one savepoint. Should that fail (a key or code taken meanwhile), it is rolled back and each item is written
    /// alone under its own savepoint, so only the failing item's caller hears of it.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The process is stopping.</exception>
    public Task<TResult> WriteAsync<TItem, TResult>(ISetWrite<TItem, TResult> set, TItem item, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(set);
        return EnqueueAsync<TResult>(new Job(async (db, ct) => (await set.WriteAsync(db, [item], ct))[0], AuditActor.Current)
        {
            Set = set,
            Item = item,
            WriteMany = async (db, items, ct) => [.. (await set.WriteAsync(db, [.. items.Cast<TItem>()], ct)).Cast<object?>()],
        }, cancellationToken);
    }

    /// <summary>This writer's one instance of a set write (items are grouped by instance), made on first use.</summary>
    public TSet SetWrite<TSet>(Func<TSet> create)
        where TSet : class
    {
        ArgumentNullException.ThrowIfNull(create);
        return (TSet)_sets.GetOrAdd(typeof(TSet), _ => create());
    }

    private void EnsureStarted()
    {
        if (_loop is not null)
        {
            return;
        }

        lock (_starting)
        {
            _loop ??= Task.Run(() => RunAsync(_stopping.Token));
        }
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        var reader = _queue.Reader;
        var batch = new List<Job>(_options.MaxBatch);
        bool Full() => batch.Count >= _options.MaxBatch;
        void Take()
        {
            while (!Full() && reader.TryRead(out var job))
            {
                batch.Add(job);
            }
        }

        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            Take();
            if (!Full() && _options.MaxWait > TimeSpan.Zero)
            {
                using var wait = new CancellationTokenSource(_options.MaxWait);
                try
                {
                    while (!Full() && await reader.WaitToReadAsync(wait.Token))
                    {
                        Take();
                    }
                }
                catch (OperationCanceledException) when (wait.IsCancellationRequested)
                {
                    // waited long enough: commit what there is
                }
            }

            await CommitAsync(batch, stopping);
            batch.Clear();
        }
    }

    /// <summary>One transaction for the batch, a savepoint for each write; every caller answered after the commit.</summary>
    private async Task CommitAsync(List<Job> batch, CancellationToken stopping)
    {
        var results = new object?[batch.Count];
        var errors = new Exception?[batch.Count];
        var together = 0;
        try
        {
            await using var scope = _scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<DubanDbContext>();
            using var turn = await WriteTurns.TakeAsync(db, stopping);
            await using var transaction = await db.Database.BeginTransactionAsync(stopping);
            for (var i = 0; i < batch.Count;)
            {
                var (start, run) = (i, SetRun(batch, i));
                if (run > 1 && await TryAsync(db, transaction, batch[start].Actor, async ct =>
                    {
                        var many = await batch[start].WriteMany!(db, [.. batch.GetRange(start, run).Select(j => j.Item)], ct);
                        for (var j = 0; j < run; j++)
                        {
                            results[start + j] = many[j];
                        }
                    }, stopping) is null)
                {
                    i += run;
                    together += run;
                    continue;
                }

                // Alone: a write of its own kind, or each item of a set write that failed together.
                for (var end = i + run; i < end; i++)
                {
                    var k = i;
                    errors[k] = await TryAsync(db, transaction, batch[k].Actor, async ct => results[k] = await batch[k].Write(db, ct), stopping);
                }
            }

            await transaction.CommitAsync(stopping);
            Written += errors.Count(e => e is null);
            WrittenTogether += together;
            Batches++;
            BatchSize.Record(batch.Count);
        }
        catch (Exception e)
        {
            // Nothing of the batch is on disk: every caller hears why (a busy database is a 503 at the edge).
            Array.Fill(errors, e);
        }

        for (var i = 0; i < batch.Count; i++)
        {
            if (errors[i] is { } error)
            {
                batch[i].Done.TrySetException(error);
            }
            else
            {
                batch[i].Done.TrySetResult(results[i]);
            }
        }
    }

    /// <summary>How many jobs from <paramref name="start"/> on are items of one set write by one actor (at least 1).</summary>
    private static int SetRun(List<Job> batch, int start)
    {
        var end = start + 1;
        if (batch[start].Set is { } set)
        {
            while (end < batch.Count && ReferenceEquals(batch[end].Set, set) && batch[end].Actor == batch[start].Actor)
            {
                end++;
            }
        }

        return end - start;
    }

    /// <summary>Runs <paramref name="write"/> under a savepoint as <paramref name="actor"/>: released when it succeeds,
    /// rolled back (its audit records too) when it throws. Null, or what it threw.</summary>
    private static async Task<Exception?> TryAsync(DubanDbContext db, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction transaction,
        AuditActor actor, Func<CancellationToken, Task> write, CancellationToken stopping)
    {
        using var named = AuditActor.Use(actor);
        await transaction.CreateSavepointAsync(Savepoint, stopping);
        var mark = AuditTrail.Mark(db);
        try
        {
            await write(stopping);
            await transaction.ReleaseSavepointAsync(Savepoint, stopping);
            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException || !stopping.IsCancellationRequested)
        {
            await transaction.RollbackToSavepointAsync(Savepoint, stopping);
            AuditTrail.RollBack(db, mark);
            return e;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_loop is not null)
        {
            // What is queued is still written: its callers are waiting for the answer.
            await _loop.WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        await _stopping.CancelAsync();
        _stopping.Dispose();
    }

    private sealed record Job(Func<DubanDbContext, CancellationToken, Task<object?>> Write, AuditActor Actor)
    {
        public TaskCompletionSource<object?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>The set write this job is an item of (its identity groups jobs), else null.</summary>
        public object? Set { get; init; }

        public object? Item { get; init; }

        /// <summary>The set write over several jobs' items, results in their order.</summary>
        public Func<DubanDbContext, IReadOnlyList<object?>, CancellationToken, Task<IReadOnlyList<object?>>>? WriteMany { get; init; }
    }
}
