using Duban.Calendar;
using Duban.TimeLimits;

namespace Duban.Tests.TimeLimits;

/// <summary>
/// Due instants by the Civil Code's period rules (民法典 第二百零一至二百零四条): the start day is not counted and
/// the period ends at 24:00 of its last day, written here as 00:00 of the next day, +08:00.
/// </summary>
public abstract class DueFromTests(string culture) : CulturePinned(culture)
{
    private static readonly WorkingCalendar China = WorkingCalendar.China;

    [Theory]
    // 02-09 working; 02-10..02-17 春节; Sun 02-18 make-up working day; Mon 02-19 the third.
    [InlineData("2024-02-08T10:00:00+08:00", 3, "2024-02-20T00:00:00+08:00")]
    // Fri 02-09 → the next working day is the make-up Sunday 02-18.
    [InlineData("2024-02-09T09:00:00+08:00", 1, "2024-02-19T00:00:00+08:00")]
    // 17:00 UTC on 02-08 is 01:00 on 02-09 in Shanghai: counting starts after 02-09 → 02-18, 02-19, 02-20.
    [InlineData("2024-02-08T17:00:00Z", 3, "2024-02-21T00:00:00+08:00")]
    // 15:59:59 UTC is still 23:59:59 on 02-08 in Shanghai.
    [InlineData("2024-02-08T15:59:59Z", 3, "2024-02-20T00:00:00+08:00")]
    // National Day 2024: 10-02..10-07 off; 10-08..10-11, Sat 10-12 make-up, 10-14, 10-15.
    [InlineData("2024-10-01T10:00:00+08:00", 7, "2024-10-16T00:00:00+08:00")]
    // Fri 09-27 → Sat 09-28 off, Sun 09-29 make-up working day.
    [InlineData("2024-09-27T16:00:00+08:00", 1, "2024-09-30T00:00:00+08:00")]
    // Mon 09-30 → next working day after National Day is Tue 10-08.
    [InlineData("2024-09-30T08:30:00+08:00", 1, "2024-10-09T00:00:00+08:00")]
    // Ordinary week: Fri 03-08 → 03-11..03-15.
    [InlineData("2024-03-08T12:00:00+08:00", 5, "2024-03-16T00:00:00+08:00")]
    // Fri 2025-01-24 → Sun 01-26 make-up (1), Mon 01-27 (2), 01-28..02-04 春节, Wed 02-05 (3).
    [InlineData("2025-01-24T10:00:00+08:00", 1, "2025-01-27T00:00:00+08:00")]
    [InlineData("2025-01-24T10:00:00+08:00", 3, "2025-02-06T00:00:00+08:00")]
    // Fri 2026-02-13 → Sat 02-14 make-up (1); 02-15..02-23 春节; Tue 02-24 (2).
    [InlineData("2026-02-13T10:00:00+08:00", 2, "2026-02-25T00:00:00+08:00")]
    // 2007: Fri 02-16 → Sat 02-17 make-up (1); 02-18..02-24 春节; Sun 02-25 make-up (2).
    [InlineData("2007-02-16T10:00:00+08:00", 2, "2007-02-26T00:00:00+08:00")]
    // 2020: Thu 01-23 → 01-24..02-02 off (extended), Mon 02-03 working.
    [InlineData("2020-01-23T10:00:00+08:00", 1, "2020-02-04T00:00:00+08:00")]
    // New Year 2023 (from the 2023 notice, which names 2022-12-31): Fri 2022-12-30 → Tue 2023-01-03.
    [InlineData("2022-12-30T10:00:00+08:00", 1, "2023-01-04T00:00:00+08:00")]
    // Fri 2006-12-29 → Sat 12-30 is a make-up working day named in the 2007 notice.
    [InlineData("2006-12-29T10:00:00+08:00", 1, "2006-12-31T00:00:00+08:00")]
    public void DueFrom_WorkingDays_EndsAt24OfTheNthWorkingDayAfterTheStartDay(string start, int days, string expected)
    {
        var due = TimeLimit.WorkingDays(days).DueFrom(Parse.Instant(start), China);

        Assert.Equal(Parse.Instant(expected), due.DueAt);
        Assert.Equal(Parse.China, due.DueAt.Offset);
    }

    [Theory]
    [InlineData("2024-02-08", 3, "2024-02-19")]
    [InlineData("2024-02-09", 1, "2024-02-18")]
    [InlineData("2024-10-01", 7, "2024-10-15")]
    [InlineData("2025-01-24", 1, "2025-01-26")]
    [InlineData("2024-02-10", 1, "2024-02-18")] // starting on a holiday
    [InlineData("2024-03-09", 1, "2024-03-11")] // starting on a Saturday
    public void AddWorkingDays_CountsFromTheDayAfterTheStart(string start, int days, string expected)
    {
        var result = China.AddWorkingDays(Parse.Date(start), days);

        Assert.Equal(Parse.Date(expected), result.Date);
        Assert.False(result.IsProvisional);
    }

