using Duban.Calendar;
using Duban.TimeLimits;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Duban.Tests.TimeLimits;

public sealed class TimeLimitProfileTests
{
    private static readonly WorkingCalendar China = WorkingCalendar.China;

    // Mon 2024-03-04 09:00; March 2024 has no holidays.
    private static readonly DateTimeOffset Monday = Parse.Instant("2024-03-04T09:00:00+08:00");

    [Fact]
    public void Standard13710_Schedules1_3_7WorkingDays()
    {
        var schedule = TimeLimitProfile.Standard13710.Schedule(Monday, complex: false, China);

        Assert.Equal([Stage.Acknowledge, Stage.Feedback, Stage.Complete], schedule.Select(s => s.Stage));
        Assert.Equal(Parse.Instant("2024-03-06T00:00:00+08:00"), schedule[0].DueAt); // end of Tue 03-05
        Assert.Equal(Parse.Instant("2024-03-08T00:00:00+08:00"), schedule[1].DueAt); // end of Thu 03-07
        Assert.Equal(Parse.Instant("2024-03-14T00:00:00+08:00"), schedule[2].DueAt); // end of Wed 03-13
        Assert.All(schedule, s => Assert.False(s.IsProvisional));
    }

    [Fact]
    public void Standard13710_Schedules10WorkingDaysToComplete_WhenComplex()
    {
        var schedule = TimeLimitProfile.Standard13710.Schedule(Monday, complex: true, China);

        Assert.Equal(Parse.Instant("2024-03-06T00:00:00+08:00"), schedule[0].DueAt);
        Assert.Equal(Parse.Instant("2024-03-08T00:00:00+08:00"), schedule[1].DueAt);
        Assert.Equal(Parse.Instant("2024-03-19T00:00:00+08:00"), schedule[2].DueAt); // end of Mon 03-18
    }

    [Fact]
    public void Standard13710_DueSoonWindows_Are4HoursThen1WorkingDay()
    {
        var schedule = TimeLimitProfile.Standard13710.Schedule(Monday, complex: false, China);

        Assert.Equal(Parse.Instant("2024-03-05T20:00:00+08:00"), schedule[0].DueSoonAt);
        Assert.Equal(Parse.Instant("2024-03-07T00:00:00+08:00"), schedule[1].DueSoonAt);
        Assert.Equal(Parse.Instant("2024-03-13T00:00:00+08:00"), schedule[2].DueSoonAt);
    }

    [Fact]
    public void Standard13710_CountsAcrossSpringFestival()
    {
        var schedule = TimeLimitProfile.Standard13710.Schedule(Parse.Instant("2024-02-08T10:00:00+08:00"), false, China);

        Assert.Equal(Parse.Instant("2024-02-10T00:00:00+08:00"), schedule[0].DueAt); // 02-09
        Assert.Equal(Parse.Instant("2024-02-20T00:00:00+08:00"), schedule[1].DueAt); // 02-09, 02-18, 02-19
        Assert.Equal(Parse.Instant("2024-02-24T00:00:00+08:00"), schedule[2].DueAt); // …02-20, 02-21, 02-22, 02-23
    }

    [Fact]
    public void Schedule_ExplicitDeadlineBeforeTheAcknowledgeLimit_CapsEveryStage()
    {
        var completeBy = Parse.Instant("2024-03-04T18:00:00+08:00");

        var schedule = TimeLimitProfile.Standard13710.Schedule(Monday, false, China, new Deadline(completeBy, false));

        Assert.All(schedule, s => Assert.Equal(completeBy, s.DueAt));
        Assert.All(schedule, s => Assert.InRange(s.DueSoonAt, Monday, completeBy));
        Assert.Equal(Parse.Instant("2024-03-04T14:00:00+08:00"), schedule[0].DueSoonAt); // 4 hours before
    }

    [Fact]
    public void Schedule_ExplicitDeadlineBetweenStages_CapsOnlyLaterOnes()
    {
        var completeBy = Parse.Instant("2024-03-07T12:00:00+08:00"); // after acknowledge (03-06), before feedback (03-08)

        var schedule = TimeLimitProfile.Standard13710.Schedule(Monday, false, China, new Deadline(completeBy, false));

        Assert.Equal(Parse.Instant("2024-03-06T00:00:00+08:00"), schedule[0].DueAt);
        Assert.Equal(completeBy, schedule[1].DueAt);
        Assert.Equal(completeBy, schedule[2].DueAt);
    }

