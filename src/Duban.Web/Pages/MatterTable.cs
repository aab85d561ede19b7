using Duban.Data;

namespace Duban.Web.Pages;

/// <summary>What <c>_MatterTable</c> shows: the rows, whether they carry checkboxes (bulk actions), and a
/// per-row outcome of the last bulk action, and a partial (model: the row's <see cref="MatterSummary"/>) drawn in
/// an actions column; <c>Milestones: false</c> leaves out the three stage columns (the countdown shows the next).</summary>
public sealed record MatterTable(string Caption, IReadOnlyList<MatterSummary> Items, bool Selectable = false,
    IReadOnlyDictionary<long, RowResult>? Results = null, string? RowActions = null, bool Milestones = true);

/// <summary>The outcome of a bulk action on one row.</summary>
public sealed record RowResult(bool Ok, string Message);

/// <summary>One tab in <c>_Tabs</c>: a link with an optional count and a board colour class.</summary>
public sealed record TabLink(string Label, string Href, int? Count, string Colour, bool Active);
