using System.Globalization;
using Duban.Calendar;

namespace Duban.Tabular;

/// <summary>Spreadsheet cells as imports need them: A1 references, text, and instants written many ways.</summary>
public static class CellValues
{
    // Excel's serial day 1 is 1900-01-01 (with the 1900 leap-year bug DateTime.FromOADate already honours); 2958465 is 9999-12-31.
    private const double MinSerial = 1, MaxSerial = 2958465.99999;

    private static readonly string[] TextFormats =
    [
        "yyyy-M-d", "yyyy-M-d H:m", "yyyy-M-d H:m:s", "yyyy-M-dTH:m", "yyyy-M-dTH:m:s",
        "yyyy/M/d", "yyyy/M/d H:m", "yyyy/M/d H:m:s",
        "yyyy.M.d", "yyyy.M.d H:m", "yyyy.M.d H:m:s",
        "yyyy年M月d日", "yyyy年M月d日 H:m", "yyyy年M月d日 H:m:s", "yyyy年M月d日H:m", "yyyy年M月d日H:m:s",
        "yyyy年M月d日H时", "yyyy年M月d日H时m分", "yyyy年M月d日H时m分s秒", "yyyy年M月d日 H时m分", "yyyy年M月d日 H时m分s秒",
        "yyyy年M月d号", "yyyyMMdd",
    ];

    /// <summary>The letters of a 0-based column: 0 → A, 25 → Z, 26 → AA.</summary>
    public static string ColumnName(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        var name = string.Empty;
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
        {
            name = (char)('A' + ((n - 1) % 26)) + name;
        }

        return name;
    }

    /// <summary>The 0-based column of letters such as <c>AA</c>, or -1.</summary>
    public static int ColumnIndex(string letters)
    {
        ArgumentNullException.ThrowIfNull(letters);
        if (letters.Length is 0 or > 3 || !letters.All(c => c is >= 'A' and <= 'Z'))
        {
            return -1;
        }

        var n = 0;
        foreach (var c in letters)
        {
            n = (n * 26) + (c - 'A' + 1);
        }

        return n - 1;
    }

    /// <summary>An A1-style cell reference, e.g. column 2, row 7 → <c>C7</c>.</summary>
    public static string Reference(int column, int row) => ColumnName(column) + row.ToString(CultureInfo.InvariantCulture);

    /// <summary>A cell's value as text: numbers without a spurious <c>.0</c> (a phone typed as a number stays
    /// 13812345678), instants as Beijing wall-clock time; blank gives null.</summary>
    public static string? Text(object? value) => value switch
    {
        null => null,
        string s => string.IsNullOrWhiteSpace(s) ? null : s.Trim(),
        double d when Math.Abs(d) < 1e15 && d == Math.Floor(d) => ((long)d).ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        decimal m => m.ToString(CultureInfo.InvariantCulture),
        DateTime t => t.ToString(t.TimeOfDay == TimeSpan.Zero ? "yyyy-MM-dd" : "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        DateTimeOffset o => ChinaTime.ToLocal(o).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        bool b => b ? "TRUE" : "FALSE",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    /// <summary>
    /// Reads an instant from a cell: a date cell, an Excel serial number (also as text, e.g. <c>45352.375</c>), or
    /// text such as <c>2024年3月1日</c>, <c>2024/3/1 9:00</c>, <c>2024-03-01</c> or ISO 8601 with an offset.
    /// Wall-clock values are Beijing time.
    /// </summary>
    public static bool TryParseInstant(object? value, out DateTimeOffset instant)
    {
        instant = default;
        switch (value)
        {
            case DateTime t when ChinaTime.IsInRange(DateOnly.FromDateTime(t)):
                instant = Local(t);
                return true;
            case DateTimeOffset o when ChinaTime.IsInRange(DateOnly.FromDateTime(o.DateTime)):
                instant = o;
                return true;
            case double d:
                return FromSerial(d, out instant);
            case decimal m:
                return FromSerial((double)m, out instant);
            case int i:
                return FromSerial(i, out instant);
            case long l:
                return FromSerial(l, out instant);
            case string s:
                return TryParseText(s, out instant);
            default:
                return false;
        }
    }

    private static bool TryParseText(string text, out DateTimeOffset instant)
    {
        instant = default;
        var trimmed = text.Trim().Replace('\u3000', ' ');
        if (trimmed.Length == 0)
        {
            return false;
        }

        if (DateTime.TryParseExact(trimmed, TextFormats, CultureInfo.InvariantCulture, DateTimeStyles.AllowInnerWhite, out var local))
        {
            if (!ChinaTime.IsInRange(DateOnly.FromDateTime(local)))
            {
                return false;
            }

            instant = Local(local);
            return true;
        }

        if (double.TryParse(trimmed, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var serial) && trimmed.Length <= 12
            && !trimmed.StartsWith('.'))
        {
            return FromSerial(serial, out instant);
        }

        return trimmed.Contains('T', StringComparison.Ordinal) && ChinaTime.TryParseInstant(trimmed, out instant);
    }

    private static bool FromSerial(double serial, out DateTimeOffset instant)
    {
        instant = default;
        if (double.IsNaN(serial) || serial < MinSerial || serial > MaxSerial)
        {
            return false;
        }

        // Round to the second: a serial carries float noise (0.375 may come back as 08:59:59.9999).
        var t = DateTime.FromOADate(serial);
        if (!ChinaTime.IsInRange(DateOnly.FromDateTime(t)))
        {
            return false; // serial 1 is 1899-12-31 and 2958465 is 9999-12-31: outside the dates Duban takes (found by fuzzing)
        }

        instant = Local(new DateTime(t.Year, t.Month, t.Day, 0, 0, 0, DateTimeKind.Unspecified).AddSeconds(Math.Round(t.TimeOfDay.TotalSeconds)));
        return true;
    }

    private static DateTimeOffset Local(DateTime wallClock)
    {
        var unspecified = DateTime.SpecifyKind(wallClock, DateTimeKind.Unspecified);
        return new DateTimeOffset(unspecified, ChinaTime.Zone.GetUtcOffset(unspecified));
    }
}