    [Fact]
    public void Urgent_SchedulesInHours()
    {
        var schedule = TimeLimitProfile.Urgent.Schedule(Parse.Instant("2024-02-09T22:00:00+08:00"), false, China);

        Assert.Equal(Parse.Instant("2024-02-10T00:00:00+08:00"), schedule[0].DueAt);
        Assert.Equal(Parse.Instant("2024-02-10T10:00:00+08:00"), schedule[1].DueAt);
        Assert.Equal(Parse.Instant("2024-02-11T22:00:00+08:00"), schedule[2].DueAt);
    }

    [Fact]
    public void MonthForComplex_GivesAComplexMatterThirtyDaysAndAnOrdinaryOneSevenWorkingDays()
    {
        // Assigned Thursday 2024-09-12; 中秋 is 9/15–9/17 with 9/14 (Saturday) worked.
        var start = Parse.Instant("2024-09-12T10:00:00+08:00");
        var ordinary = TimeLimitProfile.MonthForComplex.Schedule(start, complex: false, China);
        var complex = TimeLimitProfile.MonthForComplex.Schedule(start, complex: true, China);

        Assert.Equal(Parse.Instant("2024-09-14T00:00:00+08:00"), ordinary[0].DueAt); // 1 working day: Friday 9/13
        Assert.Equal(TimeLimitProfile.Standard13710.Schedule(start, false, China)[2].DueAt, ordinary[2].DueAt);
        Assert.Equal(Parse.Instant("2024-10-13T00:00:00+08:00"), complex[2].DueAt); // 30 days: Saturday 10/12, a working day (国庆调休)
    }

    [Fact]
    public void CalendarDays13710_CountsEveryDayButEndsOnAWorkingDay()
    {
        // Assigned Friday 2024-05-31: 7 days is Friday 6/7, 10 days Monday 6/10 is 端午 (a day off), so Tuesday 6/11.
        var start = Parse.Instant("2024-05-31T10:00:00+08:00");
        var ordinary = TimeLimitProfile.CalendarDays13710.Schedule(start, complex: false, China);
        var complex = TimeLimitProfile.CalendarDays13710.Schedule(start, complex: true, China);

        Assert.Equal(Parse.Instant("2024-06-04T00:00:00+08:00"), ordinary[0].DueAt); // 1 day is Saturday 6/1: Monday 6/3
        Assert.Equal(Parse.Instant("2024-06-08T00:00:00+08:00"), ordinary[2].DueAt);
        Assert.Equal(Parse.Instant("2024-06-12T00:00:00+08:00"), complex[2].DueAt);
    }

    [Fact]
    public void Petition_Has15DaysToAccept60ToDecideAnd90WhenComplex()
    {
        var start = Parse.Instant("2024-03-01T09:00:00+08:00");
        var schedule = TimeLimitProfile.Petition.Schedule(start, complex: false, China);

        Assert.Equal(Parse.Instant("2024-03-19T00:00:00+08:00"), schedule[0].DueAt); // 3/16 is a Saturday: Monday 3/18
        Assert.Equal(Parse.Instant("2024-05-01T00:00:00+08:00"), schedule[2].DueAt); // 4/30 is a Tuesday
        Assert.Equal(Parse.Instant("2024-05-31T00:00:00+08:00"), TimeLimitProfile.Petition.Schedule(start, true, China)[2].DueAt);
    }

