using System.Globalization;
using Duban.Matters;
using Duban.Reviews;

namespace Duban.Assessment;

/// <summary>Where a target's progress (完成数) comes from.</summary>
public enum TargetSource
{
    /// <summary>手工填报: amounts the unit (or cadre) reports with a note; only those the office confirmed count.</summary>
    Manual,

    /// <summary>包联走访: visits by the unit's people (or by the cadre) dated in the period.</summary>
    Visits,

    /// <summary>办结事项: matters the unit led whose completion falls in the period (on time, within an extension, or late).</summary>
    CompletedMatters,

    /// <summary>批量办理: similar-case batches the unit's people made in the period.</summary>
    Batches,
}

/// <summary>The state of a unit's report of progress (进度填报).</summary>
public enum TargetReportState
{
    /// <summary>待确认.</summary>
    Pending,

    /// <summary>已确认: counts towards 完成数.</summary>
    Confirmed,

    /// <summary>已退回: does not count; the reason is kept.</summary>
    Rejected,
}

/// <summary>One target's inputs to the ranking: its item, whose it is, the goal and what is done.</summary>
/// <param name="GoalId">The target (one unit or cadre × one item).</param>
/// <param name="ItemId">The item; ranks are among the targets of the same item.</param>
/// <param name="Goal">目标数, above 0.</param>
/// <param name="Done">完成数.</param>
public sealed record TargetInput(long GoalId, long ItemId, double Goal, double Done);

/// <summary>A target's progress and its rank among the targets of the same item.</summary>
/// <param name="GoalId">The target.</param>
/// <param name="Progress">完成数, 目标数, 完成率, 序时进度 and whether it lags.</param>
/// <param name="Rank">Its rank by 完成率 among the same item's targets (ties share: 1, 1, 3).</param>
public sealed record TargetStanding(long GoalId, TargetProgress Progress, int Rank);

/// <summary>The rules of quantitative targets (目标任务): checking goals and reports, the report window, ranks.</summary>
public static class Targets
{
    /// <summary>How many days after a period ends units may still report progress (and the office decide).</summary>
    public const int ReportGraceDays = 10;

    /// <summary>The longest name of a set or an item, and of a measure word.</summary>
    public const int MaxName = 100, MaxMeasure = 10, MaxNote = 2000;

    /// <summary>The Chinese name of a source.</summary>
    public static string Label(TargetSource source) => source switch
    {
        TargetSource.Manual => "手工填报",
        TargetSource.Visits => "包联走访",
        TargetSource.CompletedMatters => "办结事项",
        TargetSource.Batches => "批量办理",
        _ => source.ToString(),
    };

    /// <summary>The Chinese name of a report's state.</summary>
    public static string Label(TargetReportState state) => state switch
    {
        TargetReportState.Pending => "待确认",
        TargetReportState.Confirmed => "已确认",
        TargetReportState.Rejected => "已退回",
        _ => state.ToString(),
    };

    /// <summary>A source by its Chinese name or its wire name (manual, visits, completedMatters, batches); null when unknown.</summary>
    public static TargetSource? ParseSource(string? text)
    {
        var t = text?.Trim();
        if (string.IsNullOrEmpty(t))
        {
            return null;
        }

        foreach (var source in Enum.GetValues<TargetSource>())
        {
            if (t == Label(source) || string.Equals(t, source.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                return source;
            }
        }

        return null;
    }

    /// <summary>Whether a source can count a cadre's target: only visits and reports are a person's.</summary>
    public static bool FitsCadre(TargetSource source) => source is TargetSource.Manual or TargetSource.Visits;

    /// <summary>Why a goal is refused, in Chinese; null when it is a finite number above 0.</summary>
    public static string? GoalProblem(double goal) =>
        double.IsFinite(goal) && goal > 0 ? null : "目标数须大于 0。";

    /// <summary>Why a reported amount is refused, in Chinese; null when it is a finite number of 0 or more.</summary>
    public static string? AmountProblem(double amount) =>
        double.IsFinite(amount) && amount >= 0 ? null : "填报数量不能为负数。";

    /// <summary>The last day (Beijing date) reports and decisions are accepted for a period ending on <paramref name="to"/>.</summary>
    public static DateOnly LastReportDay(DateOnly to) => to.AddDays(ReportGraceDays);

    /// <summary>Refuses (409) a report or a decision after the period closed more than <see cref="ReportGraceDays"/> days ago.</summary>
    /// <exception cref="RuleConflictException">Today is later than the period's end plus the grace days.</exception>
    public static void EnsureOpen(ReviewPeriod period, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(period);
        if (today > LastReportDay(period.To))
        {
            throw new RuleConflictException(string.Create(CultureInfo.InvariantCulture,
                $"{period.Label}已于 {period.To:yyyy-MM-dd} 结束，填报和确认截至 {LastReportDay(period.To):yyyy-MM-dd}，现已停止。"));
        }
    }

    /// <summary>Refuses (409) a decision on a report that is no longer pending.</summary>
    /// <exception cref="RuleConflictException">The report was confirmed or rejected already.</exception>
    public static void EnsurePending(TargetReportState state)
    {
        if (state != TargetReportState.Pending)
        {
            throw new RuleConflictException($"这条填报已{Label(state)[1..]}，不能再次确认或退回。");
        }
    }

    /// <summary>Each target's progress over [from, to] as of today, ranked by 完成率 among the targets of the same item.</summary>
    public static IReadOnlyList<TargetStanding> Standings(IEnumerable<TargetInput> targets, DateOnly from, DateOnly to, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var list = targets.Select(t => (Input: t, Progress: TargetProgress.Of(t.Goal, t.Done, from, to, today))).ToList();
        var ranks = new Dictionary<long, int?>();
        foreach (var item in list.GroupBy(t => t.Input.ItemId))
        {
            foreach (var (goal, rank) in Ranking.StandardRanks(item.Select(t => (t.Input.GoalId, (double?)t.Progress.Completion))))
            {
                ranks[goal] = rank;
            }
        }

        return list.Select(t => new TargetStanding(t.Input.GoalId, t.Progress, ranks[t.Input.GoalId]!.Value)).ToList();
    }

    /// <summary>
    /// A 包联 cadre's score (0–100): the mean of what can be measured among 解决率, 满意率 and the targets' mean 完成率
    /// (each capped at 100%); null when none can.
    /// </summary>
    public static double? CadreScore(double? resolution, double? satisfaction, double? completion)
    {
        var parts = new[] { resolution, satisfaction, completion is { } c ? Math.Min(c, 1) : null }.OfType<double>().ToList();
        return parts.Count == 0 ? null : Math.Round(100 * parts.Average(), 2, MidpointRounding.AwayFromZero);
    }
}
