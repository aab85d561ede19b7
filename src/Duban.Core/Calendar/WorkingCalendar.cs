namespace Duban.Calendar;

/// <summary>What kind of day a date is.</summary>
public enum DayKind
{
    /// <summary>An ordinary Monday–Friday.</summary>
    Weekday,

    /// <summary>An ordinary Saturday or Sunday.</summary>
    Weekend,

    /// <summary>A statutory holiday day off (法定节假日).</summary>
    Holiday,

    /// <summary>A weekend day made a working day by a notice (调休上班).</summary>
    MakeUpWorkday,
}

/// <summary>A date as the calendar sees it.</summary>
/// <param name="Date">The date.</param>
/// <param name="Kind">Weekday, weekend, holiday or make-up working day.</param>
/// <param name="HolidayName">The holiday named by the notice, for holidays and make-up days.</param>
/// <param name="IsCertain">
/// <c>false</c> when no holiday notice covers the date, so it was judged by the Monday–Friday rule alone.
/// </param>
public sealed record DayInfo(DateOnly Date, DayKind Kind, string? HolidayName, bool IsCertain)
{
    /// <summary>Whether people work on this date.</summary>
    public bool IsWorkingDay => Kind is DayKind.Weekday or DayKind.MakeUpWorkday;
}

/// <summary>A date found by counting, and whether every day counted was covered by a notice.</summary>
/// <param name="Date">The date reached.</param>
/// <param name="IsProvisional">
/// <c>true</c> when some day on the way had no notice and was judged Monday–Friday; the answer may move
/// once that year's notice is added.
/// </param>
public readonly record struct CountedDate(DateOnly Date, bool IsProvisional);

/// <summary>
/// China's working-day calendar: Monday–Friday, less statutory holidays, plus make-up working days, as the
/// State Council notices set them. Years with no notice fall back to Monday–Friday and every answer that
/// touched them says so (<see cref="DayInfo.IsCertain"/>, <see cref="CountedDate.IsProvisional"/>).
/// Immutable and thread-safe.
/// </summary>
public sealed class WorkingCalendar
{
    /// <summary>A notice can name days of the previous December; dates from here to year end wait for the next notice.</summary>
    private const int LateDecemberFrom = 25;

    private readonly Dictionary<DateOnly, NoticeDay> _listedDays = [];
    private readonly SortedSet<int> _years = [];

    /// <summary>The listed days' day numbers, ascending.</summary>
    private readonly int[] _listedDates;

    /// <summary>Builds a calendar from notices; a later notice for the same year replaces an earlier one.</summary>
    public WorkingCalendar(IEnumerable<HolidayNotice> notices)
    {
        ArgumentNullException.ThrowIfNull(notices);
        var byYear = new SortedDictionary<int, HolidayNotice>();
        foreach (var notice in notices)
        {
            byYear[notice.Year] = notice;
        }

        foreach (var notice in byYear.Values)
        {
            _years.Add(notice.Year);
            foreach (var day in notice.Days)
            {
                _listedDays[day.Date] = day;
            }
        }

        Notices = byYear.Values.ToList();
        _listedDates = [.. _listedDays.Keys.Select(d => d.DayNumber).Order()];
    }

    /// <summary>The notices this calendar was built from, by year.</summary>
    public IReadOnlyList<HolidayNotice> Notices { get; }

    /// <summary>Notice years present, ascending.</summary>
    public IReadOnlyCollection<int> Years => _years;

    /// <summary>The calendar shipped with Duban: every notice from 2007 to the latest year in the data file.</summary>
    public static WorkingCalendar China { get; } = new(ShippedNotices());

    /// <summary>The notices in the data file shipped with Duban (<c>Calendar/holidays-cn.json</c>).</summary>
    public static IReadOnlyList<HolidayNotice> ShippedNotices()
    {
        using var stream = typeof(WorkingCalendar).Assembly.GetManifestResourceStream("Duban.Calendar.holidays-cn.json")
            ?? throw new InvalidOperationException("The shipped holiday data resource is missing from Duban.Core.");
        using var reader = new StreamReader(stream);
        return HolidayNotice.ParseBundle(reader.ReadToEnd());
    }

