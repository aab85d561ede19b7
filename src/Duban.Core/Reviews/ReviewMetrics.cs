using System.Globalization;

namespace Duban.Reviews;

/// <summary>The review metrics, each defined once in docs/METRICS.md; the order is the order of a review's columns.</summary>
public enum Metric
{
    /// <summary>交办数.</summary>
    Assigned,

    /// <summary>按时签收率.</summary>
    OnTimeAcknowledgeRate,

    /// <summary>按时反馈率.</summary>
    OnTimeFeedbackRate,

    /// <summary>按时办结率.</summary>
    OnTimeCompleteRate,

    /// <summary>延期内办结数.</summary>
    CompletedWithinExtension,

    /// <summary>超期件数.</summary>
    Overdue,

    /// <summary>解决率.</summary>
    ResolutionRate,

    /// <summary>提速率.</summary>
    SpeedUpRate,

    /// <summary>满意率.</summary>
    SatisfactionRate,

    /// <summary>退回数.</summary>
    Returned,

    /// <summary>转办数.</summary>
    Transferred,

    /// <summary>重办数.</summary>
    Redone,

    /// <summary>回头看反弹数.</summary>
    Rebounds,

    /// <summary>问责条数.</summary>
    Accountability,

    /// <summary>平均办结用时 (working days).</summary>
    AverageWorkingDays,
}

/// <summary>What a metric is and how to show it.</summary>
public static class Metrics
{
    /// <summary>The Chinese name, as column heads and bulletins print it.</summary>
    public static string Label(Metric metric) => metric switch
    {
        Metric.Assigned => "交办数",
        Metric.OnTimeAcknowledgeRate => "按时签收率",
        Metric.OnTimeFeedbackRate => "按时反馈率",
        Metric.OnTimeCompleteRate => "按时办结率",
        Metric.CompletedWithinExtension => "延期内办结数",
        Metric.Overdue => "超期件数",
        Metric.ResolutionRate => "解决率",
        Metric.SpeedUpRate => "提速率",
        Metric.SatisfactionRate => "满意率",
        Metric.Returned => "退回数",
        Metric.Transferred => "转办数",
        Metric.Redone => "重办数",
        Metric.Rebounds => "回头看反弹数",
        Metric.Accountability => "问责条数",
        Metric.AverageWorkingDays => "平均办结用时（工作日）",
    };

    /// <summary>The key used in the API and addresses (camelCase of the name).</summary>
    public static string Key(Metric metric) => JsonNamingKey(metric.ToString());

    /// <summary>Whether the metric is a share between 0 and 1.</summary>
    public static bool IsRate(Metric metric) => metric is Metric.OnTimeAcknowledgeRate or Metric.OnTimeFeedbackRate
        or Metric.OnTimeCompleteRate or Metric.ResolutionRate or Metric.SpeedUpRate or Metric.SatisfactionRate;

