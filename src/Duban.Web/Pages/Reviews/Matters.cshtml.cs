using Duban.Data;
using Duban.Reviews;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Duban.Web.Pages.Reviews;

/// <summary>The matters behind one number of a review (<c>ReviewQueries.DrillDownAsync</c>), with what each
/// counts there and the sum that gives the number back.</summary>
public sealed class MattersModel(ReviewQueries reviews) : PageModel
{
    public DrillDown Drill { get; private set; } = null!;

    /// <summary>The rows' counters added up.</summary>
    public UnitFacts Sum { get; private set; } = new();

    /// <summary>The number the rows give: their counters through the metric's formula (or their count, for rebounds
    /// and accountability entries).</summary>
    public double? RowsValue { get; private set; }

    public async Task OnGetAsync(string? unit, string? period, string? metric, string? role, CancellationToken cancellationToken)
    {
        Drill = await reviews.DrillDownAsync(unit, period, metric, role, User.ToActor(), cancellationToken);
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
