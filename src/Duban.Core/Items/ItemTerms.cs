using System.Globalization;

namespace Duban.Items;

/// <summary>The registers (台账) a work item belongs to.</summary>
public enum ItemRegister
{
    /// <summary>重点工作 (wire key <c>key-work</c>).</summary>
    KeyWork,

    /// <summary>重大项目 (wire key <c>project</c>).</summary>
    Project,

    /// <summary>改革事项 (wire key <c>reform</c>).</summary>
    Reform,

    /// <summary>会议议定事项 (wire key <c>meeting</c>).</summary>
    Meeting,
}

/// <summary>The wire keys of <see cref="ItemRegister"/>: key-work, project, reform, meeting.</summary>
public static class ItemRegisters
{
    /// <summary>The wire key of a register.</summary>
    public static string Key(ItemRegister register) => register switch
    {
        ItemRegister.KeyWork => "key-work",
        ItemRegister.Project => "project",
        ItemRegister.Reform => "reform",
        ItemRegister.Meeting => "meeting",
    };

    /// <summary>Reads a wire key (case-insensitive).</summary>
    public static bool TryParse(string? text, out ItemRegister register)
    {
        foreach (var candidate in Enum.GetValues<ItemRegister>())
        {
            if (string.Equals(text?.Trim(), Key(candidate), StringComparison.OrdinalIgnoreCase))
            {
                register = candidate;
                return true;
            }
        }

        register = default;
        return false;
    }
}

/// <summary>The three colours of the 三色督办单, best first.</summary>
public enum Colour
{
    /// <summary>绿: on track.</summary>
    Green,

    /// <summary>黄: progress lags the time elapsed, or a report is late.</summary>
    Yellow,

    /// <summary>红: a node is overdue.</summary>
    Red,
}

/// <summary>How often a work item reports.</summary>
public enum CycleKind
{
    /// <summary>每周, on a weekday.</summary>
    Weekly,

    /// <summary>每月, on a day of the month.</summary>
    Monthly,
}

/// <summary>
/// A reporting cycle (填报周期): weekly on <see cref="Day"/> = 1 (Monday) … 7 (Sunday), or monthly on day <see cref="Day"/>
/// = 1–31 (a month without that day reports on its last day). Report dates are calendar dates: holidays do not move them.
/// </summary>
/// <param name="Kind">Weekly or monthly.</param>
/// <param name="Day">The weekday (1–7) or the day of the month (1–31).</param>
public sealed record ReportCycle(CycleKind Kind, int Day)
{
    /// <summary>Whether the day fits the kind.</summary>
    public bool IsValid => Kind switch
    {
        CycleKind.Weekly => Day is >= 1 and <= 7,
        CycleKind.Monthly => Day is >= 1 and <= 31,
    };

    /// <summary>The first report date strictly after <paramref name="date"/>.</summary>
    public DateOnly NextAfter(DateOnly date)
    {
        if (!IsValid)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"Invalid cycle {Kind} {Day}."));
        }

        if (Kind == CycleKind.Weekly)
        {
            var target = (DayOfWeek)(Day % 7); // 7 = Sunday = 0
            var days = ((int)target - (int)date.DayOfWeek + 7) % 7;
            return date.AddDays(days == 0 ? 7 : days);
        }

        var inMonth = On(date.Year, date.Month);
        if (inMonth > date)
        {
            return inMonth;
        }

        var next = date.AddMonths(1);
        return On(next.Year, next.Month);
    }

    /// <summary>The Chinese wording: 每周五、每月25日.</summary>
    public string Label => Kind switch
    {
        CycleKind.Weekly => "每周" + "一二三四五六日"[Day - 1],
        CycleKind.Monthly => string.Create(CultureInfo.InvariantCulture, $"每月{Day}日"),
    };

    private DateOnly On(int year, int month) => new(year, month, Math.Min(Day, DateTime.DaysInMonth(year, month)));
}

/// <summary>A node as planned: its name and the date it is due by (24:00 Beijing time of that date).</summary>
/// <param name="Name">立项, 开工, 主体完工…</param>
/// <param name="Date">The date.</param>
public sealed record PlannedNode(string Name, DateOnly Date);

/// <summary>Settings for work items.</summary>
public sealed record ItemOptions
{
    /// <summary>How long before a node's due instant it shows as due-soon (临期).</summary>
    public TimeLimits.TimeLimit NodeDueSoon { get; init; } = TimeLimits.TimeLimit.WorkingDays(3);

    /// <summary>How long before a report's due instant it shows as due-soon.</summary>
    public TimeLimits.TimeLimit ReportDueSoon { get; init; } = TimeLimits.TimeLimit.WorkingDays(1);

    /// <summary>How many percentage points reported progress may lag the expected progress before the item turns yellow.</summary>
    public int Tolerance { get; init; } = 10;

    /// <summary>The most nodes one plan holds.</summary>
    public int MaxNodes { get; init; } = 50;

    /// <summary>The longest node name.</summary>
    public int MaxNodeName { get; init; } = 100;
}
