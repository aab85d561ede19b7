using Duban.Data;
using Duban.Matters;
using Duban.Reviews;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Duban.Web.Pages.Reviews;

/// <summary>The matters behind one number of a review (<see cref="ReviewQueries.DrillDownAsync"/>), with what each
/// counts there and the sum that gives the number back.</summary>
public sealed class MattersModel(ReviewQueries reviews, UnitDirectory units) : PageModel
{
    public DrillDown Drill { get; private set; } = null!;

    /// <summary>The rows' counters added up.</summary>
    public UnitFacts Sum { get; private set; } = new();

    /// <summary>The number the rows give: their counters through the metric's formula (or their count, for rebounds
    /// and accountability entries).</summary>
    public double? RowsValue { get; private set; }

    public async Task OnGetAsync(string? unit, string? period, string? metric, string? role, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var parsedMetric = Metrics.ByKey(metric);
        if (parsedMetric is null)
        {
            errors["metric"] = ["请从讲评表中点开一个数字（指标无法识别）。"];
        }

        var parsedRole = role is null or "" or "lead" ? FactRole.Lead : role == "co" ? FactRole.Co : (FactRole?)null;
        if (parsedRole is null)
        {
            errors["role"] = ["请从讲评表中点开一个数字（牵头或配合无法识别）。"];
        }

        if (string.IsNullOrWhiteSpace(unit))
        {
            errors["unit"] = ["请从讲评表中点开一个数字（没有指定单位）。"];
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        var reviewPeriod = ReviewPeriod.Parse(period, reviews.Today);
        var unitId = await units.IdOfAsync(unit!, cancellationToken) ?? throw new NotFoundException($"单位「{unit}」不存在。");
        Drill = await reviews.DrillDownAsync(unitId, reviewPeriod, parsedMetric!.Value, parsedRole!.Value, User.ToActor(), cancellationToken);
        foreach (var row in Drill.Rows)
        {
            Sum.Add(row.Facts);
        }

        RowsValue = Drill.Metric is Metric.Rebounds or Metric.Accountability
            ? Drill.Rows.Count
            : UnitMetrics.From(Sum).Value(Drill.Metric);
    }

    /// <summary>Whether the rows add up to the number the review shows.</summary>
    public bool AddsUp => Metrics.Format(Drill.Metric, RowsValue) == Metrics.Format(Drill.Metric, Drill.Value);

    /// <summary>A sum of counters.</summary>
    public long Total(IEnumerable<Fact> facts) => facts.Sum(f => Sum[f]);
}
