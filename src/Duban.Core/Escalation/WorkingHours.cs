using System.Globalization;
using Duban.Calendar;

namespace Duban.Escalation;

/// <summary>
/// When people are at work to receive a notice: working days between <see cref="Opens"/> and
/// <see cref="Closes"/> (Beijing time). Notices raised at night or on a holiday wait for the next opening.
/// </summary>
/// <param name="Opens">Start of the working day, e.g. 09:00.</param>
/// <param name="Closes">End of the working day, e.g. 18:00.</param>
public sealed record WorkingHours(TimeOnly Opens, TimeOnly Closes)
{
    /// <summary>09:00–18:00.</summary>
    public static WorkingHours Default { get; } = new(new TimeOnly(9, 0), new TimeOnly(18, 0));

    /// <summary>Reads "09:00-18:00".</summary>
    public static bool TryParse(string? text, out WorkingHours hours)
    {
        hours = Default;
        var parts = text?.Split('-', StringSplitOptions.TrimEntries);
        if (parts is not [var from, var to]
            || !TimeOnly.TryParseExact(from, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var opens)
            || !TimeOnly.TryParseExact(to, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var closes)
            || closes <= opens)
        {
            return false;
        }

        hours = new WorkingHours(opens, closes);
        return true;
    }

    /// <summary>The instant itself when it falls in working hours, else the next opening.</summary>
    public DateTimeOffset NextDelivery(DateTimeOffset instant, WorkingCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        var local = ChinaTime.ToLocal(instant);
        var day = DateOnly.FromDateTime(local.DateTime);
        var time = TimeOnly.FromDateTime(local.DateTime);
        if (calendar.IsWorkingDay(day))
        {
            if (time < Opens)
            {
                return ChinaTime.StartOf(day).Add(Opens.ToTimeSpan());
            }

            if (time < Closes)
            {
                return local;
            }
        }

        var next = calendar.NextWorkingDayOnOrAfter(day.AddDays(1)).Date;
        return ChinaTime.StartOf(next).Add(Opens.ToTimeSpan());
    }
}
