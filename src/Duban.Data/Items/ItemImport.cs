using System.Globalization;
using System.Text.RegularExpressions;
using Duban.Calendar;
using Duban.Items;
using Duban.Matters;
using Duban.Tabular;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>One refused cell or row of an item import: the sheet's row number, the column's head and why, in Chinese.</summary>
public sealed record ItemImportError(int Row, string? Column, string Reason)
{
    /// <summary>第 5 行「牵头单位」：单位「某局」不存在。</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"第 {Row} 行{(Column is null ? "" : $"「{Column}」")}：{Reason}");
}

/// <summary>One row as read: what would be created (or was).</summary>
public sealed record ItemImportLine(int Row, string Number, string Title, string LeadUnit, string LeadingOfficials, string Responsible,
    IReadOnlyList<PlannedNode> Nodes, string? Cycle, long? Id);

/// <summary>The report of an item import or a dry run. <see cref="Stored"/> is how many items were saved: 0 on a dry
/// run and whenever any row is refused (unless only the valid rows were asked for).</summary>
public sealed record ItemImportReport(bool DryRun, string Register, int Year, IReadOnlyList<ItemImportLine> Lines,
    IReadOnlyList<ItemImportError> Errors, int Stored)
{
    /// <summary>One line: what was done, counted.</summary>
    public string Summary => DryRun
        ? string.Create(CultureInfo.InvariantCulture, $"试导入：共 {Lines.Count} 行，可导入 {Lines.Count - RejectedRows} 行，有误 {RejectedRows} 行；未保存。")
        : Stored > 0
            ? string.Create(CultureInfo.InvariantCulture, $"已导入 {Stored} 项工作事项{(RejectedRows > 0 ? $"，有误 {RejectedRows} 行未导入" : "")}。")
            : string.Create(CultureInfo.InvariantCulture, $"有误 {RejectedRows} 行，未导入任何事项；请改正后重新导入。");

    /// <summary>How many rows have an error.</summary>
    public int RejectedRows => Errors.Select(e => e.Row).Distinct().Count();
}

/// <summary>How to import: into which register, check only, and whether the valid rows go in when others are refused.</summary>
/// <param name="Register">The register; null: read from the title row (「2026年重大项目台账」), else 重点工作.</param>
/// <param name="DryRun">Check every row, store nothing.</param>
/// <param name="ValidOnly">Store the valid rows even when others are refused (by default a file is all or nothing).</param>
public sealed record ItemImportOptions(ItemRegister? Register = null, bool DryRun = false, bool ValidOnly = false);

/// <summary>
/// 导入台账 (<c>duban items import</c>, the page 导入台账): a year's list from a spreadsheet laid out as
/// <see cref="ItemLedger"/> writes it (序号, 工作任务, 牵头单位 (name or code), 责任领导, 责任人, 时间节点 as
/// 「立项 2027-03-31；开工 2027-06-30」 or one a line in the date forms the other importers take (2027年3月31日,
/// 2027/3/31, 3月31日 in the title row's year), 报送周期 optional: 每月25日, 每周五). Each row goes through
/// <see cref="WorkItems.CreateAsync"/>, so it is checked exactly as the API checks it; a row 1.2 becomes a child of
/// row 1. Everything runs in one transaction: a dry run, or a file with any refused row, stores nothing.
/// </summary>
public sealed partial class ItemImport(DubanDbContext db, WorkItems items, TimeProvider clock)
{
    /// <summary>The most rows one import takes.</summary>
    public const int MaxRows = 5000;

    /// <summary>Reads and imports (or checks) the sheet.</summary>
    public async Task<ItemImportReport> RunAsync(Spreadsheet sheet, ItemImportOptions options, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sheet);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(actor);
        if (!AccessRules.MayAssign(actor))
        {
            throw new ForbiddenException("只有督查室、领导或管理员可以导入工作事项。");
        }

