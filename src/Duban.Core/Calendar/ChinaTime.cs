namespace Duban.Calendar;

/// <summary>
/// The one time zone deadlines are reckoned in: Asia/Shanghai (UTC+08:00, no daylight saving since 1991).
/// Instants cross into local dates here and nowhere else.
/// </summary>
public static class ChinaTime
{
    /// <summary>The first date Duban takes from people and files (see <see cref="IsInRange"/>).</summary>
    public static DateOnly FirstDate { get; } = new(1900, 1, 1);

    /// <summary>The last date Duban takes from people and files.</summary>
    public static DateOnly LastDate { get; } = new(2199, 12, 31);

    /// <summary>Whether a date is one Duban takes: wide enough for any record or plan, and far enough from .NET's own
    /// limits (0001-01-01, 9999-12-31) that reckoning 24:00 or Beijing's offset never overflows.</summary>
    public static bool IsInRange(DateOnly date) => date >= FirstDate && date <= LastDate;

    /// <summary>A date as forms and the API write it (<c>2024-03-20</c>), within <see cref="FirstDate"/>…<see cref="LastDate"/>.</summary>
    public static bool TryParseDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text?.Trim(), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.None, out date) && IsInRange(date);

    /// <summary>The Asia/Shanghai zone from the system's tz database.</summary>
    public static TimeZoneInfo Zone { get; } = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    /// <summary>The instant shown as Shanghai wall-clock time, with its +08:00 offset.</summary>
    public static DateTimeOffset ToLocal(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    /// <summary>The Shanghai calendar date on which the instant falls.</summary>
    public static DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDateTime(ToLocal(instant).DateTime);

    /// <summary>00:00 Shanghai time at the start of the date.</summary>
    public static DateTimeOffset StartOf(DateOnly date)
    {
        var local = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, Zone.GetUtcOffset(local));
    }

    /// <summary>24:00 at the end of the date, that is 00:00 of the next day (期间届满之日的二十四时).</summary>
    public static DateTimeOffset EndOf(DateOnly date) => StartOf(date.AddDays(1));

    /// <summary>A deadline as people write it: a date means 24:00 of that day in Beijing (2024-03-20), an instant
    /// is taken as written (2024-03-20T18:00+08:00, or local Beijing time without an offset).</summary>
    public static bool TryParseDeadline(string text, out DateTimeOffset deadline)
    {
        if (TryParseDate(text, out var date))
        {
            deadline = EndOf(date);
            return true;
        }

        return TryParseInstant(text ?? "", out deadline);
    }

    /// <summary>
    /// Reads a wall-clock time such as <c>2024-02-08T10:00</c> as Shanghai time; an explicit offset
    /// (<c>2024-02-08T10:00+08:00</c>, <c>…Z</c>) is honoured as given. A date outside <see cref="IsInRange"/> is no instant.
    /// </summary>
    public static bool TryParseInstant(string text, out DateTimeOffset instant)
    {
        instant = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var trimmed = text.Trim();
        var hasOffset = trimmed.EndsWith('Z') || trimmed.EndsWith('z')
            || (trimmed.Length > 10 && (trimmed.LastIndexOf('+') > 9 || trimmed.LastIndexOf('-') > 9));
        if (hasOffset)
        {
            return DateTimeOffset.TryParse(trimmed, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.None, out instant) && IsInRange(DateOnly.FromDateTime(instant.DateTime));
        }

        if (!DateTime.TryParse(trimmed, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.None, out var local) || !IsInRange(DateOnly.FromDateTime(local)))
        {
            return false;
        }

        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        instant = new DateTimeOffset(local, Zone.GetUtcOffset(local));
        return true;
    }
}