    [Fact]
    public void Shipped_HaveUniqueNamesAndChineseDisplayNames()
    {
        Assert.Equal(TimeLimitProfile.DefaultName, TimeLimitProfile.Shipped[0].Name);
        Assert.Equal(TimeLimitProfile.Shipped.Count, TimeLimitProfile.Shipped.Select(p => p.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(TimeLimitProfile.Shipped, p => Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", p.DisplayName));
    }

    [Property(Arbitrary = [typeof(ScheduleCaseArbitrary)], MaxTest = 300)]
    public void Schedule_DueSoonIsBetweenStartAndDue(ScheduleCase c)
    {
        var completeBy = c.ExplicitAfterMinutes is { } minutes ? new Deadline(c.Start.AddMinutes(minutes), false) : (Deadline?)null;
        foreach (var profile in TimeLimitProfile.Shipped)
        {
            var schedule = profile.Schedule(c.Start, c.Complex, China, completeBy);
            Assert.Equal(3, schedule.Count);
            foreach (var s in schedule)
            {
                Assert.True(s.DueSoonAt <= s.DueAt, $"{profile.Name} {s.Stage}: due-soon {s.DueSoonAt:o} after due {s.DueAt:o}");
                Assert.True(s.DueSoonAt >= c.Start, $"{profile.Name} {s.Stage}: due-soon {s.DueSoonAt:o} before start {c.Start:o}");
                Assert.True(s.DueAt > c.Start, $"{profile.Name} {s.Stage}: due {s.DueAt:o} not after start {c.Start:o}");
                Assert.True(s.DueAt <= schedule[2].DueAt, $"{profile.Name} {s.Stage}: due after completion");
            }

            Assert.True(schedule[0].DueAt <= schedule[1].DueAt);
        }
    }

    [Fact]
    public void FromSettings_BuildsAProfile_WithDefaultWindowOf1WorkingDay()
    {
        var profile = TimeLimitProfile.FromSettings("x", null, new Dictionary<string, (string?, string?, string?)>
        {
            ["Acknowledge"] = ("2wd", null, "4h"),
            ["feedback"] = ("5wd", null, null),
            ["COMPLETE"] = ("15d", "30d", "2d"),
        }, "Profiles:x");

        Assert.Equal("x", profile.Name);
        Assert.Equal("x", profile.DisplayName);
        Assert.Equal(new StageLimit(Stage.Acknowledge, TimeLimit.WorkingDays(2), null, TimeLimit.Hours(4)), profile.For(Stage.Acknowledge));
        Assert.Equal(new StageLimit(Stage.Feedback, TimeLimit.WorkingDays(5), null, TimeLimit.WorkingDays(1)), profile.For(Stage.Feedback));
        Assert.Equal(TimeLimit.CalendarDays(30), profile.For(Stage.Complete).LimitFor(complex: true));
        Assert.Equal(TimeLimit.CalendarDays(15), profile.For(Stage.Complete).LimitFor(complex: false));
    }

    [Theory]
    [InlineData("7x", null, null, "Profiles:x:complete:Limit")]
    [InlineData(null, null, null, "Profiles:x:complete:Limit")]
    [InlineData("7wd", "0wd", null, "Profiles:x:complete:ComplexLimit")]
    [InlineData("7wd", null, "soon", "Profiles:x:complete:DueSoon")]
    public void FromSettings_NamesTheKeyOfABadValue(string? limit, string? complex, string? dueSoon, string key)
    {
        var ex = Assert.Throws<FormatException>(() => TimeLimitProfile.FromSettings("x", "X", new Dictionary<string, (string?, string?, string?)>
        {
            ["acknowledge"] = ("1wd", null, null),
            ["feedback"] = ("3wd", null, null),
            ["complete"] = (limit, complex, dueSoon),
        }, "Profiles:x"));

        Assert.Contains(key, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromSettings_NamesAMissingStage()
    {
        var ex = Assert.Throws<FormatException>(() => TimeLimitProfile.FromSettings("x", "X", new Dictionary<string, (string?, string?, string?)>
        {
            ["acknowledge"] = ("1wd", null, null),
            ["complete"] = ("7wd", null, null),
        }, "Profiles:x"));

        Assert.Contains("Profiles:x:feedback", ex.Message, StringComparison.Ordinal);
    }
}

/// <summary>A start instant anywhere in 2007–2026, complex or not, and maybe an explicit deadline 1 minute to 60 days later.</summary>
public sealed record ScheduleCase(DateTimeOffset Start, bool Complex, int? ExplicitAfterMinutes);

public static class ScheduleCaseArbitrary
{
    public static Arbitrary<ScheduleCase> Cases()
    {
        var first = new DateTimeOffset(2007, 1, 1, 0, 0, 0, TimeSpan.FromHours(8));
        var minutes = (int)(new DateTimeOffset(2026, 12, 31, 0, 0, 0, TimeSpan.FromHours(8)) - first).TotalMinutes;
        return Arb.From(
            from offset in Gen.Choose(0, minutes)
            from complex in Gen.Elements(true, false)
            from hasExplicit in Gen.Elements(true, false)
            from explicitAfter in Gen.Choose(1, 60 * 24 * 60)
            select new ScheduleCase(first.AddMinutes(offset), complex, hasExplicit ? explicitAfter : null));
    }
}
