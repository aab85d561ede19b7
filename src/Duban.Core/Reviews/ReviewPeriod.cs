using System.Globalization;
using Duban.Calendar;
using Duban.Matters;

namespace Duban.Reviews;

/// <summary>How a review period is cut.</summary>
public enum PeriodKind
{
    /// <summary>An ISO week, Monday to Sunday (周).</summary>
    Week,

    /// <summary>A calendar month (月).</summary>
    Month,

    /// <summary>A calendar quarter (季度).</summary>
    Quarter,

    /// <summary>A calendar year (年度).</summary>
    Year,

    /// <summary>Any run of dates (自定义时段).</summary>
    Range,
}

/// <summary>
/// The dates a review covers, both ends included, as Beijing dates: an instant belongs to the period when its Beijing
/// date does (<see cref="Calendar.ChinaTime.DateOf"/>). Made only through the parsers, which refuse malformed and future
/// periods with the reason in Chinese (<see cref="ValidationFailedException"/>).
/// </summary>
/// <param name="Kind">How it was cut.</param>
/// <param name="From">The first date.</param>
/// <param name="To">The last date.</param>
public sealed record ReviewPeriod(PeriodKind Kind, DateOnly From, DateOnly To)
{
    /// <summary>The longest range accepted (a little over three years), so a typo cannot ask for a century.</summary>
    public const int MaxRangeDays = 3 * 366 + 31;

    /// <summary>The number of dates covered.</summary>
    public int Days => To.DayNumber - From.DayNumber + 1;

