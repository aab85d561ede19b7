using Duban.Matters;
using Duban.Triage;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>A suggested lead unit, or 不确定 (<see cref="Unknown"/>) when no model is confident enough.</summary>
/// <param name="UnitCode">The unit's code; null when unknown.</param>
/// <param name="UnitName">The unit's name; null when unknown.</param>
/// <param name="Confidence">The calibrated probability of the best unit (0 when no model has been trained).</param>
/// <param name="Trained">False when no model has been trained yet (尚未训练模型), or when the stored one cannot be used.</param>
/// <param name="Problem">Why the stored model cannot be used (a format this version does not read), asking for a
/// retrain; null otherwise.</param>
public sealed record TriageSuggestion(string? UnitCode, string? UnitName, double Confidence, bool Trained = true, string? Problem = null)
{
    public bool Unknown => UnitCode is null;
}

/// <summary>What a retraining produced.</summary>
/// <param name="ModelId">The stored model, now in use.</param>
/// <param name="Examples">The closed matters it learnt from.</param>
/// <param name="Units">The units it can suggest.</param>
/// <param name="SkippedUnits">Units with a single closed matter: too few to learn from, left out.</param>
public sealed record RetrainSummary(long ModelId, int Examples, int Units, IReadOnlyList<string> SkippedUnits);

/// <summary>Where a retraining is.</summary>
public enum RetrainPhase
{
    /// <summary>读取已办结事项.</summary>
    Reading,

    /// <summary>训练: <see cref="RetrainProgress.Done"/> of <see cref="RetrainProgress.Total"/> one-versus-rest trainings.</summary>
    Training,

    /// <summary>保存模型.</summary>
    Saving,
}

/// <summary>A retraining's progress: its phase and, while training, the label trainings done of all.</summary>
public sealed record RetrainProgress(RetrainPhase Phase, int Done, int Total);

/// <summary>The model in use: when it was trained, on how many closed matters, for how many units.</summary>
public sealed record TriageModelStatus(long ModelId, DateTimeOffset TrainedAt, int Examples, int Units);

/// <summary>The model in use by this process, reloaded when another instance (or this one) stores a newer one.</summary>
public sealed class TriageModelCache
{
    private LoadedModel? current;

    internal LoadedModel? Current
    {
        get => Volatile.Read(ref current);
        set => Volatile.Write(ref current, value);
    }

    internal sealed record LoadedModel(long Id, TriageModel Model);
}

/// <summary>
/// Learned routing (智能分流) over the app's own history: trains on closed matters (text = title and content,
/// label = the lead unit that handled it) and suggests a lead unit for a new text. People decide; this only suggests.
/// </summary>
public sealed class MatterTriage(DubanDbContext db, TriageModelCache cache, TriageOptions options, TimeProvider clock)
{
    /// <summary>Models kept in the database: the newest, and two before it for comparison.</summary>
    private const int KeptModels = 3;

    /// <summary>
    /// The suggested lead unit for an appeal or matter text (title, a line break, then the content), or
    /// <see cref="TriageSuggestion.Unknown"/> when no model is trained yet, the confidence is under the threshold
    /// (<c>Routing:Threshold</c>, or else the model's own), or the suggested unit is no longer active. A stored model
    /// this version cannot read gives <see cref="TriageSuggestion.Problem"/>, not an error. Cheap: one indexed query
    /// when the model is unchanged.
    /// </summary>
    public async Task<TriageSuggestion> SuggestAsync(string? text, CancellationToken ct = default)
    {
        TriageModel? model;
        try
        {
            model = await CurrentModelAsync(ct);
        }
        catch (FormatException e)
        {
            return new TriageSuggestion(null, null, 0, Trained: false, Problem: e.Message);
        }

        if (model is null)
        {
            return new TriageSuggestion(null, null, 0, Trained: false);
        }

        var prediction = model.Predict(text, options.Threshold ?? model.Threshold);
        if (prediction.Label is not { } code)
        {
            return new TriageSuggestion(null, null, prediction.Confidence);
        }

        var name = await db.Units.AsNoTracking().Where(u => u.Code == code && u.Active).Select(u => u.Name).FirstOrDefaultAsync(ct);
        return name is null ? new TriageSuggestion(null, null, prediction.Confidence) : new TriageSuggestion(code, name, prediction.Confidence);
    }

