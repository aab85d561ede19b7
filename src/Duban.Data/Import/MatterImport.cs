using System.Globalization;
using Duban.Calendar;
using Duban.Matters;
using Duban.Tabular;
using Duban.Text;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace Duban.Data;

/// <summary>A column of the 批量交办 sheet.</summary>
public enum MatterColumn
{
    Title,
    Content,
    Goal,
    Standard,
    LeadUnit,
    CoUnits,
    Profile,
    DueAt,
    Kind,
    Source,
    Responsible,
    Contact,
    Phone,
    Note,
}

/// <summary>What became of one row of a matter import.</summary>
public enum MatterRowOutcome
{
    /// <summary>预检: the row would be assigned.</summary>
    Valid,

    /// <summary>Assigned by this import.</summary>
    Assigned,

    /// <summary>The same matter (title, content and lead unit) was assigned before: skipped, nothing new.</summary>
    AlreadyAssigned,

    /// <summary>The row has errors (listed); with any such row nothing is saved.</summary>
    Rejected,
}

/// <summary>One row of the import report.</summary>
/// <param name="Row">The row's number in the sheet.</param>
/// <param name="Title">标题 as written.</param>
/// <param name="LeadUnit">牵头单位 (the unit's name when found, else as written).</param>
/// <param name="Deadline">期限 as understood: the date, or the 时限规则's name.</param>
/// <param name="Outcome">可导入 / 已交办 / 此前已交办 / 有误.</param>
/// <param name="Reasons">Why the row cannot be imported, in Chinese.</param>
/// <param name="Code">The matter's code when assigned now or before.</param>
/// <param name="MatterId">The matter's id when assigned now or before.</param>
public sealed record MatterImportRow(int Row, string? Title, string? LeadUnit, string? Deadline, MatterRowOutcome Outcome,
    IReadOnlyList<string> Reasons, string? Code = null, long? MatterId = null)
{
    /// <summary>The outcome in Chinese.</summary>
    public string OutcomeText => Outcome switch
    {
        MatterRowOutcome.Valid => "可导入",
        MatterRowOutcome.Assigned => "已交办",
        MatterRowOutcome.AlreadyAssigned => "此前已交办，不重复",
        _ => "有误",
    };
}

/// <summary>The report of a 预检 (dry run) or an import: one line per data row, and the columns not recognised.</summary>
public sealed record MatterImportReport(bool DryRun, string? Sheet, int HeaderRow, IReadOnlyList<string> IgnoredColumns, IReadOnlyList<MatterImportRow> Rows)
{
    public int Valid => Rows.Count(r => r.Outcome == MatterRowOutcome.Valid);
    public int Assigned => Rows.Count(r => r.Outcome == MatterRowOutcome.Assigned);
    public int AlreadyAssigned => Rows.Count(r => r.Outcome == MatterRowOutcome.AlreadyAssigned);
    public int Rejected => Rows.Count(r => r.Outcome == MatterRowOutcome.Rejected);

    /// <summary>Whether every row may be (or was) imported.</summary>
    public bool Ok => Rejected == 0;

    /// <summary>One line in Chinese.</summary>
    public string Summary => (DryRun, Ok) switch
    {
        (_, false) => FormattableString.Invariant($"共 {Rows.Count} 行，{Rejected} 行有误：请改正后重新上传，本次一项也没有交办。"),
        (true, true) => FormattableString.Invariant($"预检通过：共 {Rows.Count} 行，可导入 {Valid} 项") + (AlreadyAssigned > 0 ? FormattableString.Invariant($"，{AlreadyAssigned} 项此前已交办（不重复）") : string.Empty) + "，尚未保存。",
        (false, true) => FormattableString.Invariant($"已交办 {Assigned} 项") + (AlreadyAssigned > 0 ? FormattableString.Invariant($"，{AlreadyAssigned} 项此前已交办（未重复交办）") : string.Empty) + "。",
    };
}

