using System.Globalization;
using System.Text;
using Duban.Calendar;
using Duban.Matters;
using Duban.Reviews;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using Microsoft.EntityFrameworkCore;
using W = DocumentFormat.OpenXml.Wordprocessing;

namespace Duban.Data;

/// <summary>A matter the office picked as a typical case (典型案例) for a bulletin.</summary>
/// <param name="Code">Its code.</param>
/// <param name="Title">Its title.</param>
/// <param name="LeadUnit">Its lead unit's name.</param>
/// <param name="Status">Its status, in Chinese.</param>
/// <param name="Story">What happened, one sentence per day: 3月1日，测试市委督查室交办；测试镇签收。</param>
public sealed record BulletinCase(string Code, string Title, string LeadUnit, string Status, IReadOnlyList<string> Story);

/// <summary>What a bulletin says besides the figures.</summary>
public sealed record BulletinOptions
{
    /// <summary>The issue number in 督查通报〔2024〕3号; null leaves a blank to fill by hand.</summary>
    public int? Number { get; init; }

    /// <summary>The document-number prefix (发文字号的机关代字).</summary>
    public string Prefix { get; init; } = "督查通报";

    /// <summary>Who issues it, signed at the end (落款).</summary>
    public string Issuer { get; init; } = "督查室";

    /// <summary>The date it is issued (成文日期).</summary>
    public required DateOnly Date { get; init; }

    /// <summary>The typical cases, in the order given.</summary>
    public IReadOnlyList<BulletinCase> Cases { get; init; } = [];
}

