using System.Collections.Concurrent;
using System.Threading.Channels;
using Duban.Data;
using Duban.Matters;

namespace Duban.Web.Jobs;

/// <summary>An uploaded file to import in the background, under a batch the page polls.</summary>
public sealed record ImportJob(long BatchId, string Path, string FileName, string? Sheet, IReadOnlyList<string> Map, AppealImportOptions Options, Actor Actor);

/// <summary>
/// Runs web imports one at a time off the request: the page starts a batch and polls its progress, which this
/// worker writes to the batch row about once a second. A whole-file refusal is recorded as the batch's error.
/// An upload is deleted once its import finishes or fails; after a dry run it is kept, with the mapping checked, so
/// that "按此映射导入" can import the same file (<see cref="TakeCheckedAsync"/>). Uploads left over (a dry run never
/// followed, a restart) are swept at start-up once a day old.
/// </summary>
public sealed class ImportWorker(IServiceScopeFactory scopes, TimeProvider clock, ILogger<ImportWorker> logger) : BackgroundService
{
    /// <summary>Dry runs remembered for a follow-up import; the oldest are forgotten (and their files deleted) past this.</summary>
    private const int MaxChecked = 100;

    /// <summary>Files looked at per start-up sweep.</summary>
    private const int MaxSwept = 1000;

    private static readonly TimeSpan UploadLifetime = TimeSpan.FromDays(1);

    private readonly Channel<ImportJob> _queue = Channel.CreateBounded<ImportJob>(16);
    private readonly ConcurrentDictionary<long, ImportJob> _checked = new();

    /// <summary>Where uploads wait for their import.</summary>
    public static string Folder { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "duban-imports");

    /// <summary>Imports waiting to run (a metric).</summary>
    public int Queued => _queue.Reader.Count;

    public ValueTask EnqueueAsync(ImportJob job, CancellationToken cancellationToken) => _queue.Writer.WriteAsync(job, cancellationToken);

    /// <summary>Whether a finished dry run of this actor's can be imported as checked (its file is still here).</summary>
    public bool HasChecked(long batchId, Actor actor) =>
        _checked.TryGetValue(batchId, out var job) && job.Actor.Id == actor?.Id && File.Exists(job.Path);

    /// <summary>按此映射导入: queues the import of a dry run's file with the same sheet, mapping and kind, under a new
    /// batch; null when the dry run is unknown here (another person's, too old, or the server restarted since).</summary>
    public async Task<long?> TakeCheckedAsync(long dryRunBatchId, Actor actor, ImportRuns batches, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(batches);
        if (!HasChecked(dryRunBatchId, actor) || !_checked.TryRemove(dryRunBatchId, out var job))
        {
            return null;
        }

        var options = job.Options with { DryRun = false };
        var id = await batches.StartAsync(job.FileName, options, actor, cancellationToken);
        await EnqueueAsync(job with { BatchId = id, Options = options }, cancellationToken);
        return id;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        SweepOldUploads();
        await foreach (var job in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            await using var scope = scopes.CreateAsyncScope();
            var batches = scope.ServiceProvider.GetRequiredService<ImportRuns>();
            var keep = false;
            try
            {
                using var actor = AuditActor.Use(new AuditActor(job.Actor.Id, job.Actor.Name, job.Actor.UnitId)); // the person who started it
                var report = await RunAsync(job, stoppingToken);
                await batches.FinishAsync(job.BatchId, report, null, stoppingToken);
                keep = job.Options.DryRun;
            }
            catch (ValidationFailedException ex)
            {
                await batches.FinishAsync(job.BatchId, null, string.Join(" ", ex.Errors.SelectMany(e => e.Value)), stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Import batch {Batch} failed", job.BatchId);
                await batches.FinishAsync(job.BatchId, null, "导入意外中止，已保存的行见报告；请重新导入（不会重复）。", stoppingToken);
            }

            if (keep)
            {
                Remember(job);
            }
            else
            {
                Delete(job.Path);
            }
        }
    }

    private void Remember(ImportJob job)
    {
        _checked[job.BatchId] = job;
        foreach (var old in _checked.Keys.Order().Take(Math.Max(0, _checked.Count - MaxChecked)).ToList())
        {
            if (_checked.TryRemove(old, out var forgotten) && forgotten.Path != job.Path)
            {
                Delete(forgotten.Path);
            }
        }
    }

    /// <summary>Deletes uploads older than a day (a dry run never followed by its import, or a restart in between).</summary>
    private void SweepOldUploads()
    {
        if (!Directory.Exists(Folder))
        {
            return;
        }

        var before = clock.GetUtcNow().UtcDateTime - UploadLifetime;
        var deleted = 0;
        foreach (var file in Directory.EnumerateFiles(Folder).Take(MaxSwept))
        {
            if (File.GetLastWriteTimeUtc(file) < before && Delete(file))
            {
                deleted++;
            }
        }

        if (deleted > 0)
        {
            logger.LogInformation("Import uploads: deleted {Count} left over for more than a day in {Folder}", deleted, Folder);
        }
    }

    private bool Delete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (IOException ex)
        {
            logger.LogWarning(ex, "Could not delete the import upload {Path}", path);
        }
        catch (UnauthorizedAccessException ex)
        {
            logger.LogWarning(ex, "Could not delete the import upload {Path}", path);
        }

        return false;
    }

    private async Task<AppealImportReport> RunAsync(ImportJob job, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        await using var progressScope = scopes.CreateAsyncScope();
        var batches = progressScope.ServiceProvider.GetRequiredService<ImportRuns>();
        await using var stream = File.OpenRead(job.Path);
        var sheet = Spreadsheet.Open(stream, job.FileName, job.Sheet);
        var mapping = ColumnMapping.Guess(sheet.Header, job.Map);
        var latest = new LatestProgress();
        var run = scope.ServiceProvider.GetRequiredService<AppealImport>().RunAsync(sheet, mapping, job.Options, job.Actor, latest, cancellationToken);
        while (await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(1), clock, cancellationToken)) != run)
        {
            if (latest.Value is { } value)
            {
                await batches.ProgressAsync(job.BatchId, value, cancellationToken);
            }
        }

        return await run;
    }

    private sealed class LatestProgress : IProgress<ImportProgress>
    {
        public ImportProgress? Value { get; private set; }

        public void Report(ImportProgress value) => Value = value;
    }
}
