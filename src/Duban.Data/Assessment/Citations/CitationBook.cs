using System.Globalization;
using Duban.Calendar;
using Duban.Matters;
using Duban.Reviews;
using Microsoft.EntityFrameworkCore;
using W = DocumentFormat.OpenXml.Wordprocessing;

namespace Duban.Data;

/// <summary>A unit to name in a citation, with its reason.</summary>
public sealed record CitationUnitInput(long? UnitId, string? Reason);

/// <summary>
/// A new citation: <paramref name="Kind"/> commendation or criticism; the units picked by hand, each with a reason, or
/// taken from a review's ranking (<paramref name="Period"/>: the red list for a commendation, the black list for a
/// criticism, optionally of one <paramref name="Group"/>). Date, issuer, title and body default to generated ones.
/// </summary>
public sealed record NewCitation(string? Kind, IReadOnlyList<CitationUnitInput>? Units = null, string? Period = null, string? Group = null,
    string? Date = null, string? Issuer = null, string? Title = null, string? Body = null);

/// <summary>A unit named in a citation.</summary>
public sealed record CitedUnit(UnitRef Unit, string Reason);

/// <summary>A citation as pages and the API show it.</summary>
public sealed record CitationView(long Id, CitationKind Kind, string KindName, string NumberLine, DateOnly Date, string Issuer, string Title,
    string Body, string? Source, IReadOnlyList<CitedUnit> Units, DateTimeOffset CreatedAt, string CreatedByName, DateTimeOffset? PublishedAt,
    string? PublishedByName)
{
    /// <summary>Published (发布) already.</summary>
    public bool Published => PublishedAt is not null;

    /// <summary>The body's paragraphs.</summary>
    public IReadOnlyList<string> Paragraphs => CitationBook.Paragraphs(Body);
}

/// <summary>通报表扬 / 通报批评: made from a ranking or a list, numbered, edited while a draft, published once to the named
/// units' inboxes, and written as a .docx in the house shape of the bulletin.</summary>
public sealed class CitationBook(DubanDbContext db, ReviewQueries reviews, TimeProvider clock)
{
    public const int MaxIssuer = 50, MaxTitle = 200, MaxBody = 8000, MaxReason = 300, MaxUnits = 200;
    public const string Prefix = "督查通报";

    /// <summary>The citations the reader may see, newest first: the office sees drafts too; anyone else published ones
    /// naming a unit in their oversight or their own unit.</summary>
    public async Task<IReadOnlyList<CitationView>> ListAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var query = db.Set<Citation>().AsNoTracking().Include(c => c.Units).ThenInclude(u => u.Unit).AsSplitQuery();
        if (!Citations.MayManage(actor))
        {
            var readable = await Citations.ReadableUnitsAsync(db, actor, cancellationToken);
            query = query.Where(c => c.PublishedAt != null && (readable == null || c.Units.Any(u => readable.Contains(u.UnitId))));
        }

