using System.Globalization;
using Duban.Reviews;

namespace Duban.Web.Pages.Reviews;

/// <summary>How the review pages write ranks, changes, counters and links.</summary>
public static class ReviewUi
{
    /// <summary>What a counter means for one matter in a drill-down, in the office's words (a pending milestone is only
    /// counted once it is overdue, hence 逾期未…).</summary>
    public static string Label(Fact fact) => fact switch
    {
        Fact.Assigned => "交办",
        Fact.Returned => "退回",
        Fact.TransferredOut => "转出",
        Fact.Redone => "重办",
        Fact.RatedSatisfied => "满意",
        Fact.RatedBasically => "基本满意",
        Fact.RatedDissatisfied => "不满意",
        Fact.AcknowledgeOnTime => "按时签收",
        Fact.AcknowledgeWithinExtension => "延期内签收",
        Fact.AcknowledgeLate => "超期签收",
        Fact.AcknowledgePending => "逾期未签收",
        Fact.FeedbackOnTime => "按时反馈",
        Fact.FeedbackWithinExtension => "延期内反馈",
        Fact.FeedbackLate => "超期反馈",
        Fact.FeedbackPending => "逾期未反馈",
        Fact.CompleteOnTime => "按时办结",
        Fact.CompleteWithinExtension => "延期内办结",
        Fact.CompleteLate => "超期办结",
        Fact.CompletePending => "逾期未办结",
        Fact.CompletionWorkingDays => "办结用时（工作日）",
        Fact.SpedUp => "提速办结",
        Fact.Resolved => "已解决",
    };

    /// <summary>The counters above a rate's line (or an average's total); empty for a plain count.</summary>
    public static IReadOnlyList<Fact> Numerator(Metric metric) => metric switch
    {
        Metric.OnTimeAcknowledgeRate => [Fact.AcknowledgeOnTime],
        Metric.OnTimeFeedbackRate => [Fact.FeedbackOnTime],
        Metric.OnTimeCompleteRate => [Fact.CompleteOnTime],
        Metric.ResolutionRate => [Fact.Resolved],
        Metric.SpeedUpRate => [Fact.SpedUp],
        Metric.SatisfactionRate => [Fact.RatedSatisfied, Fact.RatedBasically],
        Metric.AverageWorkingDays => [Fact.CompletionWorkingDays],
        _ => [],
    };

    /// <summary>The columns of a drill-down: the counters behind the number, the numerator's first.</summary>
    public static IReadOnlyList<Fact> Columns(Metric metric) => [.. Numerator(metric).Union(Metrics.Behind(metric))];

    /// <summary>Whether the number is a ratio (a rate, or an average over completions).</summary>
    public static bool IsRatio(Metric metric) => Metrics.IsRate(metric) || metric == Metric.AverageWorkingDays;

    /// <summary>The address of the matters behind a unit's number.</summary>
    public static string DrillLink(long unitId, ReviewPeriod period, Metric metric, FactRole role = FactRole.Lead) =>
        string.Create(CultureInfo.InvariantCulture,
            $"/Reviews/Matters?unit={unitId}&period={Uri.EscapeDataString(period.Key)}&metric={Metrics.Key(metric)}&role={(role == FactRole.Lead ? "lead" : "co")}");

    /// <summary>The review page of a period.</summary>
    public static string ReviewLink(ReviewPeriod period) => $"/Reviews?period={Uri.EscapeDataString(period.Key)}";

    /// <summary>↑2, ↓1 or —, with its colour class and what a screen reader says.</summary>
    public static (string Text, string Class, string Spoken) Change(int? change) => change switch
    {
        > 0 and var c => (string.Create(CultureInfo.InvariantCulture, $"↑{c}"), "up", string.Create(CultureInfo.InvariantCulture, $"上升{c}位")),
        < 0 and var c => (string.Create(CultureInfo.InvariantCulture, $"↓{-c}"), "down", string.Create(CultureInfo.InvariantCulture, $"下降{-c}位")),
        0 => ("—", "same", "位次不变"),
        _ => ("—", "same", "上期无排名"),
    };

    /// <summary>A score with two decimals, or —.</summary>
    public static string Score(double? score) => score is { } s ? s.ToString("0.00", CultureInfo.InvariantCulture) : "—";

    /// <summary>A rank, or —.</summary>
    public static string Rank(int? rank) => rank is { } r ? r.ToString(CultureInfo.InvariantCulture) : "—";

    /// <summary>A whole number as written in tables.</summary>
    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