/// <summary>
/// 批量导入交办事项: each row of a sheet becomes the same <see cref="NewMatter"/> the 交办 form builds (units by name or code,
/// 时限规则 by its Chinese name, 办结期限 as a date) and goes through <see cref="AssignMatter"/>. 预检 and import are one code
/// path inside one transaction: 预检 rolls it back, and so does an import with any bad row (all or nothing); a clean
/// import commits every matter with its own 交办 event. A row whose title, content and lead unit match a matter already
/// assigned is skipped, so the same file twice assigns nothing new.
/// </summary>
public sealed class MatterImport(DubanDbContext db, AssignMatter assign, Rules rules)
{
    /// <summary>Data rows one file may hold.</summary>
    public const int MaxRows = 5000;

    /// <summary>The columns: the name the template writes and the headers recognised for it.</summary>
    public static IReadOnlyList<(MatterColumn Column, string Name, string[] Headers)> Columns { get; } =
    [
        (MatterColumn.Title, "标题", ["标题", "事项名称", "事项标题", "名称", "改革事项", "事项"]),
        (MatterColumn.Content, "内容（具体要求）", ["内容", "具体要求", "内容具体要求", "事项内容", "工作内容", "主要内容", "工作要求"]),
        (MatterColumn.Goal, "目标任务", ["目标任务", "目标", "工作目标"]),
        (MatterColumn.Standard, "工作标准", ["工作标准", "标准", "完成标准"]),
        (MatterColumn.LeadUnit, "牵头单位", ["牵头单位", "责任单位", "主办单位", "承办单位", "牵头部门"]),
        (MatterColumn.CoUnits, "配合单位", ["配合单位", "协办单位", "配合部门", "协同单位"]),
        (MatterColumn.Profile, "时限规则", ["时限规则", "时限", "办理时限"]),
        (MatterColumn.DueAt, "办结期限", ["办结期限", "完成时限", "完成时间", "期限", "截止日期", "截止时间", "办结时间"]),
        (MatterColumn.Kind, "类别", ["类别", "类型", "事项类别", "事项类型"]),
        (MatterColumn.Source, "来源", ["来源", "事项来源"]),
        (MatterColumn.Responsible, "责任人", ["责任人"]),
        (MatterColumn.Contact, "联系人", ["联系人", "联络员"]),
        (MatterColumn.Phone, "联系电话", ["联系电话", "电话", "手机"]),
        (MatterColumn.Note, "备注", ["备注", "交办意见"]),
    ];

    private static readonly char[] UnitSeparators = ['、', '，', ',', ';', '；', '\n', '／', '/'];

    /// <summary>Header rows looked for among the first rows (a title row or a two-row header above the real one).</summary>
    private const int HeaderSearch = 10;

    /// <summary>Checks (dry run) or imports a sheet; see the class. A file that cannot be read at all (not xlsx, no
    /// header, too many rows) throws <see cref="ValidationFailedException"/> on the field <c>file</c>.</summary>
    /// <exception cref="ForbiddenException">The actor may not assign.</exception>
    public async Task<MatterImportReport> RunAsync(Stream stream, string fileName, bool dryRun, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(actor);
        if (!AccessRules.MayAssign(actor))
        {
            throw new ForbiddenException("只有督查室、领导或管理员可以批量交办事项。");
        }

        var (sheet, headerRow, header, columns, rows) = Read(stream, fileName);
        var units = await db.Units.AsNoTracking().Where(u => u.Active).Select(u => new UnitEntry(u.Id, u.Code, u.Name)).ToListAsync(cancellationToken);
        var directory = new UnitLookup(units);
        var parsed = rows.Select(r => Parse(r, columns, directory)).ToList();

        var results = new List<MatterImportRow>(parsed.Count);
        var seen = new Dictionary<(string, string, string), int>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var commit = false;
        try
        {
            foreach (var p in parsed)
            {
                cancellationToken.ThrowIfCancellationRequested();
                results.Add(await RowAsync(p, dryRun, actor, seen, cancellationToken));
                db.ChangeTracker.Clear(); // a row's entities never outlive it
            }

            commit = !dryRun && results.All(r => r.Outcome != MatterRowOutcome.Rejected);
            if (commit)
            {
                await transaction.CommitAsync(cancellationToken);
            }
        }
        finally
        {
            if (!commit)
            {
                await transaction.RollbackAsync(CancellationToken.None);
                db.ChangeTracker.Clear();
            }
        }

        if (!commit && !dryRun)
        {
            // Nothing was saved: the rows that passed say so rather than "已交办".
            results = results.Select(r => r.Outcome == MatterRowOutcome.Assigned ? r with { Outcome = MatterRowOutcome.Valid, Code = null, MatterId = null } : r).ToList();
        }

        var ignored = Enumerable.Range(0, header.Count).Where(i => header[i].Length > 0 && !columns.ContainsValue(i)).Select(i => header[i]).ToList();
        return new MatterImportReport(dryRun, sheet.Sheet, headerRow, ignored, results);
    }