    /// <summary>A new calendar with this one's notices and <paramref name="more"/> (which win for the same year).</summary>
    public WorkingCalendar With(IEnumerable<HolidayNotice> more) => new(Notices.Concat(more));

    /// <summary>Whether the notices settle the date, or it was judged by the Monday–Friday fallback.</summary>
    public bool IsCertain(DateOnly date) =>
        _years.Contains(date.Year)
        && (date.Month < 12 || date.Day < LateDecemberFrom || _years.Contains(date.Year + 1));

    /// <summary>Describes a date: its kind, holiday name and whether a notice covers it.</summary>
    public DayInfo Describe(DateOnly date)
    {
        var certain = IsCertain(date);
        if (_listedDays.TryGetValue(date, out var listed))
        {
            return new DayInfo(date, listed.IsOffDay ? DayKind.Holiday : DayKind.MakeUpWorkday, listed.Name, certain);
        }

        var weekend = date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
        return new DayInfo(date, weekend ? DayKind.Weekend : DayKind.Weekday, null, certain);
    }

    /// <summary>Whether people work on the date.</summary>
    public bool IsWorkingDay(DateOnly date) =>
        _listedDays.TryGetValue(date, out var listed)
            ? !listed.IsOffDay
            : date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    /// <summary>
    /// The <paramref name="count"/>-th working day after <paramref name="start"/>; the start day itself is never
    /// counted (期间开始之日不计算在内). A count of 0 gives the start day.
    /// </summary>
    public CountedDate AddWorkingDays(DateOnly start, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var date = start;
        var provisional = false;
        for (var found = 0; found < count;)
        {
            date = date.AddDays(1);
            provisional |= !IsCertain(date);
            if (IsWorkingDay(date))
            {
                found++;
            }
        }

        return new CountedDate(date, provisional);
    }

    /// <summary>The first working day on or after the date.</summary>
    public CountedDate NextWorkingDayOnOrAfter(DateOnly date)
    {
        var provisional = !IsCertain(date);
        while (!IsWorkingDay(date))
        {
            date = date.AddDays(1);
            provisional |= !IsCertain(date);
        }

        return new CountedDate(date, provisional);
    }

    /// <summary>Working days in (<paramref name="after"/>, <paramref name="through"/>]; negative when reversed.</summary>
    /// <remarks>Counted, not walked: Monday–Friday by arithmetic, then each listed day in the span moves the count by
    /// what the notice made of it. A countdown on a list asks this for every row, often over years.</remarks>
    public int WorkingDaysBetween(DateOnly after, DateOnly through)
    {
        if (through < after)
        {
            return -WorkingDaysBetween(through, after);
        }

        var count = WeekdaysThrough(through.DayNumber) - WeekdaysThrough(after.DayNumber);
        var first = LowerBound(_listedDates, after.DayNumber + 1);
        for (var i = first; i < _listedDates.Length && _listedDates[i] <= through.DayNumber; i++)
        {
            var date = DateOnly.FromDayNumber(_listedDates[i]);
            var weekday = date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);
            count += (IsWorkingDay(date) ? 1 : 0) - (weekday ? 1 : 0);
        }

        return count;
    }

    /// <summary>Monday–Friday days from 0001-01-01 (a Monday, day number 0) through day number <paramref name="day"/>.</summary>
    private static int WeekdaysThrough(int day) => (day + 1) / 7 * 5 + Math.Min((day + 1) % 7, 5);

    /// <summary>The index of the first value at or above <paramref name="value"/> in the sorted array.</summary>
    private static int LowerBound(int[] sorted, int value)
    {
        var at = Array.BinarySearch(sorted, value);
        return at >= 0 ? at : ~at;
    }
}
