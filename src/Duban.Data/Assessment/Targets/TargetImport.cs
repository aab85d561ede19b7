using System.Globalization;
using Duban.Matters;
using Duban.Tabular;

namespace Duban.Data;

/// <summary>A row of a target import with its problems, in Chinese.</summary>
public sealed record TargetImportProblem(int Row, IReadOnlyList<string> Messages);

/// <summary>What an import of targets found and (unless a dry run, and only when every row is valid) stored.</summary>
/// <param name="DryRun">Nothing was to be stored.</param>
/// <param name="Saved">Everything was stored.</param>
/// <param name="Rows">Data rows read.</param>
/// <param name="Problems">Each invalid row with its problems.</param>
/// <param name="Result">What was (or would be) added and changed; null when there are problems.</param>
public sealed record TargetImportReport(bool DryRun, bool Saved, int Rows, IReadOnlyList<TargetImportProblem> Problems, TargetSaveResult? Result);

/// <summary>
/// Targets from a spreadsheet (xlsx or CSV), one row per unit (or cadre) × item, with the columns 目标任务, 考核期间,
/// 任务, 计量单位, 统计方式 (optional: 手工填报 when blank), 单位 (code or name) or 包联干部 (login name), 目标数. Every row
/// is checked first; nothing is stored unless all rows are valid.
/// </summary>
public sealed class TargetImport(TargetTasks tasks)
{
    /// <summary>The columns, as the header names them.</summary>
    public static readonly IReadOnlyList<string> Columns = ["目标任务", "考核期间", "任务", "计量单位", "统计方式", "单位", "包联干部", "目标数"];

    /// <summary>Reads, checks and (unless <paramref name="dryRun"/>) stores.</summary>
    /// <exception cref="ForbiddenException">The actor is not the office or an administrator.</exception>
    /// <exception cref="ValidationFailedException">The file cannot be read or lacks a column (field <c>file</c>).</exception>
    public async Task<TargetImportReport> RunAsync(Stream stream, string fileName, bool dryRun, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!TargetTasks.MayManage(actor))
        {
            throw new ForbiddenException("只有督查室或管理员可以导入目标任务。");
        }

        var sheet = Spreadsheet.Open(stream, fileName);
        var index = Columns.ToDictionary(c => c, c => sheet.Header.ToList().FindIndex(h => h.Trim() == c));
        var missing = new[] { "目标任务", "考核期间", "任务", "目标数" }.Where(c => index[c] < 0).ToList();
        if (index["单位"] < 0 && index["包联干部"] < 0)
        {
            missing.Add("单位");
        }

        if (missing.Count > 0)
        {
            throw ValidationFailedException.For("file", $"表头缺少列：{string.Join("、", missing)}。表头应为：{string.Join("、", Columns)}（统计方式、包联干部可省略）。");
        }

        string? Cell(SheetRow row, string column) => index[column] < 0 ? null : CellValues.Text(row[index[column]]);

        var lines = new List<(int Row, string? Set, string? Period, TargetItemInput Item, TargetGoalInput Goal, string? GoalText)>();
        foreach (var row in sheet.Rows)
        {
            var periodCell = index["考核期间"] < 0 ? null : row[index["考核期间"]];
            var period = periodCell is DateTime month ? month.ToString("yyyy-MM", CultureInfo.InvariantCulture) : CellValues.Text(periodCell);
            var goalText = Cell(row, "目标数");
            double? goal = double.TryParse(goalText, NumberStyles.Float, CultureInfo.InvariantCulture, out var g) ? g : null;
            var item = new TargetItemInput(Cell(row, "任务"), Cell(row, "计量单位"), Cell(row, "统计方式"));
            lines.Add((row.Number, Cell(row, "目标任务"), period, item, new TargetGoalInput(item.Name, Cell(row, "单位"), Cell(row, "包联干部"), goal), goalText));
        }

        var problems = new SortedDictionary<int, List<string>>();
        void Add(int row, string message)
        {
            if (!problems.TryGetValue(row, out var list))
            {
                problems[row] = list = [];
            }

            if (!list.Contains(message))
            {
                list.Add(message);
            }
        }

        var plans = new List<TargetTasks.Plan>();
        foreach (var group in lines.GroupBy(l => (Set: l.Set?.Trim() ?? "", Period: l.Period?.Trim() ?? "")))
        {
            var rows = group.ToList();
            // One item input per item name (its first row); a later row that says otherwise is a problem of its own.
            var items = new List<(int Row, TargetItemInput Item)>();
            foreach (var line in rows.Where(l => !string.IsNullOrWhiteSpace(l.Item.Name) && (l.Item.Measure is not null || l.Item.Source is not null)))
            {
                var first = items.FirstOrDefault(i => i.Item.Name!.Trim() == line.Item.Name!.Trim());
                if (first.Item is null)
                {
                    items.Add((line.Row, line.Item));
                }
                else if (first.Item.Measure != line.Item.Measure || (first.Item.Source ?? "") != (line.Item.Source ?? ""))
                {
                    Add(line.Row, $"任务「{line.Item.Name!.Trim()}」的计量单位或统计方式与第 {first.Row} 行不一致。");
                }
            }

            var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
            var keys = rows.Select(r => r.Row.ToString(CultureInfo.InvariantCulture) + ".").ToList();
            var plan = await tasks.PlanAsync(new TargetSetInput(group.Key.Set, group.Key.Period, items.Select(i => i.Item).ToList(),
                rows.Select(r => r.Goal).ToList()), errors, "", cancellationToken, keys);
            foreach (var (key, messages) in errors)
            {
                IEnumerable<int> at = key switch
                {
                    _ when key.StartsWith("items[", StringComparison.Ordinal) => [items[int.Parse(key[6..key.IndexOf(']', StringComparison.Ordinal)], CultureInfo.InvariantCulture)].Row],
                    _ when char.IsAsciiDigit(key[0]) => [int.Parse(key[..key.IndexOf('.', StringComparison.Ordinal)], CultureInfo.InvariantCulture)],
                    _ => rows.Select(r => r.Row),
                };
                foreach (var row in at)
                {
                    foreach (var message in messages)
                    {
                        Add(row, message);
                    }
                }
            }

            foreach (var line in rows.Where(l => l.GoalText is not null && l.Goal.Goal is null))
            {
                Add(line.Row, $"目标数「{line.GoalText}」不是数字。");
            }

            if (plan is not null)
            {
                plans.Add(plan);
            }
        }

        if (lines.Count == 0)
        {
            throw ValidationFailedException.For("file", "文件里没有数据行。");
        }

        var report = problems.Select(p => new TargetImportProblem(p.Key, p.Value)).ToList();
        if (report.Count > 0)
        {
            return new TargetImportReport(dryRun, false, lines.Count, report, null);
        }

        var planned = new TargetSaveResult(plans.Count == 1 ? plans[0].Result.SetId : null, plans.Sum(p => p.Result.ItemsAdded),
            plans.Sum(p => p.Result.GoalsAdded), plans.Sum(p => p.Result.GoalsChanged));
        if (dryRun)
        {
            return new TargetImportReport(true, false, lines.Count, [], planned);
        }

        var saved = await tasks.ApplyAsync(plans, actor, cancellationToken);
        return new TargetImportReport(false, true, lines.Count, [], plans.Count == 1 ? saved : saved with { SetId = null });
    }
}
