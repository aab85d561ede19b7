using System.Globalization;
using Duban.Assessment;
using Duban.Data;
using Duban.Reviews;

namespace Duban.Web.Pages.Assessment;

/// <summary>How the 考评 pages write numbers, periods and errors.</summary>
public static class AssessmentUi
{
    /// <summary>A number as typed (30, 30%, 30.5, full-width digits); null when empty, NaN when it is not a number.</summary>
    public static double? Number(string? text)
    {
        var t = text?.Normalize(System.Text.NormalizationForm.FormKC).Trim().TrimEnd('%').Trim();
        if (string.IsNullOrEmpty(t))
        {
            return null;
        }

        return double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : double.NaN;
    }

    /// <summary>A number as the forms show it: 30, 35.5 (no noise from binary fractions).</summary>
    public static string Plain(double value) => Math.Round(value, 6).ToString("0.######", CultureInfo.InvariantCulture);

    /// <summary>A share (0.3) as the percentage people type (30).</summary>
    public static string Percent(double share) => Plain(share * 100);

    /// <summary>Points with two decimals, or —.</summary>
    public static string Points(double? points) => points is { } p ? p.ToString("0.00", CultureInfo.InvariantCulture) : "—";

    /// <summary>Signed points: +2.5, −1.</summary>
    public static string Signed(double points) => points.ToString("+0.##;-0.##;0", CultureInfo.InvariantCulture);

    /// <summary>A moment in Beijing time: 2024-03-05 14:30.</summary>
    public static string When(DateTimeOffset at) => Duban.Calendar.ChinaTime.ToLocal(at).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>A date as written on the pages.</summary>
    public static string Date(DateOnly date) => date.ToString("yyyy年M月d日", CultureInfo.InvariantCulture);

    /// <summary>A scheme's dates: 2024年1月1日起 or 2024年1月1日至2024年12月31日.</summary>
    public static string Dates(DateOnly from, DateOnly? to) => to is { } end ? $"{Date(from)}至{Date(end)}" : $"{Date(from)}起长期有效";

    /// <summary>The periods of a scheme's kind within its dates and up to today, newest first (at most five years'
    /// worth).</summary>
    public static IReadOnlyList<ReviewPeriod> Periods(SchemeView scheme, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(scheme);
        var last = scheme.To is { } to && to < today ? to : today;
        var periods = new List<ReviewPeriod>();
        if (last < scheme.From)
        {
            return periods;
        }

        for (var p = ReviewPeriod.Holding(scheme.PeriodKind, last); p.To >= scheme.From && periods.Count < 60; p = p.Previous())
        {
            periods.Add(p);
        }

        return periods;
    }

    /// <summary>The period a results page opens on: the latest that has ended, else the current one.</summary>
    public static ReviewPeriod? DefaultPeriod(IReadOnlyList<ReviewPeriod> periods, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(periods);
        return periods.FirstOrDefault(p => p.To < today) ?? periods.FirstOrDefault();
    }

    /// <summary>The metrics a component may use, with their Chinese names.</summary>
    public static IReadOnlyList<(string Key, string Label, bool Rate)> MetricChoices { get; } =
        Enum.GetValues<Metric>().Select(m => (Metrics.Key(m), Metrics.Label(m), Metrics.IsRate(m))).ToList();

    /// <summary>The events a point rule may count.</summary>
    public static IReadOnlyList<(string Key, string Label)> EventChoices { get; } =
        Enum.GetValues<PointEvent>().Select(e => (SchemeJson.Key(e), Scoring.Label(e))).ToList();

    /// <summary>How judges' scores combine, in words.</summary>
    public static string Combination(JudgeCombination combination) => Duban.Assessment.Judging.Label(combination);

    /// <summary>A judging session's state in words.</summary>
    public static string Status(JudgingStatus status) => status == JudgingStatus.Open ? "评分中" : "已结束";
}
