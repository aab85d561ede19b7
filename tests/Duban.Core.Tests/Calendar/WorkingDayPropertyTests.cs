using Duban.Calendar;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Duban.Tests.Calendar;

/// <summary>A start date in 2007–2026 and two counts 0..60.</summary>
public sealed record CountCase(DateOnly Start, int N, int M);

public static class CountCaseArbitrary
{
    private static readonly DateOnly First = new(2007, 1, 1);
    private static readonly int Span = new DateOnly(2026, 12, 31).DayNumber - First.DayNumber;

    public static Arbitrary<CountCase> Cases() => Arb.From(
        from offset in Gen.Choose(0, Span)
        from n in Gen.Choose(0, 60)
        from m in Gen.Choose(0, 60)
        select new CountCase(First.AddDays(offset), n, m));
}

/// <summary>Two dates in 2000–2035, either order: spans of years, before, across and after the notices.</summary>
public sealed record SpanCase(DateOnly After, DateOnly Through);

public static class SpanCaseArbitrary
{
    private static readonly DateOnly First = new(2000, 1, 1);
    private static readonly int Span = new DateOnly(2035, 12, 31).DayNumber - First.DayNumber;

    public static Arbitrary<SpanCase> Cases() => Arb.From(
        from a in Gen.Choose(0, Span)
        from near in Gen.Elements(true, false)
        from b in near ? Gen.Choose(Math.Max(0, a - 40), Math.Min(Span, a + 40)) : Gen.Choose(0, Span)
        select new SpanCase(First.AddDays(a), First.AddDays(b)));
}

/// <remarks>The concrete classes carry <c>[Properties]</c>: the generators and the case count.</remarks>
public abstract class WorkingDayPropertyTests(string culture) : CulturePinned(culture)
{
    private static readonly WorkingCalendar China = WorkingCalendar.China;

    [Property]
    public bool AddWorkingDays_LandsOnAWorkingDay_WhenCountingAtLeastOne(CountCase c) =>
        c.N == 0 || China.IsWorkingDay(China.AddWorkingDays(c.Start, c.N).Date);

    [Property]
    public bool AddWorkingDays_ZeroIsTheStartDay(CountCase c) =>
        China.AddWorkingDays(c.Start, 0).Date == c.Start;

    [Property]
    public bool WorkingDaysBetween_InvertsAddWorkingDays(CountCase c) =>
        China.WorkingDaysBetween(c.Start, China.AddWorkingDays(c.Start, c.N).Date) == c.N;

    [Property]
    public bool WorkingDaysBetween_IsNegatedWhenReversed(CountCase c)
    {
        var end = China.AddWorkingDays(c.Start, c.N).Date;
        return China.WorkingDaysBetween(end, c.Start) == -c.N;
    }

    [Property]
    public bool WorkingDaysBetween_CountsTheWorkingDaysOneByOne(SpanCase c)
    {
        var (from, to, sign) = c.Through < c.After ? (c.Through, c.After, -1) : (c.After, c.Through, 1);
        var walked = 0;
        for (var day = from.AddDays(1); day <= to; day = day.AddDays(1))
        {
            walked += China.IsWorkingDay(day) ? 1 : 0;
        }

        return China.WorkingDaysBetween(c.After, c.Through) == sign * walked;
    }

    [Property]
    public bool AddWorkingDays_IsStrictlyAfterTheStart_ForCountsOfOneOrMore(CountCase c) =>
        c.N == 0 || China.AddWorkingDays(c.Start, c.N).Date > c.Start;

    [Property]
    public bool AddWorkingDays_IsStrictlyMonotoneInTheCount(CountCase c)
    {
        var (small, large) = (Math.Min(c.N, c.M), Math.Max(c.N, c.M));
        var a = China.AddWorkingDays(c.Start, small).Date;
        var b = China.AddWorkingDays(c.Start, large).Date;
        return small == large ? a == b : a < b;
    }

    [Property]
    public bool AddWorkingDays_NThenM_EqualsNPlusM(CountCase c)
    {
        var stepwise = China.AddWorkingDays(China.AddWorkingDays(c.Start, c.N).Date, c.M).Date;
        return stepwise == China.AddWorkingDays(c.Start, c.N + c.M).Date;
    }

    [Property]
    public bool AddWorkingDays_SkipsNoWorkingDay(CountCase c)
    {
        // Every day strictly between the start and the result that is a working day was counted: exactly N-1 of them.
        if (c.N == 0)
        {
            return true;
        }

        var end = China.AddWorkingDays(c.Start, c.N).Date;
        var working = 0;
        for (var d = c.Start.AddDays(1); d < end; d = d.AddDays(1))
        {
            working += China.IsWorkingDay(d) ? 1 : 0;
        }

        return working == c.N - 1;
    }
}

[Properties(Arbitrary = [typeof(CountCaseArbitrary), typeof(SpanCaseArbitrary)], MaxTest = 500)]
public sealed class WorkingDayPropertyTests_ZhCN() : WorkingDayPropertyTests(ZhCN);

[Properties(Arbitrary = [typeof(CountCaseArbitrary), typeof(SpanCaseArbitrary)], MaxTest = 500)]
public sealed class WorkingDayPropertyTests_Invariant() : WorkingDayPropertyTests(Invariant);
