using Duban.Calendar;

namespace Duban.TimeLimits;

/// <summary>The stages of the clock every matter runs on.</summary>
public enum Stage
{
    /// <summary>签收/启动: the lead unit takes the matter on.</summary>
    Acknowledge,

    /// <summary>首次反馈: the first progress report.</summary>
    Feedback,

    /// <summary>办结: completion reported.</summary>
    Complete,

    /// <summary>时间节点: a named, dated node of a work item's plan (numbered from 1).</summary>
    Node,

    /// <summary>进度填报: the next progress report a work item's reporting cycle asks for (numbered by its ordinal).</summary>
    Report,
}

/// <summary>Which stages belong to the 13710 clock and which to a work item's plan.</summary>
public static class StageKinds
{
    /// <summary>The stages a time-limit profile sets (签收, 首次反馈, 办结), in order.</summary>
    public static IReadOnlyList<Stage> Clock { get; } = [Stage.Acknowledge, Stage.Feedback, Stage.Complete];

    /// <summary>True for the 13710 stages; false for a work item's nodes and report milestones.</summary>
    public static bool IsClock(this Stage stage) => stage is Stage.Acknowledge or Stage.Feedback or Stage.Complete;
}

/// <summary>One stage's limit within a profile.</summary>
/// <param name="Stage">The stage.</param>
/// <param name="Limit">The limit, counted from the assignment.</param>
/// <param name="ComplexLimit">The limit for a matter marked complex, when it differs.</param>
/// <param name="DueSoonWindow">How long before the due instant the milestone shows as due-soon (临期).</param>
public sealed record StageLimit(Stage Stage, TimeLimit Limit, TimeLimit? ComplexLimit, TimeLimit DueSoonWindow)
{
    /// <summary>The limit that applies to a matter.</summary>
    public TimeLimit LimitFor(bool complex) => complex && ComplexLimit is { } c ? c : Limit;
}

/// <summary>A milestone as scheduled: when it falls due and when it turns due-soon.</summary>
/// <param name="Stage">The stage.</param>
/// <param name="DueAt">The due instant.</param>
/// <param name="DueSoonAt">When the due-soon window opens.</param>
/// <param name="IsProvisional">True when a year without a holiday notice was counted.</param>
public sealed record ScheduledMilestone(Stage Stage, DateTimeOffset DueAt, DateTimeOffset DueSoonAt, bool IsProvisional)
{
    /// <summary>The node number: 0 for the 13710 stages, the node's number for <see cref="Stage.Node"/>, the report's
    /// ordinal for <see cref="Stage.Report"/>. A milestone is identified by (Stage, Node).</summary>
    public int Node { get; init; }

    /// <summary>The node's name (立项, 开工…); null for the 13710 stages.</summary>
    public string? Name { get; init; }
}

/// <summary>
/// A named list of stage limits (时限规则). The default <c>13710</c>: acknowledge within 1 working day, first
/// feedback within 3, completion within 7, or 10 for a complex matter.
/// </summary>
/// <param name="Name">The key used in the API and configuration, e.g. <c>13710</c>.</param>
/// <param name="DisplayName">The name shown to people.</param>
/// <param name="Stages">The stage limits, one per <see cref="Stage"/>.</param>
public sealed record TimeLimitProfile(string Name, string DisplayName, IReadOnlyList<StageLimit> Stages)
{
    /// <summary>The name of the default profile.</summary>
    public const string DefaultName = "13710";

    /// <summary>13710: 1 working day to acknowledge, 3 to first feedback, 7 to complete (10 if complex).</summary>
    public static TimeLimitProfile Standard13710 { get; } = new(DefaultName, "13710 限时办结", [
        new StageLimit(Stage.Acknowledge, TimeLimit.WorkingDays(1), null, TimeLimit.Hours(4)),
        new StageLimit(Stage.Feedback, TimeLimit.WorkingDays(3), null, TimeLimit.WorkingDays(1)),
        new StageLimit(Stage.Complete, TimeLimit.WorkingDays(7), TimeLimit.WorkingDays(10), TimeLimit.WorkingDays(1)),
    ]);

    /// <summary>Urgent matters, in hours: acknowledge within 2, first feedback within 12, complete within 48.</summary>
    public static TimeLimitProfile Urgent { get; } = new("urgent", "紧急件（按小时）", [
        new StageLimit(Stage.Acknowledge, TimeLimit.Hours(2), null, TimeLimit.Hours(1)),
        new StageLimit(Stage.Feedback, TimeLimit.Hours(12), null, TimeLimit.Hours(4)),
        new StageLimit(Stage.Complete, TimeLimit.Hours(48), null, TimeLimit.Hours(12)),
    ]);

    /// <summary>
    /// 13710 as places that give a major, complex matter a month (一个月重大复杂): 1 working day to study and hand on
    /// (研究转办), 3 to feed back, 7 for an ordinary problem, 30 calendar days for a matter marked complex.
    /// </summary>
    public static TimeLimitProfile MonthForComplex { get; } = new("13710-month", "13710（重大复杂问题一个月）", [
        new StageLimit(Stage.Acknowledge, TimeLimit.WorkingDays(1), null, TimeLimit.Hours(4)),
        new StageLimit(Stage.Feedback, TimeLimit.WorkingDays(3), null, TimeLimit.WorkingDays(1)),
        new StageLimit(Stage.Complete, TimeLimit.WorkingDays(7), TimeLimit.CalendarDays(30), TimeLimit.WorkingDays(2)),
    ]);

