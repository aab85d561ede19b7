using Duban.Data;
using Duban.Matters;

namespace Duban.Web.Jobs;

/// <summary>What the admin page shows of retraining: the training running now (since when, how far) and how the last
/// one ended (its summary or its error).</summary>
public sealed record TriageTrainingState(
    bool Running, DateTimeOffset? StartedAt, RetrainProgress? Progress, DateTimeOffset? FinishedAt, RetrainSummary? Summary, string? Error)
{
    public static readonly TriageTrainingState Idle = new(false, null, null, null, null, null);
}

/// <summary>
/// 重新训练 off the request, one at a time in this process: the admin page starts it and shows its progress until it
/// ends; the API joins the training running now (or starts one) and answers when it ends. At 100,000 examples a
/// training takes tens of seconds and gigabytes (docs/BENCHMARKS.md), so a second request joins the first instead of
/// running beside it. It stops with the host. The state is this process's: another instance behind a load balancer
/// shows its own, and all of them see the stored model.
/// </summary>
public sealed class TriageTraining(IServiceScopeFactory scopes, TimeProvider clock, IHostApplicationLifetime lifetime, ILogger<TriageTraining> logger)
{
    private readonly Lock _gate = new();
    private Task<RetrainSummary>? _last;
    private TriageTrainingState _state = TriageTrainingState.Idle;

    public TriageTrainingState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    /// <summary>The training started last (running or ended), or null before the first.</summary>
    public Task<RetrainSummary>? Last
    {
        get
        {
            lock (_gate)
            {
                return _last;
            }
        }
    }

    /// <summary>The training running now, or a new one. Its failure is in <see cref="State"/> as well as in the task,
    /// so a caller that does not wait loses nothing.</summary>
    public Task<RetrainSummary> StartOrJoin()
    {
        lock (_gate)
        {
            if (_last is { IsCompleted: false } running)
            {
                return running;
            }

            _state = _state with { Running = true, StartedAt = clock.GetUtcNow(), Progress = new RetrainProgress(RetrainPhase.Reading, 0, 0) };
            _last = Task.Run(RunAsync);
            _last.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            return _last;
        }
    }

    private async Task<RetrainSummary> RunAsync()
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var summary = await scope.ServiceProvider.GetRequiredService<MatterTriage>()
                .RetrainAsync(new Reporter(this), lifetime.ApplicationStopping);
            Finish(summary, null);
            return summary;
        }
        catch (RuleConflictException ex)
        {
            Finish(null, ex.Message);
            throw;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Retraining the routing model failed");
            Finish(null, "训练意外中止，已在用的模型不变；请稍后重试。");
            throw;
        }
    }

    private void Finish(RetrainSummary? summary, string? error)
    {
        lock (_gate)
        {
            _state = _state with { Running = false, Progress = null, FinishedAt = clock.GetUtcNow(), Summary = summary, Error = error };
        }
    }

    /// <summary>Keeps the furthest report: the labels train in parallel, so reports can arrive out of order.</summary>
    private sealed class Reporter(TriageTraining training) : IProgress<RetrainProgress>
    {
        public void Report(RetrainProgress value)
        {
            lock (training._gate)
            {
                if (training._state.Progress is not { } now || value.Phase > now.Phase || (value.Phase == now.Phase && value.Done > now.Done))
                {
                    training._state = training._state with { Progress = value };
                }
            }
        }
    }
}