    private async Task<MatterImportRow> RowAsync(ParsedRow p, bool dryRun, Actor actor, Dictionary<(string, string, string), int> seen,
        CancellationToken cancellationToken)
    {
        MatterImportRow Line(MatterRowOutcome outcome, IReadOnlyList<string> reasons, string? code = null, long? id = null) =>
            new(p.Row, p.Title, p.LeadUnitName, p.Deadline, outcome, reasons, code, id);

        var reasons = new List<string>(p.Problems);
        if (p.Matter.Title is { } title && p.Matter.Content is { } content && p.LeadUnitId is { } leadId)
        {
            var key = (UserText.Clean(title) ?? title, UserText.Clean(content) ?? content, p.Matter.LeadUnit!);
            if (seen.TryGetValue(key, out var earlier))
            {
                reasons.Add(FormattableString.Invariant($"与第 {earlier} 行重复（标题、内容和牵头单位都相同）。"));
            }
            else
            {
                seen[key] = p.Row;
            }

            if (reasons.Count == 0)
            {
                var before = await db.Matters.AsNoTracking()
                    .Where(m => m.LeadUnitId == leadId && m.Title == key.Item1 && m.Content == key.Item2)
                    .OrderBy(m => m.Id).Select(m => new { m.Id, m.Code }).FirstOrDefaultAsync(cancellationToken);
                if (before is not null)
                {
                    return Line(MatterRowOutcome.AlreadyAssigned, [], before.Code, before.Id);
                }
            }
        }

        try
        {
            // The same 交办 as the form's, even in a 预检 (its transaction is rolled back): the verdict is the real one.
            var id = await assign.ExecuteAsync(p.Matter, actor, cancellationToken);
            if (reasons.Count > 0)
            {
                return Line(MatterRowOutcome.Rejected, reasons);
            }

            if (dryRun)
            {
                return Line(MatterRowOutcome.Valid, []);
            }

            var code = await db.Matters.AsNoTracking().Where(m => m.Id == id).Select(m => m.Code).SingleAsync(cancellationToken);
            return Line(MatterRowOutcome.Assigned, [], code, id);
        }
        catch (ValidationFailedException ex)
        {
            // Problems found here (units, dates, profile) are already said in the sheet's words; the 交办's own say the rest.
            foreach (var (field, messages) in ex.Errors)
            {
                if (p.Covered.Contains(field))
                {
                    continue;
                }

                reasons.AddRange(messages.Select(m => Prefix(field) + m));
            }

            return Line(MatterRowOutcome.Rejected, reasons.Distinct().ToList());
        }
    }

    private static string Prefix(string field) => field switch
    {
        "people" => "责任人/联系人：",
        _ => string.Empty,
    };