    /// <summary>
    /// Trains a new model on the most recently closed matters (at most <c>Routing:MaxExamples</c>) and stores it for
    /// every instance. Fewer than two units with two closed matters each is a <see cref="RuleConflictException"/>.
    /// <paramref name="progress"/> hears of each phase and, while training, of each label trained.
    /// </summary>
    public async Task<RetrainSummary> RetrainAsync(IProgress<RetrainProgress>? progress = null, CancellationToken ct = default)
    {
        progress?.Report(new RetrainProgress(RetrainPhase.Reading, 0, 0));
        var rows = await db.Matters.AsNoTracking()
            .Where(m => m.Status == MatterStatus.Closed)
            .OrderByDescending(m => m.ClosedAt).ThenByDescending(m => m.Id)
            .Take(options.MaxExamples)
            .Select(m => new { m.Title, m.Content, Unit = m.LeadUnit!.Code })
            .ToListAsync(ct);
        var counts = rows.GroupBy(r => r.Unit, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var skipped = counts.Where(c => c.Value < TriageTrainer.MinExamplesPerLabel).Select(c => c.Key).Order(StringComparer.Ordinal).ToArray();
        var examples = rows.Where(r => counts[r.Unit] >= TriageTrainer.MinExamplesPerLabel)
            .Select(r => new TriageExample(r.Title + "\n" + r.Content, r.Unit)).ToArray();
        var units = counts.Count - skipped.Length;
        if (units < 2)
        {
            throw new RuleConflictException(
                $"已办结事项不足：至少需要两个单位各办结两件才能训练（现有 {units} 个单位）");
        }

        progress?.Report(new RetrainProgress(RetrainPhase.Training, 0, 0));
        var trained = progress is null ? null : new Progress(p => progress.Report(new RetrainProgress(RetrainPhase.Training, p.Done, p.Total)));
        var model = await Task.Run(() => TriageTrainer.Train(examples, progress: trained), ct);
        progress?.Report(new RetrainProgress(RetrainPhase.Saving, 0, 0));
        using var buffer = new MemoryStream();
        model.Write(buffer);
        var record = new TriageModelRecord { TrainedAt = clock.GetUtcNow(), Examples = examples.Length, Units = units, Model = buffer.ToArray() };
        db.TriageModels.Add(record);
        var old = await db.TriageModels.OrderByDescending(m => m.Id).Skip(KeptModels - 1).Select(m => new TriageModelRecord { Id = m.Id, Model = Array.Empty<byte>() }).ToListAsync(ct);
        db.TriageModels.RemoveRange(old);
        await db.SaveChangesAsync(ct); // the new model and the pruning in one transaction
        cache.Current = new TriageModelCache.LoadedModel(record.Id, model);
        return new RetrainSummary(record.Id, examples.Length, units, skipped);
    }

    /// <summary>Passes each report on as it comes, on the reporting thread (<see cref="Progress{T}"/> would post it).</summary>
    private sealed class Progress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }

    /// <summary>The newest stored model, or null when none has been trained.</summary>
    public async Task<TriageModelStatus?> StatusAsync(CancellationToken ct = default)
    {
        var status = await db.TriageModels.AsNoTracking().OrderByDescending(m => m.Id)
            .Select(m => new TriageModelStatus(m.Id, m.TrainedAt, m.Examples, m.Units)).FirstOrDefaultAsync(ct);
        return status is null ? null : status with { TrainedAt = Calendar.ChinaTime.ToLocal(status.TrainedAt) };
    }

    private async Task<TriageModel?> CurrentModelAsync(CancellationToken ct)
    {
        var latest = await db.TriageModels.AsNoTracking().MaxAsync(m => (long?)m.Id, ct);
        if (latest is not { } id)
        {
            return null;
        }

        if (cache.Current is { } cached && cached.Id == id)
        {
            return cached.Model;
        }

        var bytes = await db.TriageModels.AsNoTracking().Where(m => m.Id == id).Select(m => m.Model).FirstOrDefaultAsync(ct);
        if (bytes is null)
        {
            return cache.Current?.Model; // pruned by a concurrent retrain: the next call finds the newer one
        }

        using var stream = new MemoryStream(bytes);
        var model = TriageModel.Read(stream);
        cache.Current = new TriageModelCache.LoadedModel(id, model);
        return model;
    }
}
