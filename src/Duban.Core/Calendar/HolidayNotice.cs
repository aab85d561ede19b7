using System.Globalization;
using System.Text.Json;

namespace Duban.Calendar;

/// <summary>One day named in a State Council holiday notice.</summary>
/// <param name="Date">The date.</param>
/// <param name="Name">The holiday it belongs to, e.g. 春节.</param>
/// <param name="IsOffDay"><c>true</c> for a day off; <c>false</c> for a make-up working day (调休上班).</param>
public sealed record NoticeDay(DateOnly Date, string Name, bool IsOffDay);

/// <summary>
/// The State Council's holiday notice (国务院办公厅关于某年部分节假日安排的通知) for one year: the days it
/// makes holidays and the weekend days it makes working days. A notice may name late-December days of the
/// previous year (e.g. 2007's notice names 2006-12-30).
/// </summary>
/// <param name="Year">The year of the notice.</param>
/// <param name="Papers">Addresses of the notice text.</param>
/// <param name="Days">Every day the notice names.</param>
public sealed record HolidayNotice(int Year, IReadOnlyList<string> Papers, IReadOnlyList<NoticeDay> Days)
{
    /// <summary>Notice years the calendar accepts.</summary>
    public const int MinYear = 2000, MaxYear = 2100;

    /// <summary>
    /// Reads one notice in the holiday-cn format (<c>{"year":2024,"papers":[…],"days":[{"name","date","isOffDay"}]}</c>)
    /// and checks it: dates are real, within the notice year (or the last days of the year before), not listed twice.
    /// </summary>
    /// <exception cref="FormatException">The text is not a valid notice; the message says what is wrong.</exception>
    public static HolidayNotice Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return FromJson(document.RootElement);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"节假日数据不是有效的 JSON / not valid JSON: {ex.Message}", ex);
        }
    }

    /// <summary>Reads the shipped bundle: <c>{"years":[notice, …]}</c>.</summary>
    /// <exception cref="FormatException">The bundle or one of its notices is invalid.</exception>
    public static IReadOnlyList<HolidayNotice> ParseBundle(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (!document.RootElement.TryGetProperty("years", out var years) || years.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("节假日数据缺少 years 数组");
            }

            return years.EnumerateArray().Select(FromJson).ToList();
        }
        catch (JsonException ex)
        {
            throw new FormatException($"节假日数据不是有效的 JSON / not valid JSON: {ex.Message}", ex);
        }
    }

    /// <summary>Writes the notice in the holiday-cn format, days in date order.</summary>
    public string ToJson() => JsonSerializer.Serialize(new
    {
        year = Year,
        papers = Papers,
        days = Days.OrderBy(d => d.Date).Select(d => new
        {
            name = d.Name,
            date = d.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            isOffDay = d.IsOffDay,
        }),
    }, JsonOptions);

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static HolidayNotice FromJson(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("节假日通知必须是 JSON 对象");
        }

        if (!root.TryGetProperty("year", out var yearElement) || yearElement.ValueKind != JsonValueKind.Number
            || !yearElement.TryGetInt32(out var year)
            || year is < MinYear or > MaxYear)
        {
            throw new FormatException($"year 必须是 {MinYear}–{MaxYear} 之间的整数 / \"year\" must be an integer in {MinYear}–{MaxYear}");
        }

        var papers = new List<string>();
        if (root.TryGetProperty("papers", out var papersElement) && papersElement.ValueKind == JsonValueKind.Array)
        {
            papers.AddRange(papersElement.EnumerateArray().Select(p => p.ValueKind is JsonValueKind.String or JsonValueKind.Null
                ? p.GetString() ?? string.Empty
                : throw new FormatException($"{year}: papers 必须是字符串数组 / \"papers\" must be an array of strings")));
        }

        if (!root.TryGetProperty("days", out var daysElement) || daysElement.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"{year}: 缺少 days 数组");
        }

        var days = new List<NoticeDay>();
        var seen = new HashSet<DateOnly>();
        var index = 0;
        foreach (var day in daysElement.EnumerateArray())
        {
            var where = $"{year}: days[{index}]";
            if (day.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"{where}: 必须是 JSON 对象");
            }

            var dateText = day.TryGetProperty("date", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
            if (dateText is null || !ChinaTime.TryParseDate(dateText, out var date))
            {
                throw new FormatException($"{where}: date 必须是 yyyy-MM-dd 格式 / \"date\" must be yyyy-MM-dd");
            }

            if (date.Year != year && !(date.Year == year - 1 && date.Month == 12))
            {
                throw new FormatException($"{where}: {dateText} 不属于 {year} 年的通知");
            }

            if (!day.TryGetProperty("isOffDay", out var off) || off.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                throw new FormatException($"{where}: isOffDay 必须是 true 或 false / \"isOffDay\" must be true or false");
            }

            if (!seen.Add(date))
            {
                throw new FormatException($"{where}: {dateText} 重复");
            }

            var name = day.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : string.Empty;
            days.Add(new NoticeDay(date, name, off.GetBoolean()));
            index++;
        }

        return new HolidayNotice(year, papers, days);
    }
}