    /// <summary>The sheet, its header (the recognised row among the first ones), the column of each field, and the data rows.</summary>
    private static (Spreadsheet Sheet, int HeaderRow, IReadOnlyList<string> Header, Dictionary<MatterColumn, int> Columns, IReadOnlyList<SheetRow> Rows) Read(
        Stream stream, string fileName)
    {
        // Room for a title row or two above the header: the data cap is checked below, on the rows after the header.
        var sheet = Spreadsheet.Open(stream, fileName, limits: new SpreadsheetLimits { MaxRows = MaxRows + HeaderSearch });
        var header = sheet.Header;
        var columns = Recognise(header);
        var all = sheet.Rows.ToList();
        var start = 0;
        var headerRow = sheet.HeaderRow;
        for (var i = 0; i < Math.Min(HeaderSearch, all.Count); i++)
        {
            var candidate = all[i].Cells.Select(c => CellValues.Text(c) ?? string.Empty).ToList();
            var found = Recognise(candidate);
            if (found.Count > columns.Count)
            {
                header = candidate;
                columns = found;
                start = i + 1;
                headerRow = all[i].Number;
            }
        }

        if (!columns.ContainsKey(MatterColumn.Title) || !columns.ContainsKey(MatterColumn.LeadUnit))
        {
            throw ValidationFailedException.For("file", $"没有找到表头：表头行须有「标题」和「牵头单位」列（可下载模板对照）。第一行是：{string.Join("、", sheet.Header.Where(h => h.Length > 0).Take(12))}。");
        }

        var rows = all.Skip(start).ToList();
        if (rows.Count == 0)
        {
            throw ValidationFailedException.For("file", "表头下面没有数据行。");
        }

        if (rows.Count > MaxRows)
        {
            throw ValidationFailedException.For("file", FormattableString.Invariant($"数据行有 {rows.Count} 行，超过上限 {MaxRows} 行，请拆分文件。"));
        }

        return (sheet, headerRow, header, columns, rows);
    }

    /// <summary>Which column holds which field: each header's text without spaces, asterisks and 必填 marks, with or
    /// without what it has in brackets.</summary>
    public static Dictionary<MatterColumn, int> Recognise(IReadOnlyList<string> header)
    {
        var columns = new Dictionary<MatterColumn, int>();
        for (var i = 0; i < header.Count; i++)
        {
            var (whole, bare) = Normalise(header[i]);
            if (whole.Length == 0)
            {
                continue;
            }

            foreach (var (column, _, names) in Columns)
            {
                if (!columns.ContainsKey(column) && (names.Contains(whole, StringComparer.Ordinal) || names.Contains(bare, StringComparer.Ordinal)))
                {
                    columns[column] = i;
                    break;
                }
            }
        }

        return columns;
    }

    private static (string Whole, string Bare) Normalise(string text)
    {
        var chars = text.Where(c => !char.IsWhiteSpace(c) && c is not ('*' or '＊')).ToArray();
        var whole = new string(chars).Replace("（必填）", string.Empty, StringComparison.Ordinal).Replace("(必填)", string.Empty, StringComparison.Ordinal);
        var bare = new System.Text.StringBuilder();
        var depth = 0;
        foreach (var c in whole)
        {
            if (c is '（' or '(' or '【' or '[')
            {
                depth++;
            }
            else if (c is '）' or ')' or '】' or ']')
            {
                depth = Math.Max(0, depth - 1);
            }
            else if (depth == 0)
            {
                bare.Append(c);
            }
        }

        return (whole.Replace('（', '(').Replace('）', ')').Replace("(", string.Empty, StringComparison.Ordinal).Replace(")", string.Empty, StringComparison.Ordinal), bare.ToString());
    }

    private sealed record UnitEntry(long Id, string Code, string Name);

    /// <summary>Units by exact name first, then by code.</summary>
    private sealed class UnitLookup(IReadOnlyList<UnitEntry> units)
    {
        private readonly ILookup<string, UnitEntry> _byName = units.ToLookup(u => u.Name, StringComparer.Ordinal);
        private readonly Dictionary<string, UnitEntry> _byCode = units.ToDictionary(u => u.Code, StringComparer.OrdinalIgnoreCase);

        public UnitEntry? Find(string text, List<string> problems)
        {
            var named = _byName[text].ToList();
            if (named.Count == 1)
            {
                return named[0];
            }

            if (_byCode.TryGetValue(text, out var coded))
            {
                return coded;
            }

            problems.Add(named.Count > 1 ? $"“{text}”有多个同名单位，请写代码（{string.Join("、", named.Select(u => u.Code))}）。" : $"找不到单位“{text}”。");
            return null;
        }
    }

