using System.Globalization;
using System.Text.Json;
using Duban.Calendar;

namespace Duban.Tests.Calendar;

/// <summary>
/// Checks the shipped calendar against the reference copy of the holiday notices in
/// <c>shared/data/holiday-cn/*.json</c> (beside the repository), read here independently of the core's parser.
/// </summary>
public abstract class HolidayDataTests(string culture) : CulturePinned(culture)
{
    private const int FirstYear = 2007, LastYear = 2026;

    [Fact]
    public void IsWorkingDay_MatchesEveryDayListedInTheReferenceNotices()
    {
        var listed = ReadReferenceDays();
        var wrong = listed
            .Where(kv => WorkingCalendar.China.IsWorkingDay(kv.Key) != !kv.Value.IsOffDay)
            .Select(kv => $"{Iso(kv.Key)} ({kv.Value.File}: isOffDay={kv.Value.IsOffDay})")
            .ToList();

        Assert.True(listed.Count > 600, $"expected the reference notices to list hundreds of days, got {listed.Count}");
        Assert.True(wrong.Count == 0, "working-day answer contradicts the notice for: " + string.Join(", ", wrong));
    }

    [Fact]
    public void IsWorkingDay_UnlistedDaysFrom2007Through2026Dec24_AreWorkingIffMondayToFriday()
    {
        var listed = ReadReferenceDays();
        var wrong = new List<string>();
        var checkedDays = 0;
        for (var date = new DateOnly(FirstYear, 1, 1); date <= new DateOnly(LastYear, 12, 24); date = date.AddDays(1))
        {
            if (listed.ContainsKey(date))
            {
                continue;
            }

            checkedDays++;
            var weekday = date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);
            if (WorkingCalendar.China.IsWorkingDay(date) != weekday)
            {
                wrong.Add($"{Iso(date)} {date.DayOfWeek}");
            }
        }

        Assert.True(checkedDays > 6500, $"only {checkedDays} unlisted days were checked");
        Assert.True(wrong.Count == 0, "unlisted days judged wrongly: " + string.Join(", ", wrong));
    }

    [Fact]
    public void ShippedBundle_HasExactlyTheYears2007Through2026()
    {
        var expected = Enumerable.Range(FirstYear, LastYear - FirstYear + 1).ToList();

        Assert.Equal(expected, WorkingCalendar.ShippedNotices().Select(n => n.Year).Order().ToList());
        Assert.Equal(expected, WorkingCalendar.China.Years.ToList());
    }

    [Fact]
    public void ReferenceData_HasOneFilePerYear2007Through2026()
    {
        var years = Directory.GetFiles(ReferenceDirectory(), "*.json")
            .Select(f => int.Parse(Path.GetFileNameWithoutExtension(f), CultureInfo.InvariantCulture))
            .Order()
            .ToList();

        Assert.Equal(Enumerable.Range(FirstYear, LastYear - FirstYear + 1).ToList(), years);
    }

    [Fact]
    public void ShippedBundle_ListsTheSameDaysAsTheReferenceNotices()
    {
        var reference = ReadReferenceDays()
            .Select(kv => $"{Iso(kv.Key)}:{kv.Value.IsOffDay}")
            .Order(StringComparer.Ordinal)
            .ToList();
        var shipped = WorkingCalendar.ShippedNotices()
            .SelectMany(n => n.Days)
            .Select(d => $"{Iso(d.Date)}:{d.IsOffDay}")
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(reference, shipped);
    }

    private sealed record ListedDay(bool IsOffDay, string File);

    /// <summary>Every day listed in any reference file. No date is listed twice in the 2007–2026 data.</summary>
    private static Dictionary<DateOnly, ListedDay> ReadReferenceDays()
    {
        var days = new Dictionary<DateOnly, ListedDay>();
        var files = Directory.GetFiles(ReferenceDirectory(), "*.json").Order(StringComparer.Ordinal).ToList();
        Assert.True(files.Count > 0, $"no json files in {ReferenceDirectory()}");
        foreach (var file in files)
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            var name = Path.GetFileName(file);
            foreach (var day in document.RootElement.GetProperty("days").EnumerateArray())
            {
                var date = Parse.Date(day.GetProperty("date").GetString()!);
                var off = day.GetProperty("isOffDay").GetBoolean();
                Assert.True(days.TryAdd(date, new ListedDay(off, name)), $"{Iso(date)} is listed in two reference files");
            }
        }

        return days;
    }

    /// <summary>
    /// <c>shared/data/holiday-cn</c> in the directory that holds the repository: walks up from the test binaries.
    /// Fails (does not skip) when it cannot be found.
    /// </summary>
    private static string ReferenceDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data", "holiday-cn");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        Assert.Fail("Reference holiday data not found: no shared/data/holiday-cn in any directory above "
            + AppContext.BaseDirectory + " (expected beside the repository root, e.g. /work/shared/data/holiday-cn).");
        return string.Empty;
    }

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

public sealed class HolidayDataTests_ZhCN() : HolidayDataTests(ZhCN);

public sealed class HolidayDataTests_Invariant() : HolidayDataTests(Invariant);
