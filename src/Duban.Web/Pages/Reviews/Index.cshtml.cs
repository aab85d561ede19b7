using System.Globalization;
using Duban.Data;
using Duban.Matters;
using Duban.Reviews;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Mvc;

namespace Duban.Web.Pages.Reviews;

/// <summary>
/// 月讲评: the review of a month (or a week, quarter, year or any dates) by peer group, as <see cref="ReviewQueries"/>
/// shows it to the reader; every number links to the matters behind it. The packs (Excel, Word) come from the reports
/// API's own handler, run for the signed-in person (<see cref="OnGetPackAsync"/>).
/// </summary>
public sealed class IndexModel(ReviewQueries reviews, ReviewOptions options, EndpointDataSource endpoints) : FormPageModel
{
    /// <summary>The period's key (2024-03, 2024-W10, 2024-Q1, 2024, 2024-03-01_2024-03-15), as links carry it.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Period { get; set; }

    /// <summary>month, week, quarter, year or range: which of the picker's fields the form means.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Kind { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Month { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Week { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Quarter { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Year { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Group { get; set; }

    /// <summary>The review shown; null when the period could not be read.</summary>
    public Review? Review { get; private set; }

    /// <summary>The peer groups the filter offers.</summary>
    public IReadOnlyList<string> Groups { get; private set; } = [];

    /// <summary>Quarters and years the pickers offer, newest first.</summary>
    public IReadOnlyList<(string Key, string Label)> Quarters { get; private set; } = [];

    public IReadOnlyList<string> Years { get; private set; } = [];

    /// <summary>Whether the reader sees every unit (the office, leaders, administrators).</summary>
    public bool FullView => AccessRules.MayAssign(User.ToActor());

    public DateOnly Today => reviews.Today;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        LoadPickers();
        var period = Resolve();
        Review = await reviews.GetAsync(period, FullView ? Group : null, User.ToActor(), cancellationToken);
    }

    /// <summary>The review as an Excel ledger or a Word bulletin: the reports API's handler for the period's kind, run
    /// as the signed-in person (the API itself takes only tokens), so the file and who may have it are the API's.</summary>
    public async Task<IActionResult> OnGetPackAsync(string? format, CancellationToken cancellationToken)
    {
        LoadPickers();
        var period = Resolve();
        if (format is not ("xlsx" or "docx"))
        {
            throw ValidationFailedException.For("format", "请选择下载 Excel 台账或 Word 讲评通报。");
        }

        var (path, query) = period.Kind switch
        {
            PeriodKind.Week => ("/api/reports/weekly", $"week={period.Key}"),
            PeriodKind.Quarter => ("/api/reports/quarterly", $"quarter={period.Key}"),
            PeriodKind.Year => ("/api/reports/yearly", $"year={period.Key}"),
            PeriodKind.Range => ("/api/reports/range", string.Create(CultureInfo.InvariantCulture, $"from={period.From:yyyy-MM-dd}&to={period.To:yyyy-MM-dd}")),
            _ => ("/api/reports/monthly", $"month={period.Key}"),
        };
        var endpoint = endpoints.Endpoints.OfType<RouteEndpoint>()
            .FirstOrDefault(e => string.Equals(e.RoutePattern.RawText, path, StringComparison.OrdinalIgnoreCase)
                && e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains("GET") == true)
            ?? throw new NotFoundException("下载暂不可用。");
        var group = FullView && !string.IsNullOrWhiteSpace(Group) ? "&group=" + Uri.EscapeDataString(Group.Trim()) : "";
        HttpContext.Request.QueryString = new QueryString($"?{query}&format={format}{group}");
        await endpoint.RequestDelegate!(HttpContext);
        return new EmptyResult();
    }

    protected override Task ReloadAsync(CancellationToken cancellationToken)
    {
        LoadPickers();
        return Task.CompletedTask;
    }

    private void LoadPickers()
    {
        var today = Today;
        Groups = [.. options.Groups.Select(g => g.Name), ReviewOptions.OtherGroup];
        var current = ReviewPeriod.Holding(PeriodKind.Quarter, today);
        Quarters = Enumerable.Range(0, 12).Select(i => new ReviewPeriod(PeriodKind.Quarter, current.From.AddMonths(-3 * i), current.From.AddMonths(-3 * i + 3).AddDays(-1)))
            .Select(q => (q.Key, q.Label)).ToList();
        Years = Enumerable.Range(0, 6).Select(i => (today.Year - i).ToString(CultureInfo.InvariantCulture)).ToList();
    }

    /// <summary>The period the address asks for: a key, the picker's fields, or by default the last complete month.
    /// The picker is then set to it.</summary>
    /// <exception cref="ValidationFailedException">The period cannot be read or lies in the future.</exception>
    private ReviewPeriod Resolve()
    {
        var today = Today;
        var period = !string.IsNullOrWhiteSpace(Period)
            ? ReviewPeriod.Parse(Period, today)
            : Kind switch
            {
                "week" => ReviewPeriod.ParseWeek(Week, today),
                "quarter" => ReviewPeriod.ParseQuarter(Quarter, today),
                "year" => ReviewPeriod.ParseYear(Year, today),
                "range" => ReviewPeriod.ParseRange(From, To, today),
                "month" => ReviewPeriod.ParseMonth(Month, today),
                _ => ReviewPeriod.Holding(PeriodKind.Month, today).Previous(),
            };
        Period = null;
        Kind = period.Kind switch
        {
            PeriodKind.Week => "week",
            PeriodKind.Quarter => "quarter",
            PeriodKind.Year => "year",
            PeriodKind.Range => "range",
            _ => "month",
        };
        switch (period.Kind)
        {
            case PeriodKind.Week: Week = period.Key; break;
            case PeriodKind.Quarter: Quarter = period.Key; break;
            case PeriodKind.Year: Year = period.Key; break;
            case PeriodKind.Range:
                From = period.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                To = period.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                break;
            default: Month = period.Key; break;
        }

        Month ??= ReviewPeriod.Holding(PeriodKind.Month, today).Previous().Key;
        return period;
    }

    /// <summary>The address of this review again with a pack format.</summary>
    public string PackLink(string format) =>
        $"/Reviews?handler=Pack&format={format}&period={Uri.EscapeDataString(Review!.Period.Key)}"
        + (FullView && !string.IsNullOrWhiteSpace(Group) ? "&group=" + Uri.EscapeDataString(Group.Trim()) : "");
}
