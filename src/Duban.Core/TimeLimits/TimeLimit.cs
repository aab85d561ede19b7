using System.Globalization;
using Duban.Calendar;

namespace Duban.TimeLimits;

/// <summary>How a time limit is measured.</summary>
public enum LimitUnit
{
    /// <summary>Working days on the China calendar (工作日).</summary>
    WorkingDays,

    /// <summary>Calendar days (自然日).</summary>
    CalendarDays,

    /// <summary>Elapsed hours (小时), for urgent matters.</summary>
    Hours,
}

/// <summary>A due instant, and whether a day without a holiday notice was counted to reach it.</summary>
/// <param name="DueAt">The instant the period ends, in Shanghai time.</param>
/// <param name="IsProvisional">True when a year with no notice was judged by the Monday–Friday rule.</param>
public readonly record struct Deadline(DateTimeOffset DueAt, bool IsProvisional);

/// <summary>
/// A time limit such as 7 working days (<c>7wd</c>), 15 calendar days (<c>15d</c>) or 48 hours (<c>48h</c>).
/// Day limits follow the Civil Code's rules on periods (民法典 第二百零一至二百零四条): the start day is not
/// counted and the period ends at 24:00 of its last day.
/// </summary>
/// <param name="Amount">How many units, 1 or more.</param>
/// <param name="Unit">The unit.</param>
public readonly record struct TimeLimit(int Amount, LimitUnit Unit)
{
    /// <summary>The longest limit accepted, about ten years, so that nonsense input cannot loop for long.</summary>
    public const int MaxAmount = 3660;

    /// <summary>A limit in working days.</summary>
    public static TimeLimit WorkingDays(int amount) => Create(amount, LimitUnit.WorkingDays);

    /// <summary>A limit in calendar days.</summary>
    public static TimeLimit CalendarDays(int amount) => Create(amount, LimitUnit.CalendarDays);

    /// <summary>A limit in hours.</summary>
    public static TimeLimit Hours(int amount) => Create(amount, LimitUnit.Hours);

    private static TimeLimit Create(int amount, LimitUnit unit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(amount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(amount, MaxAmount);
        return new TimeLimit(amount, unit);
    }

    /// <summary>Reads <c>7wd</c>, <c>15d</c> or <c>48h</c>.</summary>
    public static bool TryParse(string? text, out TimeLimit limit)
    {
        limit = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var trimmed = text.Trim().ToLowerInvariant();
        var (suffixLength, unit) = trimmed switch
        {
            _ when trimmed.EndsWith("wd", StringComparison.Ordinal) => (2, LimitUnit.WorkingDays),
            _ when trimmed.EndsWith('d') => (1, LimitUnit.CalendarDays),
            _ when trimmed.EndsWith('h') => (1, LimitUnit.Hours),
            _ => (0, LimitUnit.WorkingDays),
        };
        if (suffixLength == 0
            || !int.TryParse(trimmed.AsSpan(0, trimmed.Length - suffixLength), NumberStyles.None, CultureInfo.InvariantCulture, out var amount)
            || amount is < 1 or > MaxAmount)
        {
            return false;
        }

        limit = new TimeLimit(amount, unit);
        return true;
    }

    /// <summary>The short form read by <see cref="TryParse"/>.</summary>
    public override string ToString() => Unit switch
    {
        LimitUnit.WorkingDays => $"{Amount.ToString(CultureInfo.InvariantCulture)}wd",
        LimitUnit.CalendarDays => $"{Amount.ToString(CultureInfo.InvariantCulture)}d",
        LimitUnit.Hours => $"{Amount.ToString(CultureInfo.InvariantCulture)}h",
    };

    /// <summary>The limit in Chinese, e.g. 7个工作日.</summary>
    public string ToChinese() => Unit switch
    {
        LimitUnit.WorkingDays => $"{Amount.ToString(CultureInfo.InvariantCulture)}个工作日",
        LimitUnit.CalendarDays => $"{Amount.ToString(CultureInfo.InvariantCulture)}日",
        LimitUnit.Hours => $"{Amount.ToString(CultureInfo.InvariantCulture)}小时",
    };

    /// <summary>
    /// When a period of this length that starts at <paramref name="start"/> ends.
    /// Working days: 24:00 of the Nth working day after the start day. Calendar days: 24:00 of the Nth day after
    /// the start day, moved to the end of the next working day when that day is a day off (民法典 第二百零三条).
    /// Hours: exactly N hours later.
    /// </summary>
    public Deadline DueFrom(DateTimeOffset start, WorkingCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        var startDay = ChinaTime.DateOf(start);
        switch (Unit)
        {
            case LimitUnit.WorkingDays:
                var nth = calendar.AddWorkingDays(startDay, Amount);
                return new Deadline(ChinaTime.EndOf(nth.Date), nth.IsProvisional);
            case LimitUnit.CalendarDays:
                var last = calendar.NextWorkingDayOnOrAfter(startDay.AddDays(Amount));
                return new Deadline(ChinaTime.EndOf(last.Date), last.IsProvisional);
            case LimitUnit.Hours:
                return new Deadline(ChinaTime.ToLocal(start.AddHours(Amount)), !calendar.IsCertain(startDay));
            default:
                throw new ArgumentOutOfRangeException(nameof(start), Unit, "Unknown limit unit.");
        }
    }

    /// <summary>
    /// The instant a milestone due at <paramref name="due"/> turns due-soon (临期) when this limit is its warning
    /// window: the start of the last N working days up to the due day, N calendar days before, or N hours before.
    /// </summary>
    public DateTimeOffset WindowStartBefore(DateTimeOffset due, WorkingCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        switch (Unit)
        {
            case LimitUnit.WorkingDays:
                // The day holding the last moment before the deadline; at 24:00 that is the previous date.
                var day = ChinaTime.DateOf(due.AddTicks(-1));
                var remaining = Amount;
                while (true)
                {
                    if (calendar.IsWorkingDay(day) && --remaining == 0)
                    {
                        return ChinaTime.StartOf(day);
                    }

                    day = day.AddDays(-1);
                }

            case LimitUnit.CalendarDays:
                return ChinaTime.ToLocal(due.AddDays(-Amount));
            case LimitUnit.Hours:
                return ChinaTime.ToLocal(due.AddHours(-Amount));
            default:
                throw new ArgumentOutOfRangeException(nameof(due), Unit, "Unknown limit unit.");
        }
    }
}
