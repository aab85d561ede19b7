using Duban.Calendar;
using Duban.TimeLimits;

namespace Duban.Tests.Calendar;

/// <summary>Years without a notice fall back to Monday–Friday, and every answer touching them says so.</summary>
public abstract class FallbackTests(string culture) : CulturePinned(culture)
{
    private static readonly HolidayNotice Notice2024 = WorkingCalendar.ShippedNotices().Single(n => n.Year == 2024);
    private static readonly WorkingCalendar Only2024 = new([Notice2024]);

    [Fact]
    public void IsCertain_IsFalseForAYearWithoutANotice()
    {
        Assert.False(Only2024.IsCertain(Parse.Date("2025-03-03")));
        Assert.False(Only2024.Describe(Parse.Date("2025-03-03")).IsCertain);
        Assert.True(Only2024.IsCertain(Parse.Date("2024-03-04")));
    }

    [Fact]
    public void IsWorkingDay_WithoutThe2025Notice_TreatsSunday20250126AsADayOff()
    {
        var day = Parse.Date("2025-01-26");

        Assert.False(Only2024.IsWorkingDay(day));
        Assert.Equal(DayKind.Weekend, Only2024.Describe(day).Kind);
        Assert.True(WorkingCalendar.China.IsWorkingDay(day)); // with the notice it is a make-up working day
    }

    [Fact]
    public void AddWorkingDays_CrossingIntoAYearWithoutANotice_IsProvisional()
    {
        // 12-31 (Tue), then 2025-01-01 counted as an ordinary Wednesday because no 2025 notice is known, then 01-02.
        var result = Only2024.AddWorkingDays(Parse.Date("2024-12-30"), 3);

        Assert.Equal(Parse.Date("2025-01-02"), result.Date);
        Assert.True(result.IsProvisional);
    }

    [Fact]
    public void AddWorkingDays_IntoLateDecemberWithoutNextYearsNotice_IsProvisional()
    {
        // 12-23 (Mon), 12-24 (Tue), 12-25 (Wed): from the 25th the next year's notice could still change things.
        var result = Only2024.AddWorkingDays(Parse.Date("2024-12-20"), 3);

        Assert.Equal(Parse.Date("2024-12-25"), result.Date);
        Assert.True(result.IsProvisional);
    }

    [Theory]
    [InlineData("2024-02-08", 3, "2024-02-19")]
    [InlineData("2024-12-20", 2, "2024-12-24")]
    [InlineData("2024-09-27", 1, "2024-09-29")]
    public void AddWorkingDays_WithinTheNoticeYearBeforeDecember25_IsNotProvisional(string start, int count, string expected)
    {
        var result = Only2024.AddWorkingDays(Parse.Date(start), count);

        Assert.Equal(Parse.Date(expected), result.Date);
        Assert.False(result.IsProvisional);
    }

    [Fact]
    public void DueFrom_CrossingIntoAYearWithoutANotice_IsProvisional()
    {
        var due = TimeLimit.WorkingDays(7).DueFrom(Parse.Instant("2024-12-20T10:00:00+08:00"), Only2024);

        Assert.True(due.IsProvisional);
        Assert.False(TimeLimit.WorkingDays(7).DueFrom(Parse.Instant("2024-03-04T10:00:00+08:00"), Only2024).IsProvisional);
    }

    [Fact]
    public void China_IsCertainThrough20261224_AndNotAfter()
    {
        Assert.True(WorkingCalendar.China.IsCertain(Parse.Date("2026-12-24")));
        for (var day = 25; day <= 31; day++)
        {
            Assert.False(WorkingCalendar.China.IsCertain(new DateOnly(2026, 12, day)), $"2026-12-{day} has no 2027 notice");
        }

        Assert.False(WorkingCalendar.China.IsCertain(Parse.Date("2027-01-04")));
        Assert.True(WorkingCalendar.China.IsCertain(Parse.Date("2007-01-01")));
        Assert.True(WorkingCalendar.China.IsCertain(Parse.Date("2025-12-31")));
    }

    [Fact]
    public void AddWorkingDays_FromChinaIntoLateDecember2026_IsProvisional()
    {
        Assert.False(WorkingCalendar.China.AddWorkingDays(Parse.Date("2026-12-22"), 2).IsProvisional); // → 12-24
        Assert.True(WorkingCalendar.China.AddWorkingDays(Parse.Date("2026-12-22"), 3).IsProvisional);  // → 12-25
    }

    [Fact]
    public void With_ALaterNoticeForTheSameYearReplacesTheEarlierOne()
    {
        var revised = Notice2024 with { Days = [new NoticeDay(Parse.Date("2024-03-06"), "测试", true)] };
        var calendar = Only2024.With([revised]);

        Assert.False(calendar.IsWorkingDay(Parse.Date("2024-03-06")));
        Assert.True(calendar.IsWorkingDay(Parse.Date("2024-02-12"))); // the old notice's holiday is gone
        Assert.True(Only2024.IsWorkingDay(Parse.Date("2024-03-06"))); // the original is unchanged
    }
}

public sealed class FallbackTests_ZhCN() : FallbackTests(ZhCN);

public sealed class FallbackTests_Invariant() : FallbackTests(Invariant);