        var (header, title, rows) = Locate(sheet);
        var year = TitleYear().Match(title ?? "") is { Success: true } y ? int.Parse(y.Groups[1].Value, CultureInfo.InvariantCulture) : ChinaTime.DateOf(clock.GetUtcNow()).Year;
        var register = options.Register ?? Enum.GetValues<ItemRegister>().Cast<ItemRegister?>().FirstOrDefault(r => title?.Contains(Labels.Of(r!.Value), StringComparison.Ordinal) == true)
            ?? ItemRegister.KeyWork;
        int Column(string head) => header.FindIndex(h => string.Equals(h.Trim(), head, StringComparison.Ordinal));
        var columns = new Dictionary<string, int>();
        foreach (var head in new[] { "序号", "工作任务", "牵头单位", "责任领导", "责任人", "时间节点", "报送周期" })
        {
            columns[head] = Column(head);
        }

        var missing = new[] { "工作任务", "牵头单位", "时间节点" }.Where(h => columns[h] < 0).ToList();
        if (missing.Count > 0)
        {
            throw ValidationFailedException.For("file", $"表头缺少：{string.Join("、", missing)}。表头应为：{string.Join("、", ItemLedger.Heads)}（报送周期可选）。");
        }

        var units = await db.Units.AsNoTracking().Where(u => u.Active).Select(u => new { u.Code, u.Name }).ToListAsync(cancellationToken);
        var errors = new List<ItemImportError>();
        var parsed = new List<(ItemImportLine Line, NewItem? Input, string? Parent)>();
        string Cell(SheetRow row, string head) => columns[head] is >= 0 and var i ? CellValues.Text(row[i]) ?? "" : "";
        foreach (var row in rows)
        {
            if (parsed.Count >= MaxRows)
            {
                throw ValidationFailedException.For("file", string.Create(CultureInfo.InvariantCulture, $"数据行超过上限 {MaxRows} 行，请拆分文件。"));
            }

            var number = Cell(row, "序号");
            var titleText = Cell(row, "工作任务");
            var leadText = Cell(row, "牵头单位");
            var before = errors.Count;
            if (titleText.Length == 0)
            {
                errors.Add(new(row.Number, "工作任务", "请填写工作任务。"));
            }

            string? leadCode = null;
            if (leadText.Length == 0)
            {
                errors.Add(new(row.Number, "牵头单位", "请填写牵头单位（单位名称或代码）。"));
            }
            else if (units.FirstOrDefault(u => u.Code == leadText) is { } byCode)
            {
                leadCode = byCode.Code;
            }
            else if (units.Where(u => u.Name == leadText).ToList() is { Count: 1 } byName)
            {
                leadCode = byName[0].Code;
            }
            else
            {
                errors.Add(new(row.Number, "牵头单位", units.Any(u => u.Name == leadText)
                    ? $"有多个单位名为「{leadText}」，请改填单位代码。"
                    : $"单位「{leadText}」不存在（填单位名称或代码）。"));
            }

            var nodes = ParseNodes(row[columns["时间节点"]], year, out var nodeError);
            if (nodeError is not null)
            {
                errors.Add(new(row.Number, "时间节点", nodeError));
            }

            CycleInput? cycle = null;
            var cycleText = Cell(row, "报送周期");
            if (cycleText.Length > 0 && !TryParseCycle(cycleText, out cycle))
            {
                errors.Add(new(row.Number, "报送周期", $"无法识别「{cycleText}」，请写成「每月25日」或「每周五」。"));
            }

            string? parent = null;
            if (number.Contains('.', StringComparison.Ordinal))
            {
                parent = number[..number.IndexOf('.', StringComparison.Ordinal)];
                if (!parsed.Any(p => p.Line.Number == parent))
                {
                    errors.Add(new(row.Number, "序号", $"子事项 {number} 之前没有序号为 {parent} 的上级事项。"));
                }
            }

            var leading = Names(Cell(row, "责任领导"));
            var responsible = Names(Cell(row, "责任人"));
            var input = new NewItem
            {
                Title = titleText,
                Register = ItemRegisters.Key(register),
                LeadUnit = leadCode,
                Plan = nodes.Select(n => new NodeInput(n.Name, n.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))).ToList(),
                Cycle = cycle,
                People = [.. leading.Select(n => (PersonInput?)new PersonInput { Role = "leadingOfficial", Name = n }),
                    .. responsible.Select(n => (PersonInput?)new PersonInput { Role = "responsible", Name = n })],
            };
            var line = new ItemImportLine(row.Number, number, titleText, leadText, string.Join("、", leading), string.Join("、", responsible), nodes,
                cycle is null ? null : cycleText, null);
            parsed.Add((line, errors.Count == before ? input : null, parent));
        }

        if (parsed.Count == 0 && errors.Count == 0)
        {
            throw ValidationFailedException.For("file", "表中没有数据行。");
        }

        // Every row through the same checks as the API, in one transaction: kept only when nothing is refused (or the
        // valid rows were asked for) and this is not a dry run.
        var lines = new List<ItemImportLine>();
        var created = new Dictionary<string, long>();
        var stored = 0;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var (line, input, parent) in parsed)
        {
            if (input is null)
            {
                lines.Add(line);
                continue;
            }

            long? parentId = parent is null ? null : created.TryGetValue(parent, out var p) ? p : null;
            if (parent is not null && parentId is null)
            {
                errors.Add(new(line.Row, "序号", $"上级事项（序号 {parent}）未能导入，本行无法导入。"));
                lines.Add(line);
                continue;
            }

            try
            {
                var id = await items.CreateAsync(input with { Parent = parentId }, actor, cancellationToken);
                stored++;
                if (line.Number.Length > 0)
                {
                    created[line.Number] = id;
                }

                lines.Add(line with { Id = id });
            }
            catch (ValidationFailedException ex)
            {
                db.ChangeTracker.Clear();
                errors.AddRange(ex.Errors.Select(e => new ItemImportError(line.Row, ColumnOf(e.Key), string.Join(" ", e.Value))));
                lines.Add(line);
            }
        }

        var keep = !options.DryRun && stored > 0 && (errors.Count == 0 || options.ValidOnly);
        if (keep)
        {
            await transaction.CommitAsync(cancellationToken);
        }
        else
        {
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            lines = lines.Select(l => l with { Id = null }).ToList();
        }

        return new ItemImportReport(options.DryRun, ItemRegisters.Key(register), year, lines,
            errors.OrderBy(e => e.Row).ToList(), keep ? stored : 0);
    }

    /// <summary>The header row (the first row holding 工作任务; a title row above it is the ledger's title), the title
    /// and the data rows below the header.</summary>
    private static (List<string> Header, string? Title, IEnumerable<SheetRow> Rows) Locate(Spreadsheet sheet)
    {
        if (sheet.Header.Any(h => h.Trim() == "工作任务"))
        {
            return (sheet.Header.ToList(), null, sheet.Rows);
        }

        var title = sheet.Header.FirstOrDefault(h => h.Length > 0);
        var found = sheet.Rows.Take(10).FirstOrDefault(r => r.Cells.Any(c => CellValues.Text(c) == "工作任务"))
            ?? throw ValidationFailedException.For("file", $"找不到表头行（含「工作任务」的一行）。表头应为：{string.Join("、", ItemLedger.Heads)}。");
        return (found.Cells.Select(c => CellValues.Text(c) ?? "").ToList(), title, sheet.Rows.Where(r => r.Number > found.Number));
    }

    private static string? ColumnOf(string field) => field switch
    {
        "title" or "content" => "工作任务",
        "leadUnit" or "coUnits" => "牵头单位",
        "people" => "责任领导、责任人",
        "parent" => "序号",
        _ when field.StartsWith("plan", StringComparison.Ordinal) => "时间节点",
        _ when field.StartsWith("cycle", StringComparison.Ordinal) => "报送周期",
        _ => null,
    };

    private static List<string> Names(string text) =>
        text.Split(['、', '，', ',', '；', ';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    /// <summary>
    /// The 时间节点 cell: nodes separated by 「；」, 「;」 or line breaks, each a name and a date (2027-03-31,
    /// 2027年3月31日, 2027/3/31, or 3月31日 in <paramref name="year"/>); a mark after the date (✓, （超期）) is ignored.
    /// A date cell on its own is one node named 完成.
    /// </summary>
    public static IReadOnlyList<PlannedNode> ParseNodes(object? cell, int year, out string? error)
    {
        error = null;
        if (cell is DateTime or double && CellValues.TryParseInstant(cell, out var instant))
        {
            return [new PlannedNode("完成", ChinaTime.DateOf(instant))];
        }

        var text = CellValues.Text(cell);
        if (text is null)
        {
            error = "请填写时间节点，如「立项 2027-03-31；开工 2027-06-30」。";
            return [];
        }

        var nodes = new List<PlannedNode>();
        var problems = new List<string>();
        foreach (var part in text.Split(['；', ';', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var match = DatePattern().Match(part);
            var name = match.Success ? part[..match.Index].Trim().TrimEnd('：', ':', '，', ',').Trim() : part;
            if (!match.Success || !TryDate(match, year, out var date))
            {
                problems.Add($"「{part}」没有可识别的日期");
                continue;
            }

            if (name.Length == 0)
            {
                problems.Add($"「{part}」没有节点名称");
                continue;
            }

            nodes.Add(new PlannedNode(name, date));
        }

        if (problems.Count > 0)
        {
            error = string.Join("；", problems) + "。节点写成「名称 日期」，如「立项 2027-03-31」。";
        }
        else if (nodes.Count == 0)
        {
            error = "请填写时间节点，如「立项 2027-03-31；开工 2027-06-30」。";
        }

        return nodes;
    }

    private static bool TryDate(Match match, int year, out DateOnly date)
    {
        var y = match.Groups["y"].Success ? int.Parse(match.Groups["y"].Value, CultureInfo.InvariantCulture) : year;
        var m = int.Parse(match.Groups["m"].Value, CultureInfo.InvariantCulture);
        var d = int.Parse(match.Groups["d"].Value, CultureInfo.InvariantCulture);
        date = default;
        if (m is < 1 or > 12 || d < 1 || y is < 1900 or > 2999 || d > DateTime.DaysInMonth(y, m))
        {
            return false;
        }

        date = new DateOnly(y, m, d);
        return true;
    }

    /// <summary>每月25日, 每月 25 号, 每周五, 每周5.</summary>
    public static bool TryParseCycle(string text, out CycleInput? cycle)
    {
        ArgumentNullException.ThrowIfNull(text);
        cycle = null;
        var compact = text.Replace(" ", "", StringComparison.Ordinal);
        if (MonthlyPattern().Match(compact) is { Success: true } monthly)
        {
            cycle = new CycleInput("monthly", int.Parse(monthly.Groups[1].Value, CultureInfo.InvariantCulture), null);
            return true;
        }

        if (WeeklyPattern().Match(compact) is { Success: true } weekly)
        {
            var day = weekly.Groups[1].Value;
            var index = "一二三四五六日".IndexOf(day == "天" ? "日" : day, StringComparison.Ordinal);
            cycle = new CycleInput("weekly", null, index >= 0 ? index + 1 : int.Parse(day, CultureInfo.InvariantCulture));
            return true;
        }

        return false;
    }

    [GeneratedRegex(@"(?:(?<y>\d{4})\s*[-/.年]\s*)?(?<m>\d{1,2})\s*[-/.月]\s*(?<d>\d{1,2})\s*[日号]?")]
    private static partial Regex DatePattern();

    [GeneratedRegex(@"(\d{4})年")]
    private static partial Regex TitleYear();

    [GeneratedRegex(@"^每月(\d{1,2})[日号]$")]
    private static partial Regex MonthlyPattern();

    [GeneratedRegex(@"^每周([一二三四五六日天1-7])$")]
    private static partial Regex WeeklyPattern();
}