    /// <summary>A value as a review prints it: rates as 96.5%, days with one decimal, counts whole; no value as "—".</summary>
    public static string Format(Metric metric, double? value) => value switch
    {
        null => "—",
        { } v when IsRate(metric) => (v * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%",
        { } v when metric == Metric.AverageWorkingDays => v.ToString("0.0", CultureInfo.InvariantCulture),
        { } v => v.ToString("0", CultureInfo.InvariantCulture),
    };

    /// <summary>The counters a matter must have (non-zero) to be behind a metric's number: the denominator of a rate, the
    /// count itself otherwise. Empty for the two kept outside the counters (rebounds, accountability entries).</summary>
    public static IReadOnlyList<Fact> Behind(Metric metric) => metric switch
    {
        Metric.Assigned => [Fact.Assigned],
        Metric.OnTimeAcknowledgeRate => StageFacts(TimeLimits.Stage.Acknowledge),
        Metric.OnTimeFeedbackRate => StageFacts(TimeLimits.Stage.Feedback),
        Metric.OnTimeCompleteRate or Metric.ResolutionRate => StageFacts(TimeLimits.Stage.Complete),
        Metric.CompletedWithinExtension => [Fact.CompleteWithinExtension],
        Metric.Overdue => [Fact.CompleteLate, Fact.CompletePending],
        Metric.SpeedUpRate or Metric.AverageWorkingDays => [Fact.CompleteOnTime, Fact.CompleteWithinExtension, Fact.CompleteLate],
        Metric.SatisfactionRate => [Fact.RatedSatisfied, Fact.RatedBasically, Fact.RatedDissatisfied],
        Metric.Returned => [Fact.Returned],
        Metric.Transferred => [Fact.TransferredOut],
        Metric.Redone => [Fact.Redone],
        Metric.Rebounds or Metric.Accountability => [],
    };

    private static Fact[] StageFacts(TimeLimits.Stage stage) =>
        [.. Enum.GetValues<StageOutcome>().Select(o => UnitFacts.Outcome(stage, o))];

    /// <summary>The metric whose key is given, if any.</summary>
    public static Metric? ByKey(string? key) =>
        Enum.GetValues<Metric>().Where(m => string.Equals(Key(m), key?.Trim(), StringComparison.OrdinalIgnoreCase)).Select(m => (Metric?)m).FirstOrDefault();

    private static string JsonNamingKey(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}

/// <summary>
/// One unit's metrics over a period, from its summed counters (<see cref="UnitFacts"/>, pending counted only where the
/// due date has passed) and the counts kept elsewhere (回头看 rebounds, accountability entries). Rates whose
/// denominator is zero are null: shown "—", never 0.
/// </summary>
public sealed record UnitMetrics
{
    /// <summary>The counters behind the metrics (for the drill-down and the bulletin's explanations).</summary>
    public required UnitFacts Facts { get; init; }

    /// <summary>回头看 rebounds.</summary>
    public long Rebounds { get; init; }

    /// <summary>Accountability entries filed.</summary>
    public long AccountabilityEntries { get; init; }

    /// <summary>Metrics from summed counters whose Pending values count only milestones whose due date has passed.</summary>
    public static UnitMetrics From(UnitFacts facts, long rebounds = 0, long accountability = 0) =>
        new() { Facts = facts, Rebounds = rebounds, AccountabilityEntries = accountability };

    /// <summary>Milestones of a stage decided in the period: met, or due and not met.</summary>
    public long Decided(TimeLimits.Stage stage) =>
        Facts[UnitFacts.Outcome(stage, StageOutcome.OnTime)] + Facts[UnitFacts.Outcome(stage, StageOutcome.WithinExtension)]
        + Facts[UnitFacts.Outcome(stage, StageOutcome.Late)] + Facts[UnitFacts.Outcome(stage, StageOutcome.Pending)];

    /// <summary>Completions reported (on time, within extension or late).</summary>
    public long Completed =>
        Facts[Fact.CompleteOnTime] + Facts[Fact.CompleteWithinExtension] + Facts[Fact.CompleteLate];

    /// <summary>Ratings given.</summary>
    public long Rated => Facts[Fact.RatedSatisfied] + Facts[Fact.RatedBasically] + Facts[Fact.RatedDissatisfied];

    /// <summary>A metric's value; null for a rate or an average with nothing to divide by.</summary>
    public double? Value(Metric metric) => metric switch
    {
        Metric.Assigned => Facts[Fact.Assigned],
        Metric.OnTimeAcknowledgeRate => Share(Facts[Fact.AcknowledgeOnTime], Decided(TimeLimits.Stage.Acknowledge)),
        Metric.OnTimeFeedbackRate => Share(Facts[Fact.FeedbackOnTime], Decided(TimeLimits.Stage.Feedback)),
        Metric.OnTimeCompleteRate => Share(Facts[Fact.CompleteOnTime], Decided(TimeLimits.Stage.Complete)),
        Metric.CompletedWithinExtension => Facts[Fact.CompleteWithinExtension],
        Metric.Overdue => Facts[Fact.CompleteLate] + Facts[Fact.CompletePending],
        Metric.ResolutionRate => Share(Facts[Fact.Resolved], Decided(TimeLimits.Stage.Complete)),
        Metric.SpeedUpRate => Share(Facts[Fact.SpedUp], Completed),
        Metric.SatisfactionRate => Share(Facts[Fact.RatedSatisfied] + Facts[Fact.RatedBasically], Rated),
        Metric.Returned => Facts[Fact.Returned],
        Metric.Transferred => Facts[Fact.TransferredOut],
        Metric.Redone => Facts[Fact.Redone],
        Metric.Rebounds => Rebounds,
        Metric.Accountability => AccountabilityEntries,
        Metric.AverageWorkingDays => Completed == 0 ? null : Math.Round((double)Facts[Fact.CompletionWorkingDays] / Completed, 1),
    };

    /// <summary>True when nothing at all happened to the unit in the period.</summary>
    public bool IsEmpty => Facts.IsZero && Rebounds == 0 && AccountabilityEntries == 0;

    private static double? Share(long part, long whole) => whole == 0 ? null : (double)part / whole;
}
