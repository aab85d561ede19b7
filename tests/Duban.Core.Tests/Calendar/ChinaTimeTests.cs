using Duban.Calendar;

namespace Duban.Tests.Calendar;

public abstract class ChinaTimeTests(string culture) : CulturePinned(culture)
{
    [Theory]
    [InlineData("2024-02-08T15:59:59Z", "2024-02-08")]
    [InlineData("2024-02-08T16:00:00Z", "2024-02-09")]
    [InlineData("2024-02-09T01:00:00+08:00", "2024-02-09")]
    [InlineData("2024-02-08T12:00:00-05:00", "2024-02-09")]
    public void DateOf_IsTheShanghaiDate(string instant, string date)
    {
        Assert.Equal(Parse.Date(date), ChinaTime.DateOf(Parse.Instant(instant)));
    }

    [Fact]
    public void EndOf_Is24HundredThatIsMidnightOfTheNextDay_AtPlus8()
    {
        var end = ChinaTime.EndOf(Parse.Date("2024-12-31"));

        Assert.Equal(new DateTimeOffset(2025, 1, 1, 0, 0, 0, Parse.China), end);
        Assert.Equal(Parse.China, end.Offset);
        Assert.Equal(Parse.Instant("2024-12-31T16:00:00Z"), end);
    }

    [Theory]
    [InlineData("2024-02-08T10:00", "2024-02-08T10:00:00+08:00")]   // wall clock: read as Shanghai time
    [InlineData("2024-02-08", "2024-02-08T00:00:00+08:00")]
    [InlineData("2024-02-08T10:00Z", "2024-02-08T18:00:00+08:00")]  // explicit offsets are honoured
    [InlineData("2024-02-08T10:00-05:00", "2024-02-08T23:00:00+08:00")]
    [InlineData(" 2024-02-08T10:00+08:00 ", "2024-02-08T10:00:00+08:00")]
    public void TryParseInstant_ReadsWallClockAsShanghai_AndHonoursOffsets(string text, string expected)
    {
        Assert.True(ChinaTime.TryParseInstant(text, out var instant));
        Assert.Equal(Parse.Instant(expected), instant);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("tomorrow")]
    [InlineData("2024-02-30T10:00")]
    public void TryParseInstant_RejectsNonsense(string text)
    {
        Assert.False(ChinaTime.TryParseInstant(text, out _));
    }
}

public sealed class ChinaTimeTests_ZhCN() : ChinaTimeTests(ZhCN);

public sealed class ChinaTimeTests_Invariant() : ChinaTimeTests(Invariant);
