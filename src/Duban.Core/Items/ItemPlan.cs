using System.Globalization;
using Duban.Calendar;
using Duban.Matters;
using Duban.TimeLimits;

namespace Duban.Items;

/// <summary>
/// A work item's plan (节点计划), pure: the plan starts on the assignment day and ends on its last node's date; every node
/// is due at 24:00 Beijing time of its date and turns due-soon <see cref="ItemOptions.NodeDueSoon"/> before; the next
/// progress report is due at 24:00 of the cycle's next date.
/// </summary>
public static class ItemPlan
{
    /// <summary>The plan's start: the assignment day.</summary>
    public static DateOnly Start(MatterState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return ChinaTime.DateOf(state.AssignedAt);
    }

    /// <summary>The plan's end: the last node's date (null without nodes).</summary>
    public static DateOnly? End(MatterState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Milestones.Where(m => m.Stage == Stage.Node).Select(m => (DateOnly?)DayOf(m.DueAt)).Max();
    }

    /// <summary>The date a due instant belongs to (24:00 is the end of the day before).</summary>
    public static DateOnly DayOf(DateTimeOffset due) => ChinaTime.DateOf(due.AddTicks(-1));

    /// <summary>The problems with a new plan, by field (<c>plan</c>, <c>plan[2].name</c>, <c>plan[2].dueAt</c>).</summary>
    public static void Check(IReadOnlyList<PlannedNode>? plan, DateOnly start, DateOnly latest, ItemOptions options,
        Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(errors);
        if (plan is null || plan.Count == 0)
        {
            errors["plan"] = ["计划至少要有一个时间节点。"];
            return;
        }

        if (plan.Count > options.MaxNodes)
        {
            errors["plan"] = [string.Create(CultureInfo.InvariantCulture, $"时间节点不能超过 {options.MaxNodes} 个。")];
            return;
        }

        for (var i = 0; i < plan.Count; i++)
        {
            CheckNode(plan[i], start, latest, options, errors, string.Create(CultureInfo.InvariantCulture, $"plan[{i}]."));
        }
    }

    /// <summary>The problems with one node: a name, and a date from <paramref name="start"/> through <paramref name="latest"/>.</summary>
    public static void CheckNode(PlannedNode node, DateOnly start, DateOnly latest, ItemOptions options,
        Dictionary<string, string[]> errors, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrWhiteSpace(node.Name))
        {
            errors[prefix + "name"] = ["请填写节点名称。"];
        }
        else if (node.Name.Length > options.MaxNodeName)
        {
            errors[prefix + "name"] = [string.Create(CultureInfo.InvariantCulture, $"节点名称不能超过 {options.MaxNodeName} 字。")];
        }

        if (node.Date < start)
        {
            errors[prefix + "dueAt"] = [$"节点日期不能早于计划开始日 {Day(start)}。"];
        }
        else if (node.Date > latest)
        {
            errors[prefix + "dueAt"] = [$"节点日期不能晚于计划结束日 {Day(latest)}。"];
        }
    }

    /// <summary>Schedules nodes in date order (a stable sort), numbered from <paramref name="firstNumber"/>.</summary>
    public static IReadOnlyList<ScheduledMilestone> ScheduleNodes(IEnumerable<PlannedNode> plan, int firstNumber, DateTimeOffset now,
        WorkingCalendar calendar, ItemOptions options)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(options);
        return plan.OrderBy(n => n.Date)
            .Select((n, i) => Scheduled(Stage.Node, firstNumber + i, n.Name.Trim(), n.Date, options.NodeDueSoon, now, calendar))
            .ToList();
    }

    /// <summary>The report due number <paramref name="ordinal"/>: the cycle's first date after <paramref name="after"/>.</summary>
    public static ScheduledMilestone ScheduleReport(ReportCycle cycle, int ordinal, DateOnly after, DateTimeOffset now,
        WorkingCalendar calendar, ItemOptions options)
    {
        ArgumentNullException.ThrowIfNull(cycle);
        ArgumentNullException.ThrowIfNull(options);
        return Scheduled(Stage.Report, ordinal, null, cycle.NextAfter(after), options.ReportDueSoon, now, calendar);
    }

    /// <summary>
    /// The report due after a progress report at <paramref name="now"/>: counted from the open report's date when reporting
    /// early, from today when late (missed dates are not owed twice); none without a cycle.
    /// </summary>
    public static ScheduledMilestone? NextReport(MatterState state, DateTimeOffset now, WorkingCalendar calendar, ItemOptions options)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Cycle is not { } cycle)
        {
            return null;
        }

        var reports = state.Milestones.Where(m => m.Stage == Stage.Report).ToList();
        var ordinal = reports.Count == 0 ? 1 : reports.Max(m => m.Node) + 1;
        var open = reports.Where(m => m.MetAt is null).Select(m => (DateOnly?)DayOf(m.DueAt)).Min();
        var today = ChinaTime.DateOf(now);
        var after = open is { } due && due > today ? due : today;
        return ScheduleReport(cycle, ordinal, after, now, calendar, options);
    }

    private static ScheduledMilestone Scheduled(Stage stage, int number, string? name, DateOnly date, TimeLimit window,
        DateTimeOffset now, WorkingCalendar calendar)
    {
        var due = ChinaTime.EndOf(date);
        var soon = window.WindowStartBefore(due, calendar);
        return new ScheduledMilestone(stage, due, soon < now ? ChinaTime.ToLocal(now) : soon, !calendar.IsCertain(date))
        {
            Node = number,
            Name = name,
        };
    }

    /// <summary>A date as people write it: 2025年3月31日.</summary>
    public static string Day(DateOnly date) => date.ToString("yyyy年M月d日", CultureInfo.InvariantCulture);
}