    [Fact]
    public void AddWorkingDays_CountsMakeUpSunday()
    {
        Assert.Equal(Parse.Date("2024-02-18"), China.AddWorkingDays(Parse.Date("2024-02-09"), 1).Date);
    }

    [Fact]
    public void AddWorkingDays_RejectsANegativeCount()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => China.AddWorkingDays(Parse.Date("2024-02-09"), -1));
    }

    [Theory]
    // 15 days from 09-16 is 10-01, a holiday: moves to the end of Tue 10-08 (民法典 第二百零三条).
    [InlineData("2024-09-16T10:00:00+08:00", 15, "2024-10-09T00:00:00+08:00")]
    // 15 days from 09-14 is Sun 09-29, a make-up working day: stays.
    [InlineData("2024-09-14T10:00:00+08:00", 15, "2024-09-30T00:00:00+08:00")]
    // Ordinary: Mon 03-04 + 10 = Thu 03-14.
    [InlineData("2024-03-04T10:00:00+08:00", 10, "2024-03-15T00:00:00+08:00")]
    // Fri 03-08 + 1 = Sat 03-09, a rest day: moves to Mon 03-11.
    [InlineData("2024-03-08T10:00:00+08:00", 1, "2024-03-12T00:00:00+08:00")]
    // 02-08 + 5 = 02-13 (春节): the next working day is the make-up Sunday 02-18.
    [InlineData("2024-02-08T10:00:00+08:00", 5, "2024-02-19T00:00:00+08:00")]
    // UTC instant already on 02-09 in Shanghai: 02-09 + 1 = 02-10 (春节) → 02-18.
    [InlineData("2024-02-08T20:00:00Z", 1, "2024-02-19T00:00:00+08:00")]
    public void DueFrom_CalendarDays_EndingOnADayOffMovesToTheEndOfTheNextWorkingDay(string start, int days, string expected)
    {
        var due = TimeLimit.CalendarDays(days).DueFrom(Parse.Instant(start), China);

        Assert.Equal(Parse.Instant(expected), due.DueAt);
        Assert.Equal(Parse.China, due.DueAt.Offset);
    }

    [Theory]
    [InlineData("2024-02-08T10:00:00+08:00", 48, "2024-02-10T10:00:00+08:00")] // runs through the holiday
    [InlineData("2024-02-08T23:30:00Z", 2, "2024-02-09T09:30:00+08:00")]
    [InlineData("2024-10-01T00:00:00+08:00", 1, "2024-10-01T01:00:00+08:00")]
    public void DueFrom_Hours_IsExactlyNHoursLater_ShownInShanghaiTime(string start, int hours, string expected)
    {
        var due = TimeLimit.Hours(hours).DueFrom(Parse.Instant(start), China);

        Assert.Equal(Parse.Instant(expected), due.DueAt);
        Assert.Equal(Parse.China, due.DueAt.Offset);
        Assert.False(due.IsProvisional);
    }

    [Theory]
    [InlineData("2024-03-08T00:00:00+08:00", LimitUnit.WorkingDays, 1, "2024-03-07T00:00:00+08:00")] // due end of Thu → Thu
    [InlineData("2024-02-19T00:00:00+08:00", LimitUnit.WorkingDays, 1, "2024-02-18T00:00:00+08:00")] // make-up Sunday
    [InlineData("2024-02-19T00:00:00+08:00", LimitUnit.WorkingDays, 2, "2024-02-09T00:00:00+08:00")] // back over 春节
    [InlineData("2024-03-11T15:00:00+08:00", LimitUnit.WorkingDays, 1, "2024-03-11T00:00:00+08:00")] // mid-day due
    [InlineData("2024-03-08T00:00:00+08:00", LimitUnit.CalendarDays, 2, "2024-03-06T00:00:00+08:00")]
    [InlineData("2024-03-08T00:00:00+08:00", LimitUnit.Hours, 4, "2024-03-07T20:00:00+08:00")]
    public void WindowStartBefore_OpensTheDueSoonWindow(string due, LimitUnit unit, int amount, string expected)
    {
        var window = new TimeLimit(amount, unit).WindowStartBefore(Parse.Instant(due), China);

        Assert.Equal(Parse.Instant(expected), window);
    }
}

public sealed class DueFromTests_ZhCN() : DueFromTests(ZhCN);

public sealed class DueFromTests_Invariant() : DueFromTests(Invariant);
