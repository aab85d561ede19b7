using System.Globalization;
using Duban.Reviews;
using MiniExcelLibs;
using MiniExcelLibs.Attributes;
using MiniExcelLibs.OpenXml;

namespace Duban.Data;

/// <summary>
/// A review (讲评) as an .xlsx ledger (台账), as an office prints it: one sheet per peer group (排名, 位次变化, 单位, 得分,
/// then every metric in <see cref="Metric"/> order under its Chinese name), a 红黑榜 sheet and a 说明 sheet (the
/// period, the date computed, the weights and what each metric means). Numbers are numbers: rates are shares from 0
/// to 1 shown as percentages, so a spreadsheet can sort and sum them; a value with nothing behind it is "—".
/// </summary>
public static class ReviewWorkbook
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>What a cell shows when a metric has nothing to divide by, or the reader may not see it.</summary>
    public const string NoValue = "—";

    public const string RankHead = "排名", ChangeHead = "位次变化", UnitHead = "单位", ScoreHead = "得分";
    public const string ListsSheet = "红黑榜", NotesSheet = "说明";

    /// <summary>The file name offered for download: 2024年3月讲评.xlsx.</summary>
    public static string FileName(ReviewPeriod period)
    {
        ArgumentNullException.ThrowIfNull(period);
        return $"{period.Label}讲评.xlsx";
    }

    /// <summary>How a rank change reads: ↑2, ↓1, or — when unchanged or without a previous rank.</summary>
    public static string Change(int? change) => change switch
    {
        > 0 => string.Create(CultureInfo.InvariantCulture, $"↑{change}"),
        < 0 => string.Create(CultureInfo.InvariantCulture, $"↓{-change}"),
        _ => NoValue,
    };

    /// <summary>What each metric means, in one short line (the 说明 sheet and the bulletin's notes).</summary>
    public static string Definition(Metric metric) => metric switch
    {
        Metric.Assigned => "本期交办（含转办）到本单位牵头办理的事项件数。",
        Metric.OnTimeAcknowledgeRate => "本期到期的签收节点中，在原定时限内签收的比例。",
        Metric.OnTimeFeedbackRate => "本期到期的首次反馈节点中，在原定时限内反馈的比例。",
        Metric.OnTimeCompleteRate => "本期到期的办结节点中，在原定时限内办结的比例。",
        Metric.CompletedWithinExtension => "超过原定时限、但在批准的延期内办结的件数。",
        Metric.Overdue => "办结超期的件数：超期办结，或到期仍未办结。",
        Metric.ResolutionRate => "本期到期的办结节点中，经审核通过且未被评为不满意、未重新办理的比例。",
        Metric.SpeedUpRate => "本期办结的事项中，用时不超过时限规定工作日一定比例（默认一半）的比例。",
        Metric.SatisfactionRate => "本期回访评价中，满意和基本满意的比例。",
        Metric.Returned => "本单位退回交办方的件数。",
        Metric.Transferred => "从本单位转出（转办或上报）的件数。",
        Metric.Redone => "审核退回、评价不满意或重新办理后回到本单位办理的次数。",
        Metric.Rebounds => "销号后回头看发现问题反弹的件数。",
        Metric.Accountability => "本期登记在本单位名下的问责条数。",
        Metric.AverageWorkingDays => "本期办结事项从开始办理到申请办结的平均工作日数。",
    };

    /// <summary>A metric's value as a cell: the number (a rate as a share, formatted as a percentage), or "—".</summary>
    public static object Cell(Metric metric, UnitMetrics? metrics) =>
        metrics?.Value(metric) is { } value ? value : NoValue;

    /// <summary>Writes the workbook. <paramref name="review"/> should be a full view (the office's); rows whose figures
    /// the reader may not see show "—".</summary>
    public static async Task WriteAsync(Stream stream, Review review, ReviewOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(review);
        ArgumentNullException.ThrowIfNull(options);
        var sheets = new Dictionary<string, object>();
        var used = new HashSet<string> { ListsSheet, NotesSheet };
        foreach (var group in review.Groups)
        {
            sheets[SheetName(group.Name, used)] = group.Rows.Select(GroupRow).ToList();
        }

        if (sheets.Count == 0)
        {
            sheets[SheetName("排名", used)] = new List<Dictionary<string, object?>> { GroupRow(null) };
        }

        sheets[ListsSheet] = ListRows(review);
        sheets[NotesSheet] = NoteRows(review, options);

        // MiniExcel's synchronous writer (its asynchronous one puts the sheet's drawing inside sheetData, which strict
        // readers repair); the workbook is small, so it is written in memory and copied out.
        using var buffer = new MemoryStream();
        buffer.SaveAs(sheets, configuration: Configuration);
        buffer.Position = 0;
        await buffer.CopyToAsync(stream, cancellationToken);
    }

    private static readonly OpenXmlConfiguration Configuration = new()
    {
        TableStyles = TableStyles.Default,
        DynamicColumns =
        [
            new(RankHead) { Width = 7, Format = "0" },
            new(ChangeHead) { Width = 9 },
            new(UnitHead) { Width = 26 },
            new(ScoreHead) { Width = 9, Format = "0.00" },
            new("分组") { Width = 16 },
            new("榜单") { Width = 7 },
            new("项目") { Width = 18 },
            new("内容") { Width = 90 },
            .. Enum.GetValues<Metric>().Select(m => new DynamicExcelColumn(Metrics.Label(m))
            {
                Width = Math.Max(10, Metrics.Label(m).Length * 2.2),
                Format = Metrics.IsRate(m) ? "0.0%" : m == Metric.AverageWorkingDays ? "0.0" : "0",
            }),
        ],
    };

    private static Dictionary<string, object?> GroupRow(ReviewRow? row)
    {
        var cells = new Dictionary<string, object?>
        {
            [RankHead] = row?.Rank is { } rank ? rank : NoValue,
            [ChangeHead] = Change(row?.RankChange),
            [UnitHead] = row?.Unit.Name ?? "",
            [ScoreHead] = row?.Score is { } score ? score : NoValue,
        };
        foreach (var metric in Enum.GetValues<Metric>())
        {
            cells[Metrics.Label(metric)] = row is null ? "" : Cell(metric, row.Metrics);
        }

        return cells;
    }

    private static List<Dictionary<string, object?>> ListRows(Review review)
    {
        var rows = new List<Dictionary<string, object?>>();
        foreach (var group in review.Groups)
        {
            foreach (var (list, members) in new[] { ("红榜", group.Red), ("黑榜", group.Black) })
            {
                foreach (var row in members)
                {
                    rows.Add(new()
                    {
                        ["分组"] = group.Name,
                        ["榜单"] = list,
                        [RankHead] = row.Rank is { } rank ? rank : NoValue,
                        [UnitHead] = row.Unit.Name,
                        [ScoreHead] = row.Score is { } score ? score : NoValue,
                        ["说明"] = "",
                    });
                }
            }

            if (group.Note is { } note)
            {
                rows.Add(new() { ["分组"] = group.Name, ["榜单"] = "", [RankHead] = "", [UnitHead] = "", [ScoreHead] = "", ["说明"] = note });
            }
        }

        if (rows.Count == 0)
        {
            rows.Add(new() { ["分组"] = "", ["榜单"] = "", [RankHead] = "", [UnitHead] = "", [ScoreHead] = "", ["说明"] = review.IsEmpty ? Review.EmptyNote : "本期没有可排名的单位。" });
        }

        return rows;
    }

    private static List<Dictionary<string, object?>> NoteRows(Review review, ReviewOptions options)
    {
        var rows = new List<Dictionary<string, object?>>();
        void Add(string item, string text) => rows.Add(new() { ["项目"] = item, ["内容"] = text });
        Add("讲评时段", $"{review.Period.Label}（{Date(review.Period.From)}至{Date(review.Period.To)}）");
        Add("计算日期", $"{Date(review.Today)}（当日及以后到期的节点尚未计入）");
        if (review.IsEmpty)
        {
            Add("说明", Review.EmptyNote);
        }

        Add("单位分组", string.Join("；", review.Groups.Select(g => $"{g.Name} {g.Rows.Count} 个单位")));
        Add("得分", "各项比率（0–100）按权重加权平均，单位没有某项比率时该项不计入；得分相同名次并列。");
        Add("权重", string.Join("，", options.Scoring.Weights.Where(w => w.Value > 0).OrderBy(w => w.Key)
            .Select(w => $"{Metrics.Label(w.Key)} {w.Value.ToString("0.##", CultureInfo.InvariantCulture)}")));
        Add("红黑榜", $"每组得分前 {options.Scoring.ListSize} 名列入红榜，后 {options.Scoring.ListSize} 名列入黑榜（已列红榜的不再列黑榜）。");
        Add("位次变化", "与上一期同组名次相比：↑ 为上升，↓ 为下降，— 为持平或上期无名次。");
        Add("“—”", "该项没有可计算的基数（如本期无到期节点），或无权查看。");
        foreach (var metric in Enum.GetValues<Metric>())
        {
            Add(Metrics.Label(metric), Definition(metric));
        }

        return rows;
    }

    private static string Date(DateOnly date) => string.Create(CultureInfo.InvariantCulture, $"{date.Year}年{date.Month}月{date.Day}日");

    /// <summary>A sheet name Excel accepts (no []:*?/\, at most 31 characters), unique in the workbook.</summary>
    private static string SheetName(string name, HashSet<string> used)
    {
        var clean = new string(name.Select(c => "[]:*?/\\".Contains(c, StringComparison.Ordinal) ? '_' : c).ToArray()).Trim('\'');
        clean = clean.Length == 0 ? "分组" : clean.Length > 28 ? clean[..28] : clean;
        var candidate = clean;
        for (var i = 2; !used.Add(candidate); i++)
        {
            candidate = string.Create(CultureInfo.InvariantCulture, $"{clean}{i}");
        }

        return candidate;
    }
}
