using System.Threading.Channels;
using Duban.Data.Import;
using Duban.Matters;

namespace Duban.Web.Jobs;

/// <summary>An uploaded file to import in the background, under a batch the page polls.</summary>
public sealed record ImportJob(long BatchId, string Path, string FileName, string? Sheet, IReadOnlyList<string> Map, AppealImportOptions Options, Actor Actor);

/// <summary>
/// Runs web imports one at a time off the request: the page starts a batch and polls its progress, which this
/// worker writes to the batch row about once a second. A whole-file refusal is recorded as the batch's error.
/// </summary>
public sealed class ImportWorker(IServiceScopeFactory scopes, TimeProvider clock, ILogger<ImportWorker> logger) : BackgroundService
{
    private readonly Channel<ImportJob> _queue = Channel.CreateBounded<ImportJob>(16);

    /// <summary>Where uploads wait for their import.</summary>
    public static string Folder { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "duban-imports");

    public ValueTask EnqueueAsync(ImportJob job, CancellationToken cancellationToken) => _queue.Writer.WriteAsync(job, cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var job in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            await using var scope = scopes.CreateAsyncScope();
            var batches = scope.ServiceProvider.GetRequiredService<ImportBatches>();
            try
            {
                var report = await RunAsync(job, stoppingToken);
                await batches.FinishAsync(job.BatchId, report, null, stoppingToken);
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
        }
    }

    private async Task<AppealImportReport> RunAsync(ImportJob job, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        await using var progressScope = scopes.CreateAsyncScope();
        var batches = progressScope.ServiceProvider.GetRequiredService<ImportBatches>();
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
