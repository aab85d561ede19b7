using Duban.Data;
using Duban.Matters;
using Duban.Reviews;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Mvc;

namespace Duban.Web.Pages.Assessment;

/// <summary>
/// 考评结果: a scheme's table for a period picked among the scheme's own periods; every part of each total; published
/// or computed now (and with which version); 导出 Excel; 发布 by the office once the period has ended; adjustments with
/// their reasons. A unit reader sees its own row in full and the others' rank and total only (<see cref="AssessmentResults"/>).
/// </summary>
public sealed class ResultsModel(AssessmentSchemes schemes, AssessmentResults results, ResultCitations citations, TimeProvider clock) : FormPageModel
{
    [BindProperty(SupportsGet = true, Name = "scheme")]
    public long? SchemeId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Period { get; set; }

    public IReadOnlyList<SchemeView> Schemes { get; private set; } = [];

    public SchemeView? Scheme { get; private set; }

    public IReadOnlyList<ReviewPeriod> Periods { get; private set; } = [];

    public AssessmentTable? Table { get; private set; }

    public IReadOnlyList<AdjustmentView> Adjustments { get; private set; } = [];

    public bool Manages { get; private set; }

    public long ReaderUnit { get; private set; }

    public DateOnly Today => Duban.Calendar.ChinaTime.DateOf(clock.GetUtcNow());

    /// <summary>A refusal of publishing (已经发布, 还没有结束), shown beside the 发布 button.</summary>
    public string? PublishFailed { get; private set; }

    /// <summary>Messages of the adjustment form and the picker, by field (unit, points, reason, period).</summary>
    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    [BindProperty]
    public long? AdjustUnit { get; set; }

    [BindProperty]
    public string? AdjustPoints { get; set; }

    [BindProperty]
    public string? AdjustReason { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        await ReloadAsync(cancellationToken);
        await LoadTableAsync(cancellationToken);
    }

    /// <summary>The table as an .xlsx, as the reader may see it.</summary>
    public async Task<IActionResult> OnGetXlsxAsync(CancellationToken cancellationToken)
    {
        await ReloadAsync(cancellationToken);
        var table = await results.GetAsync(Scheme?.Id ?? throw new NotFoundException("没有这个考评办法。"), Period, User.ToActor(), cancellationToken);
        var file = new MemoryStream();
        AssessmentResults.WriteXlsx(file, table);
        file.Position = 0;
        return File(file, ReviewWorkbook.ContentType, AssessmentResults.FileName(table));
    }

    public async Task<IActionResult> OnPostPublishAsync(CancellationToken cancellationToken)
    {
        var table = await results.PublishAsync(SchemeId ?? 0, Period, User.ToActor(), cancellationToken);
        TempData["done"] = $"已发布{table.Period.Label}的考评结果（第 {table.Version} 版办法）。";
        return Redirect(Link(table.SchemeId, table.Period.Key));
    }

    /// <summary>生成通报: 表扬 the top N or 批评 the bottom N of a published result, as a draft opened for editing.</summary>
    public async Task<IActionResult> OnPostCitationAsync(CancellationToken cancellationToken)
    {
        var count = AssessmentUi.Number(CitationCount);
        if (count is { } c && (double.IsNaN(c) || c != Math.Floor(c) || c > int.MaxValue || c < int.MinValue))
        {
            throw ValidationFailedException.For("count", "名数须是整数。");
        }

        var id = await citations.CreateAsync(SchemeId ?? 0, Period, CitationKind, count is { } n ? (int)n : null, User.ToActor(), cancellationToken);
        TempData["done"] = "已根据考评结果生成通报草稿，请核对修改后发布。";
        return Redirect(CitationBook.Link(id));
    }

    [BindProperty]
    public string? CitationKind { get; set; } = "commendation";

    [BindProperty]
    public string? CitationCount { get; set; } = "3";

    public async Task<IActionResult> OnPostAdjustAsync(CancellationToken cancellationToken)
    {
        var points = AssessmentUi.Number(AdjustPoints);
        if (points is null || double.IsNaN(points.Value))
        {
            throw ValidationFailedException.For("points", "请填写调整分值（加分填正数，减分填负数）。");
        }

        if (AdjustUnit is not { } unit)
        {
            throw ValidationFailedException.For("unit", "请选择单位。");
        }

        await results.AdjustAsync(SchemeId ?? 0, Period, unit, points, AdjustReason, User.ToActor(), cancellationToken);
        TempData["done"] = "已记录调整。";
        return Redirect(Link(SchemeId ?? 0, Period) + "#adjustments");
    }

    /// <summary>The address of a scheme's results for a period.</summary>
    public static string Link(long scheme, string? period) =>
        FormattableString.Invariant($"/Assessment/Results?scheme={scheme}") + (period is null ? "" : "&period=" + Uri.EscapeDataString(period));

    protected override void ShowInvalid(ValidationFailedException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        foreach (var (field, messages) in error.Errors)
        {
            Errors[field] = string.Join(" ", messages);
        }
    }

    protected override bool ShowRefusal(DomainException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (error is not RuleConflictException)
        {
            return false;
        }

        if (Request.Query["handler"] == "Adjust")
        {
            Errors["adjust"] = error.Message;
        }
        else if (Request.Query["handler"] == "Citation")
        {
            Errors["citation"] = error.Message;
        }
        else
        {
            PublishFailed = error.Message;
        }

        return true;
    }

    protected override async Task ReloadAsync(CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        Manages = actor.Has(Role.Supervisor) || actor.Has(Role.Admin);
        ReaderUnit = actor.UnitId;
        Schemes = await schemes.ListAsync(cancellationToken);
        Scheme = SchemeId is { } id ? Schemes.FirstOrDefault(s => s.Id == id) ?? throw new NotFoundException("没有这个考评办法。") : Schemes.FirstOrDefault();
        if (Scheme is null)
        {
            return;
        }

        Periods = AssessmentUi.Periods(Scheme, Today);
        if (string.IsNullOrWhiteSpace(Period) || (Errors.Count == 0 && Periods.All(p => p.Key != Period) && SchemeId is null))
        {
            Period = AssessmentUi.DefaultPeriod(Periods, Today)?.Key;
        }

        // After a refused post the table is drawn again as it stands.
        if (Request.Method == HttpMethods.Post && !Errors.ContainsKey("period"))
        {
            await LoadTableAsync(cancellationToken);
        }
    }

    private async Task LoadTableAsync(CancellationToken cancellationToken)
    {
        if (Scheme is null || Period is null)
        {
            return;
        }

        var actor = User.ToActor();
        Table = await results.GetAsync(Scheme.Id, Period, actor, cancellationToken);
        Adjustments = await results.AdjustmentsAsync(Scheme.Id, Table.Period.Key, actor, cancellationToken);
    }
}