    /// <summary>
    /// 13710 counted in calendar days (按自然日), as some counties read it: 1, 3, 7 and 10 days; a limit that ends on a
    /// day off still moves to the next working day.
    /// </summary>
    public static TimeLimitProfile CalendarDays13710 { get; } = new("13710-days", "13710（按自然日）", [
        new StageLimit(Stage.Acknowledge, TimeLimit.CalendarDays(1), null, TimeLimit.Hours(4)),
        new StageLimit(Stage.Feedback, TimeLimit.CalendarDays(3), null, TimeLimit.CalendarDays(1)),
        new StageLimit(Stage.Complete, TimeLimit.CalendarDays(7), TimeLimit.CalendarDays(10), TimeLimit.CalendarDays(1)),
    ]);

    /// <summary>
    /// 信访事项 under the 信访工作条例 (2022): 15 days to tell the petitioner whether it is accepted (受理告知), a first
    /// reply on progress within 30, a decision (办理意见) within 60 days of acceptance; 90 when marked complex, standing
    /// for the 30-day extension the regulation allows.
    /// </summary>
    public static TimeLimitProfile Petition { get; } = new("petition", "信访事项（15/60 日）", [
        new StageLimit(Stage.Acknowledge, TimeLimit.CalendarDays(15), null, TimeLimit.CalendarDays(3)),
        new StageLimit(Stage.Feedback, TimeLimit.CalendarDays(30), null, TimeLimit.CalendarDays(5)),
        new StageLimit(Stage.Complete, TimeLimit.CalendarDays(60), TimeLimit.CalendarDays(90), TimeLimit.CalendarDays(7)),
    ]);

    /// <summary>The profiles Duban ships, the default first; configuration may add others or replace these by name.</summary>
    public static IReadOnlyList<TimeLimitProfile> Shipped { get; } = [Standard13710, MonthForComplex, CalendarDays13710, Urgent, Petition];

    /// <summary>The limit for one stage.</summary>
    public StageLimit For(Stage stage) =>
        Stages.FirstOrDefault(s => s.Stage == stage)
        ?? throw new InvalidOperationException($"Profile {Name} has no {stage} stage.");

    /// <summary>Schedules one stage from <paramref name="start"/>, never later than <paramref name="cap"/>.</summary>
    public ScheduledMilestone ScheduleStage(Stage stage, DateTimeOffset start, bool complex, WorkingCalendar calendar, Deadline? cap = null)
    {
        var limit = For(stage);
        var due = limit.LimitFor(complex).DueFrom(start, calendar);
        if (cap is { } c && c.DueAt < due.DueAt)
        {
            due = c;
        }

        var dueSoon = limit.DueSoonWindow.WindowStartBefore(due.DueAt, calendar);
        if (dueSoon < start)
        {
            dueSoon = ChinaTime.ToLocal(start);
        }

        return new ScheduledMilestone(stage, due.DueAt, dueSoon, due.IsProvisional);
    }

    /// <summary>
    /// Schedules every stage from the assignment instant. An explicit completion deadline replaces the
    /// completion limit and caps the earlier stages.
    /// </summary>
    public IReadOnlyList<ScheduledMilestone> Schedule(DateTimeOffset start, bool complex, WorkingCalendar calendar, Deadline? completeBy = null)
    {
        var complete = completeBy is { } explicitDue
            ? new ScheduledMilestone(Stage.Complete, explicitDue.DueAt,
                Max(For(Stage.Complete).DueSoonWindow.WindowStartBefore(explicitDue.DueAt, calendar), ChinaTime.ToLocal(start)),
                explicitDue.IsProvisional)
            : ScheduleStage(Stage.Complete, start, complex, calendar);
        var cap = new Deadline(complete.DueAt, complete.IsProvisional);
        return
        [
            ScheduleStage(Stage.Acknowledge, start, complex, calendar, cap),
            ScheduleStage(Stage.Feedback, start, complex, calendar, cap),
            complete,
        ];
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    /// <summary>
    /// Builds a profile from configuration text: stage name → limit (<c>7wd</c>, <c>48h</c>…), optional complex
    /// limit and due-soon window. Every stage must be present.
    /// </summary>
    /// <exception cref="FormatException">A value is missing or unreadable; the message names the key.</exception>
    public static TimeLimitProfile FromSettings(string name, string? displayName,
        IReadOnlyDictionary<string, (string? Limit, string? ComplexLimit, string? DueSoon)> stages, string keyPrefix)
    {
        ArgumentNullException.ThrowIfNull(stages);
        var result = new List<StageLimit>();
        foreach (var stage in StageKinds.Clock)
        {
            var stageKey = stage.ToString().ToLowerInvariant();
            var entry = stages.FirstOrDefault(s => string.Equals(s.Key, stageKey, StringComparison.OrdinalIgnoreCase));
            var key = $"{keyPrefix}:{stageKey}";
            if (entry.Key is null)
            {
                throw new FormatException($"{key}: 缺少该阶段");
            }

            var limit = Read(entry.Value.Limit, $"{key}:Limit") ?? throw new FormatException($"{key}:Limit: 必填");
            var complex = Read(entry.Value.ComplexLimit, $"{key}:ComplexLimit");
            var window = Read(entry.Value.DueSoon, $"{key}:DueSoon") ?? TimeLimit.WorkingDays(1);
            result.Add(new StageLimit(stage, limit, complex, window));
        }

        return new TimeLimitProfile(name, string.IsNullOrWhiteSpace(displayName) ? name : displayName, result);
    }

    private static TimeLimit? Read(string? text, string key)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return TimeLimit.TryParse(text, out var limit)
            ? limit
            : throw new FormatException($"{key}: \"{text}\" 不是有效时限（如 7wd、15d、48h）");
    }
}