    /// <summary>How people name it: 2024年3月, 2024年第10周, 2024年第一季度, 2024年, 2024年3月1日至3月15日.</summary>
    public string Label => Kind switch
    {
        PeriodKind.Month => $"{From.Year}年{From.Month}月",
        PeriodKind.Week => string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(From.ToDateTime(TimeOnly.MinValue))}年第{ISOWeek.GetWeekOfYear(From.ToDateTime(TimeOnly.MinValue))}周"),
        PeriodKind.Quarter => $"{From.Year}年第{"一二三四"[(From.Month - 1) / 3]}季度",
        PeriodKind.Year => $"{From.Year}年",
        _ => From.Year == To.Year
            ? $"{From.Year}年{From.Month}月{From.Day}日至{To.Month}月{To.Day}日"
            : $"{From.Year}年{From.Month}月{From.Day}日至{To.Year}年{To.Month}月{To.Day}日",
    };

    /// <summary>The key used in addresses and file names: 2024-03, 2024-W10, 2024-Q1, 2024, 2024-03-01_2024-03-15.</summary>
    public string Key => Kind switch
    {
        PeriodKind.Month => string.Create(CultureInfo.InvariantCulture, $"{From.Year:D4}-{From.Month:D2}"),
        PeriodKind.Week => string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(From.ToDateTime(TimeOnly.MinValue)):D4}-W{ISOWeek.GetWeekOfYear(From.ToDateTime(TimeOnly.MinValue)):D2}"),
        PeriodKind.Quarter => string.Create(CultureInfo.InvariantCulture, $"{From.Year:D4}-Q{(From.Month - 1) / 3 + 1}"),
        PeriodKind.Year => From.Year.ToString("D4", CultureInfo.InvariantCulture),
        _ => string.Create(CultureInfo.InvariantCulture, $"{From:yyyy-MM-dd}_{To:yyyy-MM-dd}"),
    };

    /// <summary>The period before, of the same kind (the same length for a range): what the rank change compares with.</summary>
    public ReviewPeriod Previous() => Kind switch
    {
        PeriodKind.Week => new(Kind, From.AddDays(-7), To.AddDays(-7)),
        PeriodKind.Month => new(Kind, From.AddMonths(-1), From.AddDays(-1)),
        PeriodKind.Quarter => new(Kind, From.AddMonths(-3), From.AddDays(-1)),
        PeriodKind.Year => new(Kind, From.AddYears(-1), From.AddDays(-1)),
        _ => new(Kind, From.AddDays(-Days), From.AddDays(-1)),
    };

    /// <summary>Whether a date lies inside.</summary>
    public bool Contains(DateOnly date) => date >= From && date <= To;

    /// <summary>A month written <c>2024-03</c>.</summary>
    public static ReviewPeriod ParseMonth(string? text, DateOnly today)
    {
        var t = text?.Trim() ?? "";
        if (t.Length != 7 || t[4] != '-' || !int.TryParse(t.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || !int.TryParse(t.AsSpan(5, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var month)
            || year < 2000 || month is < 1 or > 12)
        {
            throw ValidationFailedException.For("month", $"月份「{Show(text)}」无法识别，请写成 2024-03 这样的年-月。");
        }

        var from = new DateOnly(year, month, 1);
        return NotFuture(new(PeriodKind.Month, from, from.AddMonths(1).AddDays(-1)), today, "month");
    }

    /// <summary>An ISO week written <c>2024-W10</c>.</summary>
    public static ReviewPeriod ParseWeek(string? text, DateOnly today)
    {
        var t = text?.Trim().ToUpperInvariant() ?? "";
        if (t.Length is < 7 or > 8 || t[4] != '-' || t[5] != 'W'
            || !int.TryParse(t.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || !int.TryParse(t.AsSpan(6), NumberStyles.None, CultureInfo.InvariantCulture, out var week)
            || year < 2000 || week < 1 || week > ISOWeek.GetWeeksInYear(year))
        {
            throw ValidationFailedException.For("week", $"周次「{Show(text)}」无法识别，请写成 2024-W10 这样的年-W周次（该年共 {(t.Length >= 4 && int.TryParse(t.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var y) && y is >= 2000 and <= 9998 ? ISOWeek.GetWeeksInYear(y) : 52)} 周）。");
        }

        var from = DateOnly.FromDateTime(ISOWeek.ToDateTime(year, week, DayOfWeek.Monday));
        return NotFuture(new(PeriodKind.Week, from, from.AddDays(6)), today, "week");
    }

    /// <summary>A quarter written <c>2024-Q1</c>.</summary>
    public static ReviewPeriod ParseQuarter(string? text, DateOnly today)
    {
        var t = text?.Trim().ToUpperInvariant() ?? "";
        if (t.Length != 7 || t[4] != '-' || t[5] != 'Q'
            || !int.TryParse(t.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || t[6] is < '1' or > '4' || year < 2000)
        {
            throw ValidationFailedException.For("quarter", $"季度「{Show(text)}」无法识别，请写成 2024-Q1 这样的年-Q季度（1 至 4）。");
        }

        var from = new DateOnly(year, (t[6] - '1') * 3 + 1, 1);
        return NotFuture(new(PeriodKind.Quarter, from, from.AddMonths(3).AddDays(-1)), today, "quarter");
    }

    /// <summary>A year written <c>2024</c>.</summary>
    public static ReviewPeriod ParseYear(string? text, DateOnly today)
    {
        var t = text?.Trim() ?? "";
        if (t.Length != 4 || !int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var year) || year < 2000)
        {
            throw ValidationFailedException.For("year", $"年度「{Show(text)}」无法识别，请写成 2024 这样的四位年份。");
        }

        return NotFuture(new(PeriodKind.Year, new DateOnly(year, 1, 1), new DateOnly(year, 12, 31)), today, "year");
    }

    /// <summary>A run of dates written <c>2024-03-01</c> to <c>2024-03-15</c>; the end may not be after today.</summary>
    public static ReviewPeriod ParseRange(string? from, string? to, DateOnly today)
    {
        var errors = new Dictionary<string, string>();
        var first = ParseDate(from, "from", "开始日期", errors);
        var last = ParseDate(to, "to", "结束日期", errors);
        if (errors.Count == 0)
        {
            if (last < first)
            {
                errors["to"] = "结束日期不能早于开始日期。";
            }
            else if (last.DayNumber - first.DayNumber + 1 > MaxRangeDays)
            {
                errors["to"] = $"时段最长 {MaxRangeDays} 天。";
            }
            else if (first > today)
            {
                errors["from"] = $"开始日期 {first:yyyy-MM-dd} 还没有到，不能讲评。";
            }
            else if (last > today)
            {
                errors["to"] = $"结束日期 {last:yyyy-MM-dd} 还没有到；时段最晚到今天（{today:yyyy-MM-dd}）。";
            }
        }

        return errors.Count > 0 ? throw new ValidationFailedException(errors.ToDictionary(e => e.Key, e => new[] { e.Value })) : new(PeriodKind.Range, first, last);
    }

    /// <summary>The period named by a key as <see cref="Key"/> writes it (any kind).</summary>
    public static ReviewPeriod Parse(string? key, DateOnly today)
    {
        var t = key?.Trim() ?? "";
        return t switch
        {
            { Length: 4 } => ParseYear(t, today),
            { Length: 7 } when char.ToUpperInvariant(t[5]) == 'Q' => ParseQuarter(t, today),
            _ when t.Length >= 6 && t.Length <= 8 && t.Contains('W', StringComparison.OrdinalIgnoreCase) => ParseWeek(t, today),
            { Length: 7 } => ParseMonth(t, today),
            { Length: 21 } when t[10] == '_' => ParseRange(t[..10], t[11..], today),
            _ => throw ValidationFailedException.For("period", $"时段「{Show(key)}」无法识别：月写 2024-03，周写 2024-W10，季度写 2024-Q1，年度写 2024。"),
        };
    }

    /// <summary>The month, week, quarter or year that holds a date (the current one when the date is today).</summary>
    public static ReviewPeriod Holding(PeriodKind kind, DateOnly date) => kind switch
    {
        PeriodKind.Week => new(kind, date.AddDays(-(((int)date.DayOfWeek + 6) % 7)), date.AddDays(-(((int)date.DayOfWeek + 6) % 7) + 6)),
        PeriodKind.Month => new(kind, new DateOnly(date.Year, date.Month, 1), new DateOnly(date.Year, date.Month, 1).AddMonths(1).AddDays(-1)),
        PeriodKind.Quarter => new(kind, new DateOnly(date.Year, (date.Month - 1) / 3 * 3 + 1, 1), new DateOnly(date.Year, (date.Month - 1) / 3 * 3 + 1, 1).AddMonths(3).AddDays(-1)),
        PeriodKind.Year => new(kind, new DateOnly(date.Year, 1, 1), new DateOnly(date.Year, 12, 31)),
        _ => new(kind, date, date),
    };

    private static ReviewPeriod NotFuture(ReviewPeriod period, DateOnly today, string field) =>
        period.From > today
            ? throw ValidationFailedException.For(field, $"{period.Label}还没有到，不能讲评（今天是 {today:yyyy-MM-dd}）。")
            : period;

    private static DateOnly ParseDate(string? text, string field, string label, Dictionary<string, string> errors)
    {
        if (ChinaTime.TryParseDate(text?.Trim(), out var date)
            && date.Year >= 2000)
        {
            return date;
        }

        errors[field] = string.IsNullOrWhiteSpace(text) ? $"请填写{label}。" : $"{label}「{Show(text)}」无法识别，请写成 2024-03-01 这样的日期。";
        return default;
    }

    private static string Show(string? text) => text is null ? "" : text.Length > 30 ? text[..30] + "…" : text;
}