/// <summary>
/// The review as a 讲评通报 in Word (.docx): A4 with the margins of official documents (GB/T 9704), a 文号 line in
/// 楷体, the title and section heads in 黑体, the body in 仿宋_GB2312 三号 with 28-point lines, a summary written from
/// the figures (against the period before), a ranking table per peer group, the red and black lists, the typical
/// cases told from their events, the issuer and the date in Chinese, and page numbers (— 1 —) in the footer. An empty
/// period gives a bulletin that says so (<see cref="Review.EmptyNote"/>), not empty tables.
/// </summary>
public static class ReviewBulletin
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    public const string HeadingFont = "黑体", BodyFont = "仿宋_GB2312", NumberLineFont = "楷体", LatinFont = "Times New Roman";

    /// <summary>The rates the ranking tables show beside the score.</summary>
    public static readonly IReadOnlyList<Metric> TableRates = [Metric.OnTimeCompleteRate, Metric.ResolutionRate, Metric.SatisfactionRate];

    /// <summary>The file name offered for download: 2024年3月讲评通报.docx.</summary>
    public static string FileName(ReviewPeriod period)
    {
        ArgumentNullException.ThrowIfNull(period);
        return $"{period.Label}讲评通报.docx";
    }

    /// <summary>The bulletin's title.</summary>
    public static string Title(ReviewPeriod period)
    {
        ArgumentNullException.ThrowIfNull(period);
        return $"关于{period.Label}督查工作讲评情况的通报";
    }

    /// <summary>The document number: 督查通报〔2024〕3号 (a blank for the number when none is given).</summary>
    public static string NumberLine(BulletinOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var number = options.Number is { } n ? n.ToString(CultureInfo.InvariantCulture) : "　　";
        return string.Create(CultureInfo.InvariantCulture, $"{options.Prefix}〔{options.Date.Year}〕{number}号");
    }

    /// <summary>A date as official documents write it: 二〇二四年四月二日.</summary>
    public static string ChineseDate(DateOnly date)
    {
        const string digits = "〇一二三四五六七八九";
        var year = string.Concat(date.Year.ToString(CultureInfo.InvariantCulture).Select(c => digits[c - '0']));
        static string Small(int n) => n switch
        {
            < 10 => "〇一二三四五六七八九"[n].ToString(),
            10 => "十",
            < 20 => "十" + "〇一二三四五六七八九"[n - 10],
            _ => "〇一二三四五六七八九"[n / 10] + "十" + (n % 10 == 0 ? "" : "〇一二三四五六七八九"[n % 10].ToString()),
        };
        return $"{year}年{Small(date.Month)}月{Small(date.Day)}日";
    }

    /// <summary>
    /// The summary paragraphs, written from the figures: matters assigned, the on-time completion, resolution and
    /// satisfaction rates against the period before, and each group's best and worst unit by name.
    /// </summary>
    public static IReadOnlyList<string> Summary(Review review, Review? previous)
    {
        ArgumentNullException.ThrowIfNull(review);
        if (review.IsEmpty)
        {
            return [Review.EmptyNote];
        }

        var paragraphs = new List<string>();
        var now = review.Totals;
        var before = previous?.IsEmpty == false ? previous.Totals : null;
        if (now is not null)
        {
            var text = new StringBuilder();
            var assigned = (long)(now.Value(Metric.Assigned) ?? 0);
            text.Append(CultureInfo.InvariantCulture, $"{review.Period.Label}，各单位共承办交办事项 {assigned} 件");
            if (before is not null)
            {
                var earlier = (long)(before.Value(Metric.Assigned) ?? 0);
                text.Append(CultureInfo.InvariantCulture, $"（上期 {earlier} 件，{(assigned == earlier ? "持平" : assigned > earlier ? $"增加 {assigned - earlier} 件" : $"减少 {earlier - assigned} 件")}）");
            }

            text.Append('。');
            text.Append(string.Join("；", new[] { Metric.OnTimeCompleteRate, Metric.ResolutionRate, Metric.SatisfactionRate }
                .Select(m => RateSentence(m, now.Value(m), before?.Value(m)))));
            text.Append(CultureInfo.InvariantCulture, $"；超期 {(long)(now.Value(Metric.Overdue) ?? 0)} 件。");
            paragraphs.Add(text.ToString());
        }

        foreach (var group in review.Groups)
        {
            var ranked = group.Rows.Where(r => r.Rank is not null && r.Score is not null).ToList();
            if (ranked.Count == 0)
            {
                continue;
            }

            var text = new StringBuilder();
            if (ranked.Count == 1)
            {
                paragraphs.Add($"{group.Name}本期只有{ranked[0].Unit.Name}参与排名，得分 {Score(ranked[0].Score)} 分。");
                continue;
            }

            var best = ranked.Where(r => r.Rank == ranked[0].Rank).ToList();
            text.Append(CultureInfo.InvariantCulture, $"{group.Name}（{ranked.Count} 个单位参与排名）中，{Names(best)}得分最高（{Score(best[0].Score)} 分）");
            var worstRank = ranked.Max(r => r.Rank);
            if (worstRank != ranked[0].Rank)
            {
                var worst = ranked.Where(r => r.Rank == worstRank).ToList();
                text.Append(CultureInfo.InvariantCulture, $"，{Names(worst)}得分最低（{Score(worst[0].Score)} 分）");
            }

            var riser = ranked.Where(r => r.RankChange > 0).OrderByDescending(r => r.RankChange).FirstOrDefault();
            if (riser is not null)
            {
                text.Append(CultureInfo.InvariantCulture, $"；{riser.Unit.Name}位次较上期上升 {riser.RankChange} 位，进步最快");
            }

            var faller = ranked.Where(r => r.RankChange < 0).OrderBy(r => r.RankChange).FirstOrDefault();
            if (faller is not null)
            {
                text.Append(CultureInfo.InvariantCulture, $"；{faller.Unit.Name}位次较上期下降 {-faller.RankChange} 位");
            }

            text.Append('。');
            paragraphs.Add(text.ToString());
        }

        return paragraphs;
    }

    private static string RateSentence(Metric metric, double? now, double? before)
    {
        var label = Metrics.Label(metric);
        if (now is not { } value)
        {
            return $"{label}本期无可计算数据";
        }

        var text = $"{label} {Metrics.Format(metric, value)}";
        if (before is { } earlier)
        {
            var points = Math.Round((value - earlier) * 100, 1, MidpointRounding.AwayFromZero);
            text += points == 0 ? "，与上期持平"
                : string.Create(CultureInfo.InvariantCulture, $"，较上期{(points > 0 ? "上升" : "下降")} {Math.Abs(points):0.#} 个百分点");
        }

        return text;
    }

    private static string Names(IEnumerable<ReviewRow> rows) => string.Join("、", rows.Select(r => r.Unit.Name));

    private static string Score(double? score) => score is { } s ? s.ToString("0.00", CultureInfo.InvariantCulture) : "—";

    /// <summary>
    /// The typical cases named by their codes, told from their events; only matters the reader may see.
    /// </summary>
    /// <exception cref="ValidationFailedException">A code names no matter the reader may see (field <c>cases</c>).</exception>
    public static async Task<IReadOnlyList<BulletinCase>> CasesAsync(DubanDbContext db, IReadOnlyList<string> codes, Actor actor,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(codes);
        ArgumentNullException.ThrowIfNull(actor);
        var wanted = codes.Select(c => c.Trim().ToUpperInvariant()).Where(c => c.Length > 0).Distinct().ToList();
        if (wanted.Count == 0)
        {
            return [];
        }

        if (wanted.Count > 20)
        {
            throw ValidationFailedException.For("cases", "典型案例最多 20 件。");
        }

        var visible = await VisibleMatters.QueryAsync(db, actor, cancellationToken);
        var matters = await visible.AsNoTracking().Where(m => wanted.Contains(m.Code))
            .Select(m => new { m.Id, m.Code, m.Title, m.LeadUnitId, m.Status }).ToListAsync(cancellationToken);
        var missing = wanted.Where(c => matters.All(m => m.Code != c)).ToList();
        if (missing.Count > 0)
        {
            throw ValidationFailedException.For("cases", $"没有找到事项 {string.Join("、", missing)}（或您不能查看）。");
        }

        var ids = matters.Select(m => m.Id).ToList();
        var events = await db.MatterEvents.AsNoTracking().Where(e => ids.Contains(e.MatterId))
            .OrderBy(e => e.MatterId).ThenBy(e => e.Sequence).ToListAsync(cancellationToken);
        var unitIds = events.Select(e => e.ActorUnitId).Concat(matters.Select(m => m.LeadUnitId)).Distinct().ToList();
        var units = await db.Units.AsNoTracking().Where(u => unitIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, cancellationToken);
        return wanted.Select(code =>
        {
            var m = matters.Single(x => x.Code == code);
            var story = events.Where(e => e.MatterId == m.Id).Select(e => (Day: ChinaTime.DateOf(e.At), Text: What(e, units)))
                .GroupBy(e => e.Day)
                .Select(d => string.Create(CultureInfo.InvariantCulture, $"{d.Key.Month}月{d.Key.Day}日，{string.Join("；", d.Select(e => e.Text))}。"))
                .ToList();
            return new BulletinCase(m.Code, m.Title, units.GetValueOrDefault(m.LeadUnitId, ""), Labels.Of(m.Status), story);
        }).ToList();
    }

    /// <summary>One event as the story tells it: 测试镇申请办结：路灯已全部修复.</summary>
    private static string What(MatterEventRow row, Dictionary<long, string> units)
    {
        var e = row.ToEvent();
        var what = e.Action switch
        {
            MatterAction.Verify => e.Data.Accepted == true ? "办结审核通过" : "办结审核未通过，退回重办",
            MatterAction.Rate when e.Data.Satisfaction is { } s => $"回访评价为“{Labels.Of(s)}”",
            MatterAction.Transfer when e.Data.LeadUnitId is { } to => $"转办至{units.GetValueOrDefault(to, "其他单位")}",
            _ => Labels.Of(e.Action),
        };
        var note = string.IsNullOrWhiteSpace(e.Note) ? "" : $"：{e.Note.Trim().TrimEnd('。', '；', ';')}";
        return $"{units.GetValueOrDefault(e.Actor.UnitId, e.Actor.Name)}{what}{note}";
    }

    /// <summary>Writes the bulletin as a .docx package.</summary>
    /// <param name="stream">Where to write (any writable stream).</param>
    /// <param name="review">The period's review (the office's full view).</param>
    /// <param name="previous">The period before, for the changes; null to leave them out.</param>
    /// <param name="options">Number, issuer, date and typical cases.</param>
    /// <param name="cancellationToken">Cancels the copy.</param>
    public static async Task WriteAsync(Stream stream, Review review, Review? previous, BulletinOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(review);
        ArgumentNullException.ThrowIfNull(options);
        await PackageAsync(stream, Title(review.Period), options.Issuer, body => Compose(body, review, previous, options), cancellationToken);
    }

    /// <summary>Writes a document in the house shape (styles, fonts, page-number footer, A4 section) whose body
    /// <paramref name="compose"/> fills: shared by the bulletin and the 通报 (citations).</summary>
    internal static async Task PackageAsync(Stream stream, string title, string creator, Action<W.Body> compose, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        using (var document = WordprocessingDocument.Create(buffer, WordprocessingDocumentType.Document))
        {
            var main = document.AddMainDocumentPart();
            AddStyles(main);
            AddFonts(main);
            var footer = main.AddNewPart<FooterPart>();
            footer.Footer = PageNumberFooter();
            var body = new W.Body();
            compose(body);
            body.Append(Section(main.GetIdOfPart(footer)));
            main.Document = new W.Document(body);
            document.PackageProperties.Title = title;
            document.PackageProperties.Creator = creator;
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(stream, cancellationToken);
    }

    private static void Compose(W.Body body, Review review, Review? previous, BulletinOptions options)
    {
        body.Append(Para(NumberLine(options), NumberLineFont, 32, W.JustificationValues.Center, indent: false));
        body.Append(Rule());
        body.Append(Para(Title(review.Period), HeadingFont, 44, W.JustificationValues.Center, indent: false, before: 240, after: 240, exactLine: 700));
        body.Append(Para($"各县（市、区）、市直各部门：", BodyFont, 32, W.JustificationValues.Left, indent: false));
        body.Append(Para($"现将{review.Period.Label}（{Short(review.Period.From)}至{Short(review.Period.To)}）督查工作讲评情况通报如下。", BodyFont, 32));

        var section = 0;
        body.Append(Heading($"{Ordinal(++section)}、总体情况"));
        foreach (var paragraph in Summary(review, previous))
        {
            body.Append(Para(paragraph, BodyFont, 32));
        }

        var groups = review.Groups.Where(g => g.Rows.Any(r => r.Rank is not null)).ToList();
        if (!review.IsEmpty && groups.Count > 0)
        {
            body.Append(Heading($"{Ordinal(++section)}、排名情况"));
            body.Append(Para("得分为按时签收率、按时反馈率、按时办结率、解决率、提速率、满意率按权重加权计算（满分 100 分）；位次变化与上期同组名次相比。",
                BodyFont, 32, keepNext: true));
            var sub = 0;
            foreach (var group in groups)
            {
                body.Append(Para($"（{Ordinal(++sub)}）{group.Name}", NumberLineFont, 32, keepNext: true));
                body.Append(RankingTable(group));
            }

            body.Append(Heading($"{Ordinal(++section)}、红榜和黑榜"));
            foreach (var group in groups)
            {
                var text = $"{group.Name}：红榜 {(group.Red.Count == 0 ? "无" : Names(group.Red))}；黑榜 {(group.Black.Count == 0 ? "无" : Names(group.Black))}。";
                body.Append(Para(text, BodyFont, 32));
                if (group.Note is { } note)
                {
                    body.Append(Para(note, NumberLineFont, 28));
                }
            }
        }

        if (options.Cases.Count > 0)
        {
            body.Append(Heading($"{Ordinal(++section)}、典型案例"));
            var sub = 0;
            foreach (var c in options.Cases)
            {
                body.Append(Para($"（{Ordinal(++sub)}）{c.Title}", NumberLineFont, 32, keepNext: true));
                body.Append(Para($"事项编号 {c.Code}，牵头单位{c.LeadUnit}，目前{c.Status}。", BodyFont, 32));
                body.Append(Para(string.Concat(c.Story), BodyFont, 32));
            }
        }

        if (!review.IsEmpty)
        {
            body.Append(Heading($"{Ordinal(++section)}、工作要求"));
            body.Append(Para("各单位要对照排名和各项指标，查找差距、分析原因，对超期和群众不满意的事项逐件整改；列入黑榜的单位要在下期讲评前书面说明整改措施。",
                BodyFont, 32));
        }

        body.Append(Para("", BodyFont, 32, indent: false));
        body.Append(Para(options.Issuer, BodyFont, 32, W.JustificationValues.Right, indent: false, right: 1280));
        body.Append(Para(ChineseDate(options.Date), BodyFont, 32, W.JustificationValues.Right, indent: false, right: 640));
    }

    internal static string Short(DateOnly date) => string.Create(CultureInfo.InvariantCulture, $"{date.Month}月{date.Day}日");

    internal static string Ordinal(int n) => n switch
    {
        <= 10 => "一二三四五六七八九十"[n - 1].ToString(),
        < 20 => "十" + "一二三四五六七八九"[n - 11],
        _ => n.ToString(CultureInfo.InvariantCulture),
    };

    // Widths in twentieths of a point: the A4 text block of GB/T 9704 is 156 mm (8844).
    private static readonly int[] ColumnWidths = [700, 2544, 1000, 1200, 1200, 1200, 1000];

    private static W.Table RankingTable(GroupReview group)
    {
        var table = Table(ColumnWidths);
        string[] heads = ["排名", "单位", "得分", .. TableRates.Select(Metrics.Label), "位次变化"];
        table.Append(Row(heads, header: true, keepNext: true, ColumnWidths));
        for (var i = 0; i < group.Rows.Count; i++)
        {
            var row = group.Rows[i];
            table.Append(Row(
            [
                row.Rank?.ToString(CultureInfo.InvariantCulture) ?? "—",
                row.Unit.Name,
                Score(row.Score),
                .. TableRates.Select(m => Metrics.Format(m, row.Metrics?.Value(m))),
                ReviewWorkbook.Change(row.RankChange),
            ], header: false, keepNext: i < group.Rows.Count - 1, ColumnWidths));
        }

        return table;
    }

    /// <summary>A centred table with single borders, fixed columns of <paramref name="widths"/> (twentieths of a point).</summary>
    internal static W.Table Table(int[] widths)
    {
        var border = new W.TableBorders(
            new W.TopBorder { Val = W.BorderValues.Single, Size = 6 },
            new W.BottomBorder { Val = W.BorderValues.Single, Size = 6 },
            new W.LeftBorder { Val = W.BorderValues.Single, Size = 6 },
            new W.RightBorder { Val = W.BorderValues.Single, Size = 6 },
            new W.InsideHorizontalBorder { Val = W.BorderValues.Single, Size = 4 },
            new W.InsideVerticalBorder { Val = W.BorderValues.Single, Size = 4 });
        var table = new W.Table(new W.TableProperties(
            new W.TableWidth { Width = widths.Sum().ToString(CultureInfo.InvariantCulture), Type = W.TableWidthUnitValues.Dxa },
            new W.TableJustification { Val = W.TableRowAlignmentValues.Center },
            border,
            new W.TableLayout { Type = W.TableLayoutValues.Fixed },
            new W.TableCellMarginDefault(
                new W.TopMargin { Width = "40", Type = W.TableWidthUnitValues.Dxa },
                new W.TableCellLeftMargin { Width = 60, Type = W.TableWidthValues.Dxa },
                new W.BottomMargin { Width = "40", Type = W.TableWidthUnitValues.Dxa },
                new W.TableCellRightMargin { Width = 60, Type = W.TableWidthValues.Dxa })));
        table.Append(new W.TableGrid(widths.Select(w => new W.GridColumn { Width = w.ToString(CultureInfo.InvariantCulture) })));
        return table;
    }

    /// <summary>A table row; <paramref name="keepNext"/> keeps a short table on one page with its head. In body rows
    /// the columns from the second to <paramref name="lastLeft"/> are left-aligned (names, text), the others centred.</summary>
    internal static W.TableRow Row(IReadOnlyList<string> cells, bool header, bool keepNext, int[] widths, int lastLeft = 1)
    {
        var row = new W.TableRow();
        var properties = new W.TableRowProperties(new W.CantSplit());
        if (header)
        {
            properties.Append(new W.TableHeader());
        }

        row.Append(properties);
        for (var i = 0; i < cells.Count; i++)
        {
            var paragraph = new W.Paragraph(
                new W.ParagraphProperties(
                    new W.KeepNext { Val = keepNext },
                    new W.SpacingBetweenLines { Before = "0", After = "0", Line = "320", LineRule = W.LineSpacingRuleValues.Exact },
                    new W.Justification { Val = i >= 1 && i <= lastLeft && !header ? W.JustificationValues.Left : W.JustificationValues.Center }),
                TextRun(cells[i], header ? HeadingFont : BodyFont, header ? 21 : 24));
            row.Append(new W.TableCell(
                new W.TableCellProperties(
                    new W.TableCellWidth { Width = widths[i].ToString(CultureInfo.InvariantCulture), Type = W.TableWidthUnitValues.Dxa },
                    new W.TableCellVerticalAlignment { Val = W.TableVerticalAlignmentValues.Center }),
                paragraph));
        }

        return row;
    }

    internal static W.Paragraph Heading(string text) => Para(text, HeadingFont, 32, keepNext: true);

    /// <summary>A paragraph of one run; body paragraphs are indented two characters and set on exact 28-point lines.</summary>
    internal static W.Paragraph Para(string text, string font, int halfPoints, W.JustificationValues? justification = null, bool indent = true,
        int before = 0, int after = 0, int exactLine = 560, int right = 0, bool keepNext = false)
    {
        var properties = new W.ParagraphProperties(
            new W.SpacingBetweenLines
            {
                Before = before.ToString(CultureInfo.InvariantCulture),
                After = after.ToString(CultureInfo.InvariantCulture),
                Line = exactLine.ToString(CultureInfo.InvariantCulture),
                LineRule = W.LineSpacingRuleValues.Exact,
            },
            new W.Indentation
            {
                FirstLine = indent ? (halfPoints * 20).ToString(CultureInfo.InvariantCulture) : "0",
                Right = right.ToString(CultureInfo.InvariantCulture),
            },
            new W.Justification { Val = justification ?? W.JustificationValues.Both });
        if (keepNext)
        {
            properties.PrependChild(new W.KeepNext());
        }

        return new W.Paragraph(properties, TextRun(text, font, halfPoints));
    }

    internal static W.Run TextRun(string text, string font, int halfPoints) => new(
        new W.RunProperties(
            new W.RunFonts { Ascii = LatinFont, HighAnsi = LatinFont, EastAsia = font, ComplexScript = LatinFont, Hint = W.FontTypeHintValues.EastAsia },
            new W.FontSize { Val = halfPoints.ToString(CultureInfo.InvariantCulture) },
            new W.FontSizeComplexScript { Val = halfPoints.ToString(CultureInfo.InvariantCulture) },
            new W.Languages { Val = "en-US", EastAsia = "zh-CN" }),
        new W.Text(text) { Space = SpaceProcessingModeValues.Preserve });

    /// <summary>The line under the 文号 (black: this is not the red-headed print).</summary>
    internal static W.Paragraph Rule() => new(
        new W.ParagraphProperties(
            new W.ParagraphBorders(new W.BottomBorder { Val = W.BorderValues.Single, Size = 12, Space = 1, Color = "000000" }),
            new W.SpacingBetweenLines { Before = "0", After = "240", Line = "240", LineRule = W.LineSpacingRuleValues.Exact }));

    private static W.Footer PageNumberFooter()
    {
        W.Run Plain(string text) => TextRun(text, "宋体", 28);
        var run = new W.RunProperties(
            new W.RunFonts { Ascii = "宋体", HighAnsi = "宋体", EastAsia = "宋体" },
            new W.FontSize { Val = "28" });
        return new W.Footer(new W.Paragraph(
            new W.ParagraphProperties(new W.Justification { Val = W.JustificationValues.Center }),
            Plain("— "),
            new W.Run(run.CloneNode(true), new W.FieldChar { FieldCharType = W.FieldCharValues.Begin }),
            new W.Run(run.CloneNode(true), new W.FieldCode(" PAGE ") { Space = SpaceProcessingModeValues.Preserve }),
            new W.Run(run.CloneNode(true), new W.FieldChar { FieldCharType = W.FieldCharValues.Separate }),
            new W.Run(run.CloneNode(true), new W.Text("1")),
            new W.Run(run.CloneNode(true), new W.FieldChar { FieldCharType = W.FieldCharValues.End }),
            Plain(" —")));
    }

    /// <summary>A4 portrait with the margins of GB/T 9704 (top 37 mm, bottom 35 mm, left 28 mm, right 26 mm).</summary>
    private static W.SectionProperties Section(string footerId) => new(
        new W.FooterReference { Type = W.HeaderFooterValues.Default, Id = footerId },
        new W.PageSize { Width = 11906, Height = 16838 },
        new W.PageMargin { Top = 2098, Bottom = 1984, Left = 1588, Right = 1474, Header = 851, Footer = 1134, Gutter = 0 },
        new W.DocGrid { Type = W.DocGridValues.Lines, LinePitch = 560 });

    /// <summary>The fonts, with their Windows names and the GB2312 character set, so a machine without them substitutes a
    /// Chinese font of the same kind (a serif for 仿宋 and 楷体, a sans-serif for 黑体).</summary>
    private static void AddFonts(MainDocumentPart main)
    {
        static W.Font Font(string name, string alternative, W.FontFamilyValues family) => new(
            new W.AltName { Val = alternative },
            new W.FontCharSet { Val = "86" },
            new W.FontFamily { Val = family },
            new W.Pitch { Val = W.FontPitchValues.Fixed }) { Name = name };
        var fonts = main.AddNewPart<FontTablePart>();
        fonts.Fonts = new W.Fonts(
            Font(BodyFont, "仿宋", W.FontFamilyValues.Roman),
            Font(HeadingFont, "SimHei", W.FontFamilyValues.Modern),
            Font(NumberLineFont, "KaiTi", W.FontFamilyValues.Roman),
            Font("宋体", "SimSun", W.FontFamilyValues.Roman));
    }

    private static void AddStyles(MainDocumentPart main)
    {
        var styles = main.AddNewPart<StyleDefinitionsPart>();
        styles.Styles = new W.Styles(
            new W.DocDefaults(
                new W.RunPropertiesDefault(new W.RunPropertiesBaseStyle(
                    new W.RunFonts { Ascii = LatinFont, HighAnsi = LatinFont, EastAsia = BodyFont, ComplexScript = LatinFont },
                    new W.FontSize { Val = "32" },
                    new W.Languages { Val = "en-US", EastAsia = "zh-CN" })),
                new W.ParagraphPropertiesDefault(new W.ParagraphPropertiesBaseStyle(
                    new W.SpacingBetweenLines { Before = "0", After = "0" }))),
            new W.Style(new W.StyleName { Val = "Normal" }, new W.PrimaryStyle()) { Type = W.StyleValues.Paragraph, StyleId = "Normal", Default = true });
    }
}
