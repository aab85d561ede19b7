using System.Text.Json;
using Duban.Matters;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>A web import as the page shows it while it runs and after.</summary>
public sealed record ImportRunView(long Id, string FileName, bool DryRun, bool Historical, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt,
    int Done, int Saved, int Rejected, string? Error, AppealImportReport? Report)
{
    public bool Finished => FinishedAt is not null;
}

/// <summary>The rows behind a web import's progress and its kept report (导入批次).</summary>
public sealed class ImportRuns(DubanDbContext db, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<long> StartAsync(string fileName, AppealImportOptions options, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(actor);
        var batch = new ImportRun
        {
            Kind = "appeals", FileName = Path.GetFileName(fileName) is { Length: <= 260 } name ? name : "upload", DryRun = options.DryRun,
            Historical = options.Historical, ActorId = actor.Id, ActorName = actor.Name, StartedAt = clock.GetUtcNow(),
        };
        db.ImportRuns.Add(batch);
        await db.SaveChangesAsync(cancellationToken);
        return batch.Id;
    }

    public Task ProgressAsync(long id, ImportProgress progress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(progress);
        return db.ImportRuns.Where(b => b.Id == id && b.FinishedAt == null).ExecuteUpdateAsync(s => s
            .SetProperty(b => b.Done, progress.Done).SetProperty(b => b.Saved, progress.Saved).SetProperty(b => b.Rejected, progress.Rejected), cancellationToken);
    }

    /// <summary>Records the end: the report, or the reason the whole file was refused.</summary>
    public Task FinishAsync(long id, AppealImportReport? report, string? error, CancellationToken cancellationToken = default)
    {
        var json = report is null ? null : JsonSerializer.Serialize(report, Json);
        var saved = report is null ? 0 : report.DryRun ? report.Valid : report.Saved;
        return db.ImportRuns.Where(b => b.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(b => b.FinishedAt, clock.GetUtcNow()).SetProperty(b => b.Error, error).SetProperty(b => b.ReportJson, json)
            .SetProperty(b => b.Done, report == null ? 0 : report.Rows.Count).SetProperty(b => b.Saved, saved)
            .SetProperty(b => b.Rejected, report == null ? 0 : report.Rejected), cancellationToken);
    }

    /// <summary>A batch the actor started (an admin sees all).</summary>
    /// <exception cref="NotFoundException">No such batch, or someone else's.</exception>
    public async Task<ImportRunView> GetAsync(long id, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var b = await db.ImportRuns.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, cancellationToken);
        if (b is null || (b.ActorId != actor.Id && !actor.Has(Role.Admin)))
        {
            throw new NotFoundException("导入批次不存在。");
        }

        return new ImportRunView(b.Id, b.FileName, b.DryRun, b.Historical, b.StartedAt, b.FinishedAt, b.Done, b.Saved, b.Rejected, b.Error,
            b.ReportJson is null ? null : JsonSerializer.Deserialize<AppealImportReport>(b.ReportJson, Json));
    }
}
