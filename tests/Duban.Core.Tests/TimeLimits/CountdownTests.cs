using Duban.Calendar;
using Duban.TimeLimits;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Duban.Tests.TimeLimits;

/// <summary>Two instants within 2024–2025, minutes apart by up to 60 days.</summary>
public sealed record InstantPair(DateTimeOffset A, DateTimeOffset B);

public static class InstantPairArbitrary
{
    private static readonly DateTimeOffset First = new(2024, 1, 1, 0, 0, 0, TimeSpan.FromHours(8));

    public static Arbitrary<InstantPair> Pairs() => Arb.From(
        from a in Gen.Choose(0, 2 * 365 * 24 * 60)
        from d in Gen.Choose(-60 * 24 * 60, 60 * 24 * 60)
        select new InstantPair(First.AddMinutes(a), First.AddMinutes(a + d)));
}

/// <summary>Countdowns count working time only, in Shanghai days.</summary>
public abstract class CountdownTests(string culture) : CulturePinned(culture)
{
    private static readonly WorkingCalendar China = WorkingCalendar.China;

    [Theory]
    // Mon 2024-03-11 21:00 → Wed 24:00: 3 hours of Monday, Tuesday and Wednesday.
    [InlineData("2024-03-11T21:00:00+08:00", "2024-03-14T00:00:00+08:00", "剩 2 个工作日 3 小时")]
    // Thu 02-08 10:00 → 02-20 00:00 across the Spring Festival: 14 h of Thursday, Fri 02-09, make-up Sun 02-18, Mon 02-19.
    [InlineData("2024-02-08T10:00:00+08:00", "2024-02-20T00:00:00+08:00", "剩 3 个工作日 14 小时")]
    // Due at 24:00 on Tue 03-12; Thursday 05:00 is all of Wednesday and 5 h of Thursday late.
    [InlineData("2024-03-14T05:00:00+08:00", "2024-03-13T00:00:00+08:00", "超期 1 个工作日 5 小时")]
    // Due at 24:00 on Fri 03-08; Saturday counts nothing.
    [InlineData("2024-03-09T15:00:00+08:00", "2024-03-09T00:00:00+08:00", "已超期")]
    [InlineData("2024-03-11T23:30:00+08:00", "2024-03-12T00:00:00+08:00", "剩不足 1 小时")]
    [InlineData("2024-03-13T00:00:00+08:00", "2024-03-13T00:00:00+08:00", "剩不足 1 小时")]
    public void Text_CountsWorkingTimeOnly(string now, string due, string expected) =>
        Assert.Equal(expected, Countdown.Between(Parse.Instant(now), Parse.Instant(due), China).Text);

    [Property(Arbitrary = [typeof(InstantPairArbitrary)], MaxTest = 300)]
    public bool Between_IsTheSameSpanBothWays_AndNeverMoreThanTheClockTime(InstantPair p)
    {
        var forward = Countdown.Between(p.A, p.B, China);
        var backward = Countdown.Between(p.B, p.A, China);
        var hours = (forward.WorkingDays * 24) + forward.Hours;
        return forward.WorkingDays == backward.WorkingDays && forward.Hours == backward.Hours
            && (p.A == p.B || forward.Overdue != backward.Overdue)
            && hours <= Math.Abs((p.B - p.A).TotalHours) && forward.Hours is >= 0 and < 24;
    }
}

public sealed class CountdownTests_ZhCN() : CountdownTests(ZhCN);

public sealed class CountdownTests_Invariant() : CountdownTests(Invariant);
