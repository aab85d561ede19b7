using System.Globalization;
using Duban.Calendar;
using Duban.Items;
using Duban.Matters;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;
using MiniExcelLibs.OpenXml;

namespace Duban.Data;

/// <summary>
/// A register as the offices keep it (台账): a title row 「2026年重点工作台账」, then 序号, 工作任务, 牵头单位, 责任领导,
/// 责任人, 时间节点 (the plan's nodes, one a line: 立项 3月31日 ✓), 进展情况 (the last report's percent and what was
/// done), 存在问题, 状态 (colour word and status). <see cref="ItemImport"/> reads the same columns back.
/// </summary>
public sealed class ItemLedger(ItemQueries queries, DubanDbContext db, TimeProvider clock)
{
    public const string ContentType = ReviewWorkbook.ContentType;

    /// <summary>The column heads, in order.</summary>
    public static readonly IReadOnlyList<string> Heads = ["序号", "工作任务", "牵头单位", "责任领导", "责任人", "时间节点", "进展情况", "存在问题", "状态"];

    /// <summary>The mark of a met node.</summary>
    public const string MetMark = "✓";

    /// <summary>The title row: 2026年重点工作台账 (工作事项台账 for every register).</summary>
    public static string Title(int year, ItemRegister? register) =>
        string.Create(CultureInfo.InvariantCulture, $"{year}年{(register is { } r ? Labels.Of(r) : "工作事项")}台账");

    /// <summary>The year the ledger is kept for: this year in Beijing.</summary>
    public int Year => ChinaTime.DateOf(clock.GetUtcNow()).Year;

    /// <summary>The file name offered: 2026年重点工作台账.xlsx.</summary>
    public string FileName(ItemRegister? register) => Title(Year, register) + ".xlsx";

    /// <summary>A node's date as the ledger writes it: 3月31日 within <paramref name="year"/>, else 2027年3月31日.</summary>
    public static string Date(DateOnly date, int year) => date.ToString(date.Year == year ? "M月d日" : "yyyy年M月d日", CultureInfo.InvariantCulture);

    /// <summary>The 时间节点 cell: one node a line, met ones marked ✓, overdue ones （超期）.</summary>
    public static string NodesText(IEnumerable<ItemMilestoneView> nodes, int year)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        return string.Join("\n", nodes.Select(n => $"{n.Name} {Date(n.Date, year)}"
            + (n.MetAt is not null ? " " + MetMark : n.Status == MilestoneStatus.Overdue ? "（超期）" : "")));
    }

    /// <summary>Writes the ledger of the items <paramref name="filter"/> matches that <paramref name="actor"/> may see.
    /// Written synchronously (MiniExcel's sound writer): a file or a memory stream.</summary>
    /// <returns>The number of items written.</returns>
    public async Task<int> WriteAsync(Stream stream, ItemFilter filter, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(filter);
        var rows = await queries.RowsAsync(filter, actor, cancellationToken);
        var ids = rows.Select(r => r.Item.Id).ToList();
        var last = new Dictionary<long, (int Percent, string? Done, string? Problems)>();
        foreach (var chunk in ids.Chunk(1000))
        {
            var events = await db.MatterEvents.AsNoTracking().Where(e => chunk.Contains(e.MatterId) && e.Action == MatterAction.Progress)
                .Select(e => new { e.MatterId, e.Sequence, e.Note, e.Data }).ToListAsync(cancellationToken);
            // The lead unit's last report (a co-unit's share is not the item's progress).
            foreach (var e in events.Select(e => (e.MatterId, e.Sequence, e.Note, Data: EventJson.Deserialize(e.Data))).Where(e => e.Data.CoUnitId is null)
                         .GroupBy(e => e.MatterId).Select(g => g.MaxBy(e => e.Sequence)))
            {
                last[e.MatterId] = (e.Data.Percent ?? 0, e.Note, e.Data.Problems);
            }
        }

        var year = Year;
        var sheet = new List<Dictionary<string, object?>>(rows.Count + 2)
        {
            Line([Title(year, filter.Register), "", "", "", "", "", "", "", ""]),
            Line([.. Heads]),
        };
        foreach (var row in rows)
        {
            var item = row.Item;
            var report = last.TryGetValue(item.Id, out var r) ? r : ((int Percent, string? Done, string? Problems)?)null;
            sheet.Add(Line([
                row.Number,
                item.Title,
                item.LeadUnit.Name,
                row.LeadingOfficials,
                row.Responsible,
                NodesText(row.Nodes, year),
                report is { } p ? string.Create(CultureInfo.InvariantCulture, $"进度 {p.Percent}%") + (p.Done is null ? "" : "：" + p.Done) : "尚未填报",
                report?.Problems ?? "",
                $"{item.ColourName} · {item.StatusName}",
            ]));
        }

        await Task.Run(() => stream.SaveAs(sheet, printHeader: false, sheetName: Title(year, filter.Register), configuration: Configuration), cancellationToken);
        return rows.Count;
    }

    private static Dictionary<string, object?> Line(string[] cells) =>
        cells.Select((c, i) => (Key: Columns[i], Value: (object?)c)).ToDictionary(x => x.Key, x => x.Value);

    private static readonly string[] Columns = ["A", "B", "C", "D", "E", "F", "G", "H", "I"];

    private static readonly OpenXmlConfiguration Configuration = new()
    {
        DynamicColumns =
        [
            new("A") { Width = 7 },
            new("B") { Width = 40 },
            new("C") { Width = 18 },
            new("D") { Width = 12 },
            new("E") { Width = 12 },
            new("F") { Width = 28 },
            new("G") { Width = 40 },
            new("H") { Width = 30 },
            new("I") { Width = 14 },
        ],
    };
}
