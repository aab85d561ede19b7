using Duban.TimeLimits;

namespace Duban.Tests.TimeLimits;

public abstract class TimeLimitParseTests(string culture) : CulturePinned(culture)
{
    [Theory]
    [InlineData("7wd", 7, LimitUnit.WorkingDays)]
    [InlineData("15d", 15, LimitUnit.CalendarDays)]
    [InlineData("48h", 48, LimitUnit.Hours)]
    [InlineData(" 10WD ", 10, LimitUnit.WorkingDays)]
    [InlineData("3660d", 3660, LimitUnit.CalendarDays)]
    public void TryParse_ReadsAmountAndUnit(string text, int amount, LimitUnit unit)
    {
        Assert.True(TimeLimit.TryParse(text, out var limit));
        Assert.Equal(new TimeLimit(amount, unit), limit);
    }

    [Theory]
    [InlineData("0wd")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    [InlineData("7")]
    [InlineData("-1d")]
    [InlineData("+1d")]
    [InlineData("7x")]
    [InlineData("99999wd")]
    [InlineData("3661d")]
    [InlineData("wd")]
    [InlineData("1.5h")]
    [InlineData("7 wd")]
    public void TryParse_RejectsInvalidText(string? text)
    {
        Assert.False(TimeLimit.TryParse(text, out var limit));
        Assert.Equal(default, limit);
    }

    [Theory]
    [InlineData("7wd", "7个工作日")]
    [InlineData("15d", "15日")]
    [InlineData("48h", "48小时")]
    public void ToString_RoundTripsThroughTryParse(string text, string chinese)
    {
        Assert.True(TimeLimit.TryParse(text, out var limit));
        Assert.Equal(text, limit.ToString());
        Assert.Equal(chinese, limit.ToChinese());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    [InlineData(3661)]
    public void Factories_RejectAmountsOutOfRange(int amount)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TimeLimit.WorkingDays(amount));
        Assert.Throws<ArgumentOutOfRangeException>(() => TimeLimit.CalendarDays(amount));
        Assert.Throws<ArgumentOutOfRangeException>(() => TimeLimit.Hours(amount));
    }
}

public sealed class TimeLimitParseTests_ZhCN() : TimeLimitParseTests(ZhCN);

public sealed class TimeLimitParseTests_Invariant() : TimeLimitParseTests(Invariant);
