using System.Globalization;
using Duban.Reviews;

namespace Duban.Web.Pages.Assessment.Targets;

/// <summary>What the 目标任务 pages share: the period picker's choices and how figures are written.</summary>
public static class TargetUi
{
    /// <summary>The periods offered: this year and the next, each as the year, its quarters and its months, then last year.</summary>
    public static IReadOnlyList<(string Key, string Label)> Periods(DateOnly today)
    {
        var list = new List<(string, string)>();
        foreach (var year in new[] { today.Year, today.Year + 1, today.Year - 1 })
        {
            var y = year.ToString(CultureInfo.InvariantCulture);
            list.Add((y, $"{y}年度"));
            for (var q = 1; q <= 4; q++)
            {
                var p = ReviewPeriod.ParseQuarter(string.Create(CultureInfo.InvariantCulture, $"{year}-Q{q}"), DateOnly.MaxValue);
                list.Add((p.Key, p.Label));
            }

            for (var m = 1; m <= 12; m++)
            {
                var p = ReviewPeriod.ParseMonth(string.Create(CultureInfo.InvariantCulture, $"{year}-{m:00}"), DateOnly.MaxValue);
                list.Add((p.Key, p.Label));
            }
        }

        return list;
    }

    /// <summary>A count or amount: whole numbers without decimals.</summary>
    public static string Amount(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>A share as 96.5%.</summary>
    public static string Percent(double? value) => value is { } v ? (v * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%" : "—";
}
