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

    /// <summary>Dates at .NET's own limits overflowed 24:00 or Beijing's offset and answered 500 (issue 17).</summary>
    [Theory]
    [InlineData("9999-12-31")]
    [InlineData("0001-01-01")]
    [InlineData("0001年1月1日")]
    [InlineData("9999-12-31T23:59:59")]
    [InlineData("0001-01-01T00:00:00Z")]
    [InlineData("1899-12-31")]
    [InlineData("2200-01-01")]
    public void DatesOutsideTheRange_AreNoDeadlineDateOrInstant(string text)
    {
        Assert.False(ChinaTime.TryParseDeadline(text, out _));
        Assert.False(ChinaTime.TryParseInstant(text, out _));
        Assert.False(ChinaTime.TryParseDate(text, out _));
        Assert.False(Duban.Tabular.CellValues.TryParseInstant(text, out _));
    }

    [Fact]
    public void TheRangesEnds_AreDeadlinesAndCells()
    {
        Assert.True(ChinaTime.TryParseDeadline("2199-12-31", out var last));
        Assert.Equal(ChinaTime.EndOf(ChinaTime.LastDate), last);
        Assert.True(ChinaTime.TryParseDate("1900-01-01", out var first));
        Assert.Equal(ChinaTime.FirstDate, first);
        Assert.False(Duban.Tabular.CellValues.TryParseInstant(DateTime.MinValue, out _));
        Assert.False(Duban.Tabular.CellValues.TryParseInstant(DateTimeOffset.MaxValue, out _));
        Assert.True(Duban.Tabular.CellValues.TryParseInstant(new DateTime(2024, 3, 1, 9, 0, 0), out _));
    }
}

public sealed class ChinaTimeTests_ZhCN() : ChinaTimeTests(ZhCN);

public sealed class ChinaTimeTests_Invariant() : ChinaTimeTests(Invariant);
