using System.Globalization;

namespace Duban.Data;

/// <summary>
/// Instants on SQLite: UTC as <c>yyyy-MM-dd HH:mm:ss.FFFFFFF</c> (the fraction's trailing zeros, and a zero fraction's
/// point, left out), the text Microsoft.Data.Sqlite writes for a DateTime, so it sorts and compares as the instants do
/// and raw SQL sees the same cells as before.
/// </summary>
public static class SqliteInstants
{
    private const string Form = @"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF";

    public static string Format(DateTimeOffset instant) => instant.UtcDateTime.ToString(Form, CultureInfo.InvariantCulture);

    /// <summary>Reads <see cref="Format"/>'s text; anything else the general parser understands is read by it, as UTC.</summary>
    public static DateTimeOffset Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParseForm(text, out var instant)
            ? instant
            : new DateTimeOffset(DateTime.SpecifyKind(
                DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal), DateTimeKind.Utc));
    }

    private static bool TryParseForm(ReadOnlySpan<char> s, out DateTimeOffset instant)
    {
        instant = default;
        if (s.Length < 19 || s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':' || s[16] != ':'
            || !Digits(s, 0, 4, out var year) || !Digits(s, 5, 2, out var month) || !Digits(s, 8, 2, out var day)
            || !Digits(s, 11, 2, out var hour) || !Digits(s, 14, 2, out var minute) || !Digits(s, 17, 2, out var second))
        {
            return false;
        }

        long ticks = 0;
        if (s.Length > 19)
        {
            var fraction = s.Length - 20;
            if (s[19] != '.' || fraction is < 1 or > 7 || !Digits(s, 20, fraction, out var digits))
            {
                return false;
            }

            ticks = digits;
            for (var i = fraction; i < 7; i++)
            {
                ticks *= 10;
            }
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        instant = new DateTimeOffset(new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).AddTicks(ticks));
        return true;
    }

    private static bool Digits(ReadOnlySpan<char> s, int start, int count, out int value)
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            var digit = s[i] - '0';
            if ((uint)digit > 9)
            {
                return false;
            }

            value = value * 10 + digit;
        }

        return true;
    }
}