    private sealed record ParsedRow(int Row, NewMatter Matter, string? Title, string? LeadUnitName, long? LeadUnitId, string? Deadline,
        IReadOnlyList<string> Problems, IReadOnlySet<string> Covered);

    /// <summary>A row as the 交办 form's input, with what could not be understood (said in the sheet's words) and the
    /// input fields those problems cover (so the 交办's own message for them is not said twice).</summary>
    private ParsedRow Parse(SheetRow row, Dictionary<MatterColumn, int> columns, UnitLookup directory)
    {
        object? Value(MatterColumn c) => columns.TryGetValue(c, out var i) ? row[i] : null;
        string? Text(MatterColumn c) => CellValues.Text(Value(c));
        var problems = new List<string>();
        var covered = new HashSet<string>(StringComparer.Ordinal);

        var title = Text(MatterColumn.Title);
        if (title is null)
        {
            problems.Add("缺少标题。");
            covered.Add("title");
        }

        string? leadCode = null, leadName = Text(MatterColumn.LeadUnit);
        long? leadId = null;
        if (leadName is null)
        {
            problems.Add("缺少牵头单位。");
        }
        else if (directory.Find(leadName, problems) is { } lead)
        {
            (leadCode, leadName, leadId) = (lead.Code, lead.Name, lead.Id);
        }

        covered.Add("leadUnit");
        var coCodes = new List<string>();
        foreach (var part in (Text(MatterColumn.CoUnits) ?? string.Empty).Split(UnitSeparators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (directory.Find(part, problems) is { } co)
            {
                if (co.Code == leadCode)
                {
                    problems.Add($"配合单位“{part}”就是牵头单位。");
                }
                else if (!coCodes.Contains(co.Code))
                {
                    coCodes.Add(co.Code);
                }
            }
        }

        covered.Add("coUnits");
        string? profile = null;
        var deadline = (string?)null;
        if (Text(MatterColumn.Profile) is { } profileText)
        {
            var match = rules.Profiles.FirstOrDefault(x => x.DisplayName == profileText || x.Name == profileText)
                ?? rules.Profiles.FirstOrDefault(x => x.DisplayName.Replace(" ", string.Empty, StringComparison.Ordinal) == profileText.Replace(" ", string.Empty, StringComparison.Ordinal));
            if (match is null)
            {
                problems.Add($"时限规则“{profileText}”不存在，可选：{string.Join("、", rules.Profiles.Select(x => x.DisplayName))}。");
            }
            else
            {
                profile = match.Name;
                deadline = match.DisplayName;
            }

            covered.Add("profile");
        }

        string? dueAt = null;
        var dueValue = Value(MatterColumn.DueAt);
        if (CellValues.Text(dueValue) is { } dueText)
        {
            if (CellValues.TryParseInstant(dueValue, out var instant))
            {
                var local = ChinaTime.ToLocal(instant);
                // A date (00:00) means the end of that day, as the 交办 form's date does; a time is kept as written.
                dueAt = local.TimeOfDay == TimeSpan.Zero
                    ? local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
                    : local.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
                deadline = local.TimeOfDay == TimeSpan.Zero ? local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : local.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
            }
            else
            {
                problems.Add($"办结期限“{dueText}”不是日期（可写 2026-03-31、2026/3/31 或 2026年3月31日）。");
                covered.Add("dueAt");
            }
        }

        deadline ??= rules.Profiles.FirstOrDefault(x => x.Name == TimeLimits.TimeLimitProfile.DefaultName)?.DisplayName;

        string? kind = null;
        if (Text(MatterColumn.Kind) is { } kindText)
        {
            var known = new[] { MatterKind.Assignment, MatterKind.Appeal, MatterKind.Petition }
                .Where(k => Labels.Of(k) == kindText || (k == MatterKind.Assignment && kindText == "交办")).ToList();
            if (known.Count == 0)
            {
                problems.Add($"类别“{kindText}”不认识，可写：交办事项、诉求或信访。");
                covered.Add("kind");
            }
            else
            {
                kind = WireEnum.Name(known[0]);
            }
        }

        string? source = null;
        if (Text(MatterColumn.Source) is { } sourceText)
        {
            var known = Enum.GetValues<MatterSource>().Where(s => Labels.Of(s) == sourceText || (s == MatterSource.Instruction && sourceText == "批示")).ToList();
            if (known.Count == 0)
            {
                problems.Add($"来源“{sourceText}”不认识，可写：{string.Join("、", Enum.GetValues<MatterSource>().Select(Labels.Of))}。");
                covered.Add("source");
            }
            else
            {
                source = WireEnum.Name(known[0]);
            }
        }

        var people = new List<PersonInput?>();
        if (Text(MatterColumn.Responsible) is { } responsible)
        {
            people.Add(new PersonInput { Role = "responsible", Name = responsible, Unit = leadName });
        }

        var phone = Text(MatterColumn.Phone);
        if (Text(MatterColumn.Contact) is { } contact)
        {
            people.Add(new PersonInput { Role = "liaison", Name = contact, Unit = leadName, Phone = phone });
        }
        else if (phone is not null)
        {
            problems.Add("填写了联系电话，请同时填写联系人。");
        }

        var matter = new NewMatter
        {
            Title = title,
            Content = Text(MatterColumn.Content),
            Goal = Text(MatterColumn.Goal),
            Standard = Text(MatterColumn.Standard),
            Kind = kind,
            Source = source ?? WireEnum.Name(MatterSource.Import),
            LeadUnit = leadCode ?? (leadName is null ? null : "?"),
            CoUnits = coCodes,
            Profile = profile,
            DueAt = dueAt,
            Note = Text(MatterColumn.Note),
            People = people,
        };
        return new ParsedRow(row.Number, matter, title, leadName, leadId, deadline, problems, covered);
    }

    /// <summary>The template: the header and one example row, then the sheets 单位名单 (names and codes) and 时限规则.</summary>
    public async Task WriteTemplateAsync(Stream target, DateOnly today, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        var units = await db.Units.AsNoTracking().Where(u => u.Active).OrderBy(u => u.Path).ThenBy(u => u.Code)
            .Select(u => new { u.Code, u.Name }).ToListAsync(cancellationToken);
        var lead = units.Skip(1).FirstOrDefault() ?? units.FirstOrDefault();
        var example = new Dictionary<string, object?>
        {
            ["标题"] = "（示例）推进政务服务“一网通办”改革",
            ["内容（具体要求）"] = "梳理高频事项清单，实现线上办理；每月报送进展。",
            ["目标任务"] = "年底前高频事项全部网上可办",
            ["工作标准"] = "事项清单公开，网上办理率达到 90%",
            ["牵头单位"] = lead?.Name,
            ["配合单位"] = units.Skip(2).FirstOrDefault()?.Name,
            ["时限规则"] = null,
            ["办结期限"] = today.AddMonths(3).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["类别"] = Labels.Of(MatterKind.Assignment),
            ["来源"] = Labels.Of(MatterSource.Meeting),
            ["责任人"] = "张三",
            ["联系人"] = "李四",
            ["联系电话"] = "13800000000",
            ["备注"] = "示例行，导入前请删除",
        };
        var sheets = new Dictionary<string, object>
        {
            ["交办事项"] = new[] { example },
            ["单位名单"] = units.Select(u => new Dictionary<string, object?> { ["单位名称"] = u.Name, ["单位代码"] = u.Code }).ToList(),
            ["时限规则"] = rules.Profiles.Select(p => new Dictionary<string, object?> { ["时限规则"] = p.DisplayName, ["代号"] = p.Name }).ToList(),
        };
        await target.SaveAsAsync(sheets, excelType: ExcelType.XLSX, cancellationToken: cancellationToken);
    }
}
