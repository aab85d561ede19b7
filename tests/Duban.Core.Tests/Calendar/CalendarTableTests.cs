using Duban.Calendar;

namespace Duban.Tests.Calendar;

/// <summary>
/// Dates taken from the State Council holiday notices 2007–2026 (国务院办公厅关于部分节假日安排的通知):
/// every year's Spring Festival days off and make-up working days, National Day, and a few others the
/// notices name. Expected values were read from the notices, not computed.
/// </summary>
public abstract class CalendarTableTests(string culture) : CulturePinned(culture)
{
    private static readonly WorkingCalendar China = WorkingCalendar.China;

    [Theory]
    // 2007 notice (also names the last days of 2006)
    [InlineData("2006-12-30", true, "Sat, 元旦 make-up working day named in the 2007 notice")]
    [InlineData("2006-12-31", true, "Sun, 元旦 make-up working day named in the 2007 notice")]
    [InlineData("2007-01-02", false, "Tue, 元旦 2007 day off")]
    [InlineData("2007-02-17", true, "Sat, 春节 2007 make-up working day")]
    [InlineData("2007-02-19", false, "Mon, 春节 2007 day off")]
    [InlineData("2007-02-23", false, "Fri, 春节 2007 day off")]
    [InlineData("2007-02-25", true, "Sun, 春节 2007 make-up working day")]
    [InlineData("2007-09-29", true, "Sat, 国庆 2007 make-up working day")]
    [InlineData("2007-10-05", false, "Fri, 国庆 2007 day off")]
    // 2008
    [InlineData("2007-12-29", true, "Sat, 元旦 2008 make-up working day (named in the 2008 notice)")]
    [InlineData("2007-12-31", false, "Mon, 元旦 2008 day off (named in the 2008 notice)")]
    [InlineData("2008-02-02", true, "Sat, 春节 2008 make-up working day")]
    [InlineData("2008-02-03", true, "Sun, 春节 2008 make-up working day")]
    [InlineData("2008-02-06", false, "Wed, 除夕 2008 day off")]
    [InlineData("2008-02-12", false, "Tue, 春节 2008 day off")]
    [InlineData("2008-09-28", true, "Sun, 国庆 2008 make-up working day")]
    [InlineData("2008-09-29", false, "Mon, 国庆 2008 day off")]
    // 2009
    [InlineData("2009-01-24", true, "Sat, 春节 2009 make-up working day")]
    [InlineData("2009-01-26", false, "Mon, 春节 2009 day off")]
    [InlineData("2009-02-01", true, "Sun, 春节 2009 make-up working day")]
    [InlineData("2009-10-08", false, "Thu, 国庆中秋 2009 day off")]
    [InlineData("2009-10-10", true, "Sat, 国庆中秋 2009 make-up working day")]
    // 2010
    [InlineData("2010-02-15", false, "Mon, 春节 2010 day off")]
    [InlineData("2010-02-20", true, "Sat, 春节 2010 make-up working day")]
    [InlineData("2010-02-21", true, "Sun, 春节 2010 make-up working day")]
    [InlineData("2010-09-26", true, "Sun, 国庆 2010 make-up working day")]
    [InlineData("2010-10-07", false, "Thu, 国庆 2010 day off")]
    // 2011
    [InlineData("2011-01-30", true, "Sun, 春节 2011 make-up working day")]
    [InlineData("2011-02-02", false, "Wed, 除夕 2011 day off")]
    [InlineData("2011-02-12", true, "Sat, 春节 2011 make-up working day")]
    [InlineData("2011-10-07", false, "Fri, 国庆 2011 day off")]
    [InlineData("2011-10-09", true, "Sun, 国庆 2011 make-up working day")]
    // 2012
    [InlineData("2011-12-31", true, "Sat, 元旦 2012 make-up working day (named in the 2012 notice)")]
    [InlineData("2012-01-21", true, "Sat, 春节 2012 make-up working day")]
    [InlineData("2012-01-23", false, "Mon, 春节 2012 day off")]
    [InlineData("2012-01-29", true, "Sun, 春节 2012 make-up working day")]
    [InlineData("2012-09-29", true, "Sat, 中秋国庆 2012 make-up working day")]
    [InlineData("2012-10-05", false, "Fri, 中秋国庆 2012 day off")]
    // 2013
    [InlineData("2013-02-11", false, "Mon, 春节 2013 day off")]
    [InlineData("2013-02-16", true, "Sat, 春节 2013 make-up working day")]
    [InlineData("2013-02-17", true, "Sun, 春节 2013 make-up working day")]
    [InlineData("2013-09-29", true, "Sun, 国庆 2013 make-up working day")]
    [InlineData("2013-10-07", false, "Mon, 国庆 2013 day off")]
    [InlineData("2013-10-12", true, "Sat, 国庆 2013 make-up working day")]
    // 2014
    [InlineData("2014-01-26", true, "Sun, 春节 2014 make-up working day")]
    [InlineData("2014-01-31", false, "Fri, 春节 2014 day off")]
    [InlineData("2014-02-08", true, "Sat, 春节 2014 make-up working day")]
    [InlineData("2014-10-07", false, "Tue, 国庆 2014 day off")]
    [InlineData("2014-10-11", true, "Sat, 国庆 2014 make-up working day")]
    // 2015
    [InlineData("2015-02-15", true, "Sun, 春节 2015 make-up working day")]
    [InlineData("2015-02-18", false, "Wed, 除夕 2015 day off")]
    [InlineData("2015-02-28", true, "Sat, 春节 2015 make-up working day")]
    [InlineData("2015-10-07", false, "Wed, 国庆 2015 day off")]
    [InlineData("2015-10-10", true, "Sat, 国庆 2015 make-up working day")]
    // 2016
    [InlineData("2016-02-06", true, "Sat, 春节 2016 make-up working day")]
    [InlineData("2016-02-08", false, "Mon, 春节 2016 day off")]
    [InlineData("2016-02-14", true, "Sun, 春节 2016 make-up working day")]
    [InlineData("2016-10-07", false, "Fri, 国庆 2016 day off")]
    [InlineData("2016-10-08", true, "Sat, 国庆 2016 make-up working day")]
    // 2017
    [InlineData("2017-01-22", true, "Sun, 春节 2017 make-up working day")]
    [InlineData("2017-01-27", false, "Fri, 除夕 2017 day off")]
    [InlineData("2017-02-04", true, "Sat, 春节 2017 make-up working day")]
    [InlineData("2017-09-30", true, "Sat, 中秋国庆 2017 make-up working day")]
    [InlineData("2017-10-06", false, "Fri, 中秋国庆 2017 day off")]
    // 2018
    [InlineData("2018-02-11", true, "Sun, 春节 2018 make-up working day")]
    [InlineData("2018-02-15", false, "Thu, 除夕 2018 day off")]
    [InlineData("2018-02-24", true, "Sat, 春节 2018 make-up working day")]
    [InlineData("2018-09-29", true, "Sat, 国庆 2018 make-up working day")]
    [InlineData("2018-10-05", false, "Fri, 国庆 2018 day off")]
    [InlineData("2018-12-29", true, "Sat, 元旦 2019 make-up working day (named in the 2019 notice)")]
    [InlineData("2018-12-31", false, "Mon, 元旦 2019 day off (named in the 2019 notice)")]
    // 2019
    [InlineData("2019-02-02", true, "Sat, 春节 2019 make-up working day")]
    [InlineData("2019-02-04", false, "Mon, 除夕 2019 day off")]
    [InlineData("2019-09-29", true, "Sun, 国庆 2019 make-up working day")]
    [InlineData("2019-10-07", false, "Mon, 国庆 2019 day off")]
    [InlineData("2019-10-12", true, "Sat, 国庆 2019 make-up working day")]
    // 2020 (Spring Festival extended to 02-02 by the second notice)
    [InlineData("2020-01-19", true, "Sun, 春节 2020 make-up working day")]
    [InlineData("2020-01-31", false, "Fri, 春节 2020 extended day off")]
    [InlineData("2020-02-03", true, "Mon, first working day after the extended 春节 2020")]
    [InlineData("2020-09-27", true, "Sun, 国庆中秋 2020 make-up working day")]
    [InlineData("2020-10-08", false, "Thu, 国庆中秋 2020 day off")]
    [InlineData("2020-10-10", true, "Sat, 国庆中秋 2020 make-up working day")]
    // 2021
    [InlineData("2021-02-07", true, "Sun, 春节 2021 make-up working day")]
    [InlineData("2021-02-11", false, "Thu, 除夕 2021 day off")]
    [InlineData("2021-02-20", true, "Sat, 春节 2021 make-up working day")]
    [InlineData("2021-09-26", true, "Sun, 国庆 2021 make-up working day")]
    [InlineData("2021-10-07", false, "Thu, 国庆 2021 day off")]
    [InlineData("2021-10-09", true, "Sat, 国庆 2021 make-up working day")]
    // 2022
    [InlineData("2022-01-29", true, "Sat, 春节 2022 make-up working day")]
    [InlineData("2022-01-30", true, "Sun, 春节 2022 make-up working day")]
    [InlineData("2022-01-31", false, "Mon, 除夕 2022 day off")]
    [InlineData("2022-10-07", false, "Fri, 国庆 2022 day off")]
    [InlineData("2022-10-08", true, "Sat, 国庆 2022 make-up working day")]
    [InlineData("2022-10-09", true, "Sun, 国庆 2022 make-up working day")]
    // 2023
    [InlineData("2023-01-02", false, "Mon, 元旦 2023 day off")]
    [InlineData("2023-01-27", false, "Fri, 春节 2023 day off")]
    [InlineData("2023-01-28", true, "Sat, 春节 2023 make-up working day")]
    [InlineData("2023-01-29", true, "Sun, 春节 2023 make-up working day")]
    [InlineData("2023-09-29", false, "Fri, 中秋 2023 day off")]
    [InlineData("2023-10-06", false, "Fri, 国庆 2023 day off")]
    [InlineData("2023-10-07", true, "Sat, 国庆 2023 make-up working day")]
    [InlineData("2023-10-08", true, "Sun, 国庆 2023 make-up working day")]
    // 2024
    [InlineData("2024-02-04", true, "Sun, 春节 2024 make-up working day")]
    [InlineData("2024-02-12", false, "Mon, 春节 2024 day off")]
    [InlineData("2024-02-16", false, "Fri, 春节 2024 day off")]
    [InlineData("2024-02-18", true, "Sun, 春节 2024 make-up working day")]
    [InlineData("2024-09-29", true, "Sun, 国庆 2024 make-up working day")]
    [InlineData("2024-10-07", false, "Mon, 国庆 2024 day off")]
    [InlineData("2024-10-12", true, "Sat, 国庆 2024 make-up working day")]
    // 2025
    [InlineData("2025-01-26", true, "Sun, 春节 2025 make-up working day")]
    [InlineData("2025-01-28", false, "Tue, 除夕 2025 day off")]
    [InlineData("2025-02-04", false, "Tue, 春节 2025 day off")]
    [InlineData("2025-02-08", true, "Sat, 春节 2025 make-up working day")]
    [InlineData("2025-09-28", true, "Sun, 国庆中秋 2025 make-up working day")]
    [InlineData("2025-10-08", false, "Wed, 国庆中秋 2025 day off")]
    [InlineData("2025-10-11", true, "Sat, 国庆中秋 2025 make-up working day")]
    // 2026
    [InlineData("2026-02-14", true, "Sat, 春节 2026 make-up working day")]
    [InlineData("2026-02-16", false, "Mon, 春节 2026 day off")]
    [InlineData("2026-02-23", false, "Mon, 春节 2026 day off (9-day holiday)")]
    [InlineData("2026-02-28", true, "Sat, 春节 2026 make-up working day")]
    [InlineData("2026-09-20", true, "Sun, 国庆 2026 make-up working day")]
    [InlineData("2026-10-07", false, "Wed, 国庆 2026 day off")]
    [InlineData("2026-10-10", true, "Sat, 国庆 2026 make-up working day")]
    // Ordinary days no notice names
    [InlineData("2024-03-09", false, "ordinary Saturday")]
    [InlineData("2024-03-10", false, "ordinary Sunday")]
    [InlineData("2024-03-06", true, "ordinary Wednesday")]
    [InlineData("2015-06-03", true, "ordinary Wednesday")]
    [InlineData("2010-07-17", false, "ordinary Saturday")]
    public void IsWorkingDay_FollowsTheStateCouncilNotices(string date, bool working, string reason)
    {
        Assert.True(China.IsWorkingDay(Parse.Date(date)) == working,
            $"{date} should be {(working ? "a working day" : "a day off")}: {reason}");
    }

    [Theory]
    [InlineData("2024-02-18", DayKind.MakeUpWorkday, "春节")]
    [InlineData("2024-02-12", DayKind.Holiday, "春节")]
    [InlineData("2024-10-01", DayKind.Holiday, "国庆节")]
    [InlineData("2024-03-09", DayKind.Weekend, null)]
    [InlineData("2024-03-06", DayKind.Weekday, null)]
    public void Describe_NamesTheKindAndHoliday(string date, DayKind kind, string? name)
    {
        var info = China.Describe(Parse.Date(date));

        Assert.Equal(kind, info.Kind);
        Assert.Equal(name, info.HolidayName);
        Assert.True(info.IsCertain);
        Assert.Equal(kind is DayKind.Weekday or DayKind.MakeUpWorkday, info.IsWorkingDay);
    }
}

public sealed class CalendarTableTests_ZhCN() : CalendarTableTests(ZhCN);

public sealed class CalendarTableTests_Invariant() : CalendarTableTests(Invariant);
