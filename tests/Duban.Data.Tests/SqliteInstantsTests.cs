using Duban.Data;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Data.Sqlite;

namespace Duban.Tests;

/// <summary>Instants on SQLite: the cells stay the text Microsoft.Data.Sqlite writes for a UTC DateTime (databases
/// written before keep reading the same), and read back to the same instant.</summary>
public sealed class SqliteInstantsTests
{
    /// <summary>Instants from year 1 to 9999 at any tick and offset, many of them on whole seconds and milliseconds.</summary>
    public static class Instants
    {
        public static Arbitrary<DateTimeOffset> Any() => Arb.From(
            from day in Gen.Choose(1, DateOnly.MaxValue.DayNumber - 1)
            from second in Gen.Choose(0, 86_399)
            from tick in Gen.Choose(0, 9_999_999)
            let ticks = day * TimeSpan.TicksPerDay + second * TimeSpan.TicksPerSecond + tick
            from round in Gen.Elements(1L, TimeSpan.TicksPerSecond, TimeSpan.TicksPerMillisecond, 10L)
            from minutes in Gen.Choose(-14 * 60, 14 * 60)
            select new DateTimeOffset(ticks / round * round, TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(minutes)));
    }

    [Property(Arbitrary = [typeof(Instants)], MaxTest = 2000)]
    public bool Format_IsWhatSqliteWritesForTheUtcDateTime_AndParseReadsItBack(DateTimeOffset instant)
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT $at";
        command.Parameters.AddWithValue("$at", instant.UtcDateTime);
        var written = (string)command.ExecuteScalar()!;

        var text = SqliteInstants.Format(instant);
        var back = SqliteInstants.Parse(text);
        return text == written && back == instant && back.Offset == TimeSpan.Zero;
    }

    [Theory]
    [InlineData("2026-12-06 10:29:42.4794502", "2026-12-06T10:29:42.4794502Z")]
    [InlineData("2026-12-06 10:29:42.5", "2026-12-06T10:29:42.5Z")]
    [InlineData("2026-12-06 10:29:42", "2026-12-06T10:29:42Z")]
    [InlineData("2024-02-29 00:00:00", "2024-02-29T00:00:00Z")]
    [InlineData("2026-12-06T10:29:42Z", "2026-12-06T10:29:42Z")] // another form: the general parser, as UTC
    [InlineData("2026-12-06 18:29:42+08:00", "2026-12-06T10:29:42Z")]
    public void Parse_ReadsItsFormAndOthersAsUtc(string text, string expected) =>
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), SqliteInstants.Parse(text));

    [Theory]
    [InlineData("2023-02-29 00:00:00")]
    [InlineData("2026-13-01 00:00:00")]
    [InlineData("2026-12-06 24:00:00")]
    [InlineData("not a date")]
    public void Parse_RefusesWhatIsNoInstant(string text) =>
        Assert.ThrowsAny<FormatException>(() => SqliteInstants.Parse(text));
}
