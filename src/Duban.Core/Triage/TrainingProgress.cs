namespace Duban.Triage;

/// <summary>How far a training is: one-versus-rest trainings done of all it will run.</summary>
public sealed record TrainingProgress(int Done, int Total);

/// <summary>Counts finished one-versus-rest trainings across the parallel labels and reports each.</summary>
internal sealed class TrainingCounter(int total, IProgress<TrainingProgress>? progress)
{
    private int _done;

    public void OneDone() => progress?.Report(new TrainingProgress(Interlocked.Increment(ref _done), total));
}