        var rows = await query.OrderByDescending(c => c.Year).ThenByDescending(c => c.Number).Take(500).ToListAsync(cancellationToken);
        return rows.Select(View).ToList();
    }

    /// <summary>One citation.</summary>
    /// <exception cref="NotFoundException">No such citation, or one the reader may not see.</exception>
    public async Task<CitationView> GetAsync(long id, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var citation = await db.Set<Citation>().AsNoTracking().Include(c => c.Units).ThenInclude(u => u.Unit)
            .FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (citation is null || !await MaySeeAsync(citation, actor, cancellationToken))
        {
            throw new NotFoundException("没有找到这份通报（或您不能查看）。");
        }

        return View(citation);
    }

    private async Task<bool> MaySeeAsync(Citation citation, Actor actor, CancellationToken cancellationToken)
    {
        if (Citations.MayManage(actor))
        {
            return true;
        }

        if (citation.PublishedAt is null)
        {
            return false;
        }

        var readable = await Citations.ReadableUnitsAsync(db, actor, cancellationToken);
        return readable is null || citation.Units.Any(u => readable.Contains(u.UnitId));
    }

    /// <summary>Makes a draft citation with the next number of its year.</summary>
    /// <exception cref="ForbiddenException">The reader is not the office or an administrator.</exception>
    /// <exception cref="ValidationFailedException">No units, an unknown kind, unit, period or date, a unit without a
    /// reason, or text too long (each by field).</exception>
    public async Task<long> CreateAsync(NewCitation input, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        Manage(actor);
        var errors = new Dictionary<string, string[]>();
        var kind = input.Kind?.Trim().ToUpperInvariant() switch
        {
            "COMMENDATION" or "通报表扬" or "表扬" => CitationKind.Commendation,
            "CRITICISM" or "通报批评" or "批评" => (CitationKind?)CitationKind.Criticism,
            _ => null,
        };
        if (kind is null)
        {
            errors["kind"] = ["请选择通报表扬或通报批评。"];
        }

        var today = ChinaTime.DateOf(clock.GetUtcNow());
        var date = today;
        if (!string.IsNullOrWhiteSpace(input.Date) && !ChinaTime.TryParseDate(input.Date.Trim(), out date))
        {
            errors["date"] = ["成文日期格式应为 2024-04-02。"];
        }

        string? source = null;
        var picked = new List<(long UnitId, string Reason)>();
        if (kind is { } k && !string.IsNullOrWhiteSpace(input.Period) && (input.Units is null || input.Units.Count == 0))
        {
            var period = ReviewPeriod.Parse(input.Period, today);
            var review = await reviews.GetAsync(period, input.Group, actor, cancellationToken);
            var list = k == CitationKind.Commendation ? "红榜" : "黑榜";
            source = $"{period.Label}讲评{list}";
            foreach (var row in review.Groups.SelectMany(g => k == CitationKind.Commendation ? g.Red : g.Black))
            {
                var score = row.Score is { } s ? s.ToString("0.00", CultureInfo.InvariantCulture) : "—";
                picked.Add((row.Unit.Id, string.Create(CultureInfo.InvariantCulture,
                    $"{period.Label}督查工作讲评列入{list}（{row.Group}第 {row.Rank} 名，得分 {score} 分）")));
            }

            if (picked.Count == 0)
            {
                errors["units"] = [$"{period.Label}讲评的{list}没有单位，不能据此通报。"];
            }
        }
        else
        {
            var index = 0;
            foreach (var unit in input.Units ?? [])
            {
                var reason = unit.Reason?.Trim() ?? "";
                if (unit.UnitId is not { } unitId)
                {
                    errors[$"units[{index}].unitId"] = ["请选择单位。"];
                }
                else if (reason.Length == 0)
                {
                    errors[$"units[{index}].reason"] = ["请填写这个单位的通报事由。"];
                }
                else if (reason.Length > MaxReason)
                {
                    errors[$"units[{index}].reason"] = [$"通报事由最多 {MaxReason} 字。"];
                }
                else if (picked.Any(p => p.UnitId == unitId))
                {
                    errors[$"units[{index}].unitId"] = ["同一单位只能列入一次。"];
                }
                else
                {
                    picked.Add((unitId, reason));
                }

                index++;
            }

            if (index == 0)
            {
                errors["units"] = ["请至少选择一个单位并填写通报事由。"];
            }
            else if (index > MaxUnits)
            {
                errors["units"] = [$"一份通报最多列 {MaxUnits} 个单位。"];
            }
        }

        var ids = picked.Select(p => p.UnitId).ToList();
        var units = await db.Units.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, cancellationToken);
        if (ids.Any(id => !units.ContainsKey(id)))
        {
            errors["units"] = ["所选单位不存在。"];
        }

        var issuer = string.IsNullOrWhiteSpace(input.Issuer) ? "督查室" : input.Issuer.Trim();
        Check(errors, "issuer", issuer, MaxIssuer, "发文单位");
        Check(errors, "title", input.Title?.Trim() ?? "", MaxTitle, "标题");
        Check(errors, "body", input.Body?.Trim() ?? "", MaxBody, "正文");
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        var names = picked.Select(p => units[p.UnitId]).ToList();
        var citation = new Citation
        {
            Kind = kind!.Value,
            Year = date.Year,
            Date = date,
            Issuer = issuer,
            Title = string.IsNullOrWhiteSpace(input.Title) ? DefaultTitle(kind.Value, names) : input.Title.Trim(),
            Body = string.IsNullOrWhiteSpace(input.Body) ? DefaultBody(kind.Value, date, names, source) : input.Body.Trim(),
            Source = source,
            CreatedById = actor.Id,
            CreatedByName = actor.Name,
            CreatedAt = clock.GetUtcNow(),
            Units = [.. picked.Select((p, i) => new CitationUnit { UnitId = p.UnitId, Reason = p.Reason, Position = i })],
        };

        // The next number of the year; two made at once collide on the unique (year, number) and the later one retries.
        for (var attempt = 0; ; attempt++)
        {
            citation.Number = 1 + (await db.Set<Citation>().Where(c => c.Year == date.Year).MaxAsync(c => (int?)c.Number, cancellationToken) ?? 0);
            db.Add(citation);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return citation.Id;
            }
            catch (DbUpdateException) when (attempt < 5)
            {
                db.ChangeTracker.Clear();
                citation.Id = 0;
                foreach (var unit in citation.Units.OrderBy(u => u.Position))
                {
                    unit.CitationId = 0;
                }
            }
        }
    }

    /// <summary>Changes a draft's title, body, date or issuer (null leaves a field as it is).</summary>
    /// <exception cref="RuleConflictException">The citation is published.</exception>
    public async Task EditAsync(long id, string? title, string? body, string? date, string? issuer, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        Manage(actor);
        var citation = await db.Set<Citation>().FirstOrDefaultAsync(c => c.Id == id, cancellationToken)
            ?? throw new NotFoundException("没有找到这份通报。");
        if (citation.PublishedAt is not null)
        {
            throw new RuleConflictException("这份通报已发布，不能再修改。");
        }

        var errors = new Dictionary<string, string[]>();
        if (title is not null)
        {
            Check(errors, "title", title.Trim(), MaxTitle, "标题", required: true);
        }

        if (body is not null)
        {
            Check(errors, "body", body.Trim(), MaxBody, "正文", required: true);
        }

        if (issuer is not null)
        {
            Check(errors, "issuer", issuer.Trim(), MaxIssuer, "发文单位", required: true);
        }

        var parsed = citation.Date;
        if (date is not null && !ChinaTime.TryParseDate(date.Trim(), out parsed))
        {
            errors["date"] = ["成文日期格式应为 2024-04-02。"];
        }
        else if (parsed.Year != citation.Year)
        {
            errors["date"] = [$"成文日期须在文号的年份（{citation.Year.ToString(CultureInfo.InvariantCulture)}年）内。"];
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        citation.Title = title?.Trim() ?? citation.Title;
        citation.Body = body?.Trim() ?? citation.Body;
        citation.Issuer = issuer?.Trim() ?? citation.Issuer;
        citation.Date = parsed;
        citation.Version++;
        await SaveOnceAsync(cancellationToken);
    }

    /// <summary>Publishes a draft: each named unit gets it in its inbox, and it counts for the assessment from today.</summary>
    /// <exception cref="RuleConflictException">Published already.</exception>
    public async Task PublishAsync(long id, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        Manage(actor);
        var citation = await db.Set<Citation>().Include(c => c.Units).ThenInclude(u => u.Unit).FirstOrDefaultAsync(c => c.Id == id, cancellationToken)
            ?? throw new NotFoundException("没有找到这份通报。");
        if (citation.PublishedAt is not null)
        {
            throw new RuleConflictException($"{NumberLine(citation)}已于{ChinaTime.DateOf(citation.PublishedAt.Value).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}发布，不能重复发布。");
        }

        var now = clock.GetUtcNow();
        citation.PublishedAt = now;
        citation.PublishedOn = ChinaTime.DateOf(now);
        citation.PublishedByName = actor.Name;
        citation.Version++;
        var label = Citations.Label(citation.Kind);
        foreach (var unit in citation.Units.OrderBy(u => u.Position))
        {
            db.Notices.Add(new Notice
            {
                UnitId = unit.UnitId,
                Audience = Audience.Unit,
                Title = $"【{label}】{citation.Title}",
                Body = $"{citation.Issuer}印发《{citation.Title}》（{NumberLine(citation)}），对贵单位予以{label}：{unit.Reason.TrimEnd('。')}。",
                Link = Link(citation.Id),
                CreatedAt = now,
                DeliverAfter = now,
            });
        }

        await SaveOnceAsync(cancellationToken);
    }

    /// <summary>The page of a citation.</summary>
    public static string Link(long id) => FormattableString.Invariant($"/Assessment/Citations/{id}");

    /// <summary>The .docx file name: 督查通报〔2024〕3号.docx.</summary>
    public static string FileName(CitationView citation)
    {
        ArgumentNullException.ThrowIfNull(citation);
        return $"{citation.NumberLine}.docx";
    }

    /// <summary>Writes the citation as a .docx in the bulletin's shape: 文号, rule, title, the body, the table of units
    /// and reasons, the issuer and the date in Chinese.</summary>
    public static Task WriteDocxAsync(Stream stream, CitationView citation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(citation);
        return ReviewBulletin.PackageAsync(stream, citation.Title, citation.Issuer, body => Compose(body, citation), cancellationToken);
    }

    // 序号, 单位, 事由: the A4 text block of GB/T 9704 is 8844 twentieths of a point.
    private static readonly int[] TableWidths = [900, 2900, 5044];

    private static void Compose(W.Body body, CitationView c)
    {
        body.Append(ReviewBulletin.Para(c.NumberLine, ReviewBulletin.NumberLineFont, 32, W.JustificationValues.Center, indent: false));
        body.Append(ReviewBulletin.Rule());
        body.Append(ReviewBulletin.Para(c.Title, ReviewBulletin.HeadingFont, 44, W.JustificationValues.Center, indent: false, before: 240, after: 240, exactLine: 700));
        body.Append(ReviewBulletin.Para("各县（市、区）、市直各部门：", ReviewBulletin.BodyFont, 32, W.JustificationValues.Left, indent: false));
        foreach (var paragraph in c.Paragraphs)
        {
            body.Append(ReviewBulletin.Para(paragraph, ReviewBulletin.BodyFont, 32));
        }

        // 附件说明 after the body, the signature, then the attachment on its own page (GB/T 9704).
        body.Append(ReviewBulletin.Para("", ReviewBulletin.BodyFont, 32, indent: false));
        body.Append(ReviewBulletin.Para($"附件：{c.KindName}单位名单", ReviewBulletin.BodyFont, 32));
        body.Append(ReviewBulletin.Para("", ReviewBulletin.BodyFont, 32, indent: false));
        body.Append(ReviewBulletin.Para(c.Issuer, ReviewBulletin.BodyFont, 32, W.JustificationValues.Right, indent: false, right: 1280));
        body.Append(ReviewBulletin.Para(ReviewBulletin.ChineseDate(c.Date), ReviewBulletin.BodyFont, 32, W.JustificationValues.Right, indent: false, right: 640));
        body.Append(new W.Paragraph(new W.Run(new W.Break { Type = W.BreakValues.Page })));
        body.Append(ReviewBulletin.Para("附件", ReviewBulletin.HeadingFont, 32, W.JustificationValues.Left, indent: false));
        body.Append(ReviewBulletin.Para($"{c.KindName}单位名单", ReviewBulletin.HeadingFont, 36, W.JustificationValues.Center, indent: false, before: 240, after: 240));
        var table = ReviewBulletin.Table(TableWidths);
        table.Append(ReviewBulletin.Row(["序号", "单位", "事由"], header: true, keepNext: true, TableWidths));
        for (var i = 0; i < c.Units.Count; i++)
        {
            table.Append(ReviewBulletin.Row([(i + 1).ToString(CultureInfo.InvariantCulture), c.Units[i].Unit.Name, c.Units[i].Reason],
                header: false, keepNext: i < c.Units.Count - 1, TableWidths, lastLeft: 2));
        }

        body.Append(table);
    }

    /// <summary>A body's paragraphs: split at line breaks, blank lines dropped.</summary>
    public static IReadOnlyList<string> Paragraphs(string body) =>
        (body ?? "").Split('\n').Select(p => p.Trim()).Where(p => p.Length > 0).ToList();

    /// <summary>关于对测试镇等 3 个单位予以通报表扬的通报.</summary>
    public static string DefaultTitle(CitationKind kind, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var who = names.Count <= 2 ? string.Join("、", names) : string.Create(CultureInfo.InvariantCulture, $"{names[0]}等{names.Count}个单位");
        return $"关于对{who}予以{Citations.Label(kind)}的通报";
    }

    /// <summary>The generated body: what happened, the decision, and what is asked of the units.</summary>
    public static string DefaultBody(CitationKind kind, DateOnly date, IReadOnlyList<string> names, string? source)
    {
        ArgumentNullException.ThrowIfNull(names);
        var who = string.Join("、", names);
        var count = names.Count.ToString(CultureInfo.InvariantCulture);
        var where = source is null ? "在督办事项办理中" : $"在{source.Replace("讲评红榜", "督查工作讲评中", StringComparison.Ordinal).Replace("讲评黑榜", "督查工作讲评中", StringComparison.Ordinal)}";
        return kind == CitationKind.Commendation
            ? $"{where}，{who}（共 {count} 个单位）责任落实到位、办理质效突出，表现优异（具体事由见附件）。\n"
              + "为树立先进典型、激励担当作为，经研究，决定对以上单位予以通报表扬。\n"
              + "希望受到表扬的单位珍惜荣誉、再接再厉；各单位要以先进为榜样，切实提升督办事项办理质效。"
            : $"{where}，{who}（共 {count} 个单位）存在办理不及时、落实不到位等问题（具体事由见附件）。\n"
              + "为严肃工作纪律、压实工作责任，经研究，决定对以上单位予以通报批评。\n"
              + $"被通报批评的单位要深刻反思、举一反三，于{date.AddDays(15).Month.ToString(CultureInfo.InvariantCulture)}月{date.AddDays(15).Day.ToString(CultureInfo.InvariantCulture)}日前向督查室书面报告整改情况。";
    }

    private static string NumberLine(Citation c) => ReviewBulletin.NumberLine(new BulletinOptions { Number = c.Number, Date = new DateOnly(c.Year, 1, 1), Prefix = Prefix });

    private static CitationView View(Citation c) => new(c.Id, c.Kind, Citations.Label(c.Kind), NumberLine(c), c.Date, c.Issuer, c.Title, c.Body, c.Source,
        c.Units.OrderBy(u => u.Position).Select(u => new CitedUnit(new UnitRef(u.UnitId, u.Unit?.Code ?? "", u.Unit?.Name ?? ""), u.Reason)).ToList(),
        c.CreatedAt, c.CreatedByName, c.PublishedAt, c.PublishedByName);

    private static void Check(Dictionary<string, string[]> errors, string field, string value, int max, string name, bool required = false)
    {
        if (required && value.Length == 0)
        {
            errors[field] = [$"请填写{name}。"];
        }
        else if (value.Length > max)
        {
            errors[field] = [$"{name}最多 {max.ToString(CultureInfo.InvariantCulture)} 字。"];
        }
    }

    private static void Manage(Actor actor)
    {
        if (!Citations.MayManage(actor))
        {
            throw new ForbiddenException("只有督查室可以制发通报、发放红黄牌和登记约谈。");
        }
    }

    private async Task SaveOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new RuleConflictException("这份通报刚被他人修改或发布，请刷新后再试。");
        }
    }
}
