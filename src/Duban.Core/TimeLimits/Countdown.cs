using System.Globalization;
using Duban.Calendar;

namespace Duban.TimeLimits;

/// <summary>
/// Time left before a deadline, or past it, counted in working time only: each working day counts its 24 hours
/// (Shanghai time), rest days and holidays count nothing. "剩 2 个工作日 3 小时" on Monday 21:00 for a deadline at
/// Wednesday 24:00; "超期 1 个工作日" a working day after it.
/// </summary>
/// <param name="Overdue">The deadline has passed.</param>
/// <param name="WorkingDays">Whole working days of working time.</param>
/// <param name="Hours">Whole hours beyond those days (0–23).</param>
public readonly record struct Countdown(bool Overdue, int WorkingDays, int Hours)
{
    /// <summary>The working time between <paramref name="now"/> and <paramref name="due"/>, rounded down to hours.</summary>
    public static Countdown Between(DateTimeOffset now, DateTimeOffset due, WorkingCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        var overdue = now > due;
        var (from, to) = overdue ? (due, now) : (now, due);
        var fromDate = ChinaTime.DateOf(from);
        var toDate = ChinaTime.DateOf(to);
        TimeSpan working;
        if (fromDate == toDate)
        {
            working = calendar.IsWorkingDay(fromDate) ? to - from : TimeSpan.Zero;
        }
        else
        {
            working = (calendar.IsWorkingDay(fromDate) ? ChinaTime.EndOf(fromDate) - from : TimeSpan.Zero)
                + (calendar.IsWorkingDay(toDate) ? to - ChinaTime.StartOf(toDate) : TimeSpan.Zero)
                + TimeSpan.FromDays(calendar.WorkingDaysBetween(fromDate, toDate.AddDays(-1)));
        }

        var hours = checked((int)Math.Floor(working.TotalHours));
        return new Countdown(overdue, hours / 24, hours % 24);
    }

    /// <summary>How the countdown reads on a board: 剩 … / 超期 … / 不足 1 小时 / 已超期 (only rest days since).</summary>
    public string Text
    {
        get
        {
            var parts = string.Join(' ', new[]
            {
                WorkingDays > 0 ? string.Create(CultureInfo.InvariantCulture, $"{WorkingDays} 个工作日") : null,
                Hours > 0 ? string.Create(CultureInfo.InvariantCulture, $"{Hours} 小时") : null,
            }.OfType<string>());
            return (Overdue, parts.Length) switch
            {
                (true, 0) => "已超期",
                (true, _) => "超期 " + parts,
                (false, 0) => "剩不足 1 小时",
                (false, _) => "剩 " + parts,
            };
        }
    }
}
