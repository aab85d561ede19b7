using Duban.Data;

namespace Duban.Web.Pages;

/// <summary>What <c>_MatterTable</c> shows: the rows, whether they carry checkboxes (bulk 签收: only rows the reader
/// may acknowledge get one), and a per-row outcome of the last bulk action, and a partial (model: the row's
/// <see cref="MatterSummary"/>) drawn in an actions column; <c>Milestones: false</c> leaves out the three stage
/// columns (the countdown shows the next). <c>Sort</c>, when given, makes the 编号, 交办时间 and 下一期限 headings links
/// (key: code, assigned, due) and adds the 交办时间 column.</summary>
public sealed record MatterTable(string Caption, IReadOnlyList<MatterSummary> Items, bool Selectable = false,
    IReadOnlyDictionary<long, RowResult>? Results = null, string? RowActions = null, bool Milestones = true,
    Func<string, (string Href, string? Direction)>? Sort = null);

/// <summary>The outcome of a bulk action on one row.</summary>
public sealed record RowResult(bool Ok, string Message);

/// <summary>One tab in <c>_Tabs</c>: a link with an optional count and a board colour class.</summary>
public sealed record TabLink(string Label, string Href, int? Count, string Colour, bool Active);
