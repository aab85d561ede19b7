using Duban.Calendar;

namespace Duban.Tests.Calendar;

public abstract class HolidayNoticeParseTests(string culture) : CulturePinned(culture)
{
    private const string Valid = """
        {
          "year": 2024,
          "papers": ["https://www.gov.cn/zhengce/zhengceku/202310/content_6911528.htm"],
          "days": [
            { "name": "春节", "date": "2024-02-18", "isOffDay": false },
            { "name": "元旦", "date": "2024-01-01", "isOffDay": true },
            { "name": "春节", "date": "2024-02-10", "isOffDay": true }
          ]
        }
        """;

    [Theory]
    [InlineData("{ \"year\": 2024, \"days\": [", "JSON")]
    [InlineData("not json at all", "JSON")]
    public void Parse_RejectsInvalidJson(string json, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => HolidayNotice.Parse(json));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RejectsAMissingYear()
    {
        var ex = Assert.Throws<FormatException>(() => HolidayNotice.Parse("""{ "papers": [], "days": [] }"""));
        Assert.Contains("year", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RejectsAnImpossibleDate()
    {
        var ex = Assert.Throws<FormatException>(() => HolidayNotice.Parse(
            """{ "year": 2024, "days": [ { "name": "x", "date": "2024-02-30", "isOffDay": true } ] }"""));
        Assert.Contains("days[0]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("date", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RejectsADateOutsideTheNoticeYear()
    {
        var ex = Assert.Throws<FormatException>(() => HolidayNotice.Parse(
            """{ "year": 2024, "days": [ { "name": "劳动节", "date": "2022-05-01", "isOffDay": true } ] }"""));
        Assert.Contains("2022-05-01", ex.Message, StringComparison.Ordinal);
        Assert.Contains("不属于 2024 年的通知", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_AcceptsLateDecemberOfThePreviousYear_ButNotJanuaryOfTheNext()
    {
        var notice = HolidayNotice.Parse(
            """{ "year": 2007, "days": [ { "name": "元旦", "date": "2006-12-30", "isOffDay": false } ] }""");
        Assert.Equal(Parse.Date("2006-12-30"), Assert.Single(notice.Days).Date);

        var ex = Assert.Throws<FormatException>(() => HolidayNotice.Parse(
            """{ "year": 2007, "days": [ { "name": "元旦", "date": "2008-01-01", "isOffDay": true } ] }"""));
        Assert.Contains("2008-01-01", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RejectsADuplicatedDate()
    {
        var ex = Assert.Throws<FormatException>(() => HolidayNotice.Parse("""
            { "year": 2024, "days": [
              { "name": "国庆节", "date": "2024-10-01", "isOffDay": true },
              { "name": "国庆节", "date": "2024-10-01", "isOffDay": true } ] }
            """));
        Assert.Contains("2024-10-01", ex.Message, StringComparison.Ordinal);
        Assert.Contains("重复", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RejectsAMissingIsOffDay()
    {
        var ex = Assert.Throws<FormatException>(() => HolidayNotice.Parse(
            """{ "year": 2024, "days": [ { "name": "春节", "date": "2024-02-10" } ] }"""));
        Assert.Contains("isOffDay", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RejectsAMissingDaysArray()
    {
        var ex = Assert.Throws<FormatException>(() => HolidayNotice.Parse("""{ "year": 2024 }"""));
        Assert.Contains("days", ex.Message, StringComparison.Ordinal);
    }

    // Wrongly typed values must be reported as FormatException like any other invalid notice,
    // not escape as InvalidOperationException from JsonElement.
    [Theory]
    [InlineData("""{ "year": "2024", "days": [] }""", "year")]
    [InlineData("""{ "year": 2024, "papers": [1], "days": [] }""", "papers")]
    [InlineData("""{ "year": 2024, "days": [ 1 ] }""", "days[0]")]
    [InlineData("""{ "year": 2024, "days": [ "2024-02-10" ] }""", "days[0]")]
    public void Parse_RejectsWronglyTypedValuesWithFormatException(string json, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => HolidayNotice.Parse(json));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ReadsAValidNotice()
    {
        var notice = HolidayNotice.Parse(Valid);

        Assert.Equal(2024, notice.Year);
        Assert.Equal(["https://www.gov.cn/zhengce/zhengceku/202310/content_6911528.htm"], notice.Papers);
        Assert.Equal(
            [
                new NoticeDay(Parse.Date("2024-02-18"), "春节", false),
                new NoticeDay(Parse.Date("2024-01-01"), "元旦", true),
                new NoticeDay(Parse.Date("2024-02-10"), "春节", true),
            ],
            notice.Days);
    }

    [Fact]
    public void ToJson_RoundTripsThroughParse_WithDaysInDateOrder()
    {
        var original = HolidayNotice.Parse(Valid);

        var json = original.ToJson();
        var again = HolidayNotice.Parse(json);

        Assert.Contains("春节", json, StringComparison.Ordinal); // Chinese is written as is, not \uXXXX
        Assert.Equal(original.Year, again.Year);
        Assert.Equal(original.Papers, again.Papers);
        Assert.Equal(original.Days.OrderBy(d => d.Date), again.Days);
        Assert.Equal(["2024-01-01", "2024-02-10", "2024-02-18"],
            again.Days.Select(d => d.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void ToJson_RoundTripsEveryShippedNotice()
    {
        foreach (var notice in WorkingCalendar.ShippedNotices())
        {
            var again = HolidayNotice.Parse(notice.ToJson());
            Assert.Equal(notice.Year, again.Year);
            Assert.Equal(notice.Papers, again.Papers);
            Assert.Equal(notice.Days.OrderBy(d => d.Date), again.Days);
        }
    }

    [Fact]
    public void ParseBundle_RejectsABundleWithoutYears()
    {
        var ex = Assert.Throws<FormatException>(() => HolidayNotice.ParseBundle("""{ "notices": [] }"""));
        Assert.Contains("years", ex.Message, StringComparison.Ordinal);
    }
}

public sealed class HolidayNoticeParseTests_ZhCN() : HolidayNoticeParseTests(ZhCN);

public sealed class HolidayNoticeParseTests_Invariant() : HolidayNoticeParseTests(Invariant);
